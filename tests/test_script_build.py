"""build_script: prose lines with speakers, and screenplays read as cued (golden files)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from render.book import (ACTION, DIALOGUE, HEADING, PARAGRAPH, SCENE_BREAK, SCENE_HEADING, TRANSITION, Block,
                         Book, Chapter)
from render.script import UNRESOLVED, build_script, discover_cast
from render.script import model as M
from render.script.build import extension_hint, screenplay_genders
from render.script.cast import Cast, CastMember, load_cast

from .conftest import shared

GOLDEN = Path(__file__).parent / "fixtures" / "script"


def prose_book(text: str, title: str = "One") -> Book:
    blocks = []
    for m in re.finditer(r"(?:[^\n]+\n?)+", text):
        s, e = m.start(), m.start() + len(m.group(0).rstrip("\n"))
        blocks.append(Block(PARAGRAPH, " ".join(text[s:e].split()), start=s, end=e))
    return Book("Test", Path("test.txt"), [Chapter(1, title, blocks)], text=text)


CAST = Cast(narrator=CastMember("narrator"),
            characters=[CastMember("Wren Hollis", ["Wren"], "female"), CastMember("Ash Marlow", ["Ash"], "male")])


# --- prose ---------------------------------------------------------------------------------


def test_prose_lines_split_quotes_from_narration():
    script = build_script(prose_book('"The tide," said Wren, "is\nturning."\n\nAsh nodded.'), CAST)
    lines = script.chapters[0].lines
    assert [(ln.kind, ln.speaker, ln.text) for ln in lines] == [
        (M.HEADING, M.NARRATOR, "One"),
        (M.DIALOGUE, "Wren Hollis", "The tide,"),
        (M.NARRATION, M.NARRATOR, "said Wren,"),
        (M.DIALOGUE, "Wren Hollis", "is turning."),
        (M.NARRATION, M.NARRATOR, "Ash nodded."),
    ]
    assert [ln.block for ln in lines] == [-1, 0, 0, 0, 1]
    assert lines[1].rule == "explicit-verb-after"
    assert script.characters == {"Wren Hollis": "female"}


def test_a_first_person_narrators_quotes_share_the_narration_voice_unless_the_cast_gives_one():
    text = '"Shut the door," said I.\n\n"It is shut," said Wren.'
    for voice, expected in ((None, M.NARRATOR), ("am_adam", "Watson")):
        cast = Cast(narrator=CastMember("narrator"), characters=[
            CastMember("Watson", ["I"], "male", voice=voice), CastMember("Wren Hollis", ["Wren"], "female")])
        script = build_script(prose_book(text), cast)
        speakers = [ln.speaker for ln in script.chapters[0].lines if ln.kind == M.DIALOGUE]
        assert speakers == [expected, "Wren Hollis"]
        assert ("Watson" in script.characters) == (voice is not None)


def test_line_offsets_point_into_the_source():
    text = 'Ash came in.\n\n"Shut the door," said Wren.'
    lines = build_script(prose_book(text), CAST).chapters[0].lines
    quote = next(ln for ln in lines if ln.kind == M.DIALOGUE)
    assert text[quote.start:quote.end] == "Shut the door,"


def test_unresolved_quote_is_read_by_the_narrator_and_marked():
    lines = build_script(prose_book('"Who goes there?"'), CAST).chapters[0].lines
    assert (lines[1].speaker, lines[1].kind, lines[1].rule, lines[1].confidence) == (
        M.NARRATOR, M.DIALOGUE, UNRESOLVED, 0.0)


def test_chapter_heading_block_is_not_read_twice():
    book = Book("T", Path("t.md"), [Chapter(1, "The Storm", [
        Block(HEADING, "The Storm"), Block(PARAGRAPH, "It rained."), Block(SCENE_BREAK, ""),
        Block(PARAGRAPH, "It stopped.")])])
    lines = build_script(book, None).chapters[0].lines
    assert [(ln.kind, ln.text, ln.block) for ln in lines] == [
        (M.HEADING, "The Storm", 0), (M.NARRATION, "It rained.", 1), (M.NARRATION, "It stopped.", 3)]


def test_punctuation_only_narration_is_dropped():
    lines = build_script(prose_book('"Go!" -- "Now!" said Wren.'), CAST).chapters[0].lines
    assert all(any(c.isalnum() for c in ln.text) for ln in lines)


def test_without_text_offsets_blocks_are_used_as_they_are():
    book = Book("T", Path("t.epub"), [Chapter(1, "I", [Block(PARAGRAPH, '"Hello," said Wren.')])])
    lines = build_script(book, None).chapters[0].lines
    assert lines[1].speaker == "Wren" and lines[1].start is None


# --- screenplays ---------------------------------------------------------------------------


def screenplay(*blocks: Block) -> Book:
    return Book("S", Path("s.fountain"), [Chapter(1, "S", list(blocks))], kind="screenplay")


def test_screenplay_dialogue_action_scene_and_transition():
    book = screenplay(
        Block(SCENE_HEADING, "INT. BOATHOUSE - NIGHT"),
        Block(ACTION, "WREN mends a net. She hums."),
        Block(DIALOGUE, "Pass the twine.", speaker="WREN", direction="without looking up"),
        Block(DIALOGUE, "Here.", speaker="ASH", extension="O.S."),
        Block(TRANSITION, "CUT TO:"),
    )
    lines = build_script(book, CAST).chapters[0].lines
    assert [(ln.kind, ln.speaker, ln.text, ln.action, ln.scene) for ln in lines[1:]] == [
        (M.NARRATION, M.NARRATOR, "INT. BOATHOUSE - NIGHT", None, "INT. BOATHOUSE - NIGHT"),
        (M.NARRATION, M.NARRATOR, "WREN mends a net. She hums.", None, "INT. BOATHOUSE - NIGHT"),
        (M.DIALOGUE, "Wren Hollis", "Pass the twine.", "without looking up", "INT. BOATHOUSE - NIGHT"),
        (M.DIALOGUE, "Ash Marlow", "Here.", "Off-screen.", "INT. BOATHOUSE - NIGHT"),
    ]


def test_screenplay_cue_kept_as_written_without_a_cast():
    book = screenplay(Block(DIALOGUE, "Hi.", speaker="OLD SAM"))
    script = build_script(book, None)
    assert script.chapters[0].lines[1].speaker == "OLD SAM"
    assert script.characters == {"OLD SAM": "neutral"}


@pytest.mark.parametrize("ext, hint", [
    ("V.O.", "Voice-over."), ("O.S.", "Off-screen."), ("CONT'D", None), (None, None),
    ("V.O., CONT'D", "Voice-over."), ("into phone", "Into phone."),
])
def test_extension_hints(ext, hint):
    assert extension_hint(ext) == hint


def test_screenplay_genders_from_words_nouns_and_pronouns():
    book = screenplay(
        Block(ACTION, "WREN sorts charts. She hums. TOBIAS, the old ferryman, waits."),
        Block(DIALOGUE, "a", speaker="WREN"), Block(DIALOGUE, "b", speaker="TOBIAS"),
        Block(DIALOGUE, "c", speaker="LITTLE GIRL"), Block(DIALOGUE, "d", speaker="SAM"),
    )
    assert screenplay_genders(book) == {"WREN": "female", "TOBIAS": "male", "LITTLE GIRL": "female",
                                        "SAM": "neutral"}


def test_screenplay_gender_from_a_parenthetical_pronoun():
    book = screenplay(
        Block(ACTION, "SAM leans on the counter."),
        Block(DIALOGUE, "It broke again.", speaker="SAM", direction="rubbing his knee"),
        Block(DIALOGUE, "Again?", speaker="ALEX", direction="without looking up"),
    )
    assert screenplay_genders(book) == {"SAM": "male", "ALEX": "neutral"}


def test_discover_cast_of_a_screenplay_counts_cues():
    book = screenplay(Block(DIALOGUE, "a", speaker="WREN"), Block(DIALOGUE, "b", speaker="WREN"),
                      Block(DIALOGUE, "c", speaker="ASH"))
    assert [(c.name, c.quotes) for c in discover_cast(book)] == [("WREN", 2), ("ASH", 1)]


# --- golden Fountain files: x.fountain beside x.lines.json ---------------------------------


def _lines(script) -> list[list]:
    return [[ln.kind, ln.speaker, ln.text, ln.action, ln.scene] for c in script.chapters for ln in c.lines]


@pytest.mark.parametrize("source", sorted(GOLDEN.glob("*.fountain")), ids=lambda p: p.stem)
def test_golden_fountain(source: Path):
    from render.ingest import load_book

    cast_file = source.with_suffix(".cast.yaml")
    script = build_script(load_book(source), load_cast(cast_file) if cast_file.exists() else None)
    expected_file = source.with_suffix(".lines.json")
    got = _lines(script)
    if os.environ.get("UPDATE_GOLDEN") or not expected_file.exists():
        rows = ",\n".join(" " + json.dumps(row, ensure_ascii=False) for row in got)
        expected_file.write_text("[\n" + rows + "\n]\n", encoding="utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


# --- the shared Fountain fixtures: cues exact, nothing else spoken ---------------------------


def _fountain_sources():
    try:
        root = shared("fountain")
    except pytest.skip.Exception:
        return []
    return sorted(root.glob("samples/*.fountain")) + sorted(root.glob("screenplain_tests/*.fountain"))


@pytest.mark.parametrize("source", _fountain_sources() or [None], ids=lambda p: p.stem if p else "absent")
def test_shared_fountain_every_cue_exact_and_nothing_else_spoken(source):
    if source is None:
        pytest.skip("development data not present")
    from render.ingest import load_book

    book = load_book(source)
    script = build_script(book, None)
    for chapter, sc in zip(book.chapters, script.chapters):
        allowed = {" ".join(b.text.split()) for b in chapter.blocks if b.kind in (DIALOGUE, ACTION, SCENE_HEADING)}
        by_block = {ln.block: ln for ln in sc.lines}
        for bi, b in enumerate(chapter.blocks):
            if b.kind == DIALOGUE and b.text.strip():
                assert by_block[bi].speaker == b.speaker.strip() and by_block[bi].kind == M.DIALOGUE
        for ln in sc.lines:
            if ln.kind != M.HEADING:
                assert ln.text in allowed


def test_tag_manner_becomes_the_lines_action():
    lines = build_script(prose_book('"Hush," whispered Wren.\n\n"Why?" said Ash.'), CAST).chapters[0].lines
    assert [ln.action for ln in lines if ln.kind == M.DIALOGUE] == ["Whispering.", None]
