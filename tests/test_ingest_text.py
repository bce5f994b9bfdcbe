"""Plain-text ingestion: chapter headings, paragraphs, Gutenberg boilerplate, exact offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from render.book import PARAGRAPH, SCENE_BREAK
from render.errors import InputError
from render.ingest import load_book
from render.ingest.text import parse_text

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PDNC = SHARED / "pdnc"


def _check_offsets(book) -> None:
    """Every block's source span, whitespace collapsed, is exactly its text."""
    for chapter in book.chapters:
        for block in chapter.blocks:
            source = book.text[block.start : block.end]
            assert source == source.strip()
            if block.kind == PARAGRAPH:
                assert re.sub(r"\s+", " ", source) == block.text


def _write(tmp_path: Path, text: str, name: str = "book.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_chapter_headings_with_titles_on_the_next_line(tmp_path):
    text = (
        "THE LAMPLIGHTER\n\nby Ada Quill\n\n\n"
        "CHAPTER I.\nThe Long Street\n\n"
        "Nell walked the street\nwith her ladder.\n\n"
        '"Evening," said the baker.\n\n'
        "CHAPTER II.\nThe Dark Corner\n\n"
        "One lamp would not light.\n"
    )
    book = load_book(_write(tmp_path, text))
    assert book.title == "THE LAMPLIGHTER"
    assert book.author == "Ada Quill"
    assert [c.title for c in book.chapters] == ["CHAPTER I. The Long Street", "CHAPTER II. The Dark Corner"]
    assert [b.text for b in book.chapters[0].blocks] == ["Nell walked the street with her ladder.", '"Evening," said the baker.']
    assert book.text == text
    _check_offsets(book)


@pytest.mark.parametrize(
    "heading, title",
    [
        ("Chapter 1", "Chapter 1"),
        ("CHAPTER XII. The Last Lamp", "CHAPTER XII. The Last Lamp"),
        ("BOOK II", "BOOK II"),
        ("Chapter Seven", "Chapter Seven"),
    ],
)
def test_keyword_headings(tmp_path, heading, title):
    text = f"{heading}\n\nThe first paragraph of this chapter is here.\n\n{heading}X\n\nNot a heading line.\n"
    book = parse_text(text, Path("x.txt"))
    assert book.chapters[0].title == title
    assert book.chapters[0].blocks[0].text == "The first paragraph of this chapter is here."


def test_bare_roman_numerals_need_company(tmp_path):
    many = "I\n\nThe parrot talked.\n\nII\n\nThe sea was calm.\n\nIII\n\nThe end came.\n"
    book = parse_text(many, Path("x.txt"))
    assert [c.title for c in book.chapters] == ["I", "II", "III"]
    lonely = "Nobody came.\n\nI\n\nwas alone that night, she said.\n"
    book = parse_text(lonely, Path("lonely-night.txt"))
    assert len(book.chapters) == 1
    assert book.chapters[0].title == "Lonely Night"
    assert [b.text for b in book.chapters[0].blocks] == ["Nobody came.", "I", "was alone that night, she said."]


def test_heading_line_is_the_title_not_a_paragraph():
    book = parse_text("CHAPTER I.\n\n\nIt was a truth.\n", Path("x.txt"))
    assert book.chapters[0].title == "CHAPTER I."
    assert [b.text for b in book.chapters[0].blocks] == ["It was a truth."]


def test_no_headings_gives_one_chapter_titled_by_the_book(tmp_path):
    book = load_book(_write(tmp_path, "A short tale.\n\nIt ends here.\n", name="a_short-tale.txt"))
    assert len(book.chapters) == 1
    assert book.chapters[0].title == "A Short Tale" == book.title
    _check_offsets(book)


def test_scene_breaks_and_contents_lists():
    text = (
        "CONTENTS\n\nCHAPTER I. Rain\nCHAPTER II. Sun\n\n"
        "CHAPTER I. Rain\n\nIt rained.\n\n* * *\n\n*   *   *\n\nIt stopped.\n\n"
        "CHAPTER II. Sun\n\nThe sun came out.\n"
    )
    book = parse_text(text, Path("x.txt"))
    assert [c.title for c in book.chapters] == ["CHAPTER I. Rain", "CHAPTER II. Sun"]
    kinds = [b.kind for b in book.chapters[0].blocks]
    assert kinds == [PARAGRAPH, SCENE_BREAK, PARAGRAPH]
    brk = book.chapters[0].blocks[1]
    assert book.text[brk.start : brk.end] == "* * *\n\n*   *   *"
    _check_offsets(book)


def test_part_heading_prefixes_its_first_chapter():
    text = "BOOK ONE\n\nCHAPTER I\n\nFirst words.\n\nCHAPTER II\n\nSecond words.\n"
    book = parse_text(text, Path("x.txt"))
    assert [c.title for c in book.chapters] == ["BOOK ONE — CHAPTER I", "CHAPTER II"]


def test_gutenberg_header_and_licence_are_stripped(tmp_path):
    text = (
        "The Project Gutenberg EBook of Lamps, by Ada Quill\r\n\r\n"
        "Title: Lamps\r\n\r\nAuthor: Ada Quill\r\n\r\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK LAMPS ***\r\n\r\n"
        "Produced by Some Volunteers\r\n\r\n"
        "CHAPTER I.\r\n\r\nThe lamps were lit.\r\n\r\n"
        "End of the Project Gutenberg EBook of Lamps\r\n\r\n"
        "*** END OF THIS PROJECT GUTENBERG EBOOK LAMPS ***\r\n\r\n"
        "Section 1. General Terms of Use of the Project Gutenberg License.\r\n"
    )
    book = load_book(_write(tmp_path, text))
    assert book.title == "Lamps" and book.author == "Ada Quill"
    spoken = " ".join(b.text for c in book.chapters for b in c.blocks)
    assert spoken == "The lamps were lit."
    _check_offsets(book)


def test_bom_and_latin1_are_decoded(tmp_path):
    book = load_book(_write(tmp_path, "\ufeffCafé au lait.\n", name="bom.txt"))
    assert book.text == "Café au lait.\n"
    assert book.chapters[0].blocks[0].text == "Café au lait."
    assert book.chapters[0].blocks[0].start == 0
    book = load_book(_write(tmp_path, "Caf\xe9 cr\xe8me.\n", name="latin.txt", encoding="latin-1"))
    assert book.chapters[0].blocks[0].text == "Café crème."


def test_empty_text_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no readable text"):
        load_book(_write(tmp_path, "\n\n"))
    assert parse_text("\n\n", Path("x.txt")).chapters == []


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_book(tmp_path / "nope.txt")
    path = tmp_path / "book.docx"
    path.write_text("x")
    with pytest.raises(InputError, match=r"\.epub.*\.txt"):
        load_book(path)


@pytest.mark.skipif(not PDNC.is_dir(), reason="../shared/data is absent")
@pytest.mark.parametrize(
    "novel, chapters, first",
    [
        ("AlicesAdventuresInWonderland", 12, "CHAPTER I. Down the Rabbit-Hole"),
        ("OliverTwist", 53, "CHAPTER I. TREATS OF THE PLACE WHERE OLIVER TWIST WAS BORN AND OF THE CIRCUMSTANCES ATTENDING HIS BIRTH"),
        ("PrideAndPrejudice", 61, "CHAPTER I."),
        ("TheAwakening", 39, "I"),
        ("TheGambler", 17, "I"),
        ("TheSignOfTheFour", 12, "Chapter I The Science of Deduction"),
    ],
)
def test_pdnc_novels(novel, chapters, first):
    import ast
    import csv

    path = PDNC / novel / "novel_text.txt"
    book = load_book(path)
    assert len(book.chapters) == chapters
    assert book.chapters[0].title == first
    assert book.text == path.read_text(encoding="utf-8")
    _check_offsets(book)
    # Every gold quotation lies inside the blocks (apart from quotes spanning paragraphs).
    spans = sorted((b.start, b.end) for c in book.chapters for b in c.blocks)
    csv.field_size_limit(10**9)
    with open(PDNC / novel / "quotation_info.csv", newline="", encoding="utf-8") as f:
        quotes = [tuple(s) for row in csv.DictReader(f) for s in ast.literal_eval(row["quoteByteSpans"])]
    inside = sum(1 for s, e in quotes if any(a <= s and e <= b for a, b in spans))
    assert inside >= len(quotes) - 20
    assert all(any(a <= s < b for a, b in spans) for s, _ in quotes)
