"""'He came up, and holding out a note, which she took, said,': a 'he' or 'she' opening a relative
clause ('which she took', 'where she sat') closed before the speech verb is that clause's subject,
not the verb's ('closed-subordinate'): render/script/subjects.py."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.quote_model import disabled_rules
from render.script.tags import tag_before

from .test_script_salience import speakers

GREYS = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Nora Grey", aliases=["Nora"], gender="female"),
    CastMember("Paul Grey", aliases=["Paul"], gender="male")])

# Paul hands Nora a note and speaks; the 'she' of 'which she took' is only its taker
NOTE = ['Nora Grey waited by the gate while Paul Grey crossed the lawn.',
        'He reached the gate, and holding out a note, which she took at once, said quietly, '
        '"Read it when you are alone."']


def test_the_relative_clause_subject_is_not_the_speaker():
    assert speakers(NOTE, GREYS)[-1] == ("Paul Grey", "pronoun-verb-before")


def test_without_the_rule_the_clause_subject_speaks():
    assert speakers(NOTE, GREYS, disabled=frozenset({"closed-subordinate"}))[-1] == ("Nora Grey", "pronoun-verb-before")


def test_where_clause_after_a_fronted_phrase():
    """'In a moment he went to the window where she sat; and, smiling, said': 'he' speaks."""
    tag = tag_before("In a moment he went to the window where she sat; and, smiling, said, ")
    assert tag.np == "he"
    with disabled_rules({"closed-subordinate"}):
        assert tag_before("In a moment he went to the window where she sat; and, smiling, said, ").np == "she"


def test_a_clause_running_on_to_the_verb_keeps_its_subject():
    """'…, when Paul rushed in, and turning round, said': 'when' is not a relative word; Paul speaks."""
    tag = tag_before("Nora was reading, when Paul rushed in, and turning to her, said, ")
    assert tag.np == "Paul"
