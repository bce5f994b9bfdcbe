"""Small text helpers shared by the prose ingesters (plain text, Markdown, EPUB)."""

from __future__ import annotations

import re
from pathlib import Path

from render.errors import InputError

_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_WRAP_RE = re.compile(rf"(?<=[{_CJK}])[ \t]*\r?\n\s*(?=[{_CJK}])")
# A line made only of separator characters: "* * *", "***", "---", "~~~", "⁂", "# # #", "· · ·".
_BREAK_RE = re.compile(r"^[\s*\-_~=#·•⁂✻✼❦§+.]+$")
_BREAK_CHARS = set("*-_~=#·•⁂✻✼❦§+.")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"[.!?…:;,]['\"’”»)\]]*\s*$|[.!?…][\"'’”»)]*\s")

ROMAN = r"[IVXLCDM]+"


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space (a line wrap between CJK characters to nothing)."""
    if "\n" in text and _CJK_WRAP_RE.search(text):  # (a wrap has a newline; the regex starts with a lookbehind)
        text = _CJK_WRAP_RE.sub("", text)
    return " ".join(text.split())  # str.split's whitespace is re's \s


def is_scene_break(text: str) -> bool:
    """True if text is only a separator such as '* * *', '***', '---', '⁂' or '#'."""
    stripped = text.strip()
    if not stripped or not _BREAK_RE.match(stripped):
        return False
    marks = [c for c in stripped if c in _BREAK_CHARS]
    return len(marks) >= 3 or stripped in {"⁂", "#", "§", "❦", "✻", "✼"}


def word_count(text: str) -> int:
    """Number of words in text."""
    return len(_WORD_RE.findall(text))


def is_prose(paragraphs: list[str]) -> bool:
    """True if these paragraphs read like book text rather than a title page or list of contents."""
    words = sum(word_count(p) for p in paragraphs)
    sentences = sum(1 for p in paragraphs if word_count(p) >= 6 and _SENTENCE_END_RE.search(p))
    return words >= 40 or (sentences >= 1 and words >= 12) or sentences >= 2


def decode(data: bytes) -> str:
    """Decode a manuscript: UTF-8 (a BOM is dropped), else Windows-1252/Latin-1; never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_source(path: Path, what: str) -> str:
    """Read and decode a text manuscript, turning OS errors into an InputError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read this {what} file ({exc.strerror}); check the path and permissions") from exc
    return decode(data)


def title_from_stem(path: Path) -> str:
    """A readable title made from a file name: 'the-lighthouse_keepers' -> 'The Lighthouse Keepers'."""
    words = re.sub(r"[_\-]+", " ", Path(path).stem).strip()
    if not words:
        return "Untitled"
    return words if any(c.isupper() for c in words) else words.title()
