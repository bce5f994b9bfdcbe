"""Rule 'family-call': a title and surname called ('"…, Mr. Marlow?"') whose bearer by the cast
(the father) is not on stage calls the one of that family and sex who is (the son); a 'Mrs.'
never calls the family's 'Miss'. Invented passages."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import cast_of, prose_book

MARLOWS = cast_of(("Mr. Marlow", "male", []), ("Ash Marlow", "male", ["Ash"]),
                  ("Wren Hollis", "female", ["Wren"]))

TEXT = '''Wren and Ash Marlow walked down to the river after dinner.

"Will you row us across, Mr. Marlow?" said Wren.

"Gladly, if the boat is sound."'''


def _records(text, cast, disabled=frozenset()):
    return attribute_quotes(prose_book(text), cast, disabled=disabled)


def test_the_son_on_stage_is_the_one_called_and_answers():
    got = _records(TEXT, MARLOWS)
    assert got[0]["addressee"] == "Ash Marlow"
    assert (got[1]["speaker"], got[1]["rule"]) == ("Ash Marlow", "vocative")
    off = _records(TEXT, MARLOWS, frozenset({"family-call"}))
    assert off[0]["addressee"] == "Mr. Marlow"


def test_the_bearer_on_stage_keeps_the_name():
    text = TEXT.replace("Wren and Ash Marlow", "Wren, Ash and Mr. Marlow")
    assert _records(text, MARLOWS)[0]["addressee"] == "Mr. Marlow"


def test_a_married_title_does_not_call_the_miss_of_the_family():
    cast = cast_of(("Mrs. Hale", "female", []), ("Kate Hale", "female", ["Kate", "Miss Hale"]),
                   ("Tom Bay", "male", ["Tom"]))
    text = '''Tom and Kate Hale sat on the porch.

"Is your mother well, Mrs. Hale?" said Tom.

"Quite well, thank you."'''
    assert _records(text, cast)[0]["addressee"] == "Mrs. Hale"
