"""Rules 'lost-apostrophe' ('answered Nell s mamma': a possessive whose apostrophe the text lost)
and 'nursery-kin' ('Nell's mamma' is her mother)."""

from __future__ import annotations

import re
from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.cast import Cast, CastMember


def _said(text: str, disabled: frozenset[str] = frozenset()) -> list[str | None]:
    blocks = [Block(PARAGRAPH, " ".join(m.group(0).split()), start=m.start(), end=m.end())
              for m in re.finditer(r"(?:[^\n]+\n?)+", text)]
    book = Book("Test", Path("t.txt"), [Chapter(1, "One", blocks)], text=text)
    cast = Cast(narrator=CastMember("narrator"),
                characters=[CastMember("Ash Marlow", aliases=["Ash"], gender="male"),
                            CastMember("Mrs. Wren", gender="female"),
                            CastMember("Nell Wren", aliases=["Nell"], gender="female")])
    return [r["speaker"] for r in attribute_quotes(book, cast, disabled=disabled)]


TEXT = ('Ash found Nell and her mother on the terrace after dinner.\n\n'
        '"Are you going to the lake to-morrow?" asked Ash.\n\n'
        '"Oh, not with this wind," answered Nell s mamma.\n')


def test_a_possessive_that_lost_its_apostrophe_is_read():
    assert _said(TEXT)[-1] == "Mrs. Wren"
    assert _said(TEXT, frozenset({"lost-apostrophe"}))[-1] == "Nell Wren"


def test_mamma_is_the_mother():
    text = TEXT.replace("Nell s mamma", "Nell's mamma")
    assert _said(text)[-1] == "Mrs. Wren"
    assert _said(text, frozenset({"nursery-kin"}))[-1] != "Mrs. Wren"
