"""Conversation and exchange rules (turn-taking, beats, alternation) on short invented passages.

Each rule has a case it handles and a case it must not fire on.
"""

from __future__ import annotations

from render.script import attribute_quotes
from tests.test_script_attribution import WREN_ASH, WREN_JILL_ASH, cast_of, prose_book, speakers

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


# --- words no one says aloud (quotes.unspoken): out of the script, not out of the exchange -----


def test_a_letter_read_between_two_turns_does_not_break_the_exchange():
    text = '''"Here is the letter from Fielding," said Wren.

"Read it out," said Ash.

"Dear Madam,"

"Yours faithfully, A. FIELDING."

"Is that all he writes?"'''
    got = speakers(text, WREN_ASH_FIELDING)
    assert len(got) == 3  # the salutation and the closing are not speech
    assert got[-1] == ("Wren Hollis", "turn-taking")


def test_a_look_that_only_seems_to_speak_still_takes_its_turn():
    text = '''"We never forget you as soon as you forget us," said Wren.

Ash smiled, as much as to say, "Do you claim that for your sex?" and she answered the question, smiling also, "We do."'''
    got = speakers(text, WREN_ASH_FIELDING)
    assert len(got) == 2  # what the smile says is not speech
    assert got[-1][0] == "Wren Hollis"


def test_words_read_out_still_take_the_readers_turn():
    text = '''"Read me the first line," said Wren.

"'It was a dark and stormy night,'" Ash read out.

"And the second?"'''
    got = speakers(text, WREN_ASH_FIELDING)
    assert len(got) == 2  # what Ash reads out is not his speech
    assert got[-1][0] == "Wren Hollis"


def test_a_turn_only_guessed_from_the_nearest_name_does_not_make_the_last_speaker_go_on():
    # the first speech is the nearest name's (Fielding) only as a last resort; the answer naming
    # Fielding is no reason for Ash, who asked, to go on speaking it
    text = '''Ash had gone up to bed early. Wren knocked at his door; Fielding stood behind her.

"I am sorry to wake you again, Ash, but may we come in?"

"Who is with you?"

"Fielding."'''
    got = speakers(text, WREN_ASH_FIELDING)
    assert got[:2] == [("Fielding", "nearest-mention"), ("Ash Marlow", "vocative")]
    assert got[2][1] != "addressed-holds"


# --- a speaker naming themselves is not excluded as one addressed -------------------------------

WREN_ASH_MAY = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                       ("May Ordle", "female", ["May"]))


def test_a_speaker_introducing_herself_by_name_is_not_excluded():
    text = '''Wren and May waited at the gate while Ash came down the lane.

"Who goes there?" said Ash.

"I'm Wren Hollis," she said, "and this is my friend."'''
    assert speakers(text, WREN_ASH_MAY)[-1][0] == "Wren Hollis"


def test_a_speaker_talking_to_herself_by_name_is_not_excluded():
    text = '''Wren and May waited at the gate while Ash came down the lane.

"Who goes there?" said Ash.

"Oh, you foolish Wren!" she answered herself. "It is only the wind."'''
    assert speakers(text, WREN_ASH_MAY)[-1][0] == "Wren Hollis"


def test_a_name_in_vocative_still_excludes_the_one_addressed():
    text = '''Wren and May waited at the gate while Ash came down the lane.

"Who goes there?" said Ash.

"Oh, you foolish Wren!" she said. "It is only the wind."'''
    assert speakers(text, WREN_ASH_MAY)[-1][0] != "Wren Hollis"


def test_a_name_in_a_quote_already_given_to_another_does_not_exclude_the_one_who_answers():
    text = '''Wren and May waited at the gate while Ash came down the lane.

"Wren! Where are you?" called Ash. And then she answered, "Here, by the gate!"'''
    assert speakers(text, WREN_ASH_MAY)[-2:] == [("Ash Marlow", "explicit-verb-after"),
                                                 ("Wren Hollis", "pronoun-verb-before")]


# --- the one called by name answers (rule_vocative) ---------------------------------------------

WREN_ASH_ROUX = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                        ("Jean Roux", "male", ["The Frenchman"]))


def test_a_name_said_with_the_definite_article_is_spoken_of_not_called():
    # 'The Frenchman?' asks whom Wren means; it calls no one, so the Frenchman does not answer
    text = '''Wren and Ash stood by the window; the Frenchman was asleep by the fire.

"There is one man in this house I do not trust," said Wren.

"The Frenchman?" said Ash.

"Yes. He listens at every door."'''
    assert speakers(text, WREN_ASH_ROUX)[-1] == ("Wren Hollis", "turn-taking")


def test_a_name_without_the_article_is_still_called():
    text = '''Wren and Ash stood by the window; the Frenchman was asleep by the fire.

"There is one man in this house I do not trust," said Wren.

"Frenchman, are you awake?" said Ash.

"Yes. He listens at every door."'''
    # (a bare '"Frenchman?"' opening the speech echoes the name: rule 'echo-not-call')
    assert speakers(text, WREN_ASH_ROUX)[-1] == ("Jean Roux", "vocative")


def test_the_one_called_answers_a_turn_decided_by_alternation():
    # no turn is tagged until the last, which names Ash and whom he speaks to; alternation gives
    # the second turn to Ash, and the third to the one he calls (May), not to his partner Wren
    text = '''Wren, Ash and May sat by the fire after supper.

"Is it late?"

"Not very. What do you think, May?"

"I think it is past ten."

"It is," said Ash to Wren.'''
    got = speakers(text, WREN_ASH_MAY)
    assert got[1] == ("Ash Marlow", "alternation")
    assert got[2] == ("May Ordle", "vocative")


def test_a_name_called_at_the_head_of_the_turn_answers_when_its_last_quote_calls_no_one():
    text = '''Wren, Ash and May sat by the fire after supper.

"Is the rain over yet?" said Ash.

"May," said Wren, "look out of the window and tell him."

"It is still pouring."'''
    assert speakers(text, WREN_ASH_MAY)[-1] == ("May Ordle", "vocative")


def test_a_name_alone_whose_sentence_the_tag_closes_is_an_answer_not_a_call():
    # '"May," said Wren.' answers 'who?': May is spoken of, and Ash takes his turn again
    text = '''Wren, Ash and May sat by the fire after supper.

"Who was at the door just now?" said Ash.

"May," said Wren. "She wanted the lamp."

"Then let her have it."'''
    assert speakers(text, WREN_ASH_MAY)[-1] == ("Ash Marlow", "turn-taking")


def test_a_name_called_earlier_in_the_turn_does_not_answer_a_reply_that_names_them():
    text = '''Wren, Ash and May sat by the fire after supper.

"Is the rain over yet?" said Ash.

"May," said Wren, "look out of the window and tell him."

"Ask May yourself; I am not her keeper."'''
    assert speakers(text, WREN_ASH_MAY)[-1] == ("Ash Marlow", "turn-taking")


# --- two tags whose turn parities disagree (exchange_rules._parity_breaks) ----------------------

GOES_ON = '''"Shall we walk down to the harbour?" said Wren.

"If you like."

"Then fetch your coat."

The wind rattled the shutters. "No, wait; it is blowing too hard for a walk."

"We could take the cart."

"The horse is lame."

"Then we stay in," said Ash.'''


def test_two_tags_that_disagree_break_the_exchange_at_the_turn_after_narration():
    # turn-taking from 'said Wren' would give the last speech to Wren; 'said Ash' says someone
    # went on in between: from the speech after the narration the turns follow Ash's tag
    got = speakers(GOES_ON)
    assert [s for s, _ in got] == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Wren Hollis",
                                   "Ash Marlow", "Wren Hollis", "Ash Marlow"]
    assert got[3] == ("Wren Hollis", "alternation-break")


def test_without_narration_between_the_tags_no_break_is_guessed():
    text = GOES_ON.replace("The wind rattled the shutters. ", "")
    # the sieve's own reading (the arbiter, which may weigh this parity clash otherwise, left out):
    # nothing says where the speaker went on: alternation splits the run between the two tags
    got = [(r["speaker"], r["rule"]) for r in attribute_quotes(prose_book(text), WREN_ASH, arbiter=False)]
    assert "alternation-break" not in {r for _, r in got}
    assert [s for s, _ in got] == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Ash Marlow",
                                   "Ash Marlow", "Wren Hollis", "Ash Marlow"]


# --- the one called reacts in the narration between (conversation_rules._called_reacts) ---------

CALLED = '''Wren and Ash sat by the window after supper.

"Look out and tell me if it is still raining, Wren," said Ash.

Wren shrugged and bent over her sewing.

"Then I shall look myself."'''


def test_the_one_called_reacting_in_the_narration_between_leaves_the_caller_to_go_on():
    assert speakers(CALLED)[-1] == ("Ash Marlow", "called-reacts")


def test_a_question_to_the_one_called_is_still_theirs_to_answer_after_their_reaction():
    text = CALLED.replace("Look out and tell me if it is still raining, Wren", "Is it still raining, Wren?")
    text = text.replace('?,"', '?"')
    assert speakers(text)[-1] == ("Wren Hollis", "vocative")


def test_narration_introducing_the_reply_leaves_it_to_the_one_called():
    text = CALLED.replace("Wren shrugged and bent over her sewing.", "Wren shrugged and put down her sewing:")
    assert speakers(text)[-1] == ("Wren Hollis", "vocative")


THIRD_REACTS = '''Wren and Ash sat by the fire; Jill read in the corner.

"Is the post in?" said Wren.

"Not yet," said Ash.

Jill turned a page of her book.

"Then I shall wait up for it."'''


def test_a_third_character_reacting_in_the_narration_between_leaves_the_last_speaker_to_go_on():
    assert speakers(THIRD_REACTS, WREN_JILL_ASH)[-1] == ("Ash Marlow", "turn-taking")


def test_without_third_reacts_the_character_the_narration_names_speaks_next():
    got = attribute_quotes(prose_book(THIRD_REACTS), WREN_JILL_ASH, disabled=frozenset({"third-reacts"}))
    assert got[-1]["speaker"] == "Jill Hollis"


def test_narration_about_the_speaker_before_last_gives_them_the_turn():
    text = THIRD_REACTS.replace("Jill turned a page of her book.", "Wren turned a page of his book.")
    assert speakers(text, WREN_JILL_ASH)[-1] == ("Wren Hollis", "turn-taking")


def test_a_third_character_named_in_the_speech_is_spoken_of_and_turns_alternate():
    text = THIRD_REACTS.replace("Then I shall wait up for it.", "Then Jill can wait up for it.")
    assert speakers(text, WREN_JILL_ASH)[-1] == ("Wren Hollis", "turn-taking")


OTHER_SEX_REACTS = '''Ash and Tom stood at the gate; Wren waited in the cart.

"Shall we go in?" said Ash.

"Not yet," said Tom.

She shook her head at them both.

"We must wait for the rain to stop."'''
ASH_TOM_WREN = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]), ("Wren Hollis", "female", ["Wren"]))


def test_a_pronoun_of_the_other_sex_between_two_mens_turns_is_a_third_reacting():
    assert speakers(OTHER_SEX_REACTS, ASH_TOM_WREN)[-1] == ("Tom Bay", "turn-taking")
    got = attribute_quotes(prose_book(OTHER_SEX_REACTS), ASH_TOM_WREN, disabled=frozenset({"third-reacts"}))
    assert got[-1]["speaker"] == "Ash Marlow"


def test_a_pronoun_that_fits_one_of_the_two_speakers_passes_no_turn_by_sex():
    text = OTHER_SEX_REACTS.replace("She shook her head at them both.", "He shook his head at them both.")
    assert speakers(text, ASH_TOM_WREN)[-1] == ("Ash Marlow", "turn-taking")


NOD = '''Wren and Ash sat by the fire.

"Shall we go out?" said Ash.

"Not in this rain," said Wren.

Ash nodded slowly.

"Then the letters must wait until the morning."'''


def test_a_nod_between_turns_is_a_turn_and_the_last_speaker_goes_on():
    assert speakers(NOD)[-1] == ("Wren Hollis", "turn-taking")
    got = attribute_quotes(prose_book(NOD), WREN_ASH, disabled=frozenset({"nod-answers"}))
    assert got[-1]["speaker"] == "Ash Marlow"


def test_a_gesture_that_answers_nothing_leaves_the_turn_to_the_one_who_made_it():
    text = NOD.replace("Ash nodded slowly.", "Ash walked slowly to the window.")
    assert speakers(text)[-1] == ("Ash Marlow", "turn-taking")


# --- the listener keeps silent in the narration between (listener_rules._listener_silent) ---------

SILENT = '''Wren and Ash sat by the window after supper.

"Will you walk with me to the mill tomorrow, Ash?" said Wren.

He was silent.

"You need not come if you would rather not."'''


def test_a_listener_who_keeps_silent_leaves_the_last_speaker_to_go_on():
    # without the rule the vocative rule gives the speech to Ash, the one called
    assert speakers(SILENT)[-1] == ("Wren Hollis", "silent-listener")


def test_a_reported_answer_is_the_listeners_turn_too():
    text = SILENT.replace("He was silent.", "He replied that he had work at the forge.")
    assert speakers(text)[-1] == ("Wren Hollis", "silent-listener")


def test_the_last_speaker_falling_silent_passes_the_turn_as_usual():
    text = SILENT.replace("He was silent.", "She was silent.")
    assert speakers(text)[-1][0] == "Ash Marlow"


def test_a_silence_that_only_delays_the_answer_does_not_keep_the_floor():
    text = SILENT.replace("He was silent.", "He was silent for a moment.")
    assert speakers(text)[-1][0] == "Ash Marlow"
