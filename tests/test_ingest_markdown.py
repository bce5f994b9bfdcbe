"""Markdown ingestion: chapter level, markup stripping, source offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from render.book import HEADING, PARAGRAPH, SCENE_BREAK
from render.ingest import load_book
from render.ingest.markdown import parse_markdown, strip_inline

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MARKDOWN = SHARED / "markdown"


def _check_offsets(book) -> None:
    """Each block's source span is trimmed, and its words appear in that span in order."""
    for chapter in book.chapters:
        for block in chapter.blocks:
            source = book.text[block.start : block.end]
            assert source and source == source.strip()
            words = iter(re.findall(r"[^\W_]+", source))
            assert all(word in words for word in re.findall(r"[^\W_]+", block.text)), (block.text, source)


def test_single_title_and_level_two_chapters(tmp_path):
    text = (
        "# The Harbour\n\n"
        "## One: Fog\n\nThe fog came *early* that year,\nand **stayed**.\n\n"
        "### A smaller heading\n\nIt was `thick`.\n\n"
        "* * *\n\nMorning.\n\n"
        "## Two: Clear\n\nSee [the map](http://example.com/map) ![a gull](gull.png) and _go_.\n"
    )
    path = tmp_path / "harbour.md"
    path.write_text(text, encoding="utf-8")
    book = load_book(path)
    assert book.title == "The Harbour"
    assert book.text == text
    assert [c.title for c in book.chapters] == ["One: Fog", "Two: Clear"]
    one = book.chapters[0].blocks
    assert [b.kind for b in one] == [PARAGRAPH, HEADING, PARAGRAPH, SCENE_BREAK, PARAGRAPH]
    assert one[0].text == "The fog came early that year, and stayed."
    assert text[one[0].start : one[0].end] == "The fog came *early* that year,\nand **stayed**."
    assert one[2].text == "It was thick."
    assert book.chapters[1].blocks[0].text == "See the map and go."
    _check_offsets(book)


def test_metadata_headings_and_deeper_chapters():
    text = "# Title: Night Train\n\n## Author: B. Rook\n\n-----\n\n### Part 1\n\nAll aboard.\n\n### Part 2\n\nArrival.\n"
    book = parse_markdown(text, Path("x.md"))
    assert (book.title, book.author) == ("Night Train", "B. Rook")
    assert [c.title for c in book.chapters] == ["Part 1", "Part 2"]
    _check_offsets(book)


def test_yaml_front_matter():
    text = "---\ntitle: Ferns\nauthor: [A. Moss, B. Lichen]\nlanguage: fr\n---\n\n# Un\n\nBonjour.\n\n# Deux\n\nSalut.\n"
    book = parse_markdown(text, Path("x.md"))
    assert (book.title, book.author, book.language) == ("Ferns", "A. Moss, B. Lichen", "fr")
    assert [c.title for c in book.chapters] == ["Un", "Deux"]


def test_front_matter_kept_only_if_prose():
    nonprose = "Copyright 2024\n\nFor my sister\n\n## I\n\nText one.\n\n## II\n\nText two.\n"
    book = parse_markdown(nonprose, Path("x.md"))
    assert [c.title for c in book.chapters] == ["I", "II"]
    prose = (
        "Before the story begins, the reader should know that the village had no name, and that nobody "
        "there ever minded, because everyone who lived there knew where they were.\n\n## I\n\nText one.\n"
    )
    book = parse_markdown(prose, Path("no-name.md"))
    assert [c.title for c in book.chapters] == ["No Name", "I"]


def test_no_headings_is_one_chapter():
    book = parse_markdown("Just a note.\n\nAnother line.\n", Path("note.md"))
    assert len(book.chapters) == 1 and book.chapters[0].title == "Note"


def test_lists_quotes_code_and_comments():
    text = (
        "# A\n\n> She said: *go*\n> now.\n\n- first item\n- second [item][ref]\n\n"
        "```\ncode is not spoken\n```\n\n<!-- a private note -->\n\nDone \\*really\\*.\n\n[ref]: http://x.y\n\n# B\n\nEnd.\n"
    )
    book = parse_markdown(text, Path("x.md"))
    assert [b.text for b in book.chapters[0].blocks] == ["She said: go now.", "first item", "second item", "Done *really*."]
    _check_offsets(book)


def test_setext_headings_and_rule_after_paragraph():
    text = "Part One\n========\n\nIt was late.\n\nPart Two\n========\n\nA long first sentence here.\n---\n\nAfter.\n"
    book = parse_markdown(text, Path("x.md"))
    assert [c.title for c in book.chapters] == ["Part One", "Part Two"]
    assert [b.kind for b in book.chapters[1].blocks] == [PARAGRAPH, SCENE_BREAK, PARAGRAPH]


@pytest.mark.parametrize(
    "raw, spoken",
    [
        ("**bold** and *it* and ***both***", "bold and it and both"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("__strong__ _em_", "strong em"),
        ("~~gone~~ `code`", "gone code"),
        ("a <em>tag</em> &amp; entity", "a tag & entity"),
        ("note[^1] here", "note here"),
        ("5 * 3 = 15", "5 * 3 = 15"),
    ],
)
def test_strip_inline(raw, spoken):
    assert strip_inline(raw) == spoken


@pytest.mark.skipif(not MARKDOWN.is_dir(), reason="../shared/data is absent")
@pytest.mark.parametrize(
    "name, chapters, first",
    [
        ("Alice's Adventures in Wonderland.md", 12, "Chapter 1 - Down the Rabbit-Hole"),
        ("Pride and Prejudice.md", 61, "Chapter 1"),
        ("The Bet.md", 2, "I"),
        ("The Sign of the Four.md", 12, "Chapter I - The Science of Deduction"),
    ],
)
def test_dev_markdown_books(name, chapters, first):
    book = load_book(MARKDOWN / name)
    assert len(book.chapters) == chapters
    assert book.chapters[0].title == first
    assert book.author and book.title != Path(name).stem.lower()
    _check_offsets(book)


def test_project_sample_manuscript():
    path = Path(__file__).resolve().parents[1] / "manuscripts" / "the-lighthouse-keepers.md"
    if not path.exists():
        pytest.skip("sample manuscript not present")
    book = load_book(path)
    assert book.title == "The Lighthouse Keepers"
    assert len(book.chapters) >= 2
    _check_offsets(book)
