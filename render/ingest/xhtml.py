"""One XHTML (or HTML, or DTBook) content document -> a flat list of blocks and anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from render.book import HEADING, PARAGRAPH, SCENE_BREAK
from render.ingest.prose import collapse, is_scene_break

ANCHOR = "anchor"  # Item kind: an id in the document, where a TOC entry may point

_BR = "\x00"  # stands for <br/> while inline text is collected
_STANZA_RE = re.compile(r"\x00[\s\x00]*\x00")

# Never spoken: metadata, media, navigation, ruby annotations, form controls.
_SKIP_TAGS = {
    "head", "script", "style", "title", "meta", "link", "img", "image", "svg", "math", "audio", "video",
    "object", "embed", "iframe", "nav", "rt", "rp", "noscript", "template", "button", "input", "select",
    "textarea", "map", "canvas", "figure", "figcaption", "caption", "pagenum", "noteref", "annoref",
    "note", "annotation", "imggroup",
}
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6, "doctitle": 1, "docauthor": 2, "levelhd": 2, "hd": 3, "bridgehead": 4}
_BLOCK_TAGS = {
    "html", "body", "p", "div", "section", "article", "aside", "header", "footer", "main", "blockquote",
    "pre", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "center", "address", "hgroup", "fieldset", "form", "details", "summary", "hr", "poem", "linegroup",
    "line", "list", "item", "sidebar", "epigraph", "byline", "dateline", "author",
    # DTBook structure
    "dtbook", "book", "frontmatter", "bodymatter", "rearmatter", "level", "level1", "level2", "level3",
    "level4", "level5", "level6", "prodnote",
}
# epub:type values (and DTBook/ARIA roles) that are not part of the reading text.
_SKIP_TYPES = {
    "pagebreak", "noteref", "footnote", "endnote", "rearnote", "footnotes", "endnotes", "rearnotes", "toc",
    "landmarks", "page-list", "loi", "lot", "cover", "titlepage", "halftitlepage", "copyright-page",
    "colophon", "imprint", "index", "doc-pagebreak", "doc-noteref", "doc-footnote", "doc-endnotes",
    "doc-toc", "doc-cover",
}
_SKIP_CLASSES = {
    "pagenum", "pageno", "page-number", "pagenumber", "pgheader", "pgfooter", "pg-boilerplate", "pgboilerplate",
    "toc", "noprint", "hidden",
}
_SKIP_IDS = {"pg-header", "pg-footer", "pg-machine-header", "pg-start-separator", "pg-end-separator", "toc"}
_NUMERAL_RE = re.compile(r"^([IVXLCDM]+|\d{1,3})\.?$")
_LINKY_TAGS = {"ul", "ol", "table", "div", "dl", "p", "list"}


@dataclass(frozen=True)
class Item:
    """A block of a content document, or an anchor (an element id) between blocks."""

    kind: str  # PARAGRAPH, HEADING, SCENE_BREAK or ANCHOR
    text: str = ""  # spoken text (whitespace collapsed); the id for an anchor
    level: int = 0  # HEADING only: 1-6


@dataclass
class Document:
    """A parsed content document."""

    items: list[Item]
    title: str | None  # the <title>, if any


def parse_document(data: bytes) -> Document:
    """Parse XHTML/HTML/DTBook bytes into blocks and anchors, in reading order."""
    root = _parse(data)
    if root is None:
        return Document([], None)
    title = None
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el) == "title":
            title = collapse("".join(el.itertext())) or None
            break
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return Document(walker.items, title)


def _parse(data: bytes):
    """An lxml tree for data: strict XML first, forgiving HTML parsing as the fallback."""
    if not data.strip():
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True, remove_pis=True
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        pass
    try:
        return lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return None


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _attr(el, name: str) -> str:
    """An attribute by local name, whatever its namespace ('epub:type', 'type', 'role')."""
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return value
    return ""


def _skipped(el) -> bool:
    """True if el and everything in it is not part of the reading text."""
    tag = _local(el)
    if not tag or tag in _SKIP_TAGS:
        return True
    types = set(_attr(el, "type").lower().split()) | set(el.get("role", "").lower().split())
    if types & _SKIP_TYPES:
        return True
    classes = set(el.get("class", "").lower().split())
    if classes & _SKIP_CLASSES or el.get("id", "").lower() in _SKIP_IDS:
        return True
    if el.get("hidden") is not None or re.search(r"display\s*:\s*none", el.get("style", ""), re.IGNORECASE):
        return True
    if tag in _LINKY_TAGS and _is_link_list(el):
        return True
    return False


def _is_link_list(el) -> bool:
    """True if el is mostly internal links: a table of contents or an index."""
    links = [a for a in el.iter() if _local(a) == "a" and a.get("href") and not a.get("href", "").startswith(("http:", "https:", "mailto:"))]
    if len(links) < 2:
        return False
    total = len(collapse("".join(el.itertext())))
    linked = sum(len(collapse("".join(a.itertext()))) for a in links)
    if _local(el) == "table":
        return True  # a table with internal links in a book is its contents table
    return total > 0 and linked / total >= 0.5


class _Walker:
    """Walks a tree depth-first, collecting inline text into paragraphs between block elements."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.buf: list[str] = []
        self.pending: list[Item] = []  # anchors met inside the paragraph being collected
        self.preformatted = 0

    def flush(self) -> None:
        """Turn the collected inline text into paragraph and scene-break items."""
        text = "".join(self.buf)
        self.buf = []
        for chunk in _STANZA_RE.split(text):
            spoken = collapse(chunk.replace(_BR, " "))
            if not spoken:
                continue
            if is_scene_break(spoken):
                self.items.append(Item(SCENE_BREAK))
            elif _NUMERAL_RE.match(spoken):
                self.items.append(Item(HEADING, spoken, 6))  # "I." over a section: a heading
            else:
                self.items.append(Item(PARAGRAPH, spoken))
        self.items.extend(self.pending)
        self.pending = []

    def anchor(self, el) -> None:
        """Record el's id (and name) as places a TOC entry may point to."""
        for key in ("id", "name"):
            value = el.get(key)
            if value:
                item = Item(ANCHOR, value)
                if "".join(self.buf).strip(_BR + " \t\r\n"):
                    self.pending.append(item)
                else:
                    self.items.append(item)

    def text(self, value: str | None) -> None:
        if value:
            self.buf.append(value.replace("\n", _BR) if self.preformatted else value)

    def walk(self, el) -> None:
        tag = _local(el)
        if not tag:
            return
        if _skipped(el):
            for inner in el.iter():
                if isinstance(inner.tag, str):
                    self.anchor(inner)
            return
        self.anchor(el)
        if tag in _HEADING_TAGS:
            self.flush()
            spoken = collapse(_inline_text(el))
            if spoken:
                self.items.append(Item(HEADING, spoken, _HEADING_TAGS[tag]))
            for inner in el.iter():
                if inner is not el and isinstance(inner.tag, str):
                    self.anchor(inner)
            return
        if tag == "hr":
            self.flush()
            self.items.append(Item(SCENE_BREAK))
            return
        if tag == "br":
            self.buf.append(_BR)
            return
        block = tag in _BLOCK_TAGS
        if tag == "tr":
            self.flush()
            cells = [collapse(_inline_text(cell)) for cell in el if _local(cell) in ("td", "th") and not _skipped(cell)]
            self.text(" ".join(c for c in cells if c))
            self.flush()
            return
        if block:
            self.flush()
        pre = tag == "pre" or el.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
        self.preformatted += pre
        self.text(el.text)
        for child in el:
            self.walk(child)
            self.text(child.tail)
        self.preformatted -= pre
        if block:
            self.flush()


def _inline_text(el) -> str:
    """All reading text inside el, block structure ignored, <br/> as a space."""
    parts: list[str] = []

    def visit(node) -> None:
        if _local(node) == "br":
            parts.append(" ")
        elif not _skipped(node):
            parts.append(node.text or "")
            for child in node:
                visit(child)
                parts.append(child.tail or "")

    parts.append(el.text or "")
    for child in el:
        visit(child)
        parts.append(child.tail or "")
    return "".join(parts)
