"""Rule 'voice-named-after': 'said a small voice, and Nell stepped out' is Nell's voice."""

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


TEXT = ('Mrs. Wren and Ash walked down to the boats in the dark.\n\n'
        '"Is anyone there?" called Ash.\n\n'
        '"Only me," said a small voice at his elbow, and Nell stepped out of the shadow.\n')


def test_an_unnamed_voice_is_the_one_the_narration_then_names():
    assert _said(TEXT)[-1] == "Nell Wren"
    assert _said(TEXT, frozenset({"voice-named-after"}))[-1] != "Nell Wren"


def test_a_name_after_a_preposition_is_not_the_voice():
    text = TEXT.replace("and Nell stepped out of the shadow", "in reply to a whistle from Nell")
    assert _said(text)[-1] != "Nell Wren"
