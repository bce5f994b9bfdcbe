"""Turn fences: what the narration between two turns says that backward turn-taking (an
undecided turn takes the speaker of the turn after next), right barely half the time, would
otherwise read past."""

from __future__ import annotations

from . import tags as T
from .conversation_rules import _SAID_RULES
from .quote_model import rule_on

BEAT_SENTENCES = 2  # sentences of narration a silent turn between two speeches runs to, at most


class TurnFences:
    """Sieve methods (mixed into Sieve) that read the narration between two turns."""

    def _beat_by(self, qi: int, name: str) -> bool:
        """Rule 'beat-back': backward turn-taking would give quote paragraph qi to `name`, who
        speaks two turns on; but `name` is the subject of the short beat between qi and the next
        turn ('"The rain has stopped." / Ash made no answer. / "Then I shall go," said Wren. /
        "Take the lantern," said Ash.'). That beat was their turn -- a silence, a nod, a reply
        the narration reports -- so the speech before it is the other voice's, who goes on
        after the beat (the caller takes qi instead). Only when the text names the speaker after
        the beat (a tag or a call: a guessed one would carry a wrong turn further), the speech
        qi is bare (narration of its own may say more than turn order), and the beat is about
        `name` alone and short (BEAT_SENTENCES). Measured over the 14 PDNC novels before it was
        written (rules alone, with a cast): of 11 turns backward turn-taking gave across a beat
        opened by the name of the one it gave them to, 2 were theirs and 6 the next speaker's
        (a pronoun subject: 3 and 3, left out)."""
        if not rule_on("beat-back") or self.gaps[qi + 1] != 1 or len(self.qparas[qi].segments) > 1:
            return False
        after = self.qparas[qi + 1]
        said = next((q for q in after.quotes if q.speaker), None)
        if said is None or not (said.rule or "").startswith(_SAID_RULES):
            return False  # the next speaker is only a guess
        beat = self.paras[self._para_index[id(after)] - 1].text
        spans = list(T.sentences(beat))
        if len(spans) > BEAT_SENTENCES:
            return False  # a longer passage moves the scene on (someone comes in, time passes)
        subj = T.sentence_subject(beat)
        if subj is None or T.np_kind(subj[1]) == "nominal":
            return False  # 'The girl received the news.': a role, too loose to move the turn
        if self.res.known_at(beat, subj[0]) != name:
            return False
        return all(self._subject_name(beat[a:b]) in (None, name) for a, b in spans)
