"""'said the girl' is not a woman whom a married title names ('Mrs. Fenn'), when another woman on
stage is not so titled (render/script/descriptions.py, rule 'youth-noun')."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

FENN_HOLLIS = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mrs. Fenn", gender="female"),
    CastMember("Ada Hollis", aliases=["Ada"], gender="female"),
    CastMember("Tom Rook", aliases=["Tom"], gender="male")])

# Mrs. Fenn is named last, so she is the most salient woman; 'the girl' is still Ada
SCENE = ['Ada came into the kitchen.', 'Mrs. Fenn was kneading dough by the fire.',
         '"The bread is burning," said the girl.']


def test_the_girl_is_not_the_married_woman():
    assert speakers(SCENE, FENN_HOLLIS)[-1] == ("Ada Hollis", "nominal-verb-after")


def test_without_the_rule_the_girl_is_the_most_salient_woman():
    got = speakers(SCENE, FENN_HOLLIS, disabled=frozenset({"youth-noun"}))
    assert got[-1] == ("Mrs. Fenn", "nominal-verb-after")


def test_the_married_woman_alone_on_stage_is_still_the_girl():
    """With no other woman on stage, the rule leaves the description to the others."""
    scene = ['Tom came into the kitchen.', *SCENE[1:]]
    assert speakers(scene, FENN_HOLLIS)[-1] == ("Mrs. Fenn", "nominal-verb-after")
