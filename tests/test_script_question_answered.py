"""Rule 'question-answered' (exchange_rules._asker_waits) on a short invented passage: one who
has just put a question waits for the answer, so turn order does not hand them the reply."""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import WREN_ASH, prose_book

# Ash asks three questions and Wren answers each; Wren's last answer runs on into a second,
# tagged paragraph, so counting turns back from that tag puts Ash's voice on an answer.
QUESTIONS = '''The lamps were lit along the quay when Ash came down to the boat where Wren sat waiting.

"I must go now," said Ash, and then he turned back and asked, "You are not angry with me any more?"

"No."

"How can you be so sure of it?"

"It is not hard to be sure."

"Can you always tell a friend from a stranger?"

"Always."

"Though I was wrong about you once," said Wren.'''

ANSWER = 4  # "It is not hard to be sure.", right after Ash's "How can you be so sure of it?"


def _speakers(disabled: frozenset[str] = frozenset()) -> list[str | None]:
    return [r["speaker"] for r in attribute_quotes(prose_book(QUESTIONS), WREN_ASH, disabled=disabled)]


def test_the_reply_to_a_question_is_not_given_to_the_one_who_asked_it():
    got = _speakers()
    assert got[ANSWER - 1] == "Ash Marlow"  # the question
    assert got[ANSWER] == "Wren Hollis"


def test_without_the_rule_turn_order_gives_the_asker_the_reply_too():
    got = _speakers(frozenset({"question-answered"}))
    assert got[ANSWER - 1] == got[ANSWER] == "Ash Marlow"


def test_a_question_with_narration_after_it_leaves_the_turn_open():
    # narration closing the asking paragraph may carry the asker on ('She waited, then went on.'):
    # the rule reads only a paragraph that ends on the question itself
    text = QUESTIONS.replace('"How can you be so sure of it?"', '"How can you be so sure of it?" He waited.')
    on = [r["speaker"] for r in attribute_quotes(prose_book(text), WREN_ASH)]
    off = [r["speaker"] for r in attribute_quotes(prose_book(text), WREN_ASH,
                                                   disabled=frozenset({"question-answered"}))]
    assert on == off


# Wren asks; the reply calls Ash, whose turn it would be, by name: addressed-holds would let Wren
# go on, but one who has just asked waits for an answer (here a third person's), so the sieve
# leaves the reply to the rules after it.
CALLED_AFTER_QUESTION = '''Wren, Ash and Fielding waited on the quay in the rain.

"The ferry is late again," said Ash.

"It always is," said Wren. "Had you not better ask the harbour-master why?"

"Ash, the harbour-master went home an hour ago, and so should we."'''

SIEVE_ONLY = frozenset({"arbiter", "arbiter-joint"})


def test_the_asker_does_not_go_on_because_the_reply_calls_the_other_by_name():
    from tests.test_script_conversation import WREN_ASH_FIELDING

    on = attribute_quotes(prose_book(CALLED_AFTER_QUESTION), WREN_ASH_FIELDING, disabled=SIEVE_ONLY)
    off = attribute_quotes(prose_book(CALLED_AFTER_QUESTION), WREN_ASH_FIELDING,
                           disabled=SIEVE_ONLY | {"question-answered"})
    assert (off[-1]["speaker"], off[-1]["rule"]) == ("Wren Hollis", "addressed-holds")
    assert on[-1]["speaker"] != "Wren Hollis"
