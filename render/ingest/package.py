"""The EPUB container and package: container.xml, the OPF (metadata, manifest, spine) and the TOC."""

from __future__ import annotations

import logging
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from render.errors import InputError
from render.ingest.prose import collapse

log = logging.getLogger(__name__)


def one_line(text: str, limit: int = 160) -> str:
    """text collapsed to one line and cut to limit characters, for error messages."""
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_CONTENT_TYPES = {
    "application/xhtml+xml", "text/html", "application/x-dtbook+xml", "text/x-oeb1-document", "application/xml", "text/xml",
}
_CONTENT_EXTS = (".xhtml", ".html", ".htm", ".xml")
_NCX_TYPE = "application/x-dtbncx+xml"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True)


@dataclass
class Package:
    """What the OPF says: metadata, content documents in reading order, TOC entries."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    spine: list[str] = field(default_factory=list)  # zip paths of content documents
    toc: list[tuple[str, str, str | None]] = field(default_factory=list)  # (label, doc path, fragment)


class Files:
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
        raise InputError(f"{path}: the {what} is not well-formed XML ({one_line(str(exc))}); re-export the book") from exc
    if root is None:
        raise InputError(f"{path}: the {what} is empty or not XML; re-export the book")
    return root


def _optional_xml(files: Files, name: str):
    """The root of an optional XML file (nav, NCX, encryption.xml), or None if absent or unreadable."""
    data = files.read(name)
    if data is None:
        return None
    try:
        return etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _children(root, name: str):
    return [el for el in root.iter() if _local(el) == name]


def _attr(el, name: str) -> str:
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return value
    return ""


def _opf_path(files: Files) -> str:
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


def read_package(files: Files) -> Package:
    """Metadata, spine and TOC from the package document."""
    opf_path = _opf_path(files)
    root = _xml(files.read(opf_path), opf_path, files.path)
    base = posixpath.dirname(opf_path)
    package = Package()
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


def _refuse_encrypted(files: Files, spine: list[str]) -> None:
    """InputError if encryption.xml covers text documents (DRM); obfuscated fonts are fine."""
    root = _optional_xml(files, "META-INF/encryption.xml")
    if root is None:
        return
    encrypted = {unquote(ref.get("URI", "")).lstrip("/") for ref in _children(root, "CipherReference")}
    if encrypted & set(spine):
        raise InputError(f"{files.path}: the book's text is encrypted (DRM); use a DRM-free copy of this EPUB")


def _is_content(doc: str, media_type: str) -> bool:
    return media_type in _CONTENT_TYPES or (not media_type.startswith(("image/", "text/css", "font/", "audio/", "video/")) and doc.lower().endswith(_CONTENT_EXTS))


def _read_metadata(root, package: Package) -> None:
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


def _read_nav(files: Files, nav_path: str) -> list[tuple[str, str, str | None]]:
    """Entries of the EPUB 3 navigation document's toc nav, depth first."""
    root = _optional_xml(files, nav_path)
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
                parents = [_nav_label(li) for li in a.iterancestors() if _local(li) == "li"][1:]
                entries.append((label, doc, frag, [p for p in reversed(parents) if p]))
    return _qualified(entries)


def _nav_label(li) -> str:
    """The label of a nav list item: its own link or span, not its sub-list."""
    for el in li:
        if _local(el) in ("a", "span"):
            return collapse("".join(el.itertext()))
    return ""


def _qualified(entries: list[tuple[str, str, str | None, list[str]]]) -> list[tuple[str, str, str | None]]:
    """A label the TOC uses more than once keeps its parents: 'Book One, Chapter 2'."""
    counts: dict[str, int] = {}
    for label, *_ in entries:
        counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
    return [(", ".join([*parents, label]) if counts[label.casefold()] > 1 and parents else label, doc, frag)
            for label, doc, frag, parents in entries]


def _read_ncx(files: Files, ncx_path: str) -> list[tuple[str, str, str | None]]:
    """Entries of the EPUB 2 NCX navMap, depth first."""
    root = _optional_xml(files, ncx_path)
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
            parents = []
            for up in point.iterancestors():
                if _local(up) == "navPoint":
                    text = [el for el in up if _local(el) == "navLabel"]
                    parents.insert(0, collapse("".join(text[0].itertext())) if text else "")
            entries.append((label, doc, frag, [p for p in parents if p]))
    return _qualified(entries)
