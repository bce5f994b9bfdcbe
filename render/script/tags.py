"""The grammar of speech tags: '"…," said Alice', 'she cried', 'Mr. Darcy, turning, said to her:'.

Pure string functions: they find the noun phrase a tag names and classify it (a name, a
pronoun, a descriptive nominal such as "his wife", or the first-person "I"); turning that noun
phrase into a character is attribution's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import BODY_PARTS, SPEECH_NOUNS, SPEECH_VERBS, TITLE_SET, VOICES  # noqa: F401  (SPEECH_VERBS: part of this API)

_VERBS = sorted({v for v in SPEECH_VERBS if " " not in v or not v.endswith((" he",))}, key=len, reverse=True)
VERB = r"(?:" + "|".join(v.replace(" ", r"\s+") for v in _VERBS) + r")"

# Adverbs and short phrases that may sit between a speaker and the verb.
ADVERB = (r"(?:(?!only\b|early\b|likely\b|reply\b|family\b|ugly\b)\w+ly|again|then|now|aloud|presently|"
          r"at\s+last|at\s+length|at\s+once|too|also|still|in\s+reply|in\s+return|at\s+first|"
          r"once\s+more|thus|instantly|soon|quickly|softly|hastily|suddenly|half\s+aloud|"
          r"in\s+a\s+\w+\s+voice|with\s+a\s+\w+)")
_TITLE_ALT = "|".join(sorted(TITLE_SET, key=len, reverse=True))
_CAPWORD = r"[A-Z](?:\w|-(?=\w)|'(?![sS]\b))*"  # a capitalised word, possessive 's excluded
PROPER = (r"(?:(?:" + _TITLE_ALT + r")\.?\s+)?(?:(?:de|du|van|von|le|la)\s+)?" + _CAPWORD +
          r"(?:\s+(?:(?:de|van|von|du|la|le)\s+)?" + _CAPWORD + r")*")
_DET = r"(?:the|his|her|my|our|their|this|that|a|an|its|your|The|His|Her|My|Our|Their|This|That|A|An|Its)"
_PAST = (r"(?:was|were|had|did|made|took|went|came|saw|stood|sat|left|got|gave|held|kept|felt|ran|"
         r"rose|fell|began|spoke|said|thought|knew|found|drew|put|set|let|shook|broke|bent|threw|"
         r"caught|led|lay|laid|sprang|struck|swung|woke|wrote|read|meant|sent|spent|stole|told|"
         r"took|won|would|could|should|might|must|may|can|will|shall|is|are|has|have|do|does)\b")
_NOMWORD = (r"(?!(?:to|in|into|with|at|and|as|of|from|who|whom|that|which|for|on|upon|by|was|is|"
            r"had|but|then|when|while|after|before|without|again|very|too|not|now|so|he|she|"
            r"said|replied|cried|asked|in)\b)(?!\w+ly\b)(?!\w{3,}ing\b)(?!\w{3,}ed\b)(?!" + _PAST + r")[\w\-]+")
NOMINAL = _DET + r"\s+(?:" + _NOMWORD + r"\s+){0,3}" + _NOMWORD
PRONOUN = r"(?:he|she|I|He|She|they|They|we|We|it|It)"
# a name after an epithet: 'dour Major Callendar', 'the gentle Mrs. Thorpe', 'old Horace Talbot'
EPITHET_PROPER = r"(?:(?:the|The)\s+)?(?:(?=[a-z])" + _NOMWORD + r"\s+){1,2}(?=[A-Z])" + PROPER
NP = r"(?:" + PRONOUN + r"\b|" + NOMINAL + r"|" + PROPER + r")"
NP_AFTER = r"(?:" + PRONOUN + r"\b|" + EPITHET_PROPER + r"|" + NOMINAL + r"|" + PROPER + r")"  # right after a quote
_LEAD = r"^[\s,;:\u2014\u2013\-]*"

_DETERMINER_WORDS = frozenset({"The", "A", "An", "His", "Her", "My", "Our", "Their", "This", "That"})
PRONOUNS = frozenset({"he", "she", "i", "they", "we", "it"})
POSSESSIVES = frozenset({"his", "her", "my", "our", "their", "its", "your"})

# the '"…," said Alice' family: verb first (inversion), then the speaker
_AFTER_VERB_FIRST = re.compile(
    _LEAD + r"(?:(?:" + ADVERB + r")\s+)?(?P<verb>" + VERB + r")\b,?(?:\s+or,?\s+rather,?\s+" + VERB + r"\b,?)?"
    r"(?:\s+" + ADVERB + r",?)?\s+(?P<np>" + NP_AFTER + r")")
# '"…," Alice said' / 'she cried' / 'the old man replied'
_AFTER_NP_FIRST = re.compile(
    _LEAD + r"(?:and\s+|then\s+|but\s+)?(?P<np>" + NP_AFTER + r"),?(?:\s+" + ADVERB + r",?)*\s+"
    r"(?:(?:has|was|is|would|could|did|had)\s+)?(?P<verb>" + VERB + r")\b")
# '"…," was her answer' / 'was Henry's answer' / 'was the reply of Mr. Limbkins' / 'was an exclamation of Jill's'
_AFTER_WAS_REPLY = re.compile(
    _LEAD + r"(?:was|were|came(?:\s+from)?)\s+(?:(?P<det>his|her|my|the|their|an?)|(?P<owner>" + PROPER +
    r")(?:['\u2019]s?|\s+s))\s+(?:\w+\s+){0,2}?(?:" + "|".join(SPEECH_NOUNS) + r")\b"
    r"(?:\s+of\s+(?P<np>" + PROPER + r"|" + NOMINAL + r"))?")
# '"…!" burst from William' / '"…?" were the first words which burst from Captain Wentworth'
_AFTER_BURST_FROM = re.compile(
    _LEAD + r"(?:(?:was|were)\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:words?|cry|exclamation)\s+(?:which|that)\s+)?"
    r"(?P<verb>burst|broke|escaped|came)\s+from\s+(?P<np>" + PROPER + r")\b")
_TO_WHOM = re.compile(r"^\s*,?\s*(?:to|unto|at)\s+(?P<np>" + NP + r")")
# narration that hands over to a quote: 'when thus accosted by Miss Bingley,'
_BEFORE_BY = re.compile(
    r"\b(?:accosted|addressed|interrupted|greeted|asked|answered|told|hailed|met|questioned)\s+"
    r"by\s+(?P<np>" + PROPER + r"|" + NOMINAL + r")\s*[,:;.\u2014\-]*\s*$")
# a named owner's act of speech closing the narration: 'Elizabeth's reply was,' / 'Mary's reproach of' /
# 'Thorpe's saying very abruptly,'. Not 'her question' (maybe the hearer's: 'he began, not replying to
# her question,'), nor the words themselves ('echoed Miss Ashdown's words' is said by the subject)
_WORDS_THEMSELVES = frozenset({"words", "lips", "language"})
_BEFORE_OWNED = re.compile(
    r"(?P<np>" + PROPER + r")(?:['\u2019]s|\s+s)\s+(?:\w+\s+){0,2}?"
    r"(?:" + "|".join(n for n in SPEECH_NOUNS if n not in _WORDS_THEMSELVES) + r"|saying)\b(?:\s+(?:was|were|of))?"
    r"(?:,?\s+(?:(?:very\s+)?\w+ly|soon\s+afterwards|at\s+last|at\s+once|then|now|again)\b)*\s*[,:\u2014\-]*\s*$")
_BEFORE_VERB_FIRST = re.compile(
    r"(?:^|[,;:]\s*|\s)(?:then\s+|and\s+|thus\s+)?(?P<verb>" + VERB + r")\s+(?P<np>" + PROPER + r"|" +
    NOMINAL + r"|he|she|I)\s*(?:,\s*[^,.!?;:]{0,60})?[,:;.\u2014\-]*\s*$")
_SENTENCE_END = re.compile(r"[.!?;][\"'\u201d\u2019)\]]*\s+(?=[A-Z\"'\u201c\u2018(_])")
_ABBREV = re.compile(r"(?:\b(?:" + _TITLE_ALT + r")|\b[A-Z])\.$")
_VERB_IN = re.compile(r"\b(?P<verb>" + VERB + r")\b")
_SUBJECT = re.compile(r"(?<![\w'])(?:" + PRONOUN + r"(?![\w'])|" + NOMINAL + r"|" + PROPER + r")")
_NOT_SUBJECT_WORDS = frozenset({"it", "this", "that", "so", "nothing", "something", "to", "nor",
                                "but", "they", "we", "all", "one"})
_BAD_AUX = re.compile(r"\b(?:had|has|have|having|not|never|would|could|should|might|must|may|"
                      r"cannot|to|be|been|being)\s+(?:\w+ly\s+)?$")
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
    "Ours", "Theirs", "Its", "These", "Those", "Another", "Other", "Others", "Everyone",
})


@dataclass(frozen=True)
class Tag:
    """A speech tag found next to a quote."""

    np: str  # the words naming the speaker, as written
    kind: str  # "name" | "pronoun" | "nominal" | "first-person"
    verb: str
    np_start: int  # offset of np in the narration string searched
    addressee: str | None = None  # 'said X to Jane' -> 'Jane'
    passive: bool = False  # 'was the reply', 'accosted by X'


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


def _clean_np(np: str) -> str:
    np = re.sub(r"\s+", " ", np.strip().rstrip(",;:"))
    return np


def _addressee(rest: str, verb: str = "") -> str | None:
    """Whom a tag says the words were spoken to: 'said he to her' / 'she asked him'."""
    m = _TO_WHOM.match(rest) or _TO_OBJECT.match(rest)
    if m:
        return _clean_np(m.group("np"))
    if verb.lower() in _ADDRESSING_VERBS:
        m = _DIRECT_OBJECT.match(rest)
        if m:
            return m.group("np")
    return None


# the object pronoun after 'to' ('said he to her'); a verb that takes its hearer as its object
_TO_OBJECT = re.compile(r"^\s*,?\s*(?:to|unto)\s+(?P<np>him|her)\b(?!\s+(?:own|\w+'s)\b)(?=\s*[,.;:!?\-\u2014]|\s*$|\s+\w+ly\b|\s+(?:with|in|as|and)\b)")
_DIRECT_OBJECT = re.compile(r"^\s*(?P<np>him|her)\b(?=\s*[,.;:!?\-\u2014]|\s*$|\s+\w+ly\b|\s+(?:with|in|as|and|again)\b)")
_ADDRESSING_VERBS = frozenset({"asked", "asks", "answered", "answers", "told", "assured", "reminded",
                               "warned", "implored", "entreated", "begged", "besought", "urged",
                               "interrupted", "accosted", "addressed", "questioned", "commanded",
                               "ordered", "cautioned", "coaxed", "corrected"})


def _valid_np(np: str, subject: bool = False, named: bool = False) -> bool:
    """True when np can name a speaker; subject=True when it stands before its verb ('it said');
    named=True when it is a known character's name ('Fielding' is no participle)."""
    words = np.split()
    if not words:
        return False
    if subject and np in ("it", "It"):
        return True
    if words[0].lower() in _NOT_SUBJECT_WORDS:
        return False
    if len(words) > 1 and words[0].rstrip(".") in TITLE_SET:
        return True  # 'Miss Lucas', 'Sir William'
    if subject and not named and len(words) == 1 and words[0][:1].isupper() and words[0].endswith("ing") \
            and len(words[0]) > 5:
        return False  # 'Having …, said' / 'Turning to her, said' (after the verb, 'said Chitling' is a name)
    if words[0] in NOT_NAMES and words[0] not in ("The", "A", "An", "His", "Her", "My", "Our", "Their",
                                                  "He", "She", "I"):
        return False
    return True


_VOICE_OF = re.compile(r"(?:the|a)\s+(?:\w+\s+)?(?:" + "|".join(sorted(VOICES)) + r")\s+of\s+(?P<np>" +
                       EPITHET_PROPER + r"|" + PROPER + r"|" + NOMINAL + r")")
_POSSESSED = re.compile(r"['\u2019]s\s+(?P<noun>[a-z][\w\-]*)\b")


def _is_named(known, text: str, pos: int) -> bool:
    """True when known(text, pos) -- a character-name lookup, if given -- finds a name at pos."""
    return known is not None and known(text, pos) is not None


def tag_after(narration: str, known=None) -> Tag | None:
    """The tag that opens the narration right after a quote: ', said Alice' / ' she cried'.

    known(text, pos) -> name|None, when given, tells a character's name from a participle."""
    m = _AFTER_VERB_FIRST.match(narration)
    if m and _valid_np(m.group("np")):
        np = _clean_np(m.group("np"))
        kind = np_kind(np)
        owner = _VOICE_OF.match(narration, m.start("np"))
        if owner and _valid_np(owner.group("np")):  # 'said the voice of Mr. Haq': Mr. Haq speaks
            np = _clean_np(owner.group("np"))
            return Tag(np, np_kind(np), m.group("verb"), owner.start("np"),
                       _addressee(narration[owner.end():], m.group("verb")))
        owned = _POSSESSED.match(narration, m.start("np") + len(np))
        if owned and kind in ("name", "nominal"):  # 'said the undertaker's wife': the wife speaks
            return Tag(f"{np}'s {owned.group('noun')}", "nominal", m.group("verb"), m.start("np"),
                       _addressee(narration[owned.end():], m.group("verb")))
        if kind != "pronoun" or np.lower() in ("he", "she", "i", "it"):
            return Tag(np, kind, m.group("verb"), m.start("np"), _addressee(narration[m.end():], m.group("verb")))
    m = _AFTER_NP_FIRST.match(narration)
    if m and _valid_np(m.group("np"), subject=True, named=_is_named(known, narration, m.start("np"))):
        np = _clean_np(m.group("np"))
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"), _addressee(narration[m.end():], m.group("verb")))
    m = _AFTER_BURST_FROM.match(narration)
    if m and _valid_np(m.group("np")):
        np = _clean_np(m.group("np"))
        return Tag(np, np_kind(np), m.group("verb") + " from", m.start("np"), passive=True)
    m = _AFTER_WAS_REPLY.match(narration)
    if m:
        if m.group("owner") and _valid_np(m.group("owner")):  # 'was Henry's answer'
            np = _clean_np(m.group("owner"))
            return Tag(np, np_kind(np), "reply", m.start("owner"), passive=True)
        if m.group("np"):
            np = _clean_np(m.group("np"))
            return Tag(np, np_kind(np), "reply", m.start("np"), passive=True)
        det = m.group("det").lower()
        if det in ("a", "an"):
            return None  # 'was an exclamation' names no one without 'of X'
        if det in ("his", "her"):
            return Tag("he" if det == "his" else "she", "pronoun", "reply", m.start("det"), passive=True)
        if det == "my":
            return Tag("I", "first-person", "reply", m.start("det"), passive=True)
        return Tag("", "reply", "reply", m.start("det"), passive=True)
    return None


def last_sentence(narration: str) -> tuple[int, str]:
    """(offset, text) of the final sentence of a narration stretch (titles like 'Mr.' don't end one)."""
    start = 0
    for m in _SENTENCE_END.finditer(narration):
        if _ABBREV.search(narration[max(0, m.start() - 12):m.start() + 1]):
            continue
        if m.end() < len(narration.rstrip()):
            start = m.end()
    return start, narration[start:]


def tag_before(narration: str, known=None) -> Tag | None:
    """The tag that closes the narration right before a quote: 'Alice said:' / 'said the King,'.

    known(text, pos) -> name|None, when given, lets the subject be chosen among known characters.
    """
    off, sent = last_sentence(narration)
    m = _BEFORE_BY.search(sent)
    if m and _valid_np(m.group("np")):
        np = _clean_np(m.group("np"))
        return Tag(np, np_kind(np), "by", off + m.start("np"), passive=True)
    m = _BEFORE_OWNED.search(sent)
    if m and _valid_np(m.group("np")):
        np = _clean_np(m.group("np"))
        return Tag(np, np_kind(np), "reply", off + m.start("np"), passive=True)
    m = _BEFORE_VERB_FIRST.search(sent)
    if m and _valid_np(m.group("np")):
        np = _clean_np(m.group("np"))
        return Tag(np, np_kind(np), m.group("verb"), off + m.start("np"))
    # the last speech verb of the sentence, with only a short tail after it
    for vm in reversed(list(_VERB_IN.finditer(sent))):
        tail = sent[vm.end():]
        if not short_tail(tail):
            continue
        head = sent[:vm.start()]
        if _BAD_AUX.search(head) and not (_LEADS_IN_AUX.search(head) and _LEAD_IN_END.search(tail)):
            return None
        heard = _HEARD.search(head)
        if heard and _valid_np(heard.group("np")):
            np = _clean_np(heard.group("np"))
            return Tag(np, np_kind(np), vm.group("verb"), off + heard.start("np"), _addressee(tail))
        subj = choose_subject(head, known)
        if subj is None:
            return None
        s, np = subj
        return Tag(np, np_kind(np), vm.group("verb"), off + s, _addressee(tail))
    return None


# 'ventured to say:' / 'could only say--': a verb after 'to' or 'could' is the speech itself when
# the sentence hands straight over to the quote with a colon or a dash ('seemed to say:' is a look)
_LEADS_IN_AUX = re.compile(r"(?:(?<!seemed )(?<!seems )(?<!appeared )(?<!seeming )\bto|\bcould)\s+(?:\w+ly\s+)?$")
_LEAD_IN_END = re.compile(r"(?::|--|\u2014)\s*$")
_HEARD = re.compile(r"\b(?:heard|hear|hears|hearing)\s+(?P<np>" + NP + r")\s+(?:\w+ly\s+)?$")
_TAIL_STOP = frozenset({"that", "if", "whether", "nothing", "so", "it", "this", "how", "what", "why",
                        "no", "yes", "something", "anything", "much", "little", "more", "all"})


def short_tail(tail: str) -> bool:
    """True when what follows a speech verb is a short adjunct ('to her, in a low voice,')."""
    body = tail.rstrip(" ,:;.\u2014-")
    if len(tail) > 80 or any(not _ABBREV.search(body[max(0, m.start() - 12):m.start() + 1])
                             for m in re.finditer(r"[.!?;:](?=\s*\S)", body)):
        return False  # a sentence ends in it ('Mrs.' does not end one)
    words = re.findall(r"[\w'\-]+", tail)
    if len(words) > 9:
        return False
    if words and words[0].lower() in _TAIL_STOP:
        return False
    return True


def subject_candidates(head: str, known=None) -> list[tuple[int, str, bool]]:
    """(offset, np, at_clause_start) for each phrase in head that could be a verb's subject."""
    out = []
    for sm in _SUBJECT.finditer(head):
        np, start = sm.group(0), sm.start()
        words = np.split()
        if len(words) > 1 and (words[0] in NOT_NAMES or _opening_adverb(words[0], head, start, known)) \
                and words[0] not in _DETERMINER_WORDS \
                and words[0].rstrip(".") not in TITLE_SET:  # 'Miss Bennet' keeps its title
            start = head.index(words[1], start + len(words[0]))  # 'Then Alice' -> 'Alice'
            again = _SUBJECT.match(head, start)  # 'Then Mrs. Bennet': the title is the name's
            np = again.group(0) if again and again.end() >= sm.end() else head[start:sm.end()]
        if not _valid_np(np, subject=True, named=_is_named(known, head, start)) or _after_preposition(head, start):
            continue
        owned = _POSSESSIVE_S.match(head, sm.end())
        if owned and owned.group("noun").lower() not in BODY_PARTS:
            continue  # 'Miss Derek's attachment' is not her doing; 'Miss Derek's eyes sparkled' is
        kind = np_kind(np)
        if kind == "nominal" and np.split()[0].lower() in POSSESSIVES:
            continue  # 'his second daughter' is an object here, rarely the subject
        if kind == "pronoun" and np.lower() not in ("he", "she", "it"):
            continue
        out.append((start, _clean_np(np), at_clause_start(head[:start])))
    return out


def _opening_adverb(word: str, head: str, pos: int, known=None) -> bool:
    """'Suddenly' in 'Suddenly Mrs. Hilbery turned': an adverb in -ly opening a sentence, not a
    name ('Beverly' when the book knows it)."""
    return len(word) > 5 and word.endswith("ly") and word[0].isupper() and not _is_named(known, head, pos)


_POSSESSIVE_S = re.compile(r"['\u2019]s?\s+(?:own\s+)?(?P<noun>[A-Za-z]+)")
_RELATIVE_WHO = re.compile(r"(?P<np>" + PROPER + r"|" + NOMINAL + r"),\s+who\b(?P<rest>[^.;!?]*)$")


def relative_subject(head: str, known=None) -> tuple[int, str] | None:
    """'She was met by Lydia, who, flying to her, cried': a speech verb inside a relative clause
    ('who ... cried') belongs to the phrase the clause hangs on, wherever that phrase stands
    (after 'by', as an object), and not to a pronoun inside the clause."""
    m = _RELATIVE_WHO.search(head)
    if m is None or not _valid_np(m.group("np"), subject=True, named=_is_named(known, head, m.start("np"))):
        return None
    rest = re.sub(r",?\s*(?:and|then|and\s+then)\s*$", "", m.group("rest"))  # '…, and began': who began
    if re.search(r"\b(?:who|which|that|and|but)\b", rest):
        return None  # another clause starts before the verb
    np = _clean_np(m.group("np"))
    if np_kind(np) == "nominal" and np.split()[0].lower() in POSSESSIVES:
        return None
    return m.start("np"), np


def choose_subject(head: str, known=None) -> tuple[int, str] | None:
    """(offset, np) of the likely subject of a speech verb that ends head.

    The phrase right before the verb wins ('Sir William thus said'); otherwise the last
    phrase that opens a clause ('she asked the Gryphon, and the Gryphon answered'), preferring
    known characters and pronouns over other descriptions.
    """
    rel = relative_subject(head, known)
    if rel is not None:
        return rel
    shared = shared_subject(head, known)
    if shared is not None:
        return shared
    par = parenthesis_subject(head, known)
    if par is not None:
        return par
    m = re.search(r"(?P<np>" + NP + r")(?:\s*,?\s+" + ADVERB + r")*,?\s*$", head)
    if m and _set_off(head, m):
        m = None  # 'Fielding, who didn't dislike Miss Derek, replied': the phrase closes an aside
    if m and _valid_np(m.group("np"), subject=True, named=_is_named(known, head, m.start("np"))) and (
            not _after_preposition(head, m.start("np")) or _for_clause(head, m)):
        np = _clean_np(m.group("np"))
        if np_kind(np) != "nominal" or np.split()[0].lower() not in POSSESSIVES:
            return m.start("np"), np
    cands = _without_appositives(head, subject_candidates(head, known))
    if not cands:
        return None

    def good(c):
        pos, np, start = c
        kind = np_kind(np)
        if kind in ("pronoun", "first-person"):
            return True
        if known is not None:
            return known(head, pos) is not None
        return kind == "name"

    for pool in ([c for c in cands if c[2] and good(c)], [c for c in cands if good(c)],
                 [c for c in cands if c[2]]):
        if pool:
            pos, np, _ = pool[-1]
            return pos, np
    return None


# a verb joined to the clause before it ('…, and said' / 'but said' / 'and then added') shares
# that clause's subject; a subject is a phrase followed by its own verb, outside a subordinate clause
_JOINED_VERB = re.compile(r"(?:,\s*|\s)(?:and|but)(?:\s+then)?(?:\s+\w+ly)?\s*$")
_FINITE_AFTER = re.compile(r"(?:,[^,;:.!?]{1,40},)?\s+(?:\w+ly\s+)?(?:\w{2,}ed|" + _PAST + r")")
_SUBORDINATE = re.compile(r"\b(?:as|when|while|whilst|if|though|although|because|till|until|since|where|"
                          r"who|whom|which|whose|whenever|what|how|why)\b", re.I)


def shared_subject(head: str, known=None) -> tuple[int, str] | None:
    """'Mr. Shepherd laughed, as he knew he must, at this wit, and then added': the verb after
    'and' belongs to the last main clause's subject ('Mr. Shepherd'), not to the pronoun of the
    'as' clause between them."""
    if not _JOINED_VERB.search(head):
        return None
    found = None
    end = -1
    for i, (pos, np, opens) in enumerate(subject_candidates(head, known)):
        if pos < end:
            continue  # 'Honeychurch' inside 'Mrs. Honeychurch' again
        end = pos + len(np)
        if not (opens or i == 0) or not _FINITE_AFTER.match(head, end):
            continue  # 'saw Fielding crouched': an object
        clause = head[max(head.rfind(",", 0, pos), head.rfind(";", 0, pos), 0):pos]
        if _SUBORDINATE.search(clause) and "," in head[end:]:
            continue  # 'as he knew he must, …': a clause closed before the verb
        kind = np_kind(np)
        if kind in ("pronoun", "first-person") or (known(head, pos) is not None if known is not None
                                                   else kind == "name"):
            found = (pos, np)
    return found


def _set_off(head: str, m) -> bool:
    """The phrase before the verb is cut off from it by a comma and does not open a clause, so it
    ends an aside ('…, who didn't dislike Miss Derek, replied' / '…, every inch an Englishman,
    replied') rather than being the verb's subject."""
    return "," in head[m.end("np"):] and not at_clause_start(head[:m.start("np")])


def _without_appositives(head: str, cands: list[tuple[int, str, bool]]) -> list[tuple[int, str, bool]]:
    """'Mr. Haq, the Inspector of Police, flung open the door and said': a description set
    after a name with a comma ('the Inspector') is that name again, not another subject."""
    out = []
    for c in cands:
        prev = out[-1] if out else None
        if prev is not None and np_kind(prev[1]) == "name" and c[1].split()[0].lower() in ("the", "a", "an") \
                and re.fullmatch(r"\s*,\s*", head[prev[0] + len(prev[1]):c[0]]):
            continue
        out.append(c)
    return out


_PARENTHESIS = re.compile(r"(?<![\w'])(?P<np>" + NP + r"),\s+[^,;:.!?\u2014]+,\s*$")


def parenthesis_subject(head: str, known=None) -> tuple[int, str] | None:
    """'Mr. Darcy, drawing near Elizabeth, said': a verb after a phrase set off by commas
    belongs to the subject before the phrase, not to a name or pronoun inside it."""
    m = _PARENTHESIS.search(head)
    if m is None or not (at_clause_start(head[:m.start("np")]) or _ADVERB_END.search(head[:m.start("np")])):
        return None
    np = _clean_np(m.group("np"))
    if not _valid_np(np, subject=True, named=_is_named(known, head, m.start("np"))):
        return None
    kind = np_kind(np)
    if kind == "pronoun" and np.lower() not in ("he", "she"):
        return None
    if kind == "nominal" and (np.split()[0].lower() in POSSESSIVES or known is None
                              or known(head, m.start("np")) is None):
        return None
    return m.start("np"), np


_ADVERB_END = re.compile(r"\b(?:\w+ly|\w+wards|soon|now|then|again|presently|instantly|at\s+once)\s+$")
_CLAUSE_START = re.compile(
    r"(?:^|[,;:(\u2014]|--|\b(?:and|then|but|when|while|as|till|until|so|where|whereupon|who|"
    r"which|before|after|because|though|yet|at\s+last|at\s+length|now|here|there))\s*$", re.I)


def at_clause_start(before: str) -> bool:
    """True when text ending right before a phrase leaves that phrase opening a clause."""
    return not before.strip() or bool(_CLAUSE_START.search(before[-40:]))


def sentences(text: str, start: int = 0, end: int | None = None):
    """(start, end) spans of the sentences in text[start:end] ('Mr.' does not end one)."""
    end = len(text) if end is None else end
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _ABBREV.search(text[max(start, m.start() - 12):m.start() + 1]):
            continue
        yield pos, m.start() + 1
        pos = m.end()
    if pos < end:
        yield pos, end


def sentence_subject(head: str, known=None) -> tuple[int, str] | None:
    """(offset, np) of the phrase that opens a sentence of narration, if it can be a subject."""
    cands = subject_candidates(head, known)
    if cands and cands[0][2]:
        pos, np, _ = cands[0]
        lead = head[:pos].strip()
        if not lead or re.fullmatch(r"(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ss]o|[Yy]et|[Nn]ow|[Hh]ere|[Tt]here)?,?", lead):
            return pos, np
    return None


_PREPOSITIONS = frozenset({"to", "with", "at", "by", "of", "near", "for", "from", "on", "upon",
                           "towards", "toward", "into", "about", "after", "before", "behind",
                           "beside", "than", "like", "round", "around", "over", "under", "and",
                           "along", "across", "through", "against", "among", "amongst", "beneath",
                           "within", "beyond", "past", "in", "inside", "outside"})


def _for_clause(head: str, m) -> bool:
    """'…, for the Rabbit cried out': 'for' before a phrase that runs straight into the verb (no
    comma) is the conjunction, and the phrase is the verb's subject."""
    return bool(re.search(r"\bfor\s*$", head[:m.start("np")])) and "," not in head[m.end("np"):]


_LAST_WORD = re.compile(r"(\w+)$")


def _after_preposition(text: str, pos: int) -> bool:
    head = text[:pos].rstrip()
    # the word before pos: a search over all of head retries at every position; a word longer than
    # the 32-character window is cut, but no preposition is that long, so the answer is the same
    m = _LAST_WORD.search(head, max(0, len(head) - 32))
    return bool(m and m.group(1).lower() in _PREPOSITIONS and m.group(1).lower() != "and")
