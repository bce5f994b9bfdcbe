"""Speech by a group or by an unnamed extra: lines no named character speaks.

'"Afraid!" murmured the crowd.', '"Not heard of them?" both cried.', '"Hear, hear!" said voices.'
are spoken by several people at once (rule 'group-speech'); '"Now, then!" cried a voice from
below.', '"…," said another gentleman.', 'one of the ladies said' by someone the book does not
name (rule 'unnamed-speaker'). Giving such a line to the nearest named character puts a main
character's voice on the crowd's words, so the sieve leaves these quotes to no character
(speaker None, the rule recording why: `Quote.leave_unvoiced`) and the script reads them with
the narrator's voice. A phrase a cast entry or a known name fits ('said a high piping voice'
with a cast entry 'A High Piping Voice') is not an extra: the tag rules read it as before.

`extra_kind` classifies a tag's subject phrase; `untagged_extra` finds such a subject in tags
the tag rules do not parse ('both cried', 'they chorused', 'said one woman').
"""

from __future__ import annotations

import re

from .lexicon import GROUP_NOUNS, GROUP_PRONOUNS, INDEFINITE_PERSONS, IRREGULAR_PLURALS, ORDINALS, VOICES
from .quote_model import ANAPHORIC, Quote, rule_on
from .tag_phrases import ADVERB, VERB

GROUP, UNNAMED = "group-speech", "unnamed-speaker"

# numbers and quantifiers before a plural ('the two women', 'several voices')
_QUANTIFIERS = frozenset({"the", "these", "those", "some", "several", "many", "few", "two", "three", "four",
                          "five", "six", "both", "all", "other", "a"})
# words after a tag's noun that say where the speaker is, not who ('a gentleman inside')
_WHERE = frozenset({"inside", "outside", "without", "within", "below", "above", "behind", "together",
                    "around", "near", "present", "simultaneously", "aloud", "again"})
# a preposition or determiner right before a phrase makes it no subject ('to one of them said')
_NOT_BEFORE = frozenset({"of", "to", "at", "with", "by", "for", "from", "in", "on", "upon", "the", "a", "an",
                         "his", "her", "their", "my", "our", "your", "its", "that", "which", "who", "whom"})


def _plural(word: str) -> bool:
    """A lower-case English plural noun ('ladies', 'voices', 'members', 'women'); not a
    singular in -ss, -us or -is ('hostess', 'genius', 'marquis')."""
    return word.islower() and (word in IRREGULAR_PLURALS or (
        len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))))


def extra_kind(np: str) -> str | None:
    """GROUP for a subject phrase naming several people ('they', 'both', 'the crowd', 'the two
    women', 'the other members', 'voices'), UNNAMED for one person left unnamed ('someone',
    'another', 'one of the ladies', 'one woman', 'a gentleman', 'a third'), else None
    ('the man', 'Aziz', 'his wife' are the other tag rules' business)."""
    raw = [w.strip(",.;:") for w in np.split()]
    while len(raw) > 1 and raw[-1].lower() in _WHERE:
        raw.pop()
    if not raw or not all(w.replace("-", "").isalpha() for w in raw):
        return None
    words = [w.lower() for w in raw]
    first, head = words[0], words[-1]
    if first in GROUP_PRONOUNS:
        return GROUP  # 'they', 'both', 'each', 'all the men', 'both of them'
    if first in INDEFINITE_PERSONS and (len(words) <= 2 or words[1] == "of"):
        return UNNAMED  # 'someone', 'one of the ladies', 'another gentleman', 'one woman'
    if "of" in words:  # 'the farmer of infants' is one farmer
        raw, words = raw[:words.index("of")], words[:words.index("of")]
        head = words[-1] if words else ""
    if not words or head in VOICES:
        return None  # 'said a gruff voice' is often a character not yet seen: the tag rules decide
    if first in ("a", "an") and len(words) == 2 and head in ORDINALS:
        return UNNAMED  # 'a third'
    if (first in _QUANTIFIERS or len(words) == 1) and _plural(raw[-1]) and (
            first not in ("a", "an") or words[1] == "few"):
        return GROUP  # 'the ladies', 'the two women', 'the other members', 'voices'
    if first in ("the", "a") and head in GROUP_NOUNS and len(words) <= 3:
        return GROUP  # 'the crowd', 'the board', 'a whole crowd'
    if first in ("a", "an") and 2 <= len(words) <= 4:
        return UNNAMED  # 'a voice', 'a pleasant voice', 'a man', 'a gentleman inside'
    return None


_LEAD = r"^[\s,;:\u2014\u2013\-]*"
_WORDS = r"(?P<np>[A-Za-z][\w\-]*(?:\s+[a-z][\w\-]*){0,4}?)"
_END = r"(?=\s*[,.;:!?\u2014\-]|\s*$|\s+(?:\w+ly|to|in|with|as|from|on|at|who|which|that|and|not|out|together)\b)"
# '"…," said one woman.' / '"…," cried several voices': the verb first, the subject after it
_AFTER_VERB_FIRST = re.compile(_LEAD + r"(?:" + ADVERB + r"\s+)?(?P<verb>" + VERB + r")\b,?(?:\s+" + ADVERB +
                               r",?)?\s+" + _WORDS + _END)
# '"…," both cried.' / 'they chorused' / 'each thought'
_AFTER_NP_FIRST = re.compile(_LEAD + r"(?:and\s+|then\s+|but\s+)?" + _WORDS + r",?(?:\s+" + ADVERB +
                             r",?)*\s+(?P<verb>" + VERB + r")\b")
# 'In the midst of the din someone said, "…"' / 'They murmured, "…"': the verb ends the narration
_BEFORE = re.compile(r"(?P<lead>^|.*?[\s,;:.!?\u2014])(?P<np>(?:[A-Za-z][\w\-]*\s+){0,4}[A-Za-z][\w\-]*)"
                     r"(?:\s+" + ADVERB + r")*\s+(?P<verb>" + VERB + r")(?:\s+" + ADVERB + r")*\s*[,:\u2014\-]+\s*$",
                     re.S)


def _subject_at_end(head: str) -> tuple[str, str] | None:
    """(kind, phrase) for the longest run of words ending head that extra_kind reads as a group
    or an unnamed person and that stands where a subject can ('the din someone' -> 'someone')."""
    words = head.split()
    for k in range(min(5, len(words)), 0, -1):
        np = " ".join(words[-k:])
        before = words[-k - 1].lower().strip(",;:") if len(words) > k else ""
        kind = extra_kind(np)
        if kind and before not in _NOT_BEFORE:
            return kind, np
    return None


def untagged_extra(after: str | None, before: str | None) -> tuple[str, str, int] | None:
    """(kind, phrase, where the phrase ends in after, or -1 in before) when the narration right
    after a quote opens with, or the narration right before it ends with, a speech verb whose
    subject is a group or an unnamed person."""
    if after and continues_sentence(after):
        for rx in (_AFTER_VERB_FIRST, _AFTER_NP_FIRST):
            m = rx.match(after)
            if m:
                kind = extra_kind(m.group("np"))
                if kind == UNNAMED and voiced(after, m.start("np")):
                    return None  # 'cried a loud, hoarse voice'
                if kind:
                    return kind, m.group("np"), m.end("np")
    if before:
        m = _BEFORE.match(before)
        found = _subject_at_end(m.group("np")) if m else None
        if found:
            return found[0], found[1], -1
    return None


def voiced(narr: str, start: int) -> bool:
    """The phrase of a tag starting at start speaks of a voice ('cried a loud, hoarse voice'),
    which is often a character not yet seen: the tag rules decide those."""
    m = re.match(r"[^.;:!?\u2014]*", narr[start:])
    # up to a preposition: 'said another gentleman in a gruff voice' is a gentleman speaking
    phrase = re.split(r"\b(?:in|with|from|at|to|as|of|by)\b", m.group().lower())[0]
    return bool(VOICES & set(re.findall(r"[a-z]+", phrase)))


def continues_sentence(after: str) -> bool:
    """The narration after a quote goes on with the quote's sentence, as a tag does ('"…!" both
    cried'); 'The company laughed.' after a quote starts a sentence of its own."""
    m = re.search(r"[A-Za-z]", after)
    return m is not None and m.group().islower()


def introduces(before: str, tag) -> bool:
    """The narration before a quote ends on its tag ('One of the ladies said,'), its subject
    before its verb: 'The ladies agreed.' ends a sentence, 'being called a naughty boy' names
    no speaker."""
    end = before.rstrip()
    return end.endswith((",", ":", "\u2014", "-")) and before.find(tag.verb, tag.np_start + len(tag.np)) >= 0


# 'the other', 'the first', 'the second': one of a set the narration has just counted off
_CORRELATIVES = frozenset({"the other", "the first", "the second", "the third", "the fourth"})


def correlative_of_extra(np: str, q: Quote, before: dict) -> bool:
    """Rule 'unnamed-correlative': '"Young wretch!" said one woman. / "Go home," said the
    other.' -- 'the other' (or 'the first', 'the second') answering a line an unnamed person
    spoke in the quote paragraphs just before is another of those unnamed people, not the
    partner of a named exchange. The earlier quotes are gathered only for such a phrase."""
    return (" ".join(np.lower().split()) in _CORRELATIVES and rule_on("unnamed-correlative")
            and any(x.rule == UNNAMED for x in earlier_quotes(q, before)))


def earlier_quotes(q: Quote, before: dict, paras: int = 2) -> list[Quote]:
    """The quotes of q's paragraph before q and of the quote paragraphs right before it (at
    most `paras`, each within one narration paragraph of the next); before: id(paragraph) ->
    the paragraph before it in its chapter."""
    out = q.para.quotes[:q.para.quotes.index(q)]
    p, found, gap = q.para, 0, 0
    while found < paras and gap <= 1:
        p = before.get(id(p))
        if p is None:
            break
        if p.quotes:
            out, found, gap = p.quotes + out, found + 1, 0
        else:
            gap += 1
    return out


def mark_extra(q: Quote, kind: str) -> bool:
    """Leave q to no character: spoken by a group (GROUP) or an unnamed person (UNNAMED)."""
    return rule_on(kind) and q.leave_unvoiced(kind, ANAPHORIC)


def follows_extra(q: Quote) -> str | None:
    """'"Oho!" said the board, looking very knowing; "we are the fellows …"': the kind of extra
    who spoke the quote right before q in its paragraph, when only their tag stands between."""
    p = q.para
    k = p.quotes.index(q)
    if k == 0:
        return None
    prev = p.quotes[k - 1]
    if prev.rule not in (GROUP, UNNAMED) or prev.speaker is not None or q.seg - prev.seg != 2:
        return None
    between = p.narration_after(prev)
    if between and continues_sentence(between) and rule_on("extra-continued"):
        return prev.rule  # '"…," said the other, looking round her. "No, no, no."'
    return prev.rule if between and untagged_extra(between, None) else None

