"""Rules 'echo-not-call' and 'article-not-call': a name that opens a speech with a question mark
echoes a name the other has just said ('"Jill? Oh, she went home."' asks who is meant), and a
noun with an article is someone spoken of ('"Oh, the doctor! He will be cross."'); English calls
no one so, so neither is a vocative (features.vocatives). Invented sentences."""

from __future__ import annotations

from render.script.characters import Character, CharacterIndex
from render.script.features import vocatives
from render.script.quote_model import disabled_rules

INDEX = CharacterIndex([Character("Jill Marsh", aliases={"Jill"}, gender="female"),
                        Character("The Doctor", aliases=set(), gender="male")])


def test_a_name_echoed_with_a_question_mark_is_no_call():
    assert vocatives("Jill? Oh, she went home an hour ago.", INDEX) == []
    with disabled_rules({"echo-not-call"}):
        assert vocatives("Jill? Oh, she went home an hour ago.", INDEX) == ["Jill Marsh"]


def test_a_noun_with_an_article_is_no_call():
    assert vocatives("Oh, the doctor! He will be so cross with us.", INDEX) == []
    with disabled_rules({"article-not-call"}):
        assert vocatives("Oh, the doctor! He will be so cross with us.", INDEX) == ["The Doctor"]


def test_a_name_called_is_still_a_vocative():
    assert vocatives("Is that you, Jill?", INDEX) == ["Jill Marsh"]
    assert vocatives("Well, Jill, shall we go?", INDEX) == ["Jill Marsh"]
    assert vocatives("Jill, come here.", INDEX) == ["Jill Marsh"]
