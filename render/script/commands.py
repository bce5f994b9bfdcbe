"""CLI commands of the script layer: `render attribute` and `render cast init`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .castfile import cast_yaml, suggest_voices


def _load(source: str, cast_path: str | None):
    from ..ingest import load_book
    from .cast import load_cast

    book = load_book(source)
    cast = load_cast(cast_path) if cast_path else None
    return book, cast


@click.command("attribute")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--cast", "cast_path", type=click.Path(dir_okay=False),
              help="Cast file whose names and aliases the speakers are resolved to.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False),
              help="Write the JSON lines here instead of standard output.")
def attribute(source: str, cast_path: str | None, out: str | None) -> None:
    """Name the speaker of every quotation in SOURCE, one JSON line per quoted span.

    Each line has id (the stable quote ID `render fix` takes), chapter, start, end (character
    offsets of the quoted words for .txt/.md), text, speaker (null when no rule decides),
    addressee, rule, confidence (calibrated: the chance the speaker is right) and runner_up.
    Fixes recorded beside SOURCE (SOURCE.fixes.yaml) are applied.
    """
    from . import attribute_quotes

    from .fixes import fixes_path, load_fixes

    book, cast = _load(source, cast_path)
    records = attribute_quotes(book, cast, load_fixes(fixes_path(source)))
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(lines, encoding="utf-8")
        done = sum(1 for r in records if r["speaker"])
        click.echo(f"{len(records)} quotes, {done} attributed -> {out}", err=True)
    else:
        click.echo(lines, nl=False)


@click.group("cast")
def cast() -> None:
    """Cast files: who the characters are and which voice each one gets."""


@cast.command("init")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False),
              help="Write the cast file here (default: standard output).")
@click.option("--min-quotes", default=3, show_default=True,
              help="Characters with at least this many quotes get a suggested voice.")
@click.option("--engine", default="kokoro", show_default=True, help="Suggest this engine's voices.")
def cast_init(source: str, out: str | None, min_quotes: int, engine: str) -> None:
    """Discover the characters of SOURCE and write a starting cast file.

    Lists each speaking character with aliases, gender and number of quotes, and suggests a
    distinct voice of the engine for the narrator and each frequent speaker. Edit it, then pass it
    to `render book --cast`.
    """
    from ..ingest import load_book
    from . import discover_cast

    book = load_book(source)
    characters = discover_cast(book)
    voices = suggest_voices(characters, min_quotes=min_quotes, engine=engine)
    text = cast_yaml(characters, voices, title=book.title, engine=engine)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{len(characters)} characters -> {out}", err=True)
    else:
        click.echo(text, nl=False)
