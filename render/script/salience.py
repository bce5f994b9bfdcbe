"""Who is on stage (`Salience`, most recently named first) and what is known about a turn
(`Context`): the state the resolvers of render/script/pronouns.py, descriptions.py and resolve.py
read."""

from __future__ import annotations

from dataclasses import dataclass, field


class Salience:
    """Characters in order of recent mention (most recent first), as pronouns see them."""

    def __init__(self, size: int = 16):
        self.order: list[str] = []
        self.size = size
        self.clock = 0  # paragraphs read so far; a chapter break counts as a whole scene
        self.seen: dict[str, int] = {}  # character -> the clock when last named, meant or heard

    def tick(self) -> None:
        """The reading moved on by one paragraph."""
        self.clock += 1

    def new_scene(self) -> None:
        """A chapter break: everyone named so far has left the scene (see `fresh`)."""
        self.clock += FRESH_FOR + 1

    def fresh(self, name: str) -> bool:
        """Named, meant or heard in the last FRESH_FOR paragraphs of this chapter."""
        return self.clock - self.seen.get(name, -FRESH_FOR - 1) <= FRESH_FOR

    def touch(self, name: str) -> None:
        self.seen[name] = self.clock
        if self.order and self.order[0] == name:
            return
        if name in self.order:
            self.order.remove(name)
        self.order.insert(0, name)
        del self.order[self.size:]

    def leave(self, name: str) -> None:
        """name has gone out of the scene (stage_moves.exits): last in the order, and not fresh,
        until the narration or a tag names them again."""
        if name in self.order:
            self.order.remove(name)
            self.order.append(name)
        self.seen.pop(name, None)  # not fresh: as if never named

    def clear(self) -> None:
        self.order.clear()


# paragraphs a character stays in the scene without being named, meant or heard (rule 'fresh-stage')
FRESH_FOR = 12


@dataclass
class Context:
    """What the resolver knows about the turn a quote belongs to."""

    prev_speaker: str | None = None  # speaker of the adjacent previous quote paragraph
    prev_addressee: str | None = None  # who that quote addressed
    local: list[str] = field(default_factory=list)  # names in this paragraph's narration, in order
    new_turn: bool = False  # the quote opens a paragraph right after another speaker's quote
    vocatives: list[str] = field(default_factory=list)  # names addressed in this paragraph's quotes
    prev_holds: bool = False  # the previous paragraph ends with narration about its speaker
    partner: str | None = None  # speaker of the turn before the previous one (whom it answered)
