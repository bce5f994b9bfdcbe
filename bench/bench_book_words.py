"""Only the book, all of the book: per EPUB and Markdown book in ../shared/data, words in the
source, in the ingested body, planned to be said, lost on the way, and boilerplate said.

    .venv/bin/python bench/bench_book_words.py [FILES...]

source  = every word in the file (EPUB: all XHTML text; Markdown: the file), boilerplate included
body    = words of the chapters ingest keeps (normalized as the planner does)
planned = words the plan's chunks say; lost = body words never said; extra = said twice/invented
boiler  = planned words that are boilerplate: Gutenberg header/licence, contents, lists of
          illustrations, copyright/colophon, index, '[Illustration]', bare page numbers
left out = words ingest listed as not read (book.json "skipped"), per kind: g gutenberg, f front matter,
          t contents, i illustrations, c copyright, x index, p page numbers, k captions, n notes
"""

from __future__ import annotations

import re
import sys
import time
import zipfile
from pathlib import Path

from lxml import html as lhtml

from render.errors import RenderError
from render.ingest import gutenberg
from render.ingest.skipped import skipped_totals
from render.pipeline import BookOptions, plan_book
from render.text.coverage import coverage

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_BOILER_TITLE = re.compile(r"^\s*(table of )?contents\b|list of (illustrations|plates)|^\s*index\s*$|colophon|"
                           r"copyright|licen[cs]e|gutenberg|^\s*illustrations\s*$", re.I)
_BOILER_TEXT = re.compile(r"project gutenberg|\[illustration|^\s*(page\s+)?\d+\s*$|all rights reserved", re.I)


_LETTER = {"gutenberg": "g", "front-matter": "f", "toc": "t", "illustrations": "i", "copyright": "c", "index": "x",
           "page-numbers": "p", "captions": "k", "footnotes": "n"}


def source_words(path: Path) -> int:
    if path.suffix == ".epub":
        total = 0
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.lower().endswith((".xhtml", ".html", ".htm")):
                    try:
                        body = lhtml.fromstring(z.read(name)).find(".//body")
                    except Exception:  # an unreadable member counts as no words
                        continue
                    total += len((body.text_content() if body is not None else "").split())
        return total
    return len(path.read_text(encoding="utf-8", errors="replace").split())


def boiler_words(plan) -> int:
    titles = {c.index: c.title for c in plan.book.chapters}
    n = 0
    for c in plan.chunks:
        if _BOILER_TITLE.search(titles.get(c.chapter, "")) or _BOILER_TEXT.search(c.text) \
                or gutenberg.is_boilerplate(c.text):
            n += len(c.text.split())
    return n


def main(paths: list[Path]) -> None:
    print(f"{'book':44} {'source':>8} {'body':>8} {'planned':>8} {'lost':>5} {'extra':>5} {'boiler':>6} "
          f"{'left out':>8}  s  by kind")
    for path in paths:
        t0 = time.monotonic()
        try:
            plan = plan_book(path, BookOptions(out=Path("/tmp/bench-book-words")), write=False)
        except RenderError as exc:
            print(f"{path.name[:44]:44} {'':>8} -- {str(exc)[:70]}")
            continue
        cv = coverage(plan.book, plan.chunks)
        kinds = skipped_totals(plan.book)
        short = " ".join(f"{_LETTER[k]}{n}" for k, n in kinds.items())
        print(f"{path.name[:44]:44} {source_words(path):8} {cv.body:8} {cv.spoken:8} {len(cv.lost):5} "
              f"{cv.extra:5} {boiler_words(plan):6} {sum(kinds.values()):8} {time.monotonic() - t0:3.0f}  {short}",
              flush=True)


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    if not args:
        args = sorted((DATA / "epub" / "pirmd_epub").glob("*.epub")) + sorted((DATA / "epub" / "epubjs").glob("*.epub")) \
            + sorted((DATA / "markdown").glob("*.md"))
    main(args)
