"""A tag's speaker without what the pattern swept in after it: a dash running into the quote
('cried her brother--"you talk so loudly"') and an adverb of time ('continued her mother soon
afterwards') are no part of the description ('np-tail', render/script/tag_phrases.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.quote_model import disabled_rules
from render.script.tags import tag_after

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Kate Dale", aliases=["Kate"], gender="female"),
    CastMember("Ned Dale", aliases=["Ned"], gender="male"),
    CastMember("Tom Ash", aliases=["Tom"], gender="male")])

# Kate talks with Tom on the bank; her brother breaks in from the water
BANK = ['Kate Dale and Tom Ash sat on the bank while Ned Dale fished below them.',
        '"The trout are shy today," said Kate.',
        '"No wonder, Kate," cried her brother--"you talk so loudly."']


def test_a_dash_after_the_description_is_dropped():
    assert tag_after(' cried her brother--').np == "her brother"


def test_an_adverb_of_time_after_the_description_is_dropped():
    assert tag_after(' continued her mother soon afterwards, ').np == "her mother"
    assert tag_after(' said the old man.').np == "the old man"


def test_her_brother_breaks_in():
    assert speakers(BANK, CAST)[-1][0] == "Ned Dale"


def test_without_the_rule_the_tail_stays():
    with disabled_rules({"np-tail"}):
        assert tag_after(' cried her brother--').np == "her brother--"
    assert speakers(BANK, CAST, disabled=frozenset({"np-tail"}))[-1][0] != "Ned Dale"
