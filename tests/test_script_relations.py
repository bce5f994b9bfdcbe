"""'cried the doctor' on the turn after one doctor spoke is the other doctor on stage
('title-other-bearer', render/script/relations.py)."""

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
