"""The library API behind the CLI: each function runs one stage (or all of them) on a book.

load_source → make_script → plan_book → render_chunks → stitch_book, and render_book for all.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .book import Book
from .errors import InputError, RenderError
from .master.assemble import assemble, read_exports
from .master.chapters import chapter_records, master_chapter, unknown_chapter, write_plan_stamps
from .master.export import write_json, write_wav
from .master.metadata import tag_settings
from .master.readalong import parse_formats, write_readalong
from .master.settings import master_settings
from .plan.chunker import MAX_SECONDS
from .plan.manifest import Chunk, read_manifest, write_manifest
from .plan.planner import plan_chunks
from .plan.voices import assign_voices
from .script.cast import Cast, empty_cast, load_cast
from .script.model import Script
from .synth.cache import Cache, _storage_error, default_cache_dir
from .synth.consistency import (ConsistencyOptions, anchor_chunks, check_consistency, reference_anchors,
                                voice_stats)
from .synth.reference import engine_clones, load_references, with_references
from .synth.seedvc import (Converter, check_weights, convert_chunks, converted, identity_clips, seedvc_options,
                           write_conversions)
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
    out: Path | None = None  # output folder; None = <out_root>/<book-slug>
    out_root: Path = Path("out")  # where books without an explicit out go
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
    formats: tuple[str, ...] = ("wav",)  # wav always; m4b: the whole book, mp3: a file per chapter, vtt/epub/html: read-along
    cover: Path | None = None  # cover image for M4B/MP3; None = the EPUB's own, or the cast's settings.cover
    progress: bool = True  # progress bar on stderr
    normalize: bool = True  # say numbers, abbreviations, numerals as words (render/text/normalize.py)
    lexicon: Path | None = None  # pronunciation lexicon YAML; adds to the cast's and the book's own
    consistency: bool = True  # compare each chunk's voice with its character's anchor, flag drift
    include: tuple[str, ...] = ()  # left-out kinds to read anyway (book.SKIP_KINDS), besides the cast's settings.include


@dataclass
class Plan:
    """A planned book: where it goes and the chunks it needs."""

    book: Book
    script: Script
    chunks: list[Chunk]
    out: Path
    engine: object
    formats: tuple[str, ...] = ("wav",)  # --format plus the cast's settings.formats
    cast: Cast | None = None  # the loaded cast (its settings configure SeedVC)


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


def out_dir_for(book: Book, out: Path | None, root: Path = Path("out")) -> Path:
    return Path(out) if out else Path(root) / book.slug


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

    from .ingest.skipped import include_skipped, parse_kinds, skipped_rows

    book = load_source(source)
    cast = load_cast_file(options.cast)
    book = include_skipped(book, parse_kinds(options.include)
                           | parse_kinds(cast.settings.get("include") or (), f"{options.cast}: settings.include"))
    seedvc = seedvc_options(cast.settings, str(cast.path or "the cast"))
    if seedvc.enabled:  # missing weights stop the run now, not after hours of synthesis
        check_weights(seedvc.weights)
    script = make_script(book, cast, load_fixes(fixes_path(source)))  # `render fix` writes these
    config = engine_config(options, cast)
    engine = make_engine(options, cast, config)
    voices = assign_voices(script, cast, engine)
    references = load_references(cast, engine, Path(options.cache or default_cache_dir()))
    voices = with_references(voices, cast, references)
    ratio = options.min_match_ratio
    if ratio is None:
        ratio = float(cast.settings.get("min_match_ratio", 0.9))
    where = f"{options.cast}: settings" if options.cast else "settings"
    mastering = master_settings(cast.settings, where)
    chunks = plan_chunks(book, script, voices, engine, max_seconds=options.max_seconds,
                         min_match_ratio=ratio, seed=options.seed,
                         chapters=set(options.chapters) or None, normalize=options.normalize,
                         lexicon=lexicon_for(source, options), settings=mastering)
    if not chunks:
        raise InputError(f"{source}: nothing to read aloud (no text in the selected chapters)")
    out = out_dir_for(book, options.out, options.out_root)
    formats = tuple(dict.fromkeys((*options.formats, *parse_formats(cast.settings.get("formats")))))
    if not write:
        return Plan(book=book, script=script, chunks=chunks, out=out, engine=engine, formats=formats)
    try:
        write_manifest(out / MANIFEST, chunks)
        meta = {
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
                     "lexicon": str(Path(options.lexicon).resolve()) if options.lexicon else None,
                     "include": list(options.include)},
            "skipped": skipped_rows(book),  # what is not read aloud: kind, where, words (--include reads it)
            # so `render fix` re-plans the same way
            "master": mastering.to_json(), "tags": tag_settings(cast.settings, options.cast),
        }
        write_json(out / BOOK, meta)
        write_plan_stamps(out, meta, chunks)
    except OSError as exc:
        raise RenderError(f"cannot write to {out} ({exc.strerror}); choose a writable folder with -o") from None
    return Plan(book=book, script=script, chunks=chunks, out=out, engine=engine, formats=formats, cast=cast)


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


def render_chunks(chunks: list[Chunk], engine, cache: Cache, options: BookOptions,
                  embed_speakers: bool = False) -> RunSummary:
    """Bring every chunk's audio into the cache. embed_speakers: the consistency pass follows, so
    the chunks' speaker embeddings are made on an idle core meanwhile (runner.RunOptions, same name)."""
    from .synth.dispatch import preflight

    preflight(engine, chunks)
    run = RunOptions(validate=options.validate, progress=options.progress,
                     embed_speakers=embed_speakers and options.consistency)
    return Renderer(engine, cache, run).run(chunks)


def release_models(engine) -> None:
    """Let go of the synthesis and ASR models once the chunks are in the cache, so mastering a long
    chapter (whole-chapter arrays) does not stack on them; a later call that needs one loads it again.
    Nothing is let go while memory.keep_models(True) is in force."""
    from .memory import give_back, keeping_models
    from .synth.validate import Transcriber

    if keeping_models():
        return
    release = getattr(engine, "release", None)
    if release is not None:
        release()
    Transcriber.release()
    give_back()


def preview_voices(cast_path: str | Path, source: str | Path | None, options: BookOptions) -> list:
    """One short line per character to OUT/previews/<character>.wav (Scenema: voice_design mode);
    a line the character speaks in source when given. Returns the Auditions."""
    from .synth.preview import audition, cast_script, spoken_lines

    from dataclasses import replace

    cast = load_cast(cast_path)
    config = engine_config(options, cast)
    if config.name == "scenema":  # Scenema auditions a voice with its one-shot voice_design mode
        config = replace(config, options={**config.options, "mode": "voice_design"})
    engine = make_engine(options, cast, config)
    if source:
        book = load_source(source)
        script = make_script(book, cast)
        out, lines = out_dir_for(book, options.out, options.out_root), spoken_lines(script)
    else:
        script, lines = cast_script(cast), {}
        out = Path(options.out) if options.out else Path("out") / Path(cast_path).name.split(".")[0]
    voices = assign_voices(script, cast, engine)
    voices = with_references(voices, cast, load_references(cast, engine, Path(options.cache or default_cache_dir())))
    try:
        return audition(engine, voices, lines, out, write_wav)
    except OSError as exc:
        raise _storage_error(out / "previews", exc) from None


def stitch_book(out: Path, cache: Cache, formats: tuple[str, ...] | None = ("wav",),
                cover: Path | None = None) -> tuple[list[dict], list[int]]:
    """Master every fully rendered chapter (skipping unchanged ones), write chapters.json and the exports.

    formats None re-exports what the last export was asked for.
    """
    out = Path(out)
    meta = json.loads((out / BOOK).read_text(encoding="utf-8"))
    chunks = converted(out, read_manifest(out / MANIFEST))  # SeedVC's objects where there are any
    for ch in meta["chapters"]:
        mine = [c for c in chunks if c.chapter == ch["index"]]
        if mine:
            master_chapter(out, meta, ch["index"], mine, cache)
    return assemble_book(out, cache, formats, cover)


def assemble_book(out: Path, cache: Cache, formats: tuple[str, ...] | None = ("wav",),
                  cover: Path | None = None) -> tuple[list[dict], list[int]]:
    """chapters.json from the chapters mastered so far; the M4B, chapter MP3s and read-along files once all are.

    formats None: those of the last export (exports.json), else those book.json was planned with.
    """
    out = Path(out)
    meta = _book_meta(out)
    chunks = read_manifest(out / MANIFEST)
    records, missing = chapter_records(out, meta, chunks)
    if formats is None:
        formats = tuple(read_exports(out).get("formats") or meta.get("formats") or ("wav",))
    assemble(out, meta, records, missing, formats, cover)
    write_readalong(out, cache, records, chunks, meta, formats)
    return records, missing


def render_chapter(out: Path, index: int, cache: Cache, options: BookOptions) -> tuple[RunSummary, dict | None]:
    """Render one planned chapter's chunks and master its WAV (what `make chapter-NN` runs)."""
    out = Path(out)
    meta = _book_meta(out)
    chunks = [c for c in read_manifest(out / MANIFEST) if c.chapter == index]
    if not chunks:
        raise unknown_chapter(out, index, meta)
    engine = _engine_for(meta, options)
    summary = render_chunks(chunks, engine, cache, options)
    release_models(engine)
    return summary, master_chapter(out, meta, index, chunks, cache)


def _engine_for(meta: dict, options: BookOptions):
    """The engine a planned book (book.json's contents) was planned with, command-line options on top."""
    from dataclasses import replace

    cast = load_cast_file(meta["cast"]) if meta.get("cast") and Path(meta["cast"]).exists() else None
    again = replace(options, engine=options.engine or meta.get("engine"),
                    engine_options={**(meta.get("engine_options") or {}), **options.engine_options},
                    servers=options.servers or tuple(meta.get("servers") or ()),
                    config=options.config or (Path(meta["config"]) if meta.get("config") else None))
    return make_engine(again, cast)


def _book_meta(out: Path) -> dict:
    if not (out / BOOK).exists():
        raise InputError(f"{out} is not a render output folder (no {BOOK}); run `render plan` or `render book` first")
    return json.loads((out / BOOK).read_text(encoding="utf-8"))


def render_book(source: str | Path, options: BookOptions) -> BookResult:
    """Plan, render (resuming from the cache) and stitch a whole book."""
    start = time.monotonic()
    plan = plan_book(source, options)
    cache = Cache(options.cache or default_cache_dir())
    summary = render_chunks(plan.chunks, plan.engine, cache, options, embed_speakers=True)
    release_models(plan.engine)
    check_voices(plan.chunks, plan.engine, cache, summary, options)
    convert_voices(plan, cache)
    chapters, missing = stitch_book(plan.out, cache, plan.formats, options.cover)
    summary.wall_seconds = time.monotonic() - start
    write_report(plan.out, plan.chunks, summary, cache)
    return BookResult(out=plan.out, summary=summary, chapters=chapters, missing_chapters=missing)


def check_voices(chunks: list[Chunk], engine, cache: Cache, summary: RunSummary, options: BookOptions) -> None:
    """The consistency pass over every stored chunk; flags drifting ones in the summary too.

    A cloning engine's chunks are compared with their reference clip, others with their anchor."""
    if not options.consistency:
        return
    references = reference_anchors(chunks) if engine_clones(engine) else {}
    result = check_consistency(chunks, cache, ConsistencyOptions(), references)
    if result.flagged and not getattr(engine, "deterministic", True):  # a new seed may bring the voice back
        from .synth.retake import retake_drifted
        from .synth.validate import Transcriber

        asr = Transcriber() if options.validate else None
        if retake_drifted(chunks, result.flagged, result.anchors, engine, cache, ConsistencyOptions(), asr):
            result = check_consistency(chunks, cache, ConsistencyOptions(), references)
    drifted = set(result.flagged)
    for o in summary.outcomes:
        if o.id in drifted:
            o.flagged = True


def convert_voices(plan: Plan, cache: Cache, converter: Converter | None = None) -> dict[str, str]:
    """SeedVC: every chunk converted toward its character's reference or anchor clip, when the cast
    enables it; writes OUT/conversions.json for stitching (removed when conversion is off)."""
    opts = seedvc_options(plan.cast.settings if plan.cast else {})
    mapping: dict[str, str] = {}
    if opts.enabled or converter is not None:
        converter = converter or Converter(opts)
        members = {s: [c.id for c in cs] for s, cs in anchor_chunks(
            plan.chunks, ConsistencyOptions().anchor_chunks, ConsistencyOptions().min_anchor_seconds).items()}
        mapping = convert_chunks(plan.chunks, cache, converter, identity_clips(plan.chunks, cache, members))
    write_conversions(plan.out, mapping)
    return mapping


def voice_report(out: Path, cache: Cache) -> dict[str, dict]:
    """Per character: similarity min/median, SECS, WER, CFR and the chunks flagged for their voice."""
    return voice_stats(read_manifest(Path(out) / MANIFEST), cache)


def write_report(out: Path, chunks: list[Chunk], summary: RunSummary, cache: Cache | None = None) -> None:
    """report.json: the run's summary, every flagged or failed chunk, and per-character voice figures."""
    by_id = {c.id: c for c in chunks}
    problems = [dict(asdict(o), text=by_id[o.id].text, speaker=by_id[o.id].speaker)
                for o in summary.outcomes if o.flagged or o.status == "failed"]
    write_json(out / REPORT, {
        "summary": summary.line(), "synthesized": summary.count("synthesized"),
        "cached": summary.count("cached"), "failed": summary.count("failed"), "flagged": summary.flagged,
        "audio_seconds": round(summary.audio_seconds, 3), "wall_seconds": round(summary.wall_seconds, 3),
        "problems": problems,
        "retried": sum(1 for o in summary.outcomes if len(o.attempts) > 1),
        "voices": voice_stats(chunks, cache) if cache is not None else {},
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
                                "score": v.get("score"),
                                "similarity": (side.get("consistency") or {}).get("similarity")})
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
    engine = _engine_for(meta, options)
    summary = render_chunks(chosen, engine, cache, options, embed_speakers=True)
    check_voices(chunks, engine, cache, summary, options)
    stitch_book(out, cache, formats=None)  # re-exports every format the book was last exported in
    return summary
