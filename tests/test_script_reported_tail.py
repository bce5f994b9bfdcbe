"""Rule 'reported-tail': 'Nell replied very briefly that she was.' tells a speech, it does not
introduce the quote that follows."""

from __future__ import annotations

from render.script import tags as T
from tests.wren_family import ASH, NELL, said


def _said(text: str, disabled: frozenset[str] = frozenset()) -> list[str | None]:
    return said(text, disabled, (ASH, NELL))


TEXT = ('Ash and Nell walked down to the boats in the dark.\n\n'
        '"Were you ever out on the water at night?" asked Ash.\n\n'
        'Nell replied very briefly that she was.\n\n'
        '"And you were not afraid? Not even of the tide?"\n')


def test_a_reported_reply_does_not_introduce_the_next_quote():
    assert _said(TEXT)[-1] == "Ash Marlow"
    assert _said(TEXT, frozenset({"reported-tail"}))[-1] == "Nell Wren"


def test_a_tail_that_reports_the_speech_tells_it():
    for sent in ("She replied in the affirmative.", "He readily agreed to it.",
                 "Nell assured him that it was not the case.", "Ash replied only by a look."):
        assert T.tells_speech(sent), sent
    assert not T.tells_speech("She said, by way of reply.")
    assert not T.tells_speech("Ash turned round, and said in a low voice.")


def test_within_its_own_paragraph_the_teller_goes_on():
    text = TEXT.replace('Nell replied very briefly that she was.\n\n"And you were not afraid? Not even of the tide?"',
                        'Nell replied very briefly that she was. "And I was not afraid. Not even of the tide."')
    assert _said(text)[-1] == "Nell Wren"


def test_she_replied_after_his_speech_and_he_goes_on():
    text = ('Ash and Nell walked down to the boats in the dark.\n\n'
            '"Were you ever out on the water at night?" asked Ash.\n\n'
            '"Never," said Nell.\n\n'
            '"Not once? Not even with your father?"\n\n'
            'She replied in the negative.\n\n'
            '"Then you shall come with me to-morrow, and see the lights on the bay."\n')
    assert _said(text)[-1] == "Ash Marlow"
    # (the silent-listener rule reads the same reported reply, so both are switched off)
    assert _said(text, frozenset({"reported-reply", "silent-listener"}))[-1] != "Ash Marlow"
