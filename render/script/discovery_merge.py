"""Discovery without a cast: one person found twice, under a given name and a pet form of it.

A book that calls Elizabeth 'Lizzy' in speech tags ('"Lizzy," said her father' / 'cried
Lizzy') gives discovery two characters for one woman, so her turns split between two voices and
the rules that count the voices in a scene see one too many. A pet name (lexicon.DIMINUTIVES:
'Lizzy' -> 'Elizabeth', 'Harry' -> 'Henry') found as a character of its own joins the one
character known by the given name it shortens, unless the two are named together in a sentence
or answer each other (two people: 'Harry and his uncle Henry').

Likewise a book that writes a full name ('Henry Tilney') and then calls the man 'Mr. Tilney' in
the narration gives discovery two forms of one person; merge_aliases keeps 'Mr. Tilney' apart
when the family has another man ('General Tilney'). A civil 'Title Surname' character joins the
one character whose full name ends with that surname (rule 'given-surname'), when no one else of
that sex has a given name with it, the two are never named together in a sentence nor answer
each other (a father and a son: 'Mr. Emerson and George'), and the others of the family are
known by other titles only ('General Tilney', 'Miss Tilney').

A role a tag names ('"Have a drink," said the Collector.') is found as a character of its own
beside the man the narration names once in apposition ('the Collector, Mr. Turton, with whom
they had dined'): it joins that one named character (rule 'role-apposed-name').

One writing of a full name is enough for a lone given name the narration uses less than the
lone 'Title Surname' ('I see Cyril Fielding to be a very nice chap' beside the narrator's 'Mr.
Fielding': rule 'given-surname-once'). A lone bare surname ('said Campbell') joins a given name
the same way ('Alan Campbell' written twice: rule 'bare-surname-given').
"""

from __future__ import annotations

import re
from collections import Counter

from .characters import Character, CharacterIndex
from .lexicon import DIMINUTIVES, RANK_TITLES
from .names import given_name_gender
from .normalize import strip_title, title_gender, titles_compatible
from .quote_model import rule_on
from .roles import _apposed_owner


def _forms(ch: Character) -> set[str]:
    return {ch.name, *ch.aliases}


def _apart(a: Character, b: Character, together: Counter, replies: Counter | None, most: int = 0) -> bool:
    """Named together in more than `most` sentences (by default in any), or one tagged as
    answering the other: two people."""
    for x in _forms(a):
        for y in _forms(b):
            if together[(x, y)] > most or (replies and (replies[(x, y)] or replies[(y, x)])):
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


CIVIL_TITLES = frozenset({"Mr", "Mrs", "Miss", "Ms"})  # everyday titles: the others are ranks or kin
MIN_FULL = 2  # times the full name is written, speech included, before it ties the two: once
# is too few ('Adela Quested came in.' beside a 'Miss Quested' heard three times stays apart)


def _civil_surname(ch: Character) -> str | None:
    """The surname of a character known only as 'Mr. S' (or 'S'), else None."""
    title, bare = strip_title(ch.name)
    if title not in CIVIL_TITLES or len(bare.split()) != 1:
        return None
    if any(strip_title(a)[1] != bare for a in ch.aliases):
        return None  # another name of its own ('Mr. Bolter' beside 'Morris Bolter')
    return bare


def _bare_surname(ch: Character) -> str | None:
    """The name of a character known only by one word that is no given name ('Campbell' from
    '"I will not," said Campbell'), a surname the book may write after a given name ('Alan
    Campbell') (rule 'bare-surname-given'), else None."""
    if ch.aliases or " " in ch.name or strip_title(ch.name)[0] or not ch.name.isalpha():
        return None
    if given_name_gender(ch.name) or not rule_on("bare-surname-given"):
        return None
    return ch.name


_PAIR = re.compile(r"(?=\b([A-Z][a-z]+)\s+([A-Z][a-z]+)\b)")  # overlapping: 'Miss Charlotte Bartlett'
_TITLED = re.compile(r"\b(Mr|Mrs|Miss|Ms)\.?\s+([A-Z][a-z]+)\s+([A-Z][a-z]+)\b")  # 'Miss Lucy Honeychurch'


def full_names(texts: list[str]) -> Counter:
    """'Given Surname' -> times written anywhere, speech and headings too ('How you do remind me
    of Charlotte Bartlett!'; 'Miss Lucy Honeychurch Drive Out in Carriages'), and 'Title Given
    Surname' -> times written with a civil title ('Miss Lucy Honeychurch')."""
    out = Counter(f"{m.group(1)} {m.group(2)}" for t in texts for m in _PAIR.finditer(t))
    if rule_on("titled-full-name"):
        out.update(f"{m.group(1)} {m.group(2)} {m.group(3)}" for t in texts for m in _TITLED.finditer(t))
    return out


def _full_given(ch: Character, surname: str, full: Counter, title: str) -> str | None:
    """The given name of ch when the book writes it with surname in full at least MIN_FULL
    times, or once after the very title of the lone form ('Miss Lucy Honeychurch' in a chapter
    heading ties Lucy to 'Miss Honeychurch'): a form of ch that is the given name alone or
    'Given Surname'."""
    for form in _forms(ch):
        own, bare = strip_title(form)
        words = bare.split()
        given = words[0] if own is None and (words[1:] == [surname] or len(words) == 1) else None
        if given and given_name_gender(given) and (full[f"{given} {surname}"] >= MIN_FULL
                                                   or full[f"{title} {given} {surname}"] >= 1):
            return given
    return None


def _once_given(x: Character, y: Character, surname: str, full: Counter) -> bool:
    """x is a lone given name the book writes once with surname ('I see Cyril Fielding to be a
    very nice chap'), and the book names the lone 'Title Surname' y at least ONCE_RATIO times as
    often as x: the narrator's 'Mr. Fielding' (212) and his friends' 'Cyril' (12) (rule
    'given-surname-once'; a son or a daughter the narration calls by the given name is not the
    titled parent, and 'Adela Quested came in.' beside a few speeches of each ties nothing)."""
    if x.aliases or " " in x.name or not rule_on("given-surname-once"):
        return False
    return (bool(given_name_gender(x.name)) and full[f"{x.name} {surname}"] >= 1
            and ONCE_RATIO * max(1, x.mentions) <= y.mentions)


ONCE_RATIO = 5  # 'Mr. Fielding' 212 vs 'Cyril' 12, 'Miss Bingley' 143 vs 'Caroline' 5


def _fits_title(ch: Character, title: str) -> bool:
    """ch can bear title: same sex, and no form of it with a title that cannot be the same
    person's ('Mrs. Bennet' is not 'Miss Bennet')."""
    if ch.gender not in (title_gender(title + " X"), "neutral"):
        return False
    return all(titles_compatible(strip_title(f)[0], title) for f in _forms(ch))


def merge_given_surname(chars: list[Character], texts: list[str], together: Counter,
                        replies: Counter | None = None) -> list[Character]:
    """chars with each lone 'Title Surname' merged into the one 'Given Surname' it can be
    (texts: the book's paragraphs; together, replies: see discovery._together, _tag_names)."""
    full = full_names(texts)
    gone: set[int] = set()
    for y in chars:
        surname = _civil_surname(y) or _bare_surname(y)
        if surname is None:
            continue
        title = strip_title(y.name)[0]
        sex = title_gender(y.name) or "neutral"  # a bare surname: anyone of the family
        family = [x for x in chars if x is not y and id(x) not in gone
                  and (_full_given(x, surname, full, title) or _once_given(x, y, surname, full))
                  and (sex == "neutral" or x.gender in (sex, "neutral"))]
        if len(family) != 1 or not (title is None or _fits_title(family[0], title)):
            continue  # 'Mr. Hamilton' beside 'Berry Hamilton' and 'Joe Hamilton': either man
        x = family[0]
        # 'Mr. Emerson and George': father and son; a tie written once allows one such sentence,
        # for it may say they are one: 'sat Fielding, whom he began to think of as "Cyril."'
        if _apart(x, y, together, replies, 1 if _once_given(x, y, surname, full) else 0):
            continue
        x.aliases |= _forms(y)
        x.mentions += y.mentions
        gone.add(id(y))
        ranked = _ranked_forms(x, surname)
        if ranked:  # 'Mr. Tilney' is Henry, so 'Captain Tilney' is his brother
            x.aliases -= ranked
            chars.append(Character(name=sorted(ranked)[0], aliases=set(ranked) - {sorted(ranked)[0]},
                                   gender=x.gender))
    return [ch for ch in chars if id(ch) not in gone]


def _ranked_forms(ch: Character, surname: str) -> set[str]:
    """Forms of ch that give surname a title that is no civil one ('Captain Tilney')."""
    ranked = set()
    for a in ch.aliases:
        title, bare = strip_title(a)
        if bare == surname and title is not None and title not in CIVIL_TITLES:
            ranked.add(a)
    return ranked


def _role_word(ch: Character) -> str | None:
    """The role noun of a character discovery knows by a role alone ('Collector' from 'said the
    Collector', 'The Chaplain'), else None: one word, no given name, no other name of its own."""
    bare = ch.name[4:] if ch.name.startswith("The ") else ch.name
    if " " in bare or not bare.isalpha() or given_name_gender(bare) or strip_title(bare)[0]:
        return None
    if any(a.lower() not in (bare.lower(), "the " + bare.lower()) for a in ch.aliases):
        return None
    return bare


MIN_ROLE_USES = 2  # times the narration writes 'the Collector' before it is a role ('a word from Cecil' is none)


def merge_role_names(chars: list[Character], narr: list[str], together: Counter,
                     replies: Counter | None = None) -> list[Character]:
    """chars with each role found as a character of its own ('said the Collector') merged into
    the one named character the narration sets beside the role ('the Collector, Mr. Turton, with
    whom they had dined'; 'Mr. McBryde, the District Superintendent of Police'), unless the two
    are named together in a sentence or answer each other (rule 'role-apposed-name'; narr: the
    narration; together, replies: see merge_diminutives)."""
    text = " ".join(narr).lower()
    roles = {id(ch): w for ch in chars if (w := _role_word(ch)) and text.count("the " + w.lower()) >= MIN_ROLE_USES}
    index = CharacterIndex([ch for ch in chars if id(ch) not in roles])
    gone: set[int] = set()
    for y in chars:
        word = roles.get(id(y))
        if word is None:
            continue
        owner = _apposed_owner(Character("The " + word), index, narr, wide=True)
        if owner is None or owner.gender not in (y.gender, "neutral") and y.gender != "neutral":
            continue
        if _apart(owner, y, together, replies, MAX_TOGETHER):
            continue  # 'the Collector and Mr. Turton' again and again: two people
        owner.aliases |= _forms(y) | {"the " + word.lower()}
        owner.mentions += y.mentions
        gone.add(id(y))
    return [ch for ch in chars if id(ch) not in gone]


MAX_TOGETHER = 2  # the apposition itself is one ('the Collector, Mr. Turton, with whom'), and a
# narration run across a speech ('... what he had come to say. and another civilian said, ...')
# may join a second sentence
