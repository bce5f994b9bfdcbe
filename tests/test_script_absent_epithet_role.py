"""'said the young man' when the cast lists an unnamed 'A Young Man' from another scene: a
description of looks names whoever of that kind the scene holds, not a role who is off stage
('absent-epithet-role', render/script/descriptions.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tom Bay", aliases=["Tom"], gender="male"),
    CastMember("Wren Hollis", aliases=["Wren"], gender="female"),
    CastMember("A Young Man", gender="male"),
    *[CastMember(f"{n} Dale", aliases=[n], gender="female") for n in ("Ann", "Bea", "Cora", "Dot", "Eve", "Fay", "Gwen", "Hope")]])

# a young man at the fair says one line early on; eight women pass by and, much later, Tom talks
# with Wren: the young man at the fair is no longer on stage
SCENE = ['At the fair a young man held out a ticket.',
         '"Your ticket, miss," said the young man.',
         *[f'{n} walked home in the rain.' for n in ("Ann", "Bea", "Cora", "Dot", "Eve", "Fay", "Gwen", "Hope")],
         'Tom came in and shook the water from his hat.',
         '"Is it still raining?" said Wren.',
         '"Harder than ever," said the young man.']


def test_the_young_man_is_the_man_in_the_scene():
    got = speakers(SCENE, CAST)
    assert got[0] == ("A Young Man", "nominal-verb-after")
    assert got[-1] == ("Tom Bay", "nominal-verb-after")


def test_without_the_rule_the_cast_role_answers():
    got = speakers(SCENE, CAST, disabled=frozenset({"absent-epithet-role"}))
    assert got[-1] == ("A Young Man", "nominal-verb-after")
