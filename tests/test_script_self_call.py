"""Rule 'self-call-tag' (self_names.calls_self, read in tag_rules._decide_by_tag) on a short
invented passage: a paragraph of narration naming Wren ('Wren smiled.') would introduce the
next speech as hers, but that speech calls Wren by name ('"Wren, you must not laugh."'): no one
calls themself, so it is the last speaker going on."""

from __future__ import annotations

from render.script import attribute_quotes
from render.script.characters import Character, CharacterIndex
from render.script.self_names import calls_self, own_words
from tests.test_script_attribution import cast_of, prose_book

WREN_ASH = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]))

PORCH = '''Wren and Ash sat on the porch while the light went.

"It has been a pleasant evening," said Ash.

Wren smiled.

"Wren, you must not laugh at me. I mean every word of it."

"I know you do," said Wren.'''

TURN = 1  # "Wren, you must not laugh at me. …"

SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint"})


def _decided(text: str, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    got = attribute_quotes(prose_book(text), WREN_ASH, disabled=SIEVE_ONLY | disabled)
    return [(r["speaker"], r["rule"]) for r in got]


def test_a_speech_calling_the_introduced_one_is_the_last_speakers():
    assert _decided(PORCH)[TURN] == ("Ash Marlow", "turn-taking")


def test_without_the_rule_the_introduction_names_the_one_called():
    assert _decided(PORCH, frozenset({"self-call-tag"}))[TURN] == ("Wren Hollis", "explicit-verb-before")


def test_a_speech_that_calls_someone_else_keeps_its_introduction():
    other = PORCH.replace('"Wren, you must not', '"Ash, you must not')
    assert _decided(other)[TURN][0] == "Wren Hollis"


def _index() -> CharacterIndex:
    return CharacterIndex([Character("Wren Hollis", {"Wren"}, "female"), Character("Ash Marlow", {"Ash"}, "male")])


class _Q:
    def __init__(self, text: str):
        self.text = text


def test_a_name_in_words_quoted_or_in_a_self_introduction_is_no_self_call():
    idx = _index()
    assert calls_self(_Q("Wren, you must not."), "Wren Hollis", idx, "self-call-tag")
    assert not calls_self(_Q("He said to me: 'Ahem! Wren, you must not.'"), "Wren Hollis", idx, "self-call-tag")
    assert not calls_self(_Q("I, Wren, will see to it."), "Wren Hollis", idx, "self-call-tag")
    assert own_words("He said to me: 'Ahem! Wren,' and went.") == "He said to me:"


# Rule 'arbiter-self-call': the arbiter never hands a speech to a name it calls. A model that
# (wrongly) favours any name inside the speech would give "Then we go now, Jill." to Jill.
QUAY = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\nJill came down to the quay with the bags.\n\n'
        '"Then we go now, Jill."\n\n"Not yet. The tide is out."\n')
INSIDE_MODEL = {"weights": {"src:sieve": 1.0, "named_inside": 3.0}, "margin": 0.5}


def test_the_arbiter_does_not_give_a_speech_to_the_one_it_calls():
    from tests.test_script_attribution import WREN_JILL_ASH

    def read(disabled=frozenset()):
        return [r["speaker"].split()[0] for r in attribute_quotes(prose_book(QUAY), WREN_JILL_ASH,
                                                                   disabled=disabled, arbiter=INSIDE_MODEL)]

    assert read()[2] != "Jill"
    assert read(frozenset({"arbiter-self-call"}))[2] == "Jill"
