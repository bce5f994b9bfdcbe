"""Plain text (.txt) -> Book.

Offsets contract: ``Book.text`` is the decoded file (UTF-8 with an optional BOM removed, else
Windows-1252/Latin-1), newlines kept. Every block's ``start``/``end`` are character offsets into
``Book.text`` (end-exclusive) such that ``Book.text[start:end]`` is the block's source paragraph,
from its first to its last non-blank character; ``Block.text`` equals that span with runs of
whitespace (including the hard line wraps) collapsed to single spaces and printed page-number
markers ("[Pg 7]") taken out (listed in ``Chapter.skipped``), and nothing else changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from render.book import PARAGRAPH, SCENE_BREAK, Block, Book, Chapter, Skipped
from render.ingest import gutenberg
from render.ingest.skipped import ILLUSTRATION_RE, take_page_numbers
from render.ingest.prose import ROMAN, collapse, is_prose, is_scene_break, read_source, title_from_stem

_NUMBER_WORDS = (
    "ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|THIRTEEN|FOURTEEN|FIFTEEN|"
    "SIXTEEN|SEVENTEEN|EIGHTEEN|NINETEEN|TWENTY|THIRTY|FORTY|FIFTY|SIXTY|SEVENTY|EIGHTY|NINETY|"
    "FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|ELEVENTH|TWELFTH|LAST|FINAL"
)
_NUMBER = rf"(?:{ROMAN}|\d{{1,4}}|(?:THE\s+)?(?:{_NUMBER_WORDS})(?:[-\s](?:{_NUMBER_WORDS}))?)"
# "CHAPTER I.", "Chapter 1", "CHAPTER XII. The Title", "BOOK II", "Part the First", "STAVE ONE"
_KEYWORD_RE = re.compile(
    rf"^(?P<kind>CHAPTER|BOOK|PART|VOLUME|STAVE|CANTO|EPISODE|LETTER|SECTION)\s+(?:THE\s+)?{_NUMBER}\b"
    rf"(?:\s*[.:\-—–]\s*|\s+|$)(?P<title>.*)$",
    re.IGNORECASE,
)
# Unnumbered chapter-like headings, alone on their line.
_NAMED_RE = re.compile(
    r"^(PROLOGUE|EPILOGUE|PREFACE|INTRODUCTION|FOREWORD|AFTERWORD|CONCLUSION|POSTSCRIPT|L'ENVOI)\.?$",
    re.IGNORECASE,
)
# "I.", "XII", "7" alone on a line.
_BARE_RE = re.compile(rf"^(?:{ROMAN}|\d{{1,3}})\.?$")
_PART_KINDS = {"book", "part", "volume"}
# Gutenberg's plain-text notes: "[Footnote 1: The text of the note.]" as a paragraph of its own.
_FOOTNOTE_RE = re.compile(r"^\[(?:Footnote|Note)\s*[\w*†]{0,4}\s*:\s*(.+)\]$", re.IGNORECASE | re.DOTALL)
_MAX_HEADING_LINE = 100
_MAX_TITLE_LINE = 80


@dataclass
class _Group:
    """A run of non-blank lines: one paragraph, heading or separator in the source."""

    lines: list[tuple[int, int]]  # (start, end) of each line's non-blank content

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][1]


def load_text(path: Path) -> Book:
    """Read a plain-text manuscript from path and ingest it."""
    path = Path(path)
    return parse_text(read_source(path, "plain-text"), path)


def parse_text(text: str, source: Path) -> Book:
    """Split decoded plain text into chapters of paragraph blocks with offsets into text."""
    groups = _groups(text)
    meta, groups, skipped = _strip_gutenberg(text, groups)
    headings = _find_headings(text, groups)
    front, chapters = _assemble(text, groups, headings)
    title = meta.get("title") or _title_from_front(text, front) or title_from_stem(source)
    author = meta.get("author") or _author_from_front(text, front)
    if not chapters:
        chapters = [_chapter(text, 1, title, front)]
    elif front and is_prose([_group_text(text, g) for g in front]):
        chapters.insert(0, _chapter(text, 0, title, front))
    elif front:
        body = "\n".join(_group_text(text, g) for g in front)
        kind = "toc" if sum(1 for g in front for s in g.lines if _heading_kind(_line(text, s))) >= 2 else "front-matter"
        skipped.insert(sum(1 for p in skipped if p.where == "front"), Skipped(kind, body, where="front"))
    chapters = [c for c in chapters if c.blocks]
    for i, chapter in enumerate(chapters, 1):
        chapter.index = i
    return Book(title=title, source=source, chapters=chapters, author=author, text=text, skipped=skipped)


def _chapter(text: str, index: int, title: str, groups: list[_Group]) -> Chapter:
    skipped: list[Skipped] = []
    return Chapter(index=index, title=title, blocks=_blocks(text, groups, skipped), skipped=skipped)


def _groups(text: str) -> list[_Group]:
    """Runs of non-blank lines, each line given by the span of its non-blank content."""
    groups: list[_Group] = []
    current: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            current.append((pos + lead, pos + lead + len(stripped)))
        elif current:
            groups.append(_Group(current))
            current = []
        pos += len(line)
    if current:
        groups.append(_Group(current))
    return groups


def _group_text(text: str, group: _Group) -> str:
    return collapse(text[group.start : group.end])


def _line(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def _strip_gutenberg(text: str, groups: list[_Group]) -> tuple[dict, list[_Group], list[Skipped]]:
    """Drop the Project Gutenberg header and licence; return header metadata, the rest, and what was dropped."""
    meta: dict[str, str] = {}
    start = 0
    for i, group in enumerate(groups):
        if gutenberg.is_start(text[group.start : group.end]):
            start = i + 1
            break
    for group in groups[:start]:
        for span in group.lines:
            key, _, value = _line(text, span).partition(":")
            if key.strip().lower() in ("title", "author") and value.strip() and key.strip().lower() not in meta:
                meta[key.strip().lower()] = collapse(value)
    end = len(groups)
    for i in range(start, len(groups)):
        if gutenberg.is_end(text[groups[i].start : groups[i].end]):
            end = i
            break
    body = groups[start:end]
    head = groups[:start]
    if start:
        while body and gutenberg.is_producer_note(_group_text(text, body[0])):
            head, body = head + body[:1], body[1:]
    skipped = []
    if head:
        skipped.append(Skipped("gutenberg", "\n".join(_group_text(text, g) for g in head), where="front"))
    if groups[end:]:
        skipped.append(Skipped("gutenberg", "\n".join(_group_text(text, g) for g in groups[end:]), where="back"))
    return meta, body, skipped


def _heading_kind(line: str) -> str | None:
    """'keyword', 'named' or 'bare' if line looks like a chapter heading, else None."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADING_LINE or not line[0].isupper() and not line[0].isdigit():
        return None
    match = _KEYWORD_RE.match(line)
    if match:
        title = match.group("title")
        # "Chapter 1 was the best" is a sentence, not a heading.
        if title and title[0].islower():
            return None
        return "part" if match.group("kind").lower() in _PART_KINDS else "keyword"
    if _NAMED_RE.match(line):
        return "named"
    if _BARE_RE.match(line):
        return "bare"
    return None


def _is_title_line(line: str) -> bool:
    """True if a short line reads like a chapter title ('Down the Rabbit-Hole', 'NED LAND.')."""
    line = line.strip()
    if not line or len(line) > _MAX_TITLE_LINE or line[0] in "\"'“‘(" or line[-1] in ",;:-\"'”’":
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)]
    if not words:
        return False
    if line.upper() == line:
        return True
    small = {"a", "an", "the", "of", "and", "in", "on", "to", "at", "by", "for", "with", "from", "or", "de", "la", "le"}
    capitals = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return capitals == len(words) and words[0][0].isupper()


@dataclass
class _Heading:
    """A detected chapter heading: the groups it spans and its title."""

    first: int  # index of the heading group
    last: int  # index of the last group that belongs to the heading (a title on its own)
    title: str
    kind: str
    body_from: tuple[int, int] | None = None  # first body line if the heading group runs on


def _find_headings(text: str, groups: list[_Group]) -> list[_Heading]:
    """Chapter headings among the groups; bare numerals count only if there are several."""
    found: list[_Heading] = []
    for i, group in enumerate(groups):
        kinds = [_heading_kind(_line(text, span)) for span in group.lines]
        kind = kinds[0]
        if kind is None:
            continue
        if sum(1 for k in kinds if k) >= 2:
            continue  # a list of contents, not a heading
        title_lines = [_line(text, group.lines[0])]
        body_from = None
        rest = group.lines[1:]
        if rest and len(rest) <= 3 and all(len(_line(text, s)) <= _MAX_TITLE_LINE for s in rest) and (
            kind != "bare" or _is_title_line(_line(text, rest[0]))
        ):
            title_lines += [_line(text, s) for s in rest]
        elif rest:
            if kind == "bare":
                continue  # "I" followed by prose lines is a sentence fragment
            body_from = rest[0]
        last = i
        if len(title_lines) == 1 and body_from is None and kind != "named":
            match = _KEYWORD_RE.match(title_lines[0].strip())
            has_title = bool(match and match.group("title").strip())
            nxt = groups[i + 1] if i + 1 < len(groups) else None
            if (
                not has_title
                and nxt is not None
                and len(nxt.lines) <= 2
                and all(_is_title_line(_line(text, s)) for s in nxt.lines)
                and _heading_kind(_line(text, nxt.lines[0])) is None
            ):
                title_lines += [_line(text, s) for s in nxt.lines]
                last = i + 1
        found.append(_Heading(i, last, collapse(" ".join(title_lines)), kind, body_from))
    if sum(1 for h in found if h.kind == "bare") < 2:
        found = [h for h in found if h.kind != "bare"]
    elif any(h.kind in ("keyword", "part") for h in found):
        # Numbered sections inside "CHAPTER" chapters are not chapters themselves.
        found = [h for h in found if h.kind != "bare"]
    return found


def _assemble(text: str, groups: list[_Group], headings: list[_Heading]) -> tuple[list[_Group], list[Chapter]]:
    """Front-matter groups and the chapters between headings (a part heading prefixes the next)."""
    if not headings:
        return groups, []
    front = groups[: headings[0].first]
    chapters: list[Chapter] = []
    pending_part: str | None = None
    for n, heading in enumerate(headings):
        stop = headings[n + 1].first if n + 1 < len(headings) else len(groups)
        body = groups[heading.last + 1 : stop]
        if heading.body_from is not None:
            head = groups[heading.first]
            cut = head.lines.index(heading.body_from)
            body = [_Group(head.lines[cut:])] + body
        skipped: list[Skipped] = []
        blocks = _blocks(text, body, skipped)
        title = heading.title if pending_part is None else f"{pending_part} — {heading.title}"
        if not blocks:
            # A part title right before its first chapter; anything else without text is dropped.
            pending_part = title if heading.kind == "part" else pending_part
            continue
        pending_part = None
        chapters.append(Chapter(index=len(chapters) + 1, title=title, blocks=blocks, skipped=skipped))
    return front, chapters


def _blocks(text: str, groups: list[_Group], skipped: list[Skipped] | None = None) -> list[Block]:
    """Paragraph and scene-break blocks for groups, with offsets into text ('[Illustration]' to skipped)."""
    blocks: list[Block] = []
    for group in groups:
        source = text[group.start : group.end]
        if is_scene_break(source):
            if blocks and blocks[-1].kind == SCENE_BREAK:
                blocks[-1] = replace(blocks[-1], end=group.end)  # one break, however many lines
            elif blocks:
                blocks.append(Block(SCENE_BREAK, "", start=group.start, end=group.end))
            continue
        spoken, pages = take_page_numbers(collapse(source))
        if pages and skipped is not None:
            skipped.append(Skipped("page-numbers", pages, after=len(blocks)))
        if not spoken:
            continue
        note = _FOOTNOTE_RE.match(spoken)
        if note or ILLUSTRATION_RE.match(spoken):
            if skipped is not None:
                skipped.append(Skipped("footnotes", note.group(1).strip(), after=len(blocks)) if note
                               else Skipped("captions", spoken, after=len(blocks)))
            continue
        blocks.append(Block(PARAGRAPH, spoken, start=group.start, end=group.end))
    while blocks and blocks[-1].kind == SCENE_BREAK:
        blocks.pop()
    return blocks


def _title_from_front(text: str, front: list[_Group]) -> str | None:
    """The first line of non-prose front matter, if it is short enough to be a title."""
    if not front or is_prose([_group_text(text, g) for g in front]):
        return None
    first = _group_text(text, front[0])
    if _is_title_line(first) and not first.lower().startswith(("by ", "translated")):
        return first
    return None


def _author_from_front(text: str, front: list[_Group]) -> str | None:
    """The name after 'by' in non-prose front matter ('by Charles Dickens')."""
    if not front or is_prose([_group_text(text, g) for g in front]):
        return None
    for group in front[:6]:
        line = _group_text(text, group)
        match = re.match(r"^by\s+(.{2,60})$", line, re.IGNORECASE)
        if match:
            return match.group(1).strip()
    return None
