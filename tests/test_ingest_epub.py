"""EPUB ingestion: tiny EPUB 2 and 3 books built in the test, broken packages, and the dev data."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from render.book import HEADING, PARAGRAPH, SCENE_BREAK
from render.errors import InputError
from render.ingest import load_book

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
EPUBS = SHARED / "epub"
needs_shared = pytest.mark.skipif(not EPUBS.is_dir(), reason="../shared/data is absent")

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>{title}</title></head><body>{body}</body></html>"""

PROSE = "The keeper climbed the stairs and trimmed the wick, as she had done every night for years."


def build_epub(path: Path, docs: dict[str, str], *, version: str = "2.0", toc=None, nav=None, spine=None,
               title="The Keeper", author="A. Writer", language="en-GB", mimetype_first=True, container=CONTAINER) -> Path:
    """Write a small EPUB: docs maps file name -> body XHTML; toc is [(label, href)] for an NCX."""
    spine = spine or list(docs)
    items = "".join(f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(docs))
    refs = "".join(f'<itemref idref="d{list(docs).index(name)}"/>' for name in spine)
    extra_items = ""
    files = {}
    if toc is not None:
        points = "".join(
            f'<navPoint id="p{i}" playOrder="{i + 1}"><navLabel><text>{label}</text></navLabel><content src="{href}"/></navPoint>'
            for i, (label, href) in enumerate(toc)
        )
        files["OEBPS/toc.ncx"] = (
            '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
            f"<docTitle><text>{title}</text></docTitle><navMap>{points}</navMap></ncx>"
        )
        extra_items += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    if nav is not None:
        links = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in nav)
        files["OEBPS/nav.xhtml"] = XHTML.format(title="Contents", body=f'<nav epub:type="toc"><h1>Contents</h1><ol>{links}</ol></nav>')
        extra_items += '<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>'
    toc_attr = ' toc="ncx"' if toc is not None else ""
    files["OEBPS/content.opf"] = (
        f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><dc:language>{language}</dc:language>"
        '<dc:identifier id="id">x</dc:identifier></metadata>'
        f"<manifest>{items}{extra_items}</manifest><spine{toc_attr}>{refs}</spine></package>"
    )
    for name, body in docs.items():
        files[f"OEBPS/{name}"] = XHTML.format(title=name, body=body)
    if container is not None:
        files["META-INF/container.xml"] = container
    with zipfile.ZipFile(path, "w") as zf:
        if mimetype_first:
            zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        if not mimetype_first:
            zf.writestr("mimetype", "application/epub+zip")
    return path


def spoken(book) -> str:
    return "\n".join(b.text for c in book.chapters for b in c.blocks)


@pytest.fixture
def gutenberg_epub2(tmp_path) -> Path:
    body = (
        '<div class="pgheader">The Project Gutenberg EBook of The Keeper. This eBook is for the use of anyone '
        "anywhere under the terms of the Project Gutenberg License.<br/>*** START OF THIS PROJECT GUTENBERG EBOOK THE KEEPER ***</div>"
        '<h1 id="t">THE KEEPER</h1><h2 id="toc">Contents</h2>'
        '<table><tr><td><a href="text.xhtml#c1">CHAPTER I.</a></td><td>The Lamp</td></tr>'
        '<tr><td><a href="text.xhtml#c2">CHAPTER II.</a></td><td>The Storm</td></tr></table>'
        f'<h2 id="c1">CHAPTER I. The Lamp</h2><p>{PROSE}</p><p>She said <i>nothing</i> at all.</p>'
        '<div class="pgmonospaced">  *    *    *    *  <br/></div><p>Morning came.</p>'
        f'<h2 id="c2">CHAPTER II. The Storm</h2><p><span class="pagenum">[Pg 7]</span>{PROSE}</p><hr/><p>Then quiet.</p>'
        '<div class="pgheader">End of the Project Gutenberg EBook of The Keeper<br/>'
        "*** END OF THIS PROJECT GUTENBERG EBOOK THE KEEPER ***<br/>Section 1. General Terms of Use of the Project Gutenberg License</div>"
    )
    toc = [("THE KEEPER", "text.xhtml#t"), ("Contents", "text.xhtml#toc"),
           ("CHAPTER I. The Lamp", "text.xhtml#c1"), ("CHAPTER II. The Storm", "text.xhtml#c2")]
    return build_epub(tmp_path / "keeper.epub", {"text.xhtml": body}, toc=toc)


def test_epub2_ncx_splits_one_document_at_anchors(gutenberg_epub2):
    book = load_book(gutenberg_epub2)
    assert (book.title, book.author, book.language) == ("The Keeper", "A. Writer", "en")
    assert [c.title for c in book.chapters] == ["CHAPTER I. The Lamp", "CHAPTER II. The Storm"]
    one, two = book.chapters
    assert [b.kind for b in one.blocks] == [PARAGRAPH, PARAGRAPH, SCENE_BREAK, PARAGRAPH]
    assert one.blocks[1].text == "She said nothing at all."
    assert [b.kind for b in two.blocks] == [PARAGRAPH, SCENE_BREAK, PARAGRAPH]
    assert two.blocks[0].text == PROSE  # the page number is not read
    assert "Gutenberg" not in spoken(book)
    assert book.kind == "prose" and book.text is None


def test_epub3_nav_cover_titlepage_and_linear_no(tmp_path):
    docs = {
        "cover.xhtml": '<img src="cover.jpg" alt="Cover"/>',
        "title.xhtml": '<section epub:type="titlepage"><h1>The Keeper</h1><p>A novel in two nights, with a long subtitle that goes on.</p></section>',
        "notes.xhtml": f"<p>{PROSE} (auxiliary)</p>",
        "one.xhtml": f'<section epub:type="chapter"><h1>Night One</h1><p>{PROSE}</p><h2>Later</h2><p>Rain fell.</p></section>',
        "two.xhtml": f'<section epub:type="chapter"><h1>Night Two</h1><p>{PROSE}</p><aside epub:type="footnote"><p>A note.</p></aside></section>',
    }
    path = build_epub(tmp_path / "k3.epub", docs, version="3.0", nav=[("Title", "title.xhtml"), ("Night One", "one.xhtml"), ("Night Two", "two.xhtml")],
                      spine=["cover.xhtml", "title.xhtml", "one.xhtml", "two.xhtml"], language="fr-CA")
    book = load_book(path)
    assert book.language == "fr"
    assert [c.title for c in book.chapters] == ["Night One", "Night Two"]
    assert [(b.kind, b.text) for b in book.chapters[0].blocks] == [(PARAGRAPH, PROSE), (HEADING, "Later"), (PARAGRAPH, "Rain fell.")]
    assert "A note." not in spoken(book) and "auxiliary" not in spoken(book)


def test_number_only_toc_entries_join_the_title_that_follows(tmp_path):
    body = f'<h2 id="n1">I</h2><h3 id="t1">THE MARKET</h3><p>{PROSE}</p><h2 id="n2">II</h2><h3 id="t2">THE BRIDGE</h3><p>{PROSE}</p>'
    toc = [("I", "a.xhtml#n1"), ("THE MARKET", "a.xhtml#t1"), ("II", "a.xhtml#n2"), ("THE BRIDGE", "a.xhtml#t2")]
    book = load_book(build_epub(tmp_path / "n.epub", {"a.xhtml": body}, toc=toc))
    assert [c.title for c in book.chapters] == ["I. THE MARKET", "II. THE BRIDGE"]
    assert all(b.kind == PARAGRAPH for c in book.chapters for b in c.blocks)


def test_without_toc_chapters_come_from_headings(tmp_path):
    body = f"<h1>The Keeper</h1><h2>CHAPTER 1</h2><p>{PROSE}</p><h2>CHAPTER 2</h2><p>{PROSE}</p><h2>CHAPTER 3</h2><p>End.</p>"
    book = load_book(build_epub(tmp_path / "h.epub", {"a.xhtml": body, "b.xhtml": f"<p>{PROSE} Appendix.</p>"}))
    assert [c.title for c in book.chapters] == ["CHAPTER 1", "CHAPTER 2", "CHAPTER 3"]
    assert book.chapters[-1].blocks[-1].text.endswith("Appendix.")


def test_toc_pointing_at_files_still_splits_several_chapters_in_one_file(tmp_path):
    body = f"<h2>CHAPTER I.</h2><p>{PROSE}</p><h2>CHAPTER II.</h2><p>{PROSE}</p>"
    book = load_book(build_epub(tmp_path / "s.epub", {"a.xhtml": body}, toc=[("Part One", "a.xhtml")]))
    assert [c.title for c in book.chapters] == ["Part One", "CHAPTER II."]


def test_recovers_mimetype_not_first_and_missing_container(tmp_path):
    docs = {"a.xhtml": f"<h1>One</h1><p>{PROSE}</p>"}
    book = load_book(build_epub(tmp_path / "m.epub", docs, toc=[("One", "a.xhtml")], mimetype_first=False))
    assert [c.title for c in book.chapters] == ["One"]
    book = load_book(build_epub(tmp_path / "c.epub", docs, toc=[("One", "a.xhtml")], container=None))
    assert spoken(book) == PROSE


def test_html_entities_and_sloppy_markup_fall_back_to_the_html_parser(tmp_path):
    docs = {"a.xhtml": "<h1>One</h1><p>Caf&eacute;&nbsp;au lait<br>and <b>toast</p>" + f"<p>{PROSE}</p>"}
    book = load_book(build_epub(tmp_path / "e.epub", docs, toc=[("One", "a.xhtml")]))
    assert book.chapters[0].blocks[0].text == "Café au lait and toast"


def _garbage_opf(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("META-INF/container.xml", CONTAINER)
        zf.writestr("OEBPS/content.opf", b"\x00\x01 not xml at all <<<")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b"PK\x03\x04 this is not really a zip"), "not"),
        (lambda p: p.write_text("hello"), "not a ZIP"),
        (lambda p: build_epub(p, {"a.xhtml": '<img src="p1.jpg"/>'}), "no readable text"),
        (lambda p: build_epub(p, {"a.xhtml": ""}), "no readable text"),
        (lambda p: _garbage_opf(p), "no readable text|not well-formed"),
    ],
)
def test_broken_files_give_one_line_input_errors(tmp_path, make, message):
    path = tmp_path / "bad.epub"
    make(path)
    with pytest.raises(InputError, match=message) as info:
        load_book(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_corrupt_member_data_is_an_input_error(tmp_path):
    path = build_epub(tmp_path / "x.epub", {"a.xhtml": f"<p>{PROSE * 20}</p>"})
    data = bytearray(path.read_bytes())
    start = data.find(b"OEBPS/a.xhtml") + len("OEBPS/a.xhtml")
    data[start + 10 : start + 60] = b"\xff" * 50  # clobber the compressed stream
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=str(path).replace(".", r"\.")):
        load_book(path)


# ---- development data (../shared/data/epub) --------------------------------------------------

ALICE_PG_TITLES = [
    "CHAPTER I. Down the Rabbit-Hole", "CHAPTER II. The Pool of Tears", "CHAPTER III. A Caucus-Race and a Long Tale",
    "CHAPTER IV. The Rabbit Sends in a Little Bill", "CHAPTER V. Advice from a Caterpillar", "CHAPTER VI. Pig and Pepper",
    "CHAPTER VII. A Mad Tea-Party", "CHAPTER VIII. The Queen’s Croquet-Ground", "CHAPTER IX. The Mock Turtle’s Story",
    "CHAPTER X. The Lobster Quadrille", "CHAPTER XI. Who Stole the Tarts?", "CHAPTER XII. Alice’s Evidence",
]
# epub.js's Alice is the abridged 1916 Sam'l Gabriel edition: ten chapters, as its nav lists them.
ALICE_EPUBJS_TITLES = [
    "Down The Rabbit-Hole", "The Pool Of Tears", "A Caucus-Race And A Long Tale", "The Rabbit Sends In A Little Bill",
    "Advice From A Caterpillar", "Pig And Pepper", "A Mad Tea-Party", "The Queen's Croquet Ground", "Who Stole The Tarts?",
    "Alice's Evidence",
]


@needs_shared
def test_alice_gutenberg_epub2():
    book = load_book(EPUBS / "pirmd_epub" / "pg11-images.epub")
    assert [c.title for c in book.chapters] == ALICE_PG_TITLES
    assert (book.title, book.author, book.language) == ("Alice's Adventures in Wonderland", "Lewis Carroll", "en")
    text = spoken(book)
    assert "Gutenberg" not in text and "License" not in text and "Contents" not in text
    assert book.chapters[0].blocks[0].text.startswith("Alice was beginning to get very tired")
    assert book.chapters[-1].blocks[-1].text == "THE END"


@needs_shared
def test_alice_epub3():
    book = load_book(EPUBS / "epubjs" / "alice_epub3.epub")
    assert [c.title for c in book.chapters] == ALICE_EPUBJS_TITLES
    assert book.chapters[0].blocks[0].text.startswith("Alice was beginning to get very tired")
    assert "Copyright" not in spoken(book)


@needs_shared
@pytest.mark.parametrize(
    "name, count, first, last",
    [
        ("pirmd_epub/pg1661-images.epub", 12, "ADVENTURE I. A SCANDAL IN BOHEMIA", "XII. THE ADVENTURE OF THE COPPER BEECHES"),
        ("pirmd_epub/pg12783-images.epub", 28, "LES MÉMOIRES D'UN ÂNE", "CONCLUSION"),
        ("pirmd_epub/pg54873.epub", 48, "CHAPITRE PREMIER UN ÉCUEIL FUYANT.", "Au lecteur."),
        ("pirmd_epub/pg4791-images.epub", 46, "VOYAGE AU CENTRE DE LA TERRE", "XLV"),
        ("pirmd_epub/pg50398.epub", 18, "PRÉFACE", "VOYAGE A TRAVERS LA TERRE ET AUTRES AVENTURES REMARQUABLES."),
        ("pirmd_epub/pg23962-images.epub", 90, "第一回 靈根育孕源流出 心性修持大道生", None),
        ("pirmd_epub/pg29052.epub", 1, None, None),
        ("pirmd_epub/Row-Your-Boat-2.0.epub", 1, "Row, Row, Row Your Boat", None),
        ("pirmd_epub/Row-Your-Boat-3.0.epub", 1, "Row, Row, Row Your Boat", None),
        ("epubjs/moby-dick_epub3.epub", 138, "ETYMOLOGY.", "Epilogue"),
    ],
)
def test_other_dev_books(name, count, first, last):
    book = load_book(EPUBS / name)
    titles = [c.title for c in book.chapters]
    assert len(titles) == count
    assert first is None or titles[0] == first
    assert last is None or titles[-1] == last
    assert all(c.blocks and any(b.kind == PARAGRAPH for b in c.blocks) for c in book.chapters)
    lowered = spoken(book).lower()
    assert "project gutenberg" not in lowered and "gutenberg license" not in lowered
    assert not any(p.lower().startswith("table des mati") for p in titles)


def _bad_files():
    if not EPUBS.is_dir():
        return []
    return sorted((EPUBS / "bad").rglob("*.epub"))


def _epubcheck_verdicts() -> dict[str, str]:
    with open(EPUBS / "bad" / "epubcheck" / "EXPECTED.tsv", newline="", encoding="utf-8") as f:
        return {row["file"]: row["expected_epubcheck_result"] for row in csv.DictReader(f, delimiter="\t")}


@needs_shared
@pytest.mark.parametrize("path", _bad_files(), ids=lambda p: p.name)
def test_bad_files_give_a_book_or_one_line_input_error(path):
    try:
        book = load_book(path)
    except InputError as exc:
        message = str(exc)
        assert str(path) in message and "\n" not in message
        verdict = _epubcheck_verdicts().get(path.name, "error") if path.parent.name == "epubcheck" else "error"
        assert "error" in verdict or "fatal" in verdict, f"EPUBCheck finds {path.name} valid, it should ingest"
        return
    assert book.chapters and all(c.blocks for c in book.chapters)
    if path.parent.name == "epubcheck":
        assert spoken(book) == "Call me Ishmael."


@needs_shared
def test_epubcheck_valid_and_warning_files_ingest():
    verdicts = _epubcheck_verdicts()
    for name, verdict in verdicts.items():
        if "error" not in verdict.split("|")[0] and "fatal" not in verdict.split("|")[0]:
            book = load_book(EPUBS / "bad" / "epubcheck" / name)
            assert spoken(book) == "Call me Ishmael.", name


@needs_shared
@pytest.mark.parametrize(
    "name, message",
    [
        ("edge/corrupt_zero_bytes_pirmd.epub", "empty"),
        ("edge/alice_without_cover_epubjs.epub", "no readable text"),
        ("edge/page-blanche_fixed-layout_images-only_fr.epub", "no readable text"),
        ("epubcheck/epub2__ocf-opf-missing-fatal.epub", "no OPF package document"),
        ("epubcheck/epub2__opf-manifest-item-missing-error.epub", "no readable text"),
    ],
)
def test_unreadable_dev_files(name, message):
    with pytest.raises(InputError, match=message):
        load_book(EPUBS / "bad" / name)


def test_drm_encrypted_text_is_refused(tmp_path):
    path = build_epub(tmp_path / "drm.epub", {"a.xhtml": f"<p>{PROSE}</p>"})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(
            "META-INF/encryption.xml",
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
            '<enc:EncryptedData><enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>',
        )
    with pytest.raises(InputError, match="DRM"):
        load_book(path)


def test_nested_toc_keeps_the_hierarchy_of_repeated_titles(tmp_path):
    """'Book Two, Chapter 2', not two chapters both titled 'Chapter 2' (an NCX nested by book)."""
    import zipfile

    docs = {f"{b}{c}.xhtml": f"<h2>Chapter {c}</h2><p>{PROSE}</p>" for b in "ab" for c in "12"}
    path = build_epub(tmp_path / "n.epub", docs, toc=[("x", "a1.xhtml")])

    def point(n, label, src, kids=""):
        return (f'<navPoint id="p{n}" playOrder="{n}"><navLabel><text>{label}</text></navLabel>'
                f'<content src="{src}"/>{kids}</navPoint>')
    books = "".join(point(n, name, f"{b}1.xhtml", point(n + 1, "Chapter 1", f"{b}1.xhtml")
                          + point(n + 2, "Chapter 2", f"{b}2.xhtml"))
                    for n, name, b in ((1, "Book One", "a"), (4, "Book Two", "b")))
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    ncx = files["OEBPS/toc.ncx"].decode()
    files["OEBPS/toc.ncx"] = (ncx[:ncx.index("<navMap>") + 8] + books + "</navMap></ncx>").encode()
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", files.pop("mimetype"))
        for name, data in files.items():
            z.writestr(name, data)
    titles = [c.title for c in load_book(path).chapters]
    # each book's entry and its first chapter share a file: that file is the book's first chapter
    assert titles == ["Book One", "Book One, Chapter 2", "Book Two", "Book Two, Chapter 2"], titles
