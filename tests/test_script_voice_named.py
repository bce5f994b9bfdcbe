"""Rule 'voice-named-after': 'said a small voice, and Nell stepped out' is Nell's voice."""

from __future__ import annotations

from tests.wren_family import said


TEXT = ('Mrs. Wren and Ash walked down to the boats in the dark.\n\n'
        '"Is anyone there?" called Ash.\n\n'
        '"Only me," said a small voice at his elbow, and Nell stepped out of the shadow.\n')


def test_an_unnamed_voice_is_the_one_the_narration_then_names():
    assert said(TEXT)[-1] == "Nell Wren"
    assert said(TEXT, frozenset({"voice-named-after"}))[-1] != "Nell Wren"


def test_a_name_after_a_preposition_is_not_the_voice():
    text = TEXT.replace("and Nell stepped out of the shadow", "in reply to a whistle from Nell")
    assert said(text)[-1] != "Nell Wren"
