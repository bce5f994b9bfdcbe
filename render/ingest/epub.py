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
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from render.book import HEADING, PARAGRAPH, SCENE_BREAK, Block, Book, Chapter, Skipped
from render.errors import InputError
from render.ingest import gutenberg
from render.ingest.skipped import ILLUSTRATION_RE, trim_breaks
from render.ingest.prose import ROMAN, is_prose, title_from_stem
from render.ingest.package import Files, Package, one_line, read_package
from render.ingest.xhtml import ANCHOR, NOTEREF, SKIP, Document, Item, parse_document

log = logging.getLogger(__name__)

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
# The skip kind of a dropped stretch, by its title.
_KIND_BY_TITLE = (
    (re.compile(r"contents|table|sommaire|mati[èe]res", re.I), "toc"),
    (re.compile(r"illustrations|plates|figures", re.I), "illustrations"),
    (re.compile(r"^index", re.I), "index"),
    (re.compile(r"copyright|colophon|imprint", re.I), "copyright"),
    (re.compile(r"gutenberg|licen[cs]e", re.I), "gutenberg"),
)
_TEXT_KINDS = (PARAGRAPH, HEADING)


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
        raise InputError(f"{path}: cannot read this EPUB ({one_line(reason)}); re-export it or check it with epubcheck") from exc


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
        files = Files(archive, path)
        package = read_package(files)
        docs = []
        for doc_path in package.spine:
            data = files.read(doc_path)
            if data is None:
                log.warning("%s: spine document %s is missing from the archive; skipped", path, doc_path)
                continue
            docs.append((doc_path, parse_document(data)))
    segments = _segments(_place_notes(docs), package)
    chapters, front, back = _chapters(segments)
    if not chapters:
        raise InputError(
            f"{path}: no readable text in this EPUB (empty, image-only or fixed-layout pages); "
            "use an edition with real text, or OCR it first"
        )
    title = package.title or title_from_stem(path)
    author = ", ".join(package.authors) or None
    language = (package.language or "en").split("-")[0].split("_")[0].lower() or "en"
    return Book(title=title, source=path, chapters=chapters, author=author, language=language,
                skipped=[replace(p, where="front", after=0) for p in front]
                + [replace(p, where="back", after=0) for p in back])


def _place_notes(docs):
    """Move each footnote to its first reference (so it is read after that paragraph when included)."""
    notes: dict[str, Item] = {}
    for _, doc in docs:
        for item in doc.items:
            if item.kind == SKIP and item.skip == "footnotes":
                for ref in item.ref.split():
                    notes.setdefault(ref, item)
    if not notes:
        return docs
    targets: dict[tuple[int, int], Item] = {}  # (document, item) of a note's first reference -> the note
    moved: set[int] = set()
    for d, (_, doc) in enumerate(docs):
        for i, item in enumerate(doc.items):
            note = notes.get(item.text) if item.kind == NOTEREF else None
            if note is not None and id(note) not in moved:
                moved.add(id(note))
                targets[(d, i)] = note
    out = []
    for d, (name, doc) in enumerate(docs):
        items = []
        for i, item in enumerate(doc.items):
            if (d, i) in targets:
                items.append(targets[(d, i)])
            elif not (item.kind == SKIP and id(item) in moved):
                items.append(item)
        out.append((name, Document(items, doc.title)))
    return out


def _strip_gutenberg(docs: list[tuple[str, list[Item]]]) -> list[tuple[str, list[Item]]]:
    """Remove everything up to the Gutenberg START marker and from the END/licence marker on."""
    flat = [(d, i, item) for d, (_, items) in enumerate(docs) for i, item in enumerate(items)]
    texts = [(pos, item.text) for pos, (_, _, item) in enumerate(flat) if item.kind in _TEXT_KINDS]
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
        if item.kind in (ANCHOR, NOTEREF):
            kept[d].append(item)  # anchors stay so TOC entries still resolve (to empty segments)
            continue
        boiler = Item(SKIP, item.text, skip="gutenberg") if item.text else None
        if pos < start or pos >= end:
            if boiler:
                kept[d].append(boiler)
            continue
        if producer_zone and item.kind == PARAGRAPH and gutenberg.is_producer_note(item.text):
            kept[d].append(boiler)
            continue
        if item.kind == PARAGRAPH:
            producer_zone = False
        if gutenberg.is_boilerplate(item.text) and "gutenberg" in item.text.lower() and len(item.text) > 60:
            kept[d].append(boiler)
            continue
        kept[d].append(item)
    return [(name, items) for (name, _), items in zip(docs, kept)]


def _segments(docs, package: Package) -> list[_Segment]:
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


def _chapters(segments: list[_Segment]) -> tuple[list[Chapter], list[Skipped], list[Skipped]]:
    """Chapters from segments (prose only, titles settled, leading title headings dropped), and the
    stretches left out before the first chapter and after the last."""
    built: list[tuple[str, list[Block], bool, list[Skipped], list[Skipped]]] = []  # title, blocks, prose?, skipped, dropped
    carried: str | None = None
    for segment in segments:
        items = [it for it in segment.items if it.kind not in (ANCHOR, NOTEREF)]
        kept, cut = _cut_contents(items)
        title = segment.title or next((it.text for it in kept if it.kind == HEADING), None) or segment.doc_title
        if title and _APPARATUS_RE.match(title.strip()):
            built.append(("", [], False, [], _pieces(items, _kind_of(title))))
            continue
        paragraphs = [it.text for it in kept if it.kind == PARAGRAPH]
        if not is_prose(paragraphs):
            if title and _NUMBER_ONLY_RE.match(title.strip()) and not paragraphs:
                carried = f"{carried} {title}" if carried else title
                built.append((title or "", [], False, [], _pieces([it for it in items if it.kind == SKIP], "")))
                continue
            blocks, skipped = _to_blocks(kept, title)
            built.append((title or "", blocks, False, skipped, _pieces(items, _kind_of(title))))
            continue
        if carried:
            title = f"{carried}. {title}" if title else carried
            carried = None
        blocks, skipped = _to_blocks(kept, title)
        built.append((title or "", blocks, True, skipped + _pieces(cut, "toc", len(blocks)), []))
    if not any(prose for _, _, prose, _, _ in built):
        # A very short book (a test file, a picture book): keep whatever has text at all.
        built = [(t, b, any(x.kind == PARAGRAPH for x in b), s, d) for t, b, _, s, d in built]
    chapters: list[Chapter] = []
    front: list[Skipped] = []
    loose: list[Skipped] = []
    for title, blocks, prose, skipped, dropped in built:
        if prose and blocks:
            if chapters:
                chapters[-1].skipped += [replace(p, after=len(chapters[-1].blocks)) for p in loose]
            else:
                front = loose
            loose = []
            chapters.append(Chapter(index=len(chapters) + 1, title=title or f"Chapter {len(chapters) + 1}",
                                    blocks=blocks, skipped=skipped))
        else:
            loose += dropped
    if chapters:  # Gutenberg text in the first or last chapter's document lies outside the book
        first, last = chapters[0], chapters[-1]
        lead = next((n for n, p in enumerate(first.skipped) if p.after > 0 or p.kind != "gutenberg"), len(first.skipped))
        front, first.skipped = front + first.skipped[:lead], first.skipped[lead:]
        end = len(last.blocks)
        tail = next((n for n, p in enumerate(last.skipped) if p.after == end and p.kind == "gutenberg"), None)
        if tail is not None:
            loose, last.skipped = last.skipped[tail:] + loose, last.skipped[:tail]
    return chapters, front, loose


def _kind_of(title: str | None) -> str:
    """The skip kind of a stretch left out, by its title ('Contents' -> toc); front-matter otherwise."""
    for pattern, kind in _KIND_BY_TITLE:
        if title and pattern.search(title):
            return kind
    return "front-matter"


def _pieces(items: list[Item], kind: str, after: int = 0) -> list[Skipped]:
    """Skipped pieces for items left out: text items as `kind`, SKIP items as their own; runs merged."""
    pieces: list[Skipped] = []
    for it in items:
        if it.kind == SKIP:
            pieces.append(Skipped(it.skip, it.text, after=after))
        elif it.kind in _TEXT_KINDS and kind:
            pieces.append(Skipped("captions" if ILLUSTRATION_RE.match(it.text) else kind, it.text, after=after))
    return _merged(pieces)


def _cut_contents(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """Split off a plain-text list of contents ('TABLE', 'Contents' then short lines) and what follows it."""
    for i, it in enumerate(items):
        if it.kind in (HEADING, PARAGRAPH) and _APPARATUS_RE.match(it.text.strip()):
            rest = [x.text for x in items[i + 1 :] if x.kind == PARAGRAPH]
            if not rest or sum(len(t.split()) for t in rest) / len(rest) < 8:
                return items[:i], items[i:]
    return items, []


def _to_blocks(items: list[Item], title: str | None) -> tuple[list[Block], list[Skipped]]:
    """Blocks for a chapter (headings up to the one repeating the title dropped, breaks tidied) and
    the pieces left out of it, each placed after the blocks before it."""
    skips = [(n, it) for n, it in enumerate(items) if it.kind == SKIP]
    items = [it for it in items if it.kind != SKIP]
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
    skipped: list[Skipped] = []
    before = [0] * (len(items) + 1)  # blocks made from the first n kept items
    for n, it in enumerate(items):
        if n >= drop:
            if it.kind == SCENE_BREAK:
                if blocks and blocks[-1].kind != SCENE_BREAK:
                    blocks.append(Block(SCENE_BREAK, ""))
            elif it.kind == PARAGRAPH and ILLUSTRATION_RE.match(it.text):
                skipped.append(Skipped("captions", it.text, after=len(blocks)))
            elif it.kind in (PARAGRAPH, HEADING):
                blocks.append(Block(it.kind, it.text))
        before[n + 1] = len(blocks)
    for n, (pos, it) in enumerate(skips):
        skipped.append(Skipped(it.skip, it.text, after=before[pos - n]))
    blocks, skipped = trim_breaks(blocks, skipped)
    return blocks, _merged(sorted(skipped, key=lambda p: p.after))


def _merged(pieces: list[Skipped]) -> list[Skipped]:
    """Neighbouring pieces of one kind at one place as one piece."""
    out: list[Skipped] = []
    for p in pieces:
        if out and out[-1].kind == p.kind and out[-1].after == p.after:
            out[-1] = replace(out[-1], text=f"{out[-1].text}\n{p.text}")
        else:
            out.append(p)
    return out
