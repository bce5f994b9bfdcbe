"""Speaker attribution: an ordered sieve of small rules, most precise first.

Every quote starts unattributed. Each rule looks at one quote (and the narration and quotes
around it) and either names a speaker -- recording its own name and a confidence -- or leaves
the quote for the next rule. A quote no rule decides keeps speaker None: it is marked, never
guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .characters import Character, CharacterIndex
from .normalize import noun_gender, pronoun_gender, strip_title, TITLE_SET
from .quotes import NARRATION, QUOTE, Segment

# ---------------------------------------------------------------------------------------------
# vocabulary

SPEECH_VERBS = (
    "said", "says", "say", "saying", "cried", "cries", "asked", "asks", "replied", "replies",
    "answered", "answers", "exclaimed", "exclaims", "returned", "continued", "continues", "added",
    "adds", "observed", "remarked", "repeated", "whispered", "whispers", "shouted", "called",
    "muttered", "mutters", "murmured", "murmurs", "began", "begins", "thought", "interrupted",
    "rejoined", "retorted", "inquired", "enquired", "demanded", "sighed", "laughed", "screamed",
    "groaned", "growled", "pleaded", "protested", "urged", "explained", "suggested", "declared",
    "resumed", "responded", "echoed", "stammered", "faltered", "persisted", "insisted",
    "ejaculated", "hissed", "roared", "sobbed", "snapped", "grumbled", "agreed", "admitted",
    "went on", "goes on", "broke in", "put in", "cut in", "chimed in", "struck in", "wailed",
    "yelled", "bawled", "shrieked", "squeaked", "sneered", "smiled", "grinned", "nodded",
    "concluded", "proceeded", "pursued", "objected", "assented", "acknowledged", "announced",
    "argued", "babbled", "bellowed", "blurted", "boasted", "chuckled", "commented", "complained",
    "confessed", "corrected", "cried out", "called out", "shouted out", "drawled", "gasped",
    "giggled", "grunted", "howled", "implored", "joked", "lamented", "mumbled", "mused",
    "panted", "pleaded", "prayed", "promised", "quoth", "raved", "reasoned", "recollected",
    "reflected", "remonstrated", "reminded", "reported", "resolved", "retorted", "screeched",
    "shouted", "snarled", "sneered", "snorted", "spoke", "sputtered", "stated", "stormed",
    "thundered", "told", "twittered", "uttered", "ventured", "volunteered", "vowed", "wept",
    "wheezed", "whined", "whimpered", "wondered", "yawned", "exclaiming", "replying", "crying",
    "asking", "answering", "adding", "observing", "returning", "continuing", "remarking",
    "whispering", "muttering", "murmuring", "interrupting", "rejoining", "inquiring", "enquiring",
    "thinks", "think", "hollered", "called after", "sang", "sings", "explains", "apologised",
    "apologized", "assured", "cautioned", "warned", "entreated", "hazarded", "intervened",
    "queried", "sniffed", "scoffed", "soliloquized", "soliloquised", "whistled", "demands",
    "repeats", "returns", "observes", "remarks", "replies", "answers",
)
_VERBS_SORTED = sorted(set(SPEECH_VERBS), key=len, reverse=True)
VERB = r"(?:" + "|".join(v.replace(" ", r"\s+") for v in _VERBS_SORTED) + r")"

# Adverbs and short phrases that may sit between a name and its verb.
ADVERB = (r"(?:\w+ly|again|then|now|aloud|presently|at\s+last|at\s+length|at\s+once|too|also|"
          r"still|in\s+reply|in\s+return|at\s+first|once\s+more|quickly|softly|hastily|suddenly)")

_TITLE_ALT = "|".join(sorted(TITLE_SET, key=len, reverse=True))
PROPER = (r"(?:(?:" + _TITLE_ALT + r")\.?\s+)?[A-Z][\w'\-]*(?:\s+(?:(?:de|van|von|du|la|le)\s+)?"
          r"[A-Z][\w'\-]*)*")
NOMINAL = r"(?:(?:the|his|her|my|our|their|this|that|a|The|His|Her|My|Our|Their|This|That|A)\s+(?:[\w\-]+\s+){0,2}[\w\-]+)"
PRONOUN = r"(?:he|she|I|He|She|they|They|we|We)"

# "said Alice" / "said the Hatter" / "said he": verb then subject
_AFTER_VERB_FIRST = re.compile(
    r"^[\s,;:\u2014\u2013\-]*(?:(?:" + ADVERB + r")\s+)?(?P<verb>" + VERB + r")\b(?:\s+" + ADVERB +
    r")?,?\s+(?P<np>" + PROPER + "|" + PRONOUN + r"\b|" + NOMINAL + r")")
# "Alice said" / "she cried" / "the old man replied": subject then verb
_AFTER_NAME_FIRST = re.compile(
    r"^[\s,;:\u2014\u2013\-]*(?:and\s+|then\s+|but\s+)?(?P<np>" + PROPER + "|" + PRONOUN + r"\b|" + NOMINAL +
    r"),?(?:\s+" + ADVERB + r",?)?\s+(?:(?:had|has|was|is|would|could|did)\s+)?(?P<verb>" + VERB + r")\b")
# narration that introduces the next quote: "Alice said:" / "said the King," / "she began"
_BEFORE = re.compile(
    r"(?P<np>" + PROPER + "|" + PRONOUN + r"|" + NOMINAL + r"),?(?:\s+" + ADVERB + r",?)?\s+(?P<verb>" + VERB +
    r")\b(?:\s+(?:to|unto)\s+(?:[\w.]+\s+){0,3}?[\w.]+)?(?:\s+[\w\-]+){0,6}?\s*[,:;.\u2014\-]*\s*$")
_BEFORE_VERB_FIRST = re.compile(
    r"(?P<verb>" + VERB + r")\b\s+(?P<np>" + PROPER + r"|" + NOMINAL + r")\s*[,:;.\u2014\-]*\s*$")

# verbs that are not followed by the speaker in "VERB X" order
_NOT_SUBJECT = frozenset({"it", "this", "that", "so", "nothing", "something", "to", "a", "the"})
_NOT_NAMES = frozenset({
    "I", "The", "A", "An", "And", "But", "Or", "So", "Then", "Now", "When", "What", "Who", "Why",
    "How", "Where", "Yes", "No", "Oh", "Ah", "Well", "It", "This", "That", "There", "Here", "If",
    "In", "On", "At", "As", "For", "Of", "To", "With", "By", "Not", "Do", "Don't", "Is", "Was",
    "His", "Her", "My", "Our", "Their", "Your", "We", "You", "They", "He", "She", "Chapter",
    "CHAPTER", "Upon", "After", "Before", "Presently", "Again", "Indeed", "Perhaps", "Still",
})


# ---------------------------------------------------------------------------------------------
# the data the rules look at


@dataclass
class Quote:
    """One quoted span and what the sieve decided about it."""

    para: "Para"
    seg: int  # index into para.segments
    start: int  # offsets into para.text
    end: int
    speaker: str | None = None
    rule: str | None = None
    confidence: float = 0.0
    addressee: str | None = None
    tag: str | None = None  # "explicit" | "anaphoric" | None: how the tag named the speaker

    @property
    def text(self) -> str:
        return self.para.text[self.start:self.end]

    @property
    def opened(self) -> bool:
        return self.para.segments[self.seg].opened

    @property
    def closed(self) -> bool:
        return self.para.segments[self.seg].closed

    def decide(self, speaker: str | None, rule: str, confidence: float, tag: str | None = None) -> bool:
        """Record a decision (only if no earlier rule decided); True when recorded."""
        if self.speaker is not None or not speaker:
            return False
        self.speaker, self.rule, self.confidence, self.tag = speaker, rule, confidence, tag
        return True


@dataclass
class Para:
    """One paragraph: its raw text, where it sits, its segments and quotes."""

    chapter: int  # 1-based chapter index
    block: int  # block index within the chapter
    text: str
    offset: int | None  # Book.text offset of text[0]
    segments: list[Segment]
    quotes: list[Quote] = field(default_factory=list)

    def narration_after(self, q: Quote) -> str | None:
        """The narration right after quote q in this paragraph, if any."""
        nxt = q.seg + 1
        if nxt < len(self.segments) and self.segments[nxt].kind == NARRATION:
            s = self.segments[nxt]
            return self.text[s.start:s.end]
        return None

    def narration_before(self, q: Quote) -> str | None:
        """The narration right before quote q in this paragraph, if any."""
        prv = q.seg - 1
        if prv >= 0 and self.segments[prv].kind == NARRATION:
            s = self.segments[prv]
            return self.text[s.start:s.end]
        return None


def make_para(chapter: int, block: int, text: str, offset: int | None, segments: list[Segment]) -> Para:
    """A Para with a Quote for each QUOTE segment."""
    p = Para(chapter, block, text, offset, segments)
    for i, s in enumerate(segments):
        if s.kind == QUOTE:
            p.quotes.append(Quote(p, i, s.start, s.end))
    return p


# ---------------------------------------------------------------------------------------------
# resolving the noun phrase a tag names


@dataclass
class Resolver:
    """Turns a tag's noun phrase into a character name, tracking who was mentioned recently."""

    index: CharacterIndex
    narrator_name: str | None = None  # the first-person narrator's character, if known
    allow_new: bool = True  # unknown proper names become new characters
    recent: list[str] = field(default_factory=list)  # most recent last
    new_names: dict[str, Character] = field(default_factory=dict)

    def gender(self, name: str) -> str:
        ch = self.index.by_name.get(name) or self.new_names.get(name)
        return ch.gender if ch else "neutral"

    def mention(self, name: str) -> None:
        """Make name the most salient character."""
        if self.recent and self.recent[-1] == name:
            return
        if name in self.recent:
            self.recent.remove(name)
        self.recent.append(name)
        if len(self.recent) > 12:
            del self.recent[0]

    def proper(self, np: str) -> str | None:
        """A proper name (with optional title/'the') to a canonical name; may create one."""
        np = re.sub(r"\s+", " ", np.strip())
        ch = self.index.resolve(np)
        if ch is not None:
            return ch.name
        if self.index.candidates(np):
            return None  # ambiguous shared alias
        # try dropping trailing words ("Alice Then" can't happen, but "Mr. Bennet Smith" may)
        words = np.split()
        while len(words) > 1:
            words = words[:-1]
            ch = self.index.resolve(" ".join(words))
            if ch is not None:
                return ch.name
        if not self.allow_new:
            return None
        bare = np[4:] if np.lower().startswith("the ") else np
        first = bare.split()[0]
        if first in _NOT_NAMES or bare in _NOT_NAMES:
            return None
        title, rest = strip_title(bare)
        if title and not rest:
            return None
        name = bare
        if name not in self.new_names:
            from .normalize import title_gender
            self.new_names[name] = Character(name=name, gender=title_gender(name) or "neutral")
        return name

    def pronoun(self, word: str, exclude: set[str] = frozenset()) -> str | None:
        """he/she -> the most recent character of that gender; I -> the narrator character."""
        w = word.lower()
        if w == "i":
            return self.narrator_name
        g = pronoun_gender(w)
        if g is None:
            return None
        for name in reversed(self.recent):
            if name in exclude:
                continue
            if self.gender(name) == g:
                return name
        return None

    def nominal(self, np: str, exclude: set[str] = frozenset()) -> str | None:
        """'the old man' / 'his wife' -> a character whose alias matches, else by gender."""
        words = np.split()
        if len(words) >= 2:
            tail = " ".join(words[1:])
            ch = self.index.resolve(tail)
            if ch is not None:
                return ch.name
            ch = self.index.resolve(words[-1])
            if ch is not None and words[0].lower() in ("the", "a"):
                return ch.name
        g = noun_gender(words[-1])
        if g is None:
            return None
        for name in reversed(self.recent):
            if name not in exclude and self.gender(name) == g:
                return name
        return None


def resolve_np(res: Resolver, np: str, exclude: set[str] = frozenset()) -> tuple[str | None, str]:
    """(name, kind) for a tag's noun phrase; kind is 'explicit' (a name) or 'anaphoric'."""
    np = np.strip()
    first = np.split()[0]
    if np in ("he", "she", "He", "She", "I"):
        return res.pronoun(np, exclude), "anaphoric"
    if np.lower() in ("they", "we"):
        return None, "anaphoric"
    if first.lower() in ("his", "her", "my", "our", "their", "this", "that", "a") or (
            first.lower() == "the" and np.split()[-1][:1].islower()):
        return res.nominal(np, exclude), "anaphoric"
    return res.proper(np), "explicit"


# ---------------------------------------------------------------------------------------------
# rules: explicit tags


def tag_after(narration: str) -> tuple[str, str] | None:
    """(np, verb) when narration starts with a speech tag: ', said Alice' / ' Alice said'."""
    m = _AFTER_VERB_FIRST.match(narration)
    if m and m.group("np").split()[0].lower() not in _NOT_SUBJECT:
        return m.group("np"), m.group("verb")
    m = _AFTER_NAME_FIRST.match(narration)
    if m:
        return m.group("np"), m.group("verb")
    return None


def tag_before(narration: str) -> tuple[str, str] | None:
    """(np, verb) when narration ends by introducing a quote: 'Alice said:' / 'said the King,'."""
    tail = narration[-160:]
    m = _BEFORE_VERB_FIRST.search(tail)
    if m:
        return m.group("np"), m.group("verb")
    m = _BEFORE.search(tail)
    if m:
        return m.group("np"), m.group("verb")
    return None


def rule_explicit_after(q: Quote, res: Resolver) -> bool:
    """'"…," said Alice' / '"…," Alice said' / '"…," she said': the tag right after the quote."""
    narr = q.para.narration_after(q)
    if narr is None:
        return False
    found = tag_after(narr)
    if not found:
        return False
    np, _verb = found
    name, kind = resolve_np(res, np)
    if name is None:
        return False
    if kind == "explicit":
        return q.decide(name, "explicit-verb-after", 0.97, "explicit")
    return q.decide(name, "pronoun-verb-after", 0.85, "anaphoric")


def rule_explicit_before(q: Quote, res: Resolver) -> bool:
    """'Alice said, "…"' / 'said the King: "…"': the tag right before the quote."""
    narr = q.para.narration_before(q)
    if narr is None:
        return False
    found = tag_before(narr)
    if not found:
        return False
    np, _verb = found
    name, kind = resolve_np(res, np)
    if name is None:
        return False
    if kind == "explicit":
        return q.decide(name, "explicit-verb-before", 0.95, "explicit")
    return q.decide(name, "pronoun-verb-before", 0.8, "anaphoric")


def rule_same_paragraph(para: Para) -> None:
    """Quotes in one paragraph share the speaker a tag gave any of them ('"…," said he, "…"')."""
    decided = [q for q in para.quotes if q.speaker is not None]
    if not decided:
        return
    for q in para.quotes:
        if q.speaker is None:
            # nearest decided quote in the paragraph
            best = min(decided, key=lambda d: abs(d.seg - q.seg))
            q.decide(best.speaker, "same-paragraph", max(0.5, best.confidence - 0.05), best.tag)


def rule_continuation(prev: Para | None, para: Para) -> None:
    """A paragraph that reopens a quote left unclosed by the previous one continues its speaker."""
    if prev is None or not prev.quotes or not para.quotes:
        return
    last = prev.quotes[-1]
    first = para.quotes[0]
    if last.closed or last.speaker is None:
        return
    if para.segments[0].kind != QUOTE:
        return
    first.decide(last.speaker, "continued-quote", max(0.5, last.confidence - 0.05), last.tag)


# ---------------------------------------------------------------------------------------------
# the sieve


def note_mentions(res: Resolver, text: str, start: int = 0, end: int | None = None) -> None:
    """Make every known name in narration text salient, in order."""
    for s, e, surface in res.index.mentions(text, start, end):
        ch = res.index.resolve(surface)
        if ch is not None:
            res.mention(ch.name)


def attribute(paras: list[Para], res: Resolver) -> None:
    """Run the sieve over paragraphs in reading order, filling each Quote's speaker."""
    prev: Para | None = None
    for para in paras:
        # narration before the first quote makes its names salient for that quote's pronouns
        for i, seg in enumerate(para.segments):
            if seg.kind == NARRATION:
                continue
            q = next(x for x in para.quotes if x.seg == i)
            if i > 0 and para.segments[i - 1].kind == NARRATION:
                s = para.segments[i - 1]
                note_mentions(res, para.text, s.start, s.end)
            rule_explicit_after(q, res) or rule_explicit_before(q, res)
            if q.speaker:
                res.mention(q.speaker)
        rule_same_paragraph(para)
        rule_continuation(prev, para)
        rule_same_paragraph(para)
        last = para.segments[-1] if para.segments else None
        if last is not None and last.kind == NARRATION:
            note_mentions(res, para.text, last.start, last.end)
        prev = para
