"""Read-along outputs beside the chapter audio: WebVTT per chapter, listen.html, an EPUB 3 with
media overlays. All three come from one set of sentence cues per chapter."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf
from tqdm import tqdm

from ..errors import InputError, RenderError
from ..plan.manifest import Chunk
from ..synth.cache import Cache
from .subtitles import Cue, Word, cached_words, chapter_cues, write_vtt

log = logging.getLogger(__name__)

FORMATS = ("vtt", "epub", "html")  # what --format / the cast's settings.formats may add for this
LISTEN = "listen.html"
EPUB = "readalong.epub"


@dataclass
class ChapterCues:
    """A stitched chapter and its sentence cues."""

    index: int  # chapter number
    title: str
    file: str  # the chapter audio, relative to the output folder
    seconds: float  # its length
    chunks: list[Chunk]  # its chunks in order
    cues: list[Cue]


def parse_formats(values) -> tuple[str, ...]:
    """'vtt,epub' or ['vtt', 'epub'] (from the CLI or a cast file) as a tuple of format names."""
    if isinstance(values, str):
        values = [values]
    out = []
    for value in values or ():
        out += [v.strip().lower() for v in str(value).split(",") if v.strip()]
    return tuple(dict.fromkeys(out))


def _words(wav: Path, digest: str, language: str) -> list[Word] | None:
    """Whisper's word timings of a chapter, or None when the model cannot run here."""
    try:
        return cached_words(wav, digest or "", language)
    except RenderError as exc:  # e.g. the Whisper model is missing: time by characters instead
        log.warning("no word timings for %s (%s); sentence cuts placed by character share", wav, exc)
        return None


def flagged_chunks(out: Path, cache: Cache | None, chunks: list[Chunk]) -> set[str]:
    """Ids of chunks whose take failed validation: from the cache's sidecars, else report.json."""
    if cache is not None:
        return {c.id for c in chunks if (cache.meta(c.key) or {}).get("flagged")}
    try:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return {p["id"] for p in report.get("problems", []) if p.get("flagged")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def book_cues(out: Path, cache: Cache | None, chapters: list[dict], chunks: list[Chunk],
              language: str = "en", word_timings: bool = True) -> list[ChapterCues]:
    """The sentence cues of every stitched chapter (chapters as in chapters.json)."""
    flagged = flagged_chunks(out, cache, chunks)
    result = []
    for ch in tqdm(chapters, desc="read-along", unit="chapter", disable=None, leave=False):  # None: off unless a tty
        mine = [c for c in chunks if c.chapter == ch["index"]]
        starts = ch.get("chunk_starts") or []
        if len(starts) != len(mine):
            raise InputError(f"{out / 'chapters.json'}: chapter {ch['index']} has {len(starts)} chunk starts "
                             f"for {len(mine)} chunks; run `render book` again to re-stitch it")
        wav = out / ch["file"]
        samples, rate = sf.read(str(wav), dtype="float32", always_2d=False)
        if samples.ndim > 1:
            samples = samples.mean(axis=1)
        words = _words(wav, ch.get("digest", ""), language) if word_timings else None
        cues = chapter_cues(mine, starts, samples, rate, words, flagged, ends=ch.get("chunk_ends"))
        result.append(ChapterCues(ch["index"], ch["title"], ch["file"], float(ch["seconds"]), mine, cues))
    return result


def write_readalong(out: Path, cache: Cache | None, chapters: list[dict], chunks: list[Chunk], meta: dict,
                    formats: tuple[str, ...]) -> list[Path]:
    """Write the read-along files asked for in formats (others are ignored); returns their paths.

    chapters: the chapters.json records (file, seconds, digest, chunk_starts); meta: book.json;
    cache: where flagged chunks are looked up (None: report.json)."""
    wanted = [f for f in formats if f in FORMATS]
    if not wanted or not chapters:
        return []
    cues = book_cues(out, cache, chapters, chunks, meta.get("language") or "en")
    written = []
    if "vtt" in wanted:
        for ch in cues:
            path = (out / ch.file).with_suffix(".vtt")
            write_vtt(path, ch.cues, ch.title)
            written.append(path)
    if "html" in wanted:
        from .listen import write_listen_page

        written.append(write_listen_page(out / LISTEN, meta, cues))
    if "epub" in wanted:
        from .overlays import write_overlay_epub

        written.append(write_overlay_epub(out / EPUB, out, meta, cues))
    return written
