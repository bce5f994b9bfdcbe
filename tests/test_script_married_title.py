"""A married woman's title in descriptions (render/script/descriptions.py): 'said the old lady' is a
married woman on stage ('Mrs. Rook') before a Miss more salient than she is (rule
'old-lady-married'); 'said the girl' is not a woman whom a married title names ('Mrs. Fenn'),
when another woman on stage is not so titled (rule 'youth-noun')."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

ROOK_FENN = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mrs. Rook", gender="female"),
    CastMember("Miss Fenn", gender="female"),
    CastMember("Tom Ash", aliases=["Tom"], gender="male")])

# Miss Fenn came in last, so she is the most salient woman; 'the old lady' is still Mrs. Rook
OLD_LADY_SCENE = ['Mrs. Rook sat knitting by the window.', 'Miss Fenn came in with the letters.',
         '"The post is late again," said the old lady.']


def test_the_old_lady_is_the_married_woman():
    assert speakers(OLD_LADY_SCENE, ROOK_FENN)[-1] == ("Mrs. Rook", "nominal-verb-after")


def test_without_the_rule_the_old_lady_is_the_most_salient_lady():
    got = speakers(OLD_LADY_SCENE, ROOK_FENN, disabled=frozenset({"old-lady-married"}))
    assert got[-1] == ("Miss Fenn", "nominal-verb-after")


def test_the_lady_without_old_keeps_the_most_salient():
    """'the lady' says nothing of age: the rule leaves it to salience."""
    scene = [*OLD_LADY_SCENE[:2], '"The post is late again," said the lady.']
    assert speakers(scene, ROOK_FENN)[-1] == ("Miss Fenn", "nominal-verb-after")


FENN_HOLLIS = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mrs. Fenn", gender="female"),
    CastMember("Ada Hollis", aliases=["Ada"], gender="female"),
    CastMember("Tom Rook", aliases=["Tom"], gender="male")])

# Mrs. Fenn is named last, so she is the most salient woman; 'the girl' is still Ada
GIRL_SCENE = ['Ada came into the kitchen.', 'Mrs. Fenn was kneading dough by the fire.',
         '"The bread is burning," said the girl.']


def test_the_girl_is_not_the_married_woman():
    assert speakers(GIRL_SCENE, FENN_HOLLIS)[-1] == ("Ada Hollis", "nominal-verb-after")


def test_without_the_rule_the_girl_is_the_most_salient_woman():
    got = speakers(GIRL_SCENE, FENN_HOLLIS, disabled=frozenset({"youth-noun"}))
    assert got[-1] == ("Mrs. Fenn", "nominal-verb-after")


def test_the_married_woman_alone_on_stage_is_still_the_girl():
    """With no other woman on stage, the rule leaves the description to the others."""
    scene = ['Tom came into the kitchen.', *GIRL_SCENE[1:]]
    assert speakers(scene, FENN_HOLLIS)[-1] == ("Mrs. Fenn", "nominal-verb-after")
