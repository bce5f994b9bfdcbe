"""The noun phrases and verbs of speech tags: regular-expression pieces for a speaker's name
('Mrs. Ashdown', 'de Vere'), a description ('the old man'), a pronoun, a speech verb and the
adverbs that sit beside it; np_kind classifies a phrase, valid_np tells whether it can name a
speaker at all. Pure string functions, shared by tags.py and subjects.py.
"""

from __future__ import annotations

import re

from .lexicon import COMPANIONS, FAMILY, PERSON_NOUNS, RELATIONS, ROLE_NOUNS, SPEECH_VERBS, TITLE_SET
from .quote_model import rule_on

_VERBS = sorted({v for v in SPEECH_VERBS if " " not in v or not v.endswith((" he",))}, key=len, reverse=True)
VERB = r"(?:" + "|".join(v.replace(" ", r"\s+") for v in _VERBS) + r")"

# Adverbs and short phrases that may sit between a speaker and the verb.
ADVERB = (r"(?:(?!only\b|early\b|likely\b|reply\b|family\b|ugly\b)\w+ly|again|then|now|aloud|presently|"
          r"at\s+last|at\s+length|at\s+once|too|also|still|in\s+reply|in\s+return|at\s+first|"
          r"once\s+more|thus|instantly|soon|quickly|softly|hastily|suddenly|half\s+aloud|"
          r"in\s+a\s+\w+\s+voice|with\s+a\s+\w+)")
TITLE_ALT = "|".join(sorted(TITLE_SET, key=len, reverse=True))
CAPWORD = r"[A-Z](?:\w|-(?=\w)|'(?![sS]\b))*"  # a capitalised word, possessive 's excluded
PROPER = (r"(?:(?:" + TITLE_ALT + r")\.?\s+)?(?:(?:de|du|van|von|le|la)\s+)?" + CAPWORD +
          r"(?:\s+(?:(?:de|van|von|du|la|le)\s+)?" + CAPWORD + r")*")
DET = r"(?:the|his|her|my|our|their|this|that|a|an|its|your|The|His|Her|My|Our|Their|This|That|A|An|Its)"
PAST = (r"(?:was|were|had|did|made|took|went|came|saw|stood|sat|left|got|gave|held|kept|felt|ran|"
        r"rose|fell|began|spoke|said|thought|knew|found|drew|put|set|let|shook|broke|bent|threw|"
        r"caught|led|lay|laid|sprang|struck|swung|woke|wrote|read|meant|sent|spent|stole|told|"
        r"took|won|would|could|should|might|must|may|can|will|shall|is|are|has|have|do|does)\b")
NOMWORD = (r"(?!(?:to|in|into|with|at|and|as|of|from|who|whom|that|which|for|on|upon|by|was|is|"
           r"had|but|then|when|while|after|before|without|again|very|too|not|now|so|he|she|"
           r"said|replied|cried|asked|in)\b)(?!\w+ly\b(?!-))(?!\w{3,}ing\b(?!-))(?!\w{3,}ed\b(?!-))(?!" + PAST + r")[\w\-]+")
NOMINAL = DET + r"\s+(?:" + NOMWORD + r"\s+){0,3}" + NOMWORD
PRONOUN = r"(?:he|she|I|He|She|they|They|we|We|it|It)"
# a name after an epithet: 'dour Major Callendar', 'the gentle Mrs. Thorpe', 'old Horace Talbot'
EPITHET_PROPER = r"(?:(?:the|The)\s+)?(?:(?=[a-z])" + NOMWORD + r"\s+){1,2}(?=[A-Z])" + PROPER
NP = r"(?:" + PRONOUN + r"\b|" + NOMINAL + r"|" + PROPER + r")"
# after the verb a description may hold adjectives in -ly and -ed before its noun ('said a little ugly
# hump-backed man', 'called the shattered voice of Aziz'); as its last word they are adverbs or verbs
_ADJ = r"(?!(?:replied|asked)\b)[a-z][a-z\-]+(?:ly|ed)(?=\s)"
NOMINAL_AFTER = DET + r"\s+(?:(?:" + NOMWORD + r"|" + _ADJ + r")\s+){0,3}" + NOMWORD
NP_AFTER = r"(?:" + PRONOUN + r"\b|" + EPITHET_PROPER + r"|" + NOMINAL_AFTER + r"|" + PROPER + r")"  # right after a quote

DETERMINER_WORDS = frozenset({"The", "A", "An", "His", "Her", "My", "Our", "Their", "This", "That"})
PRONOUNS = frozenset({"he", "she", "i", "they", "we", "it"})
POSSESSIVES = frozenset({"his", "her", "my", "our", "their", "its", "your"})
_NOT_SUBJECT_WORDS = frozenset({"it", "this", "that", "so", "nothing", "something", "to", "nor",
                                "but", "they", "we", "all", "one"})
# Words that begin a sentence but are never a speaker's name.
NOT_NAMES = frozenset({
    "I", "The", "A", "An", "And", "But", "Or", "So", "Then", "Now", "When", "What", "Who", "Why",
    "How", "Where", "Yes", "No", "Oh", "Ah", "Well", "It", "This", "That", "There", "Here", "If",
    "In", "On", "At", "As", "For", "Of", "To", "With", "By", "Not", "Do", "Don't", "Is", "Was",
    "His", "Her", "My", "Our", "Their", "Your", "We", "You", "They", "He", "She", "Chapter",
    "CHAPTER", "Upon", "After", "Before", "Presently", "Again", "Indeed", "Perhaps", "Still",
    "Nay", "Aye", "Ay", "Sir", "Madam", "Ma'am", "Mamma", "Papa", "Mama", "God", "Heaven",
    "Lord", "Good", "Dear", "Very", "Quite", "Only", "Just", "Even", "Thus", "Some", "Such",
    "All", "Both", "Each", "Every", "Many", "Much", "More", "Most", "Nothing", "Everything",
    "Something", "Anything", "Nobody", "Everybody", "Somebody", "Anybody", "One", "Two",
    "Alas", "Hush", "Pray", "Please", "Thank", "Thanks", "Come", "Go", "Let", "See", "Look",
    "Listen", "Hallo", "Hello", "Halloa", "Hey", "Ha", "Hm", "Hum", "Eh", "Bah", "Pooh", "Pshaw",
    "Heavens", "Mr", "Mrs", "Miss", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December", "English", "French", "London",
    "Christmas", "Once", "Twice", "Whilst", "While", "Though", "Although", "Because", "Since",
    "Till", "Until", "Unless", "Whether", "Besides", "Meanwhile", "However", "Yet", "Nor",
    "Instead", "Why", "Whose", "Which", "Whom", "Whatever", "Wherever", "Mine", "Yours",
    "Ours", "Theirs", "Its", "These", "Those", "Another", "Other", "Others", "Everyone", "None",
})


def np_kind(np: str) -> str:
    """Classify a speaker noun phrase: name, pronoun, nominal ('his wife') or first-person."""
    words = np.split()
    w0 = words[0].lower() if words else ""
    if np.strip() == "I":
        return "first-person"
    if len(words) == 1 and w0 in PRONOUNS:
        return "pronoun"
    if w0 in POSSESSIVES or w0 in ("this", "that"):
        return "nominal"
    if w0 in ("the", "a", "an"):
        # 'the Hatter' / 'the Mock Turtle' name a character; 'the old man' describes one
        return "name" if words[-1][:1].isupper() else "nominal"
    return "name"


def clean_np(np: str) -> str:
    """The words naming a speaker, without what the tag pattern swept in after them: a dash that
    runs into the quote ('cried her brother--"because he does not write"') and an adverb of time
    ('continued her mother soon afterwards') (rule 'np-tail')."""
    np = re.sub(r"\s+", " ", np.strip().rstrip(",;:"))
    if not rule_on("np-tail"):
        return np
    words = np.rstrip("-\u2013\u2014 ").split()
    while len(words) > 2 and words[-1].lower() in _TAIL_ADVERBS:
        words.pop()
    return " ".join(words)


# adverbs of time a writer puts after the speaker of a tag, never the last word of a description
_TAIL_ADVERBS = frozenset({"soon", "afterwards", "afterward", "thereupon"})


def valid_np(np: str, subject: bool = False, named: bool = False) -> bool:
    """True when np can name a speaker; subject=True when it stands before its verb ('it said');
    named=True when it is a known character's name ('Fielding' is no participle, 'Two' no numeral)."""
    words = np.split()
    if not words:
        return False
    if subject and np in ("it", "It"):
        return True
    if words[0].lower() in _NOT_SUBJECT_WORDS:
        return demonstrative_person(words)
    if len(words) > 1 and words[0].rstrip(".") in TITLE_SET:
        return True  # 'Miss Lucas', 'Sir William'
    if subject and not named and len(words) == 1 and words[0][:1].isupper() and words[0].endswith("ing") \
            and len(words[0]) > 5:
        return False  # 'Having …, said' / 'Turning to her, said' (after the verb, 'said Chitling' is a name)
    if words[0] in NOT_NAMES and words[0] not in ("The", "A", "An", "His", "Her", "My", "Our", "Their",
                                                  "He", "She", "I"):
        return named and len(words) == 1  # 'Two began' / 'said Two' when the book names a character Two
    return True


# nouns that a demonstrative turns into someone in the scene ('said this young lady'); not 'one',
# 'other' or 'people' ('that one' points at a thing as often as at a person)
_PERSON_HEADS = (PERSON_NOUNS - {"one", "other", "people", "face", "voice"}) | ROLE_NOUNS | FAMILY | RELATIONS | COMPANIONS


def demonstrative_person(words: list[str]) -> bool:
    """Rule 'demonstrative-speaker': 'this young lady', 'that gentleman', 'this figure' --
    a demonstrative before a noun for a person names someone in the scene, as 'the' would
    ('"…," said this young lady calmly.', '"…," asked this lady.'). Only when the phrase ends on
    such a noun: after a speech verb 'that' mostly opens what was said ('said that he would')."""
    return (len(words) >= 2 and words[0].lower() in ("this", "that")
            and words[-1].lower() in _PERSON_HEADS and rule_on("demonstrative-speaker"))


def is_named(known, text: str, pos: int) -> bool:
    """True when known(text, pos) -- a character-name lookup, if given -- finds a name at pos."""
    return known is not None and known(text, pos) is not None

