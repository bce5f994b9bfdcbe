"""CLI commands for per-chapter rendering and the finished book: makefile, chapter, assemble, check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli_options import (_book_options, _cache, _cast, _chunking, _cover, _engine, _engine_farm,
                           _engine_opt, _format, _out, _source)


def register(group: click.Group) -> None:
    """Add the commands to the `render` group, with the options the other commands share."""
    _out_arg = click.argument("out", type=click.Path(file_okay=False, path_type=Path))

    @click.command()
    @_source
    @_cast
    @_out
    @_cache
    @_engine
    @_engine_opt
    @_engine_farm
    @_chunking
    @_format
    @_cover
    def makefile(source, **kw):
        """Plan SOURCE and write OUT/Makefile with one target per chapter.

        \b
        Then:
          make -j2 -C OUT all book check     # every chapter on two cores, the M4B/MP3s, the ACX check
          make -C OUT chapter-03             # one chapter (also by title slug: make -C OUT the-storm-lamp)
        Editing the manuscript, the cast or the fixes file (NOVEL.fixes.yaml, `render fix`) re-plans;
        only the chapters whose chunks changed re-render.
        """
        from ..plan.makefile import make_makefile

        path, chapters = make_makefile(source, _book_options(**kw))
        click.echo(f"{path}: {chapters} chapter targets; run: make -j2 -C {path.parent} all book check")

    @click.command()
    @_out_arg
    @click.argument("number", type=int)
    @_cache
    @click.option("--validate/--no-validate", default=True, show_default=True,
                  help="Transcribe every new chunk with Whisper and retry ones that don't match the text.")
    @click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
    def chapter(out, number, cache, validate, quiet):
        """Render chapter NUMBER of the book planned in OUT and master its WAV (what `make chapter-NN` runs)."""
        from ..pipeline import render_chapter
        from ..synth.cache import Cache, default_cache_dir

        summary, record = render_chapter(out, number, Cache(cache or default_cache_dir()),
                                         _book_options(validate=validate, quiet=quiet))
        if record:
            click.echo(f"  {out / record['file']}  ({record['seconds']:.1f} s)")
        click.echo(summary.line())
        if record is None or summary.count("failed"):
            click.echo(f"chapter {number} not finished (chunks failed); run the same command again to retry them",
                       err=True)
            sys.exit(1)

    @click.command()
    @_out_arg
    @_format
    @_cover
    @_cache
    def assemble(out, format, cover, cache):
        """Write chapters.json, the M4B, chapter MP3s and read-along files from OUT's finished chapters.

        Without --format, makes again what the last export was asked for.
        """
        from ..pipeline import assemble_book
        from ..synth.cache import Cache, default_cache_dir

        formats = tuple(dict.fromkeys(("wav", *format))) if format else None
        records, missing = assemble_book(out, Cache(cache or default_cache_dir()), formats,
                                         Path(cover) if cover else None)
        if missing:
            click.echo(f"chapters not finished: {missing}; run `make -C {out} all` (or `render book`) first", err=True)
            sys.exit(1)
        click.echo(f"{len(records)} chapters assembled in {out}")

    @click.command()
    @_out_arg
    def check(out):
        """Measure every finished chapter against ACX's rules; exit 1 if any fails.

        Per chapter: RMS (-23..-18 dBFS), true peak (<= -3 dBFS), noise floor (<= -60 dBFS, and not
        digital silence), room tone at the head (0.5-1 s) and tail (1-5 s), duration (<= 120 min).
        """
        from .check import check_book

        rows = check_book(out)
        click.echo(f"{'ch':>3}  {'file':3s} {'title':28s} {'length':>8} {'RMS':>6} {'peak':>6} {'floor':>6} {'head':>5} {'tail':>5}  ACX")
        for r in rows:
            length = f"{int(r.seconds // 60)}:{r.seconds % 60:04.1f}"
            kind = "mp3" if r.file.endswith(".mp3") else "wav"
            click.echo(f"{r.index:3d}  {kind} {r.title[:28]:28s} {length:>8} {r.rms:6.1f} {r.peak:6.1f} {r.noise_floor:6.1f} "
                       f"{r.head:5.2f} {r.tail:5.2f}  {'pass' if r.passed else 'FAIL'}")
            for why in r.failed:
                click.echo(f"       fails {why}")
        failed = sum(not r.passed for r in rows)
        click.echo(f"{len(rows) - failed}/{len(rows)} chapter files pass ACX")
        if failed:
            sys.exit(1)

    for command in (makefile, chapter, assemble, check):
        group.add_command(command)
