"""Speech tags: '"…," said Alice', 'she cried', 'Mr. Darcy, turning, said to her:'.

Pure string functions: tag_after reads the tag that opens the narration after a quote, tag_before
the one that closes the narration before it; each returns the noun phrase the tag names, classified
(a name, a pronoun, a descriptive nominal such as "his wife", or the first-person "I"), its verb and
addressee. Turning that noun phrase into a character is attribution's job. The phrase patterns live
in tag_phrases.py, the subject of a verb in running narration in subjects.py, sentence spans in
sentences.py; the names other modules read from here are re-exported below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import FAMILY, SPEECH_NOUNS, VOICES
from .quote_model import rule_on
from .sentences import ABBREV, last_sentence, sentences
from .subjects import at_clause_start, choose_subject, sentence_subject, subject_candidates
from .tag_phrases import (ADVERB, EPITHET_PROPER, NOMINAL, NOMWORD, NOT_NAMES, NP, NP_AFTER, PRONOUN, PROPER, VERB, clean_np,
                          is_named, np_kind, valid_np)

__all__ = ["ADVERB", "NOT_NAMES", "Tag", "at_clause_start", "last_sentence", "np_kind", "reports_speech",
           "sentence_subject", "sentences", "short_tail", "tag_after", "tag_before", "tells_speech"]

_LEAD = r"^[\s,;:\u2014\u2013\-]*(?:\)\s*)?"  # '("…") Katharine thought': a parenthesis closed before the tag

# the '"…," said Alice' family: verb first (inversion), then the speaker
_AFTER_VERB_FIRST = re.compile(
    _LEAD + r"(?:(?:" + ADVERB + r")\s+)?(?P<verb>" + VERB + r")\b,?(?:\s+or,?\s+rather,?\s+" + VERB + r"\b,?)?"
    r"(?:\s+" + ADVERB + r",?)?\s+(?P<np>" + NP_AFTER + r")")
# '"…," Alice said' / 'she cried' / 'the old man replied'
_AFTER_NP_FIRST = re.compile(
    _LEAD + r"(?:and\s+|then\s+|but\s+)?(?P<np>" + NP_AFTER + r"),?(?:\s+" + ADVERB + r",?)*\s+"
    r"(?:(?:has|was|is|would|could|did|had)\s+)?(?P<verb>" + VERB + r")\b")
# '"…," was her answer' / 'was Henry's answer' / 'was the reply of Mr. Limbkins' / 'was an exclamation of Jill's'
# '"…," was the impatient man's question' / 'was all her answer': the owner may be a description
# ('the'/'a'), or a possessive's kin ('was her husband's answer', rule 'kin-owner-reply': the
# husband, not she -- the sieve reads it only with a cast, since resolved without one it lost more
# than it won); an adverb or 'all' may come first
_DESCRIPTION = r"(?:[Tt]he|an?)\s+(?:" + NOMWORD + r"\s+){0,3}" + NOMWORD
# 'her husband' / 'his mother': a kin noun after a possessive, the owner of 'was her husband's answer'
_KIN_OWNER = r"(?:his|her)\s+(?:" + "|".join(sorted(FAMILY)) + r")"
_AFTER_WAS_REPLY = re.compile(
    _LEAD + r"(?:was|were|came(?:\s+from)?)\s+(?:(?:all|therefore|then|now|only|also|\w+ly)\s+)?"
    r"(?:(?P<nowner>" + _DESCRIPTION + r")(?:['\u2019]s|\s+s)\s+"
    r"|(?P<kowner>" + _KIN_OWNER + r")(?:['\u2019]s|\s+s)\s+|(?P<det>his|her|my|the|their|an?)\s+|(?P<owner>" + PROPER +
    r")(?:['\u2019]s?|\s+s)\s+)(?:(?!s\s)\w+\s+){0,2}?(?:" + "|".join(SPEECH_NOUNS) + r")\b"
    r"(?:\s+of\s+(?P<np>" + PROPER + r"|" + NOMINAL + r"))?")
# '"…!" burst from William' / '"…?" were the first words which burst from Captain Wentworth'
_AFTER_BURST_FROM = re.compile(
    _LEAD + r"(?:(?:was|were)\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:words?|cry|exclamation)\s+(?:which|that)\s+)?"
    r"(?P<verb>burst|broke|escaped|came)\s+from\s+(?P<np>" + PROPER + r")\b")
# '"…," he heard Katharine say.': the one heard speaking, when the sentence ends on the verb
_AFTER_HEARD = re.compile(
    _LEAD + r"(?:" + PRONOUN + r"|" + PROPER + r")\s+(?:\w+ly\s+)?(?:heard|could\s+hear)\s+(?P<np>" + PROPER + r"|" +
    NOMINAL + r")\s+(?P<verb>" + VERB + r")\s*[.!?;]")
# '"…" was uttered by Captain Wentworth' / 'were whispered by the old man': a passive speech verb right
# after the quote, its agent after 'by'
_AFTER_PASSIVE_BY = re.compile(
    _LEAD + r"(?:was|were)\s+(?:\w+ly\s+)?(?P<verb>" + VERB + r")\s+by\s+(?P<np>" + PROPER + r"|" + NOMINAL + r")")
# '"…," as Mrs. Lesley said.' / 'as she put it': the quote is what the one named said
_AFTER_AS = re.compile(_LEAD + r"as\s+(?P<np>" + PROPER + r"|he|she)\s+(?P<verb>" + VERB + r")\s*[.;,]")
# '"…," said one' / 'asked one of the men' / 'another cried': someone the narration does not name,
# whom only a cast entry spelt so can name (rule 'one-of-tag')
INDEFINITE = (r"(?:one|another|someone|somebody)(?:\s+of\s+(?:them|us|those|these|"
              r"(?:the|his|her|their)\s+(?:[a-z\-]+\s+){0,2}[a-z\-]+))?")
_AFTER_INDEFINITE = re.compile(
    _LEAD + r"(?:(?:" + ADVERB + r")\s+)?(?P<verb>" + VERB + r")\b,?(?:\s+" + ADVERB + r",?)?\s+(?P<np>" +
    INDEFINITE + r")(?=\s*[,.;:!?\u2014\-]|\s*$|\s+(?:\w+ly|to|in|with|as)\b)")
_AFTER_INDEFINITE_FIRST = re.compile(
    _LEAD + r"(?P<np>" + INDEFINITE + r"),?(?:\s+" + ADVERB + r",?)*\s+(?P<verb>" + VERB + r")\b")
# '"…," he told them.' / 'she told him, after a pause.': a verb of telling with its hearer as object, the
# clause ending there (rule 'told-tag'); 'he told her that …' reports speech
_AFTER_TOLD = re.compile(
    _LEAD + r"(?:(?:and|then)\s+)?(?P<np>" + PRONOUN + r"|" + PROPER + r"|" + NOMINAL + r")\s+(?:\w+ly\s+)?"
    r"(?P<verb>told|assured|reminded|warned|promised)\s+(?P<obj>him|her|them|me|us|" + PROPER +
    r")(?=\s*[,.;!?]|\s*$)")
# '"…?" was all she said.' / 'was all he could say' / 'were the words she spoke' (rule 'all-said-tag')
_AFTER_ALL_SAID = re.compile(
    _LEAD + r"(?:was|were)\s+(?:all|what|the\s+(?:\w+\s+)?words?)\s+(?:that\s+)?(?P<np>" + PRONOUN + r"|" +
    PROPER + r"|" + NOMINAL + r")\s+(?:(?:could|would|had|did)\s+)?(?:\w+ly\s+)?(?P<verb>" + VERB +
    r"|spoke|say|utter|uttered)\b(?=\s*[,.;!?]|\s*$)")
# '"…." Then she cried:' / '"…," suddenly she asked me.': an adverb before the tag's subject
# (rule 'adverb-first-tag')
_AFTER_ADVERB_FIRST = re.compile(
    _LEAD + r"(?:[Tt]hen|[Nn]ow|[Aa]t\s+last|[Aa]t\s+length|(?:[Ss]uddenly|[Pp]resently|[Ff]inally|[Ii]nstantly|[Qq]uickly|"
    r"[Ss]oftly|[Gg]ently|[Ss]lowly))\s*,?\s+(?P<np>he|she|" + PROPER + r")\s+(?:\w+ly\s+)?(?P<verb>" + VERB + r")\b")
_FIRST_WORD = re.compile(r"[\s,]*([A-Z][a-z]+)\b")
_VERB_ONLY = re.compile(VERB)
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
_VERB_IN = re.compile(r"\b(?P<verb>" + VERB + r")\b")
_BAD_AUX = re.compile(r"\b(?:had|has|have|having|not|never|would|could|should|might|must|may|"
                      r"cannot|to|be|been|being)\s+(?:\w+ly\s+)?$")


@dataclass(frozen=True)
class Tag:
    """A speech tag found next to a quote."""

    np: str  # the words naming the speaker, as written
    kind: str  # "name" | "pronoun" | "nominal" | "first-person"
    verb: str
    np_start: int  # offset of np in the narration string searched
    addressee: str | None = None  # 'said X to Jane' -> 'Jane'
    passive: bool = False  # 'was the reply', 'accosted by X'
    kin_owner: bool = False  # 'was her husband's answer': a relative, found only with a cast


def _subject_np(m, narration: str, known) -> str | None:
    """The subject a tag pattern's match names, when it may be a tag's subject (else None)."""
    if m and valid_np(m.group("np"), subject=True, named=is_named(known, narration, m.start("np"))):
        return clean_np(m.group("np"))
    return None


def _addressee(rest: str, verb: str = "") -> str | None:
    """Whom a tag says the words were spoken to: 'said he to her' / 'she asked him'."""
    m = _TO_WHOM.match(rest) or _TO_OBJECT.match(rest)
    if m:
        return clean_np(m.group("np"))
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


_VOICE_OF = re.compile(r"(?:the|a)\s+(?:\w+\s+)?(?:" + "|".join(sorted(VOICES)) + r")\s+of\s+(?P<np>" +
                       EPITHET_PROPER + r"|" + PROPER + r"|" + NOMINAL + r")")
_POSSESSED = re.compile(r"['\u2019]s\s+(?P<noun>[a-z][\w\-]*)\b")
# 'answered Daisy s mamma': a text that lost its apostrophes ('doesn t', 'Laurentina s skeleton')
# leaves the possessive 's' a word of its own (rule 'lost-apostrophe')
_POSSESSED_LOST = re.compile(r" s\s+(?P<noun>[a-z][\w\-]*)\b")

def tag_after(narration: str, known=None) -> Tag | None:
    """The tag that opens the narration right after a quote: ', said Alice' / ' she cried'.

    known(text, pos) -> name|None, when given, tells a character's name from a participle."""
    first = _FIRST_WORD.match(narration)
    if first and _VERB_ONLY.fullmatch(first.group(1).lower()):  # '"…," Said Hamidullah': a capital by mistake
        narration = narration[:first.start(1)] + narration[first.start(1)].lower() + narration[first.start(1) + 1:]
    m = _AFTER_VERB_FIRST.match(narration)
    if m and valid_np(m.group("np"), named=is_named(known, narration, m.start("np"))):
        np = clean_np(m.group("np"))
        kind = np_kind(np)
        owner = _VOICE_OF.match(narration, m.start("np"))
        if owner and valid_np(owner.group("np")):  # 'said the voice of Mr. Haq': Mr. Haq speaks
            np = clean_np(owner.group("np"))
            return Tag(np, np_kind(np), m.group("verb"), owner.start("np"),
                       _addressee(narration[owner.end():], m.group("verb")))
        owned = _POSSESSED.match(narration, m.start("np") + len(np)) or (
            _POSSESSED_LOST.match(narration, m.start("np") + len(np)) if rule_on("lost-apostrophe") else None)
        if owned and kind in ("name", "nominal"):  # 'said the undertaker's wife': the wife speaks
            return Tag(f"{np}'s {owned.group('noun')}", "nominal", m.group("verb"), m.start("np"),
                       _addressee(narration[owned.end():], m.group("verb")))
        if kind != "pronoun" or np.lower() in ("he", "she", "i", "it"):
            return Tag(np, kind, m.group("verb"), m.start("np"), _addressee(narration[m.end():], m.group("verb")))
    m = _AFTER_NP_FIRST.match(narration)
    if (np := _subject_np(m, narration, known)) is not None:
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"), _addressee(narration[m.end():], m.group("verb")))
    m = _AFTER_HEARD.match(narration)
    if (np := _subject_np(m, narration, known)) is not None:
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"))
    m = _AFTER_PASSIVE_BY.match(narration)
    if m and valid_np(m.group("np")):  # '"Thank God!" was uttered by Captain Wentworth'
        np = clean_np(m.group("np"))
        return Tag(np, np_kind(np), m.group("verb") + " by", m.start("np"), passive=True)
    m = _AFTER_BURST_FROM.match(narration)
    if m and valid_np(m.group("np")):
        np = clean_np(m.group("np"))
        return Tag(np, np_kind(np), m.group("verb") + " from", m.start("np"), passive=True)
    m = _AFTER_AS.match(narration) if rule_on("as-tag") else None
    if (np := _subject_np(m, narration, known)) is not None:
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"))
    m = _AFTER_TOLD.match(narration) if rule_on("told-tag") else None
    if (np := _subject_np(m, narration, known)) is not None:
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"), m.group("obj"))
    m = _AFTER_ALL_SAID.match(narration) if rule_on("all-said-tag") else None
    if (np := _subject_np(m, narration, known)) is not None:
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"))
    m = _AFTER_ADVERB_FIRST.match(narration) if rule_on("adverb-first-tag") else None
    if (np := _subject_np(m, narration, known)) is not None:
        return Tag(np, np_kind(np), m.group("verb"), m.start("np"), _addressee(narration[m.end():], m.group("verb")))
    m = (_AFTER_INDEFINITE.match(narration) or _AFTER_INDEFINITE_FIRST.match(narration)) if rule_on("one-of-tag") else None
    if m:
        np = clean_np(m.group("np"))
        return Tag(np, "indefinite", m.group("verb"), m.start("np"))
    m = _AFTER_WAS_REPLY.match(narration)
    if m:
        if m.group("owner") and valid_np(m.group("owner")):  # 'was Henry's answer'
            np = clean_np(m.group("owner"))
            return Tag(np, np_kind(np), "reply", m.start("owner"), passive=True)
        if m.group("np"):
            np = clean_np(m.group("np"))
            return Tag(np, np_kind(np), "reply", m.start("np"), passive=True)
        if m.group("nowner") and valid_np(m.group("nowner")):  # 'was her husband's answer'
            np = clean_np(m.group("nowner"))
            return Tag(np, np_kind(np), "reply", m.start("nowner"), passive=True)
        if m.group("kowner"):
            if not rule_on("kin-owner-reply"):
                return None
            np = clean_np(m.group("kowner"))
            return Tag(np, np_kind(np), "reply", m.start("kowner"), passive=True, kin_owner=True)
        det = m.group("det").lower()
        if det in ("a", "an"):
            return None  # 'was an exclamation' names no one without 'of X'
        if det in ("his", "her"):
            return Tag("he" if det == "his" else "she", "pronoun", "reply", m.start("det"), passive=True)
        if det == "my":
            return Tag("I", "first-person", "reply", m.start("det"), passive=True)
        return Tag("", "reply", "reply", m.start("det"), passive=True)
    return None


# rule 'called-name': a description whose own sentence goes on to give its name -- 'said a young
# man who, on account of his usual expression of innocent gloom, was called Sadness' / 'asked a
# boy named Tom' -- is that name's speech; not 'said the man who had called Tom' (Tom is called to)
_CALLED = re.compile(r"(?:,?\s+(?:who|whom)\b[^.;!?\"]{0,120}?\b(?:was|is|had\s+been)\s+(?:\w+ly\s+)?|,?\s+)"
                     r"(?:called|named|nicknamed|known\s+as)\s+(?P<name>" + PROPER + r")")


def called_name(narration: str, end: int) -> tuple[int, str] | None:
    """(offset, name) of the name a tag's description is given right after it ends at `end`; read
    after the verb only ('the same voice called Oliver' before a quote is the voice calling him)."""
    m = _CALLED.match(narration, end)
    if m is None or not valid_np(m.group("name")) or not rule_on("called-name"):
        return None
    return m.start("name"), clean_np(m.group("name"))


def tag_before(narration: str, known=None) -> Tag | None:
    """The tag that closes the narration right before a quote: 'Alice said:' / 'said the King,'.

    known(text, pos) -> name|None, when given, lets the subject be chosen among known characters.
    """
    off, sent = last_sentence(narration)
    m = _BEFORE_BY.search(sent)
    if m and valid_np(m.group("np")):
        np = clean_np(m.group("np"))
        return Tag(np, np_kind(np), "by", off + m.start("np"), passive=True)
    m = _BEFORE_OWNED.search(sent)
    if m and valid_np(m.group("np")):
        np = clean_np(m.group("np"))
        return Tag(np, np_kind(np), "reply", off + m.start("np"), passive=True)
    m = _BEFORE_VERB_FIRST.search(sent)
    if m and valid_np(m.group("np")):
        np = clean_np(m.group("np"))
        return Tag(np, np_kind(np), m.group("verb"), off + m.start("np"))
    # the last speech verb of the sentence, with only a short tail after it
    for vm in reversed(list(_VERB_IN.finditer(sent))):
        tail = sent[vm.end():]
        if not short_tail(tail):
            continue
        head = sent[:vm.start()]
        perfect = None
        if _BAD_AUX.search(head) and not (_LEADS_IN_AUX.search(head) and _LEAD_IN_END.search(tail)):
            perfect = _PERFECT_AUX.search(head) if _HANDS_OVER.search(tail) and rule_on("aux-tag") else None
            if perfect is None:
                return None
        heard = _HEARD.search(head)
        if heard and valid_np(heard.group("np")):
            np = clean_np(heard.group("np"))
            return Tag(np, np_kind(np), vm.group("verb"), off + heard.start("np"), _addressee(tail))
        subj = choose_subject(head, known)
        if subj is None:
            return None
        s, np = subj
        if perfect is not None:
            # the auxiliary must follow its subject, or an aside set off by commas after it
            # ('Hamidullah, determined to …, had said'), not 'It was what she had said,'
            between = head[s + len(np):perfect.start()].strip()
            if np.lower() == "it" or (between and not (between.startswith(",") and between.endswith(","))):
                return None
        return Tag(np, np_kind(np), vm.group("verb"), off + s, _addressee(tail))
    return _handed_over(sent, off, known) or _remark_made(sent, off, known) or _colon_subject(sent, off, known)


# a sentence handing over to the quote with a colon, whatever its verb, that opens with 'he' or
# 'she' ('He lowered his voice:' / 'She turned to George:') is its subject's introduction (rule
# 'colon-subject'); not when it tells what someone perceived ('Lucy heard the words:'), holds a
# speech verb (the grammar above has judged it) or another clause's subject ('He paused so long
# that Mrs. Cosham had time to … ask her niece:'). A name so placed was as often the one spoken
# to ('Aziz cut him short with:' is Fielding's turn ending), so only the pronouns.
_PERCEIVED = re.compile(r"\b(?:heard|hear|hears|hearing|saw|see|sees|read|reads|distinguish|distinguished|caught|"
                        r"noticed|wrote|written|printed|ran|runs|was|were|is|are)\b")


def _colon_subject(sent: str, off: int, known=None) -> Tag | None:
    if not re.search(r":\s*$", sent) or _PERCEIVED.search(sent) or _VERB_IN.search(sent) or not rule_on("colon-subject"):
        return None
    subj = sentence_subject(sent, known)
    if subj is None or subj[1].lower() not in ("he", "she") or sum(c[2] for c in subject_candidates(sent, known)) > 1:
        return None
    return Tag(subj[1], "pronoun", "colon", off + subj[0])


# an act of speech named by a noun that hands the sentence over to the quote: 'with his usual
# ejaculation of' / 'had passed to himself the remark of'. The sentence's subject speaks, unless the
# sentence is passive ('he was opposed by his wife, with the exclamation of')
_NOUN_OF = re.compile(r"\b(?:the|his|her|their|an?)\s+(?:[\w\-]+\s+){0,2}?(?P<verb>(?:" +
                      "|".join(n for n in SPEECH_NOUNS if n not in _WORDS_THEMSELVES) +
                      r")s?)\s+of\s*[,:]?\s*$")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?\w+(?:ed|en)\b")


def _handed_over(sent: str, off: int, known=None) -> Tag | None:
    """The tag of a sentence that hands over to the quote through a speech noun."""
    m = _NOUN_OF.search(sent)
    if m is None:
        return None
    head = sent[:m.start()]
    if _PASSIVE.search(head):  # 'he was eagerly opposed by his wife': not his words
        return None
    subj = _actor(head, known)
    if subj is None:
        return None
    s, np = subj
    return Tag(np, np_kind(np), m.group("verb"), off + s)


def _actor(head: str, known=None) -> tuple[int, str] | None:
    """The subject of the clause that head ends, passing over the verb's object right before the
    end ('She greeted the visitor' -> 'She')."""
    subj = choose_subject(head, known)
    if subj is not None and not head[subj[0] + len(subj[1]):].strip(" ,") and not at_clause_start(head[:subj[0]]):
        # 'She greeted the visitor with the remark of': the phrase right before is the verb's object
        opening = [c for c in subject_candidates(head, known) if c[2]]
        subj = opening[-1][:2] if opening else None
    return subj


# 'she was met with the cry,' / 'was struck by the remark:': passive, as _PASSIVE, with irregular participles
_PASSIVE_MET = re.compile(r"\b(?:was|were|been|being)\s+(?:\w+ly\s+)?(?:met|hit|struck|caught|held|bid|bidden)\b")


# rule 'remark-made-tag': a sentence whose object, ending it with a comma, colon or dash, is an act of
# speech ('She then made her usual remark, which was' / 'she forced out of herself the undigested
# remark:') hands its subject's words to the quote; not a remark perceived or remembered ('Lucy
# heard the remark:', 'He recalled her answer:'), negated, nor another's ('his question' after
# 'she'); a full stop tells the remark ('She held them out with an exclamation.')
_REMARK_MADE = re.compile(r"\b(?P<det>the|a|an|this|his|her)\s+(?:[\w\-]+\s+){0,3}?(?:remark|observation|exclamation|"
                          r"comment|rejoinder|retort|question|answer|reply|speech|announcement)"
                          r"(?:\s*,\s*which\s+was\s*[,:\u2014]?|\s*[,:\u2014])\s*$")
_REMEMBERED = re.compile(r"\b(?:heard|hear|hears|overheard|saw|see|read|reads|noticed|caught|distinguish|distinguished|"
                         r"remembered|remembers|recalled|recalls|recollected|forgot|forgotten|ignored|received|"
                         r"awaited|waited|expected|understood|repeated\s+to\s+(?:him|her)self)\b")
_NEGATED = re.compile(r"\b(?:not|never|without|before|until|till)\b|n't\b")


def _remark_made(sent: str, off: int, known=None) -> Tag | None:
    """The tag of a sentence whose last words name its subject's act of speech (rule 'remark-made-tag')."""
    m = _REMARK_MADE.search(sent)
    if m is None or not rule_on("remark-made-tag"):
        return None
    head = sent[:m.start()]
    if _PASSIVE.search(head) or _PASSIVE_MET.search(head) or _REMEMBERED.search(head) or _NEGATED.search(head):
        return None
    subj = _actor(head, known)
    if subj is None or (subj[1].lower() not in ("he", "she") and np_kind(subj[1]) != "name"):
        return None  # 'It was …', 'The reply …': no one's act
    s, np = subj
    det = m.group("det").lower()
    if det in ("his", "her") and {"he": "her", "she": "his"}.get(np.lower()) == det:
        return None  # 'she answered his question': not hers
    return Tag(np, np_kind(np), "remark", off + s)


# 'ventured to say:' / 'could only say--': a verb after 'to' or 'could' is the speech itself when
# the sentence hands straight over to the quote with a colon or a dash ('seemed to say:' is a look)
_LEADS_IN_AUX = re.compile(r"(?:(?<!seemed )(?<!seems )(?<!appeared )(?<!seeming )\bto|\bcould)\s+(?:\w+ly\s+)?$")
# 'and Cecil had said,' / 'And Aziz would conclude:': a past or habitual speech that the sentence
# hands straight over to the quote is the subject's (not 'had not said', 'would have said')
_PERFECT_AUX = re.compile(r"\b(?:had|would)\s+(?:(?:\w+ly|often|always|once|just|then)\s+)?$")
_HANDS_OVER = re.compile(r"(?:[,:\u2014]|--)\s*$")
_LEAD_IN_END = re.compile(r"(?::|--|\u2014)\s*$")
_HEARD = re.compile(r"\b(?:heard|hear|hears|hearing)\s+(?P<np>" + NP + r")\s+(?:\w+ly\s+)?$")
_TAIL_STOP = frozenset({"that", "if", "whether", "nothing", "so", "it", "this", "how", "what", "why",
                        "no", "yes", "something", "anything", "much", "little", "more", "all"})


# a tail of adjuncts after the verb that hands over to the quote: 'repeated, in the same solemn
# tone, only changing the order of the words a little,' / 'observed to his wife as they drove back
# through the park,' (rule 'long-adjunct'); not reported speech ('that', 'if', 'whether')
_ADJUNCT_OPENERS = frozenset({"to", "with", "in", "at", "only", "without", "upon", "on", "after", "under",
                              "through", "across", "from", "into", "towards", "toward"})
_REPORTING = frozenset({"that", "if", "whether", "how", "what", "why", "who", "which"})


def _adjunct_tail(tail: str, words: list[str]) -> bool:
    return (bool(words) and len(words) <= 16 and re.search(r"(?:[,:\u2014]|--)\s*$", tail) is not None
            and words[0].lower() in _ADJUNCT_OPENERS and not _REPORTING & {w.lower() for w in words}
            and rule_on("long-adjunct"))


def short_tail(tail: str) -> bool:
    """True when what follows a speech verb is a short adjunct ('to her, in a low voice,')."""
    body = tail.rstrip(" ,:;.\u2014-")
    hands_over = tail.rstrip().endswith(":")  # 'said in a strained voice that had no connection with his mind:'
    words = re.findall(r"[\w'\-]+", tail)
    adjunct = _adjunct_tail(tail, words)
    if len(tail) > (160 if adjunct else 120 if hands_over else 80) or any(
            not ABBREV.search(body[max(0, m.start() - 12):m.start() + 1]) for m in re.finditer(r"[.!?;:](?=\s*\S)", body)):
        return False  # a sentence ends in it ('Mrs.' does not end one)
    if len(words) > (14 if hands_over else 9) and not adjunct:
        return False
    if words and words[0].lower() in _TAIL_STOP:
        return False
    return True


# a sentence closed by a full stop whose speech verb goes on, past adverbs and its hearer, to what
# was said or how ('replied very concisely that she was.', 'assured her that it had not been the
# case.', 'replied only by a look of wondering ignorance.', 'replied in the affirmative.', 'agreed
# to it.') has told its speech: closing the paragraph before a quote, it introduces no quote, and
# it was its subject's turn (rule 'reported-tail'). Not after a comma ('said, by way of reply.'),
# which sets off an adjunct; within the quote's own paragraph the teller often goes on in direct
# speech ('he added dully that different people had different points of view. "If you …"').
_REPORTED_TAIL = re.compile(
    r"^\s+(?:(?:\w+ly|only|very|readily|at\s+once|him|her|them|me|us|it)\s+)*"
    r"(?:that|if|whether|by|about|in\s+the\s+(?:affirmative|negative)|to\s+(?:it|this|that|them|him|her))\b"
    r"[^,:;\u2014]*\.\s*$")
_REPORTING_PREDICATE = re.compile(r"^\s+(?:(?:" + ADVERB + r"|only)\s+)*(?P<verb>" + VERB + r")\b")


# rule 'as-spoke': narration after a speech that ends on the speech going on while something else
# is done -- '"No," rejoined the matron, slightly colouring as she spoke.' / 'and he shook her by the
# arm as he spoke.' -- looks back at that speech; it introduces no speech in the next paragraph
_AS_SPOKE = re.compile(r"\b(?:as|while|whilst)\s+(?:he|she|they|I|we|[A-Z][\w\-]+)\s+(?:\w+ly\s+)?"
                       r"(?:spoke|said|was\s+speaking|were\s+speaking)\s*[.!]\s*$")


def speech_goes_on(narration: str) -> bool:
    """Rule 'as-spoke': the narration ends on 'as he spoke.' (see _AS_SPOKE)."""
    return bool(_AS_SPOKE.search(narration)) and rule_on("as-spoke")


def tells_speech(narration: str) -> bool:
    """Rule 'reported-tail': the last sentence of the narration tells a speech as done with its
    last speech verb ('Nell replied very briefly that she was.')."""
    _, sent = last_sentence(narration)
    verbs = list(_VERB_IN.finditer(sent))
    return bool(verbs) and bool(_REPORTED_TAIL.match(sent[verbs[-1].end():])) and rule_on("reported-tail")


def reports_speech(predicate: str) -> bool:
    """Rule 'reported-tail': the predicate after a sentence's subject tells that subject's speech
    as done ('replied very briefly that she was.', 'agreed to it.'), a turn of their own."""
    m = _REPORTING_PREDICATE.match(predicate)
    return bool(m) and bool(_REPORTED_TAIL.match(predicate[m.end():])) and rule_on("reported-tail")

