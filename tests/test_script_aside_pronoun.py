"""'"…," he added, as she laughed, "…"': narration between two speeches that opens with the first
one's own tag goes on about its speaker; a 'he' or 'she' in a clause it subordinates is no tag of
the second speech, which keeps the first one's speaker ('aside-pronoun'):
render/script/tag_rules.py."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

PAIR = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Ada Pike", aliases=["Ada"], gender="female"),
    CastMember("Hugh Pike", aliases=["Hugh"], gender="male")])

# Hugh teases Ada; her laugh comes between his two sentences
TEASE = ['Ada Pike sat sewing by the window while her cousin Hugh Pike read the paper.',
         '"You sew too much," said Hugh.',
         '"I like it," said Ada.',
         '"You ruin your eyes," he added, as she laughed at him, "and then you blame the lamp."']


def test_the_laugh_between_the_speeches_is_not_the_second_ones_tag():
    assert speakers(TEASE, PAIR)[-1] == ("Hugh Pike", "same-paragraph")


def test_without_the_rule_the_laughing_woman_speaks():
    assert speakers(TEASE, PAIR, disabled=frozenset({"aside-pronoun"}))[-1] == ("Ada Pike", "pronoun-verb-before")


# a new clause, not a subordinate one, hands the floor over: the rule leaves it alone
HANDED = ['Ada Pike sat sewing by the window while her cousin Hugh Pike read the paper.',
          '"You sew too much," said Hugh.',
          '"You ruin your eyes," he added; and she laughed and said, "I like it."']


def test_a_main_clause_after_the_tag_still_hands_over():
    assert speakers(HANDED, PAIR)[-1][0] == "Ada Pike"
