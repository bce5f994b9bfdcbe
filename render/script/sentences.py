"""Sentence spans of narration: a full stop after a title ('Mr.') or an initial does not end one."""

from __future__ import annotations

import re

from .tag_phrases import TITLE_ALT

_SENTENCE_END = re.compile(r"[.!?;][\"'\u201d\u2019)\]]*\s+(?=[A-Z\"'\u201c\u2018(_])")
ABBREV = re.compile(r"(?:\b(?:" + TITLE_ALT + r")|\b[A-Z])\.$")


def last_sentence(narration: str) -> tuple[int, str]:
    """(offset, text) of the final sentence of a narration stretch (titles like 'Mr.' don't end one)."""
    start = 0
    for m in _SENTENCE_END.finditer(narration):
        if ABBREV.search(narration[max(0, m.start() - 12):m.start() + 1]):
            continue
        if m.end() < len(narration.rstrip()):
            start = m.end()
    return start, narration[start:]


def sentences(text: str, start: int = 0, end: int | None = None):
    """(start, end) spans of the sentences in text[start:end] ('Mr.' does not end one)."""
    end = len(text) if end is None else end
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if ABBREV.search(text[max(start, m.start() - 12):m.start() + 1]):
            continue
        yield pos, m.start() + 1
        pos = m.end()
    if pos < end:
        yield pos, end

