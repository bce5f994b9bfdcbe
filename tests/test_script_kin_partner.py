"""'his mother' on a new turn is the mother of the one who just spoke ('kin-of-last-voice'):
render/script/descriptions.py."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

ASH_VANE = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tom Ash", aliases=["Tom"], gender="male"),
    CastMember("Mrs. Ash", gender="female"),
    CastMember("Jim Vane", aliases=["Jim"], gender="male"),
    CastMember("Mrs. Vane", gender="female")])

# Tom speaks; his mother answers, speaking of Jim
KIN = ['Mrs. Ash and Mrs. Vane sat by the fire.',
       '"Good evening," said Tom.',
       '"Jim Vane was here an hour ago," said his mother.']


def test_his_mother_on_a_new_turn_is_the_mother_of_the_one_who_spoke():
    assert speakers(KIN, ASH_VANE)[-1] == ("Mrs. Ash", "nominal-verb-after")


def test_without_the_rule_his_is_the_man_the_speech_names():
    got = speakers(KIN, ASH_VANE, disabled=frozenset({"kin-of-last-voice"}))
    assert got[-1] == ("Mrs. Vane", "nominal-verb-after")


def test_her_mother_after_a_man_is_left_to_the_other_rules():
    """The one who spoke is a man, so 'her' is not theirs: the rule does not decide."""
    scene = [*KIN[:2], '"Jim Vane was here an hour ago," said her mother.']
    assert speakers(scene, ASH_VANE)[-1] == \
        speakers(scene, ASH_VANE, disabled=frozenset({"kin-of-last-voice"}))[-1]
