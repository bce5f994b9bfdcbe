"""The subject of a speech verb in the narration before it: 'Mr. Darcy, drawing near Elizabeth,
said' -> 'Mr. Darcy'; 'She was met by Lydia, who, flying to her, cried' -> 'Lydia'. Pure string
functions over the phrase patterns of tag_phrases.py; tags.py reads a tag with them.
"""

from __future__ import annotations

import re

from .lexicon import BODY_PARTS, TITLE_SET, VOICES
from .quote_model import rule_on
from .tag_phrases import (ADVERB, DETERMINER_WORDS, NOMINAL, NOT_NAMES, NP, PAST, POSSESSIVES, PRONOUN, PROPER, VERB,
                          clean_np, is_named, np_kind, valid_np)

# a description never opens with 'that'/'this' here: in 'so eagerly that the Gryphon said' or 'At that
# moment Aziz was crying' the word is a conjunction or part of an adverbial, and the phrase after it
# is the subject ('that the Gryphon' would be no speaker at all: valid_np refuses it)
_NOMINAL = r"(?!(?:that|this)\s)" + NOMINAL
_NP = r"(?:" + PRONOUN + r"\b|" + _NOMINAL + r"|" + PROPER + r")"
_SUBJECT = re.compile(r"(?<![\w'])(?:" + PRONOUN + r"(?![\w'])|" + _NOMINAL + r"|" + PROPER + r")")


def subject_candidates(head: str, known=None, possessive: bool = False) -> list[tuple[int, str, bool]]:
    """(offset, np, at_clause_start) for each phrase in head that could be a verb's subject; with
    possessive, also a description such as 'her mother' that opens a clause after a conjunction."""
    out = []
    for sm in _SUBJECT.finditer(head):
        np, start = sm.group(0), sm.start()
        words = np.split()
        if len(words) > 1 and (words[0] in NOT_NAMES or _opening_adverb(words[0], head, start, known)) \
                and words[0] not in DETERMINER_WORDS \
                and words[0].rstrip(".") not in TITLE_SET:  # 'Miss Bennet' keeps its title
            start = head.index(words[1], start + len(words[0]))  # 'Then Alice' -> 'Alice'
            again = _SUBJECT.match(head, start)  # 'Then Mrs. Bennet': the title is the name's
            np = again.group(0) if again and again.end() >= sm.end() else head[start:sm.end()]
        finite = bool(_FINITE_AFTER.match(head, start + len(np)))
        conj = finite and rule_on("conj-subject") and bool(_CONJ_BEFORE.search(head[:start])) \
            and not _REPORTED_THAT.search(head[:start])  # not 'who told them that Wickham had been obliged'
        if _after_preposition(head, start) and not conj:
            # 'before John Thorpe came running upstairs': a conjunction, not a preposition; 'After a
            # pause William said': the name after the preposition's object opens the clause
            tail = _NAME_AFTER_OBJECT.search(np) if rule_on("name-after-object") else None
            if tail is not None and (not np[len(np.split()[0]):tail.start()].strip() or tail.group(0) == "I"):
                tail = None  # 'to the General': the name is the object itself; "I" is no name
            if tail is None or not valid_np(tail.group(0), subject=True, named=is_named(known, head, start + tail.start())):
                continue
            out.append((start + tail.start(), clean_np(tail.group(0)), True))
            continue
        if not valid_np(np, subject=True, named=is_named(known, head, start)):
            continue
        owned = _POSSESSIVE_S.match(head, sm.end())
        if owned and owned.group("noun").lower() not in BODY_PARTS:
            continue  # 'Miss Derek's attachment' is not her doing; 'Miss Derek's eyes sparkled' is
        kind = np_kind(np)
        if kind == "nominal" and np.split()[0].lower() in POSSESSIVES \
                and not (possessive and _person_after_conj(head, start, np)):
            continue  # 'his second daughter' is an object here, rarely the subject
        if kind == "pronoun" and np.lower() not in ("he", "she", "it"):
            continue
        opens = at_clause_start(head[:start]) or bool(_CLEFT_THAT.match(head, 0, start)) or (
            conj and np_kind(np) != "pronoun")
        # '… so that Katharine collected herself and asked' (not 'replied, that he was,': reported speech)
        out.append((start, clean_np(np), opens))
    return out


def _opening_adverb(word: str, head: str, pos: int, known=None) -> bool:
    """'Suddenly' in 'Suddenly Mrs. Hilbery turned': an adverb in -ly opening a sentence, not a
    name ('Beverly' when the book knows it)."""
    return len(word) > 5 and word.endswith("ly") and word[0].isupper() and not is_named(known, head, pos)


# in a cleft sentence the clause after 'that' has the subject: 'It was not till a late hour that Miss
# Bartlett had recovered her luggage and could say …'
_CLEFT_THAT = re.compile(r"\s*(?:[Aa]nd\s+|[Bb]ut\s+)?(?:it|It)\s+(?:was|is)\b[^.;:!?]*\bthat\s*$")
# a subordinate clause closed by a comma right before the verb, after 'and'/'but'
_CLOSED_CLAUSE = re.compile(r"(?P<cut>,?\s*(?:and|but)\s+)(?:when|as\s+soon\s+as|while|whilst|after|before|till|until|"
                            r"though|although|if|since)\s+(?P<body>[^,;:.!?]*),\s*$")
# a pronoun with its own verb after the clause's first word: the main clause has begun ('and as soon as
# her mother appeared on the threshold she ran to her,')
_SECOND_SUBJECT = re.compile(r"^\S+.*?\b(?:he|she|they|we|I)\s+(?:\w+ly\s+)?(?:\w{2,}ed|" + PAST + r")", re.S)
# 'that' after a verb of saying or thinking opens reported speech or a memory, whose subject is not
# the speaker now ('He remembered that Lord Henry had said to him once')
_REPORTED_THAT = re.compile(r"\b(?:" + VERB + r"|told|tell|tells|telling|remembered|remembers|recalled|knew|knows|"
                            r"felt|believed|forgot|heard|fancied|supposed|saw)\b(?:\s+\w+){0,3}\s+that\s*$")
# the name closing a description that follows a preposition: 'a pause William' in 'After a pause William said'
_NAME_AFTER_OBJECT = re.compile(r"(?<=[a-z]\s)" + PROPER + r"$")
# a conjunction that opens a clause when a finite verb follows the phrase after it
_CONJ_BEFORE = re.compile(r"\b(?:that|before|after)\s*$")
_SENTENCE_OPENING = re.compile(r"\s*(?:(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ss]o)\s*,?\s*)?")
_POSSESSIVE_S = re.compile(r"['\u2019]s?\s+(?:own\s+)?(?P<noun>[A-Za-z]+)")
_RELATIVE_WHO = re.compile(r"(?P<np>" + PROPER + r"|" + NOMINAL + r"),\s+who\b(?P<rest>[^.;!?]*)$")


def relative_subject(head: str, known=None) -> tuple[int, str] | None:
    """'She was met by Lydia, who, flying to her, cried': a speech verb inside a relative clause
    ('who ... cried') belongs to the phrase the clause hangs on, wherever that phrase stands
    (after 'by', as an object), and not to a pronoun inside the clause."""
    m = _RELATIVE_WHO.search(head)
    if m is None or not valid_np(m.group("np"), subject=True, named=is_named(known, head, m.start("np"))):
        return None
    rest = re.sub(r",?\s*(?:and|then|and\s+then)\s*$", "", m.group("rest"))  # '…, and began': who began
    if re.search(r"\b(?:who|which|that|and|but)\b", rest):
        return None  # another clause starts before the verb
    np = clean_np(m.group("np"))
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
    sub = _CLOSED_CLAUSE.search(head) if rule_on("closed-clause") else None
    if sub is not None and head[:sub.start()].strip(" ,") and not _SECOND_SUBJECT.search(sub.group("body")):
        # 'He took the hint, and when Mary had finished her second song, said aloud': the verb right
        # after a closed 'when' clause shares the subject of the clause before it, not the 'when' clause's
        return choose_subject(head[:sub.start()] + sub.group("cut"), known)
    shared = shared_subject(head, known)
    if shared is not None:
        return shared
    par = parenthesis_subject(head, known)
    if par is not None:
        return par
    m = re.search(r"(?P<np>" + _NP + r")(?:\s*,?\s+" + ADVERB + r")*,?\s*$", head)
    if m and _set_off(head, m):
        m = None  # 'Fielding, who didn't dislike Miss Derek, replied': the phrase closes an aside
    if m and valid_np(m.group("np"), subject=True, named=is_named(known, head, m.start("np"))) and (
            not _after_preposition(head, m.start("np")) or _for_clause(head, m)):
        np = clean_np(m.group("np"))
        if np_kind(np) != "nominal" or np.split()[0].lower() not in POSSESSIVES \
                or _SENTENCE_OPENING.fullmatch(head[:m.start("np")]) or _opening_adjunct(head[:m.start("np")]) \
                or _opens_clause(head[:m.start("np")], np):
            return m.start("np"), np  # 'His mother said to him,': a description opening the sentence is its subject
    cands = _inside_closed_clause(head, _without_appositives(head, subject_candidates(head, known)))
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


# a phrase right after one of these words is the subject of a relative clause hung on an object
# ('a letter, which she took' / 'the table where she was sitting'); not 'when', 'while' or 'as',
# whose clause may go on to the speech verb ('when Mr. Bumble rushed in, and …, said')
_SUBORDINATOR_END = re.compile(r"\b(?:where|which|whom|whose)\s+$", re.I)


def _inside_closed_clause(head: str, cands: list[tuple[int, str, bool]]) -> list[tuple[int, str, bool]]:
    """Rule 'closed-subordinate': 'He had reached it, and holding out a letter, which she took,
    said' / 'he approached the table where she was sitting; and, while pretending to admire her
    work, said' -- a phrase opening a relative clause that a comma or semicolon
    closes before the verb is that clause's subject, not the verb's, when a 'he' or 'she' before
    it ('In a few minutes he approached') or a name opening a clause can be the verb's."""
    if not rule_on("closed-subordinate"):
        return cands
    out = []
    for c in cands:
        pos, np, opens = c
        if (opens and _SUBORDINATOR_END.search(head[max(0, pos - 12):pos])
                and re.search(r"[,;]", head[pos + len(np):])
                and any(o[1].lower() in ("he", "she") or (o[2] and np_kind(o[1]) == "name") for o in out)):
            continue
        out.append(c)
    return out


# a verb joined to the clause before it ('…, and said' / 'but said' / 'and then added') shares
# that clause's subject; a subject is a phrase followed by its own verb, outside a subordinate clause
_JOINED_VERB = re.compile(r"(?:,\s*|\s)(?:and|but)(?:\s+then)?(?:\s+\w+ly)?\s*$")
_FINITE_AFTER = re.compile(r"(?:,[^,;:.!?]{1,40},)?\s+(?:\w+ly\s+)?(?:\w{2,}ed|" + PAST + r")")
_SUBORDINATE = re.compile(r"\b(?:as|when|while|whilst|if|though|although|because|till|until|since|where|"
                          r"who|whom|which|whose|whenever|what|how|why)\b", re.I)


# rule 'possessive-subject': a sentence opened by an adjunct set off with a comma ('After a short
# pause, her companion added,' / 'At length, his friend said,') leaves the description after it the
# verb's subject, as if it opened the sentence
_OPENING_ADJUNCT = re.compile(r"\s*(?:(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ss]o)\s+)?"
                             r"(?:(?P<prep>[A-Za-z]+)\s+[^,;:.!?]{1,40}|\w+ly),\s*$")
# a sentence opened by a description its verb follows: 'Her partner now drew near, and said,'
_POSSESSIVE_OPENING = re.compile(r"\s*(?:(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ss]o)\s+)?"
                                 r"(?P<np>(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z\-]+\s+){0,2}?[a-z\-]+)"
                                 r"(?=\s+(?:\w+ly\s+|now\s+|then\s+)?(?:\w{2,}ed|" + PAST + r"))")


def _opens_clause(before: str, np: str) -> bool:
    """'…; when her father continued,' / 'she looked up, and her mother said': a possessive
    description of a person right after a conjunction opens a clause of its own, and is the
    subject of the verb that follows it, not an object of the clause before; not a voice or a
    part of the body ('and her voice said:' is the owner's) (rule 'possessive-after-conjunction')."""
    head = np.split()[-1].lower()
    return head not in VOICES and head not in BODY_PARTS and bool(_CLAUSE_CONJUNCTION.search(before)) \
        and rule_on("possessive-after-conjunction")


_CLAUSE_CONJUNCTION = re.compile(r"(?:^|[\s,;:])(?:when|while|whilst|till|until|and|but|then)\s+$")


def _opening_adjunct(before: str) -> bool:
    """Rule 'possessive-subject': before is an opening adjunct closed by a comma."""
    m = _OPENING_ADJUNCT.fullmatch(before)
    if m is None or not rule_on("possessive-subject"):
        return False
    return m.group("prep") is None or m.group("prep").lower() in _PREPOSITIONS - {"and", "like", "than"}


def _possessive_opening(head: str, known=None) -> tuple[int, str] | None:
    """Rule 'possessive-subject': 'Her partner now drew near, and said,' -- a description that
    opens the sentence, with its own verb, is the subject the joined verb shares, when no other
    phrase opens a clause in the sentence."""
    m = _POSSESSIVE_OPENING.match(head)
    if m is None or not rule_on("possessive-subject") or not valid_np(m.group("np"), subject=True):
        return None
    if any(opens for pos, _, opens in subject_candidates(head, known) if pos > m.end("np")):
        return None
    return m.start("np"), clean_np(m.group("np"))


def shared_subject(head: str, known=None) -> tuple[int, str] | None:
    """'Mr. Shepherd laughed, as he knew he must, at this wit, and then added': the verb after
    'and' belongs to the last main clause's subject ('Mr. Shepherd'), not to the pronoun of the
    'as' clause between them."""
    if not _JOINED_VERB.search(head):
        return None
    found = None
    end = -1
    for i, (pos, np, opens) in enumerate(subject_candidates(head, known, rule_on("possessive-clause"))):
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
                                                   else kind == "name") or np.split()[0].lower() in POSSESSIVES:
            found = (pos, np)  # 'when she had finished, her sister kissed her, and said,': the sister
    return found or _possessive_opening(head, known)


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
    np = clean_np(m.group("np"))
    if not valid_np(np, subject=True, named=is_named(known, head, m.start("np"))):
        return None
    kind = np_kind(np)
    if kind == "pronoun" and np.lower() not in ("he", "she"):
        return None
    if kind == "nominal" and (np.split()[0].lower() in POSSESSIVES or known is None
                              or known(head, m.start("np")) is None):
        return None
    return m.start("np"), np


# rule 'possessive-clause': a conjunction or comma right before a description opens its clause, so
# the description is that clause's subject, and a verb joined to it shares it ('when she had
# finished, her sister kissed her, and said,' / 'but her mother only shook her head and said,')
_CONJ_END = re.compile(r"(?:,|\b(?:and|but|while|whilst))\s*$")


def _person_after_conj(head: str, pos: int, np: str) -> bool:
    """Rule 'possessive-clause': the description at pos opens a clause after a conjunction or a
    comma, and names a person, not the voice or a part of one ('and her voice said:' is hers)."""
    last = np.split()[-1].lower()
    return bool(_CONJ_END.search(head[:pos])) and last not in VOICES and last not in BODY_PARTS


_ADVERB_END = re.compile(r"\b(?:\w+ly|\w+wards|soon|now|then|again|presently|instantly|at\s+once)\s+$")
_CLAUSE_START = re.compile(
    r"(?:^|[,;:(\u2014]|--|\b(?:and|then|but|when|while|as|till|until|so|where|whereupon|who|"
    r"which|before|after|because|though|yet|at\s+last|at\s+length|now|here|there))"
    r"(?:\s+(?:even|only|also|still|too))?\s*$", re.I)  # 'and even Lydia was too much fatigued'


def at_clause_start(before: str) -> bool:
    """True when text ending right before a phrase leaves that phrase opening a clause."""
    return not before.strip() or bool(_CLAUSE_START.search(before[-40:]))


def fronted_subject(sent: str, known=None) -> tuple[int, str] | None:
    """'Turning from the window, so that the light was at his back, he lit his pipe.' / 'When
    Tom had gone, she sat down again.': a sentence opened by a participle, a preposition, an
    adverb or a subordinate clause closed by a comma has its subject after that comma --
    (offset, np) of the first 'he'/'she' or name there that opens a clause (rule
    'fronted-subject'; sentence_subject wants the subject first)."""
    m = _FRONTED.match(sent)
    if m is None or not rule_on("fronted-subject"):
        return None
    for pos, np, opens in subject_candidates(sent, known):
        if pos >= m.end() and opens and (np_kind(np) == "name" or np.lower() in ("he", "she")):
            return pos, np
    return None


# an opening participle ('Turning'), -ly adverb, preposition or subordinating conjunction, then
# the rest of its phrase up to a comma
_FRONTED = re.compile(r"\s*(?:[A-Z][a-z]+(?:ing|ly)|After|As|At|Before|By|For|From|In|On|Once|Then|When|"
                      r"While|With|Without)\b[^,;:.!?\"\u201c]{0,80},\s")


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
