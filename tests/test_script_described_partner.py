"""A plain description tagging a new turn of a two-party exchange ('said the man' answering the
woman) is the party being answered (render/script/descriptions.py, 'described-partner')."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

WREN_ASH_ROOK = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Wren Hollis", aliases=["Wren"], gender="female"),
    CastMember("Ash Marlow", aliases=["Ash"], gender="male"),
    CastMember("Rook Dale", aliases=["Rook"], gender="male")])

# 'the man' was Rook's earlier in the chapter; now Wren talks with Ash, the man on the fore
SCENE = ['Rook came up the lane and met Wren.',
         '"Good day," said the man.',
         '"Good day," said Wren.',
         'Ash came out of the house.',
         '"Is it far to the mill?" said Ash.',
         '"Not far," said Wren.',
         '"Then we walk," said the man.']


def test_the_man_answering_the_woman_is_the_man_she_answered():
    assert speakers(SCENE, WREN_ASH_ROOK)[-1] == ("Ash Marlow", "nominal-verb-after")


def test_without_the_rule_the_description_keeps_its_earlier_bearer():
    """The case the rule is for: the chapter's memory of 'the man' gives it to Rook."""
    got = speakers(SCENE, WREN_ASH_ROOK, disabled=frozenset({"described-partner"}))
    assert got[-1] == ("Rook Dale", "nominal-verb-after")


def test_between_two_of_one_sex_the_description_is_not_passed_to_the_other():
    """Ash and Rook talking, 'the man' on Ash's turn: the description fits both parties, so the
    rule leaves it to salience (Tom, just named) rather than hand it across the exchange to Rook."""
    cast = Cast(narrator=CastMember("narrator"), characters=[
        *WREN_ASH_ROOK.characters, CastMember("Tom Bay", aliases=["Tom"], gender="male")])
    scene = ['Ash stood by the gate with Rook.',
             '"Is it far?" said Ash.',
             '"Not far," said Rook.',
             '"Then we walk," said Ash. Tom had gone ahead an hour before.',
             '"As you like," said the man.']
    assert speakers(scene, cast)[-1] == ("Tom Bay", "nominal-verb-after")
