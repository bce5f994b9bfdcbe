"""Rule 'family-voice': a title and surname called ('"…, Mr. Marlow?"') whose bearer by the cast
(the father) is present but has not spoken for the last few turns calls the one of that family and
sex who has (the son, who has been talking). Invented passages."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import cast_of, prose_book

MARLOWS = cast_of(("Mr. Marlow", "male", []), ("Ash Marlow", "male", ["Ash"]),
                  ("Wren Hollis", "female", ["Wren"]))

TEXT = '''Wren, Ash and Mr. Marlow sat in the parlour after dinner.

"The river is very high tonight," said Ash.

"Then we shall not cross it at all," said Wren.

"We could walk round by the long bridge," said Ash.

"Will you take us that way, Mr. Marlow?" said Wren.

"Gladly, if you will wait for my coat."'''


def _records(text, disabled=frozenset()):
    return attribute_quotes(prose_book(text), MARLOWS, disabled=disabled)


def test_the_son_who_has_been_talking_is_the_one_called():
    got = _records(TEXT)
    assert (got[4]["speaker"], got[4]["rule"]) == ("Ash Marlow", "vocative")
    off = _records(TEXT, frozenset({"family-voice"}))
    assert off[4]["speaker"] == "Mr. Marlow"


def test_the_bearer_who_has_spoken_keeps_the_name():
    text = TEXT.replace('"Then we shall not cross it at all," said Wren.',
                        '"Then we shall not cross it at all," said Mr. Marlow.')
    got = _records(text)
    assert got[4]["speaker"] == "Mr. Marlow"


def test_a_family_name_the_text_gives_counts():
    """The cast names the younger sister without the family name; the narration writes it."""
    cast = cast_of(("Jane", "female", ["Jane Dane", "Miss Dane"]), ("Kitty", "female", ["Kit"]),
                   ("Lady Orr", "female", []))
    text = '''Kitty Dane sat alone with Lady Orr; Jane had gone out. Kitty Dane said nothing at first.

"You know why I have come," said Lady Orr.

"I cannot guess, madam," said Kitty.

"Then I shall tell you plainly," said Lady Orr.

"Pray do," said Kitty.

"You will give me your word, Miss Dane," said Lady Orr.

"I will give you nothing of the kind."'''
    got = attribute_quotes(prose_book(text), cast)
    assert (got[5]["speaker"], got[5]["rule"]) == ("Kitty", "vocative")
    off = attribute_quotes(prose_book(text), cast, disabled=frozenset({"family-voice"}))
    assert off[5]["speaker"] != "Kitty" or off[5]["rule"] != "vocative"
