"""Markdown (.md, .markdown) -> Book.

Offsets contract: ``Book.text`` is the decoded file (UTF-8, BOM removed), newlines kept. Every
block's ``start``/``end`` are character offsets into ``Book.text`` (end-exclusive): the span of the
block's source lines, from the first to the last non-blank character, markup included (list
markers, ``>`` quote markers, ``**``, link targets …). ``Block.text`` differs from that span only
by (1) whitespace collapsing (newlines and runs of spaces become one space) and (2) markup
stripping: quote and list markers, emphasis markers (``*``, ``_``, ``**``, ``__``, ``~~``),
backticks, HTML tags and comments, backslash escapes and entities are removed, links become their
link text, images and footnote references are dropped.

Chapters: the heading level that splits the book is the shallowest level used at least twice,
after setting aside a lone leading ``#`` (the book title) and ``Key: value`` metadata headings
(``# Title: …``, ``## Author: …``). Deeper headings stay inside chapters as HEADING blocks.
Text before the first chapter heading becomes a chapter only if it reads as prose. Prose-friendly
deviations from CommonMark: indented lines are paragraph text, not code; ``---`` under a
paragraph is a scene break unless that paragraph is one short line (then a setext heading).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from render.book import HEADING, PARAGRAPH, SCENE_BREAK, Block, Book, Chapter, Skipped
from render.ingest import gutenberg
from render.ingest.skipped import ILLUSTRATION_RE, take_page_numbers, trim_breaks
from render.ingest.prose import collapse, is_prose, read_source, title_from_stem

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BREAK_RE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_QUOTE_RE = re.compile(r"^ {0,3}> ?")
_LIST_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_REFDEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_FOOTDEF_RE = re.compile(r"^ {0,3}\[\^([^\]]+)\]:[ \t]*(.*)$")
_FOOTUSE_RE = re.compile(r"\[\^([^\]]+)\](?!:)")
_HTML_LINE_RE = re.compile(r"^ {0,3}<(/?[A-Za-z][\w-]*|!--)")
_META_RE = re.compile(
    r"^(title|author|authors|by|year|date|language|lang|translator|illustrator|publisher|subtitle|"
    r"source|license|licence|copyright)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_MAX_SETEXT_LINE = 80

# Inline markup, applied in this order by _strip_inline.
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_RE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_IMAGE_RE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])?")
_FOOTREF_RE = re.compile(r"\[\^[^\]]+\]")
_LINK_RE = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_TAG_RE = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_STAR_RE = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")
_UNDER_RE = re.compile(r"(?<![\w\\])(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESC_BASE = 0xE000  # private-use code points hold escaped characters while stripping


@dataclass
class _Element:
    """One source block: a heading, paragraph, scene break or metadata line."""

    kind: str  # "heading", "paragraph", "break"
    raw: str  # the source text with container markers removed, markup still in
    start: int
    end: int
    level: int = 0  # heading level, 1-6
    level_label: str = ""  # footnote definitions: the note's label ('1' for '[^1]: …')


def load_markdown(path: Path) -> Book:
    """Read a Markdown manuscript from path and ingest it."""
    path = Path(path)
    return parse_markdown(read_source(path, "Markdown"), path)


def parse_markdown(text: str, source: Path) -> Book:
    """Split decoded Markdown into chapters of blocks with offsets into text."""
    meta, body_from = _front_matter(text)
    elements, book_skipped = _strip_gutenberg(_scan(text, body_from))
    headings = []
    for el in elements:
        if el.kind == "heading":
            match = _META_RE.match(strip_inline(el.raw))
            if match and not headings:
                meta.setdefault(_meta_key(match.group(1)), collapse(match.group(2)))
                el.kind = "meta"
            else:
                headings.append(el)
    level = _chapter_level(headings, meta)
    title = meta.get("title") or title_from_stem(source)
    notes = {el.level_label: strip_inline(el.raw) for el in elements if el.kind == "footnote"}
    chapters: list[Chapter] = []
    front: list[Block] = []
    front_skipped: list[Skipped] = []
    current: list[Block] | None = None
    current_skipped: list[Skipped] = []
    current_title = ""
    pending_prefix: str | None = None
    said: set[str] = set()
    for el in elements:
        if el.kind == "meta":
            continue
        if el.kind == "heading" and el.level <= level:
            if current is not None and current:
                chapters.append(Chapter(len(chapters) + 1, _title(pending_prefix, current_title), current,
                                        current_skipped))
                pending_prefix = None
            elif current is not None:
                pending_prefix = _title(pending_prefix, current_title)  # a part title with no text of its own
            current, current_title, current_skipped = [], strip_inline(el.raw) or f"Chapter {len(chapters) + 1}", []
            continue
        target = front if current is None else current
        skipped = front_skipped if current is None else current_skipped
        if el.kind == "footnote":
            if el.level_label not in said and notes.get(el.level_label):  # a note nothing refers to
                skipped.append(Skipped("footnotes", notes[el.level_label], after=len(target)))
            continue
        block = _block(el)
        if block is None:
            continue
        if block.kind == PARAGRAPH:
            spoken, pages = take_page_numbers(block.text)
            if pages:
                skipped.append(Skipped("page-numbers", pages, after=len(target)))
            if not spoken:
                continue
            block = replace(block, text=spoken)
        if block.kind == PARAGRAPH and ILLUSTRATION_RE.match(block.text):
            skipped.append(Skipped("captions", block.text, after=len(target)))
            continue
        if block.kind == SCENE_BREAK and target and target[-1].kind == SCENE_BREAK:
            target[-1] = replace(target[-1], end=block.end)  # one break, however many rule lines
            continue
        target.append(block)
        for label in dict.fromkeys(_FOOTUSE_RE.findall(el.raw)):
            if notes.get(label) and label not in said:  # read after the paragraph that first refers to it
                said.add(label)
                skipped.append(Skipped("footnotes", notes[label], after=len(target)))
    if current:
        chapters.append(Chapter(len(chapters) + 1, _title(pending_prefix, current_title), current, current_skipped))
    front, front_skipped = trim_breaks(front, front_skipped)
    if front and (not chapters or is_prose([b.text for b in front if b.kind == PARAGRAPH])):
        chapters.insert(0, Chapter(0, title, front, front_skipped))
    elif front:
        book_skipped.append(Skipped("front-matter", "\n".join(b.text for b in front if b.text), where="front"))
        book_skipped += [replace(p, after=0, where="front") for p in front_skipped]
    for chapter in chapters:
        chapter.blocks, chapter.skipped = trim_breaks(chapter.blocks, chapter.skipped)
    chapters = [c for c in chapters if c.blocks]
    for i, chapter in enumerate(chapters, 1):
        chapter.index = i
    language = meta.get("language", "en").split("-")[0].split("_")[0].lower() or "en"
    return Book(title=title, source=source, chapters=chapters, author=meta.get("author"), language=language, text=text,
                skipped=book_skipped)


def strip_inline(raw: str) -> str:
    """Spoken text of a Markdown fragment: markup removed, links to their text, whitespace collapsed."""
    text = _ESCAPE_RE.sub(lambda m: chr(_ESC_BASE + ord(m.group(1))), raw)
    text = _COMMENT_RE.sub("", text)
    text = _CODE_RE.sub(lambda m: m.group(2), text)
    text = _IMAGE_RE.sub("", text)
    text = _FOOTREF_RE.sub("", text)
    text = _LINK_RE.sub(lambda m: m.group(1), text)
    text = _AUTOLINK_RE.sub(lambda m: m.group(1), text)
    text = _TAG_RE.sub("", text)
    for pattern in (_STAR_RE, _UNDER_RE, _STRIKE_RE):
        previous = None
        while previous != text:
            previous, text = text, pattern.sub(lambda m: m.group(m.lastindex), text)
    text = re.sub(r"[\uE000-\uE0FF]", lambda m: chr(ord(m.group()) - _ESC_BASE), text)
    return collapse(html.unescape(text))


def _strip_gutenberg(elements: list[_Element]) -> tuple[list[_Element], list[Skipped]]:
    """Elements without the Project Gutenberg header (to its START line, and the credits after it)
    and licence (from its END line), which are returned as skipped pieces."""
    texts = [strip_inline(el.raw) for el in elements]
    raws = [collapse(el.raw) for el in elements]  # '*** START …' is not emphasis here
    start = 0
    for i, t in enumerate(raws[: max(1, len(raws) // 2)]):
        if gutenberg.is_start(t):
            start = i + 1
    while start and start < len(texts) and gutenberg.is_producer_note(texts[start]):
        start += 1
    end = next((i for i in range(start, len(raws)) if gutenberg.is_end(raws[i])), len(raws))
    skipped = []
    if start:
        skipped.append(Skipped("gutenberg", "\n".join(t for t in texts[:start] if t), where="front"))
    if end < len(texts):
        skipped.append(Skipped("gutenberg", "\n".join(t for t in texts[end:] if t), where="back"))
    return elements[start:end], skipped


def _meta_key(key: str) -> str:
    key = key.lower()
    return {"authors": "author", "by": "author", "lang": "language"}.get(key, key)


def _title(prefix: str | None, title: str) -> str:
    return f"{prefix} — {title}" if prefix else title


def _front_matter(text: str) -> tuple[dict, int]:
    """YAML front matter ('---' … '---' at the top) as metadata, and where the body starts."""
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, 0
    if not isinstance(data, dict):
        return {}, 0
    meta = {}
    for key, value in data.items():
        if isinstance(key, str) and isinstance(value, (str, int, float)) and str(value).strip():
            meta.setdefault(_meta_key(key), collapse(str(value)))
        elif isinstance(key, str) and isinstance(value, list) and value and _meta_key(key) == "author":
            meta.setdefault("author", ", ".join(str(v) for v in value))
    return meta, match.end()


def _chapter_level(headings: list[_Element], meta: dict) -> int:
    """The heading level that starts chapters (0 when there are no chapter headings)."""
    if not headings:
        return 0
    first = headings[0]
    levels = [h.level for h in headings]
    if first.level == 1 and levels.count(1) == 1 and len(headings) > 1:
        meta.setdefault("title", strip_inline(first.raw))
        first.kind = "meta"
        levels = levels[1:]
    elif len(headings) == 1 and first.level == 1 and "title" not in meta:
        meta["title"] = strip_inline(first.raw)
        first.kind = "meta"
        return 0
    repeated = [lv for lv in sorted(set(levels)) if levels.count(lv) >= 2]
    return repeated[0] if repeated else min(levels)


def _lines(text: str, start: int) -> list[tuple[int, str]]:
    """(offset, line without newline) for each line of text from start."""
    out = []
    pos = start
    for line in text[start:].splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _span(offset: int, line: str) -> tuple[int, int]:
    """Offsets of the non-blank part of a line."""
    lead = len(line) - len(line.lstrip())
    return offset + lead, offset + len(line.rstrip())


def _scan(text: str, start: int) -> list[_Element]:
    """Markdown block structure: headings, paragraphs (incl. list items, quotes), scene breaks."""
    lines = _lines(text, start)
    out: list[_Element] = []
    para: list[tuple[int, str]] = []  # (offset, line) of the paragraph being collected

    def flush() -> None:
        nonlocal para
        if para:
            raw = "\n".join(_unmark(line) for _, line in para)
            s = _span(*para[0])[0]
            e = _span(*para[-1])[1]
            out.append(_Element("paragraph", raw, s, e))
            para = []

    i = 0
    while i < len(lines):
        offset, line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush()
            i += 1
            continue
        fence = _FENCE_RE.match(line)
        if fence:
            flush()
            marker = fence.group(1)
            i += 1
            while i < len(lines) and not lines[i][1].strip().startswith(marker[0] * len(marker)):
                i += 1
            i += 1  # code is not spoken
            continue
        if stripped.startswith("<!--"):
            flush()
            while i < len(lines) and "-->" not in lines[i][1]:
                i += 1
            i += 1
            continue
        atx = _ATX_RE.match(line)
        if atx:
            flush()
            s, e = _span(offset, line)
            out.append(_Element("heading", atx.group(2) or "", s, e, level=len(atx.group(1))))
            i += 1
            continue
        setext = _SETEXT_RE.match(line)
        if setext and para and len(para) == 1 and _is_setext_title(para[0][1], setext.group(1)[0]):
            s = _span(*para[0])[0]
            e = _span(offset, line)[1]
            out.append(_Element("heading", para[0][1].strip(), s, e, level=1 if setext.group(1)[0] == "=" else 2))
            para = []
            i += 1
            continue
        if _BREAK_RE.match(line):
            flush()
            s, e = _span(offset, line)
            out.append(_Element("break", "", s, e))
            i += 1
            continue
        note = _FOOTDEF_RE.match(line)
        if note:
            flush()
            s, e = _span(offset, line)
            body = [note.group(2)]
            i += 1
            while i < len(lines):  # lazy continuation lines, and indented paragraphs after a blank line
                nxt = lines[i][1]
                if not nxt.strip():
                    following = lines[i + 1][1] if i + 1 < len(lines) else ""
                    if following.strip() and following.startswith(("    ", "\t")):
                        i += 1
                        continue
                    break
                if _FOOTDEF_RE.match(nxt) or _ATX_RE.match(nxt):
                    break
                body.append(nxt.strip())
                e = _span(*lines[i])[1]
                i += 1
            out.append(_Element("footnote", "\n".join(b for b in body if b), s, e, level_label=note.group(1)))
            continue
        if _REFDEF_RE.match(line) or _TABLE_SEP_RE.match(line) and "|" in line:
            flush()
            i += 1
            continue
        if _LIST_RE.match(line) or (_QUOTE_RE.match(line) and not (para and _QUOTE_RE.match(para[-1][1]))):
            flush()
        elif para and _QUOTE_RE.match(para[-1][1]) and not _QUOTE_RE.match(line):
            pass  # lazy continuation of a quote paragraph
        para.append((offset, line))
        i += 1
    flush()
    return out


def _is_setext_title(line: str, underline: str) -> bool:
    """'Title' over '====' is a heading; over '---' only when it is one short line."""
    line = line.strip()
    if _LIST_RE.match(line) or _QUOTE_RE.match(line):
        return False
    if underline == "=":
        return True
    return len(line) <= _MAX_SETEXT_LINE and not line.endswith((".", ",", ";", ":", "!", "?", '"', "”"))


def _unmark(line: str) -> str:
    """A source line without its quote markers, list marker and table pipes."""
    line = line.strip()
    while _QUOTE_RE.match(line):
        line = _QUOTE_RE.sub("", line, count=1).strip()
    line = _LIST_RE.sub("", line, count=1)
    if line.startswith("|") and line.endswith("|"):
        line = " ".join(cell.strip() for cell in line.strip("|").split("|"))
    return line


def _block(el: _Element) -> Block | None:
    """The Block for a scanned element, or None if nothing in it is spoken."""
    if el.kind == "break":
        return Block(SCENE_BREAK, "", start=el.start, end=el.end)
    spoken = strip_inline(el.raw)
    if not spoken:
        return None
    if el.kind == "heading":
        return Block(HEADING, spoken, start=el.start, end=el.end)
    return Block(PARAGRAPH, spoken, start=el.start, end=el.end)
