"""Fountain screenplays (.fountain, .spmd) -> Book, following https://fountain.io/syntax.

Never spoken and removed here: the title page, notes ``[[…]]``, boneyard ``/* … */``, sections
``#`` (they only mark chapters), synopses ``=``, page breaks ``===`` and emphasis markers.
Scene headings, action, dialogue (one block per speech segment, the parenthetical before it as
its direction) and transitions become blocks; dual dialogue marks both speakers' blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from render.book import ACTION, DIALOGUE, SCENE_HEADING, TRANSITION, Block, Book, Chapter
from render.ingest.prose import collapse, read_source, title_from_stem

_TITLE_KEYS = {
    "title", "credit", "author", "authors", "source", "draft date", "date", "contact", "copyright", "notes",
    "revision", "format", "font", "watermark", "tl", "tc", "tr", "cc", "bl", "br", "header", "footer",
}
_TITLE_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z ]{0,20}):(.*)$")
_SCENE_RE = re.compile(r"^(INT|EXT|EST|INT\.?/EXT|INT/EXT|I/E)[. ]", re.IGNORECASE)
_SCENE_NUMBER_RE = re.compile(r"\s*#[\w.\-]+#\s*$")
_TRANSITION_RE = re.compile(r"^[^a-z]*TO:$")
_PAGE_BREAK_RE = re.compile(r"^={3,}$")
_EXTENSION_RE = re.compile(r"\(([^()]*)\)")
_BONEYARD_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTE_RE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_ESCAPE_RE = re.compile(r"\\([*_\\])")
_EMPHASIS_RES = [
    re.compile(r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*"),
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
    re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)"),
]
_ESC_BASE = 0xE000


@dataclass
class _Script:
    """Parsed screenplay: title page, blocks, and where top-level sections start."""

    title_page: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    sections: list[tuple[int, int, str]] = field(default_factory=list)  # (block index, level, title)


def load_fountain(path: Path) -> Book:
    """Read a Fountain screenplay from path and ingest it."""
    path = Path(path)
    return parse_fountain(read_source(path, "Fountain"), path)


def parse_fountain(text: str, source: Path) -> Book:
    """Parse Fountain source into a screenplay Book: chapters are top-level sections, else one."""
    script = _parse(text)
    title = script.title_page.get("title") or title_from_stem(source)
    author = script.title_page.get("author") or script.title_page.get("authors")
    chapters = _chapters(script, title)
    return Book(title=title, source=source, chapters=chapters, author=author, kind="screenplay")


def strip_emphasis(text: str) -> str:
    """Text without Fountain emphasis (*italic*, **bold**, _underline_) and with escapes resolved."""
    text = _ESCAPE_RE.sub(lambda m: chr(_ESC_BASE + ord(m.group(1))), text)
    for pattern in _EMPHASIS_RES:
        previous = None
        while previous != text:
            previous, text = text, pattern.sub(r"\1", text)
    text = re.sub(r"[\uE000-\uE0FF]", lambda m: chr(ord(m.group()) - _ESC_BASE), text)
    return collapse(text.replace("[[", "").replace("]]", ""))


def _chapters(script: _Script, title: str) -> list[Chapter]:
    """One chapter per top-level section, text before the first one only if it has blocks."""
    if not script.sections:
        return [Chapter(1, title, script.blocks)] if script.blocks else []
    top = min(level for _, level, _ in script.sections)
    starts = [(index, name) for index, level, name in script.sections if level == top]
    chapters: list[Chapter] = []
    if starts[0][0] > 0:
        chapters.append(Chapter(1, title, script.blocks[: starts[0][0]]))
    for n, (index, name) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(script.blocks)
        blocks = script.blocks[index:stop]
        if blocks:
            chapters.append(Chapter(len(chapters) + 1, name or f"Part {len(chapters) + 1}", blocks))
    return chapters


def _remove_hidden(lines: list[str]) -> list[str]:
    """Drop boneyard and notes; a line that only held them disappears rather than turning blank."""
    text = "\n".join(lines)
    hide = lambda m: re.sub(r"[^\n]", "\x01", m.group())  # noqa: E731 - keeps the line structure
    marked = _BONEYARD_RE.sub(hide, text)
    # A note cannot hold an empty line (two spaces make one); otherwise it is just text.
    marked = _NOTE_RE.sub(lambda m: m.group() if re.search(r"\n\n", m.group(1)) else hide(m), marked)
    kept = []
    for line in marked.split("\n"):
        if "\x01" in line:
            line = line.replace("\x01", "")
            if not line.strip():
                continue
        kept.append(line)
    return kept


def _title_page(lines: list[str]) -> tuple[dict[str, str], int]:
    """Key/value pairs of a title page at the top, and the index of the first line after it."""
    first = _TITLE_KEY_RE.match(lines[0]) if lines else None
    if not first or first.group(1).strip().lower() not in _TITLE_KEYS:
        return {}, 0
    values: dict[str, list[str]] = {}
    key = None
    i = 0
    while i < len(lines) and lines[i].strip():
        line = lines[i]
        match = _TITLE_KEY_RE.match(line)
        if match and not line[:1].isspace():
            key = match.group(1).strip().lower()
            values.setdefault(key, [])
            if match.group(2).strip():
                values[key].append(match.group(2).strip())
        elif key is not None:
            values[key].append(line.strip())
        i += 1
    page = {k: strip_emphasis(" ".join(v)) for k, v in values.items() if v}
    return page, i


def _parse(text: str) -> _Script:
    """The block structure of a Fountain document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    lines = text.split("\n")
    script = _Script()
    script.title_page, start = _title_page(lines)
    lines = _remove_hidden(lines[start:])
    # Sections, synopses and page breaks are structure, not text: they separate elements like blank lines.
    plain: list[str] = []
    section_at: dict[int, tuple[int, str]] = {}
    for line in lines:
        s = line.strip()
        if s.startswith("#"):
            level = len(s) - len(s.lstrip("#"))
            section_at[len(plain)] = (level, strip_emphasis(s[level:]))
            plain.append("")
        elif _PAGE_BREAK_RE.match(s) or (s.startswith("=") and not s.startswith("==")):
            plain.append("")
        else:
            plain.append(line)
    _Parser(plain, section_at, script).run()
    return script


class _Parser:
    """Walks the lines once, emitting blocks; each method reads one element type."""

    def __init__(self, lines: list[str], section_at: dict[int, tuple[int, str]], script: _Script) -> None:
        self.lines = lines
        self.section_at = section_at
        self.script = script
        self.last_dialogue: tuple[int, int] | None = None  # block range of the latest dialogue group

    def blank(self, i: int) -> bool:
        return i < 0 or i >= len(self.lines) or not self.lines[i].strip()

    def emit(self, kind: str, text: str, **extra) -> None:
        text = strip_emphasis(text)
        if text:
            self.script.blocks.append(Block(kind, text, **extra))

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            if i in self.section_at:
                level, name = self.section_at[i]
                self.script.sections.append((len(self.script.blocks), level, name))
                self.last_dialogue = None
            if self.blank(i):
                i += 1
                continue
            before = self.last_dialogue
            i = self.element(i)
            if self.last_dialogue is before:
                self.last_dialogue = None  # dual dialogue pairs only adjacent speeches

    def element(self, i: int) -> int:
        """Read the element starting at line i; return the index of the line after it."""
        line = self.lines[i]
        s = line.strip()
        prev_blank, next_blank = self.blank(i - 1), self.blank(i + 1)
        if s.startswith("!"):
            return self.action(i, s[1:])
        if s.startswith(">") and s.endswith("<") and len(s) > 1:
            self.emit(ACTION, s[1:-1])
            return i + 1
        if s.startswith(">"):
            self.emit(TRANSITION, s[1:])
            return i + 1
        if s.startswith(".") and not s.startswith("..") and prev_blank:
            self.emit(SCENE_HEADING, _SCENE_NUMBER_RE.sub("", s[1:]))
            return i + 1
        if prev_blank and next_blank and _SCENE_RE.match(s):
            self.emit(SCENE_HEADING, _SCENE_NUMBER_RE.sub("", s))
            return i + 1
        if prev_blank and next_blank and _TRANSITION_RE.match(line.lstrip()) and line == line.rstrip():
            self.emit(TRANSITION, s)
            return i + 1
        if prev_blank and not next_blank and _is_cue(s):
            return self.dialogue(i)
        if s.startswith("~"):
            return self.action(i, s)
        return self.action(i, line)

    def action(self, i: int, first: str) -> int:
        """An action paragraph: this line and the following ones up to a blank line."""
        parts = [first]
        j = i + 1
        while not self.blank(j) and j not in self.section_at:
            parts.append(self.lines[j])
            j += 1
        self.emit(ACTION, " ".join(p.strip().lstrip("~") for p in parts))
        return j

    def dialogue(self, i: int) -> int:
        """A character cue and its dialogue: one DIALOGUE block per speech segment."""
        cue = self.lines[i].strip()
        dual = cue.endswith("^")
        cue = cue.rstrip("^").strip().lstrip("@").strip()
        extensions = [e.strip() for e in _EXTENSION_RE.findall(cue) if e.strip()]
        speaker = collapse(_EXTENSION_RE.sub(" ", cue)) or cue
        extension = ", ".join(extensions) or None
        first_block = len(self.script.blocks)
        direction: str | None = None
        speech: list[str] = []

        def flush() -> None:
            nonlocal speech, direction
            if speech:
                self.emit(DIALOGUE, " ".join(speech), speaker=speaker, extension=extension, direction=direction, dual=dual)
                speech, direction = [], None

        j = i + 1
        while j < len(self.lines) and j not in self.section_at:
            raw = self.lines[j]
            s = raw.strip()
            if not s:
                if raw.startswith("  ") and j + 1 < len(self.lines) and not self.blank(j + 1):
                    flush()  # a two-space line keeps the speech going after a pause
                    j += 1
                    continue
                break
            if s.startswith("(") and s.endswith(")"):
                flush()
                direction = strip_emphasis(s[1:-1]) or None
            else:
                speech.append(s.lstrip("~").strip())
            j += 1
        flush()
        if dual and self.last_dialogue is not None:
            start, stop = self.last_dialogue
            for k in range(start, stop):
                self.script.blocks[k] = replace(self.script.blocks[k], dual=True)
        self.last_dialogue = (first_block, len(self.script.blocks))
        return j


def _is_cue(s: str) -> bool:
    """True if s is a character cue: forced with @, or a name in capitals (extension may be lower case)."""
    if s.startswith("@"):
        return len(s.strip("@^ ")) > 0
    name = _EXTENSION_RE.sub("", s.rstrip("^")).strip()
    if not name or not any(c.isalpha() for c in name) or name != name.upper() or _SCENE_RE.match(name):
        return False
    if s.rstrip("^").strip().endswith(("TO:", ":")) and not _EXTENSION_RE.search(s):
        return False
    return not s.startswith(("!", ".", ">", "~", "=", "#"))
