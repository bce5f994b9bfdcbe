"""Small text helpers shared by the script layer: whitespace, names, titles, pronouns."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")

# Honorifics that start a character name ("Mr. Bennet", "Lady Catherine").
TITLES = (
    "Mr", "Mrs", "Miss", "Ms", "Mme", "Mlle", "Madame", "Mademoiselle", "Monsieur", "Dr", "Doctor",
    "Lady", "Lord", "Sir", "Dame", "Master", "Mistress", "Captain", "Capt", "Colonel", "Col",
    "Major", "General", "Lieutenant", "Sergeant", "Inspector", "Professor", "Prof", "Rev",
    "Reverend", "Father", "Mother", "Sister", "Brother", "Aunt", "Uncle", "Uncle", "Cousin",
    "Granny", "Grandma", "Grandpa", "King", "Queen", "Prince", "Princess", "Duke", "Duchess",
    "Count", "Countess", "Baron", "Baroness", "Marquis", "Marquise", "Mister", "Missus", "Judge",
    "Officer", "Constable", "Nurse", "Dean", "Saint", "St", "Herr", "Frau", "Fraulein", "Senor",
    "Senora", "Signor", "Signora", "Don", "Dona", "General",
)
FEMALE_TITLES = frozenset({
    "Mrs", "Miss", "Ms", "Mme", "Mlle", "Madame", "Mademoiselle", "Lady", "Dame", "Mistress",
    "Sister", "Mother", "Aunt", "Granny", "Grandma", "Queen", "Princess", "Duchess", "Countess",
    "Baroness", "Marquise", "Missus", "Nurse", "Frau", "Fraulein", "Senora", "Signora", "Dona",
})
MALE_TITLES = frozenset({
    "Mr", "Monsieur", "Lord", "Sir", "Master", "Father", "Brother", "Uncle", "Grandpa", "King",
    "Prince", "Duke", "Count", "Baron", "Marquis", "Mister", "Herr", "Senor", "Signor", "Don",
    "Captain", "Capt", "Colonel", "Col", "Major", "General", "Lieutenant", "Sergeant",
    "Inspector", "Rev", "Reverend",
})
TITLE_SET = frozenset(TITLES)

# Nouns that name a person by role and carry a gender ("the old woman", "his wife").
FEMALE_NOUNS = frozenset({
    "woman", "lady", "girl", "wife", "mother", "sister", "daughter", "aunt", "niece", "queen",
    "duchess", "princess", "widow", "maid", "mistress", "grandmother", "madam", "madame", "hostess",
    "landlady", "housekeeper", "nurse", "governess", "actress", "countess", "bride", "lass",
})
MALE_NOUNS = frozenset({
    "man", "gentleman", "boy", "husband", "father", "brother", "son", "uncle", "nephew", "king",
    "duke", "prince", "lord", "master", "grandfather", "sir", "fellow", "landlord", "host",
    "butler", "footman", "servant", "lad", "doctor", "gent", "stranger", "jew", "beadle", "count",
})

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})


def collapse(text: str) -> str:
    """Whitespace runs (newlines included) become one space; ends stripped."""
    return _WS.sub(" ", text).strip()


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
