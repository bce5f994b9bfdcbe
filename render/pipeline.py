"""The library API behind the CLI: each function runs one stage (or all of them) on a book.

load_source → make_script → plan_book → render_chunks → stitch_book, and render_book for all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .book import Book
from .errors import InputError, RenderError
from .master.export import export_book, write_json, write_wav
from .master.readalong import FORMATS as READALONG_FORMATS, parse_formats, write_readalong
from .master.stitch import MissingAudio, stitch_chapter
from .plan.chunker import MAX_SECONDS
from .plan.manifest import Chunk, read_manifest, write_manifest
from .plan.planner import plan_chunks
from .plan.voices import assign_voices
from .script.cast import Cast, empty_cast, load_cast
from .script.model import Script
from .synth.cache import Cache, _storage_error, default_cache_dir
from .synth.runner import Renderer, RunOptions, RunSummary

log = logging.getLogger(__name__)

MANIFEST = "manifest.jsonl"
BOOK = "book.json"
CHAPTERS = "chapters.json"
REPORT = "report.json"


@dataclass(frozen=True)
class BookOptions:
    """Everything `render book` can be told."""

    cast: Path | None = None  # cast file; None = discovered characters, default voices
    out: Path | None = None  # output folder; None = out/<book-slug>
    cache: Path | None = None  # cache folder; None = $RENDER_CACHE or ./cache
    engine: str | None = None  # registered engine name; None = the config's, else kokoro
    engine_options: dict = field(default_factory=dict)  # passed to the engine factory
    servers: tuple[str, ...] = ()  # HTTP engine servers (--server); () = config's or the engine's default
    config: Path | None = None  # engine config file (--config); cast settings' `engine:` is read too
    in_flight: int | None = None  # requests in flight per server; None = config's, else 1
    validate: bool = True  # ASR-check every new take
    chapters: tuple[int, ...] = ()  # render only these chapter numbers; () = all
    max_seconds: float = MAX_SECONDS  # chunk length limit
    min_match_ratio: float | None = None  # None = cast settings, else 0.9
    seed: int | None = None  # for seeded engines
    formats: tuple[str, ...] = ("wav",)  # wav always; mp3/m4b add a whole-book file; vtt/epub/html read-along
    progress: bool = True  # progress bar on stderr
    normalize: bool = True  # say numbers, abbreviations, numerals as words (render/text/normalize.py)
    lexicon: Path | None = None  # pronunciation lexicon YAML; adds to the cast's and the book's own


@dataclass
class Plan:
    """A planned book: where it goes and the chunks it needs."""

    book: Book
    script: Script
    chunks: list[Chunk]
    out: Path
    engine: object
    formats: tuple[str, ...] = ("wav",)  # --format plus the cast's settings.formats


@dataclass
class BookResult:
    """What render_book did."""

    out: Path
    summary: RunSummary
    chapters: list[dict]
    missing_chapters: list[int]


def load_source(path: str | Path) -> Book:
    """Ingest a manuscript of any supported format."""
    from .ingest import load_book

    return load_book(Path(path))


def load_cast_file(path: str | Path | None) -> Cast:
    """The cast file's cast, or an empty one."""
    return load_cast(path) if path else empty_cast()


def make_script(book: Book, cast: Cast, fixes=None) -> Script:
    """Attribute every line of the book to a speaker (per-quote fixes first, when given)."""
    from .script import build_script

    return build_script(book, cast, fixes)


def out_dir_for(book: Book, out: Path | None) -> Path:
    return Path(out) if out else Path("out") / book.slug


def engine_config(options: BookOptions, cast: Cast | None = None):
    """The engine settings of a run: cast settings' `engine:`, then --config, then the command line."""
    from .engines.config import command_line, load_config, parse_config

    where = f"{cast.path}: settings.engine" if cast is not None and cast.path else "cast settings"
    config = parse_config(cast.settings.get("engine") if cast is not None else None, where)
    if options.config:
        config = config.merged(load_config(options.config))
    return config.merged(command_line(options.engine, options.engine_options, options.servers, options.in_flight))


def make_engine(options: BookOptions, cast: Cast | None = None, config=None):
    """The engine (or server pool) a run uses."""
    from .synth.dispatch import build_engine

    return build_engine(config or engine_config(options, cast), validating=options.validate)


def plan_book(source: str | Path, options: BookOptions, write: bool = True) -> Plan:
    """Ingest, attribute, choose voices and cut chunks; writes manifest.jsonl and book.json
    (unless write=False, as for `render speak`)."""
    from .engines.secrets import public_options, safe_url
    from .script.fixes import fixes_path, load_fixes

    book = load_source(source)
    cast = load_cast_file(options.cast)
    script = make_script(book, cast, load_fixes(fixes_path(source)))  # `render fix` writes these
    config = engine_config(options, cast)
    engine = make_engine(options, cast, config)
    voices = assign_voices(script, cast, engine)
    ratio = options.min_match_ratio
    if ratio is None:
        ratio = float(cast.settings.get("min_match_ratio", 0.9))
    chunks = plan_chunks(book, script, voices, engine, max_seconds=options.max_seconds,
                         min_match_ratio=ratio, seed=options.seed,
                         chapters=set(options.chapters) or None, normalize=options.normalize,
                         lexicon=lexicon_for(source, options))
    if not chunks:
        raise InputError(f"{source}: nothing to read aloud (no text in the selected chapters)")
    out = out_dir_for(book, options.out)
    formats = tuple(dict.fromkeys((*options.formats, *parse_formats(cast.settings.get("formats")))))
    if not write:
        return Plan(book=book, script=script, chunks=chunks, out=out, engine=engine, formats=formats)
    try:
        write_manifest(out / MANIFEST, chunks)
        write_json(out / BOOK, {
            "title": book.title, "author": book.author, "source": str(Path(source).resolve()),
            "language": book.language, "kind": book.kind, "engine": engine.name,
            "engine_options": public_options(options.engine_options),  # secrets are never written
            "servers": [safe_url(s.url) for s in config.servers],
            "config": str(Path(options.config).resolve()) if options.config else None,
            "cast": str(Path(options.cast).resolve()) if options.cast else None,
            "formats": list(formats),
            "chapters": [{"index": c.index, "title": c.title} for c in script.chapters
                         if not options.chapters or c.index in options.chapters],
            "voices": {s: {"voice": v.voice, "gender": v.gender, "from_cast": v.from_cast}
                       for s, v in voices.items()},
            "plan": {"chapters": list(options.chapters), "max_seconds": options.max_seconds,
                     "min_match_ratio": options.min_match_ratio, "seed": options.seed,
                     "formats": list(options.formats), "normalize": options.normalize,
                     "lexicon": str(Path(options.lexicon).resolve()) if options.lexicon else None},
            # so `render fix` re-plans the same way
        })
    except OSError as exc:
        raise RenderError(f"cannot write to {out} ({exc.strerror}); choose a writable folder with -o") from None
    return Plan(book=book, script=script, chunks=chunks, out=out, engine=engine, formats=formats)


def lexicon_for(source: str | Path, options: BookOptions):
    """The cast's lexicon, then the book's own (novel.lexicon.yaml), then --lexicon, later winning."""
    from .text.lexicon import book_lexicon, cast_lexicon, load_lexicon

    lexicon = cast_lexicon(options.cast)
    for path in (book_lexicon(source), options.lexicon):
        if path:
            lexicon = lexicon.merged(load_lexicon(path))
    return lexicon


def suggest_lexicon(source: str | Path, min_count: int = 2, limit: int = 50, voice: str = "af_heart") -> str:
    """Lexicon candidates for a book as paste-ready YAML (proper nouns, G2P-unknown words)."""
    from .engines.base import create
    from .text.suggest import as_yaml, candidates, kokoro_rater

    engine = create("kokoro")
    engine.check_voice(voice)
    return as_yaml(candidates(load_source(source), kokoro_rater(engine, voice), min_count, limit))


def render_chunks(chunks: list[Chunk], engine, cache: Cache, options: BookOptions) -> RunSummary:
    """Bring every chunk's audio into the cache."""
    from .synth.dispatch import preflight

    preflight(engine, chunks)
    run = RunOptions(validate=options.validate, progress=options.progress)
    return Renderer(engine, cache, run).run(chunks)


def _chapter_file(index: int, title: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower())
    slug = "-".join(filter(None, slug.split("-")))[:48] or "chapter"
    return f"{index:03d}-{slug}.wav"


def stitch_book(out: Path, cache: Cache, formats: tuple[str, ...] = ("wav",)) -> tuple[list[dict], list[int]]:
    """Write one WAV per fully rendered chapter (skipping unchanged ones) and chapters.json."""
    meta = json.loads((out / BOOK).read_text(encoding="utf-8"))
    chunks = read_manifest(out / MANIFEST)
    previous = {}
    if (out / CHAPTERS).exists():
        try:
            previous = {c["index"]: c for c in json.loads((out / CHAPTERS).read_text())}
        except (ValueError, KeyError, TypeError):
            previous = {}
    written, missing = [], []
    for ch in meta["chapters"]:
        mine = [c for c in chunks if c.chapter == ch["index"]]
        if not mine:
            continue
        metas = [cache.meta(c.key) for c in mine]
        if any(m is None for m in metas):
            missing.append(ch["index"])
            continue
        # the chapter is re-stitched whenever any chunk's audio bytes (not just its key) change
        digest = hashlib.sha256("".join(m["sha256"] + str(c.pause_before)
                                        for c, m in zip(mine, metas)).encode()).hexdigest()
        name = _chapter_file(ch["index"], ch["title"])
        path = out / "chapters" / name
        old = previous.get(ch["index"])
        if old and old.get("digest") == digest and path.exists():
            written.append(old)
            continue
        try:
            audio, starts = stitch_chapter(mine, cache)
        except MissingAudio:
            missing.append(ch["index"])
            continue
        try:
            write_wav(path, audio)
        except OSError as exc:
            raise _storage_error(path, exc) from None
        written.append({"index": ch["index"], "title": ch["title"], "file": f"chapters/{name}",
                        "seconds": round(audio.seconds, 3), "chunks": len(mine), "digest": digest,
                        "chunk_starts": [round(s, 3) for s in starts]})
    try:
        write_json(out / CHAPTERS, written)
    except OSError as exc:
        raise _storage_error(out / CHAPTERS, exc) from None
    for fmt in formats:
        if fmt == "wav" or missing or not written:
            continue
        if fmt in READALONG_FORMATS:
            continue
        export_book([out / c["file"] for c in written], written, meta["title"], out / f"book.{fmt}", fmt)
    write_readalong(out, cache, written, chunks, meta, formats)
    return written, missing


def render_book(source: str | Path, options: BookOptions) -> BookResult:
    """Plan, render (resuming from the cache) and stitch a whole book."""
    start = time.monotonic()
    plan = plan_book(source, options)
    cache = Cache(options.cache or default_cache_dir())
    summary = render_chunks(plan.chunks, plan.engine, cache, options)
    chapters, missing = stitch_book(plan.out, cache, plan.formats)
    summary.wall_seconds = time.monotonic() - start
    write_report(plan.out, plan.chunks, summary)
    return BookResult(out=plan.out, summary=summary, chapters=chapters, missing_chapters=missing)


def write_report(out: Path, chunks: list[Chunk], summary: RunSummary) -> None:
    """report.json: the run's summary plus every flagged or failed chunk."""
    by_id = {c.id: c for c in chunks}
    problems = [dict(asdict(o), text=by_id[o.id].text, speaker=by_id[o.id].speaker)
                for o in summary.outcomes if o.flagged or o.status == "failed"]
    write_json(out / REPORT, {
        "summary": summary.line(), "synthesized": summary.count("synthesized"),
        "cached": summary.count("cached"), "failed": summary.count("failed"), "flagged": summary.flagged,
        "audio_seconds": round(summary.audio_seconds, 3), "wall_seconds": round(summary.wall_seconds, 3),
        "problems": problems,
        "retried": sum(1 for o in summary.outcomes if len(o.attempts) > 1),
    })


@dataclass
class ChapterStatus:
    """Progress of one chapter."""

    index: int
    title: str
    done: int
    total: int
    audio_seconds: float
    flagged: list[dict]
    file: str | None


def book_status(out: Path, cache: Cache) -> list[ChapterStatus]:
    """Per chapter: chunks in the cache / total, audio seconds, flagged chunks."""
    out = Path(out)
    if not (out / BOOK).exists():
        raise InputError(f"{out} is not a render output folder (no {BOOK}); run `render book` first")
    meta = json.loads((out / BOOK).read_text(encoding="utf-8"))
    chunks = read_manifest(out / MANIFEST)
    files = {}
    if (out / CHAPTERS).exists():
        files = {c["index"]: c["file"] for c in json.loads((out / CHAPTERS).read_text())}
    rows = []
    for ch in meta["chapters"]:
        mine = [c for c in chunks if c.chapter == ch["index"]]
        done, seconds, flagged = 0, 0.0, []
        for c in mine:
            side = cache.meta(c.key)
            if side is None:
                continue
            done += 1
            seconds += float(side.get("seconds", 0))
            if side.get("flagged"):
                v = side.get("validation") or {}
                flagged.append({"id": c.id, "text": c.text, "transcript": v.get("transcript"),
                                "score": v.get("score")})
        rows.append(ChapterStatus(ch["index"], ch["title"], done, len(mine), seconds, flagged,
                                  files.get(ch["index"])))
    return rows


def redo_chunks(out: Path, cache: Cache, chunk_ids: tuple[str, ...], chapters: tuple[int, ...],
                options: BookOptions) -> RunSummary:
    """Discard and re-render chosen chunks (by id or by chapter), then re-stitch."""
    out = Path(out)
    meta = json.loads((out / BOOK).read_text(encoding="utf-8")) if (out / BOOK).exists() else None
    if meta is None:
        raise InputError(f"{out} is not a render output folder; run `render book` first")
    chunks = read_manifest(out / MANIFEST)
    ids = set(chunk_ids)
    unknown = ids - {c.id for c in chunks}
    if unknown:
        raise InputError(f"unknown chunk id(s) {sorted(unknown)}; `render status {out}` lists them")
    chosen = [c for c in chunks if c.id in ids or c.chapter in chapters]
    if not chosen:
        raise InputError("nothing to redo: give --chunk ID or --chapter N")
    for c in chosen:
        cache.remove(c.key)
    from dataclasses import replace

    cast = load_cast_file(meta["cast"]) if meta.get("cast") and Path(meta["cast"]).exists() else None
    again = replace(options, engine=options.engine or meta.get("engine"),
                    engine_options={**(meta.get("engine_options") or {}), **options.engine_options},
                    servers=options.servers or tuple(meta.get("servers") or ()),
                    config=options.config or (Path(meta["config"]) if meta.get("config") else None))
    engine = make_engine(again, cast)
    summary = render_chunks(chosen, engine, cache, options)
    stitch_book(out, cache, tuple(meta.get("formats") or ("wav",)))
    return summary
