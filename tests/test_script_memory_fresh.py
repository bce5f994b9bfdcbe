"""A description that fits anyone of a sex ('the young man') keeps meaning the one it meant
earlier in the chapter only while they are still in the scene -- named, meant or heard within
the last few paragraphs; one that calls its bearer old ('the old gentleman') is kept
('memory-fresh', render/script/descriptions.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Freddy Ash", aliases=["Freddy"], gender="male"),
    CastMember("Cecil Vyse", aliases=["Cecil"], gender="male"),
    CastMember("Arthur Beebe", aliases=["Arthur"], gender="male")])

# 'the young man' is Freddy at first; then Cecil and Arthur talk for a long while, Freddy silent
# but still third in salience and among the voices heard
TALK = [f'"Point {i}," said {"Cecil" if i % 2 else "Arthur"}.' for i in range(14)]
SCENE = ['Freddy came in from the garden.', '"Hullo," said the young man.', *TALK,
         '"Not far," said the young man.']


def test_a_long_silent_bearer_no_longer_keeps_the_description():
    got = speakers(SCENE, CAST)
    assert got[0] == ("Freddy Ash", "nominal-verb-after")
    assert got[-1] == ("Arthur Beebe", "nominal-verb-after")  # answering Cecil, who spoke last


def test_without_the_rule_the_chapter_remembers_freddy():
    got = speakers(SCENE, CAST, disabled=frozenset({"memory-fresh"}))
    assert got[-1] == ("Freddy Ash", "nominal-verb-after")


def test_a_description_that_calls_its_bearer_old_is_kept():
    scene = [s.replace("the young man", "the old gentleman") for s in SCENE]
    assert speakers(scene, CAST)[-1] == ("Freddy Ash", "nominal-verb-after")
