"""'"Not tonight," answered her son.' when the one who shares her name is nowhere in the scene
and the man at her side is: the relative on stage ('kin-on-stage', render/script/kin_stage.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mrs. Dale", aliases=["Dale"], gender="female"),
    CastMember("Kit Dale", aliases=["Kit"], gender="male"),
    CastMember("Owen Marsh", aliases=["Owen"], gender="male")])

SCENE = ['Mrs. Dale sat by the fire. Owen Marsh stood at the window with his hat in his hand.',
         '"You will stay for supper?" asked Mrs. Dale.',
         '"Not tonight," answered her son.']


def test_her_son_is_the_man_in_the_scene():
    assert speakers(SCENE, CAST)[-1] == ("Owen Marsh", "nominal-verb-after")


def test_without_the_rule_the_namesake_off_stage_answers():
    got = speakers(SCENE, CAST, disabled=frozenset({"kin-on-stage"}))
    assert got[-1] == ("Kit Dale", "nominal-verb-after")


def test_a_mother_is_grown():
    """'her mother' is not a girl of the scene: with no married woman on stage the resolver's
    own pick stands."""
    cast = Cast(narrator=CastMember("narrator"), characters=[
        CastMember("Miss Ivy Lark", aliases=["Ivy"], gender="female"),
        CastMember("Mrs. Penn", gender="female"),
        CastMember("Tod Penn", aliases=["Tod"], gender="male")])
    scene = ['Tod Penn and Ivy walked up the lane together.',
             '"We shall have tea at the mill," said his mother.']
    assert speakers(scene, cast)[-1] == ("Mrs. Penn", "nominal-verb-after")
