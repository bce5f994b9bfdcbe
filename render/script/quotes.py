"""Quote detection: where the spoken words are inside a paragraph.

A paragraph's text is cut into `Segment`s: quoted words (without their marks) and the narration
between them. Each dialogue convention has its own small scanner; `detect_style` picks the
convention a book uses, so apostrophes in a double-quoted book are never taken for quotes and
nested quotes stay inside the quotation that holds them. `segment` asks the detectors in unspoken
which quoted words nobody says aloud and keeps those out of the speech.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from .segments import NARRATION, QUOTE, Segment
from .unspoken import (IMAGINED, RECITED, SILENT_TURNS, WRITTEN, has_written_tag, is_embedded_title, is_mention,
                       is_recited, is_reported, is_verse, rest_of_written, unspoken)

# re-exported: the segment kinds and the cited kinds are read wherever segments are
__all__ = ["DASH", "DOUBLE", "GUILLEMET", "IMAGINED", "NARRATION", "QUOTE", "RECITED", "SILENT_TURNS", "SINGLE",
           "WRITTEN", "Segment", "detect_style", "find_quotes", "is_elision", "segment"]

DOUBLE = "double"  # "…" and “…”
SINGLE = "single"  # '…' and ‘…’ (British style)
GUILLEMET = "guillemet"  # «…» (or »…«)
DASH = "dash"  # — Speech opens a paragraph with an em dash

_DASHES = "\u2014\u2013\u2015"  # em dash, en dash, horizontal bar
_OPENING_CONTEXT = " \t\n\r([{\u2014\u2013\u2015-/\"\u201c\u00ab"
_CLOSING_PUNCT = ",.;:!?\u2014\u2013\u2015-\u2026"
# Words that start with an apostrophe of elision, not an opening quote ('tis, 'em, 'ere).
_ELISIONS = frozenset({
    "tis", "twas", "twere", "twill", "twould", "twixt", "em", "im", "er", "ere", "ave", "ad",
    "cause", "cos", "til", "till", "bout", "n", "un", "uns", "ud", "d", "ll", "ve", "re", "s",
    "t", "ow", "e", "is", "appen", "ouse", "ome", "alf", "ands", "ead", "eart", "igh", "ello",
    "nother", "spose", "sposin", "fraid", "mongst", "neath", "gainst", "prentice", "cept",
})


def detect_style(texts: Iterable[str]) -> str:
    """The dialogue convention a book uses, judged from its paragraphs."""
    double = single = guillemet = dash = 0
    for text in texts:
        double += text.count('"') + text.count("\u201c") + text.count("\u201d")
        guillemet += text.count("\u00ab") + text.count("\u00bb")
        single += len(_SINGLE_OPEN.findall(text))
        stripped = text.lstrip()
        if stripped[:1] in _DASHES:
            dash += 2
    counts = {DOUBLE: double, SINGLE: single, GUILLEMET: guillemet, DASH: dash}
    best = max(counts, key=lambda k: counts[k])
    # Apostrophes inflate the single count a little; prefer double quotes unless clearly beaten.
    if best == SINGLE and double * 2 >= single:
        return DOUBLE
    if counts[best] == 0:
        return DOUBLE
    return best


# A single-quote mark that looks like an opener: at start or after space/bracket, before a letter.
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[\u2014\u2013\"]))['\u2018](?=[^\s'\u2018\u2019])")


def find_quotes(text: str, style: str = DOUBLE) -> list[Segment]:
    """The quoted stretches of one paragraph, in order (QUOTE segments only)."""
    if style == SINGLE:
        return _single_quotes(text)
    if style == GUILLEMET:
        return _guillemet_quotes(text)
    if style == DASH:
        return _dash_quotes(text)
    return _double_quotes(text)


def segment(text: str, style: str = DOUBLE, keep_titles: bool = False) -> list[Segment]:
    """The paragraph cut into quotes and the narration between them (blank narration dropped).

    Short quoted words that are part of a narration sentence -- titles, labels, scare quotes, names
    ('the overture to "Zampa"', 'a bottle marked "poison"', 'what she called "reality"'; see
    is_embedded_title, is_mention) -- stay in the narration unless keep_titles is set. Quoted
    words no one says aloud in the scene (see unspoken) are a narration segment of their own,
    marked cited: read by the narrator, but not the narrator's own words (discovery does not read
    them as narration)."""
    quotes = find_quotes(text, style)
    if not keep_titles:
        quotes = [q for q in quotes if not is_embedded_title(text, q) and not is_mention(text, q)]
    out: list[Segment] = []
    pos = 0
    poem = not keep_titles and len(quotes) >= 2 and is_verse(text)
    written_tag = False  # the last quote was written and the narration after it is its tag ('she wrote')
    for i, q in enumerate(quotes):
        if not keep_titles and i == 0 and is_reported(text, q):
            continue  # narration: the quote stays in the narrator's words around it
        _narration(text, pos, max(pos, q.outer_start), out)
        cited = None
        if not keep_titles:
            # the rest of a written quote after its tag ('"…," she wrote. "…"') is written too
            cited = WRITTEN if poem or written_tag and q.opened and rest_of_written(text, pos, q) else unspoken(text, q)
            if not cited and is_recited(text, q):
                cited = RECITED  # a quote that is wholly another: read out or repeated, not said
        written_tag = cited == WRITTEN and has_written_tag(text, q)
        out.append(replace(q, kind=NARRATION, cited=cited) if cited else q)
        pos = q.outer_end
    _narration(text, pos, len(text), out)
    return out


def _narration(text: str, start: int, end: int, out: list[Segment]) -> None:
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        out.append(Segment(NARRATION, start + lead, end - trail))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quote(text: str, start: int, end: int, opened: bool, closed: bool) -> Segment | None:
    """A QUOTE segment for the words between a mark at start-1 (if opened) and one at end."""
    s, e = _trim(text, start, end)
    if s >= e:
        return None
    outer_start = start - 1 if opened else s
    outer_end = end + 1 if closed else e
    return Segment(QUOTE, s, e, opened, closed, max(0, outer_start), min(len(text), outer_end))


_DOUBLE_MARK = re.compile('["\u201c\u201d]')


def _double_quotes(text: str) -> list[Segment]:
    """Straight quotes pair up in order; curly ones say which way they face."""
    out: list[Segment] = []
    open_at: int | None = None
    for m in _DOUBLE_MARK.finditer(text):  # only the marks, not every character
        i, ch = m.start(), m.group()
        if ch == "\u201c" or (ch == '"' and open_at is None):
            if open_at is not None:  # a second opener: the first quote never closed
                _add(out, _quote(text, open_at + 1, i, True, False))
            open_at = i
        elif ch == "\u201d" or ch == '"':
            if open_at is None:
                # a closer with no opener: the paragraph continues an earlier quote
                if not out and text[:i].strip():
                    _add(out, _quote(text, 0, i, False, True))
                continue
            _add(out, _quote(text, open_at + 1, i, True, True))
            open_at = None
    if open_at is not None:
        _add(out, _quote(text, open_at + 1, len(text), True, False))
    return out


def _add(out: list[Segment], seg: Segment | None) -> None:
    if seg is not None:
        out.append(seg)


def is_elision(text: str, i: int) -> bool:
    """True when the apostrophe at i starts an elided word ('tis, 'em, '99), not a quote."""
    m = re.match(r"[A-Za-z]+|\d", text[i + 1:i + 12])
    if not m:
        return False
    word = m.group(0).lower()
    if word.isdigit():
        return True
    if word in _ELISIONS:
        # "'Tis true,' she said" vs "'em all" -- an elision is followed by more words, a
        # one-word quote would close right after it
        after = text[i + 1 + len(m.group(0)):i + 3 + len(m.group(0))]
        return not (after[:1] in ("'", "\u2019") and (after[1:2] in ("", " ", ",")))
    return False


def _is_single_opener(text: str, i: int) -> bool:
    if text[i] not in "'\u2018":
        return False
    if i > 0 and text[i - 1] not in _OPENING_CONTEXT:
        return False
    if i + 1 >= len(text) or text[i + 1].isspace():
        return False
    return not is_elision(text, i)


def _closer_kind(text: str, i: int) -> str | None:
    """'strong' (after punctuation), 'weak' (after a letter) or None for a non-closer."""
    if text[i] not in "'\u2019":
        return None
    if i == 0 or text[i - 1].isspace():
        return None
    nxt = text[i + 1:i + 2]
    if nxt and not (nxt.isspace() or nxt in _CLOSING_PUNCT or nxt in ")]\"\u201d"):
        return None  # inside a word: don't, o'clock
    if text[i - 1] in _CLOSING_PUNCT:
        return "strong"
    # "the Smiths' house": a plural possessive before a lower-case word
    if text[i - 1] in "sS" and re.match(r"\s+[a-z]", text[i + 1:i + 4]):
        return "possessive"
    return "weak"


def _single_quotes(text: str) -> list[Segment]:
    """British single quotes: openers by position, closers told apart from apostrophes."""
    out: list[Segment] = []
    i, n = 0, len(text)
    first = True
    while i < n:
        if text[i] not in "'\u2018\u2019":
            i += 1
            continue
        if first and not _is_single_opener(text, i) and _closer_kind(text, i) == "strong":
            # a paragraph that closes a quote opened in an earlier paragraph
            if text[:i].strip():
                _add(out, _quote(text, 0, i, False, True))
            first = False
            i += 1
            continue
        if not _is_single_opener(text, i):
            i += 1
            continue
        first = False
        close = _find_single_close(text, i + 1)
        if close is None:
            _add(out, _quote(text, i + 1, n, True, False))
            break
        _add(out, _quote(text, i + 1, close, True, True))
        i = close + 1
    return out


def _find_single_close(text: str, start: int) -> int | None:
    weak: int | None = None
    depth = 0  # nested "…" inside the single-quoted speech
    for j in range(start, len(text)):
        ch = text[j]
        if ch in "\u201c":
            depth += 1
        elif ch == "\u201d":
            depth = max(0, depth - 1)
        if ch not in "'\u2019":
            continue
        kind = _closer_kind(text, j)
        if kind == "strong":
            return j
        if kind == "weak" and weak is None:
            return j
        if kind is None and _is_single_opener(text, j) and weak is not None:
            return weak
    return weak


def _guillemet_quotes(text: str) -> list[Segment]:
    """«…» quotes; a paragraph whose first guillemet is » uses the reversed German style."""
    first = re.search("[\u00ab\u00bb]", text)
    if not first:
        return []
    opener, closer = "\u00ab", "\u00bb"
    if first.group(0) == "\u00bb" and "\u00ab" in text[first.start():]:
        opener, closer = closer, opener
    out: list[Segment] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == opener and open_at is None:
            open_at = i
        elif ch == closer and open_at is not None:
            _add(out, _quote(text, open_at + 1, i, True, True))
            open_at = None
    if open_at is not None:
        _add(out, _quote(text, open_at + 1, len(text), True, False))
    return out


_DASH_BREAK = re.compile(r"\s[\u2014\u2013\u2015]\s?|,\s[\u2014\u2013\u2015]")
_DASH_RESUME = re.compile(r"[\u2014\u2013\u2015][.,;:]?\s")


def _dash_quotes(text: str) -> list[Segment]:
    """— Speech: from the opening dash to a spaced dash that starts a tag, then again after it."""
    lead = len(text) - len(text.lstrip())
    if text[lead:lead + 1] not in _DASHES:
        return []
    out: list[Segment] = []
    pos = lead + 1
    while pos < len(text):
        brk = _DASH_BREAK.search(text, pos)
        if brk is None:
            _add(out, _quote(text, pos, len(text), True, False))
            break
        _add(out, _quote(text, pos, brk.start(), True, True))
        resume = _DASH_RESUME.search(text, brk.end())
        if resume is None:
            break
        pos = resume.end()
    # every dash quote "opens" with its dash and "closes" where the tag starts
    return out
