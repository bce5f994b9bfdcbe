"""'She shrugged, and said she was tired.': a narration paragraph whose last sentence reports
what someone said or thought, with no 'that', tells it; it introduces no one's speech, so the
next paragraph's quote is not given to its 'she' ('reported-clause'): render/script/tag_rules.py."""

from __future__ import annotations

from render.script.tag_rules import _reports_clause

from .test_script_aside_pronoun import PAIR  # Ada and Hugh Pike
from .test_script_salience import speakers

# Hugh offers tea; Ada's refusal is told, and the next words are Hugh's
TOLD = ['Ada Pike and Hugh Pike sat in the cold parlour.',
        '"Will you have some tea?" said Hugh.',
        'She shrugged, and said she was tired of tea.',
        '"Then you shall have coffee."']


def test_the_told_refusal_introduces_no_speech():
    assert speakers(TOLD, PAIR)[-1][0] == "Hugh Pike"


def test_without_the_rule_her_pronoun_takes_the_next_speech():
    assert speakers(TOLD, PAIR, disabled=frozenset({"reported-clause"}))[-1] == ("Ada Pike", "pronoun-verb-before")


def test_an_inverted_tag_is_not_a_reported_clause():
    assert not _reports_clause("Then, after a pause, said she.")
    assert _reports_clause("Hugh thought he was not.")
