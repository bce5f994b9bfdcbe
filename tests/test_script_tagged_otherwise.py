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


# Nell is 'the young lady' and then 'the young girl'; the only other woman in the scene is a
# married one, whom 'the young girl' cannot mean: so the two descriptions are one person.
CAST_MOTHER = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tom Bay", aliases=["Tom"], gender="male"),
    CastMember("Nell Rook", aliases=["Nell"], gender="female"),
    CastMember("Mrs. Rook", gender="female")])

ONE_GIRL = ['Tom met Nell at the gate.',
            '"I am late," said the young lady.',
            '"Not at all," said Tom, looking at Mrs. Rook on the porch.',
            '"Mother says I always am," said the young girl.']


def test_no_other_woman_fits_so_the_young_girl_is_the_young_lady():
    # without the check, the rule would shut Nell out and leave the tag unread (turn-taking
    # then guesses); with it, the tag itself names her
    got = speakers(ONE_GIRL, CAST_MOTHER)
    assert got[0] == ("Nell Rook", "nominal-verb-after")
    assert got[-1] == ("Nell Rook", "nominal-verb-after")
