"""Mentions of characters by noun phrase: a cast role named by a plain noun ('The Son', 'The
Lad') against the people of the scene, a role's word used as a title ('Master Charles Bates'),
indefinite noun phrases ('a servant') and kin by marriage ('her husband')."""

from __future__ import annotations

from render.script.characters import Character, CharacterIndex

from .test_script_attribution import cast_of, speakers


# a minor person the cast lists by a plain noun, beside the main characters
WITH_SON = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                   ("The Son", "male", ["The Son"]))
WITH_LAD = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                   ("The Lad", "male", ["The Lad"]))


def test_a_plain_noun_role_off_stage_tags_the_man_on_stage():
    """'said the son' with Ash in the scene and the cast's 'The Son' nowhere near it is Ash."""
    text = 'Wren looked up as Ash came in.\n\n"You are late," said Wren.\n\n"I was kept," said the son.'
    assert speakers(text, WITH_SON)[1][0] == "Ash Marlow"


def test_a_plain_noun_role_is_itself_when_no_one_else_of_that_sex_is_on_stage():
    text = 'Wren sat alone by the fire.\n\n"Who is there?" said Wren.\n\n"Only me," said the son.'
    assert speakers(text, WITH_SON)[1][0] == "The Son"


def test_a_plain_noun_role_on_stage_is_itself():
    text = ('Ash sat by the fire. The son came in.\n\n"Good evening," said Ash.\n\n'
            '"Good evening, father," said the son.')
    assert speakers(text, WITH_SON)[1][0] == "The Son"


def test_a_plain_noun_in_narration_is_the_man_of_the_scene_not_an_absent_role():
    """'The lad laughed at her. / "…," he said.': with Ash on stage and the cast's 'The Lad'
    not, the lad is Ash, and so is 'he'."""
    text = 'Ash and Wren sat by the fire.\n\nThe lad laughed at her.\n\n"You are slow," he said.'
    assert speakers(text, WITH_LAD)[0][0] == "Ash Marlow"


def _surfaces(index: CharacterIndex, text: str) -> list[str]:
    return [surface for _, _, surface in index.mentions(text)]


def test_a_role_word_set_before_a_name_is_that_names_title():
    """'The Master' answers to 'Master!' alone, but 'Master Charles Bates' is Bates, titled."""
    index = CharacterIndex([Character("The Master", {"The Master"}, "male"),
                            Character("Charley Bates", {"Bates"}, "male")])
    assert _surfaces(index, "Master Charles Bates laughed.") == ["Bates"]
    assert _surfaces(index, '"Yes, Master," said he, and the Master nodded.') == ["Master", "the Master"]


def test_an_indefinite_noun_phrase_is_not_a_mention_of_a_role_the_cast_names_with_the():
    """'a servant' brings in someone new, or anyone: not the cast's 'The Servant'. A role
    described by more than its noun ('The Stout Man') is introduced so ('a stout man'), and an
    alias written with 'a' ('A Gryphon') is met so."""
    index = CharacterIndex([Character("The Servant", {"The Servant"}, "male"),
                            Character("The Stout Man", {"The Stout Man"}, "male"),
                            Character("The Gryphon", {"A Gryphon"}, "male")])
    assert _surfaces(index, "A servant took it before the servant came back.") == ["the servant"]
    assert _surfaces(index, "There stood a stout man, and a Gryphon lay asleep.") == ["a stout man", "a Gryphon"]


MUSGROVES = cast_of(("Mr. Musgrove", "male", ["Mr. Musgrove"]), ("Mrs Musgrove", "female", ["Mrs Musgrove"]),
                    ("Charles Musgrove", "male", ["Charles Musgrove"]), ("Mary Musgrove", "female", ["Mary"]))


def test_her_husband_is_not_the_one_married_to_another_woman_of_the_family():
    """Mrs Musgrove is Mr. Musgrove's wife, so Mary's husband is the other Musgrove man."""
    text = ('Mary sat with Mr. Musgrove and Charles Musgrove.\n\n"We must go," said Mary.\n\n'
            '"Very well," said her husband.')
    assert speakers(text, MUSGROVES)[1][0] == "Charles Musgrove"


OAKLEYS = cast_of(("Maurice Oakley", "male", ["Maurice", "Oakley"]), ("Francis Oakley", "male", ["Frank"]),
                  ("Leslie", "female", ["Mrs. Oakley", "Leslie"]))


def test_her_husband_is_the_man_called_by_the_bare_family_name():
    """Neither Oakley man is titled; the one the book calls plain 'Oakley' is Mrs. Oakley's
    husband, though his brother was named last."""
    text = ('Maurice came in. Frank was reading.\n\n"He ought to know," said Mrs. Oakley.\n\n'
            '"By no means," replied her husband.')
    assert speakers(text, OAKLEYS)[1][0] == "Maurice Oakley"
