"""Discovery without a cast: one person found twice, under a given name and a pet form of it.

A book that calls Elizabeth 'Lizzy' in speech tags ('"Lizzy," said her father' / 'cried
Lizzy') gives discovery two characters for one woman, so her turns split between two voices and
the rules that count the voices in a scene see one too many. A pet name (lexicon.DIMINUTIVES:
'Lizzy' -> 'Elizabeth', 'Harry' -> 'Henry') found as a character of its own joins the one
character known by the given name it shortens, unless the two are named together in a sentence
or answer each other (two people: 'Harry and his uncle Henry').
"""

from __future__ import annotations

from collections import Counter

from .characters import Character
from .lexicon import DIMINUTIVES, RANK_TITLES
from .names import given_name_gender
from .normalize import strip_title


def _forms(ch: Character) -> set[str]:
    return {ch.name, *ch.aliases}


def _apart(a: Character, b: Character, together: Counter, replies: Counter | None) -> bool:
    """Named together in one sentence, or one tagged as answering the other: two people."""
    for x in _forms(a):
        for y in _forms(b):
            if together[(x, y)] or (replies and (replies[(x, y)] or replies[(y, x)])):
                return True
    return False


def _given_names(ch: Character) -> set[str]:
    """The given names ch is known by: the first word of its untitled forms, or of a form after
    a rank ('Lord Henry Wotton', 'Lord Henry' -> 'Henry'), when it is a given name."""
    out = set()
    for form in _forms(ch):
        title, bare = strip_title(form)
        words = bare.split()
        if words and (title is None or title in RANK_TITLES) and given_name_gender(words[0]):
            out.add(words[0])
    return out


def merge_diminutives(chars: list[Character], together: Counter,
                      replies: Counter | None = None) -> list[Character]:
    """chars with each pet name found as a character of its own ('Lizzy') merged into the one
    character known by the given name it shortens ('Elizabeth'); together, replies: see
    discovery._together and speaker_tags.tag_counts."""
    gone: set[int] = set()
    for y in chars:
        title, bare = strip_title(y.name)
        formal = DIMINUTIVES.get(bare) if title is None and not y.aliases else None
        if formal is None:
            continue
        owners = [x for x in chars if x is not y and id(x) not in gone and formal in _given_names(x)
                  and (y.gender == "neutral" or x.gender in (y.gender, "neutral"))]
        if len(owners) != 1 or _apart(owners[0], y, together, replies):
            continue  # 'Harry' beside 'Henry Maylie' and 'Henry Jekyll': either of them
        owners[0].aliases |= _forms(y)
        owners[0].mentions += y.mentions
        gone.add(id(y))
    return [ch for ch in chars if id(ch) not in gone]
