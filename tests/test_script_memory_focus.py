"""A description ('the young man') that meant someone earlier in the chapter keeps meaning them
only while they are in the scene's focus or among the voices just heard ('memory-in-focus',
render/script/descriptions.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Freddy Ash", aliases=["Freddy"], gender="male"),
    CastMember("Cecil Vyse", aliases=["Cecil"], gender="male"),
    CastMember("Arthur Beebe", aliases=["Arthur"], gender="male"),
    CastMember("Lucy Ash", aliases=["Lucy"], gender="female"),
    CastMember("Mrs. Ash", gender="female")])

# 'the young man' is Freddy at first; four others speak after him, and Freddy falls silent
SCENE = ['Freddy came in from the garden.',
         '"Hullo," said the young man.',
         '"Good day," said Arthur.',
         '"Good day," said Lucy.',
         '"Good day," said Mrs. Ash.',
         '"Good day," said Cecil.',
         '"Is it far to the church?" said Arthur.',
         '"Not far," said the young man.']


def test_the_description_goes_to_the_man_in_focus_once_its_bearer_has_fallen_silent():
    got = speakers(SCENE, CAST)
    assert got[-1] == ("Cecil Vyse", "nominal-verb-after")


def test_without_the_rule_the_chapter_remembers_freddy():
    got = speakers(SCENE, CAST, disabled=frozenset({"memory-in-focus"}))
    assert got[-1] == ("Freddy Ash", "nominal-verb-after")


def test_a_bearer_who_has_just_spoken_keeps_the_description():
    scene = [*SCENE[:5], '"Hullo again," said Freddy.', '"Is it far to the church?" said Arthur.',
             '"Not far," said the young man.']
    assert speakers(scene, CAST)[-1] == ("Freddy Ash", "nominal-verb-after")
