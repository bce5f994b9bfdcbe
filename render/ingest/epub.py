"""EPUB 2 and 3 (.epub) -> Book.

Reading order is the spine; chapters start where the table of contents (EPUB 3 nav, else the
EPUB 2 NCX) points, falling back to chapter-level headings when there is no usable TOC. Cover,
title-page, contents and other documents without prose are skipped, and so is the Project
Gutenberg header and licence. Broken packages are recovered where the intent is clear (missing
``mimetype``, wrong media types, no ``container.xml`` but one OPF, no spine); anything else becomes
an InputError naming the file and what is wrong.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from render.book import HEADING, PARAGRAPH, SCENE_BREAK, Block, Book, Chapter
from render.errors import InputError
from render.ingest import gutenberg
from render.ingest.prose import ROMAN, collapse, is_prose, title_from_stem
from render.ingest.xhtml import ANCHOR, Item, parse_document

log = logging.getLogger(__name__)

_CONTENT_TYPES = {
    "application/xhtml+xml", "text/html", "application/x-dtbook+xml", "text/x-oeb1-document", "application/xml", "text/xml",
}
_CONTENT_EXTS = (".xhtml", ".html", ".htm", ".xml")
_NCX_TYPE = "application/x-dtbncx+xml"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True)
# A TOC title that only numbers the chapter ("I", "CHAPTER IV", "Part Two"); its words follow.
_NUMBER_ONLY_RE = re.compile(
    rf"^((chapter|chapitre|capitulo|kapitel|book|part|partie|livre|volume|tome|stave)\s+)?"
    rf"({ROMAN}|\d{{1,3}}|premier|première|one|two|three|four|five|six|seven|eight|nine|ten)\.?$",
    re.IGNORECASE,
)
# A heading that starts a chapter when a document holds several.
_CHAPTERISH_RE = re.compile(
    rf"^((chapter|chapitre|capitulo|kapitel|book|part|stave|letter|adventure)\b|({ROMAN}|\d+)\b[.:]?)",
    re.IGNORECASE,
)


# Paragraphs that are chapter headings in books converted from plain text.
_PARA_HEADING_RE = re.compile(
    rf"^((CHAPTER|Chapter|CHAPITRE|Chapitre|KAPITEL|Kapitel|CAPÍTULO|Capítulo)\s+({ROMAN}|\d+|[A-Z][a-z]+|[A-ZÉ]+)\b"
    r"|第[〇一二三四五六七八九十百千零两\d]+[回章卷節节])"
)
_PARA_HEADING_LEVEL = 7  # below h6, so it never clashes with real heading levels
# TOC entries that are apparatus, not book text.
_APPARATUS_RE = re.compile(
    r"^(contents|table of contents|table des mati[èe]res|table|sommaire|index|errata|corrections|"
    r"transcriber'?s?’?s? notes?|note du transcripteur|notes? de transcription|colophon|copyright)\.?:?$",
    re.IGNORECASE,
)


@dataclass
class _Package:
    """What the OPF says: metadata, content documents in reading order, TOC entries."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    spine: list[str] = field(default_factory=list)  # zip paths of content documents
    toc: list[tuple[str, str, str | None]] = field(default_factory=list)  # (label, doc path, fragment)


@dataclass
class _Segment:
    """A candidate chapter: a title and the items from one TOC entry (or heading) to the next."""

    title: str | None
    items: list[Item]
    doc_title: str | None = None


def load_epub(path: Path) -> Book:
    """Read an EPUB 2 or 3 file into a Book; anything unreadable becomes an InputError."""
    path = Path(path)
    try:
        return _load(path)
    except InputError:
        raise
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: not a valid EPUB: the ZIP container is corrupt ({exc}); re-download or re-export the book") from exc
    except Exception as exc:  # noqa: BLE001 - any library failure on a broken file is the user's input problem
        reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        raise InputError(f"{path}: cannot read this EPUB ({_one_line(reason)}); re-export it or check it with epubcheck") from exc


def _one_line(text: str, limit: int = 160) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _load(path: Path) -> Book:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read this EPUB ({exc.strerror}); check the path and permissions") from exc
    if size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes), not an EPUB; re-download or re-export the book")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an EPUB: the file is not a ZIP archive; re-download or re-export the book")
    with zipfile.ZipFile(path) as archive:
        files = _Files(archive, path)
        package = _read_package(files)
        docs = []
        for doc_path in package.spine:
            data = files.read(doc_path)
            if data is None:
                log.warning("%s: spine document %s is missing from the archive; skipped", path, doc_path)
                continue
            docs.append((doc_path, parse_document(data)))
    segments = _segments(docs, package)
    chapters = _chapters(segments)
    if not chapters:
        raise InputError(
            f"{path}: no readable text in this EPUB (empty, image-only or fixed-layout pages); "
            "use an edition with real text, or OCR it first"
        )
    title = package.title or title_from_stem(path)
    author = ", ".join(package.authors) or None
    language = (package.language or "en").split("-")[0].split("_")[0].lower() or "en"
    return Book(title=title, source=path, chapters=chapters, author=author, language=language)


class _Files:
    """Case- and escape-tolerant access to the archive's members."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive = archive
        self.path = path
        self.names = {}
        for info in archive.infolist():
            if not info.is_dir():
                self.names.setdefault(info.filename, info.filename)
                self.names.setdefault(info.filename.lower(), info.filename)
                self.names.setdefault(unquote(info.filename).lower(), info.filename)

    def find(self, name: str) -> str | None:
        name = name.lstrip("/")
        for key in (name, unquote(name), name.lower(), unquote(name).lower()):
            if key in self.names:
                return self.names[key]
        return None

    def read(self, name: str) -> bytes | None:
        found = self.find(name)
        return None if found is None else self.archive.read(found)

    def with_suffix(self, suffix: str) -> list[str]:
        return sorted({n for n in self.names.values() if n.lower().endswith(suffix)}, key=lambda n: (n.count("/"), n))


def _xml(data: bytes, what: str, path: Path):
    """Parse a package XML file, forgiving small errors; InputError if nothing can be read."""
    try:
        root = etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: the {what} is not well-formed XML ({_one_line(str(exc))}); re-export the book") from exc
    if root is None:
        raise InputError(f"{path}: the {what} is empty or not XML; re-export the book")
    return root


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _children(root, name: str):
    return [el for el in root.iter() if _local(el) == name]


def _attr(el, name: str) -> str:
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return value
    return ""


def _opf_path(files: _Files) -> str:
    """The package document's path: from container.xml, else the only .opf in the archive."""
    data = files.read("META-INF/container.xml")
    candidates: list[str] = []
    if data is not None:
        root = _xml(data, "META-INF/container.xml", files.path)
        for rootfile in _children(root, "rootfile"):
            full_path = rootfile.get("full-path", "").strip()
            if full_path and files.find(full_path):
                candidates.append(files.find(full_path))
    else:
        log.warning("%s: META-INF/container.xml is missing; looking for the package document", files.path)
    if candidates:
        return candidates[0]  # several renditions: the first is the default one
    opfs = files.with_suffix(".opf")
    if opfs:
        log.warning("%s: container.xml does not name a readable package document; using %s", files.path, opfs[0])
        return opfs[0]
    raise InputError(f"{files.path}: no OPF package document found (container.xml names none and there is no .opf file); re-export the book")


def _resolve(base_dir: str, href: str) -> tuple[str, str | None]:
    """A zip path and fragment for an href relative to base_dir."""
    parts = urlsplit(href)
    doc = unquote(parts.path)
    joined = posixpath.normpath(posixpath.join(base_dir, doc)) if doc else ""
    return joined, unquote(parts.fragment) or None


def _read_package(files: _Files) -> _Package:
    """Metadata, spine and TOC from the package document."""
    opf_path = _opf_path(files)
    root = _xml(files.read(opf_path), opf_path, files.path)
    base = posixpath.dirname(opf_path)
    package = _Package()
    _read_metadata(root, package)

    manifest: dict[str, tuple[str, str, str]] = {}  # id -> (path, media type, properties)
    order: list[str] = []
    for item in _children(root, "item"):
        item_id, href = item.get("id"), item.get("href")
        if not item_id or not href:
            continue
        doc, _ = _resolve(base, href)
        manifest[item_id] = (doc, (item.get("media-type") or "").strip().lower(), item.get("properties") or "")
        order.append(item_id)

    spines = _children(root, "spine")
    if spines:
        refs = [(ref.get("idref"), (ref.get("linear") or "yes").strip().lower()) for ref in _children(spines[0], "itemref")]
        for idref, linear in refs:
            if idref not in manifest:
                log.warning("%s: spine item %r is not in the manifest; skipped", files.path, idref)
                continue
            if linear == "no":
                continue
            doc, media_type, _ = manifest[idref]
            if _is_content(doc, media_type):
                package.spine.append(doc)
    else:
        log.warning("%s: the package has no spine; reading documents in manifest order", files.path)
        for item_id in order:
            doc, media_type, properties = manifest[item_id]
            if _is_content(doc, media_type) and "nav" not in properties.split():
                package.spine.append(doc)
    if not package.spine:
        raise InputError(f"{files.path}: no readable text in this EPUB (its spine lists no content documents); re-export the book")

    nav = next((doc for doc, _, props in manifest.values() if "nav" in props.split()), None)
    if nav and files.find(nav):
        package.toc = _read_nav(files, nav)
    if not package.toc:
        toc_id = spines[0].get("toc") if spines else None
        ncx = manifest[toc_id][0] if toc_id in manifest else None
        if not ncx or not files.find(ncx):
            ncx = next((doc for doc, media_type, _ in manifest.values() if media_type == _NCX_TYPE and files.find(doc)), None)
        if not ncx:
            ncx = next(iter(files.with_suffix(".ncx")), None)
        if ncx:
            package.toc = _read_ncx(files, ncx)
    _refuse_encrypted(files, package.spine)
    return package


def _refuse_encrypted(files: _Files, spine: list[str]) -> None:
    """InputError if encryption.xml covers text documents (DRM); obfuscated fonts are fine."""
    data = files.read("META-INF/encryption.xml")
    if data is None:
        return
    try:
        root = etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return
    if root is None:
        return
    encrypted = {unquote(ref.get("URI", "")).lstrip("/") for ref in _children(root, "CipherReference")}
    if encrypted & set(spine):
        raise InputError(f"{files.path}: the book's text is encrypted (DRM); use a DRM-free copy of this EPUB")


def _is_content(doc: str, media_type: str) -> bool:
    return media_type in _CONTENT_TYPES or (not media_type.startswith(("image/", "text/css", "font/", "audio/", "video/")) and doc.lower().endswith(_CONTENT_EXTS))


def _read_metadata(root, package: _Package) -> None:
    """Title, authors and language from the OPF metadata (EPUB 2 and 3, OEBPS 1.2 casing)."""
    roles = {}
    for meta in _children(root, "meta"):
        if meta.get("property") == "role" and meta.get("refines", "").startswith("#"):
            roles[meta.get("refines")[1:]] = collapse(meta.text or "")
    metadata = next((el for el in root.iter() if _local(el) == "metadata"), root)
    for el in metadata.iter():
        name = _local(el).lower()
        value = collapse("".join(el.itertext())) if isinstance(el.tag, str) else ""
        if not value:
            continue
        if name == "title" and package.title is None:
            package.title = value
        elif name == "language" and package.language is None:
            package.language = value
        elif name == "creator":
            role = _attr(el, "role") or roles.get(el.get("id", ""), "")
            if role in ("", "aut") and value not in package.authors:
                package.authors.append(value)


def _read_nav(files: _Files, nav_path: str) -> list[tuple[str, str, str | None]]:
    """Entries of the EPUB 3 navigation document's toc nav, depth first."""
    data = files.read(nav_path)
    try:
        root = etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    navs = [el for el in root.iter() if _local(el) == "nav"]
    toc = next((n for n in navs if "toc" in _attr(n, "type").split()), navs[0] if navs else None)
    if toc is None:
        return []
    base = posixpath.dirname(nav_path)
    entries = []
    for a in toc.iter():
        if _local(a) == "a" and a.get("href"):
            label = collapse("".join(a.itertext()))
            doc, frag = _resolve(base, a.get("href"))
            if label and doc:
                entries.append((label, doc, frag))
    return entries


def _read_ncx(files: _Files, ncx_path: str) -> list[tuple[str, str, str | None]]:
    """Entries of the EPUB 2 NCX navMap, depth first."""
    data = files.read(ncx_path)
    if data is None:
        return []
    try:
        root = etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    base = posixpath.dirname(ncx_path)
    entries = []
    for point in _children(root, "navPoint"):
        labels = [el for el in point if _local(el) == "navLabel"]
        contents = [el for el in point if _local(el) == "content"]
        if not labels or not contents or not contents[0].get("src"):
            continue
        label = collapse("".join(labels[0].itertext()))
        doc, frag = _resolve(base, contents[0].get("src"))
        if label and doc:
            entries.append((label, doc, frag))
    return entries


def _strip_gutenberg(docs: list[tuple[str, list[Item]]]) -> list[tuple[str, list[Item]]]:
    """Remove everything up to the Gutenberg START marker and from the END/licence marker on."""
    flat = [(d, i, item) for d, (_, items) in enumerate(docs) for i, item in enumerate(items)]
    texts = [(pos, item.text) for pos, (_, _, item) in enumerate(flat) if item.kind != ANCHOR]
    start = 0
    limit = max(1, len(texts) // 2)
    for pos, text in texts[:limit]:
        if gutenberg.is_start(text):
            start = pos + 1
    end = len(flat)
    for pos, text in texts:
        if pos >= start and gutenberg.is_end(text):
            end = pos
            break
    kept: list[list[Item]] = [[] for _ in docs]
    producer_zone = start > 0
    for pos, (d, _, item) in enumerate(flat):
        if item.kind == ANCHOR:
            kept[d].append(item)  # anchors stay so TOC entries still resolve (to empty segments)
            continue
        if pos < start or pos >= end:
            continue
        if producer_zone and item.kind == PARAGRAPH and gutenberg.is_producer_note(item.text):
            continue
        if item.kind == PARAGRAPH:
            producer_zone = False
        if gutenberg.is_boilerplate(item.text) and "gutenberg" in item.text.lower() and len(item.text) > 60:
            continue
        kept[d].append(item)
    return [(name, items) for (name, _), items in zip(docs, kept)]


def _segments(docs, package: _Package) -> list[_Segment]:
    """Split the documents into candidate chapters at TOC entries, else at headings."""
    names = [name for name, _ in docs]
    titles = {name: doc.title for name, doc in docs}
    stripped = _strip_gutenberg([(name, doc.items) for name, doc in docs])
    items_by_doc = {name: items for name, items in stripped}
    index = {name: i for i, name in enumerate(names)}

    starts: dict[tuple[int, int], str] = {}
    for label, doc, frag in package.toc:
        if doc not in index:
            continue
        items = items_by_doc[doc]
        pos = 0
        if frag:
            pos = next((i for i, it in enumerate(items) if it.kind == ANCHOR and it.text == frag), 0)
        starts.setdefault((index[doc], pos), label)
    if not _toc_is_useful(starts, stripped):
        return _heading_segments(stripped, titles)

    segments: list[_Segment] = [_Segment(None, [], titles.get(names[0]))]
    for d, (name, items) in enumerate(stripped):
        for i, item in enumerate(items):
            if (d, i) in starts:
                segments.append(_Segment(starts[(d, i)], [], titles.get(name)))
            segments[-1].items.append(item)
    out = []
    for segment in segments:
        out.extend(_split_chapterish(segment))
    return out


def _toc_is_useful(starts: dict, stripped) -> bool:
    """True if some TOC entry starts a stretch with text (PG licence-only TOCs have none left)."""
    if not starts:
        return False
    first = min(starts)
    for d in range(first[0], len(stripped)):
        items = stripped[d][1][first[1] :] if d == first[0] else stripped[d][1]
        if any(it.kind == PARAGRAPH for it in items):
            return True
    return False


def _heading_segments(stripped, titles) -> list[_Segment]:
    """Chapters without a usable TOC: one per document, split again at chapter-level headings."""
    stripped = [(name, [_promote(it) for it in items]) for name, items in stripped]
    counts: dict[int, int] = {}
    for _, items in stripped:
        for it in items:
            if it.kind == HEADING and (it.level <= 3 or it.level == _PARA_HEADING_LEVEL):
                counts[it.level] = counts.get(it.level, 0) + 1
    repeated = [lv for lv in sorted(counts) if counts[lv] >= 2]
    if counts.get(_PARA_HEADING_LEVEL, 0) >= 2:
        levels = {_PARA_HEADING_LEVEL}  # headings kept as text paragraphs are the real chapter marks
    else:
        levels = {repeated[0]} if repeated else set()
    segments: list[_Segment] = []
    for name, items in stripped:
        if not levels or not segments:
            segments.append(_Segment(None, [], titles.get(name)))  # no chapter headings: one per document
        for it in items:
            if it.kind == HEADING and it.level in levels:
                if any(x.kind == PARAGRAPH for x in segments[-1].items):
                    segments.append(_Segment(None, [], titles.get(name)))
                segments[-1].title = it.text  # the chapter heading, not a book title above it
            segments[-1].items.append(it)
    return segments


def _promote(item: Item) -> Item:
    """A paragraph that is plainly a chapter heading ('CHAPTER IV.', '第三回 …') as a HEADING item."""
    if item.kind == PARAGRAPH and len(item.text) <= 100 and _PARA_HEADING_RE.match(item.text):
        return Item(HEADING, item.text, _PARA_HEADING_LEVEL)
    return item


def _split_chapterish(segment: _Segment) -> list[_Segment]:
    """Split a TOC segment that holds several 'CHAPTER …' headings of one level at those headings."""
    heads = [(i, it) for i, it in enumerate(segment.items) if it.kind == HEADING and _CHAPTERISH_RE.match(it.text)]
    if len(heads) < 2:
        return [segment]
    level = min(it.level for _, it in heads)
    cuts = [i for i, it in heads if it.level == level]
    if len(cuts) < 2:
        return [segment]
    out = [_Segment(segment.title, segment.items[: cuts[1]], segment.doc_title)]
    for n, cut in enumerate(cuts[1:], 1):
        stop = cuts[n + 1] if n + 1 < len(cuts) else len(segment.items)
        out.append(_Segment(None, segment.items[cut:stop], segment.doc_title))
    return out


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _chapters(segments: list[_Segment]) -> list[Chapter]:
    """Chapters from segments: prose only, titles settled, leading title headings dropped."""
    built: list[tuple[str, list[Block], bool]] = []  # (title, blocks, prose?)
    carried: str | None = None
    for segment in segments:
        blocks = _cut_contents([it for it in segment.items if it.kind != ANCHOR])
        title = segment.title or next((it.text for it in blocks if it.kind == HEADING), None) or segment.doc_title
        if title and _APPARATUS_RE.match(title.strip()):
            continue
        paragraphs = [it.text for it in blocks if it.kind == PARAGRAPH]
        if not is_prose(paragraphs):
            if title and _NUMBER_ONLY_RE.match(title.strip()) and not paragraphs:
                carried = f"{carried} {title}" if carried else title
            built.append((title or "", _to_blocks(blocks, title), False))
            continue
        if carried:
            title = f"{carried}. {title}" if title else carried
            carried = None
        built.append((title or "", _to_blocks(blocks, title), True))
    if not any(prose for _, _, prose in built):
        # A very short book (a test file, a picture book): keep whatever has text at all.
        built = [(t, b, True) for t, b, _ in built if any(x.kind == PARAGRAPH for x in b)]
    chapters = []
    for title, blocks, prose in built:
        if prose and blocks:
            chapters.append(Chapter(index=len(chapters) + 1, title=title or f"Chapter {len(chapters) + 1}", blocks=blocks))
    return chapters


def _cut_contents(items: list[Item]) -> list[Item]:
    """Drop a plain-text list of contents ('TABLE', 'Contents' then short lines) and what follows it."""
    for i, it in enumerate(items):
        if it.kind in (HEADING, PARAGRAPH) and _APPARATUS_RE.match(it.text.strip()):
            rest = [x.text for x in items[i + 1 :] if x.kind == PARAGRAPH]
            if not rest or sum(len(t.split()) for t in rest) / len(rest) < 8:
                return items[:i]
    return items


def _to_blocks(items: list[Item], title: str | None) -> list[Block]:
    """Blocks for a chapter: headings up to the one repeating the title are dropped, breaks tidied."""
    lead = 0
    while lead < len(items) and items[lead].kind in (HEADING, SCENE_BREAK):
        lead += 1
    wanted = _norm(title or "")
    drop = 0
    for i in range(lead):
        text = _norm(items[i].text)
        if items[i].kind == HEADING and text and wanted and (text in wanted or wanted in text):
            drop = i + 1
    blocks: list[Block] = []
    for it in items[drop:]:
        if it.kind == SCENE_BREAK:
            if blocks and blocks[-1].kind != SCENE_BREAK:
                blocks.append(Block(SCENE_BREAK, ""))
        elif it.kind in (PARAGRAPH, HEADING):
            blocks.append(Block(it.kind, it.text))
    while blocks and blocks[-1].kind == SCENE_BREAK:
        blocks.pop()
    while blocks and blocks[0].kind == SCENE_BREAK:
        blocks.pop(0)
    return blocks
