"""Rule 'beat-back' (turn_fences._beat_by) on a short invented passage: an untagged speech, then
a one-line beat in which the one who speaks two turns on keeps silent, then two tagged turns.
Backward turn-taking would give the speech to the silent one (two turns before their own);
the beat was their turn, so the speech is the other voice's, who goes on after it."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import cast_of, prose_book

WREN_ASH = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]))

# Wren speaks first, untagged; Ash makes no answer; Wren goes on, tagged, and Ash replies.
KITCHEN = '''Wren and Ash sat by the stove while the kettle took its time.

"The rain has stopped at last."

Ash made no answer.

"Then I shall walk down to the mill before dark," said Wren.

"Take the lantern with you," said Ash.'''

TURN = 0  # "The rain has stopped at last."

# alternation, which runs first, would take the turn; switched off, backward turn-taking is next
SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint", "alternation"})


def _decided(text: str, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    got = attribute_quotes(prose_book(text), WREN_ASH, disabled=SIEVE_ONLY | disabled)
    return [(r["speaker"], r["rule"]) for r in got]


def test_the_silent_one_of_the_beat_did_not_speak_before_it():
    assert _decided(KITCHEN)[TURN] == ("Wren Hollis", "turn-taking-backward")


def test_without_the_rule_the_turn_after_next_decides():
    assert _decided(KITCHEN, frozenset({"beat-back"}))[TURN] == ("Ash Marlow", "turn-taking-backward")


def test_a_beat_about_someone_else_changes_nothing():
    other = KITCHEN.replace("Ash made no answer.", "Ash made no answer. Wren looked out at the yard.")
    assert _decided(other)[TURN] == ("Ash Marlow", "turn-taking-backward")
