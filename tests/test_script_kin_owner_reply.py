"""'"…," was her husband's answer.': the speaker is the relative the possessive owns, not the woman
'her' stands for -- read as a description tag ('her husband') only with a cast, which says who her
husband is ('kin-owner-reply', render/script/tags.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.quote_model import disabled_rules
from render.script.tags import tag_after

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Nora Pell", aliases=["Nora", "Mrs. Pell"], gender="female"),
    CastMember("Amos Pell", aliases=["Amos", "Mr. Pell"], gender="male"),
    CastMember("Ida Crane", aliases=["Ida"], gender="female")])

# Nora and Ida talk by the stove; Nora's husband answers her from the door
KITCHEN = ['Nora Pell and Ida Crane sat by the stove while Amos Pell mended a chair at the door.',
           '"The roof will leak again tonight," said Nora.',
           '"Then I shall climb up at dawn," was her husband\'s answer.']


def test_the_kin_noun_owns_the_answer():
    tag = tag_after(" was her husband's answer.")
    assert (tag.np, tag.kind, tag.kin_owner) == ("her husband", "nominal", True)


def test_her_husband_answers():
    assert speakers(KITCHEN, CAST)[-1][0] == "Amos Pell"


def test_without_the_rule_the_answer_has_no_tag():
    with disabled_rules({"kin-owner-reply"}):
        assert tag_after(" was her husband's answer.") is None
    assert speakers(KITCHEN, CAST, disabled=frozenset({"kin-owner-reply"}))[-1][0] != "Amos Pell"
