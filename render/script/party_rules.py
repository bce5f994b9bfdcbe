"""Party rules: exchanges of three or more voices, where 'the other party' of a turn is a guess
among several people rather than the one person a two-person exchange leaves."""

from __future__ import annotations

from .quote_model import rule_on

PARTY_REACH = 8  # quote paragraphs either side of a turn that make its company
PARTY_LEAST = 3  # distinct decided speakers in a run that make it a conversation of several


class PartyRules:
    """Sieve methods for conversations of several people (mixed into Sieve)."""

    def _parity_outranks(self, run: list[list[int]], j: int, known: dict, before: list[int],
                         after: list[int], votes: list[tuple]) -> bool:
        """Rule 'party-parity': the two decided turns around an undecided turn disagree; the
        nearer one votes for its 'other party' (the turn is an odd number of turns from it),
        the farther one for its own speaker (an even number of turns away); and PARTY_LEAST or
        more people speak in the run. Among several people the other party is a guess (the
        nearest other voice of the run), while the farther vote names the one who spoke two,
        four turns before or after, so the farther vote decides ('"…," said Wren. / "…" /
        "…," said Ash. / "…" <- Wren's / "…," said Nell.': Nell's other party is Ash or Wren;
        Wren is Wren). Not when the nearer turn was decided because the turn before it called
        its speaker by name (addressed-reply): that turn is one of a pair known to be talking,
        caller and called (of the 6 such turns, the nearer vote was right in all 6). Measured over
        the 14 PDNC novels before it was written (rules alone, with a cast, the turns of runs of
        3+ speakers where the votes so disagree): the nearer vote was right 11 times of 51, the
        farther 28; in runs of two speakers, 10 and 10 of 22, hence PARTY_LEAST."""
        if len(votes) != 2 or votes[0][0] == votes[1][0] or not rule_on("party-parity"):
            return False
        (_, _, near_same), (_, _, far_same) = votes
        if near_same or not far_same:
            return False
        if len({sp for sp in known.values() if sp}) < PARTY_LEAST:
            return False
        near = before[-1] if before and j - before[-1] == votes[0][0] else after[0]
        q = self._deciding_quote(run[near])
        return q is None or q.rule != "addressed-reply"

    def _party_around(self, qi: int) -> int:
        """How many distinct decided speakers the PARTY_REACH quote paragraphs either side of
        quote paragraph qi hold, within its run (at most run_gap narration paragraphs apart)."""
        lo = qi
        while lo > max(0, qi - PARTY_REACH) and self.gaps[lo] <= self.run_gap:
            lo -= 1
        hi = qi
        while hi + 1 < min(len(self.qparas), qi + PARTY_REACH + 1) and self.gaps[hi + 1] <= self.run_gap:
            hi += 1
        return len({sp for k in range(lo, hi + 1) if (sp := self.qparas[k].first_speaker)})

    def _backward_fenced(self, qi: int) -> bool:
        """Rule 'party-backward' (fence): backward turn-taking (an undecided turn takes the
        speaker of the turn after next) is left out where PARTY_LEAST or more people speak
        within PARTY_REACH quote paragraphs of the turn in its run: among several voices the one
        who speaks two turns on is a guess ('"Who told you?" / "Nobody," said Nell. / "I saw
        it," said Ash. / "Then we stay," said Wren.': the first turn is not Ash's for being two
        before his). It reaches the turns alternation, which runs first, left undecided; the
        later passes decide them. Measured on the 14 PDNC novels (rules alone, with a cast): in
        turns of runs of 3+ speakers, turn-taking-backward was right 10 times of 30."""
        return rule_on("party-backward") and self._party_around(qi) >= PARTY_LEAST
