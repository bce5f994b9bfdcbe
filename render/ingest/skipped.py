"""What ingestion left out of the reading: listed with kind, place and size, and read back on request."""

from __future__ import annotations

import re
from dataclasses import replace

from render.book import PARAGRAPH, SCENE_BREAK, SKIP_KINDS, Block, Book, Chapter, Skipped
from render.errors import InputError, did_you_mean

# A paragraph that is only an illustration placeholder or caption: "[Illustration: The Gate]".
ILLUSTRATION_RE = re.compile(r"^\[(Illustration|Frontispiece)[^\]]*\]$", re.IGNORECASE)

# A printed page's number kept in the text as a marker: "[Pg 7]", "[Page xii]", "[p. 7]", "{7}".
_PAGE_RE = re.compile(r"\s*(?:\[(?:pg|page|p\.)\s?(?:\d{1,4}|[ivxlcdm]{1,7})\]|\{\d{1,4}\})\s*", re.IGNORECASE)


def take_page_numbers(spoken: str) -> tuple[str, str]:
    """The text with its page-number markers removed, and those markers (space-separated; '' if none)."""
    found = [m.group().strip() for m in _PAGE_RE.finditer(spoken)]
    if not found:
        return spoken, ""
    return " ".join(_PAGE_RE.sub(" ", spoken).split()), " ".join(found)


# Title of the chapter a piece from before/after the chapters becomes when it is included back.
_TITLES = {
    "gutenberg": "Project Gutenberg", "front-matter": "Front matter", "toc": "Contents",
    "illustrations": "List of illustrations", "copyright": "Copyright", "index": "Index",
    "page-numbers": "Page numbers", "captions": "Captions", "footnotes": "Notes",
}


def trim_breaks(blocks: list[Block], skipped: list[Skipped]) -> tuple[list[Block], list[Skipped]]:
    """The blocks without scene breaks at their start and end; skipped pieces keep their place."""
    lead, end = 0, len(blocks)
    while lead < end and blocks[lead].kind == SCENE_BREAK:
        lead += 1
    while end > lead and blocks[end - 1].kind == SCENE_BREAK:
        end -= 1
    blocks = blocks[lead:end]
    return blocks, [replace(p, after=min(len(blocks), max(0, p.after - lead))) for p in skipped]


def parse_kinds(values, where: str = "--include") -> frozenset[str]:
    """Skip kinds from 'toc,footnotes' strings (or a list of them); 'all' means every kind."""
    if isinstance(values, str):
        values = [values]
    names = [n.strip().lower() for v in values or () for n in str(v).split(",") if n.strip()]
    if "all" in names:
        return frozenset(SKIP_KINDS)
    for name in names:
        if name not in SKIP_KINDS:
            raise InputError(f"{where}: unknown kind {name!r}{did_you_mean(name, SKIP_KINDS)}; "
                             f"choose from {', '.join(SKIP_KINDS)} or all")
    return frozenset(names)


def skipped_rows(book: Book) -> list[dict]:
    """Every skipped piece in reading order: kind, where it was, its word count and its start."""
    rows = []

    def row(piece: Skipped, where: str) -> dict:
        return {"kind": piece.kind, "where": where, "words": piece.words, "text": _preview(piece.text)}

    rows += [row(p, "before chapter 1") for p in book.skipped if p.where != "back"]
    for chapter in book.chapters:
        for piece in chapter.skipped:
            rows.append(row(piece, f"chapter {chapter.index}, after block {piece.after}"))
    rows += [row(p, f"after chapter {len(book.chapters)}") for p in book.skipped if p.where == "back"]
    return rows


def skipped_totals(book: Book) -> dict[str, int]:
    """Words skipped per kind."""
    totals: dict[str, int] = {}
    for r in skipped_rows(book):
        totals[r["kind"]] = totals.get(r["kind"], 0) + r["words"]
    return totals


def skipped_summary(book: Book) -> list[str]:
    """One line per kind left out: words and pieces, and how to read it back."""
    counts: dict[str, list[int]] = {}
    for r in skipped_rows(book):
        n = counts.setdefault(r["kind"], [0, 0])
        n[0] += r["words"]
        n[1] += 1
    return [f"not read: {kind:<13} {words:>7} words in {pieces} piece{'s' * (pieces != 1)}"
            f"  (--include {kind})" for kind, (words, pieces) in counts.items()]


def include_skipped(book: Book, kinds) -> Book:
    """The book with the skipped pieces of these kinds read where they were (new chapters outside them)."""
    kinds = frozenset(kinds)
    if not kinds:
        return book
    chapters = []
    for chapter in book.chapters:
        blocks = list(chapter.blocks)
        keep = []
        for piece in reversed(sorted(chapter.skipped, key=lambda p: p.after)):  # reading order kept at one place
            if piece.kind in kinds:
                blocks[piece.after:piece.after] = _blocks(piece)
            else:
                keep.append(replace(piece, after=piece.after + _shift(chapter.skipped, piece, kinds)))
        chapters.append(Chapter(chapter.index, chapter.title, blocks, sorted(keep, key=lambda p: p.after)))
    front = _outside([p for p in book.skipped if p.kind in kinds and p.where != "back"])
    back = _outside([p for p in book.skipped if p.kind in kinds and p.where == "back"])
    chapters = front + chapters + back
    for i, chapter in enumerate(chapters, 1):
        chapter.index = i
    rest = [p for p in book.skipped if p.kind not in kinds]
    return replace(book, chapters=chapters, skipped=rest)


def _shift(pieces: list[Skipped], piece: Skipped, kinds) -> int:
    """Blocks inserted before piece by the included pieces at or before its place."""
    return sum(len(_blocks(p)) for p in pieces if p.kind in kinds and p.after <= piece.after and p is not piece)


def _blocks(piece: Skipped) -> list[Block]:
    return [Block(PARAGRAPH, line.strip()) for line in piece.text.split("\n") if line.strip()]


def _outside(pieces: list[Skipped]) -> list[Chapter]:
    """A chapter for each run of pieces of one kind before or after the chapters."""
    chapters: list[Chapter] = []
    for n, piece in enumerate(pieces):
        if n and pieces[n - 1].kind == piece.kind:
            chapters[-1].blocks += _blocks(piece)
        else:
            chapters.append(Chapter(0, _TITLES.get(piece.kind, piece.kind), _blocks(piece)))
    return chapters


def _preview(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
