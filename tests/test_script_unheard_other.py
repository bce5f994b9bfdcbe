"""Rule 'unheard-other' (exchange_rules._heard_instead) on short invented passages: the other party
turn order gives an untagged turn to has not spoken for pages, while a voice of the other sex was
just heard: that voice answers, not the silent one."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import cast_of, prose_book

WREN_ASH_NELL = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                        ("Nell Cope", "female", ["Nell"]))
WREN_ASH_TOM = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                       ("Tom Bay", "male", ["Tom"]))

# Wren and Ash talk; after a beat Wren speaks again and Nell, silent so far, speaks last. Counting
# from the tags around it, the untagged turn is the other party's -- Nell's, the nearest other
# voice of the exchange; but Nell has not spoken, and Ash, a man, was just heard: it is his.
YARD = '''Wren and Ash walked up from the river in the rain. Wren had been quiet all the way, and Ash had talked of the flood. Old Nell sat on the bench by the door with her knitting.

"The water is higher than I have ever seen it," said Ash.

"It rose in the night," said Wren.

Ash shook the rain from his hat and looked at the yard.

"The hens are in the garden again," said Wren.

"Then I shall chase them out."

"You will never catch them," said Wren.

"Leave them be," said Nell, without looking up from her knitting.'''

TURN = 3  # "Then I shall chase them out."

SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint"})


def _decided(text: str, cast, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    got = attribute_quotes(prose_book(text), cast, disabled=SIEVE_ONLY | disabled)
    return [(r["speaker"], r["rule"]) for r in got]


def test_the_voice_just_heard_answers_rather_than_the_silent_one():
    got = _decided(YARD, WREN_ASH_NELL)
    assert got[TURN - 1] == ("Wren Hollis", "explicit-verb-after")
    assert got[TURN] == ("Ash Marlow", "alternation")
    assert got[TURN + 2] == ("Nell Cope", "explicit-verb-after")


def test_without_the_rule_the_silent_one_gets_the_turn():
    got = _decided(YARD, WREN_ASH_NELL, frozenset({"unheard-other"}))
    assert got[TURN] == ("Nell Cope", "alternation")


def test_a_silent_one_of_the_same_sex_as_the_voice_heard_keeps_the_turn():
    # a 'he said' could have given the silent man's own earlier turns to Ash: no evidence
    text = YARD.replace("Old Nell", "Old Tom").replace("said Nell", "said Tom").replace("her knitting", "his knitting")
    on = _decided(text, WREN_ASH_TOM)
    assert on[TURN] == ("Tom Bay", "alternation")
    assert on == _decided(text, WREN_ASH_TOM, frozenset({"unheard-other"}))


def test_a_voice_the_turn_calls_by_name_is_not_its_speaker():
    text = YARD.replace('"Then I shall chase them out."', '"Then Ash shall chase them out."')
    assert _decided(text, WREN_ASH_NELL)[TURN][0] != "Ash Marlow"
