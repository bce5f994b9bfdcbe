"""'said the old lady' is a married woman on stage ('Mrs. Rook') before a Miss more salient than
she is (render/script/descriptions.py, rule 'old-lady-married')."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

ROOK_FENN = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mrs. Rook", gender="female"),
    CastMember("Miss Fenn", gender="female"),
    CastMember("Tom Ash", aliases=["Tom"], gender="male")])

# Miss Fenn came in last, so she is the most salient woman; 'the old lady' is still Mrs. Rook
SCENE = ['Mrs. Rook sat knitting by the window.', 'Miss Fenn came in with the letters.',
         '"The post is late again," said the old lady.']


def test_the_old_lady_is_the_married_woman():
    assert speakers(SCENE, ROOK_FENN)[-1] == ("Mrs. Rook", "nominal-verb-after")


def test_without_the_rule_the_old_lady_is_the_most_salient_lady():
    got = speakers(SCENE, ROOK_FENN, disabled=frozenset({"old-lady-married"}))
    assert got[-1] == ("Miss Fenn", "nominal-verb-after")


def test_the_lady_without_old_keeps_the_most_salient():
    """'the lady' says nothing of age: the rule leaves it to salience."""
    scene = [*SCENE[:2], '"The post is late again," said the lady.']
    assert speakers(scene, ROOK_FENN)[-1] == ("Miss Fenn", "nominal-verb-after")
