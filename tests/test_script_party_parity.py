"""Rule 'party-parity' (party_rules._parity_outranks) on a short invented passage: in a talk of
three, an untagged turn two turns after one speaker's tag and one turn before another's is the
first speaker's (parity names them), not the nearer tag's 'other party', a guess among several."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import cast_of, prose_book

WREN_ASH_NELL = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                        ("Nell Cope", "female", ["Nell"]))

# Wren and Ash trade two questions and answers; Nell, knitting by the door, puts in the last word.
# Turn 2 is two turns after Wren's tag (parity: Wren) and one before Ash's (his other party: the
# nearest other voice, Nell, who speaks after him).
YARD = '''Wren and Ash came up from the river in the rain. Old Nell sat on the bench by the door with her knitting.

"Is the bridge still standing?" asked Wren.

"Only just. The water is over the first step."

"And the boat? Did you tie it up?"

"I tied it to the willow," said Ash.

"Then it will be in the sea by morning," said Nell.'''

TURN = 2  # "And the boat? Did you tie it up?"

SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint"})


def _decided(text: str, cast, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    got = attribute_quotes(prose_book(text), cast, disabled=SIEVE_ONLY | disabled)
    return [(r["speaker"], r["rule"]) for r in got]


def test_parity_names_the_speaker_among_three():
    got = _decided(YARD, WREN_ASH_NELL)
    assert got[0] == ("Wren Hollis", "explicit-verb-after")
    assert got[TURN] == ("Wren Hollis", "alternation")
    assert got[TURN + 1] == ("Ash Marlow", "explicit-verb-after")


def test_without_the_rule_the_nearer_tags_other_party_gets_the_turn():
    got = _decided(YARD, WREN_ASH_NELL, frozenset({"party-parity"}))
    assert got[TURN][0] != "Wren Hollis"


def test_between_two_people_the_rule_changes_nothing():
    text = YARD.replace('"Then it will be in the sea by morning," said Nell.', "")
    assert _decided(text, WREN_ASH_NELL) == _decided(text, WREN_ASH_NELL, frozenset({"party-parity"}))
