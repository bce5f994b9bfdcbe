"""Tag forms of sessions 16 and 17: a description after an opening adjunct ('After a pause, her brother said,')
or opening a sentence whose verb the speech verb joins ('Her brother rose, and said,'), rule
'possessive-subject'; a description opening a clause after a conjunction, whose verb the speech verb
joins ('when he had done, his sister kissed him, and said,'), rule 'possessive-clause'; a remark its
subject makes, ending the sentence ('She then made her usual remark, which was'), rule
'remark-made-tag'."""

from __future__ import annotations

import pytest

from render.script.quote_model import disabled_rules
from render.script.tags import tag_before


def _np(narration: str, off: str | None = None) -> str | None:
    with disabled_rules({off} if off else set()):
        tag = tag_before(narration)
    return tag.np if tag is not None else None


@pytest.mark.parametrize("narration, np", [
    ("Nell could not answer. After a short pause, her brother added,", "her brother"),
    ("At length, his cousin said:", "his cousin"),
    ("Her brother now rose from the bench, and said,", "Her brother"),
    ("His uncle talked for a while about the old mill by the river, and then said,", "His uncle"),
])
def test_a_description_opening_its_clause_is_the_speech_verbs_subject(narration, np):
    assert _np(narration) == np
    assert _np(narration, "possessive-subject") != np


@pytest.mark.parametrize("narration, np", [
    ("Ash was silent. Her brother rose, and Nell said,", "Nell"),  # a later subject wins
    ("He looked at his sister, and said,", "He"),  # the description is an object
])
def test_a_description_does_not_displace_the_subject(narration, np):
    assert _np(narration) == np


@pytest.mark.parametrize("narration, np", [
    ("Ash read the letter to the end; and when he had done, his sister kissed him, and said,", "his sister"),
    ("When Nell heard it she laughed, but her mother only shook her head and said,", "her mother"),
])
def test_a_description_opening_a_clause_after_a_conjunction_shares_the_joined_verb(narration, np):
    assert _np(narration) == np
    assert _np(narration, "possessive-clause") != np


def test_the_voice_opening_a_clause_is_its_owners():
    assert _np("Nell opened the door, and her voice rose, and said,") == "Nell"


@pytest.mark.parametrize("narration, np", [
    ("Nell looked at the sky over the bay. She then made her usual remark, which was", "She"),
    ("Feeling that it was his due, he forced out of himself the awkward question:", "he"),
    ("Ash turned round and put the question,", "Ash"),
])
def test_a_remark_its_subject_makes_introduces_the_quote(narration, np):
    assert _np(narration) == np
    assert _np(narration, "remark-made-tag") != np


@pytest.mark.parametrize("narration", [
    "Nell heard the remark:",  # perceived
    "He recalled her answer:",  # remembered: the colon-subject rule may still read 'He', not this one
    "He could not answer her question,",  # negated, and hers
    "It was a strange question:",  # no one's act
    "Nell made her usual remark.",  # a full stop: told, not handed over
])
def test_a_remark_perceived_remembered_negated_or_told_is_not_made_here(narration):
    with disabled_rules({"colon-subject"}):
        assert tag_before(narration) is None or tag_before(narration).verb != "remark"
