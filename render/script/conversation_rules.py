"""Conversation rules: quotes of one paragraph share a speaker, a running speech keeps it, the
one addressed answers, turns alternate, a character acting in a reply's narration speaks it,
and, last, the nearest mention."""

from __future__ import annotations

import re

from . import tags as T
from .characters import CharacterIndex
from .family_calls import Voices, family_bearer, recent_voices
from .features import _ADDRESS_WORDS, vocative_forms, vocatives
from .lexicon import ANSWER_GESTURES, VOICES
from .quote_model import CHAIN_LEAD, CONFIDENCE, IMPLICIT, Para, Quote, rule_on
from .quotes import NARRATION
from .resolve import Context


# what a speaker says right before their own name: 'I'm', 'I am', 'my name is', 'known as'
_INTRODUCES = re.compile(r"(?:\bI\s*['\u2019]?\s*m|\bI\s+am|\bmy\s+name(?:,\s*\w+,)?\s+is|\bknown\s+as|"
                         r"\bcall\s+me)\s+(?:(?:only|just|plain|called)\s+)*$", re.I)
# narration saying a quote was spoken to oneself ('she answered herself', 'he said to himself')
_TO_ONESELF = re.compile(r"^[^.!?\"\u201c]{0,40}\b(?:him|her)self\b")


# a gesture in place of an answer, opening the predicate (an adverb or 'only' may come first)
_GESTURE = re.compile(r"\s+(?:(?:only|merely|just|again|\w+ly)\s+)?(?:" +
                      "|".join(w.replace(" ", r"\s+") for w in ANSWER_GESTURES) + r")\b")


def _answers_by_gesture(predicate: str) -> bool:
    """Rule 'nod-answers': the narration's subject answers without a word ('Sikes nodded.',
    'Jane shook her head.'); that gesture is their turn, so the speech after it is the last
    speaker's, whoever nodded. Measured over the 14 PDNC novels before it was written (one
    narration paragraph between two turns, opened by the name of the speaker of the turn before
    last and a nod, a head-shake or a bow): the last speaker went on 7 times, the one who nodded
    spoke 2."""
    return bool(_GESTURE.match(predicate))


def _to_oneself(p: Para, q: Quote) -> bool:
    """True when the narration right after quote q says it was spoken to oneself."""
    after = p.narration_after(q)
    return bool(after and _TO_ONESELF.search(after))


class ConversationRules:
    """Sieve methods for paragraphs no tag decided (mixed into Sieve)."""

    def _conversation(self, qi: int, ctx: Context) -> None:
        """Rules 3-4 for a paragraph no tag decided: vocative, then turn-taking."""
        p = self.qparas[qi]
        q = p.quotes[0]
        prev, gap = self._prev(qi)
        if prev is None or gap > self.max_gap or not prev.speaker:
            return
        if not q.opened or self._continues(qi):
            return
        if gap == 1 and self._listener_silent(q, prev, p):
            return
        if gap == 1 and self._called_reacts(q, prev, p):
            return
        if self._called_one_answers(q, prev, p):
            return
        if rule_tagged_addressee_replies(q, prev, self._named(p)):
            return
        # a third character who acts in the reply's own narration ('Jane looked up.') speaks it,
        # before turn-taking hands it back to the one who spoke the turn before last
        beat = self._beat_subjects(p)
        if beat and beat[0] != prev.speaker and not self._addressed(p, beat[0]):
            if q.decide(beat[0], "action-beat", IMPLICIT):
                return
        earlier = self.qparas[qi - 2].speaker if qi >= 2 and self.gaps[qi - 1] <= self.max_gap else None
        if gap == 1 and self._silent_turn(p, prev, earlier):
            return
        if self.inline_turns and qi >= 2 and self.gaps[qi - 1] <= self.max_gap:
            cand = self.qparas[qi - 2].speaker
            if cand and not self._addressed(p, cand):
                rule_turn_taking(q, prev, self.qparas[qi - 2])
            elif (cand and not self._addressed(p, prev.speaker) and not _guessed(self.qparas[qi - 2])
                  and not self._asker_waits(qi, prev.speaker)):  # exchange_rules: one who just asked waits
                rule_addressed_holds(q, prev, cand, self._vocatives(p), self._vocatives(prev))

    def _silent_turn(self, p: Para, prev: Para, earlier: str | None = None) -> bool:
        """The speech after a paragraph of narration whose subject is another character than the
        last speaker: '"…" / I nodded. / "…"' (the narrator's silent turn) goes back to the last
        speaker; a character the narration names is taken to speak next ('Lucy laughed.' / "…"),
        except a third one (rule 'third-reacts'): when the speaker of the turn before last
        (`earlier`) is known and the subject is neither of the two nor named in the speech, their
        act is a reaction ('Lucy was bewildered.', 'Mr. Beebe smiled as Miss Alan plunged into an
        anecdote') and the last speaker goes on. Measured over the 14 PDNC novels before it was
        written (gold speakers, one narration paragraph between two turns, its first sentence
        opened by a third character's name): the last speaker went on 28 times, the subject spoke
        4 times, someone else 10."""
        i = self._para_index[id(p)]
        beat = self.paras[i - 1]
        subj = T.sentence_subject(beat.text)
        if subj is None:
            return False
        if self._other_sex_reacts(subj[1], prev.speaker, earlier):
            return p.quotes[0].decide(prev.speaker, "turn-taking", IMPLICIT)
        if self._other_sex_replied(subj[1], beat.text[subj[0] + len(subj[1]):], prev.speaker):
            return p.quotes[0].decide(prev.speaker, "turn-taking", IMPLICIT)
        name = self.res.known_at(beat.text, subj[0])
        if subj[1] == "I":
            name = self.res.narrator_name
        if not name or name == prev.speaker:
            return False
        if T.np_kind(subj[1]) == "nominal":
            return False  # 'The girl received the news.': a role, not a name, too loose to pass the turn
        who = prev.speaker if name == self.res.narrator_name else name
        if _answers_by_gesture(beat.text[subj[0] + len(subj[1]):]) and rule_on("nod-answers"):
            who = prev.speaker  # the nod was their turn; the last speaker goes on
        if T.reports_speech(beat.text[subj[0] + len(subj[1]):]):
            who = prev.speaker  # 'Nell replied briefly that she was.': her turn, told
        if (earlier and name not in (earlier, self.res.narrator_name) and rule_on("third-reacts")
                and not self._addressed(p, name)):
            who = prev.speaker  # a third character's silent reaction: the last speaker goes on
        if self._addressed(p, who):
            return False
        return p.quotes[0].decide(who, "turn-taking", IMPLICIT)

    def _other_sex_replied(self, subject: str, predicate: str, last: str | None) -> bool:
        """Rule 'reported-reply': '"…" / She replied in the affirmative. / "…"' after a man's
        speech: 'she' told her answer (tags.reports_speech), so it was her turn, and the last
        speaker, of the other sex, goes on."""
        if subject not in ("He", "She") or not last or not rule_on("reported-reply"):
            return False
        sex = "male" if subject == "He" else "female"
        g = self.index.gender(last)
        return g in ("male", "female") and g != sex and T.reports_speech(predicate)

    def _other_sex_reacts(self, subject: str, last: str | None, earlier: str | None) -> bool:
        """Rule 'third-reacts' for a narration paragraph opened by 'He' or 'She' ('"…" / "…" /
        She shook her head. / "…"'): when both the last speaker and the one before are of the
        other sex, the pronoun is a third character, whose act is a reaction; the last speaker
        goes on. Measured over the 14 PDNC novels before it was written (gold speakers and
        genders): of 10 such turns, the last speaker's 7, a third character's 3."""
        if subject not in ("He", "She") or not (last and earlier) or not rule_on("third-reacts"):
            return False
        sex = "male" if subject == "He" else "female"
        genders = [self.index.gender(n) for n in (last, earlier)]
        return all(g in ("male", "female") and g != sex for g in genders)

    def _called_reacts(self, q: Quote, prev: Para, p: Para) -> bool:
        """'"…, Mr. Beebe?" / Mr. Beebe laughed and suggested … / "…"': the one the last turn
        called by name is the subject of the narration paragraph between, so their answer was
        that (silent) reaction, and the caller goes on. Not when the call asks a question (the
        reaction may only begin the answer: 'Lucy nodded.'), the narration hands over with a colon,
        or the reply has narration of its own after it. Measured over the 14 PDNC novels before it
        was written: of 21 replies the vocative rule gave the one called so, 5 were theirs and 12
        the caller's; as written it decides 11 quotes, 10 right."""
        if p.narration_after(q):
            return False  # the reply's own narration may say more than turn order ('she thought')
        if _asks(prev.quotes[-1].text):
            return False  # a question the reaction may only begin to answer ('Lucy nodded.')
        called = called_one(q, prev, self.index, {*prev.stage, *p.stage, prev.speaker, self.res.narrator_name},
                            self._named(p))
        if called is None or self._addressed(p, prev.speaker):
            return False
        beat = self.paras[self._para_index[id(p)] - 1]
        if beat.text.rstrip().endswith(":"):
            return False  # narration handing over to the speech after it ('…, too, essayed the roguish:')
        subj = T.sentence_subject(beat.text)
        if subj is None or self.res.known_at(beat.text, subj[0]) != called:
            return False
        return q.decide(prev.speaker, "called-reacts", IMPLICIT, CONFIDENCE["addressed-holds"])

    def _called_one_answers(self, q: Quote, prev: Para, p: Para) -> bool:
        """rule_vocative for quote q of paragraph p after prev, with the characters present in
        either paragraph (and the last speaker and narrator) as the stage."""
        stage = {*prev.stage, *p.stage, prev.speaker, self.res.narrator_name}
        voices = recent_voices(self.paras, self._para_index[id(p)], self.res.family_names)
        return rule_vocative(q, prev, self.index, stage, self._named(p), voices)

    def _mark_addressee(self, p: Para, ctx: Context) -> None:
        stage = {*p.stage, ctx.prev_speaker}
        for q in p.quotes:
            if q.addressee is None:
                voc = called_in(q.text, q.speaker, self.index, stage)
                if voc:
                    q.addressee = voc[0]

    def _vocatives(self, p: Para) -> set[str]:
        """Characters addressed by name in paragraph p's quotes ('…, Mr. Darcy?')."""
        return {n for q in p.quotes for n in vocatives(q.text, self.index)}

    def _addressed(self, p: Para, name: str) -> bool:
        """True when name is addressed by vocative in paragraph p's quotes (so it isn't the speaker)."""
        if self.named_excludes:
            return name in self._named(p)
        return any(name in vocatives(q.text, self.index) for q in p.quotes)

    def _named(self, p: Para, only: Quote | None = None) -> set[str]:
        """Characters named inside paragraph p's quotes (people rarely name themselves), or inside
        quote `only` alone, except where the speaker names themselves: a self-introduction ('I'm
        Ralph Denham', 'my name, sir, is Brownlow') or a quote spoken to oneself ('"Oh, you
        foolish Alice!" she answered herself')."""
        out = set()
        for q in p.quotes if only is None else (only,):
            if _to_oneself(p, q):
                continue
            text = q.text
            for s, e, surface in self.index.mentions(text):
                if surface.strip(".").capitalize() in _ADDRESS_WORDS:
                    continue
                if _INTRODUCES.search(text[max(0, s - 40):s]):
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
        subj = T.sentence_subject(narr, self._known)
        return self.res.known_at(narr, subj[0]) if subj is not None else None

    def _last_subject(self, narr: str) -> str | None:
        """The known character opening the last sentence of this narration (the beat nearest
        the speech that follows it), if any."""
        spans = list(T.sentences(narr))
        return self._subject_name(narr[spans[-1][0]:spans[-1][1]] if spans else narr)

    def _beat_subjects(self, p: Para) -> list[str]:
        """Characters who open a sentence of narration in paragraph p, in order."""
        names = (self._subject_name(p.text[s.start:s.end]) for s in p.narration())
        return [n for n in names if n]

    def _action_beats(self) -> None:
        """Rule 5: a character who opens a sentence of narration in the quote's own paragraph."""
        for p in self.qparas:
            if all(q.speaker for q in p.quotes):
                continue
            for q in p.quotes:  # narration after the speech is what happens next, not a beat
                names = [n for n in (self._last_subject(p.text[s.start:s.end])
                                     for s in p.segments[:q.seg] if s.kind == NARRATION and not s.cited) if n]
                if names:
                    q.decide(names[0], "action-beat", IMPLICIT)

    def _nearest_mentions(self) -> None:
        """Rule 6: the last character named before the quote (not its own addressee)."""
        last_named: str | None = None
        prev_speaker: str | None = None
        for p in self.paras:
            for i, s in enumerate(p.segments):
                if s.cited:
                    continue
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


def rule_vocative(q: Quote, prev: Para, index: CharacterIndex, stage=None,
                  named: set[str] = frozenset(), voices: Voices | None = None) -> bool:
    """The previous quote addressed someone by name ('Well, Lizzy?'): that person answers --
    when they are on stage (`stage`: characters present); an address to someone the scene has
    not mentioned is more likely a name the cast gives to someone else ('Miss Bennet'). A name
    only ever written with 'the' is someone spoken of, not called (see _with_article). When the
    last quote calls no one, a name called earlier in the turn counts (_called_earlier), unless
    the reply names that one itself (`named`: characters named in the reply's paragraph).
    `voices`: who spoke the last few turns (family_calls: a family name calls the one speaking)."""
    name = called_one(q, prev, index, stage, named, voices)
    return name is not None and q.decide(name, "vocative", IMPLICIT)


def called_one(q: Quote, prev: Para, index: CharacterIndex, stage=None,
               named: set[str] = frozenset(), voices: Voices | None = None) -> str | None:
    """The one the previous turn calls by name to answer quote q (see rule_vocative), if one."""
    if not prev.quotes:
        return None
    names = called_in(prev.quotes[-1].text, prev.speaker, index, stage, voices)
    if not names:
        names = [n for n in _called_earlier(q, prev, index) if n not in named]
    if len(names) != 1:
        return None
    if stage and names[0] not in stage:
        return None
    return names[0]


def called_in(text: str, speaker: str | None, index: CharacterIndex, stage=None,
              voices: Voices | None = None) -> list[str]:
    """The characters a speech by `speaker` calls by name, in order, each once: not the speaker,
    not a name only written with 'the' (_with_article), and a family name whose bearer is away
    taken as the one of that family on `stage` ('Miss Elliot': the daughter present; family_calls)."""
    names: list[str] = []
    for n, surface in vocative_forms(text, index):
        if n != speaker and not _with_article(text, n, index):
            n = family_bearer(index, surface, n, stage, speaker, voices)
            if n != speaker and n not in names:
                names.append(n)
    return names


def _called_earlier(q: Quote, prev: Para, index: CharacterIndex) -> list[str]:
    """Names called in the earlier quotes of the previous turn, whose last quote calls no one
    ('"Lizzy," said her mother, "I would not dance with him, if I were you."'): the one called
    answers when the turn ends on its speech (narration after it may move the scene on: 'She
    left the room at once.'), one speaker says all of it, and the reply opens its own paragraph.
    A quote that is nothing but a name, its sentence closed by the tag after it ('"Tilney," he
    repeated.' / '"Lady Narborough," he whispered.'), echoes or answers, and calls no one."""
    if q.seg != 0 or len(prev.quotes) < 2 or prev.segments[-1].kind == NARRATION:
        return []
    if any(x.speaker != prev.speaker for x in prev.quotes):
        return []
    out: list[str] = []
    for x in prev.quotes[:-1]:
        if _name_only(x.text, index) and (prev.narration_after(x) or "").rstrip().endswith((".", "!", "?")):
            continue
        for n in vocatives(x.text, index):
            if n != prev.speaker and n not in out and not _with_article(x.text, n, index):
                out.append(n)
    return out


def _asks(text: str) -> bool:
    """The quote ends on a question mark (closing quotation marks and dashes aside)."""
    return text.rstrip().rstrip("\"'\u201d\u2019-\u2014 ").endswith("?")


def _name_only(text: str, index: CharacterIndex) -> bool:
    """The quote says nothing but names ('"Tilney,"')."""
    spans = list(index.mentions(text))
    rest = "".join(text[a:b] for a, b in zip([0] + [e for _, e, _ in spans], [s for s, _, _ in spans] + [len(text)]))
    return bool(spans) and not re.search(r"\w", rest)


def _with_article(text: str, name: str, index: CharacterIndex) -> bool:
    """Every mention of name in text opens with 'the' ('"Whom?" / "The Frenchman?"'): someone
    spoken of, not called -- English calls no one by a noun with the definite article."""
    forms = [sf for _, _, sf in index.mentions(text)
             if (ch := index.resolve(sf)) is not None and ch.name == name]
    return bool(forms) and all(sf.split()[0].lower() == "the" for sf in forms)


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
# rules that decide a quote from what the text says of it (a tag, a name), not from turn order
_SAID_RULES = _TAG_RULES + ("self-named", "vocative", "addressed-reply")


def rule_addressed_holds(q: Quote, prev: Para, cand: str, addressed: set[str],
                         prev_addressed: set[str] = frozenset()) -> bool:
    """A, B (tagged), '…, A?' -> B: the speaker whose turn it would be (cand, who spoke the turn
    before last) is addressed by name in this one, so is not speaking it; the previous speaker
    goes on (a reply cut short, a question put again) rather than the exchange skipping a beat.

    Only when the text says who B is (a tag, or an answer to a name; a B guessed from turn order
    would carry a wrong turn further); not when B has
    just addressed A (then A's answer is expected, and A's name in it is most likely A's own:
    '"Oliver what?" / "Twist, Oliver Twist."'); not when the quote's own tag names an unknown
    voice ('growled a deep voice'): that is a newcomer."""
    first = next((x for x in prev.quotes if x.speaker), None)
    if first is None or first.speaker == cand or cand not in addressed or cand in prev_addressed:
        return False
    if not prev.quotes[0].opened or not (first.rule or "").startswith(_SAID_RULES):
        return False
    after = q.para.narration_after(q)
    tag = T.tag_after(after) if after else None
    if tag is not None and _unknown_voice(tag.np):
        return False
    return q.decide(first.speaker, "addressed-holds", IMPLICIT)


def _guessed(p: Para) -> bool:
    """The paragraph's speaker is only the last resort's guess (the nearest name before it):
    too weak a turn for addressed-holds to reason from ('"…, Frank, may we come in?" / "Who is
    with you?" / "The detective."': the guessed detective named in the answer is no reason for
    Frank to go on)."""
    last = next((q for q in reversed(p.quotes) if q.speaker), None)
    return last is not None and last.rule == "nearest-mention"


def _unknown_voice(np: str) -> bool:
    """'a deep voice', 'the voice from the stair-head', 'a man': a speaker the tag leaves unnamed."""
    words = np.lower().split()
    return bool(words) and (words[0] in ("a", "an") or any(w in VOICES for w in words))


def rule_turn_taking(q: Quote, prev: Para, before_prev: Para) -> bool:
    """A, B, ? -> A: in a two-party exchange the speakers alternate paragraph by paragraph."""
    a, b = before_prev.speaker, prev.first_speaker
    if a and b and a != b and prev.quotes[0].opened:
        return q.decide(a, "turn-taking", IMPLICIT)
    return False
