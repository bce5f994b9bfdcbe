"""Listener rules: what the narration between two turns tells of the one spoken to, when that
decides who speaks next ('"…?" / He was silent. / "…"': the last speaker goes on)."""

from __future__ import annotations

import re

from . import tags as T
from .lexicon import SILENCES
from .quote_model import CONFIDENCE, IMPLICIT, Para, Quote, rule_on

# a silence opening the predicate and ending its clause ('was silent.', 'made no answer, and …'),
# not one that only delays the speech ('was silent for a moment')
_SILENCE = re.compile(r"\s+(?:(?:still|only|merely|again|\w+ly)\s+)*(?:" +
                      "|".join(w.replace(" ", r"\s+(?:\w+ly\s+)?") for w in SILENCES) +
                      r")\b(?!\s+(?:for|till|until|a\s+moment|then)\b)")


class ListenerRules:
    """Sieve methods reading the listener's part between two turns (mixed into Sieve)."""

    def _listener_silent(self, q: Quote, prev: Para, p: Para) -> bool:
        """Rule 'silent-listener': the narration paragraph between two turns opens by telling that
        someone other than the last speaker kept silent or answered in reported words ('"…?" /
        He was silent. / "…"', '"…, Joe?" / Joe remained sullenly silent. / "…"', 'She replied in
        the affirmative.'): that was the listener's turn, so the last speaker goes on, even when
        the last speech called the listener by name or asked a question. Measured over the 14
        PDNC novels before it was written (rules alone, with a cast): of 16 untagged speeches
        after such a paragraph, the last speaker's 14; the sieve had 6 of them right. As written
        (only a subject that is not the last speaker: a name, or 'he'/'she' of the other sex)
        it gains 5 quotes with a cast and 8 without, rules alone, no novel lower."""
        if not rule_on("silent-listener") or self._addressed(p, prev.speaker):
            return False
        beat = self.paras[self._para_index[id(p)] - 1]
        spans = list(T.sentences(beat.text))
        first = beat.text[:spans[0][1]] if spans else beat.text
        subj = T.sentence_subject(first)
        if subj is None:
            return False
        predicate = first[subj[0] + len(subj[1]):]
        if not (_SILENCE.match(predicate) or T.reports_speech(predicate)):
            return False
        if self._means_last_speaker(subj, first, prev):
            return False  # the last speaker fell silent: the turn passes on as usual
        return q.decide(prev.speaker, "silent-listener", IMPLICIT, CONFIDENCE["turn-taking"])

    def _means_last_speaker(self, subj: tuple[int, str], text: str, prev: Para) -> bool:
        """The subject (name or 'he'/'she') may well be the last speaker: named so, or a pronoun
        of the last speaker's sex."""
        name = self.res.known_at(text, subj[0])
        if name is not None:
            return name == prev.speaker
        if subj[1] in ("He", "She"):
            return self.index.gender(prev.speaker) == ("male" if subj[1] == "He" else "female")
        return True  # 'The old man', 'His companion': unsure who, leave it to the other rules
