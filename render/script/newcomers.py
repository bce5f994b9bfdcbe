"""Newcomers: a description tag for a person no one in the scene fits, read as the one the
narration names soon after (rule 'newcomer').

    Tom and Wren walked along the quay. (... no other man for a dozen paragraphs ...)
    "Good evening," said the gentleman. "You will not know me. I came on the evening boat."
    Wren looked at him. Captain Hale had not changed at all.

With no man in the scene -- none named, meant or heard in the last few paragraphs
(Salience.fresh) -- the description resolver (descriptions.py) would give 'the gentleman' to
whichever man was last on stage, long gone. A writer who brings someone in by a description
usually names them within a few paragraphs; so the speaker is the first cast member of that sex
named in the paragraphs ahead (within the chapter) who is not in the scene already. Only with a
cast: without one, the description becomes a character of its own (descriptions._described).
"""

from __future__ import annotations

from .lexicon import PERSON_NOUNS, YOUTH_NOUNS
from .quote_model import rule_on

# how many paragraphs ahead the narration is searched for the newcomer's name
LOOK_AHEAD = 30


class Lookahead:
    """The characters each paragraph names by a proper name, so a tag can look ahead of the
    reading position (the reading pass sets `at`, the index of the paragraph it reads)."""

    def __init__(self, paras, index):
        self.paras = paras
        self.index = index
        self.at = 0
        self._named: dict[int, list[str]] = {}

    def named(self, i: int) -> list[str]:
        """Characters named in paragraph i, in order ('Mr. Haq', 'Fielding'; not 'the driver',
        which is a description and would only repeat the tag)."""
        if i not in self._named:
            found = []
            p = self.paras[i]
            spans = [(s.start, s.end) for s in p.narration()]
            for _, _, surface in (m for a, b in spans for m in self.index.mentions(p.text, a, b)):
                if surface.split()[0].lower() in _ARTICLES or not surface[:1].isupper():
                    continue
                ch = self.index.resolve(surface)
                if ch is not None and ch.name not in found:
                    found.append(ch.name)
            self._named[i] = found
        return self._named[i]

    def ahead(self, count: int = LOOK_AHEAD):
        """Characters named in the next `count` paragraphs of this chapter, in reading order."""
        chapter = self.paras[self.at].chapter
        for i in range(self.at + 1, min(len(self.paras), self.at + 1 + count)):
            if self.paras[i].chapter != chapter:
                return
            yield from self.named(i)


_ARTICLES = frozenset({"the", "a", "an", "one", "this", "that"})


def attach(res, paras) -> None:
    """Give the resolver a look-ahead over the paragraphs the sieve reads."""
    res.lookahead = Lookahead(paras, res.index)


def newcomer_for(res, words: list[str], g: str | None, ctx, avoid: set[str]) -> str | None:
    """'said the gentleman' when no man is in the scene: the first man named ahead who is not in
    it either (rule 'newcomer'); None when someone of that sex is in the scene, or none is named."""
    ahead = getattr(res, "lookahead", None)
    if ahead is None or g is None or res.allow_new or words[0].lower() != "the" \
            or words[-1].lower() not in PERSON_NOUNS or not rule_on("newcomer"):
        return None

    def fits(name: str) -> bool:
        return name not in avoid and name not in ctx.vocatives and res.gender(name) == g \
            and name != res.narrator_name

    if any(res.gender(n) == g and n != res.narrator_name and res.salience.fresh(n) for n in res.salience.order):
        return None  # someone of that sex is in the scene: the usual rules choose among them
    return next((n for n in ahead.ahead() if fits(n) and not _too_old(res, words, n)), None)


def _too_old(res, words: list[str], name: str) -> bool:
    """'whispered the girl' is not a Mrs. ('Mrs. Vane', named ahead beside her daughter) nor one
    the book calls 'old X' (the test descriptions.too_old_for makes of those on stage)."""
    return words[-1].lower() in YOUTH_NOUNS and res.grown(name)
