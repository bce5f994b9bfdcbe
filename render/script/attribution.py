"""Speaker attribution: an ordered sieve of small rules, most precise first.

Every quote starts unattributed. Each rule looks at one quote (and the narration and quotes
around it) and either names a speaker -- recording its own name and a confidence -- or leaves
the quote to the next rule. A quote no rule decides keeps speaker None: it is marked, never
guessed silently.

Order (see `Sieve.run`; each decision records its rule name and confidence):
  1. tags next to the quote, or closing the paragraph before it: a name ('said Alice',
     'Alice said', 'Mr. Darcy, turning, said:'), the first-person narrator ('said I'), a
     pronoun resolved by salience and turn ('she cried', 'it said', 'she said to herself') or
     a description ('said his wife' by surname, 'said the doctor' by title, else by gender);
     without a name tag, a quote whose speaker names themself ('My name is Oliver') is theirs
  2. quotes in one paragraph share a speaker; a quote continued into the next paragraph keeps it
  3. vocatives: a name addressed in the previous quote speaks next
  4. turn-taking (A, B -> A) as the book is read (a narration paragraph about another character
     between two turns is a turn of its own: 'I nodded.'), then alternation inside each exchange from
     the decided turns on both sides, then backwards
  5. action beats: a character who opens a sentence of narration in the quote's own paragraph
  6. the nearest plausible mention, as a last resort with low confidence
A character named inside a quote is never taken for its speaker by rules 3-5 or by pronouns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import tags as T
from .characters import CharacterIndex
from .normalize import pronoun_gender
from .quotes import NARRATION, QUOTE, Segment
from .resolve import Context, Resolver, Salience  # noqa: F401  (Salience: part of this API)

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
    "alternation": 0.7,
    "action-beat": 0.6,
    "nearest-mention": 0.3,
}

# Quote types in the sense of PDNC: how the speaker is given in the text.
EXPLICIT, ANAPHORIC, IMPLICIT = "explicit", "anaphoric", "implicit"


# ---------------------------------------------------------------------------------------------
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
        if self.speaker is not None or not speaker:
            return False
        self.speaker, self.rule, self.kind = speaker, rule, kind
        self.confidence = CONFIDENCE.get(rule, 0.5) if confidence is None else confidence
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
        return [s for s in self.segments if s.kind == NARRATION]

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


# ---------------------------------------------------------------------------------------------
# small facts about quotes, each one rule


_REFLEXIVE = re.compile(r"\b(?:to|unto)\s+(?:her|him)self\b")


def prominence(paras: list[Para], index: CharacterIndex) -> dict[str, int]:
    """How often each character is named in the book's narration."""
    out: dict[str, int] = {}
    for p in paras:
        for s in p.segments:
            if s.kind == NARRATION:
                for ms, me, surface in index.mentions(p.text, s.start, s.end):
                    ch = index.resolve(surface)
                    if ch is not None:
                        out[ch.name] = out.get(ch.name, 0) + 1
    return out


def ages(paras: list[Para], index: CharacterIndex, least: int = 2) -> dict[str, str]:
    """Characters the narration calls 'little X' (a child) or 'young X' (young), at least
    `least` times -- how the book describes their age."""
    counts: dict[tuple[str, str], int] = {}
    for p in paras:
        for s in p.segments:
            if s.kind != NARRATION:
                continue
            for ms, me, surface in index.mentions(p.text, s.start, s.end):
                m = re.search(r"\b(little|young)\s+$", p.text[max(s.start, ms - 8):ms], re.I)
                ch = index.resolve(surface)
                if m and ch is not None:
                    key = (ch.name, "child" if m.group(1).lower() == "little" else "young")
                    counts[key] = counts.get(key, 0) + 1
    out: dict[str, str] = {}
    for (name, age), n in counts.items():
        if n >= least and out.get(name) != "child":
            out[name] = age
    return out


def family_names(paras: list[Para], res: Resolver, least: int = 2) -> dict[str, str]:
    """Surnames the cast does not give but the text does: a character known by a first name
    ('Elizabeth') written with the family name of other characters ('Elizabeth Bennet')."""
    known = {}
    for ch in res.index.characters:
        fam = res.surname(ch.name)
        if fam:
            known.setdefault(fam, set()).add(ch.name)
    if not known:
        return {}
    counts: dict[tuple[str, str], int] = {}
    fam_re = re.compile(r"\s+(" + "|".join(re.escape(f) for f in known) + r")\b")
    for p in paras:
        for ms, me, surface in res.index.mentions(p.text):
            m = fam_re.match(p.text, me)
            ch = res.index.resolve(surface)
            if m and ch is not None and ch.name not in known[m.group(1)] and res.surname(ch.name) is None:
                key = (ch.name, m.group(1))
                counts[key] = counts.get(key, 0) + 1
    out: dict[str, str] = {}
    for (name, fam), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n >= least:
            out.setdefault(name, fam)
    return out


def vocatives(text: str, index: CharacterIndex) -> list[str]:
    """Characters addressed by name inside a quote ('Lizzy, …' / '…, Mr. Darcy!')."""
    out = []
    for s, e, surface in index.mentions(text):
        if surface.strip(".").capitalize() in _ADDRESS_WORDS:
            continue  # 'Yes, Sir.' is politeness, not a name
        before = text[max(0, s - 12):s]
        after = text[e:e + 2]
        at_start = not text[:s].strip(" _") or re.search(r"(?:^|[.!?]\s+)(?:[Oo]h?|[Aa]h|[Mm]y\s+(?:dear|good)|"
                                                         r"[Dd]ear(?:est)?|[Pp]ray|[Ww]ell|[Yy]es|[Nn]o|"
                                                         r"[Nn]ay|[Cc]ome|[Nn]ow)?,?\s*$", text[:s])
        after_comma = re.search(r"(?:,|!|\bmy\s+dear|\bdear(?:est)?|\bmy\s+good|\bO|\bOh)\s*$", before)
        closes = re.match(r"\s*(?:[,!?.;:]|--|\u2014|$)", after)
        if closes and (at_start or after_comma):
            ch = index.resolve(surface)
            if ch is not None and ch.name not in out:
                out.append(ch.name)
    return out


_ADDRESS_WORDS = frozenset({"Sir", "Madam", "Ma'am", "Miss", "Mister", "Master", "Mistress"})


def addressee_of(para: Para, index: CharacterIndex) -> str | None:
    """Whom a paragraph's speech addresses: a tag's 'to X', else the first name used as vocative."""
    for q in para.quotes:
        if q.addressee:
            return q.addressee
    for q in para.quotes:
        for n in vocatives(q.text, index):
            if n != para.speaker:
                return n
    return None


def is_new_turn(prev: Para | None, para: Para, gap: int) -> bool:
    """The paragraph opens with a quote right after a paragraph whose last quote was another's turn."""
    return prev is not None and gap == 0 and para.starts_with_quote() and (
        para.quotes[0].opened) and prev.quotes[-1].closed


# ---------------------------------------------------------------------------------------------
# salience from narration


def note_mentions(res: "Resolver", text: str, start: int, end: int) -> None:
    """Make the characters named in narration salient, each sentence's subject most of all.

    Within a sentence, objects are noted first and subjects last, so 'Elizabeth looked at
    Jane.' leaves Elizabeth on top; a sentence opened by 'He'/'She' re-notes the character the
    pronoun stands for.
    """
    index = res.index
    for ss, se in T.sentences(text, start, end):
        subjects, objects = [], []
        found = [(ms, res.resolve_mention(surface)) for ms, me, surface in index.mentions(text, ss, se)]
        found += kin_mentions(res, text, ss, se)
        for ms, name in sorted(found, key=lambda x: x[0]):
            if name is None:
                continue
            (subjects if T.at_clause_start(text[ss:ms]) else objects).append(name)
        lead = _LEAD_PRONOUN.match(text, ss, se)
        referent = None
        if lead and not subjects:
            g = pronoun_gender(lead.group(1))
            referent = next((n for n in res.salience.order
                             if res.gender(n) == g and n != res.narrator_name), None)
        for n in objects:
            res.mention(n)
        if referent:
            res.mention(referent)
        for n in reversed(subjects):
            res.mention(n)


_KIN = re.compile(r"\b([Hh]is|[Hh]er)\s+(?:[a-z]+\s+)?(father|mother|husband|wife)\b")


def kin_mentions(res: "Resolver", text: str, start: int, end: int) -> list[tuple[int, str]]:
    """'her father' / 'his wife' in narration: a mention of that relative of the character the
    possessive stands for (the most salient one of its gender), when the cast says who it is."""
    out = []
    for m in _KIN.finditer(text, start, end):
        g = "male" if m.group(1).lower() == "his" else "female"
        owner = next((n for n in res.salience.order if res.gender(n) == g and n != res.narrator_name), None)
        kin = res.relative(owner, m.group(2)) if owner else None
        if kin:
            out.append((m.start(), kin))
    return out


_LEAD_PRONOUN = re.compile(r"\s*(?:[Aa]nd\s+|[Bb]ut\s+|[Tt]hen\s+)?(He|She|he|she)\b")


# ---------------------------------------------------------------------------------------------
# the sieve


class Sieve:
    """Runs the rules over a book's paragraphs in reading order."""

    def __init__(self, paras: list[Para], resolver: Resolver, max_gap: int = 1, run_gap: int = 0,
                 alternation: bool = True, inline_turns: bool = True, named_excludes: bool = True):
        self.named_excludes = named_excludes
        self.run_gap = run_gap
        self.alternation = alternation
        self.inline_turns = inline_turns
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
        """Every rule, in order of precision."""
        self._para_index = {id(p): i for i, p in enumerate(self.paras)}
        self.res.prominence = prominence(self.paras, self.index)
        self.res.ages = ages(self.paras, self.index)
        self.res.family_names = family_names(self.paras, self.res)
        qi = 0
        for p in self.paras:
            if qi < len(self.qparas) and self.qparas[qi] is p:
                self._quote_paragraph(qi)
                qi += 1
            else:
                self._note_narration(p, p.segments)
        self._chains()
        if self.alternation:
            self._alternation()
        for _ in range(3):
            if not (self._backward_turns() + self._forward_turns()):
                break
        self._action_beats()
        self._forward_turns()
        self._chains()
        if self.alternation:
            self._alternation(from_stage=True)  # exchanges whose other party is never named
        self._nearest_mentions()
        self._addressees()

    # -- two-party exchanges

    def _turns(self) -> list[list[list[int]]]:
        """Runs of adjacent quote paragraphs, each a list of turns (a turn = paragraph indices
        into qparas: one paragraph plus those that continue its unclosed quote)."""
        runs: list[list[list[int]]] = []
        for qi, p in enumerate(self.qparas):
            if runs and runs[-1] and self._continues(qi):
                runs[-1][-1].append(qi)  # a continued quote: same turn
                continue
            if not runs or self.gaps[qi] > self.run_gap:
                runs.append([])
            runs[-1].append([qi])
        return runs

    def _continues(self, qi: int) -> bool:
        """Paragraph qi goes on with the speech of the quote paragraph right before it."""
        return qi > 0 and self.gaps[qi] == 0 and continues_speech(self.qparas[qi - 1], self.qparas[qi])

    def _chains(self) -> None:
        """A speech running over several paragraphs is one speaker's: any decided paragraph of
        the chain names the speaker of the others (nearest decided one first)."""
        chain: list[int] = []
        for qi in range(len(self.qparas) + 1):
            if qi < len(self.qparas) and chain and self._continues(qi):
                chain.append(qi)
                continue
            if len(chain) > 1:
                rule_speech_chain([self.qparas[i] for i in chain])
            chain = [qi]

    def _turn_speaker(self, turn: list[int]) -> str | None:
        for qi in turn[:CHAIN_LEAD]:  # deeper in a long speech, tags are the teller's quotations
            sp = self.qparas[qi].first_speaker
            if sp:
                return sp
        return None

    def _other(self, run: list[list[int]], j: int, a: str, from_stage: bool = False) -> str | None:
        """The other party of the exchange around turn j, whose speaker is a; with from_stage,
        failing any named in the exchange, the character most on stage when it began."""
        adr = addressee_of(self.qparas[run[j][0]], self.index)
        if adr and adr != a:
            return adr
        for d in range(1, len(run)):
            for k in (j - d, j + d):
                if 0 <= k < len(run):
                    sp = self._turn_speaker(run[k])
                    if sp and sp != a:
                        return sp
        if from_stage:
            if self.res.narrator_name and a != self.res.narrator_name:
                return self.res.narrator_name  # a first-person narrator is in every scene they tell
            # next, whoever the narration setting the scene names ('When Jane and Elizabeth were
            # alone, ...'), then whoever is most on stage
            named = self._named_before(run[0][0])
            other = next((n for n in named if n != a and n != self.res.narrator_name), None)
            if other:
                return other
            return next((n for n in self.qparas[run[0][0]].stage
                         if n != a and n != self.res.narrator_name), None)
        return None

    def _named_before(self, qi: int) -> list[str]:
        """Characters named in the narration that sets the scene of quote paragraph qi: the
        paragraph before it when that is narration, and its own narration before its quote."""
        p = self.qparas[qi]
        i = self._para_index[id(p)]
        texts = []
        if i > 0 and not self.paras[i - 1].quotes:
            texts.append(self.paras[i - 1].text)
        first = p.quotes[0].seg
        texts += [p.text[s.start:s.end] for s in p.segments[:first] if s.kind == NARRATION]
        out = []
        for t in texts:
            for ms, me, surface in self.index.mentions(t):
                n = self.res.resolve_mention(surface)
                if n and n not in out:
                    out.append(n)
        return out

    def _alternation(self, from_stage: bool = False) -> None:
        """Rule 4: in an exchange, turns alternate between two speakers; an undecided turn takes
        the speaker its distance from the nearest decided turns implies (both sides agreeing is
        more certain than one)."""
        for run in self._turns():
            known = {j: self._turn_speaker(t) for j, t in enumerate(run)}
            anchors = [j for j, sp in known.items() if sp]
            if not anchors:
                continue
            for j, turn in enumerate(run):
                if known[j]:
                    continue
                before = [a for a in anchors if a < j]
                after = [a for a in anchors if a > j]
                votes = []
                for side in ([before[-1]] if before else []) + ([after[0]] if after else []):
                    a = known[side]
                    same = (j - side) % 2 == 0
                    guess = a if same else self._other(run, side, a, from_stage)
                    if guess:
                        votes.append((abs(j - side), guess, same))
                if not votes:
                    continue
                votes.sort()
                _, guess, same = votes[0]
                agree = len(votes) == 2 and votes[0][1] == votes[1][1]
                p = self.qparas[turn[0]]
                if self._addressed(p, guess):
                    continue
                conf = (0.7 if same else 0.6) + (0.08 if agree else 0.0)
                for qi in turn:
                    for q in self.qparas[qi].quotes:
                        q.decide(guess, "alternation", IMPLICIT, conf)

    # -- the forward pass

    def _prev(self, qi: int) -> tuple[Para | None, int]:
        if qi == 0:
            return None, 99
        return self.qparas[qi - 1], self.gaps[qi]

    def _note_narration(self, p: Para, segments) -> None:
        for s in segments:
            if s.kind == NARRATION:
                note_mentions(self.res, p.text, s.start, s.end)

    def _quote_paragraph(self, qi: int) -> None:
        p = self.qparas[qi]
        p.stage = tuple(self.res.salience.order[:STAGE_SIZE])
        prev, gap = self._prev(qi)
        ctx = Context()
        if prev is not None and gap <= self.max_gap:
            ctx.prev_speaker = prev.speaker
            ctx.prev_addressee = addressee_of(prev, self.index)
        ctx.vocatives = (sorted(self._named(p)) if self.named_excludes else
                         [n for q in p.quotes for n in vocatives(q.text, self.index)])
        for q in p.quotes:
            before = p.segments[q.seg - 1] if q.seg > 0 else None
            self._pre_order = list(self.res.salience.order)  # who was on stage before it
            if before is not None and before.kind == NARRATION:
                self._note_narration(p, [before])
            ctx.local = self._local_subjects(p, q)
            ctx.new_turn = q is p.quotes[0] and (is_new_turn(prev, p, gap) or
                                                 self._beat_turn(prev, p, gap, q))
            self._tags(q, ctx)
            if q.speaker:
                self.res.mention(q.speaker)
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

    def _beat_turn(self, prev: Para | None, p: Para, gap: int, q: Quote) -> bool:
        """'The youth pondered. "I'd like a shilling," said he.': a reply opened by a beat about
        nobody the book has named is still a new turn after the previous paragraph's speech."""
        if prev is None or gap != 0 or p.starts_with_quote() or not prev.quotes[-1].closed:
            return False
        if q.seg != 1 or not q.opened:
            return False
        s = p.segments[0]
        narr = p.text[s.start:s.end]
        if any(True for _ in self.index.mentions(narr)):
            return False
        subj = T.sentence_subject(narr)
        return subj is not None and T.np_kind(subj[1]) == "nominal" and subj[1].split()[0] in ("The", "the")

    def _local_subjects(self, p: Para, q: Quote) -> list[str]:
        """Characters that open a sentence in the narration before q in this paragraph (last first)."""
        out = []
        if q.seg == 0 or p.segments[q.seg - 1].kind != NARRATION:
            return out
        s = p.segments[q.seg - 1]
        narr = p.text[s.start:s.end]
        off, sent = T.last_sentence(narr)
        subj = T.sentence_subject(sent.rstrip(" ,:;-\u2014"))
        if subj is not None:
            pos, np = subj
            name = self.res.known_at(narr, off + pos)
            if name:
                out.append(name)
        return out

    def _tags(self, q: Quote, ctx: Context) -> None:
        """Rules 1: the tag right after the quote, then the one right before it."""
        p = q.para
        narr = p.narration_after(q)
        tag = T.tag_after(narr) if narr is not None else None
        if tag is None or tag.kind not in ("name", "first-person"):
            if rule_self_named(q, self.index):
                return
        if tag is not None and self._decide_by_tag(q, tag, narr, ctx, "after"):
            return
        narr = p.narration_before(q)
        if narr is None and q.seg == 0 and q.opened:
            narr = self._introduction(p)
        if narr is not None and q.opened:
            tag = T.tag_before(narr, self._known)
            if tag is not None:
                self._decide_by_tag(q, tag, narr, ctx, "before")

    def _introduction(self, p: Para) -> str | None:
        """Narration closing the paragraph before p that introduces p's speech ('Mr. Limbkins said:')."""
        prev = self.before.get(id(p))
        if prev is None or not prev.segments or prev.segments[-1].kind != NARRATION:
            return None
        last = prev.segments[-1]
        narr = prev.text[last.start:last.end]
        if re.search(r"(?:[,:\u2014]|--|-)\s*$", narr):
            return narr
        if narr.endswith(".") and len(prev.segments) == 1:
            return narr  # a narration paragraph ending '… thus began.'
        if narr.endswith(".") and len(prev.segments) > 1:
            # '"…," he replied. A pause followed, and Mrs. Hurst began again.' -- a second tag
            # after the speaker's own introduces the next paragraph's voice
            own, nxt = T.tag_after(narr), T.tag_before(narr, self._known)
            if nxt is not None and nxt.np and (own is None or own.np_start != nxt.np_start):
                return narr
        return None

    def _pronoun_in_narration(self, tag: T.Tag, narr: str, ctx: Context) -> str | None:
        """'At last, she looked at Jane and said,': the pronoun sees only the names before it,
        not the objects that follow it in its own sentence."""
        full = self.res.salience.order
        self.res.salience.order = list(self._pre_order)
        try:
            note_mentions(self.res, narr, 0, tag.np_start)
            return self.res.pronoun(tag.np, ctx)
        finally:
            self.res.salience.order = full

    def _known(self, text: str, pos: int) -> str | None:
        return self.res.known_at(text, pos)

    def _decide_by_tag(self, q: Quote, tag: T.Tag, narr: str, ctx: Context, where: str) -> bool:
        name, kind, rule = None, None, None
        if tag.kind == "name":
            name = self.res.known_at(narr, tag.np_start) or self.res.name(tag.np)
            kind, rule = EXPLICIT, f"explicit-verb-{where}"
        elif tag.kind == "first-person":
            name = self.res.narrator_name
            kind, rule = EXPLICIT, "first-person"
        elif tag.kind == "pronoun":
            name = None
            if _REFLEXIVE.search(narr, tag.np_start, tag.np_start + 80):
                name = self.res.protagonist(tag.np, ctx)  # 'she said to herself'
            if name is None and where == "before" and narr == q.para.narration_before(q):
                name = self._pronoun_in_narration(tag, narr, ctx)
            name = name or self.res.pronoun(tag.np, ctx)
            kind, rule = ANAPHORIC, f"pronoun-verb-{where}"
        elif tag.kind == "nominal":
            name = self.res.nominal(tag.np, ctx, q.para.chapter, known=self.res.known_at(narr, tag.np_start))
            kind, rule = ANAPHORIC, f"nominal-verb-{where}"
            if name is None and ctx.new_turn and ctx.prev_addressee:
                name = ctx.prev_addressee  # 'snarled the ex-convict' answering the one just addressed
                rule = "addressed-reply"
        elif tag.kind == "reply" and ctx.new_turn and ctx.prev_addressee:
            name = ctx.prev_addressee
            kind, rule = ANAPHORIC, "addressed-reply"
        if tag.addressee and name:
            q.addressee = self._addressee_name(tag.addressee, narr, ctx, name)
        if name and q.decide(name, rule, kind):
            q.delivery = T.delivery_hint(narr, tag)
            return True
        return False

    def _addressee_name(self, np: str, narr: str, ctx: Context, speaker: str) -> str | None:
        kind = "pronoun" if np.lower() in ("him", "her") else T.np_kind(np)
        if kind == "name":
            ch = self.index.resolve(np)
            return ch.name if ch else None
        if kind == "pronoun" and np.lower() in ("him", "her", "he", "she"):
            g = "male" if np.lower() in ("him", "he") else "female"
            for n in self.res.salience.order:
                if n != speaker and self.res.gender(n) == g:
                    return n
        if kind == "nominal":
            words = np.split()
            det, head = words[0].lower(), words[-1].lower()
            if det in ("his", "her") and self.res.gender(speaker) == ("male" if det == "his" else "female"):
                return self.res.relative(speaker, head)  # 'said Mr. Bennet to his wife'
            ch = self.index.resolve(np)
            return ch.name if ch and ch.name != speaker else None
        return None

    # -- conversation rules

    def _conversation(self, qi: int, ctx: Context) -> None:
        """Rules 3-4 for a paragraph no tag decided: vocative, then turn-taking."""
        p = self.qparas[qi]
        q = p.quotes[0]
        prev, gap = self._prev(qi)
        if prev is None or gap > self.max_gap or not prev.speaker:
            return
        if not q.opened or self._continues(qi):
            return
        if rule_vocative(q, prev, self.index, {*prev.stage, *p.stage, prev.speaker, self.res.narrator_name}):
            return
        if rule_tagged_addressee_replies(q, prev, self._named(p)):
            return
        # a third character who acts in the reply's own narration ('Jane looked up.') speaks it,
        # before turn-taking hands it back to the one who spoke the turn before last
        beat = self._beat_subjects(p)
        if beat and beat[0] != prev.speaker and not self._addressed(p, beat[0]):
            if q.decide(beat[0], "action-beat", IMPLICIT):
                return
        if gap == 1 and self._silent_turn(p, prev):
            return
        if self.inline_turns and qi >= 2 and self.gaps[qi - 1] <= self.max_gap:
            cand = self.qparas[qi - 2].speaker
            if cand and not self._addressed(p, cand):
                rule_turn_taking(q, prev, self.qparas[qi - 2])

    def _silent_turn(self, p: Para, prev: Para) -> bool:
        """'"…" / I nodded. / "…"': a paragraph of narration whose subject is another character
        than the last speaker is that character's (silent) turn; the speech after it is the last
        speaker's again."""
        i = self._para_index[id(p)]
        beat = self.paras[i - 1]
        subj = T.sentence_subject(beat.text)
        if subj is None:
            return False
        name = self.res.known_at(beat.text, subj[0])
        if subj[1] == "I":
            name = self.res.narrator_name
        if not name or name == prev.speaker:
            return False
        who = prev.speaker if name == self.res.narrator_name else name
        if self._addressed(p, who):
            return False
        return p.quotes[0].decide(who, "turn-taking", IMPLICIT)

    def _mark_addressee(self, p: Para, ctx: Context) -> None:
        for q in p.quotes:
            if q.addressee is None:
                voc = vocatives(q.text, self.index)
                voc = [v for v in voc if v != q.speaker]
                if voc:
                    q.addressee = voc[0]

    def _backward_turns(self) -> int:
        """Rule 4 backwards: an unattributed turn takes the speaker of the turn after next."""
        changed = 0
        for qi in range(len(self.qparas) - 3, -1, -1):
            p = self.qparas[qi]
            if p.quotes[0].speaker or not p.quotes[0].opened:
                continue
            if self._continues(qi) or self._continues(qi + 1) or self._continues(qi + 2):
                continue  # a running speech is one turn, however many paragraphs
            n1, n2 = self.qparas[qi + 1], self.qparas[qi + 2]
            if self.gaps[qi + 1] > self.max_gap or self.gaps[qi + 2] > self.max_gap:
                continue
            s1, s2 = n1.first_speaker, n2.first_speaker
            if s1 and s2 and s1 != s2 and n1.quotes[0].opened and not self._addressed(p, s2):
                for q in p.quotes:
                    changed += q.decide(s2, "turn-taking-backward", IMPLICIT)
        return changed

    def _forward_turns(self) -> int:
        """Rules 3-4 forwards again, for turns whose neighbours were decided later."""
        changed = 0
        for qi, p in enumerate(self.qparas):
            if p.quotes[0].speaker:
                continue
            self._conversation(qi, Context())
            self._same_paragraph(p)
            changed += bool(p.quotes[0].speaker)
        return changed

    def _addressed(self, p: Para, name: str) -> bool:
        """True when name is addressed by vocative in paragraph p's quotes (so it isn't the speaker)."""
        if self.named_excludes:
            return name in self._named(p)
        return any(name in vocatives(q.text, self.index) for q in p.quotes)

    def _named(self, p: Para) -> set[str]:
        """Characters named anywhere inside paragraph p's quotes (people rarely name themselves)."""
        out = set()
        for q in p.quotes:
            for s, e, surface in self.index.mentions(q.text):
                if surface.strip(".").capitalize() in _ADDRESS_WORDS:
                    continue
                ch = self.index.resolve(surface)
                if ch is not None:
                    out.add(ch.name)
        return out

    def _same_paragraph(self, p: Para) -> None:
        """Rule 2 within a paragraph: hand-over beats first, then the shared speaker."""
        self._mid_beats(p)
        rule_same_paragraph(p)

    def _mid_beats(self, p: Para) -> None:
        """'"…stranger." Mrs. Bennet's eyes sparkled.--"A gentleman!"': a quote whose paragraph
        hands over to it with narration about another character is that character's, not the
        previous quote's speaker's."""
        for k, q in enumerate(p.quotes[1:], 1):
            before = p.quotes[k - 1]
            if q.speaker or not before.speaker or q.seg - before.seg != 2:
                continue
            seg = p.segments[q.seg - 1]
            narr = p.text[seg.start:seg.end]
            spans = list(T.sentences(narr))
            if T.tag_before(narr, self._known) is not None or (len(spans) < 2 and T.tag_after(narr)):
                continue  # a speech tag: the tag rules have decided, or will
            name = self._subject_name(narr[spans[-1][0]:spans[-1][1]] if spans else narr)
            if name and name != before.speaker and not self._addressed(p, name):
                q.decide(name, "action-beat", IMPLICIT)

    def _subject_name(self, narr: str) -> str | None:
        """The known character that opens this piece of narration as its subject, if any."""
        subj = T.sentence_subject(narr)
        return self.res.known_at(narr, subj[0]) if subj is not None else None

    def _beat_subjects(self, p: Para) -> list[str]:
        """Characters who open a sentence of narration in paragraph p, in order."""
        names = (self._subject_name(p.text[s.start:s.end]) for s in p.narration())
        return [n for n in names if n]

    def _action_beats(self) -> None:
        """Rule 5: a character who opens a sentence of narration in the quote's own paragraph."""
        for p in self.qparas:
            if all(q.speaker for q in p.quotes):
                continue
            names = self._beat_subjects(p)
            for q in p.quotes:
                if names:
                    q.decide(names[0], "action-beat", IMPLICIT)

    def _nearest_mentions(self) -> None:
        """Rule 6: the last character named before the quote (not its own addressee)."""
        last_named: str | None = None
        prev_speaker: str | None = None
        for p in self.paras:
            for i, s in enumerate(p.segments):
                if s.kind == NARRATION:
                    for ms, me, surface in self.index.mentions(p.text, s.start, s.end):
                        ch = self.index.resolve(surface)
                        if ch is not None:
                            last_named = ch.name
                else:
                    q = next(x for x in p.quotes if x.seg == i)
                    if q.speaker is None and last_named and last_named != prev_speaker:
                        q.decide(last_named, "nearest-mention", IMPLICIT)
                    if q.speaker:
                        prev_speaker = q.speaker

    def _addressees(self) -> None:
        """In a two-party exchange, a quote without a named addressee is spoken to the other party."""
        for qi, p in enumerate(self.qparas):
            prev, gap = self._prev(qi)
            for q in p.quotes:
                if q.addressee is None and q.speaker and prev is not None and gap <= self.max_gap:
                    other = prev.speaker
                    if other and other != q.speaker:
                        q.addressee = other


# ---------------------------------------------------------------------------------------------
# paragraph and conversation rules (small, separately testable)


def rule_same_paragraph(para: Para) -> None:
    """Quotes in one paragraph share a speaker ('"…," said he, "…"').

    An undecided quote takes the speaker of the nearest decided quote before it; a quote at the
    head of the paragraph takes a later speaker only when that one's tag came after its quote
    (a tag before a later quote introduces a new voice).
    """
    decided = [q for q in para.quotes if q.speaker is not None]
    if not decided:
        return
    for q in para.quotes:
        if q.speaker is not None:
            continue
        before = [d for d in decided if d.seg < q.seg]
        if before:
            best = before[-1]
        else:
            best = decided[0]
            if best.rule and best.rule.endswith("-before"):
                continue
        q.decide(best.speaker, "same-paragraph", best.kind or IMPLICIT,
                 min(best.confidence, CONFIDENCE["same-paragraph"]))


def rule_continuation(prev: Para | None, para: Para) -> None:
    """A paragraph that reopens a quote left unclosed by the previous one continues its speaker."""
    if prev is None or not prev.quotes or not para.quotes:
        return
    last = prev.quotes[-1]
    first = para.quotes[0]
    if last.closed or last.speaker is None or not para.starts_with_quote():
        return
    first.decide(last.speaker, "continued-quote", last.kind or IMPLICIT,
                 min(last.confidence, CONFIDENCE["continued-quote"]))


def continues_speech(prev: Para, para: Para) -> bool:
    """para re-opens the speech that prev's last quote left unclosed (the convention for a speech
    running over several paragraphs: no closing mark, the next paragraph opens again)."""
    return bool(prev.quotes and para.quotes) and not prev.quotes[-1].closed and para.starts_with_quote()


def rule_speech_chain(chain: list[Para], lead: int = CHAIN_LEAD) -> int:
    """Paragraphs of one running speech (see continues_speech) are its speaker's, as its opening
    paragraphs say: the first decided one among the first `lead` paragraphs names them all.
    Tags deeper in a long speech are usually the teller quoting others ('said I' in a tale told
    to the narrator), so they never name the speech."""
    src = next((p.quotes[0] for p in chain[:lead] if p.quotes[0].speaker), None)
    if src is None:
        return 0
    changed = 0
    for p in chain:
        for q in p.quotes:
            changed += q.decide(src.speaker, "continued-quote", src.kind or IMPLICIT,
                                min(src.confidence, CONFIDENCE["continued-quote"]))
    return changed


def rule_vocative(q: Quote, prev: Para, index: CharacterIndex, stage=None) -> bool:
    """The previous quote addressed someone by name ('Well, Lizzy?'): that person answers --
    when they are on stage (`stage`: characters present); an address to someone the scene has
    not mentioned is more likely a name the cast gives to someone else ('Miss Bennet')."""
    if not prev.quotes:
        return False
    names = [n for n in vocatives(prev.quotes[-1].text, index) if n != prev.speaker]
    if len(names) != 1:
        return False
    if stage and names[0] not in stage:
        return False
    return q.decide(names[0], "vocative", IMPLICIT)


_SELF_NAMED = re.compile(r"(?:\b[Mm]y\s+name(?:,\s*\w+,)?\s+is|\b[Mm]y\s+name's|\bI\s+am|\bI'm)\s+"
                         r"(?P<name>(?:[A-Z][\w'\-]*\.?\s+){0,3}[A-Z][\w\-]*)(?=\s*(?:[,.!;?]|$|\s+and\b))")
_NAME_IS_MINE = re.compile(r"(?:^|[.!?]\s+)(?P<name>(?:[A-Z][\w'\-]*\.?\s+){0,3}[A-Z][\w\-]*)[.,!]\s+"
                           r"[Tt]hat\s+is\s+my\s+name\b")


def rule_self_named(q: Quote, index: CharacterIndex) -> bool:
    """'My name is Oliver, sir' / 'I am Miss Morstan, and ...' / 'Mr. Sholto. That is my name.':
    who names themself in a quote speaks it."""
    for rx in (_SELF_NAMED, _NAME_IS_MINE):
        m = rx.search(q.text)
        if m:
            ch = index.resolve(m.group("name"))
            if ch is not None:
                return q.decide(ch.name, "self-named", EXPLICIT)
    return False


def rule_tagged_addressee_replies(q: Quote, prev: Para, named: set[str] = frozenset()) -> bool:
    """'"Did you think I was afraid?" she asked him.' -- a previous turn whose tag both names its
    speaker and says whom it was spoken to is answered by that person (not one named in the
    reply itself)."""
    if not prev.quotes:
        return False
    last = prev.quotes[-1]
    tagged = next((x for x in reversed(prev.quotes) if x.rule and x.rule.startswith(_TAG_RULES)), None)
    if tagged is None or not tagged.addressee or tagged.addressee == tagged.speaker:
        return False
    if last.speaker != tagged.speaker or tagged.addressee in named:
        return False
    return q.decide(tagged.addressee, "addressed-reply", IMPLICIT)


_TAG_RULES = ("explicit-verb", "pronoun-verb", "nominal-verb", "first-person")


def rule_turn_taking(q: Quote, prev: Para, before_prev: Para) -> bool:
    """A, B, ? -> A: in a two-party exchange the speakers alternate paragraph by paragraph."""
    a, b = before_prev.speaker, prev.first_speaker
    if a and b and a != b and prev.quotes[0].opened:
        return q.decide(a, "turn-taking", IMPLICIT)
    return False


SIEVE_OPTIONS: dict = {}  # experiment hook: keyword overrides for Sieve


def attribute(paras: list[Para], res: Resolver) -> None:
    """Run the sieve over paragraphs in reading order, filling each Quote's speaker."""
    Sieve(paras, res, **SIEVE_OPTIONS).run()
