"""Rule 'party-backward' (party_rules._backward_fenced) on a short invented passage: among three
voices, an untagged turn is not given to the speaker of the turn after next (backward
turn-taking), a guess when several people talk; the rules after it decide the turn (here the
nearest mention; the test checks only that the fence holds)."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import cast_of, prose_book

WREN_ASH_NELL = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                        ("Nell Cope", "female", ["Nell"]))

# Wren asks first, untagged, as the three come in; Nell answers her, Ash puts in a word, and Wren
# has the last. Backward turn-taking would give the opening turn to Ash, who speaks two turns on.
YARD = '''Wren and Ash came up from the river in the rain. Old Nell sat on the bench by the door with her knitting.

"Who told you the bridge was down?"

"Nobody told him," said Nell.

"I saw it myself," said Ash.

"Then we stay here tonight," said Wren.'''

TURN = 0  # "Who told you the bridge was down?"

# alternation, which runs first, would take the turn; switched off, backward turn-taking is next
SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint", "alternation"})


def _decided(text: str, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    got = attribute_quotes(prose_book(text), WREN_ASH_NELL, disabled=SIEVE_ONLY | disabled)
    return [(r["speaker"], r["rule"]) for r in got]


def test_among_three_the_turn_after_next_does_not_decide():
    got = _decided(YARD)
    assert got[TURN][1] != "turn-taking-backward"
    assert got[TURN][0] != "Ash Marlow"


def test_without_the_rule_backward_turn_taking_decides():
    got = _decided(YARD, frozenset({"party-backward"}))
    assert got[TURN] == ("Ash Marlow", "turn-taking-backward")
