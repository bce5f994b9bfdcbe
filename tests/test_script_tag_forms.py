"""Session 16 tag forms: a description after an opening adjunct ('After a pause, her brother said,')
or opening a sentence whose verb the speech verb joins ('Her brother rose, and said,'), rule
'possessive-subject'; a description opening a clause after a conjunction, whose verb the speech verb
joins ('when he had done, his sister kissed him, and said,'), rule 'possessive-clause'."""

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
