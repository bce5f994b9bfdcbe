"""Rendering a library of books: one after another here, or all at once on a Ray cluster.

Both paths plan every book the same way (pipeline.plan_book) and write into the same
content-addressed cache, so a batch resumes like a single book does and a book rendered through
Ray is byte for byte the book rendered here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from .errors import InputError, RenderError
from .pipeline import BookOptions, Plan, plan_book, render_chunks, stitch_book, write_report
from .synth.cache import Cache, default_cache_dir
from .synth.dispatch import _is_http as is_http
from .synth.cluster import ClusterOptions, plan_tasks, run_on_ray
from .synth.runner import Outcome, RunOptions, RunSummary

CAST_SUFFIXES = (".cast.yaml", ".cast.yml")


@dataclass(frozen=True)
class BatchOptions:
    """How `render batch` treats a library."""

    book: BookOptions = field(default_factory=BookOptions)  # engine, cache, validation, formats for every book
    out_root: Path | None = None  # each book goes to <out_root>/<book-slug>; None = out/
    casts: Path | None = None  # folder of <stem>.cast.yaml files; None = look beside each book
    ray: ClusterOptions | None = None  # None = render here; else on this Ray cluster


@dataclass
class BookRow:
    """One line of the batch summary."""

    source: Path
    out: Path | None = None
    chunks: int = 0
    synthesized: int = 0
    cached: int = 0
    failed: int = 0
    flagged: int = 0
    audio_seconds: float = 0.0
    chapters: int = 0
    error: str | None = None  # the book could not be planned (bad file, bad cast)

    @property
    def ok(self) -> bool:
        return self.error is None and self.failed == 0


def find_books(paths: list[Path]) -> list[Path]:
    """The manuscripts named, folders expanded to the supported files in them (sorted)."""
    from .ingest import SUPPORTED_SUFFIXES

    books = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                raise InputError(f"{path}: no manuscripts here (looked for {', '.join(SUPPORTED_SUFFIXES)})")
            books += found
        elif path.is_file():
            books.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not books:
        raise InputError("no books given; name manuscripts or a folder of them")
    return list(dict.fromkeys(books))


def cast_for(source: Path, casts: Path | None) -> Path | None:
    """The cast file of a book: <stem>.cast.yaml in the casts folder, else beside the book."""
    for folder in ([casts] if casts else []) + [source.parent]:
        for suffix in CAST_SUFFIXES:
            candidate = folder / f"{source.stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _book_options(source: Path, options: BatchOptions) -> BookOptions:
    root = options.out_root if options.out_root is not None else options.book.out_root
    return replace(options.book, cast=cast_for(source, options.casts), out=None, out_root=root)


def _plan_all(sources: list[Path], options: BatchOptions, rows: list[BookRow]) -> list[tuple[BookRow, Plan]]:
    planned = []
    for source in tqdm(sources, desc="plan", unit="book", disable=not options.book.progress):
        row = BookRow(source)
        rows.append(row)
        try:
            plan = plan_book(source, _book_options(source, options))
        except RenderError as exc:  # one bad book does not stop the library
            row.error = str(exc)
            continue
        row.out, row.chunks = plan.out, len(plan.chunks)
        planned.append((row, plan))
    return planned


def _finish(row: BookRow, plan: Plan, summary: RunSummary, cache: Cache, options: BatchOptions) -> None:
    chapters, _missing = stitch_book(plan.out, cache, options.book.formats)
    write_report(plan.out, plan.chunks, summary)
    row.synthesized, row.cached = summary.count("synthesized"), summary.count("cached")
    row.failed, row.flagged = summary.count("failed"), summary.flagged
    row.audio_seconds, row.chapters = summary.audio_seconds, len(chapters)


def render_library(paths: list[Path], options: BatchOptions,
                   on_book: Callable[[BookRow], None] | None = None) -> list[BookRow]:
    """Plan, render and stitch every book; one row per book (errors recorded, never raised)."""
    sources = find_books(paths)
    cache = Cache(options.book.cache or default_cache_dir())
    rows: list[BookRow] = []
    planned = _plan_all(sources, options, rows)
    if options.ray is None:
        for row, plan in planned:
            start = time.monotonic()
            summary = render_chunks(plan.chunks, plan.engine, cache, options.book)
            summary.wall_seconds = time.monotonic() - start
            _finish(row, plan, summary, cache, options)
            if on_book:
                on_book(row)
        return rows
    _render_on_ray(planned, cache, options, on_book)
    return rows


def _render_on_ray(planned, cache: Cache, options: BatchOptions, on_book) -> None:
    start = time.monotonic()
    cache.check_writable()
    run = RunOptions(validate=options.book.validate, progress=False)

    def settled(meta):
        return meta is not None and not (run.validate and meta.get("validation_pending"))

    if not planned:
        return
    for _, plan in planned:
        if is_http(plan.engine.name):
            raise InputError(f"the {plan.engine.name} engine calls servers, which --server already "
                             "keeps busy in parallel; drop --ray (Ray is for in-process engines)")
    fingerprints = {plan.engine.fingerprint() for _, plan in planned}
    if len(fingerprints) > 1:
        raise InputError("these books' casts name different engines; render them in separate batches")
    tasks = plan_tasks([plan.chunks for _, plan in planned], cache, run.batch_seconds, settled)
    made: dict[str, Outcome] = {}
    total = sum(len(t.chunks) for t in tasks)
    with tqdm(total=total, desc="render (ray)", unit="chunk", disable=not options.book.progress) as bar:
        for outcome, data, side in run_on_ray(tasks, options.book, fingerprints.pop(), run,
                                              options.ray):
            if data is not None and not (outcome.status == "cached" and cache.has(outcome.key)):
                cache.adopt(outcome.key, data, side)
            made.setdefault(outcome.key, outcome)
            bar.update(1)
    assigned: set[str] = set()  # a worker's outcome goes to the first chunk with its key
    for row, plan in planned:
        outcomes = []
        for chunk in plan.chunks:
            first = chunk.key not in assigned
            assigned.add(chunk.key)
            outcomes.append(_outcome(chunk, made.get(chunk.key), first, cache))
        summary = RunSummary(outcomes=outcomes, wall_seconds=time.monotonic() - start)
        _finish(row, plan, summary, cache, options)
        if on_book:
            on_book(row)


def _outcome(chunk, made: Outcome | None, first: bool, cache: Cache) -> Outcome:
    """A chunk's outcome in its book: what a worker did to it, else what the cache holds."""
    if made is not None and first:
        return replace(made, id=chunk.id)
    if made is not None and made.status == "failed":
        return Outcome(chunk.id, chunk.key, "failed", error=made.error)
    meta = cache.meta(chunk.key)
    if meta is None:
        return Outcome(chunk.id, chunk.key, "failed", error="not rendered")
    v = meta.get("validation") or {}
    return Outcome(chunk.id, chunk.key, "cached", flagged=bool(meta.get("flagged")), score=v.get("score"),
                   transcript=v.get("transcript"), seconds=float(meta.get("seconds", 0.0)))
