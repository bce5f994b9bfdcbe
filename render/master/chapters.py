"""One chapter's finished WAV and its record (chapters/NNN-slug.wav + .json), and the plan
stamps (plan/NNN.stamp) that tell make which chapters a new plan changed.

A chapter is re-mastered only when its record's digest differs: the digest covers every chunk's
audio bytes (not just its key, so `render redo` counts), its pause, the mastering settings and
MASTER_VERSION. The record is what chapters.json lists, and what read-along tools read:

    {"index": 3, "title": "...", "file": "chapters/003-slug.wav", "seconds": 312.4,
     "chunks": 41, "chunk_ids": ["c003-0000", ...],
     "chunk_starts": [0.75, ...], "chunk_ends": [2.91, ...],   # seconds: each chunk's trimmed audio (speech + margins)
     "digest": "...", "plan": "..."}
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..atomic import atomic_write_text
from ..errors import RenderError
from ..plan.manifest import Chunk
from ..synth.cache import Cache, _storage_error
from .export import write_json, write_wav
from .settings import MasterSettings, from_json
from .stitch import MissingAudio, stitch_chapter

MASTER_VERSION = 2  # bump when mastering changes, so every chapter is re-mastered
PLAN_DIR = "plan"


def chapter_file(index: int, title: str, suffix: str = ".wav") -> str:
    """'003-the-storm-lamp.wav': chapter number and title slug."""
    return f"{index:03d}-{title_slug(title)[:48].strip('-') or 'chapter'}{suffix}"


def title_slug(title: str) -> str:
    """Lowercase words of the title joined by hyphens ('' if it has none)."""
    slug = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in title.lower())
    return "-".join(filter(None, slug.split("-")))


def plan_stamp(title: str, chunks: list[Chunk], settings: MasterSettings) -> str:
    """SHA-256 of everything in the plan that shapes the chapter's audio."""
    record = {"v": MASTER_VERSION, "title": title, "settings": settings.to_json(),
              "chunks": [[c.key, c.pause_before, c.id] for c in chunks]}
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def write_plan_stamps(out: Path, book: dict, chunks: list[Chunk]) -> None:
    """plan/NNN.stamp per chapter, rewritten only when the chapter's plan changed (make reads mtimes)."""
    settings = from_json(book.get("master"))
    folder = out / PLAN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    by_chapter: dict[int, list[Chunk]] = {}
    for c in chunks:  # one pass, not one per chapter
        by_chapter.setdefault(c.chapter, []).append(c)
    for ch in book["chapters"]:
        mine = by_chapter.get(ch["index"], [])
        if not mine:
            continue
        path = folder / f"{ch['index']:03d}.stamp"
        stamp = plan_stamp(ch["title"], mine, settings)
        if not path.exists() or path.read_text().strip() != stamp:
            atomic_write_text(path, stamp + "\n")


def read_record(out: Path, index: int, title: str) -> dict | None:
    """The chapter's record if its WAV and record both exist."""
    wav = out / "chapters" / chapter_file(index, title)
    rec = wav.with_suffix(".json")
    if not (wav.exists() and rec.exists()):
        return None
    try:
        return json.loads(rec.read_text(encoding="utf-8"))
    except ValueError:
        return None


def master_chapter(out: Path, book: dict, index: int, chunks: list[Chunk], cache: Cache) -> dict | None:
    """Write the chapter's WAV and record unless unchanged; its record, or None if a chunk is missing."""
    title = next(c["title"] for c in book["chapters"] if c["index"] == index)
    settings = from_json(book.get("master"))
    metas = [cache.meta(c.key) for c in chunks]
    if not chunks or any(m is None for m in metas):
        return None
    digest = hashlib.sha256(json.dumps([MASTER_VERSION, settings.to_json(), index] + [
        [m["sha256"], c.pause_before] for c, m in zip(chunks, metas)]).encode()).hexdigest()
    name = chapter_file(index, title)
    wav = out / "chapters" / name
    old = read_record(out, index, title)
    if old and old.get("digest") == digest:
        os.utime(wav)  # up to date: tell make so
        return old
    try:
        mastered = stitch_chapter(chunks, cache, settings, seed=index)
    except MissingAudio:
        return None
    record = {"index": index, "title": title, "file": f"chapters/{name}",
              "seconds": round(mastered.audio.seconds, 3), "chunks": len(chunks),
              "chunk_ids": [c.id for c in chunks],
              "chunk_starts": [round(s, 3) for s in mastered.starts],
              "chunk_ends": [round(s, 3) for s in mastered.ends],
              "digest": digest, "plan": plan_stamp(title, chunks, settings)}
    try:
        write_wav(wav, mastered.audio)
        write_json(wav.with_suffix(".json"), record)
    except OSError as exc:
        raise _storage_error(wav, exc) from None
    return record


def chapter_records(out: Path, book: dict, chunks: list[Chunk]) -> tuple[list[dict], list[int]]:
    """Records of the chapters whose WAV matches the current plan, and the numbers of those that don't."""
    settings = from_json(book.get("master"))
    ready, missing = [], []
    for ch in book["chapters"]:
        mine = [c for c in chunks if c.chapter == ch["index"]]
        if not mine:
            continue
        rec = read_record(out, ch["index"], ch["title"])
        if rec and rec.get("plan") == plan_stamp(ch["title"], mine, settings):
            ready.append(rec)
        else:
            missing.append(ch["index"])
    return ready, missing


def unknown_chapter(out: Path, index: int, book: dict) -> RenderError:
    known = ", ".join(str(c["index"]) for c in book["chapters"])
    return RenderError(f"{out}: no chapter {index} in the plan (chapters: {known})")
