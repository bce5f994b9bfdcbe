"""A description the scene keeps using for someone not yet named ('said the young gentleman')
belongs to the character of that sex a tag names soon after, who was not on stage when it was
first used -- not to a leftover of the earlier scene ('described-then-named',
render/script/named_after.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tom Bay", aliases=["Tom"], gender="male"),
    CastMember("Sam Pike", aliases=["Sam"], gender="male"),
    CastMember("Kit Marlow", aliases=["Kit"], gender="male")])

# on the road Tom meets a stranger whom the tags call 'the young gentleman' until he gives his
# name and a tag uses it; the reading pass gives the first tags to Tom, the only man on stage
ROAD = ['Sam Pike shut the gate behind Tom and went back to the mill.',
        'Tom walked along the high road until noon, and sat down on a stone. "What a day!"',
        '"Tired, are you?" said the young gentleman, leaning on the fence.',
        '"Very."',
        '"Then come with me," said the young gentleman.',
        '"Who are you?"',
        '"Kit Marlow, at your service."',
        '"And where do you live?"',
        '"In town," said Kit.']


def test_the_description_goes_to_the_one_named_after_it():
    got = speakers(ROAD, CAST)
    assert (got[1][0], got[3][0]) == ("Kit Marlow", "Kit Marlow")


def test_without_the_rule_it_is_the_man_on_stage():
    got = speakers(ROAD, CAST, disabled=frozenset({"described-then-named"}))
    assert got[1][0] == "Tom Bay"


def test_a_description_calling_him_old_is_left_alone():
    road = [p.replace("young gentleman", "old gentleman") for p in ROAD]
    assert speakers(road, CAST)[1][0] == "Tom Bay"


def test_one_a_tag_names_in_the_scene_keeps_it():
    road = [p.replace('"Very."', '"Very," answered Tom.') for p in ROAD]
    assert speakers(road, CAST)[1][0] == "Tom Bay"
