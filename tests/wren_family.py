"""A small invented household for the tag-rule tests: Ash Marlow, Nell Wren and her mother, and the
speakers the rules give a text read with them as the cast."""

from __future__ import annotations

import re
from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.cast import Cast, CastMember

ASH = CastMember("Ash Marlow", aliases=["Ash"], gender="male")
NELL = CastMember("Nell Wren", aliases=["Nell"], gender="female")
MOTHER = CastMember("Mrs. Wren", gender="female")


def said(text: str, disabled: frozenset[str] = frozenset(),
         people: tuple[CastMember, ...] = (ASH, MOTHER, NELL)) -> list[str | None]:
    """Each quote's speaker, one paragraph per blank-line-separated block of text."""
    blocks = [Block(PARAGRAPH, " ".join(m.group(0).split()), start=m.start(), end=m.end())
              for m in re.finditer(r"(?:[^\n]+\n?)+", text)]
    book = Book("Test", Path("t.txt"), [Chapter(1, "One", blocks)], text=text)
    cast = Cast(narrator=CastMember("narrator"), characters=list(people))
    return [r["speaker"] for r in attribute_quotes(book, cast, disabled=disabled)]
