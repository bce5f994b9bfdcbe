"""One XHTML (or HTML, or DTBook) content document -> a flat list of blocks and anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from render.book import HEADING, PARAGRAPH, SCENE_BREAK
from render.ingest.prose import collapse, is_scene_break

ANCHOR = "anchor"  # Item kind: an id in the document, where a TOC entry may point
SKIP = "skip"  # Item kind: text left out of the reading; Item.skip says which kind (render.book.SKIP_KINDS)
NOTEREF = "noteref"  # Item kind: a footnote reference; text is the id of the note it points to

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
# What kind of skipped text an element holds (render.book.SKIP_KINDS), by epub:type/role/class/id/tag.
_SKIP_KIND = {
    "pagebreak": "page-numbers", "doc-pagebreak": "page-numbers", "pagenum": "page-numbers", "pageno": "page-numbers",
    "page-number": "page-numbers", "pagenumber": "page-numbers", "page-list": "toc",
    "footnote": "footnotes", "endnote": "footnotes", "rearnote": "footnotes", "footnotes": "footnotes",
    "endnotes": "footnotes", "rearnotes": "footnotes", "doc-footnote": "footnotes", "doc-endnotes": "footnotes",
    "doc-endnote": "footnotes", "note": "footnotes", "annotation": "footnotes",
    "toc": "toc", "doc-toc": "toc", "landmarks": "toc", "nav": "toc", "loi": "illustrations", "lot": "illustrations",
    "cover": "front-matter", "doc-cover": "front-matter", "titlepage": "front-matter", "halftitlepage": "front-matter",
    "copyright-page": "copyright", "colophon": "copyright", "imprint": "copyright", "index": "index",
    "pgheader": "gutenberg", "pgfooter": "gutenberg", "pg-boilerplate": "gutenberg", "pgboilerplate": "gutenberg",
    "pg-header": "gutenberg", "pg-footer": "gutenberg", "pg-machine-header": "gutenberg",
    "figure": "captions", "figcaption": "captions", "caption": "captions", "imggroup": "captions",
}
_NOTEREF_TYPES = {"noteref", "doc-noteref", "annoref"}
_NOTEREF_CLASSES = {"fnanchor", "footnote-ref", "footnoteref", "noteref"}  # Gutenberg's and common converters'
_NOTE_CLASSES = {"footnote", "footnotes", "endnote", "endnotes"}
_NOTE_LABEL_RE = re.compile(r"^\s*(\[\s*\w{1,4}\s*\]|\(\w{1,4}\)|\d{1,4}[.)]?|[*†‡§]+)\s*")
_NUMERAL_RE = re.compile(r"^([IVXLCDM]+|\d{1,3})\.?$")
_LINKY_TAGS = {"ul", "ol", "table", "div", "dl", "p", "list"}


@dataclass(frozen=True)
class Item:
    """A block of a content document, or an anchor (an element id) between blocks."""

    kind: str  # PARAGRAPH, HEADING, SCENE_BREAK or ANCHOR
    text: str = ""  # spoken text (whitespace collapsed); the id for an anchor
    level: int = 0  # HEADING only: 1-6
    skip: str = ""  # SKIP only: the kind of text left out (render.book.SKIP_KINDS)
    ref: str = ""  # SKIP footnotes: the note's id, so a NOTEREF can bring it after its paragraph


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
    if classes & (_SKIP_CLASSES | _NOTE_CLASSES | _NOTEREF_CLASSES) or el.get("id", "").lower() in _SKIP_IDS:
        return True
    if el.get("hidden") is not None or re.search(r"display\s*:\s*none", el.get("style", ""), re.IGNORECASE):
        return True
    if tag in _LINKY_TAGS and _is_link_list(el):
        return True
    return False


def skip_kind(el) -> str:
    """The SKIP_KINDS kind of a skipped element's text ('' for text that is not book text at all)."""
    tag = _local(el)
    keys = [*_attr(el, "type").lower().split(), *el.get("role", "").lower().split(),
            *el.get("class", "").lower().split(), el.get("id", "").lower(), tag]
    for key in keys:
        if key in _NOTE_CLASSES:
            return "footnotes"
        if key in _SKIP_KIND:
            return _SKIP_KIND[key]
    if tag in _LINKY_TAGS and _is_link_list(el):
        return "toc"
    return ""


def note_ref(el) -> str | None:
    """The id a footnote reference points to ('n1' for <a epub:type="noteref" href="notes.xhtml#n1">), else None."""
    types = set(_attr(el, "type").lower().split()) | set(el.get("role", "").lower().split())
    classes = set(el.get("class", "").lower().split())
    if not (types & _NOTEREF_TYPES or classes & _NOTEREF_CLASSES):
        return None
    links = [el] + [a for a in el.iter() if _local(a) == "a"]
    for a in links:
        href = a.get("href", "")
        if "#" in href:
            return href.rsplit("#", 1)[1]
    return None


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

    def skipped(self, el) -> None:
        """Record el's text as a SKIP item (a note reference as a NOTEREF), in place."""
        ref = note_ref(el)
        if ref is not None:
            self._place(Item(NOTEREF, ref))
            return
        kind = skip_kind(el)
        spoken = collapse(_inline_text(el, everything=True)) if kind else ""
        if not spoken:
            return
        ids = [x.get("id") or x.get("name") for x in el.iter() if isinstance(x.tag, str) and (x.get("id") or x.get("name"))]
        if kind == "footnotes":
            spoken = _NOTE_LABEL_RE.sub("", spoken, count=1) or spoken
        self._place(Item(SKIP, spoken, skip=kind, ref=" ".join(ids)))

    def _place(self, item: Item) -> None:
        if "".join(self.buf).strip(_BR + " \t\r\n"):
            self.pending.append(item)  # inside a paragraph: after it
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
            self.skipped(el)
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


def _inline_text(el, everything: bool = False) -> str:
    """All reading text inside el (everything: skipped parts too), block structure ignored, <br/> as a space."""
    parts: list[str] = []

    def visit(node) -> None:
        if _local(node) == "br":
            parts.append(" ")
        elif _local(node) in ("script", "style") or not isinstance(node.tag, str):
            return
        elif everything and (_local(node) in _BLOCK_TAGS or _local(node) in _HEADING_TAGS):
            parts.append(" " + _inline_text(node, True) + " ")
        elif everything or not _skipped(node):
            parts.append(node.text or "")
            for child in node:
                visit(child)
                parts.append(child.tail or "")

    parts.append(el.text or "")
    for child in el:
        visit(child)
        parts.append(child.tail or "")
    return "".join(parts)
