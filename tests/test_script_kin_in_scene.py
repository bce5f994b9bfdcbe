"""'"…," asked her son.' on a new turn: the son who shares the speaker's surname is not meant
when he is out of the scene and the man she was answering is in it -- a son by a first marriage
('kin-in-scene', render/script/descriptions.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mrs. Moore", gender="female"),
    CastMember("Will Moore", aliases=["Will"], gender="male"),
    CastMember("Tom Heath", aliases=["Tom"], gender="male")])

# Will rides off; long after, Mrs. Moore talks with Tom, her son by her first husband
GARDEN = ['Will Moore rode off to the coast.',
          *['Rain fell on the garden all the afternoon.'] * 14,
          'Tom Heath sat with Mrs. Moore under the porch.',
          '"Are you tired?" said Tom.',
          '"Not at all," said Mrs. Moore.',
          '"Then we will walk," said her son.']


def test_her_son_is_the_man_she_talks_with():
    assert speakers(GARDEN, CAST)[-1][0] == "Tom Heath"


def test_without_the_rule_her_son_is_the_one_sharing_her_name():
    assert speakers(GARDEN, CAST, disabled=frozenset({"kin-in-scene"}))[-1][0] == "Will Moore"


def test_a_son_by_name_in_the_scene_is_still_her_son():
    garden = [*GARDEN[:15], 'Will came back from the coast.', *GARDEN[15:]]
    assert speakers(garden, CAST)[-1][0] == "Will Moore"
