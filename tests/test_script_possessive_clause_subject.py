"""'…, when her brother remarked,': a possessive description right after a conjunction is the
subject of the speech verb after it ('possessive-after-conjunction'): render/script/subjects.py."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.tags import tag_before

from .test_script_salience import speakers

BELLS = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Ann Bell", aliases=["Ann"], gender="female"),
    CastMember("Tom Bell", aliases=["Tom"], gender="male")])

# Ann wonders; her brother, not she, says the next words
WHEN = ['Ann and Tom Bell sat at breakfast.',
        '"The post is late," said Ann.',
        'She was wondering whether to walk down to the village herself, when her brother remarked, '
        '"It never comes before ten."']


def test_her_brother_after_when_is_the_one_who_speaks():
    assert speakers(WHEN, BELLS)[-1] == ("Tom Bell", "nominal-verb-before")


def test_without_the_rule_the_sentence_subject_speaks():
    got = speakers(WHEN, BELLS, disabled=frozenset({"possessive-after-conjunction"}))
    assert got[-1] == ("Ann Bell", "pronoun-verb-before")


def test_and_opens_a_clause_too():
    tag = tag_before("She looked up from her book, and her mother said, ")
    assert (tag.np, tag.verb) == ("her mother", "said")


def test_a_possessive_object_before_and_said_is_no_subject():
    """'She kissed her mother and said': 'her mother' is the object; the verb shares 'She'."""
    tag = tag_before("She kissed her mother and said, ")
    assert tag.np == "She"
