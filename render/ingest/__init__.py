"""Ingestion: read a manuscript file (EPUB, Fountain, Markdown, plain text) into one Book."""

from __future__ import annotations

from pathlib import Path

from render.book import Book
from render.errors import InputError

# suffix -> (module, loader function); modules are imported lazily so a bad EPUB stack
# never stops a screenplay from loading.
_LOADERS = {
    ".epub": ("render.ingest.epub", "load_epub"),
    ".fountain": ("render.ingest.fountain", "load_fountain"),
    ".spmd": ("render.ingest.fountain", "load_fountain"),
    ".md": ("render.ingest.markdown", "load_markdown"),
    ".markdown": ("render.ingest.markdown", "load_markdown"),
    ".txt": ("render.ingest.text", "load_text"),
}

SUPPORTED_SUFFIXES = tuple(_LOADERS)


def load_book(path: str | Path) -> Book:
    """Read the manuscript at path into a Book, choosing the reader by file suffix."""
    import importlib

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise InputError(f"{path}: unsupported manuscript type {suffix or '(no suffix)'!r}; use one of {supported}")
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a manuscript file; pass the file inside it")
    module_name, func_name = _LOADERS[suffix]
    loader = getattr(importlib.import_module(module_name), func_name)
    book = loader(path)
    if not book.chapters:
        raise InputError(f"{path}: no readable text in this manuscript (it is empty or only markup); check the file")
    return book


__all__ = ["load_book", "SUPPORTED_SUFFIXES"]
