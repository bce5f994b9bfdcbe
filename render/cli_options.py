"""The command line's shared options: the click decorators several `render` commands take
(SOURCE, --cast, --engine, --server, --format ...), their checks, and the BookOptions they build.
render/cli.py and render/master/commands.py put them on their commands."""

from __future__ import annotations

from pathlib import Path

import click


def _engine_options(pairs: tuple[str, ...]) -> dict:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r}: write KEY=VALUE", param_hint="--engine-option")
        key, value = pair.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def _book_options(**kw):
    from .pipeline import BookOptions

    return BookOptions(
        cast=Path(kw["cast"]) if kw.get("cast") else None,
        out=Path(kw["out"]) if kw.get("out") else None,
        cache=Path(kw["cache"]) if kw.get("cache") else None,
        engine=kw.get("engine") or None,
        engine_options=_engine_options(kw.get("engine_option") or ()),
        servers=tuple(kw.get("server") or ()),
        config=Path(kw["config"]) if kw.get("config") else None,
        in_flight=kw.get("in_flight"),
        validate=kw.get("validate", True),
        chapters=tuple(kw.get("chapter") or ()),
        max_seconds=kw.get("max_seconds") or 15.0,
        min_match_ratio=kw.get("min_match_ratio"),
        seed=kw.get("seed"),
        formats=tuple(dict.fromkeys(("wav", *(kw.get("format") or ())))),
        progress=not kw.get("quiet", False),
        normalize=kw.get("normalize", True),
        lexicon=Path(kw["lexicon"]) if kw.get("lexicon") else None,
        cover=Path(kw["cover"]) if kw.get("cover") else None,
        consistency=kw.get("consistency", True),
        include=tuple(kw.get("include") or ()),
    )


def _check_formats(ctx, param, values):
    from .master.readalong import FORMATS as READALONG, parse_formats

    known = ("wav", "mp3", "m4b", *READALONG)
    names = parse_formats(values)
    bad = [n for n in names if n not in known]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: choose from {', '.join(known)}")
    return names


_source = click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
_cast = click.option("--cast", type=click.Path(dir_okay=False), help="Cast file (YAML): names, aliases, genders, voices.")
_out = click.option("-o", "--out", type=click.Path(file_okay=False), help="Output folder [default: out/<book-slug>].")
_cache = click.option("--cache", type=click.Path(file_okay=False), envvar="RENDER_CACHE",
                      help="Chunk cache, shared by all books [default: ./cache, or $RENDER_CACHE].")
_engine = click.option("--engine", help="TTS engine: kokoro, scenema, openai [default: the config's, else kokoro].")
_engine_opt = click.option("--engine-option", multiple=True, metavar="KEY=VALUE",
                           help="Engine setting, typed (timeout=300, validate=false, model=...); repeatable. "
                                "Keys, tokens and passwords are never written to any file.")
_farm = [
    click.option("--server", multiple=True, metavar="URL",
                 help="An HTTP engine's server; repeat for a farm (chunks go to all of them at once)."),
    click.option("--in-flight", type=click.IntRange(1, 64),
                 help="Requests in flight per server [default: the config's, else 1]."),
    click.option("--config", type=click.Path(dir_okay=False, exists=True),
                 help="Engine config (YAML): engine, servers, max_in_flight, options."),
]


def _group(options):
    """One decorator that adds several options, in order."""
    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f
    return apply


_engine_farm = _group(_farm)
_validate = click.option("--validate/--no-validate", default=True, show_default=True,
                         help="Transcribe every new chunk with Whisper and retry ones that don't match the text.")
# how each chunk is planned and checked: shared by book and makefile
_chunking = _group([
    _validate,
    click.option("--min-match-ratio", type=click.FloatRange(0, 1), help="ASR word match needed [default: 0.9]."),
    click.option("--max-seconds", type=click.FloatRange(3, 60), default=15.0, show_default=True,
                 help="Longest chunk, in estimated seconds of speech."),
    click.option("--seed", type=int, help="Seed for engines that sample."),
])
_chapter = click.option("--chapter", type=int, multiple=True, help="Only this chapter number (repeatable).")
_lexicon = click.option("--lexicon", type=click.Path(dir_okay=False, exists=True),
                        help="Pronunciation lexicon (YAML), over the cast's and SOURCE's own "
                             "(novel.lexicon.yaml beside the book).")
def _check_include(ctx, param, values):
    from .errors import InputError
    from .ingest.skipped import parse_kinds

    try:
        return tuple(sorted(parse_kinds(values)))
    except InputError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None


_include = click.option("--include", multiple=True, callback=_check_include, metavar="LIST",
                        help="Also read what is left out by default: gutenberg, front-matter, toc, "
                             "illustrations, copyright, index, page-numbers, captions, footnotes (each read "
                             "after its paragraph), or all; comma-separated or repeated. `render plan` "
                             "lists what is left out.")
_format = click.option("--format", "format", multiple=True, callback=_check_formats, metavar="LIST",
                       help="Also write: m4b (book.m4b: chapter markers, tags, cover), mp3 (mp3/: a tagged "
                            "192 kbps file per chapter), vtt (subtitles per chapter), html (listen.html), "
                            "epub (read-along EPUB 3); comma-separated or repeated, e.g. "
                            "--format vtt,epub.")
_cover = click.option("--cover", type=click.Path(dir_okay=False, exists=True),
                      help="Cover image (JPEG/PNG) for M4B/MP3 [default: the EPUB's cover].")
