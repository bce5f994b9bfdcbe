"""Conversation and exchange rules (turn-taking, beats, alternation) on short invented passages.

Each rule has a case it handles and a case it must not fire on.
"""

from __future__ import annotations

from tests.test_script_attribution import cast_of, speakers

WREN_ASH_FIELDING = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                            ("Fielding", "male", []))


def test_a_name_that_reads_as_a_participle_acting_in_the_reply_speaks_it():
    text = '''Wren, Ash and Fielding sat at the table.

"Is it raining?" said Wren.

"Not yet," said Ash.

"It will be soon." Fielding looked up at the dark window.'''
    assert speakers(text, WREN_ASH_FIELDING)[-1] == ("Fielding", "action-beat")
