"""Lexicon candidates: frequent proper nouns and the words the G2P does not know."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from ..book import HEADING, PARAGRAPH, Book
from .normalize import normalize_text

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*[A-Za-zÀ-ÖØ-öø-ÿ]|[A-Za-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|[\"“‘'(—]\s*)$")


@dataclass(frozen=True)
class Candidate:
    """A word worth a lexicon entry."""

    word: str
    count: int  # times it occurs in the book's spoken text
    proper: bool  # written with a capital where a sentence does not start
    unknown: bool  # not in the G2P's dictionary: its espeak fallback guesses it
    phonemes: str = ""  # what the engine would say now


def count_words(book: Book) -> tuple[Counter, Counter]:
    """(all word counts, counts of capitalized uses not at a sentence start), on normalized text."""
    words, proper = Counter(), Counter()
    for chapter in book.chapters:
        for block in chapter.blocks:
            if block.kind not in (PARAGRAPH, HEADING) and block.kind != "dialogue" and block.kind != "action":
                continue
            text = normalize_text(block.text, book.language)
            for m in _WORD.finditer(text):
                w = m.group().strip("'’-")
                if not w:
                    continue
                words[w] += 1
                if w[0].isupper() and not w.isupper() and not _SENTENCE_START.search(text[:m.start()]):
                    proper[w] += 1
    return words, proper


def candidates(book: Book, rate, min_count: int = 2, limit: int = 50) -> list[Candidate]:
    """Proper nouns (capitalized in >= 90 % of uses) and G2P-unknown words, most frequent first.

    rate(words) -> {word: (known, phonemes)} asks the engine's G2P about a list of words.
    """
    words, proper = count_words(book)
    lower = Counter()
    for w, n in words.items():
        lower[w.lower()] += n
    pool = []
    for w, n in words.items():
        if n < min_count or len(w) < 2:
            continue
        is_proper = proper[w] >= 0.9 * lower[w.lower()] and proper[w] >= min_count and w.lower() != "i"
        pool.append((w, n, is_proper))
    known = rate([w for w, _, _ in pool])
    out = []
    for w, n, is_proper in pool:
        ok, phonemes = known.get(w, (True, ""))
        if is_proper or not ok:
            out.append(Candidate(word=w, count=n, proper=is_proper, unknown=not ok, phonemes=phonemes))
    out.sort(key=lambda c: (-(c.unknown and c.proper), -c.count, c.word))
    return out[:limit]


def as_yaml(cands: list[Candidate]) -> str:
    """Lexicon lines ready to paste: the current pronunciation, commented with why it is listed."""
    lines = ["# Lexicon candidates from `render lexicon suggest`: keep the ones read wrong,",
             "# fix their phonemes (misaki's set) or write a respelling (Word: Respelling)."]
    for c in cands:
        why = ", ".join(filter(None, ["proper noun" if c.proper else "",
                                      "not in the G2P dictionary (espeak guesses)" if c.unknown else ""]))
        value = f"{{phonemes: {json.dumps(c.phonemes, ensure_ascii=False)}}}" if c.phonemes else "''"
        lines.append(f"{json.dumps(c.word, ensure_ascii=False)}: {value}  # {c.count}x, {why}")
    return "\n".join(lines) + "\n"


def kokoro_rater(engine, voice: str = "af_heart"):
    """A rate() for candidates(): misaki's own verdict (dictionary vs espeak fallback) per word."""
    def rate(words: list[str]) -> dict[str, tuple[bool, str]]:
        out: dict[str, tuple[bool, str]] = {}
        for word in words:
            phonemes, known = engine.lookup(word, voice)
            out[word] = (known, phonemes)
        return out
    return rate
