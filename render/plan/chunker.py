"""Cutting text into chunks of at most ~15 s of speech, at sentence boundaries.

Durations are estimated from characters at a rate measured on Kokoro's voices
(`bench/bench_chunks.py` re-measures it). A sentence longer than the limit is cut at
clause marks (; : , —), and only a clause longer than the limit is cut between words.
Text is never cut inside a word.
"""

from __future__ import annotations

import re

# Kokoro-82M at speed 1.0 speaks about 18-19 characters (spaces and punctuation included)
# per second of trimmed audio on prose, the slower British voices about 16-17
# (bench/bench_chunks.py measures it on a rendered book); planning
# with a slightly lower rate keeps real chunks under the limit.
CHARS_PER_SECOND = 15.5
MAX_SECONDS = 15.0

_ABBREV = {"mr", "mrs", "ms", "dr", "st", "sr", "jr", "prof", "capt", "col", "gen", "lt", "sgt",
           "rev", "hon", "mme", "mlle", "messrs", "vs", "etc", "no", "vol", "ch", "fig", "mt",
           "ft", "inc", "co", "ltd", "e.g", "i.e", "a.m", "p.m"}
_SENTENCE_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+|$)""")
_NEXT_CHAR = re.compile(r"\s*(\S)")
_CLAUSE_END = re.compile(r"""[,;:—–]["'”’)\]]*(?=\s|$)|\s[—–]\s""")


def estimate_seconds(text: str, speed: float = 1.0) -> float:
    """Estimated seconds Kokoro takes to speak text at speed."""
    return len(text) / CHARS_PER_SECOND / max(speed, 0.1)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in text, surrounding whitespace excluded."""
    out, start = [], 0

    def add(a: int, b: int) -> None:
        piece = text[a:b]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((a + lead, a + len(piece.rstrip())))

    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        following = _NEXT_CHAR.match(text, end)  # not text[end:].lstrip(): a copy per sentence
        if following and following.group(1).islower():  # '"Are you sure?" asked she' goes on
            continue
        if m.group().startswith(".") and len(m.group()) == 1:
            w = _word_before(text, start, end - 1).lower()
            if w and (w in _ABBREV or (len(w) == 1 and w.isalpha())):
                continue
        add(start, end)
        start = end
    add(start, len(text))
    return out


def _word_before(text: str, start: int, dot: int) -> str:
    r"""The run of word characters and dots in text[start:dot] that ends at dot ('' if none): what
    re.search(r"([\w.]+)\.$", text[start:dot + 1]) takes as its group, without trying the regex
    at every position of the sentence."""
    i = dot
    while i > start and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    return text[i:dot]


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping closing quotes; abbreviations and initials don't end one."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _split_at(text: str, pattern: re.Pattern) -> list[str]:
    out, start = [], 0
    for m in pattern.finditer(text):
        piece = text[start:m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _pack(pieces: list[str], max_chars: int) -> list[str]:
    """Greedily join pieces with spaces into runs of at most max_chars."""
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + 1 + len(piece) <= max_chars:
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


def _fit(piece: str, max_chars: int) -> list[str]:
    """Break one over-long piece at clauses, then between words."""
    if len(piece) <= max_chars:
        return [piece]
    clauses = _split_at(piece, _CLAUSE_END)
    if len(clauses) > 1:
        return _pack([c for clause in clauses for c in _fit(clause, max_chars)], max_chars)
    return _pack(piece.split(), max_chars)


def chunk_text(text: str, max_seconds: float = MAX_SECONDS, speed: float = 1.0) -> list[str]:
    """Cut text into chunks whose estimated duration is at most max_seconds, at sentence ends."""
    text = " ".join(text.split())
    if not text:
        return []
    max_chars = max(20, int(max_seconds * CHARS_PER_SECOND * speed))
    if len(text) <= max_chars:  # what splitting and packing again would give back
        return [text]
    pieces = [p for sentence in split_sentences(text) for p in _fit(sentence, max_chars)]
    return _pack(pieces, max_chars)
