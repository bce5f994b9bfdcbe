"""The one document model every ingester produces: Book -> Chapter -> Block."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Block kinds. Prose ingesters emit PARAGRAPH, HEADING and SCENE_BREAK; the Fountain
# ingester emits SCENE_HEADING, ACTION, DIALOGUE and TRANSITION as well.
PARAGRAPH = "paragraph"
HEADING = "heading"
SCENE_BREAK = "scene_break"
SCENE_HEADING = "scene_heading"
ACTION = "action"
DIALOGUE = "dialogue"
TRANSITION = "transition"
BLOCK_KINDS = (PARAGRAPH, HEADING, SCENE_BREAK, SCENE_HEADING, ACTION, DIALOGUE, TRANSITION)

# What ingestion leaves out of the reading (Skipped.kind); `--include KIND,...` reads it back.
SKIP_KINDS = ("gutenberg", "front-matter", "toc", "illustrations", "copyright", "index", "page-numbers",
              "captions", "footnotes")


@dataclass(frozen=True)
class Block:
    """One unit of the manuscript, in reading order."""

    kind: str  # one of BLOCK_KINDS
    text: str  # the text as it should be read (whitespace collapsed); "" for a scene break
    speaker: str | None = None  # DIALOGUE only: the cue's character name, extension stripped
    extension: str | None = None  # DIALOGUE only: "V.O.", "O.S.", "CONT'D" …, a delivery hint
    direction: str | None = None  # DIALOGUE only: the parenthetical before this speech, no parens
    dual: bool = False  # DIALOGUE only: part of a dual-dialogue pair
    start: int | None = None  # offset of text's first char in Book.text (plain text/Markdown)
    end: int | None = None  # end-exclusive offset in Book.text


@dataclass(frozen=True)
class Skipped:
    """A piece of the source that is not read aloud, and where it was."""

    kind: str  # one of SKIP_KINDS
    text: str  # its text, paragraphs separated by newlines
    after: int = 0  # inside a chapter: how many of the chapter's blocks come before it
    where: str = ""  # outside chapters: "front" (before the first) or "back" (after the last)

    @property
    def words(self) -> int:
        """Number of words in the skipped text."""
        return len(self.text.split())


@dataclass
class Chapter:
    """A titled run of blocks; the unit of output audio."""

    index: int  # 1-based position in the book
    title: str
    blocks: list[Block] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # left out of this chapter's reading, in order


@dataclass
class Book:
    """A whole manuscript after ingestion."""

    title: str
    source: Path
    chapters: list[Chapter]
    author: str | None = None
    language: str = "en"
    kind: str = "prose"  # "prose" or "screenplay"
    text: str | None = None  # the decoded source text, for offset-bearing formats
    skipped: list[Skipped] = field(default_factory=list)  # left out before/after the chapters (where=front/back)

    @property
    def slug(self) -> str:
        """A file-system friendly name for the book, from its source file name."""
        import re

        stem = Path(self.source).stem.lower()
        return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "book"
