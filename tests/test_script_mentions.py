"""Mentions of characters by noun phrase: a cast role named by a plain noun ('The Son', 'The
Lad') against the people of the scene, and indefinite noun phrases ('a servant')."""

from __future__ import annotations

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
