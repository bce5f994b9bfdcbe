"""Rule 'aside-subject': a name opening a sentence of a speech, set off by a comma-closed aside
('too', 'however', 'I believe') and going on in small letters, is the sentence's subject; it
calls no one, so the one named does not answer. Invented sentences and scene."""

from __future__ import annotations

from render.script import attribute_quotes
from render.script.characters import Character, CharacterIndex
from render.script.features import vocatives
from render.script.quote_model import disabled_rules
from tests.test_script_attribution import cast_of, prose_book, speakers

INDEX = CharacterIndex([Character("Joe Hamilton", aliases={"Joe"}, gender="male")])
WREN_ASH_JOE = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                       ("Joe Hamilton", "male", ["Joe"]))


def test_a_name_before_an_aside_is_the_subject():
    assert vocatives("The barn is empty. Joe, too, has gone to market.", INDEX) == []
    assert vocatives("Joe, I believe, never came home.", INDEX) == []
    with disabled_rules({"aside-subject"}):
        assert vocatives("The barn is empty. Joe, too, has gone to market.", INDEX) == ["Joe Hamilton"]


def test_a_name_called_before_an_aside_is_still_called():
    assert vocatives("Joe, I think you should go.", INDEX) == ["Joe Hamilton"]  # no comma after the aside
    assert vocatives("Joe, of course, you must come.", INDEX) == ["Joe Hamilton"]  # the hearer's business
    assert vocatives("Well, Joe, too late now.", INDEX) == ["Joe Hamilton"]  # not opening its sentence


def test_the_one_spoken_of_does_not_answer():
    # Joe is in the yard, not in the talk: Wren's answer, not Joe's, follows Ash's question
    text = '''Wren and Ash sat in the kitchen while Joe split logs in the yard.

"Where are the boys?" said Wren.

"In the hayloft. Joe, too, went up there an hour ago," said Ash.

"Then who is splitting the logs?"'''
    assert speakers(text, WREN_ASH_JOE)[-1][0] == "Wren Hollis"
    off = attribute_quotes(prose_book(text), WREN_ASH_JOE, disabled=frozenset({"aside-subject"}))
    assert off[-1]["speaker"] == "Joe Hamilton"
