"""Rule 'demonstrative-speaker': 'said this young lady' names someone the narration just named."""

from __future__ import annotations

import re
from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.cast import Cast, CastMember
from render.script.tags import tag_after


def _book(text: str) -> Book:
    blocks = [Block(PARAGRAPH, " ".join(m.group(0).split()), start=m.start(), end=m.end())
              for m in re.finditer(r"(?:[^\n]+\n?)+", text)]
    return Book("Test", Path("t.txt"), [Chapter(1, "One", blocks)], text=text)


def test_a_demonstrative_before_a_person_noun_is_a_tag():
    tag = tag_after(" said this young lady calmly.")
    assert tag is not None and tag.np == "this young lady" and tag.kind == "nominal"
    assert tag_after(" cried that discreet lady.").np == "that discreet lady"
    assert tag_after(" said that he would.") is None  # 'that' opening what was said


def test_this_young_lady_is_the_one_the_last_sentence_named():
    text = ('Mrs. Wren sat by the fire and looked at Ash.\n\n'
            '"Ash, you are here at last," said Mrs. Wren.\n\n'
            '"I am," said Ash. He turned to Nell Wren, who stood by the window.\n\n'
            '"You are late again," said this young lady.\n')
    cast = Cast(narrator=CastMember("narrator"),
                characters=[CastMember("Ash Marlow", aliases=["Ash"], gender="male"),
                            CastMember("Mrs. Wren", gender="female"),
                            CastMember("Nell Wren", aliases=["Nell"], gender="female")])
    said = [r["speaker"] for r in attribute_quotes(_book(text), cast)]
    assert said[-1] == "Nell Wren"
    off = [r["speaker"] for r in attribute_quotes(_book(text), cast, disabled=frozenset({"demonstrative-speaker"}))]
    assert off[-1] != "Nell Wren"
