"""The book from its finished chapters: chapters.json, the M4B and the chapter MP3s.

exports.json remembers which formats (and cover) were asked for, so `render redo` re-exports
them, and a hash of each exported file's inputs, so an unchanged export is not made again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import RenderError
from ..synth.cache import _storage_error
from .chapters import chapter_file
from .export import FORMATS, export_book, export_chapter_mp3, write_json
from .metadata import BookMetadata, book_metadata
from .readalong import FORMATS as READALONG_FORMATS

CHAPTERS = "chapters.json"
EXPORTS = "exports.json"
M4B = "book.m4b"
MP3_DIR = "mp3"


def read_exports(out: Path) -> dict:
    """What the last export was asked for: {'formats': [...], 'cover': path|None, 'made': {file: hash of its
    inputs}, 'sources': {chapter MP3: digest of the chapter WAV it was made from}}."""
    try:
        return json.loads((out / EXPORTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _hash(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _cover_stamp(meta: BookMetadata) -> str | None:
    return hashlib.sha256(meta.cover.read_bytes()).hexdigest() if meta.cover else None


def assemble(out: Path, book: dict, records: list[dict], missing: list[int],
             formats: tuple[str, ...] | None = None, cover: Path | None = None) -> list[Path]:
    """Write chapters.json and, when every chapter is ready, the exports asked for; the files exported.

    formats None means those of the last export (exports.json): what `render redo` wants. Read-along
    formats (vtt, html, epub) are recorded here and written by render.master.readalong.
    """
    previous = read_exports(out)
    if formats is None:
        formats = tuple(previous.get("formats") or ("wav",))
    if cover is None and previous.get("cover") and Path(previous["cover"]).is_file():
        cover = Path(previous["cover"])  # a --cover given once stays the book's cover
    unknown = [f for f in formats if f not in FORMATS + READALONG_FORMATS]
    if unknown:
        raise RenderError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS + READALONG_FORMATS)}")
    try:
        write_json(out / CHAPTERS, records)
    except OSError as exc:
        raise _storage_error(out / CHAPTERS, exc) from None
    made = dict(previous.get("made") or {})
    sources = dict(previous.get("sources") or {})
    done: list[Path] = []
    if not missing and records:
        meta = book_metadata(book, out, cover)
        stamp = _cover_stamp(meta)
        if "m4b" in formats:
            key = _hash([r["digest"] for r in records], [r["title"] for r in records], meta, stamp)
            if made.get(M4B) != key or not (out / M4B).exists():
                export_book([out / r["file"] for r in records], records, meta.title, out / M4B, "m4b", meta)
                made[M4B] = key
            done.append(out / M4B)
        if "mp3" in formats:
            for n, r in enumerate(records, 1):
                rel = f"{MP3_DIR}/{chapter_file(r['index'], r['title'], '.mp3')}"
                key = _hash(r["digest"], r["title"], n, len(records), meta, stamp)
                if made.get(rel) != key or not (out / rel).exists():
                    export_chapter_mp3(out / r["file"], out / rel, meta, r["title"], n, len(records))
                    made[rel] = key
                sources[rel] = r["digest"]  # the key matched or the file was just made: it is this WAV's
                done.append(out / rel)
    write_json(out / EXPORTS, {"formats": list(formats), "cover": str(Path(cover).resolve()) if cover else None,
                               "made": made, "sources": sources})
    return done
