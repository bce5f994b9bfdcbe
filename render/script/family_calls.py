"""Whom a title and family name calls: the one of that family who is present.

'"Good-night, Miss Elliot."' names the Miss Elliot of the cast's list (the eldest daughter, by
English custom), but a speaker calls so whichever daughter stands before them; '"Do let us turn
back, Mr. Thorpe."' is said to the son in the carriage, not to his father at home. So a vocative
made of a title and a surname, or of a surname alone, whose bearer by the cast is not on stage,
calls the one other bearer of that surname and of the title's sex who is (rule 'family-call').

A bearer by the cast may be on stage and still not the one called: '"Miss Bennet, I insist on
being satisfied."' is Lady Catherine to Elizabeth, who has been answering her, while the Miss
Bennet of the cast (Jane) has said nothing for pages. So such a call whose bearer by the cast has
not spoken in the last few turns goes to the one other bearer who has (rule 'family-voice').
"""

from __future__ import annotations

from typing import NamedTuple

from .characters import CharacterIndex
from .lexicon import FEMALE_TITLES, MALE_TITLES
from .quote_model import rule_on


class Voices(NamedTuple):
    """Who spoke the last few turns before a call (`speakers`), and the family names the text
    gives characters the cast names without one (`surnames`, see features.family_names:
    'Elizabeth' written 'Elizabeth Bennet')."""

    speakers: frozenset
    surnames: dict


def family_bearer(index: CharacterIndex, surface: str, name: str, stage, speaker: str | None,
                  voices: Voices | None = None) -> str:
    """The character a vocative `surface` (resolved by the index to `name`) calls, given the
    characters on `stage`: `name`, or the one family member on stage it must mean instead (or,
    with `voices`, the one of the family who has been speaking)."""
    if not rule_on("family-call") or not stage:
        return name
    form = _family_form(index, surface, name)
    if form is None:
        return name
    sex, family, title = form
    surnames = {}
    if name in stage:
        if voices is None or not voices.speakers or name in voices.speakers or not rule_on("family-voice"):
            return name
        # '"Miss Bennet, …"' while Jane is silent and Elizabeth, who is on stage, answers (a
        # family name the text gives her counts: 'Elizabeth Bennet')
        surnames = voices.surnames
        stage = voices.speakers & set(stage)
    present = [n for n in stage if n and n not in (name, speaker) and index.gender(n) == sex
               and _bears(index, n, family, title, surnames.get(n))]
    return present[0] if len(present) == 1 else name


def _family_form(index: CharacterIndex, surface: str, name: str):
    """(sex, family name, title or None) of a call made of a title and a surname ('Miss
    Bennet') or of a surname alone ('Thorpe'), else None."""
    words = surface.replace(".", " ").split()
    if len(words) == 2 and words[0] in MALE_TITLES | FEMALE_TITLES:
        sex = "male" if words[0] in MALE_TITLES else "female"
    elif len(words) == 1:
        sex = index.gender(name)  # 'Thorpe': a man, called by his surname alone
    else:
        return None
    return sex, words[-1], words[0] if len(words) == 2 else None


def _bears(index: CharacterIndex, name: str, family: str, title: str | None, surname: str | None = None) -> bool:
    """The character called name has `family` as the last word of their name or of an alias,
    and `title` is theirs: a 'Mrs. Maylie' is not the 'Miss Maylie' of the family, so a title
    calls only one whose written names carry that title or none."""
    ch = index.by_name.get(name)
    forms = [f.replace(".", " ").split() for f in (name, *(ch.aliases if ch is not None else ())) if f.strip()]
    titles = {f[0] for f in forms if len(f) > 1 and f[0] in MALE_TITLES | FEMALE_TITLES}
    named = any(f[-1] == family for f in forms) or surname == family  # 'family-voice': 'Elizabeth Bennet'
    return named and (title is None or not titles or title in titles)


# quote paragraphs back (within the chapter) whose speakers count as the voices of a call
VOICE_TURNS = 6


def recent_voices(paras, i: int, surnames: dict | None = None, turns: int = VOICE_TURNS) -> Voices:
    """The speakers of the last `turns` quote paragraphs before paras[i], in its chapter, with
    the text's family names for characters the cast names without one."""
    out: list[str] = []
    chapter = paras[i].chapter
    j = i - 1
    while j >= 0 and turns and paras[j].chapter == chapter:
        if paras[j].quotes:
            turns -= 1
            if paras[j].speaker:
                out.append(paras[j].speaker)
        j -= 1
    return Voices(frozenset(out), surnames or {})
