"""Everything not read aloud is listed with its kind, place and size, and --include reads it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from render.cli import main
from render.errors import InputError
from render.ingest import load_book
from render.ingest.skipped import include_skipped, parse_kinds, skipped_rows, skipped_totals
from tests.test_ingest_epub import PROSE, build_epub

TEXT = """The Project Gutenberg EBook of Tiny, by Someone

Title: Tiny
Author: Someone

*** START OF THIS PROJECT GUTENBERG EBOOK TINY ***

Produced by Volunteers

CONTENTS

CHAPTER I. The Start
CHAPTER II. The End

CHAPTER I. The Start

It was a dark night and the wind howled around the old house on the hill, as it always did.

[Illustration]

She went in and closed the door behind her.

CHAPTER II. The End

And then it was morning, and all was well again, as it always would be in the end.

*** END OF THIS PROJECT GUTENBERG EBOOK TINY ***

This file should be named tiny.txt. Please read the Project Gutenberg License.
"""

MARKDOWN = """# Tiny

Contents: one, two.

## One

It was a dark night[^1] and the wind howled around the old house on the hill, as it always did.

She went in[^long] and closed the door.

[Illustration: The door]

[^1]: A very dark night indeed.
[^long]: This note goes on
    and on.

    Even a second paragraph.

## Two

Morning came, as mornings do, and all was well once more in the house on the hill.
"""


def words(book) -> str:
    return " ".join(b.text for c in book.chapters for b in c.blocks)


def kinds_at(book) -> list[tuple[str, str, int]]:
    return [(r["kind"], r["where"], r["words"]) for r in skipped_rows(book)]


def test_plain_text_lists_gutenberg_contents_and_captions_and_includes_them_back(tmp_path):
    src = tmp_path / "tiny.txt"
    src.write_text(TEXT, encoding="utf-8")
    book = load_book(src)
    assert kinds_at(book) == [
        ("gutenberg", "before chapter 1", 24), ("toc", "before chapter 1", 9),
        ("captions", "chapter 1, after block 1", 1), ("gutenberg", "after chapter 2", 21),
    ]
    said = words(book)
    for gone in ("Gutenberg", "Volunteers", "CONTENTS", "[Illustration]", "License"):
        assert gone not in said
    every = include_skipped(book, parse_kinds("all"))
    assert [c.title for c in every.chapters] == [
        "Project Gutenberg", "Contents", "CHAPTER I. The Start", "CHAPTER II. The End", "Project Gutenberg"]
    assert [c.index for c in every.chapters] == [1, 2, 3, 4, 5]
    assert [b.text for b in every.chapters[2].blocks] == [
        book.chapters[0].blocks[0].text, "[Illustration]", book.chapters[0].blocks[1].text]
    assert "Produced by Volunteers" in words(every) and "Project Gutenberg License" in words(every)
    assert skipped_rows(every) == []
    only = include_skipped(book, {"captions"})  # one kind back, the others still listed
    assert len(only.chapters) == 2 and "[Illustration]" in words(only)
    assert [k for k, _, _ in kinds_at(only)] == ["gutenberg", "toc", "gutenberg"]


def test_markdown_footnotes_are_listed_and_read_after_their_paragraph_when_included(tmp_path):
    src = tmp_path / "tiny.md"
    src.write_text(MARKDOWN, encoding="utf-8")
    book = load_book(src)
    assert kinds_at(book) == [
        ("front-matter", "before chapter 1", 3),
        ("footnotes", "chapter 1, after block 1", 5),
        ("footnotes", "chapter 1, after block 2", 10),
        ("captions", "chapter 1, after block 2", 3),
    ]
    assert "note" not in words(book) and "dark night indeed" not in words(book) and "[^" not in words(book)
    read = include_skipped(book, {"footnotes"})
    assert [b.text for b in read.chapters[0].blocks] == [
        "It was a dark night and the wind howled around the old house on the hill, as it always did.",
        "A very dark night indeed.",
        "She went in and closed the door.",
        "This note goes on and on. Even a second paragraph.",
    ]
    assert kinds_at(read) == [("front-matter", "before chapter 1", 3), ("captions", "chapter 1, after block 4", 3)]


def test_plain_text_gutenberg_footnotes_are_listed_and_read_back_in_place(tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text(f"CHAPTER I.\n\nShe kept the light[1] burning.\n\n[Footnote 1: A lamp of\nsperm oil.]\n\n{PROSE}\n\n"
                   f"CHAPTER II.\n\n{PROSE}\n", encoding="utf-8")
    book = load_book(src)
    assert kinds_at(book) == [("footnotes", "chapter 1, after block 1", 5)]
    assert "sperm" not in words(book)
    read = include_skipped(book, {"footnotes"})
    assert [b.text for b in read.chapters[0].blocks] == ["She kept the light[1] burning.", "A lamp of sperm oil.", PROSE]


@pytest.mark.parametrize("suffix, heading", [(".txt", "CHAPTER I."), (".md", "# Chapter I")])
def test_page_number_markers_are_listed_not_read(tmp_path, suffix, heading):
    src = tmp_path / f"pages{suffix}"
    src.write_text(f"{heading}\n\nThe boat left at dawn. [Pg 7] It was cold.\n\n[Page xii]\n\n{{9}}\n\n{PROSE}\n\n"
                   f"Chapter 3 of [Pgs] and {{note}} stay, as does p. 7 and [7].\n", encoding="utf-8")
    book = load_book(src)
    blocks = [b.text for b in book.chapters[0].blocks]
    assert blocks[0] == "The boat left at dawn. It was cold."
    assert blocks[-1] == "Chapter 3 of [Pgs] and {note} stay, as does p. 7 and [7]."  # not page markers
    assert kinds_at(book) == [("page-numbers", "chapter 1, after block 0", 2),
                              ("page-numbers", "chapter 1, after block 1", 2),
                              ("page-numbers", "chapter 1, after block 1", 1)]
    read = include_skipped(book, {"page-numbers"})
    assert [b.text for b in read.chapters[0].blocks][:4] == ["[Pg 7]", "The boat left at dawn. It was cold.",
                                                             "[Page xii]", "{9}"]


def test_a_markdown_note_nothing_refers_to_stays_where_it_was_defined(tmp_path):
    src = tmp_path / "loose.md"
    src.write_text("# A\n\n## One\n\n" + PROSE + "\n\n[^x]: An orphan note.\n\n" + PROSE + "\n\n## Two\n\n" + PROSE + "\n",
                   encoding="utf-8")
    book = load_book(src)
    assert kinds_at(book) == [("footnotes", "chapter 1, after block 1", 3)]


EPUB_BODY = (
    '<div class="pgheader">The Project Gutenberg EBook of The Keeper. This eBook is for the use of anyone '
    "anywhere under the terms of the Project Gutenberg License.<br/>*** START OF THIS PROJECT GUTENBERG EBOOK THE KEEPER ***</div>"
    '<h2 id="c1">CHAPTER I. The Lamp</h2>'
    '<p>The keeper climbed the stairs<a epub:type="noteref" href="#n1">1</a> and trimmed the wick, as she had '
    "done every night for years.</p>"
    '<div class="figcenter"><figure><img src="a.png" alt=""/><figcaption>The lamp room at dusk.</figcaption></figure></div>'
    f'<p><span epub:type="pagebreak" title="7">7</span>{PROSE}</p>'
    '<p>She looked out<a class="fnanchor" href="#Footnote_2">[2]</a> at the black water below the light.</p>'
    "<p>Then she slept until the morning came and the gulls cried over the rocks.</p>"
    '<aside epub:type="footnote" id="n1"><p>1. There were ninety-nine of them.</p></aside>'
    '<div class="footnote"><p><a id="Footnote_2" href="#FNanchor_2">[2]</a> Towards the north.</p></div>'
    '<h2 id="c2">CHAPTER II. The Storm</h2>'
    f"<p>{PROSE}</p><p>The storm broke at midnight, and the light held all through it until dawn.</p>"
    '<div class="pgheader">*** END OF THIS PROJECT GUTENBERG EBOOK THE KEEPER ***<br/>'
    "Section 1. General Terms of Use of the Project Gutenberg License</div>"
)


@pytest.fixture
def keeper(tmp_path) -> Path:
    docs = {
        "text.xhtml": EPUB_BODY,
        "copy.xhtml": '<section epub:type="copyright-page"><p>Copyright 1900 A. Writer. All rights reserved.</p></section>',
        "index.xhtml": '<section epub:type="index"><h2>Index</h2><ul><li>Lamp, 7</li><li>Storm, 9</li></ul></section>',
    }
    toc = [("CHAPTER I. The Lamp", "text.xhtml#c1"), ("CHAPTER II. The Storm", "text.xhtml#c2")]
    return build_epub(tmp_path / "keeper.epub", docs, toc=toc, version="3.0")


def test_epub_lists_notes_page_numbers_captions_copyright_index_and_gutenberg(keeper):
    book = load_book(keeper)
    assert [c.title for c in book.chapters] == ["CHAPTER I. The Lamp", "CHAPTER II. The Storm"]
    rows = kinds_at(book)
    assert rows == [
        ("gutenberg", "before chapter 1", 34),
        ("footnotes", "chapter 1, after block 1", 5),
        ("captions", "chapter 1, after block 1", 5),
        ("page-numbers", "chapter 1, after block 1", 1),  # it opens the second paragraph
        ("footnotes", "chapter 1, after block 3", 3),
        ("gutenberg", "after chapter 2", 21),
        ("copyright", "after chapter 2", 7),
        ("index", "after chapter 2", 5),
    ]
    said = words(book)
    for gone in ("ninety-nine", "north", "dusk", " 7 ", "[2]", "Copyright", "Index", "Gutenberg"):
        assert gone not in said
    assert "climbed the stairs and trimmed" in said  # the note mark is not read either way
    totals = skipped_totals(book)
    assert totals["footnotes"] == 8 and totals["gutenberg"] == 55


def test_epub_footnotes_are_read_after_the_paragraph_that_refers_to_them(keeper):
    book = include_skipped(load_book(keeper), {"footnotes", "page-numbers"})
    texts = [b.text for b in book.chapters[0].blocks]
    assert texts[1] == "There were ninety-nine of them."  # label '1.' dropped
    assert texts[4] == "She looked out at the black water below the light."
    assert texts[5] == "Towards the north."
    assert texts[2] == "7"
    assert "The lamp room at dusk." not in texts  # captions were not asked for


def test_include_kinds_are_checked_with_a_suggestion():
    assert parse_kinds(["toc,footnotes", "index"]) == {"toc", "footnotes", "index"}
    assert parse_kinds("ALL") >= {"gutenberg", "footnotes", "page-numbers"}
    with pytest.raises(InputError, match="did you mean 'footnotes'"):
        parse_kinds("footnote")


def test_plan_and_speak_list_what_is_not_read_and_include_reads_it(tmp_path):
    src = tmp_path / "tiny.md"
    src.write_text(MARKDOWN, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["plan", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "not read: footnotes" in result.output and "15 words in 2 pieces" in result.output
    meta = json.loads((tmp_path / "out" / "book.json").read_text(encoding="utf-8"))
    assert [(r["kind"], r["where"], r["words"]) for r in meta["skipped"]] == kinds_at(load_book(src))
    said = runner.invoke(main, ["speak", str(src), "--include", "footnotes"])
    assert said.exit_code == 0, said.output
    lines = said.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "A very dark night indeed." in line)
    assert "dark night" in lines[at - 1] and "She went in" in lines[at + 1]
    plain = runner.invoke(main, ["speak", str(src)])
    assert "A very dark night indeed." not in plain.stdout and "not read: footnotes" in plain.stderr
    bad = runner.invoke(main, ["speak", str(src), "--include", "notes"])
    assert bad.exit_code == 2 and "unknown kind 'notes'" in bad.output and "Traceback" not in bad.output
    assert "--include" in runner.invoke(main, ["plan", "--help"]).output


def test_cast_settings_include_reads_a_kind_back(tmp_path):
    src = tmp_path / "tiny.md"
    src.write_text(MARKDOWN, encoding="utf-8")
    cast = tmp_path / "cast.yaml"
    cast.write_text("settings:\n  include: [footnotes]\n", encoding="utf-8")
    said = CliRunner().invoke(main, ["speak", str(src), "--cast", str(cast)])
    assert said.exit_code == 0, said.output
    assert "A very dark night indeed." in said.stdout
    cast.write_text("settings:\n  include: [footnots]\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["speak", str(src), "--cast", str(cast)])
    assert bad.exit_code != 0 and "settings.include: unknown kind 'footnots'" in bad.output
    assert "Traceback" not in bad.output


def test_markdown_gutenberg_header_and_licence_are_left_out_and_listed(tmp_path):
    src = tmp_path / "pg.md"
    src.write_text(
        "The Project Gutenberg eBook of Tiny\n\nThis ebook is for the use of anyone anywhere.\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK TINY ***\n\nProduced by Volunteers\n\n"
        f"## One\n\n{PROSE}\n\n## Two\n\n{PROSE}\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK TINY ***\n\n"
        "Updated editions will replace the previous one. See the **Project Gutenberg License**.\n",
        encoding="utf-8")
    book = load_book(src)
    assert [c.title for c in book.chapters] == ["One", "Two"]
    assert "Gutenberg" not in words(book) and "Volunteers" not in words(book)
    assert [(k, w) for k, w, _ in kinds_at(book)] == [("gutenberg", "before chapter 1"), ("gutenberg", "after chapter 2")]
    back = include_skipped(book, {"gutenberg"})
    assert back.chapters[-1].title == "Project Gutenberg" and "Project Gutenberg License" in words(back)


def test_every_word_included_back_is_planned_in_order(tmp_path, keeper):
    from render.pipeline import BookOptions, plan_book
    from render.text.coverage import coverage

    src = tmp_path / "tiny.txt"
    src.write_text(TEXT, encoding="utf-8")
    for source, back in ((src, "Produced by Volunteers"), (keeper, "There were ninety-nine of them.")):
        plan = plan_book(source, BookOptions(out=tmp_path / "out", include=("all",)), write=False)
        assert skipped_rows(plan.book) == []
        cv = coverage(plan.book, plan.chunks)
        assert cv.lost == () and cv.extra == 0
        said = " ".join(c.text for c in plan.chunks)
        assert back in said and "Gutenberg" in said
