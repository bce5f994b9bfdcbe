"""Fountain ingestion: unit cases, golden files, and screenplain/Jouvence dev fixtures."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from render.book import ACTION, DIALOGUE, SCENE_HEADING, TRANSITION, Block
from render.ingest import load_book
from render.ingest.fountain import parse_fountain, strip_emphasis

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "fixtures" / "fountain"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FOUNTAIN = SHARED / "fountain"
needs_shared = pytest.mark.skipif(not FOUNTAIN.is_dir(), reason="../shared/data is absent")


def parse(text: str, name: str = "script.fountain"):
    return parse_fountain(text, Path(name))


def blocks(text: str) -> list[Block]:
    return [b for c in parse(text).chapters for b in c.blocks]


def spoken(book) -> str:
    """What a table read says aloud: action and dialogue."""
    return "\n".join(b.text for c in book.chapters for b in c.blocks if b.kind in (ACTION, DIALOGUE))


# ---- unit cases ------------------------------------------------------------------------------


def test_title_page_is_metadata_not_text():
    book = parse("Title:\n    _**NIGHT**_\n    **SHIFT**\nCredit: Written by\nAuthor: J. Doe\n\nINT. OFFICE - NIGHT\n\nQuiet.\n")
    assert (book.title, book.author, book.kind) == ("NIGHT SHIFT", "J. Doe", "screenplay")
    assert [c.title for c in book.chapters] == ["NIGHT SHIFT"]
    assert [(b.kind, b.text) for b in book.chapters[0].blocks] == [(SCENE_HEADING, "INT. OFFICE - NIGHT"), (ACTION, "Quiet.")]


def test_title_defaults_to_file_stem():
    book = parse("EXT. FIELD - DAY\n\nWind.\n", name="wide-field.fountain")
    assert book.title == "Wide Field" and book.chapters[0].title == "Wide Field"


def test_parentheticals_split_speech_into_directed_segments():
    got = blocks("BOB\n(quietly)\nHi.\n(beat)\nBye.\n")
    assert [(b.kind, b.speaker, b.text, b.direction) for b in got] == [
        (DIALOGUE, "BOB", "Hi.", "quietly"),
        (DIALOGUE, "BOB", "Bye.", "beat"),
    ]


def test_cue_extensions_are_kept_apart_from_the_speaker():
    got = blocks("MOM (O. S.)\nSupper!\n\nHANS (on the radio)\nHello?\n\nBOB (V.O.) (CONT'D)\nStill here.\n\n@McCLANE\nYippee.\n")
    assert [(b.speaker, b.extension) for b in got] == [("MOM", "O. S."), ("HANS", "on the radio"), ("BOB", "V.O., CONT'D"), ("McCLANE", None)]


def test_dual_dialogue_marks_both_speakers():
    got = blocks("GIRL\nHey!\n(waving)\nOver here!\n\nGUY ^\nHello!\n\nGIRL\nBye.\n")
    assert [(b.speaker, b.dual) for b in got] == [("GIRL", True), ("GIRL", True), ("GUY", True), ("GIRL", False)]


def test_transitions_centered_lyrics_and_forced_elements():
    got = blocks(
        "Walking.\n\nCUT TO:\n\n.flashback\n\n>THE END<\n\n>fade out\n\n~La la la\n\n"
        "SINGER\n~Oh my love\n\n!FORCED ACTION LINE\n\nNOT A TRANSITION TO:  \n\nWords.\n"
    )
    assert [(b.kind, b.text) for b in got] == [
        (ACTION, "Walking."),
        (TRANSITION, "CUT TO:"),
        (SCENE_HEADING, "flashback"),
        (ACTION, "THE END"),
        (TRANSITION, "fade out"),
        (ACTION, "La la la"),
        (DIALOGUE, "Oh my love"),
        (ACTION, "FORCED ACTION LINE"),
        (ACTION, "NOT A TRANSITION TO:"),
        (ACTION, "Words."),
    ]


def test_scene_numbers_and_headings_need_blank_lines():
    got = blocks("INT. HALL - DAY #4B#\n\nShe waits.\nINT. is not a heading here.\n")
    assert [(b.kind, b.text) for b in got] == [(SCENE_HEADING, "INT. HALL - DAY"), (ACTION, "She waits. INT. is not a heading here.")]


def test_notes_boneyard_sections_synopses_and_page_breaks_vanish():
    text = (
        "# ACT ONE\n\n= Synopsis words.\n\nINT. ROOM - DAY\n\nShe [[private note]]sits.\n[[a note line]]\nStill sitting.\n\n"
        "/* cut\nBOB\nOld line.\n*/\nBOB\nNew line.\n[[note inside dialogue]]\nMore line.\n\n===\n\n## Scene two\n\n# ACT TWO\n\nEnd.\n"
    )
    book = parse(text)
    assert [c.title for c in book.chapters] == ["ACT ONE", "ACT TWO"]
    said = spoken(book)
    for hidden in ("note", "Synopsis", "Old line", "cut", "===", "Scene two", "ACT"):
        assert hidden not in said
    assert [b.text for b in book.chapters[0].blocks[1:]] == ["She sits. Still sitting.", "New line. More line."]


def test_text_before_the_first_section_is_its_own_chapter():
    book = parse("Title: Cold Open\n\nEXT. ROAD - NIGHT\n\nHeadlights.\n\n# PART ONE\n\nMorning.\n")
    assert [c.title for c in book.chapters] == ["Cold Open", "PART ONE"]


def test_two_space_line_continues_dialogue():
    got = blocks("DEALER\nDealer gets a seven.\n  \nHit or stand sir?\n")
    assert [(b.speaker, b.text) for b in got] == [("DEALER", "Dealer gets a seven."), ("DEALER", "Hit or stand sir?")]


@pytest.mark.parametrize(
    "raw, plain",
    [("*italic* and **bold**", "italic and bold"), ("***both*** _under_", "both under"), (r"\*not\* emphasis", "*not* emphasis"),
     ("snake_case_word", "snake_case_word")],
)
def test_strip_emphasis(raw, plain):
    assert strip_emphasis(raw) == plain


def test_empty_script_is_an_input_error(tmp_path):
    from render.errors import InputError

    path = tmp_path / "empty.fountain"
    path.write_text("Title: Nothing\n\n[[only a note]]\n")
    with pytest.raises(InputError, match="no readable text"):
        load_book(path)


def test_spmd_suffix_and_bom(tmp_path):
    path = tmp_path / "x.spmd"
    path.write_bytes("\ufeffTitle: Boom\n\nINT. ROOM\n\nHi.\n".encode())
    assert load_book(path).title == "Boom"


# ---- golden files: tests/fixtures/fountain/x.fountain beside x.expected.json ------------------


def _as_json(book) -> dict:
    def block(b: Block) -> dict:
        out = {"kind": b.kind, "text": b.text}
        for key in ("speaker", "extension", "direction"):
            if getattr(b, key) is not None:
                out[key] = getattr(b, key)
        if b.dual:
            out["dual"] = True
        return out

    return {
        "title": book.title,
        "author": book.author,
        "chapters": [{"title": c.title, "blocks": [block(b) for b in c.blocks]} for c in book.chapters],
    }


@pytest.mark.parametrize("source", sorted(GOLDEN.glob("*.fountain")), ids=lambda p: p.stem)
def test_golden(source):
    expected_path = source.with_suffix(".expected.json")
    got = _as_json(load_book(source))
    if os.environ.get("UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip(f"wrote {expected_path.name}; review it and commit")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


# ---- screenplain samples: every dialogue word has the FDX character --------------------------


def _fdx(path: Path) -> dict[str, list]:
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    out: dict[str, list] = {"dialogue": [], "Scene Heading": [], "Transition": [], "Parenthetical": []}
    speaker = None
    for p in root.iter("Paragraph"):
        kind = p.get("Type")
        text = re.sub(r"\s+", " ", "".join("".join(t.itertext()) for t in p.findall("Text"))).strip()
        if kind == "Character":
            speaker = re.sub(r"\([^)]*\)", "", text).replace("^", "").strip()
        elif kind == "Dialogue":
            out["dialogue"] += [(speaker, w) for w in _words(text)]
        elif kind in out:
            out[kind].append(re.sub(r"[*_]", "", text).upper())
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", text)


SAMPLES = ["Brick-and-Steel", "Big-Fish", "The-Last-Birthday-Card"]


@needs_shared
@pytest.mark.parametrize("name", SAMPLES)
def test_samples_match_screenplain_fdx(name):
    book = load_book(FOUNTAIN / "samples" / f"{name}.fountain")
    gold = _fdx(FOUNTAIN / "samples" / f"{name}.fdx")
    every = [b for c in book.chapters for b in c.blocks]
    mine = [(b.speaker, w) for b in every if b.kind == DIALOGUE for w in _words(b.text)]
    assert mine == gold["dialogue"]
    assert [b.text.upper() for b in every if b.kind == SCENE_HEADING] == gold["Scene Heading"]
    assert [b.text.upper() for b in every if b.kind == TRANSITION] == gold["Transition"]
    assert [f"({b.direction})".upper() for b in every if b.kind == DIALOGUE and b.direction] == gold["Parenthetical"]


@needs_shared
@pytest.mark.parametrize("name", SAMPLES)
def test_samples_never_speak_hidden_text(name):
    path = FOUNTAIN / "samples" / f"{name}.fountain"
    source = path.read_text(encoding="utf-8")
    book = load_book(path)
    said = spoken(book)
    hidden = re.findall(r"\[\[(.*?)\]\]", source, re.S) + re.findall(r"/\*(.*?)\*/", source, re.S)
    hidden += re.findall(r"^\s*#+\s*(.+)$", source, re.M) + re.findall(r"^\s*=(?!==)\s*(.+)$", source, re.M)
    hidden += [b.text for c in book.chapters for b in c.blocks if b.kind == TRANSITION]
    visible = re.sub(r"\[\[.*?\]\]|/\*.*?\*/", "", source, flags=re.S)
    visible = re.sub(r"^\s*(#|=(?!==)).*$", "", visible, flags=re.M)
    for snippet in hidden:
        snippet = strip_emphasis(snippet)
        if len(snippet) >= 12 and snippet not in strip_emphasis(visible):  # not also ordinary text
            assert snippet not in said
    assert "[[" not in said and "/*" not in said
    if name == "The-Last-Birthday-Card":
        assert [c.title for c in book.chapters] == ["ACT I", "ACT II: A New Day", "ACT III: The Showdown"]


@needs_shared
def test_screenplain_feature_fixtures():
    folder = FOUNTAIN / "screenplain_tests"
    notes = load_book(folder / "notes.fountain")
    assert [b.text for c in notes.chapters for b in c.blocks][:4] == ["Before1 After1", "Before2 After2", "Before3 After3", "Multiple on one"]
    assert "Note as its own" not in spoken(notes) and "multiline" not in spoken(notes)
    dual = [b for c in load_book(folder / "dual-dialogue.fountain").chapters for b in c.blocks]
    assert [(b.speaker, b.dual) for b in dual] == [("GIRL", True), ("GUY", True)]
    sections = load_book(folder / "sections.fountain")
    assert [c.title for c in sections.chapters] == ["First level"]
    assert "Synopsis" not in spoken(sections) and "level" not in spoken(sections)
    ext = [b for c in load_book(folder / "dialogue-character-extension.fountain").chapters for b in c.blocks if b.kind == DIALOGUE]
    assert ext and all(b.extension and "(" not in b.speaker for b in ext)
    for path in sorted(folder.glob("*.fountain")):
        load_book(path)  # every fixture parses


def _jouvence_cases():
    if not FOUNTAIN.is_dir():
        return []
    import yaml

    cases = []
    for path in sorted((FOUNTAIN / "jouvence_tests").glob("*.yaml")):
        for n, case in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8"))):
            if case:
                cases.append(pytest.param(case, id=f"{path.stem}-{n}"))
    return cases


@needs_shared
@pytest.mark.parametrize("case", _jouvence_cases())
def test_jouvence_fixtures(case):
    """Same words with the same roles (scene, transition, action, who speaks) as Jouvence expects."""
    book = parse(case["in"])
    mine = []
    for b in (b for c in book.chapters for b in c.blocks):
        role = b.speaker if b.kind == DIALOGUE else b.kind
        mine += [(role, w) for w in _words(b.text)]
    expected = []
    speaker = None
    roles = {"!": ACTION, "~": ACTION, ".": SCENE_HEADING, ">": TRANSITION}
    for element in case.get("out") or []:
        code, text = element[:1], element[1:]
        if code == "@":
            speaker = re.sub(r"\([^)]*\)", "", text).strip()
        elif code == "=":
            expected += [(speaker, w) for w in _words(strip_emphasis(text))]
        elif code in roles:
            text = text[1:] if text.startswith("<") else text
            expected += [(roles[code], w) for w in _words(strip_emphasis(text))]
    assert mine == expected
    title = (case.get("title") or {}).get("title")
    if title:
        assert book.title == strip_emphasis(title)
