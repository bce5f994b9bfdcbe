"""A description tag no one in the scene fits ('said the lady' with no woman named, meant or heard
for a dozen paragraphs) is the first woman the narration names ahead ('newcomer',
render/script/newcomers.py); and the bearer of an epithet ('the tall woman') is the one the
book gave it to only while she is still in the scene ('epithet-fresh', descriptions.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tom Bay", aliases=["Tom"], gender="male"),
    CastMember("Wren Hollis", aliases=["Wren"], gender="female"),
    CastMember("Nell Rook", aliases=["Nell"], gender="female")])

# Wren says goodbye early; long after, a lady comes up to Tom on the quay, and is named after
QUAY = ['Wren shut the gate and went up the lane.',
        *['Tom watched the tide come in over the flats.'] * 14,
        '"Cold tonight," said Tom to nobody.',
        '"Good evening," said the lady. "You will not remember me."',
        '"I do," said Tom.',
        'Nell Rook had not changed in twenty years.']


def test_the_lady_no_one_in_the_scene_fits_is_the_one_named_next():
    assert speakers(QUAY, CAST)[1][0] == "Nell Rook"


def test_without_the_rule_the_lady_is_the_woman_long_gone():
    assert speakers(QUAY, CAST, disabled=frozenset({"newcomer"}))[1][0] == "Wren Hollis"


def test_a_woman_in_the_scene_keeps_the_tag():
    quay = [*QUAY[:15], 'Wren came back down the lane.', *QUAY[15:]]
    assert speakers(quay, CAST)[1][0] == "Wren Hollis"


# Wren, the only woman there, is 'the tall woman' twice; long after, with Nell in the scene
TALL = ['Tom met Wren at the gate.',
        '"It is late," said the tall woman.', '"Far too late," said the tall woman.',
        *['Tom walked on by the river alone.'] * 14,
        'Nell waited by the mill with Tom.',
        '"You came," said the tall woman.']


def test_the_epithet_passes_to_the_woman_in_the_scene():
    assert speakers(TALL, CAST)[-1][0] == "Nell Rook"


def test_without_the_rule_the_epithet_keeps_its_old_bearer():
    assert speakers(TALL, CAST, disabled=frozenset({"epithet-fresh"}))[-1][0] == "Wren Hollis"
