"""Rule 'named-anchor' (exchange_rules._named_outranks) on short invented passages: when the two
decided turns around an undecided one imply different speakers, a turn decided by its speaker's
name, close by, outranks a nearer one decided only by turn order, a beat, or a pronoun that
cannot tell the people talking apart."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import prose_book
from tests.test_script_conversation import WREN_ASH_FIELDING

# Wren's tagged question; two untagged turns; Fielding acting in his own turn (an action beat, not
# a tag); Ash's tagged turn. Counting from Fielding's beat, the third turn is the other party's,
# and the nearest other voice is Ash's; counting from Wren's tag, two turns on, it is Wren's.
THREE_AT_TABLE = '''Wren, Ash and Fielding sat late over the supper things while the fire burnt down.

"Shall we walk to the mill tomorrow, if the weather holds?" said Wren.

"It will not hold."

"Then we shall walk in the rain, and be the better for it."

Fielding pushed his plate away. "You will walk alone, I think."

"I shall come, whatever the sky does," said Ash.'''

TURN = 2  # "Then we shall walk in the rain, …": Wren's, two turns after her tag

SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint"})


def _decided(disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    got = attribute_quotes(prose_book(THREE_AT_TABLE), WREN_ASH_FIELDING, disabled=SIEVE_ONLY | disabled)
    return [(r["speaker"], r["rule"]) for r in got]


def test_the_named_turn_outranks_a_nearer_beat():
    got = _decided()
    assert got[0] == ("Wren Hollis", "explicit-verb-after")
    assert got[3][0] == "Fielding"
    assert got[TURN] == ("Wren Hollis", "alternation")


def test_without_the_rule_the_nearer_beat_decides():
    # three people talk, so rule 'party-parity' (party_rules) would read the turn as Wren's too
    got = _decided(frozenset({"named-anchor", "party-parity"}))
    assert got[TURN] == ("Ash Marlow", "alternation")


def test_a_named_turn_too_far_away_does_not_outrank():
    # two more untagged turns before the beat put Wren's tag four turns from the turn beside it
    text = THREE_AT_TABLE.replace('"Then we shall', '"Then?"\n\n"Then we go."\n\n"Then we shall')
    on = attribute_quotes(prose_book(text), WREN_ASH_FIELDING, disabled=SIEVE_ONLY)
    off = attribute_quotes(prose_book(text), WREN_ASH_FIELDING, disabled=SIEVE_ONLY | {"named-anchor"})
    assert [r["speaker"] for r in on] == [r["speaker"] for r in off]


# Two men: the nearer turn is decided by 'he said', which cannot tell Ash from Tom, so it is no
# surer than turn order, and Ash's named turn two turns back decides the one between.
TWO_MEN = '''Ash and Tom sat late over the supper things while the fire burnt down.

"Shall we walk to the mill tomorrow, if the weather holds?" said Ash.

"It will not hold."

"Then we shall walk in the rain, and be the better for it."

"You will walk alone, I think," he said.

"I shall come, whatever the sky does," said Tom.'''


def test_a_pronoun_that_cannot_tell_the_two_apart_is_outranked_too():
    from tests.test_script_attribution import ASH_TOM

    on = attribute_quotes(prose_book(TWO_MEN), ASH_TOM, disabled=SIEVE_ONLY)
    off = attribute_quotes(prose_book(TWO_MEN), ASH_TOM, disabled=SIEVE_ONLY | {"named-anchor"})
    assert on[3]["rule"].startswith("pronoun-verb")
    assert (on[TURN]["speaker"], on[TURN]["rule"]) == ("Ash Marlow", "alternation")
    assert off[TURN]["speaker"] != "Ash Marlow"
