"""Exchange rules: runs of adjacent quote paragraphs read as two-party exchanges -- running
speeches kept whole, turns alternating, undecided turns filled forwards and backwards."""

from __future__ import annotations

from itertools import takewhile

from .conversation_rules import _SAID_RULES, _asks, rule_speech_chain
from .features import addressee_of
from .quote_model import CHAIN_LEAD, CONFIDENCE, IMPLICIT, continues_speech, rule_on
from .quotes import NARRATION
from .resolve import Context


PARITY_BREAK_LEAST = 4  # turns between two disagreeing tags before a break is looked for
NAMED_ANCHOR_REACH = 3  # turns from a named turn that may outrank a nearer guessed one
UNHEARD_REACH = 20  # paragraphs back in which the other party of an exchange should have spoken
HEARD_REACH = 8  # paragraphs back in which a voice heard may be that other party instead
LEADS = 2  # the book's most named characters: their turns are the ones left undecided, not silence
# rules that decide a turn from its speaker's name (not a pronoun, a description or turn order)
_NAMED_RULES = ("explicit-verb", "first-person", "vocative", "addressed-reply")


class ExchangeRules:
    """Sieve methods over whole exchanges (mixed into Sieve)."""

    def _turns(self, gap: int | None = None) -> list[list[list[int]]]:
        """Runs of adjacent quote paragraphs (at most `gap` narration paragraphs apart, default
        run_gap), each a list of turns (a turn = paragraph indices into qparas: one paragraph plus
        those that continue its unclosed quote)."""
        gap = self.run_gap if gap is None else gap
        runs: list[list[list[int]]] = []
        for qi, p in enumerate(self.qparas):
            if runs and runs[-1] and self._continues(qi):
                runs[-1][-1].append(qi)  # a continued quote: same turn
                continue
            if not runs or self.gaps[qi] > gap:
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
        q = self._deciding_quote(turn)
        return q.speaker if q is not None else None

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
            texts += [self.paras[i - 1].text[s.start:s.end] for s in self.paras[i - 1].narration()]
        first = p.quotes[0].seg
        texts += [p.text[s.start:s.end] for s in p.segments[:first] if s.kind == NARRATION and not s.cited]
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
        more certain than one) -- unless the turn before it, decided by now, called someone by
        name: that one answers (_called_answers), as when the book was read."""
        for run in self._turns():
            known = {j: self._turn_speaker(t) for j, t in enumerate(run)}
            anchors = [j for j, sp in known.items() if sp]
            if not anchors:
                continue
            for j, turn in enumerate(run):
                if known[j] or (j > 0 and self._called_answers(run[j - 1][-1], turn)):
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
                if len(votes) == 2 and not agree and (self._named_outranks(run, j, before, after, votes)
                                                      or self._parity_outranks(run, j, known, before, after, votes)):
                    _, guess, same = votes[1]
                p = self.qparas[turn[0]]
                if self._addressed(p, guess) or self._asker_waits(turn[0], guess):
                    continue
                if not from_stage and not same:
                    guess = self._heard_instead(turn[0], guess, {known[s] for s in before[-1:] + after[:1]})
                conf = (0.7 if same else 0.6) + (0.08 if agree else 0.0)
                for qi in turn:
                    for q in self.qparas[qi].quotes:
                        q.decide(guess, "alternation", IMPLICIT, conf)

    def _heard_instead(self, qi: int, guess: str, parties: set) -> str:
        """Rule 'unheard-other': the other party alternation gives quote paragraph qi to has not
        spoken in the UNHEARD_REACH paragraphs before it (only named, or heard later in the
        exchange), while another voice, not known to be of that party's sex, was heard in the
        last HEARD_REACH paragraphs: that voice answers ('"The hens are in the garden," said
        Wren. / "Then I shall chase them out." / "…," said Wren. / "Leave them be," said Nell.':
        the untagged turn is Ash's, heard a moment before, not silent Nell's).
        Only when the decided turns nearest it on either side are one person's (parties): between
        two people both talking, a third, silent one is no likelier than a fourth. Not when the
        voice heard is of the silent one's sex (a 'he said' may have given the silent man's own
        turns to the other man), nor a voice the paragraph calls by name, nor when the silent one
        is one of the book's LEADS most named characters (their earlier turns are often the ones
        still undecided here). Without these fences the swap gained nothing on the development
        novels; the figures are in the commit that added it."""
        if not rule_on("unheard-other") or len(parties) != 1 or not self._unheard(guess, qi):
            return guess
        heard = self._last_heard(qi, parties | {guess})
        if heard is None or self._addressed(self.qparas[qi], heard):
            return guess
        sex = self.index.gender(guess)
        if sex in ("male", "female") and self.index.gender(heard) == sex:
            return guess
        return heard

    def _unheard(self, name: str, qi: int) -> bool:
        """No quote of quote paragraph qi's chapter in the UNHEARD_REACH paragraphs before it was
        given to name, who is not one of the book's LEADS most named characters."""
        leads = sorted(self.res.prominence, key=self.res.prominence.get, reverse=True)[:LEADS]
        if name in leads:
            return False
        end = self._para_index[id(self.qparas[qi])]
        chapter = self.paras[end].chapter
        return not any(p.chapter == chapter and any(q.speaker == name for q in p.quotes)
                       for p in self.paras[max(0, end - UNHEARD_REACH):end])

    def _last_heard(self, qi: int, exclude: set) -> str | None:
        """The last speaker, not in exclude, of the chapter's HEARD_REACH paragraphs before quote
        paragraph qi."""
        end = self._para_index[id(self.qparas[qi])]
        chapter = self.paras[end].chapter
        for p in reversed(self.paras[max(0, end - HEARD_REACH):end]):
            if p.chapter != chapter:
                break
            for q in reversed(p.quotes):
                if q.speaker and q.speaker not in exclude:
                    return q.speaker
        return None

    def _named_outranks(self, run: list[list[int]], j: int, before: list[int], after: list[int],
                        votes: list[tuple]) -> bool:
        """Rule 'named-anchor': the two decided turns around undecided turn j imply different
        speakers (the parity broke somewhere between them), the nearer one was decided only by
        turn order or a beat (no tag, no name) or by a pronoun that cannot tell the people
        apart (_same_sex_pronoun), and the farther one, at most NAMED_ANCHOR_REACH turns away,
        by its speaker's name (a tag with a name, a name called): the weaker turn is the likelier
        place for the break, so the named turn decides ('"…?" said Wren. / "…" / "…" <- Wren's /
        Fielding pushed his plate away. "…"': not the voice the beat's other party implies).
        Measured over the 14 PDNC novels before it was written (rules alone, with a cast): of the
        261 alternation turns whose two sides disagree, 15 had a nearer guessed turn and a
        farther named one; the nearer was right once, the farther 10 times. As written it gains
        5 quotes with a cast, 8 without (A Passage to India 3, Northanger Abbey and Persuasion
        1 each); with no reach it cost Alice a quote (Pat, whom the cast does not know,
        answering), and with any pronoun it cost Northanger Abbey 4 and The Awakening 1."""
        if not (before and after) or not rule_on("named-anchor"):
            return False
        b, a = before[-1], after[0]
        if j - b == a - j:
            return False  # neither is nearer
        near, far = (b, a) if j - b < a - j else (a, b)
        if abs(far - j) > NAMED_ANCHOR_REACH:
            return False  # parity over a long stretch is no surer than the guess beside the turn
        if not self._named_turn(run[far]):
            return False
        return self._guessed_turn(run[near]) or self._same_sex_pronoun(run[near], run[far], votes)

    def _same_sex_pronoun(self, near: list[int], far: list[int], votes: list[tuple]) -> bool:
        """The nearer turn was decided by a pronoun tag ('he asked') among people all of one sex
        (the two turns' speakers and the two guesses): the pronoun does not tell them apart,
        so it is no surer than turn order ('"…," said Aziz. / "…" / "…?" he asked. / "…"')."""
        q = self._deciding_quote(near)
        if q is None or not (q.rule or "").startswith("pronoun-verb"):
            return False
        names = {self._turn_speaker(near), self._turn_speaker(far)} | {v[1] for v in votes}
        sexes = {self.index.gender(n) for n in names}
        return len(sexes) == 1 and sexes <= {"male", "female"}

    def _guessed_turn(self, turn: list[int]) -> bool:
        """The turn's speaker was decided by turn order or a beat, not by anything said of it."""
        q = self._deciding_quote(turn)
        return q is not None and not (q.rule or "").startswith(_SAID_RULES)

    def _named_turn(self, turn: list[int]) -> bool:
        """The turn's speaker was decided by their name: a tag naming them, a name called, 'I'."""
        q = self._deciding_quote(turn)
        return q is not None and (q.rule or "").startswith(_NAMED_RULES)

    def _deciding_quote(self, turn: list[int]):
        """The first decided quote of the turn's opening paragraphs, whose speaker is the turn's."""
        for qi in turn[:CHAIN_LEAD]:  # deeper in a long speech, tags are the teller's quotations
            q = next((x for x in self.qparas[qi].quotes if x.speaker), None)
            if q is not None:
                return q
        return None

    def _called_answers(self, prev_qi: int, turn: list[int]) -> bool:
        """The vocative rule inside an exchange: the turn before this one was undecided when the
        book was read and is decided now (by alternation, in order), and its last quote calls
        someone by name ('"…, Miss Morland?" / "…"'); the one called answers, rather than the
        speaker distant anchors imply. True when the turn was decided so."""
        prev, p = self.qparas[prev_qi], self.qparas[turn[0]]
        q = p.quotes[0]
        if not prev.speaker or not q.opened:
            return False
        if not self._called_one_answers(q, prev, p):
            return False
        for qi in turn:
            for x in self.qparas[qi].quotes:
                x.decide(q.speaker, q.rule, IMPLICIT, q.confidence)
        return True

    def _stage_speakers(self) -> None:
        """Last of all, a paragraph that opens with a quote no rule voiced is spoken by the most
        salient character on stage who has spoken earlier in the chapter, is not the last speaker
        and is not named in it: someone in the scene, rather than no one. Not a quote after
        narration in its own paragraph: narration that no rule read as its tag or beat may bring
        in someone the stage does not hold."""
        spoke: set[str] = set()
        chapter = None
        for qi, p in enumerate(self.qparas):
            if p.chapter != chapter:
                spoke, chapter = set(), p.chapter
            q = p.quotes[0]
            if not q.speaker and q.seg == 0 and not self._continues(qi):
                prev, gap = self._prev(qi)
                last = prev.speaker if prev is not None and gap <= self.max_gap else None
                turn = [qi] + list(takewhile(self._continues, range(qi + 1, len(self.qparas))))
                named = set().union(*(self._named(self.qparas[k]) for k in turn))
                guess = next((n for n in p.stage if n in spoke and n != last and n not in named), None)
                for x in (x for k in turn for x in self.qparas[k].quotes):  # a running speech is one turn
                    x.decide(guess, "nearest-mention-stage", IMPLICIT, CONFIDENCE["nearest-mention"])
            spoke |= {x.speaker for x in p.quotes if x.speaker}

    def _parity_breaks(self) -> None:
        """Two tagged turns of one exchange between the same two people whose parity disagrees
        (A tagged, four or more turns, then a tag that turn-taking from A would not reach: 'said A'
        an odd number of turns on) enclose a turn where one of them went on. Turn-taking carried
        the first tag up to the second; the first turn between them (not the one right after the
        first tag) that comes after narration -- a narration paragraph, or narration opening its
        own paragraph (a beat no rule read as naming anyone) -- is taken as where the speaker went
        on, and the turns from there to the second tag follow the second tag instead. Measured
        over the 14 PDNC novels before it was written: in such intervals between two tags of the
        same pair the turns then read were right 230 times of 398, re-labelled from the first turn
        after narration 261."""
        for run in self._turns(self.max_gap):
            tagged = {j: self._said_speaker(t[0]) for j, t in enumerate(run)}
            anchors = [j for j, sp in tagged.items() if sp]
            for i, k in zip(anchors, anchors[1:]):
                if k - i - 1 < PARITY_BREAK_LEAST:
                    continue
                x, y = tagged[i], tagged[k]
                other = next((sp for t in run[i + 1:k] if (sp := self.qparas[t[0]].quotes[0].speaker)
                              and sp != x), None)
                if other is None or y not in (x, other) or (x == y) == ((k - i) % 2 == 0):
                    continue  # the parities agree, or the second tag names a third person
                m = next((j for j in range(i + 2, k) if self._after_narration(run[j][0])), None)
                if m is None:
                    continue
                y_other = x if y == other else other
                for j in range(m, k):
                    guess = y if (k - j) % 2 == 0 else y_other
                    if self._addressed(self.qparas[run[j][0]], guess):
                        continue
                    for qi in run[j]:
                        for q in self.qparas[qi].quotes:
                            if q.speaker != guess and not (q.rule or "").startswith(_SAID_RULES):
                                was = q.speaker, q.rule, q.kind, q.confidence
                                q.speaker = None  # decided before by turn order: decided again
                                if not q.decide(guess, "alternation-break", IMPLICIT, CONFIDENCE["alternation"]):
                                    q.speaker, q.rule, q.kind, q.confidence = was

    def _after_narration(self, qi: int) -> bool:
        """Quote paragraph qi follows a narration paragraph or opens with narration."""
        return self.gaps[qi] > 0 or self.qparas[qi].quotes[0].seg > 0

    def _said_speaker(self, qi: int) -> str | None:
        """The speaker the text names for paragraph qi's quotes (a tag, a name called), if one."""
        said = {q.speaker for q in self.qparas[qi].quotes if (q.rule or "").startswith(_SAID_RULES)}
        return said.pop() if len(said) == 1 else None

    def _asker_waits(self, qi: int, name: str | None) -> bool:
        """Rule 'question-answered': quote paragraph qi, a speech with no narration of its own,
        follows (no narration between) a paragraph that ends on a question asked by `name`
        ('"How can you be so sure?"' / '"It is not hard."'): one who has just put a question
        waits for its answer, so alternation, backward turn-taking and addressed-holds (the
        reply calls the one whose turn it would be by name: '"Had you not better ask him?"' /
        '"Ash, he went home."') do not give them the next paragraph too; the turn is left to
        the rules after them (a tag, or narration in the
        reply, is stronger than this). Measured over the 14 PDNC novels before it was written
        (gold speakers, text cut at 400 characters): of 24 untagged turns the sieve gave, right
        after such a question, to the one who asked it, 5 were theirs; as written it changes
        20 quotes (with a cast), 4 right before, 10 after."""
        here = self.qparas[qi]
        if not name or qi == 0 or self.gaps[qi] or here.quotes[0].seg != 0 or len(here.segments) > 1:
            return False
        prev = self.qparas[qi - 1]
        if prev.speaker != name or prev.segments[-1].kind == NARRATION or not rule_on("question-answered"):
            return False
        return _asks(prev.quotes[-1].text)

    # -- the forward pass

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
            if self._asker_waits(qi, s2) or self._backward_fenced(qi):
                continue
            if s1 and s2 and s1 != s2 and n1.quotes[0].opened:
                # the one two turns on whose silent turn is the beat between: the other voice's (turn_fences)
                who = s1 if self._beat_by(qi, s2) else s2
                if not self._addressed(p, who):
                    for q in p.quotes:
                        changed += q.decide(who, "turn-taking-backward", IMPLICIT)
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
