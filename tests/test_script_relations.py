"""Descriptions named through others (render/script/relations.py): 'cried the doctor' on the turn
after one doctor spoke is the other doctor on stage ('title-other-bearer'); 'said her aunt' is
the one her aunt was found to be before, not the one she was answering ('kin-memory')."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

DOCTORS = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Dr. Ivo Marsh", aliases=["Dr. Marsh"], gender="male"),
    CastMember("Dr. Pell", gender="male"),
    CastMember("Anna Lee", aliases=["Anna"], gender="female")])

WARD = ['Dr. Marsh and Dr. Pell stood by the window of the ward.',
        '"The fever has broken," said Dr. Marsh.',
        '"Then we may all sleep tonight," cried the doctor.']


def test_the_doctor_answering_a_doctor_is_the_other_one():
    assert speakers(WARD, DOCTORS)[-1][0] == "Dr. Pell"


def test_without_the_rule_the_doctor_is_the_one_who_just_spoke():
    assert speakers(WARD, DOCTORS, disabled=frozenset({"title-other-bearer"}))[-1][0] == "Dr. Ivo Marsh"


def test_the_doctor_going_on_in_his_own_paragraph_is_still_him():
    ward = [WARD[0], '"The fever has broken. Then we may all sleep tonight," said the doctor.']
    assert speakers(ward, DOCTORS)[-1][0] == "Dr. Ivo Marsh"


FAMILY = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Nora Vale", aliases=["Nora"], gender="female"),
    CastMember("Mrs. Hart", gender="female"),
    CastMember("Lucy Fenn", aliases=["Lucy"], gender="female")])

# Mrs. Hart, her aunt by marriage, is shown to be 'her aunt' first; then Lucy joins them
RIVER = ['Nora Vale walked with Mrs. Hart along the river.',
         '"How cold the wind is," said Nora.',
         '"Take my shawl, child," said her aunt.',
         'Lucy Fenn came down the path to meet them.',
         '"Are you walking to the mill?" asked Lucy.',
         '"Yes, we are," said Nora.',
         '"Then I shall come with you," said her aunt.']


def test_her_aunt_is_the_aunt_found_before():
    assert speakers(RIVER, FAMILY)[-1][0] == "Mrs. Hart"


def test_without_the_rule_her_aunt_is_the_one_she_answered():
    assert speakers(RIVER, FAMILY, disabled=frozenset({"kin-memory"}))[-1][0] == "Lucy Fenn"
