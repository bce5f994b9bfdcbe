"""'"…," replied the girl. / "…," cried the young lady.': a scene that tags one woman by a plain
noun and another by a noun of class means two people; 'the young lady' is not the one 'the girl'
stands for while she is still in the scene ('tagged-otherwise', render/script/descriptions.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tom Bay", aliases=["Tom"], gender="male"),
    CastMember("Nell Rook", aliases=["Nell"], gender="female"),
    CastMember("Ada Lane", aliases=["Ada"], gender="female")])

SCENE = ['Ada waited on the bridge with Tom.',
         'Nell came up the stairs.',
         '"I am late," said the girl.',
         '"Not at all," said Tom.',
         '"You are safe here," cried the young lady.']


def test_the_young_lady_is_not_the_girl():
    got = speakers(SCENE, CAST)
    assert got[0] == ("Nell Rook", "nominal-verb-after")
    assert got[-1] == ("Ada Lane", "nominal-verb-after")


def test_without_the_rule_the_young_lady_is_the_girl():
    got = speakers(SCENE, CAST, disabled=frozenset({"tagged-otherwise"}))
    assert got[-1] == ("Nell Rook", "nominal-verb-after")
