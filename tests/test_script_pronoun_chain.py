"""Who a 'he'/'she' of narration goes on with (render/script/features.note_mentions): not a name its
own sentence makes an object of (rule 'pronoun-not-object'), and the one a description opening a
sentence stands for (rule 'described-subject')."""

from __future__ import annotations

from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.cast import Cast, CastMember
from render.script.characters import Character, CharacterIndex
from render.script.features import note_mentions
from render.script.quote_model import disabled_rules
from render.script.resolve import Resolver

ASH_TOM = Cast(narrator=CastMember("narrator"), characters=[CastMember("Ash Marlow", aliases=["Ash"], gender="male"),
                                                           CastMember("Tom Bay", aliases=["Tom"], gender="male")])


def speakers(paragraphs: list[str], cast: Cast, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    """(speaker, rule) of each quote in a one-chapter book of these paragraphs."""
    text = "\n\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(PARAGRAPH, p, start=pos, end=pos + len(p)))
        pos += len(p) + 2
    book = Book("Test", Path("test.txt"), [Chapter(1, "One", blocks)], text=text)
    return [(r["speaker"], r["rule"]) for r in attribute_quotes(book, cast, disabled=disabled)]


def _top_after(text: str, *on_stage: str, ages: dict[str, str] | None = None) -> str:
    """The most salient character after the narration text, Ash and Tom (men) and Wren (a woman)
    having been mentioned in the order given (the last on top)."""
    res = Resolver(CharacterIndex([Character("Ash Marlow", {"Ash"}, "male"), Character("Tom Bay", {"Tom"}, "male"),
                                   Character("Wren Hollis", {"Wren"}, "female")]), allow_new=False)
    res.ages = dict(ages or {})
    for name in on_stage:
        res.mention(name)
    note_mentions(res, text, 0, len(text))
    return res.salience.order[0]


def test_a_leading_pronoun_is_not_the_man_its_sentence_looks_at():
    text = "He had only to look at Tom to see how tired they were."
    assert _top_after(text, "Ash Marlow", "Tom Bay") == "Ash Marlow"
    with disabled_rules({"pronoun-not-object"}):
        assert _top_after(text, "Ash Marlow", "Tom Bay") == "Tom Bay"
    # with no one else of its gender on stage, the object is the only one it can go on with
    assert _top_after("She had only to look at Wren.", "Wren Hollis", "Tom Bay") == "Wren Hollis"


def test_a_he_said_tag_after_a_sentence_looking_at_the_other_man():
    book = ["Ash came into the yard. Then Tom rode up to the gate.",
            "He turned his back on Tom and watched the hills.",
            '"The boat is ready," he said.']
    assert speakers(book, ASH_TOM) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, ASH_TOM, frozenset({"pronoun-not-object"})) == [("Tom Bay", "pronoun-verb-after")]


def test_a_sentence_opened_by_the_old_man_is_about_the_one_called_old():
    text = "The old man was tired, and closed his eyes."
    assert _top_after(text, "Ash Marlow", "Tom Bay", ages={"Ash Marlow": "old"}) == "Ash Marlow"
    with disabled_rules({"described-subject"}):
        assert _top_after(text, "Ash Marlow", "Tom Bay", ages={"Ash Marlow": "old"}) == "Tom Bay"
    # no one on stage is called old: the description is no one known
    assert _top_after(text, "Ash Marlow", "Tom Bay") == "Tom Bay"


def test_a_he_said_tag_after_the_old_man_acts():
    book = ["Old Ash and Tom sat by the fire. Old Ash had walked far that day.",
            "Tom stood at the window. The old man woke, and stretched his arms.",
            '"The boat is ready," he said.']
    assert speakers(book, ASH_TOM) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, ASH_TOM, frozenset({"described-subject"})) == [("Tom Bay", "pronoun-verb-after")]
