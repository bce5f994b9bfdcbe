"""Whom a title and family name calls: the one of that family who is present.

'"Good-night, Miss Elliot."' names the Miss Elliot of the cast's list (the eldest daughter, by
English custom), but a speaker calls so whichever daughter stands before them; '"Do let us turn
back, Mr. Thorpe."' is said to the son in the carriage, not to his father at home. So a vocative
made of a title and a surname, or of a surname alone, whose bearer by the cast is not on stage,
calls the one other bearer of that surname and of the title's sex who is (rule 'family-call').
"""

from __future__ import annotations

from .characters import CharacterIndex
from .lexicon import FEMALE_TITLES, MALE_TITLES
from .quote_model import rule_on


def family_bearer(index: CharacterIndex, surface: str, name: str, stage, speaker: str | None) -> str:
    """The character a vocative `surface` (resolved by the index to `name`) calls, given the
    characters on `stage`: `name`, or the one family member on stage it must mean instead."""
    if not rule_on("family-call") or not stage or name in stage:
        return name
    words = surface.replace(".", " ").split()
    if len(words) == 2 and words[0] in MALE_TITLES | FEMALE_TITLES:
        sex = "male" if words[0] in MALE_TITLES else "female"
    elif len(words) == 1:
        sex = index.gender(name)  # 'Thorpe': a man, called by his surname alone
    else:
        return name
    family, title = words[-1], words[0] if len(words) == 2 else None
    present = [n for n in stage if n and n not in (name, speaker) and index.gender(n) == sex
               and _bears(index, n, family, title)]
    return present[0] if len(present) == 1 else name


def _bears(index: CharacterIndex, name: str, family: str, title: str | None) -> bool:
    """The character called name has `family` as the last word of their name or of an alias,
    and `title` is theirs: a 'Mrs. Maylie' is not the 'Miss Maylie' of the family, so a title
    calls only one whose written names carry that title or none."""
    ch = index.by_name.get(name)
    forms = [f.replace(".", " ").split() for f in (name, *(ch.aliases if ch is not None else ())) if f.strip()]
    titles = {f[0] for f in forms if len(f) > 1 and f[0] in MALE_TITLES | FEMALE_TITLES}
    return any(f[-1] == family for f in forms) and (title is None or not titles or title in titles)
