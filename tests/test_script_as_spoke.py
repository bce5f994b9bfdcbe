"""'"No," said the innkeeper; and he shook his head as he spoke.' -- narration after a speech that ends on
'as he spoke' looks back at that speech: it does not introduce the next paragraph's quote, which
the turns give to the other party (rule 'as-spoke', render/script/tags.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.tags import speech_goes_on

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Wren Hollis", aliases=["Wren"], gender="female"),
    CastMember("Tobias Gann", aliases=["Tobias"], gender="male")])

INN = ['Wren Hollis came into the inn, where Tobias Gann stood behind the counter.',
       '"Is there a room for the night?" asked Wren.',
       '"No," said Tobias; and he shook his head as he spoke.',
       '"Not even the one over the stable?"',
       '"Not even that one."']


def test_the_speech_goes_on():
    assert speech_goes_on('"No," said Tobias, wiping a glass as he spoke.')
    assert not speech_goes_on('He wiped a glass and spoke.')


def test_the_next_paragraph_is_the_other_party():
    assert [s for s, _ in speakers(INN, CAST)] == ["Wren Hollis", "Tobias Gann", "Wren Hollis", "Tobias Gann"]


def test_without_the_rule_as_he_spoke_introduces_him():
    assert speakers(INN, CAST, disabled=frozenset({"as-spoke"}))[2][0] == "Tobias Gann"
