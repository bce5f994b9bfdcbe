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


def test_turns_are_taken_again_from_a_speaker_the_nearest_mention_gave():
    text = '''The storm broke over the hills at dusk, and Wren ran for the house.

"Ash, is that you at the door?"

"Yes. Let me in, it is pouring."

"The bolt is stuck; push hard."

"There. I am soaked through."'''
    got = [s for s, _ in speakers(text)]
    assert got == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Ash Marlow"]


def test_late_turns_leave_a_lone_speech_with_no_exchange_alone():
    text = '''The storm broke over the hills at dusk, and Wren ran for the house.

"Is anyone at home?"

The house was silent, and the rain went on all night.'''
    got = speakers(text)
    assert got == [("Wren Hollis", "nearest-mention")]
