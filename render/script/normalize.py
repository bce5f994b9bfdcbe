"""Small text helpers shared by the script layer: whitespace, names, titles, pronouns."""

from __future__ import annotations

from .lexicon import (FEMALE_NOUNS, FEMALE_PRONOUNS, FEMALE_TITLES, MALE_NOUNS, MALE_PRONOUNS,
                      MALE_TITLES, TITLE_SET)


def collapse(text: str) -> str:
    """Whitespace runs (newlines included) become one space; ends stripped (str.split's
    whitespace is re's \\s: the same, in C without a regex)."""
    return " ".join(text.split())


def strip_title(name: str) -> tuple[str | None, str]:
    """Split a leading honorific: 'Mr. Darcy' -> ('Mr', 'Darcy'); no title -> (None, name)."""
    parts = name.split(None, 1)
    if len(parts) == 2:
        head = parts[0].rstrip(".")
        if head in TITLE_SET:
            return head, parts[1]
    return None, name


def title_gender(name: str) -> str | None:
    """'male'/'female' when the name starts with a gendered title, else None."""
    title, _ = strip_title(name)
    if title in FEMALE_TITLES:
        return "female"
    if title in MALE_TITLES:
        return "male"
    return None


def titles_compatible(a: str | None, b: str | None) -> bool:
    """Whether two titles (either may be None) can be one person's: not of the two sexes, and
    not 'Mrs' beside 'Miss' (Mrs. Bennet is not Miss Bennet)."""
    if a is None or b is None or a == b:
        return True
    fa, fb = a in FEMALE_TITLES, b in FEMALE_TITLES
    ma, mb = a in MALE_TITLES, b in MALE_TITLES
    if (fa and mb) or (ma and fb):
        return False
    return not {a, b} <= {"Mrs", "Miss"}


def pronoun_gender(word: str) -> str | None:
    """'male'/'female' for a third-person pronoun, else None."""
    w = word.lower()
    if w in MALE_PRONOUNS:
        return "male"
    if w in FEMALE_PRONOUNS:
        return "female"
    return None


def noun_gender(word: str) -> str | None:
    """'male'/'female' for a gendered role noun ('woman', 'husband'), else None."""
    w = word.lower()
    if w in FEMALE_NOUNS or (w.endswith(("woman", "women")) and len(w) > 5):
        return "female"
    if w in MALE_NOUNS or (w.endswith(("man", "men")) and len(w) > 4 and w not in _NOT_MEN):
        return "male"
    return None


_NOT_MEN = frozenset({"german", "germans", "omen", "omens", "specimen", "specimens", "abdomen", "human",
                      "humans", "talisman", "talismans", "ottoman", "amen", "stamen", "semen", "regimen",
                      "woman", "women"})
