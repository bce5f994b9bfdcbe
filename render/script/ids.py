"""Stable quote IDs: a quote's name from its chapter and its own words, not from its position.

An ID looks like ``q003-5d41402a`` (chapter 3, the first 8 hex digits of the SHA-1 of the
quote's normalized words); the second quote with the same words in that chapter is
``q003-5d41402a-2``, the third ``-3``, and so on. Editing other paragraphs, or changing the
attribution rules, leaves every other quote's ID as it was; re-wrapping lines, changing
punctuation or case inside the quote does too.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+")  # letters and digits, in any script
HASH_DIGITS = 8  # hex digits of the text hash; a clash inside one chapter is ~1 in 10^5 per pair


def normalize_quote(text: str) -> str:
    """The words of a quote, case-folded and single-spaced: punctuation, markup, wrapping dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def base_id(chapter: int, text: str) -> str:
    """The ID of the first quote with these words in this chapter."""
    digest = hashlib.sha1(normalize_quote(text).encode("utf-8")).hexdigest()[:HASH_DIGITS]
    return f"q{chapter:03d}-{digest}"


def quote_ids(quotes: Iterable[tuple[int, str]]) -> list[str]:
    """IDs for (chapter, text) pairs in reading order; repeats in a chapter get -2, -3, ..."""
    seen: dict[str, int] = {}
    out = []
    for chapter, text in quotes:
        base = base_id(chapter, text)
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}-{n}")
    return out


_ID = re.compile(r"q\d{3,}-[0-9a-f]{%d}(?:-\d+)?" % HASH_DIGITS)


def looks_like_id(text: str) -> bool:
    """True when text has the form of a quote ID (whether or not such a quote exists)."""
    return bool(_ID.fullmatch(text))


def paragraph_quote_ids(paras) -> dict:
    """Quote -> ID for every quote of a book's paragraphs (in reading order)."""
    quotes = [q for p in paras for q in p.quotes]
    ids = quote_ids((q.para.chapter, q.text) for q in quotes)
    return dict(zip(quotes, ids))
