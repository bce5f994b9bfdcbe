"""A description that turns out to be someone named later in the scene (rule 'described-then-named').

    '"Hullo, my covey! What's the row?" said the young gentleman.'  ... (Oliver answers) ...
    '"My name is Jack Dawkins," said the young gentleman.' ... '"Come along," said Jack Dawkins.'

When a scene keeps saying 'the young gentleman' for someone the book has not named yet, the
reading pass can only give the tag to someone of that sex already on stage, and that is often a
leftover of an earlier scene. If a character of the same sex who was not on stage at the
description's first use is then tagged by name in the same chapter, soon after, the earlier tags
with that description were theirs. Fenced, because a description is as often the name of someone
present (session 18's newcomer rule lost Oliver Twist 4 to 9 quotes without fences):
- the one the first use went to must not be tagged by name in the scene (a voice the book names
  while the description runs is a real bearer of it: 'the old gentleman' is Mr. Brownlow);
- the description must not be a cast entry's own name ('The Gentleman In The White Waistcoat');
- it must not call its bearer old ('the old lady' sets one person apart, not a newcomer), nor be
  an epithet the book has given the first use's character before;
- the named one must be of the noun's sex ('the young lady' is not a Mr.).
"""

from __future__ import annotations

from .lexicon import PERSON_NOUNS
from .normalize import noun_gender
from .pronouns import ON_STAGE
from .quote_model import rule_on

WINDOW = 30  # paragraphs after the first use within which the name must come
_AGE_WORDS = frozenset({"old", "elderly", "aged"})
_NOT_ONE_PERSON = frozenset({"other", "one", "voice", "face", "figure", "people", "person", "child", "creature"})


class NamedAfter:
    """Sieve mixin: logs the tags the reading pass decides, and rebinds described speakers."""

    def _decide_by_tag(self, q, tag, narr, ctx, where) -> bool:
        if tag.kind not in ("nominal", "name"):
            return super()._decide_by_tag(q, tag, narr, ctx, where)
        stage = list(self.res.salience.order[:ON_STAGE])  # as it stood before this tag was read
        done = super()._decide_by_tag(q, tag, narr, ctx, where)
        if done:
            self._tags_read().append((q, tag.kind, tag.np, stage, self._para_index.get(id(q.para), -1)))
        return done

    def _tags_read(self) -> list[tuple]:
        """The name and description tags the reading pass decided, in order: (quote, kind, noun
        phrase, the stage before it, paragraph index). Made on first use: the Sieve's mixins
        have no constructor of their own."""
        if not hasattr(self, "_tag_log"):
            self._tag_log: list[tuple] = []
        return self._tag_log

    def named_after_pass(self) -> None:
        """Give each fenced description's earlier tags to the character named after it."""
        if not rule_on("described-then-named"):
            return
        log = self._tags_read()
        seen: set[tuple] = set()
        for i, (q, kind, np, stage, pi) in enumerate(log):
            words = np.lower().split()
            if kind != "nominal" or not _one_person(words):
                continue
            key = (q.para.chapter, " ".join(words))
            if key in seen:
                continue
            seen.add(key)
            cand = self._named_after(log, i)
            if cand is None or not self._fits(words, q.speaker, cand, stage, log, i):
                continue
            for o, okind, onp, _, _ in log[i:cand[1]]:
                if okind == "nominal" and o.para.chapter == q.para.chapter and onp.lower().split() == words:
                    o.speaker = cand[0]

    def _named_after(self, log: list, i: int) -> tuple[str, int] | None:
        """The first character a tag names after log[i], in its chapter and WINDOW paragraphs,
        who was not on stage when log[i] was read; with the log position of that tag."""
        q, _, _, stage, pi = log[i]
        for j in range(i + 1, len(log)):
            o, kind, _, _, opi = log[j]
            if o.para.chapter != q.para.chapter or opi - pi > WINDOW:
                return None
            if kind == "name" and o.speaker and o.speaker not in stage:
                return o.speaker, j
        return None

    def _fits(self, words: list[str], first: str | None, cand: tuple[str, int], stage: list[str],
              log: list, i: int) -> bool:
        """The fences of the module docstring."""
        name, j = cand
        pi = log[i][4]
        if self.res.gender(name) != noun_gender(words[-1]) or self.index.resolve(" ".join(words)) is not None:
            return False
        if _AGE_WORDS & set(words[1:-1]) or first == name:
            return False
        if first and self.res.epithets.get(" ".join(words[1:]), {}).get(first):
            return False
        return not any(kind == "name" and o.speaker == first and o.para.chapter == log[i][0].para.chapter
                       and opi >= pi - WINDOW for o, kind, _, _, opi in log[:j])


def _one_person(words: list[str]) -> bool:
    """'the young gentleman' / 'the man': a definite person noun that stands for one person."""
    return len(words) >= 2 and words[0] == "the" and words[-1] in PERSON_NOUNS \
        and words[-1] not in _NOT_ONE_PERSON and noun_gender(words[-1]) is not None
