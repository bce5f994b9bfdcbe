"""Who leaves the scene (render/script/stage_moves.exits, rule 'exit-leaves'): a character the
narration says has gone is no longer the one a 'he'/'she' tag finds on stage."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.characters import Character, CharacterIndex
from render.script.quote_model import disabled_rules
from render.script.resolve import Resolver
from render.script.stage_moves import exits

from .test_script_salience import speakers as book_speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[CastMember("Ash Marlow", aliases=["Ash"], gender="male"),
                                                        CastMember("Tom Bay", aliases=["Tom"], gender="male"),
                                                        CastMember("Wren Hollis", aliases=["Wren"], gender="female")])


def speakers(paragraphs: list[str], disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    """(speaker, rule) of each quote in a one-chapter book of these paragraphs, with CAST."""
    return book_speakers(paragraphs, CAST, disabled)


def _exits(text: str) -> list[str]:
    res = Resolver(CharacterIndex([Character("Ash Marlow", {"Ash"}, "male"), Character("Tom Bay", {"Tom"}, "male")]),
                   allow_new=False)
    return exits(res, text, 0, len(text))


def test_an_exit_told_in_the_pluperfect_is_read():
    assert _exits("When Tom had gone, Ash sat down again.") == ["Tom Bay"]
    assert _exits("Tom was gone, and the room was quiet.") == ["Tom Bay"]
    assert _exits("When the others had left, and Tom gone to bed, Ash lit the lamp.") == ["Tom Bay"]
    assert _exits("As soon as Tom had left the room, Ash laughed.") == ["Tom Bay"]


def test_moving_within_the_scene_or_being_told_of_is_not_an_exit():
    assert _exits("Tom had gone on talking for an hour.") == []  # went on, did not go
    assert _exits("Tom had gone over to the window.") == []
    assert _exits("Tom had left his hat on the chair.") == []  # put down, not departed
    assert _exits("Ash saw that Tom went out.") == []  # the simple past may take the story with him
    assert _exits("Ash had not noticed Tom was gone.") == []  # Tom is the object of what Ash noticed


def test_a_he_said_tag_after_a_man_has_gone_is_the_one_who_stayed():
    book = ["Ash, Tom and Wren sat by the fire.",
            "When Tom had gone to bed, the fire burned low.",
            '"The boat is ready," he said.']
    assert speakers(book) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, frozenset({"exit-leaves"})) == [("Tom Bay", "pronoun-verb-after")]


def test_a_simple_past_exit_is_read_only_in_a_when_clause():
    assert _exits("When Tom went out, Ash sat down again.") == ["Tom Bay"]
    assert _exits("Soon after Tom left the room, Ash laughed.") == ["Tom Bay"]
    assert _exits("Tom went out into the yard, and whistled.") == []  # the story may follow him
    with disabled_rules({"exit-when"}):
        assert _exits("When Tom went out, Ash sat down again.") == []
        assert _exits("When Tom had gone, Ash sat down again.") == ["Tom Bay"]


def test_a_he_said_tag_after_a_when_clause_exit_is_the_one_who_stayed():
    book = ["Ash, Tom and Wren sat by the fire.",
            "When Tom went away, the fire burned low.",
            '"The boat is ready," he said.']
    assert speakers(book) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, frozenset({"exit-when"})) == [("Tom Bay", "pronoun-verb-after")]
