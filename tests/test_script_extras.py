"""Rules 'group-speech' and 'unnamed-speaker': a line spoken by several people at once ('murmured
the crowd', 'both cried') or by someone the book never names ('said one of the fishermen') goes
to no character (the narrator reads it). Invented texts, read with the small Wren household of
tests/wren_family.py."""

from __future__ import annotations

import re
from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.cast import Cast, CastMember
from render.script.model import NARRATOR
from render.script.extras import GROUP, UNNAMED, extra_kind, untagged_extra
from tests.wren_family import ASH, MOTHER, NELL

from .test_script_pdnc import _eval_module

OFF = frozenset({GROUP, UNNAMED})


def _book(text: str) -> Book:
    blocks = [Block(PARAGRAPH, " ".join(m.group(0).split()), start=m.start(), end=m.end())
              for m in re.finditer(r"(?:[^\n]+\n?)+", text)]
    return Book("Test", Path("t.txt"), [Chapter(1, "One", blocks)], text=text)


def decided(text: str, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    """(speaker, rule) of each quote, read with the Wren household as the cast."""
    cast = Cast(narrator=CastMember("narrator"), characters=[ASH, MOTHER, NELL])
    return [(r["speaker"], r["rule"]) for r in attribute_quotes(_book(text), cast, disabled=disabled)]


CROWD = ('Ash and Nell stood before the harbour board in the square.\n\n'
         '"We ask only for the old boat," said Ash.\n\n'
         '"Never!" murmured the crowd.\n\n'
         '"Then we will build one," said Nell.\n')


def test_a_crowd_speaks_as_no_character():
    assert decided(CROWD)[1] == (None, GROUP)
    assert decided(CROWD, OFF)[1][0] is not None  # without the rule a named character says it


def test_both_cried_is_a_group():
    text = CROWD.replace('"Never!" murmured the crowd.', '"Never?" both cried.')
    assert decided(text)[1] == (None, GROUP)
    assert decided(text, OFF)[1][0] is not None


def test_one_of_a_group_is_unnamed():
    text = ('Ash and Nell walked down to the boats, where the fishermen sat mending nets.\n\n'
            '"Is the tide turning?" asked Nell.\n\n'
            '"Within the hour," said one of the fishermen.\n\n'
            '"Then we must hurry," said Ash.\n')
    assert decided(text)[1] == (None, UNNAMED)
    assert decided(text, OFF)[1][0] is not None


def test_the_words_after_the_tag_go_with_it():
    text = CROWD.replace('"Never!" murmured the crowd.', '"Never!" murmured the crowd. "Not while we stand."')
    assert decided(text)[1:3] == [(None, GROUP), (None, GROUP)]


def test_a_voice_a_sentence_after_a_full_stop_or_a_cast_name_are_left_to_the_tag_rules():
    assert extra_kind("a gruff voice") is None  # often a character not yet seen
    assert untagged_extra(" The ladies agreed.", None) is None  # a sentence of its own, no tag
    assert extra_kind("the farmer of infants") is None  # one farmer
    assert extra_kind("the hostess") is None  # a singular in -ss
    assert extra_kind("one woman") == UNNAMED and extra_kind("the two women") == GROUP
    # a cast entry spelt so names them
    one = CastMember("One Of The Fishermen", gender="male")
    text = ('Ash walked down to the boats.\n\n"Is the tide turning?" asked Ash.\n\n'
            '"Within the hour," said one of the fishermen.\n')
    cast = Cast(narrator=CastMember("narrator"), characters=[ASH, one])
    assert [r["speaker"] for r in attribute_quotes(_book(text), cast)][-1] == "One Of The Fishermen"


def test_the_script_reads_a_crowd_line_with_the_narrator_voice():
    from render.script import build_script

    cast = Cast(narrator=CastMember("narrator"), characters=[ASH, MOTHER, NELL])
    lines = [ln for ch in build_script(_book(CROWD), cast).chapters for ln in ch.lines if "Never" in ln.text]
    assert lines and lines[0].rule == GROUP and lines[0].speaker == NARRATOR


def test_the_arbiter_leaves_a_crowd_line_alone():
    from render.script.arbiter import eligible
    from render.script.quote_model import make_para
    from render.script.quotes import segment

    p = make_para(1, 0, '"Never!" murmured the crowd.', 0, segment('"Never!" murmured the crowd.', "double"))
    assert p.quotes[0].leave_unvoiced(GROUP) and not eligible(p.quotes[0])
    assert not p.quotes[0].decide("Ash Marlow", "turn-taking")  # no later rule gives it a speaker


def test_the_eval_scores_a_group_line_as_pdnc_group_and_keeps_unnamed_apart():
    ev = _eval_module()
    aliases = ev.AliasTable([{"name": "_group", "aliases": []}, {"name": "_unknowable", "aliases": []},
                             {"name": "Ash", "aliases": []}])
    gold = [{"id": "Q0", "spans": [(0, 8)], "speaker": "_group", "type": "Anaphoric", "text": "", "ref": ""},
            {"id": "Q1", "spans": [(20, 28)], "speaker": "_group", "type": "Anaphoric", "text": "", "ref": ""}]
    recs = [{"start": 0, "end": 8, "speaker": None, "rule": GROUP, "confidence": 0.0},
            {"start": 20, "end": 28, "speaker": None, "rule": UNNAMED, "confidence": 0.0}]
    assert ev.evaluate(recs, gold, aliases)["accuracy"] == 0.5



def test_the_other_after_one_unnamed_woman_is_unnamed_too():
    text = ('A crowd gathered round Ash and Nell in the lane.\n\n'
            '"Shame on him!" said one woman.\n\n'
            '"Go home, do," said the other.\n\n'
            '"I am going," replied Ash.\n')
    assert [s for s, _ in decided(text)] == [None, None, "Ash Marlow"]
    assert decided(text)[1] == (None, UNNAMED)
    assert decided(text, frozenset({"unnamed-correlative"}))[1][0] is not None
    # in a named exchange 'the other' is still the partner
    named = 'Ash and Nell sat by the fire.\n\n"Shall we go?" said Ash.\n\n"Not yet," said the other.\n'
    assert decided(named)[-1] == ("Nell Wren", "alternation")


def test_a_gentleman_in_a_gruff_voice_is_a_gentleman_not_a_voice():
    text = ('Ash stood before the harbour board.\n\n"I want the boat," said Ash.\n\n'
            '"You shall have none," said another gentleman in a gruff voice.\n')
    assert decided(text)[-1] == (None, UNNAMED)


TWO_WOMEN = ('Ash stood at the door of the cottage.\n\n'
             '"We saw the boat go out that night," said one woman.\n\n'
             '"Aye," said the other, nodding slowly. "We saw it."\n\n'
             '"Then tell the harbour master," said Ash.\n')


def test_the_words_after_an_unnamed_speakers_tag_are_theirs_too():
    """Rule 'extra-continued': '"…," said the other, looking round. "No, no."' -- the second
    part of an unnamed speaker's line is theirs, not a named character's."""
    assert decided(TWO_WOMEN)[:3] == [(None, UNNAMED)] * 3
    assert decided(TWO_WOMEN, frozenset({"extra-continued"}))[2][0] is not None
