"""The data the attribution rules look at: paragraphs, their quotes, and each quote's decision.

A rule decides a quote through `Quote.decide`, which records the rule's name and confidence and
never overwrites an earlier decision; rules named in `disabled_rules` (set by the sieve) decide
nothing, so a rule can be switched off to measure what it is worth.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from .quotes import NARRATION, QUOTE, SILENT_TURNS, Segment

# How far each rule is trusted (0..1); recorded with each decision.
CONFIDENCE = {
    "explicit-verb-after": 0.97,
    "explicit-verb-before": 0.93,
    "first-person": 0.93,
    "self-named": 0.9,
    "pronoun-verb-after": 0.88,
    "pronoun-verb-before": 0.82,
    "nominal-verb-after": 0.78,
    "nominal-verb-before": 0.72,
    "addressed-reply": 0.75,
    "same-paragraph": 0.9,
    "continued-quote": 0.9,
    "vocative": 0.75,
    "turn-taking": 0.7,
    "turn-taking-backward": 0.62,
    "addressed-holds": 0.6,
    "alternation": 0.7,
    "action-beat": 0.6,
    "nearest-mention": 0.3,
}

# Rules that leave a quote to no character: spoken by several people at once or by someone the
# book never names (render/script/extras.py); no later rule gives such a quote a speaker.
NO_SPEAKER = frozenset({"group-speech", "unnamed-speaker"})

# Quote types in the sense of PDNC: how the speaker is given in the text.
EXPLICIT, ANAPHORIC, IMPLICIT = "explicit", "anaphoric", "implicit"

# Rules switched off for the current sieve run (see `disabled_rules`).
_DISABLED: ContextVar[frozenset] = ContextVar("disabled_rules", default=frozenset())


@contextmanager
def disabled_rules(names):
    """Within the block, Quote.decide refuses decisions by the rules named here."""
    token = _DISABLED.set(frozenset(names))
    try:
        yield
    finally:
        _DISABLED.reset(token)


def rule_on(name: str) -> bool:
    """False while the rule (or resolver preference) called name is switched off."""
    return name not in _DISABLED.get()


# the data the rules look at


@dataclass(eq=False)
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
    kind: str | None = None  # EXPLICIT | ANAPHORIC | IMPLICIT, once decided
    delivery: str | None = None  # how the tag says it is spoken ('Whispering.', 'Angrily.')

    @property
    def text(self) -> str:
        return self.para.text[self.start:self.end]

    @property
    def opened(self) -> bool:
        return self.para.segments[self.seg].opened

    @property
    def closed(self) -> bool:
        return self.para.segments[self.seg].closed

    def decide(self, speaker: str | None, rule: str, kind: str = IMPLICIT,
               confidence: float | None = None) -> bool:
        """Record a decision (only if no earlier rule decided); True when recorded."""
        if self.speaker is not None or not speaker or rule in _DISABLED.get() or self.rule in NO_SPEAKER:
            return False
        self.speaker, self.rule, self.kind = speaker, rule, kind
        self.confidence = CONFIDENCE.get(rule, 0.5) if confidence is None else confidence
        return True

    def leave_unvoiced(self, rule: str, kind: str = ANAPHORIC) -> bool:
        """Record that no character speaks this quote (rule: one of NO_SPEAKER, saying why), so
        that no later rule gives it one; only if no rule decided it before."""
        if self.speaker is not None or self.rule is not None or rule in _DISABLED.get():
            return False
        self.rule, self.kind, self.confidence = rule, kind, 0.0
        return True


@dataclass(eq=False)
class Para:
    """One paragraph: its raw text, where it sits, its segments and quotes."""

    chapter: int  # 1-based chapter index
    block: int  # block index within the chapter
    text: str
    offset: int | None  # Book.text offset of text[0]
    segments: list[Segment]
    quotes: list[Quote] = field(default_factory=list)
    stage: tuple = ()  # characters on stage when the paragraph was read (most salient first)

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

    def narration(self) -> list[Segment]:
        """The narrator's own words: narration segments, not the words it cites (see unspoken.unspoken)."""
        return [s for s in self.segments if s.kind == NARRATION and not s.cited]

    @property
    def cited_only(self) -> bool:
        """No quote and no narration of its own: only words written or named (a letter, a heading), which
        the conversation rules look through as if the paragraph were not there."""
        return not self.quotes and bool(self.segments) and all(s.cited and s.cited not in SILENT_TURNS
                                                                for s in self.segments)

    @property
    def speaker(self) -> str | None:
        """The speaker of the paragraph's last attributed quote."""
        for q in reversed(self.quotes):
            if q.speaker:
                return q.speaker
        return None

    @property
    def first_speaker(self) -> str | None:
        for q in self.quotes:
            if q.speaker:
                return q.speaker
        return None

    def starts_with_quote(self) -> bool:
        return bool(self.segments) and self.segments[0].kind == QUOTE


CHAIN_LEAD = 2  # paragraphs of a running speech whose tags name its speaker
STAGE_SIZE = 6  # the most salient characters, taken to be the ones present in a scene


def make_para(chapter: int, block: int, text: str, offset: int | None, segments: list[Segment]) -> Para:
    """A Para with a Quote for each QUOTE segment."""
    p = Para(chapter, block, text, offset, segments)
    for i, s in enumerate(segments):
        if s.kind == QUOTE:
            p.quotes.append(Quote(p, i, s.start, s.end))
    return p


def with_silent_turns(p: Para) -> tuple[Para, list[Quote]]:
    """p as the conversation rules read it: words a look only seems to say ('smiled, as much as
    to say, "…"') and words read out ('"'Leonora,'" he read') take a turn in the exchange like
    speech, so each is a quote of its own there
    (the script still reads them as narration). Returns the paragraph the rules read (p itself
    when it has no such words) and p's quotes, whose para now points to it (see restore)."""
    if not any(s.cited in SILENT_TURNS for s in p.segments):
        return p, []
    segs = [replace(s, kind=QUOTE, cited="") if s.cited in SILENT_TURNS else s for s in p.segments]
    view = Para(p.chapter, p.block, p.text, p.offset, segs, stage=p.stage)
    own = {q.seg: q for q in p.quotes}
    for i, s in enumerate(segs):
        if s.kind == QUOTE:
            q = own.get(i) or Quote(view, i, s.start, s.end)
            q.para = view
            view.quotes.append(q)
    return view, p.quotes


def is_new_turn(prev: Para | None, para: Para, gap: int) -> bool:
    """The paragraph opens with a quote right after a paragraph whose last quote was another's turn."""
    return prev is not None and gap == 0 and para.starts_with_quote() and (
        para.quotes[0].opened) and prev.quotes[-1].closed


def continues_speech(prev: Para, para: Para) -> bool:
    """para re-opens the speech that prev's last quote left unclosed (the convention for a speech
    running over several paragraphs: no closing mark, the next paragraph opens again)."""
    return bool(prev.quotes and para.quotes) and not prev.quotes[-1].closed and para.starts_with_quote()
