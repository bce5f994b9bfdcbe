"""`render fix`: record who speaks one quote, then re-render only the chunks that changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
from .pipeline import BOOK, MANIFEST, BookOptions, BookResult, load_cast_file, load_source, render_book
from .plan.manifest import read_manifest
from .script.build import analyse
from .script.fixes import Fixes, closest, fixes_path, known_names, load_fixes, save_fixes, speaker_for


@dataclass
class FixResult:
    """What one fix did."""

    quote_id: str  # the quote fixed
    before: str | None  # its speaker before the fix
    after: str  # its speaker now
    fixes_file: Path  # where the fix is recorded
    changed_chunks: int  # chunks whose content key changed (so had to be synthesized)
    result: BookResult  # the re-render


def book_options(out: Path, meta: dict, options: BookOptions) -> BookOptions:
    """The options the book in `out` was planned with (book.json), with the run-time ones given."""
    plan = meta.get("plan") or {}
    return replace(
        options, out=out,
        cast=Path(meta["cast"]) if meta.get("cast") else None,
        engine=options.engine or meta.get("engine"),
        engine_options={**(meta.get("engine_options") or {}), **options.engine_options},
        servers=options.servers or tuple(meta.get("servers") or ()),
        config=options.config or (Path(meta["config"]) if meta.get("config") else None),
        chapters=tuple(plan.get("chapters") or ()),
        max_seconds=plan.get("max_seconds") or options.max_seconds,
        min_match_ratio=plan.get("min_match_ratio"),
        seed=plan.get("seed"),
        formats=tuple(plan.get("formats") or options.formats),
        normalize=plan.get("normalize", True),
        lexicon=Path(plan["lexicon"]) if plan.get("lexicon") else None,
        include=tuple(plan.get("include") or ()),
    )


def fix_line(out: str | Path, quote_id: str, speaker: str, options: BookOptions) -> FixResult:
    """Record `quote_id -> speaker` in the manuscript's fixes file, re-plan and re-render the book
    in `out` (only chunks whose content changed are synthesized), and re-stitch it."""
    out = Path(out)
    if not (out / BOOK).exists():
        raise InputError(f"{out} is not a render output folder (no {BOOK}); run `render book` first")
    meta = json.loads((out / BOOK).read_text(encoding="utf-8"))
    source = Path(meta["source"])
    if not source.exists():
        raise InputError(f"{out / BOOK} names the manuscript {source}, which is gone; render it again")
    opts = book_options(out, meta, options)
    book = load_source(source)
    cast = load_cast_file(opts.cast)
    fixes = load_fixes(fixes_path(source))
    analysis = analyse(book, cast, fixes)
    quotes = {qid: q for q, qid in analysis.ids.items()}
    q = quotes.get(quote_id)
    if q is None:
        raise InputError(f"no quote {quote_id} in {source.name}{closest(quote_id, quotes)} "
                         f"(`render review {source}` lists IDs)")
    name = speaker_for(speaker, analysis.index)
    if name is None:
        raise InputError(f"no character called {speaker!r} in {source.name}"
                         f"{closest(speaker, known_names(analysis.index))} "
                         "(add them to the cast file to use a new name)")
    before = q.speaker
    updated = Fixes(fixes.path, {**fixes.lines, quote_id: name}, fixes.where)
    save_fixes(updated, {qid: quotes[qid].text for qid in updated.lines if qid in quotes})
    old_keys = {c.key for c in read_manifest(out / MANIFEST)} if (out / MANIFEST).exists() else set()
    result = render_book(source, opts)
    new_keys = {c.key for c in read_manifest(out / MANIFEST)}
    return FixResult(quote_id, before, name, updated.path, len(new_keys - old_keys), result)
