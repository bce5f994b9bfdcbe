"""What the finished files say about the book: title, author, narrator and cast, year, language,
description and cover, from book.json, the EPUB's package document and the cast file."""

from __future__ import annotations

import html
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..errors import InputError

log = logging.getLogger(__name__)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
_IMAGE_TYPES = {"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/png": ".png"}
_TEXT_META = re.compile(r"^\s*(?:#+\s*)?(year|date|description)\s*:\s*(.+?)\s*$", re.I | re.M)

# ISO 639-1 -> 639-2/B, for the MP4 audio track's language (the common book languages)
_ISO639_2 = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "pt": "por", "nl": "dut",
             "ru": "rus", "zh": "chi", "ja": "jpn", "ko": "kor", "pl": "pol", "sv": "swe", "da": "dan",
             "no": "nor", "fi": "fin", "el": "gre", "la": "lat", "cs": "cze", "hu": "hun", "tr": "tur",
             "ar": "ara", "he": "heb", "hi": "hin"}


@dataclass(frozen=True)
class BookMetadata:
    """Tags for the M4B and the chapter MP3s."""

    title: str  # the book's title
    author: str | None = None  # the book's author(s), comma separated
    narrator: str | None = None  # who reads the narration (the narrator's voice)
    cast: tuple[str, ...] = ()  # 'Name (voice)' for each speaking character
    year: str | None = None  # four-digit year of the text, when the source names one
    language: str = "en"  # ISO 639-1 code
    description: str | None = None  # the publisher's blurb, plain text
    cover: Path | None = None  # a JPEG or PNG file
    genre: str = "Audiobook"

    @property
    def language3(self) -> str:
        """The ISO 639-2 code MP4 and ID3 want ('und' when unknown)."""
        return _ISO639_2.get(self.language, "und")

    def comment(self) -> str:
        """'Narrated by X. Cast: A (v1), B (v2).' for players that show a comment."""
        parts = []
        if self.narrator:
            parts.append(f"Narrated by {self.narrator}.")
        if self.cast:
            parts.append("Cast: " + ", ".join(self.cast) + ".")
        return " ".join(parts)


def _plain(text: str) -> str:
    """Markup-free, whitespace-collapsed text (EPUB descriptions often carry HTML)."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return " ".join(text.split())


def _year(text: str | None) -> str | None:
    m = re.search(r"\b(\d{4})\b", text or "")
    return m.group(1) if m else None


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _opf(archive: zipfile.ZipFile) -> tuple[str, bytes] | None:
    names = archive.namelist()
    try:
        container = etree.fromstring(archive.read("META-INF/container.xml"), parser=_PARSER)
        for el in container.iter():
            if _local(el) == "rootfile" and el.get("full-path") in names:
                return el.get("full-path"), archive.read(el.get("full-path"))
    except (KeyError, etree.XMLSyntaxError, ValueError):
        pass
    opfs = sorted(n for n in names if n.lower().endswith(".opf"))
    return (opfs[0], archive.read(opfs[0])) if opfs else None


def _cover_item(root, base: str) -> tuple[str, str] | None:
    """(zip path, media type) of the cover image: EPUB 3 cover-image, EPUB 2 meta, else a likely name."""
    items = {}
    for el in root.iter():
        if _local(el) == "item" and el.get("href"):
            path = posixpath.normpath(posixpath.join(base, unquote(el.get("href").split("#")[0])))
            items[el.get("id")] = (path, (el.get("media-type") or "").lower(), el.get("properties") or "")
    for path, mtype, props in items.values():
        if "cover-image" in props.split():
            return path, mtype
    for el in root.iter():
        if _local(el) == "meta" and el.get("name") == "cover" and el.get("content") in items:
            path, mtype, _ = items[el.get("content")]
            return path, mtype
    for item_id, (path, mtype, _) in items.items():
        if mtype.startswith("image/") and "cover" in (f"{item_id} {path}").lower():
            return path, mtype
    return None


def read_epub_metadata(source: Path, cover_dest: Path) -> dict:
    """Year, description and cover (written to cover_dest + suffix) from an EPUB's package document."""
    found: dict = {}
    try:
        with zipfile.ZipFile(source) as archive:
            opf = _opf(archive)
            if opf is None:
                return found
            root = etree.fromstring(opf[1], parser=_PARSER)
            for el in root.iter():
                name = _local(el).lower()
                value = " ".join("".join(el.itertext()).split()) if isinstance(el.tag, str) else ""
                if name == "date" and value and "year" not in found:
                    found["year"] = _year(value)
                elif name == "description" and value and "description" not in found:
                    found["description"] = _plain(value)
            item = _cover_item(root, posixpath.dirname(opf[0]))
            if item and item[1] in _IMAGE_TYPES:
                names = {n.lower(): n for n in archive.namelist()}
                member = names.get(item[0].lower())
                if member:
                    dest = cover_dest.with_suffix(_IMAGE_TYPES[item[1]])
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(archive.read(member))
                    found["cover"] = dest
            elif item:
                log.warning("%s: the cover %s is %s; only JPEG and PNG covers are embedded", source, item[0], item[1])
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        log.warning("%s: no metadata read from the EPUB (%s)", source, exc)
    return found


def read_text_metadata(source: Path) -> dict:
    """Year and description from 'Year: 1897' / 'Description: ...' lines at the top of a text or Markdown file."""
    try:
        head = "\n".join(source.read_text(encoding="utf-8-sig", errors="replace").splitlines()[:40])
    except OSError:
        return {}
    found = {}
    for key, value in _TEXT_META.findall(head):
        key = key.lower()
        if key in ("year", "date") and "year" not in found and _year(value):
            found["year"] = _year(value)
        elif key == "description":
            found.setdefault("description", _plain(value))
    return found


def _cover_file(path: Path) -> Path:
    if not path.is_file():
        raise InputError(f"cover {path} not found; name a JPEG or PNG file (--cover)")
    if path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
        raise InputError(f"cover {path} is not a .jpg or .png file; convert it first")
    return path


def tag_settings(settings: dict, cast_path: Path | None) -> dict:
    """The cast file's tag overrides (year, description, cover; cover made absolute), for book.json."""
    out = {k: str(settings[k]) for k in ("year", "description") if settings.get(k)}
    if settings.get("cover"):
        base = Path(cast_path).resolve().parent if cast_path else Path.cwd()
        out["cover"] = str(_cover_file(base / str(settings["cover"])).resolve())
    return out


def book_metadata(book: dict, out: Path, cover: Path | None = None) -> BookMetadata:
    """Metadata for the exports of the book planned in out/ (book.json's contents given)."""
    source = Path(book.get("source") or "")
    found: dict = {}
    if source.suffix.lower() == ".epub" and source.is_file():
        found = read_epub_metadata(source, out / "cover")
    elif source.is_file():
        found = read_text_metadata(source)
    tags = book.get("tags") or {}
    found.update({k: tags[k] for k in ("year", "description") if tags.get(k)})
    if cover is not None:
        found["cover"] = _cover_file(Path(cover))
    elif tags.get("cover"):
        found["cover"] = _cover_file(Path(tags["cover"]))
    voices = book.get("voices") or {}
    narrator = (voices.get("narrator") or {}).get("voice")
    engine = book.get("engine") or "kokoro"
    cast = tuple(f"{name} ({v['voice']})" for name, v in sorted(voices.items()) if name != "narrator")
    return BookMetadata(
        title=book.get("title") or source.stem, author=book.get("author"),
        narrator=f"{narrator} ({engine})" if narrator else None, cast=cast,
        year=found.get("year"), language=book.get("language") or "en",
        description=found.get("description"), cover=found.get("cover"),
    )
