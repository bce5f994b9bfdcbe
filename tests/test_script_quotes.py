"""Quote detection: each convention, what is a quote and what is only an apostrophe."""

from __future__ import annotations

import pytest

from render.script.quotes import (DASH, DOUBLE, GUILLEMET, NARRATION, QUOTE, RECITED, SINGLE, WRITTEN,
                                  detect_style, find_quotes, is_elision, segment)
from render.script.unspoken import (is_embedded_title, is_mention, is_verse, letter_paragraphs, run_in_quotations,
                                    unspoken)


def quoted(text: str, style: str = DOUBLE) -> list[str]:
    return [text[q.start:q.end] for q in find_quotes(text, style)]


# --- double quotes -------------------------------------------------------------------------


def test_straight_double_quotes_pair_in_order():
    text = '"Good morning," said Wren, "the kettle is on."'
    assert quoted(text) == ["Good morning,", "the kettle is on."]


def test_curly_double_quotes_face_their_way():
    text = "\u201cGood morning,\u201d said Wren, \u201cthe kettle is on.\u201d"
    assert quoted(text) == ["Good morning,", "the kettle is on."]


def test_apostrophes_inside_double_quoted_speech_are_not_quotes():
    text = "\"Don't touch the Smiths' boat,\" said Wren. \"It's o'clock somewhere.\""
    assert quoted(text) == ["Don't touch the Smiths' boat,", "It's o'clock somewhere."]


def test_nested_single_quotes_stay_inside_the_double_quote():
    text = "\"She told me 'never again' and left,\" said Wren."
    assert quoted(text) == ["She told me 'never again' and left,"]


def test_unclosed_quote_runs_to_the_end_of_the_paragraph():
    segs = find_quotes('"It was a long winter and the harbour froze', DOUBLE)
    assert len(segs) == 1 and segs[0].opened and not segs[0].closed


def test_paragraph_without_quotes_has_none():
    assert quoted("The tide came in at noon and nobody spoke.") == []


def test_segment_splits_narration_from_quotes_without_marks():
    text = '"Come in," said Wren, "and shut the door."'
    segs = segment(text)
    assert [s.kind for s in segs] == [QUOTE, NARRATION, QUOTE]
    assert text[segs[1].start:segs[1].end] == "said Wren,"


def test_short_title_inside_narration_is_not_speech():
    text = 'The band played "Harbour Lights" twice before supper.'
    assert [s.kind for s in segment(text)] == [NARRATION]
    assert is_embedded_title(text, find_quotes(text)[0])


def test_short_speech_after_a_speech_verb_is_still_speech():
    text = 'Wren only said "No, never" and went out.'
    assert QUOTE in [s.kind for s in segment(text)]


def test_exclamation_inside_narration_is_speech():
    text = 'Someone at the back shouted "Fire!" and everyone ran.'
    assert [text[s.start:s.end] for s in segment(text) if s.kind == QUOTE] == ["Fire!"]


# --- single quotes (British style) ---------------------------------------------------------


def test_single_quotes_with_apostrophes_and_elisions():
    text = "'I don't know,' said Wren, ''tis the Joneses' affair, not mine.'"
    assert quoted(text, SINGLE) == ["I don't know,", "'tis the Joneses' affair, not mine."]


def test_curly_single_quotes():
    text = "\u2018Come along,\u2019 said Wren. \u2018It\u2019s late.\u2019"
    assert quoted(text, SINGLE) == ["Come along,", "It\u2019s late."]


def test_possessive_plural_does_not_close_a_single_quote():
    text = "'We went past the Smiths' gate at dawn,' said Wren."
    assert quoted(text, SINGLE) == ["We went past the Smiths' gate at dawn,"]


def test_elision_at_word_start_is_not_an_opening_quote():
    assert is_elision("'tis late", 0)
    assert is_elision("back in '99", 8)
    assert not is_elision("'Tell me,' she said", 0)


def test_no_single_quotes_in_plain_narration_with_apostrophes():
    assert quoted("The boat's engine wasn't running at six o'clock.", SINGLE) == []


# --- guillemets and dashes ---------------------------------------------------------------


def test_guillemets_french_and_reversed_german_order():
    assert quoted("\u00abBonjour\u00bb, dit Wren.", GUILLEMET) == ["Bonjour"]
    assert quoted("\u00bbGuten Tag\u00ab, sagte Wren.", GUILLEMET) == ["Guten Tag"]


def test_dash_dialogue_with_an_interrupting_tag():
    text = "\u2014Come here, said nobody. \u2014 she said \u2014 I mean it."
    assert quoted(text, DASH)[0].startswith("Come here")


def test_dash_dialogue_needs_a_leading_dash():
    assert quoted("Nobody came \u2014 not even the dog.", DASH) == []


# --- style detection -----------------------------------------------------------------------


@pytest.mark.parametrize("paras, style", [
    (['"Yes," said Wren.', '"No," said Ash.'], DOUBLE),
    (["'Yes,' said Wren.", "'No,' said Ash.", "'Well,' said Wren."], SINGLE),
    (["\u00abOui\u00bb, dit Wren.", "\u00abNon\u00bb, dit Ash."], GUILLEMET),
    (["\u2014Yes, said Wren.", "\u2014No, said Ash."], DASH),
    (["It wasn't Wren's boat, nor Ash's.", '"Whose?" said Wren.'], DOUBLE),
])
def test_detect_style(paras, style):
    assert detect_style(paras) == style


# --- quoted words nobody says aloud ----------------------------------------------------------


def spoken(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segment(text) if s.kind == QUOTE]


def test_a_letter_set_off_as_an_indented_block_is_not_speech():
    text = ('"I write in haste, for the coach leaves at noon and the roads\n'
            '     are bad; tell Father the barley is sold and the mill is mended\n'
            '     and the new miller keeps good hours at last."')
    assert spoken(text) == []


def test_indented_verse_with_short_lines_stays_speech():
    text = '"Row, row, the tide is low,\n   Home we go,\n   Slow, slow."'
    assert spoken(text) == ["Row, row, the tide is low,\n   Home we go,\n   Slow, slow."]


def test_a_letters_salutation_closing_and_heading_are_not_speech():
    for text in ('"Dear Bertram,"', '"Yours affectionately,"', '"Your loving sister,"',
                 '"Believe me,"', '"I am, dear Sir, &c. &c."', '"LOST AT SEA."'):
        assert spoken(text) == [], text


def test_a_short_spoken_paragraph_is_still_speech():
    for text in ('"Your hat is wet."', '"Dear me, how late it is!"', '"HELP!"'):
        assert spoken(text) != [], text


def test_speech_only_imagined_is_not_speech():
    text = 'She looked round, as much as to say, "Are you all like this?" and sat down.'
    assert spoken(text) == []
    text = 'He had almost said "tiresome" before he stopped himself.'
    assert spoken(text) == []


def test_speech_after_an_ordinary_tag_is_still_speech():
    text = 'At last she ventured to say, "The tide is turning."'
    assert spoken(text) == ["The tide is turning."]


def test_words_written_are_not_speech():
    text = '"Come at once," she wrote, "and bring the key."'
    assert spoken(text) == []
    text = '"Closed for the winter," the notice ran.'
    assert spoken(text) == []
    text = '"Come at once," she said, "and bring the key."'
    assert spoken(text) == ["Come at once,", "and bring the key."]


def test_more_words_on_paper_are_not_speech():
    for text in ('Before sending it on he had written in the margin, "Is not this delightful news?"',
                 'The pamphlet was entitled, in a forcible hand, "Some Aspects of the State."',
                 'The notice contained the following sentence: "Miss Derek lacked experience."',
                 'He had a theory. The theory ran: "All travellers are thieves at heart."',
                 '"My dear Anne,--I make no apology for my silence."'):
        assert spoken(text) == [], text
        assert unspoken(text, find_quotes(text)[0]) == WRITTEN, text


def test_words_only_named_are_not_speech():
    for text in ('A vague threat which they called "the bad weather coming."',
                 'He had not gone mad at the phrase "an English girl," nor rallied to the flag.',
                 'She was reading "Isabella and the Pot of Basil," and her mind was far away.'):
        assert spoken(text) == [], text
        assert is_mention(text, find_quotes(text)[0]), text
        assert all(s.kind == NARRATION and not s.cited for s in segment(text)), text


def test_words_the_sentence_calls_a_sound_or_a_name_are_not_speech():
    for text in ('The train crossed a nullah. "Pomper, pomper, pomper," was the sound that the wheels made.',
                 '"Cissie" was the name of one of these villas.'):
        assert spoken(text) == [], text
    assert spoken('"Pomper, pomper," was his answer.') == ["Pomper, pomper,"]


def test_one_small_word_inside_the_narrators_sentence_is_named():
    for text in ('He was included in the "we," and believed that "our" society stood for something.',
                 'Winterbourne reflected for an instant--"we" could only mean Daisy and himself.'):
        assert spoken(text) == [], text
    # broken-off speech, a word said, a word ending the sentence or tagged stays speech
    for text in ('"Yes," said Katharine, "but" She did not finish.', 'He murmured "hum" and was silent.',
                 '"No," he said, "never."', '"No," he said, "never," she answered.'):
        assert spoken(text) != [] and len(spoken(text)) == len(find_quotes(text)), text


def test_named_words_long_or_called_out_are_still_speech():
    assert spoken('A voice called, "Lucy! Lucy!"') == ["Lucy! Lucy!"]
    assert spoken('She called "Victor!" and waved.') == ["Victor!"]
    text = 'What he called "the old days" were, he said, "the days when a man could sleep at night."'
    assert spoken(text) == ["the days when a man could sleep at night."]
    assert spoken('"Dear me,--how late it is!"') == ["Dear me,--how late it is!"]


def test_a_longer_title_in_a_narration_sentence_is_narration():
    text = 'The twins were now performing the overture to "The Poet and the Peasant."'
    assert spoken(text) == []
    text = 'He read the short notice, which was headed "Mysterious Business at Upper Norwood."'
    assert spoken(text) == []
    # a kin or rank title names a work's subject, not people announced
    text = 'She told them about her repeating "You Are Old, Father William" to the Caterpillar.'
    assert spoken(text) == []
    assert spoken('Then the butler announced "Mr and Mrs Charles Musgrove" at the door.') != []
    # the same length in speech case, or after a comma, is speech
    assert spoken('She was now saying to him "you must come to us at once, then."') != []
    assert spoken('They cried, "The Poet and the Peasant."') != []


def test_inscriptions_and_mottos_are_not_speech():
    for text in ('The hand of an amateur had painted this inscription: "Mistrust all new clothes."',
                 'The page concluded with the arms and motto:--"Principal seat, Kellynch Hall."',
                 'A white marble tablet bears as yet but one word: "AGNES."'):
        assert spoken(text) == [], text
    assert spoken('He made a sign to her: "Come here."') == ["Come here."]


def test_the_rest_of_a_written_quote_after_its_tag_is_written():
    text = '"Mind the stairs," she wrote, in her careful hand, "they creak at night. Burn this."'
    assert spoken(text) == []
    assert [s.cited for s in segment(text) if s.cited] == [WRITTEN, WRITTEN]
    # after a speech tag the rest is speech
    text = '"Mind the stairs," she said, in her careful way, "they creak at night."'
    assert spoken(text) == ["Mind the stairs,", "they creak at night."]


def test_reported_speech_after_a_narration_sentence_is_narration():
    text = ('He left the room at last. "He should be back before dark, and would bring the lamp '
            'if she wished it." The door closed.')
    assert spoken(text) == []
    assert all(s.kind == NARRATION and not s.cited for s in segment(text))
    # narration may go on after it
    text = ('Mary sighed. "She should put it off as long as she could, and he would not mind it;" but '
            'she was not easy.')
    assert spoken(text) == []
    # the same words with a tag, after a colon, or worded as direct speech are speech
    for text in ('He left the room. "He should be back before dark, and would bring the lamp if she wished it," said Tom.',
                 'He said: "He should be back before dark, and would bring the lamp if she wished it."',
                 'He left the room. "I should be back before dark, and would bring the lamp if you wished it."',
                 'He left the room. "He should be back before dark, and would bring the lamp," he added.',
                 '"Oh!" cried Rose. "Why did she send for these people, and what had he done?"'):
        assert spoken(text) != [], text


def test_a_letters_lines_round_its_salutation_are_written():
    texts = ['"Tunbridge Wells,"', '"September."', '"Dearest Lucia,"',
             '"I have news of you at last! The weather has been fine."', '"Your anxious cousin,"',
             '"Charlotte."', 'Lucy read it twice.', '"What does she mean?"']
    marked = letter_paragraphs([segment(t) for t in texts], texts)
    assert [all(s.cited == WRITTEN for s in segs) for segs in marked] == [True] * 6 + [False, False]
    assert [s.kind for s in marked[-1]] == [QUOTE]
    # an answer right after the closing is no signature; without a salutation or closing,
    # quote-only paragraphs are a conversation
    for texts in (['"Dear Madam,"', '"Yours faithfully, A. FIELDING."', '"Is that all he writes?"'],
                  ['"Tunbridge Wells, then?"', '"September."', '"Charlotte!"']):
        marked = letter_paragraphs([segment(t) for t in texts], texts)
        assert [s.kind for s in marked[-1]] == [QUOTE], texts
        assert marked[-1] == segment(texts[-1])


def test_a_poems_own_speakers_are_recited_not_said():
    stanza = ('"You are old, Father William," the young man said,\n'
              '    "And your hair has become very white;\n'
              'And yet you incessantly stand on your head--\n'
              '    Do you think, at your age, it is right?"')
    assert is_verse(stanza)
    assert spoken(stanza) == []
    assert [s.cited for s in segment(stanza) if s.cited] == [WRITTEN, WRITTEN]
    # unindented verse: five lines that all open with a capital
    stanza = ('"Will you walk a little faster?" said a whiting to a snail.\n'
              '"There\'s a porpoise close behind us, and he\'s treading on my tail.\n'
              'See how eagerly the lobsters and the turtles all advance!\n'
              'They are waiting on the shingle--will you come and join the dance?\n'
              'Will you, won\'t you, will you, won\'t you, will you join the dance?"')
    assert spoken(stanza) == []
    # a song sung whole is one speech; hard-wrapped prose is no verse
    song = '"Speak roughly to your little boy,\n    And beat him when he sneezes:\nHe only does it to annoy,\n    Because he knows it teases."'
    assert spoken(song) != []
    prose = ('"I do not know," said Wren, "whether the\nboat will come; but she promised, and\n'
             'She always keeps her word," he added.')
    assert not is_verse(prose)
    assert spoken(prose) == ["I do not know,", "whether the\nboat will come; but she promised, and\nShe always keeps her word,"]


def test_a_quotation_run_into_the_narrators_sentence_is_not_speech():
    texts = ['From Gray, that', '"Many a flower is born to blush unseen,\nAnd waste its fragrance on the desert air."',
             'From Pope, she learnt to censure those who', '"bear about the mockery of woe."',
             'It was only Mr. Fielding who', '"Hassan!"',
             'After a pause she addressed him a second time with',
             '"It is your turn to say something now, Mr. Darcy. I talked about\nthe dance."']
    marked = run_in_quotations([segment(t) for t in texts], texts)
    assert [s.cited for segs in marked[1:4:2] for s in segs] == [WRITTEN, WRITTEN]
    assert [s.kind for s in marked[5]] == [QUOTE] and [s.kind for s in marked[7]] == [QUOTE]


def test_words_read_out_or_repeated_whole_are_recited():
    text = '"\'Leonora,\'" he read, "\'sat pensive and alone.\'"'
    assert spoken(text) == []
    assert [s.cited for s in segment(text) if s.cited] == [RECITED, RECITED]
    # a quote that only holds a quotation among its own words is speech
    text = '"She said \'never\' to me," he read.'
    assert spoken(text) == ["She said 'never' to me,"]
