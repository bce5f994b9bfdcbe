"""The sieve: the attribution rules run over a book's paragraphs as an ordered list of passes.

`PASSES` declares the passes in order. The first, 'read', goes through the book as it is read
(salience from narration, tags, quotes sharing a paragraph, continued quotes, vocatives, inline
turn-taking); the later ones revisit the whole book (exchanges, action beats, nearest mention,
turn-taking once more from what the nearest mention decided, and again from what the last
alternation decided, addressees). A pass decides only
quotes no earlier pass decided, so a pass inserted before 'read' (for example one applying a
user's per-quote fixes) pre-empts every rule, and the turn-taking passes after it follow its
decisions. `attribute(paras, res, passes=..., disabled=...)` runs another list, or the same one
with passes or rule names switched off (for leave-one-out figures).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from .conversation_rules import ConversationRules, rule_continuation
from .exchange_rules import ExchangeRules
from .features import addressee_of, ages, family_names, note_mentions, prominence, vocatives
from .listener_rules import ListenerRules
from .named_after import NamedAfter
from .newcomers import attach as attach_lookahead
from .party_rules import PartyRules
from .quote_model import STAGE_SIZE, Para, Quote, disabled_rules, is_new_turn, with_silent_turns
from .quotes import NARRATION
from .resolve import Context, Resolver
from .tag_rules import TagRules
from .turn_fences import TurnFences


class Sieve(NamedAfter, TagRules, ConversationRules, ExchangeRules, ListenerRules, PartyRules, TurnFences):
    """Runs the rules over a book's paragraphs in reading order."""

    def __init__(self, paras: list[Para], resolver: Resolver, max_gap: int = 1, run_gap: int = 0,
                 alternation: bool = True, inline_turns: bool = True, named_excludes: bool = True,
                 passes: "list[Pass] | None" = None, disabled: frozenset[str] = frozenset()):
        self.passes = list(PASSES if passes is None else passes)
        self.disabled = frozenset(disabled)  # pass names and rule names switched off
        self.named_excludes = named_excludes
        self.run_gap = run_gap
        self.alternation = alternation
        self.inline_turns = inline_turns
        # words written (a letter, a heading; see unspoken.unspoken) are transparent: the rules see
        # the conversation around them as if they were not there; words a look only seems to
        # say are a turn of the conversation (quote_model.with_silent_turns)
        self._owners: list[tuple[Quote, Para]] = []  # quotes whose para the view replaced
        view = []
        for p in paras:
            if not p.cited_only:
                v, own = with_silent_turns(p)
                view.append(v)
                self._owners += [(q, p) for q in own]
        paras = view
        self.paras = paras
        self._pre_order: list[str] = []  # salience before the narration of the current quote
        self.before = {id(b): a for a, b in zip(paras, paras[1:]) if a.chapter == b.chapter}
        self.res = resolver
        self.index = resolver.index
        self.max_gap = max_gap
        # quote paragraphs in order, with the number of quote-less paragraphs before each
        self.qparas: list[Para] = []
        self.gaps: list[int] = []
        gap = 0
        prev_chapter = None
        for p in paras:
            if p.chapter != prev_chapter:
                gap = 99  # a chapter boundary ends every conversation
                prev_chapter = p.chapter
            if p.quotes:
                self.qparas.append(p)
                self.gaps.append(gap)
                gap = 0
            else:
                gap += 1

    def run(self) -> None:
        """Every pass in order, except those switched off."""
        self._para_index = {id(p): i for i, p in enumerate(self.paras)}
        try:
            # the switches hold from the first read of the names on: the index builds its name
            # pattern lazily, at the first mention looked for ('alias-function-word')
            with disabled_rules(self.disabled):
                attach_lookahead(self.res, self.paras)
                own = [_own_words(p) for p in self.paras]
                self.res.prominence = prominence(own, self.index, self.res.written)
                self.res.ages = ages(own, self.index)
                self.res.family_names = family_names(self.paras, self.res)
                for step in self.passes:
                    if step.name not in self.disabled:
                        step.run(self)
        finally:
            for q, p in self._owners:
                q.para = p

    # -- the passes

    def read_pass(self) -> None:
        """The book as it is read: narration makes characters salient; each quote paragraph runs
        the tag rules, then the paragraph and conversation rules."""
        qi = 0
        chapter = None
        for p in self.paras:
            if p.chapter != chapter:
                self.res.salience.new_scene()
                chapter = p.chapter
            self.res.salience.tick()
            if qi < len(self.qparas) and self.qparas[qi] is p:
                self._quote_paragraph(qi)
                qi += 1
            else:
                self._note_narration(p, p.segments)

    def turns_pass(self) -> None:
        """Turn-taking backwards and forwards until nothing changes (at most three rounds)."""
        for _ in range(3):
            if not (self._backward_turns() + self._forward_turns()):
                break

    def alternation_pass(self) -> None:
        if self.alternation:
            self._alternation()

    def stage_alternation_pass(self) -> None:
        """Alternation again, for exchanges whose other party is never named (taken from the stage)."""
        if self.alternation:
            self._alternation(from_stage=True)

    # -- the reading pass, paragraph by paragraph

    def _prev(self, qi: int) -> tuple[Para | None, int]:
        if qi == 0:
            return None, 99
        return self.qparas[qi - 1], self.gaps[qi]

    def _note_narration(self, p: Para, segments) -> None:
        for s in segments:
            if s.kind == NARRATION and not s.cited:
                note_mentions(self.res, p.text, s.start, s.end)

    def _quote_paragraph(self, qi: int) -> None:
        p = self.qparas[qi]
        p.stage = tuple(self.res.salience.order[:STAGE_SIZE])
        self.res.lookahead.at = self._para_index[id(p)]
        prev, gap = self._prev(qi)
        ctx = Context()
        if prev is not None and gap <= self.max_gap:
            ctx.prev_speaker = prev.speaker
            ctx.prev_addressee = addressee_of(prev, self.index)
            ctx.prev_holds = self._holds_turn(prev)
        ctx.vocatives = (sorted(self._named(p)) if self.named_excludes else
                         [n for q in p.quotes for n in vocatives(q.text, self.index)])
        for q in p.quotes:
            before = p.segments[q.seg - 1] if q.seg > 0 else None
            self._pre_order = list(self.res.salience.order)  # who was on stage before it
            if before is not None and before.kind == NARRATION:
                self._note_narration(p, [before])
            if self.named_excludes and len(p.quotes) > 1:
                # a name in a quote of the paragraph a tag already gave to someone is one they
                # spoke to or of: it may well answer, so it excludes no one from this quote
                ctx.vocatives = sorted(set().union(*(self._named(p, o) for o in p.quotes
                                                     if o is q or o.speaker is None)))
            ctx.local = self._local_subjects(p, q)
            ctx.new_turn = q is p.quotes[0] and (is_new_turn(prev, p, gap) or
                                                 self._beat_turn(prev, p, gap, q))
            ctx.partner = self._partner(qi) if ctx.new_turn else None
            self._tags(q, ctx)
            if q.speaker:
                self.res.mention(q.speaker)
        ctx.vocatives = (sorted(self._named(p)) if self.named_excludes else
                         [n for q in p.quotes for n in vocatives(q.text, self.index)])
        self._same_paragraph(p)
        rule_continuation(prev if gap == 0 else None, p)
        self._same_paragraph(p)
        if not p.quotes[0].speaker:
            self._conversation(qi, ctx)
            self._same_paragraph(p)
        last = p.segments[-1]
        if last.kind == NARRATION:
            self._note_narration(p, [last])
        for q in p.quotes:
            if q.speaker:
                self.res.mention(q.speaker)
        self._mark_addressee(p, ctx)


def _own_words(p: Para) -> Para:
    """p, or a copy of it without the words it cites (for the counts of names in narration)."""
    if not any(s.cited for s in p.segments):
        return p
    return replace(p, segments=[s for s in p.segments if not s.cited], quotes=[])


@dataclass(frozen=True)
class Pass:
    """One step of the sieve."""

    name: str  # how it is named in PASSES, in `disabled` and in the leave-one-out figures
    run: Callable[[Sieve], object]  # does the work on the sieve's paragraphs


# The sieve's passes, in order. Insert a pass by position (e.g. before 'read' to pre-decide quotes).
PASSES: list[Pass] = [
    Pass("read", Sieve.read_pass),  # tags, same paragraph, continuation, vocative, inline turns
    Pass("named-after", Sieve.named_after_pass),  # a description's tags, to one named soon after
    Pass("chains", Sieve._chains),  # a running speech keeps its speaker
    Pass("action-beats", Sieve._action_beats),  # a character acting in the quote's paragraph
    Pass("alternation", Sieve.alternation_pass),  # two-party exchanges from named turns
    Pass("turns", Sieve.turns_pass),  # turn-taking backwards and forwards
    Pass("late-chains", Sieve._chains),
    Pass("stage-alternation", Sieve.stage_alternation_pass),  # partner never named: from the stage
    Pass("nearest-mention", Sieve._nearest_mentions),  # last resort, low confidence
    # turns again from the speakers the nearest mention gave: an exchange none of whose turns
    # is tagged ('"Charlotte, kiss me." / "Do not cry, dearest." / …') is otherwise left unvoiced
    Pass("late-turns", Sieve.turns_pass),
    Pass("late-alternation", Sieve.stage_alternation_pass),
    # and once more from what the last alternation decided: an exchange resumed after a narration
    # paragraph follows turns that only the stage gave a speaker
    Pass("final-turns", Sieve.turns_pass),
    Pass("stage-speaker", Sieve._stage_speakers),  # still unvoiced: who is on stage and has spoken
    Pass("parity-break", Sieve._parity_breaks),  # two tags disagree: from the beat where one went on
    Pass("addressees", Sieve._addressees),  # whom each quote is spoken to (no speakers decided)
]


def pass_index(name: str, passes: list[Pass] | None = None) -> int:
    """Position of the pass called name in passes (default PASSES), for inserting before it."""
    seq = PASSES if passes is None else passes
    for i, step in enumerate(seq):
        if step.name == name:
            return i
    raise KeyError(name)


SIEVE_OPTIONS: dict = {}  # experiment hook: keyword overrides for Sieve


def attribute(paras: list[Para], res: Resolver, passes: list[Pass] | None = None,
              disabled: frozenset[str] = frozenset()) -> None:
    """Run the sieve over paragraphs in reading order, filling each Quote's speaker."""
    Sieve(paras, res, passes=passes, disabled=disabled, **SIEVE_OPTIONS).run()
