"""Tag rules: a speech tag next to a quote ('said Alice', 'she cried', 'said his wife'), or
closing the paragraph before it, names the quote's speaker; so does a quote whose speaker names
themself ('My name is Oliver')."""

from __future__ import annotations

import re
from dataclasses import replace

from . import tags as T
from .characters import CharacterIndex
from .delivery import delivery_hint
from .features import note_mentions
from .lexicon import CONTINUING_VERBS, NATIONALITY_NOUNS, VOICES
from .tag_phrases import VERB
from .normalize import noun_gender
from .quote_model import ANAPHORIC, EXPLICIT, IMPLICIT, Para, Quote, rule_on
from .quotes import NARRATION
from .resolve import Context
from .self_names import calls_self
from .extra_rules import ExtraRules
from .subjects import fronted_subject

HELD_TAIL = 40  # characters of narration after a speech that make it more than a tag

# 'she said to herself' / 'said he softly to himself': the reflexive in the tag's own clause (no
# comma between), not in a phrase after it ('he added, as if arguing to himself')
_REFLEXIVE = re.compile(r"[^,;:.!?\u2014]{0,40}?\b(?:to|unto)\s+(?:her|him)self\b")
_NEXT_VOICE = re.compile(r"^[\s,;]*(?:and|but|while|whilst|whereupon)\s+[^.!?;]*[,:\u2014-]\s*$")
# '"…"; Das thought, "…"': a semicolon after a quote opens a clause of its own, which may hand over
_NEXT_CLAUSE = re.compile(r"^\s*;\s*[^.!?;]*[,:\u2014-]\s*$")
_TITLE_STOP = re.compile(r"\b(Mr|Mrs|Dr|Ms|St)\.")


def _leads_on(p: Para, q: Quote, narr: str) -> bool:
    """A speech closed by a full stop ('"… do give up that farce."') is not followed by its own
    tag: narration after it that leads into the next quote of the paragraph (ending with a comma,
    colon or dash) introduces that quote."""
    nxt = q.seg + 2
    return (q.text.rstrip(" '\u2019_").endswith(".") and not q.text.rstrip(" '\u2019_").endswith("..")
            and nxt < len(p.segments) and p.segments[nxt].kind != NARRATION
            and bool(re.search(r"(?:[,:\u2014]|--|-)\s*$", narr)))


def _tag_end(narr: str, tag: T.Tag) -> int:
    """Where the tag's subject and verb end in narr ('she said|' / 'said he|' / 'she began|')."""
    end = tag.np_start + len(tag.np)
    words = tag.verb.split()
    if words:
        m = re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b").search(
            narr, max(0, tag.np_start - 60))
        if m and m.start() < end + 200:
            end = max(end, m.end())
    return end


_ONLY_ADVERBS = re.compile(r"(?:\s*,?\s*" + T.ADVERB + r")*\s*[.!]?\s*")


def _ends_with_verb(narr: str, tag: T.Tag) -> bool:
    """'… and Mrs. Hurst began again.' ends on its speech verb, so it introduces what follows;
    '… and said she was ready to go.' / 'He replied by asking her to make room' report speech."""
    return bool(_ONLY_ADVERBS.fullmatch(narr, _tag_end(narr, tag)))


def _hands_over(p: Para, q: Quote, narr: str) -> bool:
    """'"…," and Mrs. Moore thought, "…"': narration after a quote that opens a new clause and
    leads into the next quote of the paragraph introduces that quote's voice, not this one's."""
    nxt = q.seg + 2
    if nxt >= len(p.segments) or p.segments[nxt].kind == NARRATION:
        return False
    if _NEXT_VOICE.match(narr):
        return True
    # 'and Mrs. Moore thought,': a title's full stop ends no clause
    return rule_on("next-voice") and bool(_NEXT_VOICE.match(_TITLE_STOP.sub(r"\1", narr))
                                          or _NEXT_CLAUSE.match(_TITLE_STOP.sub(r"\1", narr)))



class TagRules(ExtraRules):
    """Sieve methods that read speech tags (mixed into Sieve)."""

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
        subj = T.sentence_subject(narr, self._known)
        return subj is not None and T.np_kind(subj[1]) == "nominal" and subj[1].split()[0] in ("The", "the")

    def _holds_turn(self, prev: Para, strict: bool = True) -> bool:
        """'"…," she continued. She paused for a minute, and then went on.': a paragraph that
        ends with narration whose last sentence is about its speaker (by name, or by a pronoun of
        their gender) leaves the floor with them, so 'he said' on the next paragraph may be them.
        With 'held-turn-back', sentences about no one ('That was why …') or about someone of the
        other gender ('His wife did not reply.') are passed over to the one before."""
        last = prev.segments[-1] if prev.segments else None
        speaker = prev.speaker
        if last is None or last.kind != NARRATION or not speaker:
            return False
        tail = prev.text[last.start:last.end].strip()
        if (strict and len(tail) <= HELD_TAIL) or tail.endswith((":", "-", "\u2014")):
            return False  # short, or a tag introducing the next speech
        spans = list(T.sentences(tail)) or [(0, len(tail))]
        mine = self.res.gender(speaker)
        # the last sentence about someone of the speaker's gender decides
        for i in range(len(spans) - 1, -1, -1):
            sent = tail[spans[i][0]:spans[i][1]]
            # 'Turning away, he lit his pipe.': after an opening phrase (rule 'fronted-subject')
            subj = T.sentence_subject(sent, self._known) or fronted_subject(sent, self._known)
            if subj is None:
                if rule_on("held-turn-back"):
                    continue
                return False
            known = self.res.known_at(sent, subj[0])
            if known == speaker:
                return True
            if known is not None:
                if rule_on("held-turn-back") and self.res.gender(known) != mine:
                    continue
                return False
            # 'he' of the speaker's gender is the speaker, however their turn was decided, in a
            # sentence of its own or in their own tag when nothing follows it ('"Certainly." He
            # read to her little bits out of the newspaper, while she straightened things.'); not
            # in the tag when sentences about others follow ('"…," she said, and resumed the
            # climb. Aziz held her hand.')
            g = {"he": "male", "she": "female"}.get(subj[1].lower())
            own = i > 0 or i == len(spans) - 1 or prev.segments[-2:-1] == [] or \
                T.tag_after(tail, self._known) is None
            if g is None or g != mine:
                other = g is not None or noun_gender(subj[1].split()[-1].lower()) not in (None, mine)
                if other and rule_on("held-turn-back"):
                    continue  # 'She …' / 'His wife …' after a man's speech
                return False
            return own or not strict
        return False

    def _goes_on(self, q: Quote, tag: T.Tag) -> bool:
        """'"…," she added' / 'he went on' after a paragraph whose speech ends in narration about
        its speaker (by name, or a pronoun of their gender; unlike the held turn, no tag need
        have named them): a verb that goes on with a speech keeps that speaker on the floor."""
        prev = self.before.get(id(q.para))
        if " ".join(tag.verb.lower().split()) not in CONTINUING_VERBS or prev is None or not prev.quotes:
            return False
        return self._holds_turn(prev, strict=False)

    def _local_subjects(self, p: Para, q: Quote) -> list[str]:
        """Characters that open a sentence in the narration before q in this paragraph (last first)."""
        out = []
        if q.seg == 0 or p.segments[q.seg - 1].kind != NARRATION:
            return out
        s = p.segments[q.seg - 1]
        narr = p.text[s.start:s.end]
        off, sent = T.last_sentence(narr)
        subj = T.sentence_subject(sent.rstrip(" ,:;-\u2014"), self._known)
        if subj is not None:
            pos, np = subj
            name = self.res.known_at(narr, off + pos)
            if name:
                out.append(name)
        return out

    def _partner(self, qi: int) -> str | None:
        """Speaker of the quote paragraph two turns before quote paragraph qi, when the three are
        one exchange (at most max_gap narration paragraphs between each)."""
        if qi < 2 or self.gaps[qi] > self.max_gap or self.gaps[qi - 1] > self.max_gap:
            return None
        return self.qparas[qi - 2].speaker

    def _tags(self, q: Quote, ctx: Context) -> None:
        """Rules 1: the tag right after the quote, then the one right before it."""
        p = q.para
        narr = p.narration_after(q)
        tag = T.tag_after(narr, self._known) if narr is not None else None
        if tag is not None and tag.kin_owner and self.res.allow_new:
            tag = None  # 'was her husband's answer': without a cast no one is known as her husband
        elif tag is not None and tag.kind == "name" and _hands_over(p, q, narr):
            tag = None  # the next quote's tag
        elif tag is not None and rule_on("full-stop-tag") and _leads_on(p, q, narr):
            tag = None  # '"… farce." He replied in a sad voice, "…"': the next quote's tag
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
            if (tag is not None and not self._aside_of_last_speech(p, q, narr, tag)
                    and self._decide_by_tag(q, tag, narr, ctx, "before")):
                return
        self._untagged_extra(p, q, narr)

    def _aside_of_last_speech(self, p: Para, q: Quote, narr: str, tag: T.Tag) -> bool:
        """Rule 'aside-pronoun': '"…," he added, as she laughed scornfully, "…"' -- narration
        between two speeches that opens with the first one's own tag goes on about its speaker; a
        'he' or 'she' in a clause it subordinates ('as she laughed', 'when she returned') is no tag
        of the next speech, which then keeps the first one's speaker (rule same-paragraph)."""
        if tag.kind != "pronoun" or q.seg < 2 or p.segments[q.seg - 2].kind == NARRATION \
                or narr != p.narration_before(q) or not rule_on("aside-pronoun"):
            return False
        own = T.tag_after(narr, self._known)
        return own is not None and own.np_start != tag.np_start \
            and bool(_SUBORDINATED.search(narr, max(0, tag.np_start - 12), tag.np_start))

    def _introduction(self, p: Para) -> str | None:
        """Narration closing the paragraph before p that introduces p's speech ('Mr. Limbkins said:')."""
        prev = self.before.get(id(p))
        if prev is None or not prev.segments or prev.segments[-1].kind != NARRATION:
            return None
        last = prev.segments[-1]
        narr = prev.text[last.start:last.end]
        if re.search(r"(?:[,:\u2014]|--|-)\s*$", narr):
            return narr
        if T.tells_speech(narr) or _reports_clause(narr) or (len(prev.segments) > 1 and T.speech_goes_on(narr)):
            return None  # 'Nell replied very briefly that she was.' / '… as she spoke.': a speech told, not introduced
        if narr.endswith(".") and len(prev.segments) == 1:
            return narr  # a narration paragraph ending '… thus began.'
        if narr.endswith(".") and len(prev.segments) > 1:
            # '"…," he replied. A pause followed, and Mrs. Hurst began again.' -- a second tag
            # after the speaker's own introduces the next paragraph's voice
            own, nxt = T.tag_after(narr, self._known), T.tag_before(narr, self._known)
            # a pronoun or description must end the sentence with its verb; a name is clear enough
            reported = nxt is not None and nxt.kind != "name" and not _ends_with_verb(narr, nxt) \
                and rule_on("verb-ends-introduction")
            if nxt is not None and nxt.np and (own is None or own.np_start != nxt.np_start) and not reported:
                return narr
        return None

    def _introduced_by_speaker(self, q: Quote, tag: T.Tag, narr: str) -> bool:
        """'"Certainly," he replied. Elizabeth hoped she had silenced him; but he soon afterwards
        said,': the pronoun introducing q closes the previous turn's own paragraph, whose
        narration names no one else of its gender, so it is that speaker going on."""
        prev = self.before.get(id(q.para))
        if q.seg != 0 or prev is None or not prev.quotes or narr == q.para.narration_before(q):
            return False
        g = {"he": "male", "she": "female"}.get(tag.np.lower())
        if g is None or not prev.speaker or self.res.gender(prev.speaker) != g:
            return False
        named = [self.res.resolve_mention(sf) for s in prev.narration()
                 for _, _, sf in self.index.mentions(prev.text, s.start, s.end)]
        return not any(n != prev.speaker and self.res.gender(n) == g for n in named if n)

    def _paragraph_speaker(self, q: Quote, tag: T.Tag, ctx: Context) -> str | None:
        """Rule 'paragraph-speaker': '"Mary," said Ralph, directly Mr. Basnett had shut the door.
        "Mary," he repeated.' -- a later speech of a paragraph whose earlier speech a name tag
        gave to someone keeps that speaker for 'he'/'she' of their gender, however long the
        narration between and whoever it names in passing, unless it makes another of that
        gender a sentence's subject ('Aziz did likewise.') or names one in the sentence right
        before the speech. (With a pronoun tag as the anchor instead of a name, A Room with a
        View lost 4 quotes: one wrong 'she' carried on.)"""
        p = q.para
        k = p.quotes.index(q)
        g = {"he": "male", "she": "female"}.get(tag.np.lower())
        if k == 0 or g is None or not rule_on("paragraph-speaker"):
            return None
        earlier = next((o for o in reversed(p.quotes[:k]) if o.speaker), None)
        if earlier is None or not earlier.rule.startswith("explicit-verb"):
            return None
        who = earlier.speaker
        if self.res.gender(who) != g or who in ctx.vocatives or (ctx.local and ctx.local[0] != who):
            return None
        spans = [(ss, se) for s in p.segments[earlier.seg + 1:q.seg] if s.kind == NARRATION
                 for ss, se in T.sentences(p.text, s.start, s.end)]
        for i, (ss, se) in enumerate(spans):
            sent = p.text[ss:se]
            subj = T.sentence_subject(sent, self._known) or fronted_subject(sent, self._known)
            named = [self.res.known_at(sent, subj[0])] if subj else []
            if i == len(spans) - 1:  # the sentence that leads into the speech
                named += [self.res.resolve_mention(sf) for _, _, sf in self.index.mentions(sent)]
            if any(n and n != who and self.res.gender(n) == g for n in named):
                return None
        return who

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

    def _other_of_gender(self, tag: T.Tag, narr: str, p: Para) -> bool:
        """A character of the pronoun's gender is named in the narration before it, in its own
        paragraph or the one before (rule 'colon-subject' reads the pronoun only when the
        narration leaves it no rival)."""
        g = {"he": "male", "she": "female"}.get(tag.np.lower())
        surfaces = [sf for _, _, sf in self.index.mentions(narr, 0, tag.np_start)]
        prev = self.before.get(id(p))
        if prev is not None:
            surfaces += [sf for s in prev.narration() for _, _, sf in self.index.mentions(prev.text, s.start, s.end)]
        return any(n and self.res.gender(n) == g for n in map(self.res.resolve_mention, surfaces))

    def _known(self, text: str, pos: int) -> str | None:
        return self.res.known_at(text, pos)

    def _described_by_nation(self, np: str) -> bool:
        """'said the Englishman' with a cast that names no one so: a description of a man on
        stage, not a name (rule 'nationality-noun'); without a cast, one the book only ever
        calls so is a character of its own."""
        words = np.split()
        return (len(words) == 2 and words[0].lower() == "the" and words[1].lower() in NATIONALITY_NOUNS
                and not self.res.allow_new and self.index.resolve(np) is None and rule_on("nationality-noun"))

    def _demonstrative_referent(self, q: Quote, np: str) -> str | None:
        """Rule 'demonstrative-speaker': 'said this young lady' / 'cried that discreet lady' points
        back, as a demonstrative does, at the character of the noun's sex that the narration just
        named: in the last sentence before the quote (in its paragraph, else the paragraph
        before) that names one, the first so named, the sentence's main actor rather than one
        named in passing ('Winterbourne mentioned to Mrs. Costello that he had spent the
        afternoon at Chillon with Miss Daisy Miller. / "…?" asked this lady.')."""
        words = np.split()
        if len(words) < 2 or words[0].lower() not in ("this", "that") or not rule_on("demonstrative-speaker"):
            return None
        g = noun_gender(words[-1].lower())
        spans = [(q.para, s) for s in q.para.segments[:q.seg] if s.kind == NARRATION and not s.cited]
        prev = self.before.get(id(q.para))
        if not spans and prev is not None:
            spans = [(prev, s) for s in prev.segments if s.kind == NARRATION and not s.cited]
        found = None
        for para, seg in spans:
            for ss, se in T.sentences(para.text, seg.start, seg.end):
                for _, _, surface in self.index.mentions(para.text, ss, se):
                    ch = self.index.resolve(surface)
                    if ch is not None and (g is None or self.res.gender(ch.name) == g):
                        found = ch.name
                        break
        return found

    def _voice_named_after(self, tag: T.Tag, narr: str, ctx: Context, where: str) -> str | None:
        """Rule 'voice-named-after': 'said a timid voice at her side. She was walking by the White
        Rabbit' / 'said a voice close ahead, and Freddy reared a freckled face' -- a voice the tag
        leaves unnamed ('a …voice', 'another voice') belongs to the first character the rest of
        that narration names, other than the one who spoke last (whom it answers) and one named
        after a relative pronoun or a preposition other than 'by' (the hearer, or someone else)."""
        words = tag.np.lower().split()
        if (where != "after" or not words or words[0] not in ("a", "an", "another")
                or not any(w in VOICES for w in words) or not rule_on("voice-named-after")):
            return None
        for ms, _, surface in self.index.mentions(narr, tag.np_start + len(tag.np)):
            if _NOT_THE_VOICE.search(narr, max(0, ms - 12), ms):
                continue  # 'which Oliver thought he had heard', 'in reply to a whistle from the Dodger'
            ch = self.index.resolve(surface)
            if ch is not None and ch.name != ctx.prev_speaker:
                return ch.name
        return None

    def _decide_by_tag(self, q: Quote, tag: T.Tag, narr: str, ctx: Context, where: str) -> bool:
        if self._extra_tag(q, tag, narr, ctx, where):
            return True
        name, kind, rule = None, None, None
        if tag.kind == "name" and self._described_by_nation(tag.np):
            tag = replace(tag, kind="nominal")
        if tag.kind == "name":
            name = self.res.known_at(narr, tag.np_start) or self.res.name(tag.np)
            kind, rule = EXPLICIT, f"explicit-verb-{where}"
            if where == "before" and narr != q.para.narration_before(q) and calls_self(q, name, self.index, "self-call-tag"):
                return bool(ctx.prev_speaker) and ctx.prev_speaker != name and \
                    q.decide(ctx.prev_speaker, "turn-taking", IMPLICIT)  # self_names.py
        elif tag.kind == "first-person":
            name = self.res.narrator_name
            kind, rule = EXPLICIT, "first-person"
        elif tag.kind == "pronoun":
            if tag.verb == "colon" and (narr != q.para.narration_before(q) or self._other_of_gender(tag, narr, q.para)):
                # 'He lowered his voice:' is weak: read only inside the quote's own paragraph, after
                # narration that names no one else of that gender
                return False
            name = None
            if _REFLEXIVE.match(narr, _tag_end(narr, tag)):
                name = self.res.protagonist(tag.np, ctx)  # 'she said to herself'
            if name is None and where == "before" and narr == q.para.narration_before(q):
                name = self._pronoun_in_narration(tag, narr, ctx)
            introduced = where == "before" and self._introduced_by_speaker(q, tag, narr)
            hearer = self.index.resolve(tag.addressee) if tag.addressee and rule_on("not-the-hearer") else None
            if hearer is not None and hearer.name not in ctx.vocatives:
                # 'he said to Fielding': whoever 'he' is, not Fielding
                ctx = replace(ctx, vocatives=[*ctx.vocatives, hearer.name])
            name = name or self._paragraph_speaker(q, tag, ctx) or \
                self.res.pronoun(tag.np, ctx, where == "after" and self._goes_on(q, tag), introduced)
            kind, rule = ANAPHORIC, f"pronoun-verb-{where}"
        elif tag.kind == "indefinite":
            # 'said one of the men': only a cast entry spelt so names them ('One of the Men')
            ch = self.index.resolve(tag.np)
            name = ch.name if ch is not None else self._indefinite_entry(q, tag)
            kind, rule = EXPLICIT, f"explicit-verb-{where}"
        elif tag.kind == "nominal":
            # 'said a young man who … was called Sadness' (rule 'called-name')
            called = T.called_name(narr, tag.np_start + len(tag.np)) if where == "after" else None
            name = (called and self.res.known_at(narr, called[0])) or self._demonstrative_referent(q, tag.np) or self._voice_named_after(tag, narr, ctx, where) or self.res.nominal(
                _definite(tag.np), ctx, q.para.chapter, known=self.res.known_at(narr, tag.np_start))
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
            q.delivery = delivery_hint(narr, tag)
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


# a speech or thought verb whose 'he'/'she' goes on to a verb of its own: a clause reported
# ('and said she was ready to go.'), not an inverted tag ('said she.')
_REPORTED_CLAUSE = re.compile(r"\b(?:" + VERB + r")\s+(?:that\s+)?(?:he|she|they|we|I|it)\s+(?:\w+ly\s+)?"
                              r"(?:was|were|had|would|could|should|might|must|did|is|are|has|have|will|can|"
                              r"shall|\w+ed)\b[^.!?;:]*\.\s*$")


def _reports_clause(narr: str) -> bool:
    """Rule 'reported-clause': 'When it was brought, she shuddered, and said she was ready to
    go.' / 'She thought she had gone mad.' -- a narration paragraph whose last sentence reports
    what was said or thought, with no 'that', tells it; it introduces no one's speech."""
    return bool(_REPORTED_CLAUSE.search(T.last_sentence(narr)[1])) and rule_on("reported-clause")


# a 'he' or 'she' right after these words is the subject of a subordinate clause (see
# TagRules._aside_of_last_speech)
_SUBORDINATED = re.compile(r"\b(?:as|when|while|whilst|till|until|since|because|though|although|if|before|"
                           r"after|where|which|whom|whose)\s+$", re.I)

# a name after these is not the voice's owner (see TagRules._voice_named_after)
_NOT_THE_VOICE = re.compile(r"\b(?:which|that|whom|as|to|from|at|of|with|towards?)\s+(?:the\s+)?$")


def _definite(np: str) -> str:
    """'this young lady' / 'that gentleman' read as 'the young lady' / 'the gentleman' (rule
    'demonstrative-speaker'): the demonstrative points at someone in the scene as 'the' does."""
    words = np.split()
    if words and words[0].lower() in ("this", "that"):
        return " ".join(["the"] + words[1:])
    return np
