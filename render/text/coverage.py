"""Whether the plan says the whole book: body words (normalized) against the words planned."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..book import HEADING, SCENE_BREAK, Book
from ..speak.build import clean_text
from ..synth.validate import normalize_words
from .lexicon import plain
from .normalize import normalize_text

# quote marks the script may cut a paragraph at: word boundaries on both sides of the comparison
_QUOTES = re.compile(r"[\"«»“”„‟‹›「」『』]")


def _words(text: str) -> list[str]:
    return normalize_words(_QUOTES.sub(" ", text))


@dataclass(frozen=True)
class Coverage:
    """Body words of the chapters planned, the words the chunks say, and what went missing."""

    body: int  # words in the chapters' blocks, after normalization
    spoken: int  # words in the planned chunks
    lost: tuple[str, ...]  # body words the chunks never say (in reading order)
    extra: int  # spoken words that are not body words (duplicated or invented)


def body_words(book: Book, chapters: set[int] | None = None, normalized: bool = True) -> list[str]:
    """The book's words in reading order, normalized as the planner does (unless normalized=False)."""
    def said(text: str, heading: bool) -> list[str]:
        text = clean_text(text)  # as the planner reads a line
        return _words(normalize_text(text, book.language, heading=heading) if normalized else text)

    words: list[str] = []
    for chapter in book.chapters:
        if chapters and chapter.index not in chapters:
            continue
        title = " ".join(chapter.title.split())
        words += said(title, True)  # always announced
        for block in chapter.blocks:
            if block.kind == SCENE_BREAK or not any(ch.isalnum() for ch in block.text):
                continue  # nothing to say (a lone '&' or '* * *' has no words to lose)
            if block.kind == HEADING and " ".join(block.text.split()).casefold() == title.casefold():
                continue  # the heading that repeats the title is said once
            words += said(block.text, block.kind == HEADING)
    return words


def spoken_words(chunks) -> list[str]:
    """The planned chunks' words in order (lexicon markup read as its word)."""
    return [w for c in chunks for w in _words(plain(c.text))]


def coverage(book: Book, chunks, chapters: set[int] | None = None, window: int = 400) -> Coverage:
    """Match body words in order against spoken words; a word not found ahead is lost."""
    body, spoken = body_words(book, chapters), spoken_words(chunks)
    lost, j = [], 0
    matched = 0
    for word in body:
        k = j
        limit = min(len(spoken), j + window)
        while k < limit and spoken[k] != word:
            k += 1
        if k < limit:
            matched += 1
            j = k + 1
        else:
            lost.append(word)
    return Coverage(body=len(body), spoken=len(spoken), lost=tuple(lost), extra=len(spoken) - matched)
