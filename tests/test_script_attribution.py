"""The attribution sieve, rule by rule, on short invented passages.

Each rule has a case it handles and a case it must not fire on.
"""

from __future__ import annotations

import re
from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.attribution import (Para, Quote, continues_speech, make_para, rule_continuation,
                                       rule_same_paragraph, rule_speech_chain,
                                       rule_turn_taking, rule_vocative, vocatives)
from render.script.cast import Cast, CastMember
from render.script.characters import Character, CharacterIndex
from render.script.quotes import segment


def prose_book(text: str, chapters: int = 1) -> Book:
    """A one-chapter Book whose paragraphs are the blank-line separated parts of text."""
    blocks = []
    for m in re.finditer(r"(?:[^\n]+\n?)+", text):
        s, e = m.start(), m.start() + len(m.group(0).rstrip("\n"))
        blocks.append(Block(PARAGRAPH, " ".join(text[s:e].split()), start=s, end=e))
    return Book("Test", Path("test.txt"), [Chapter(1, "One", blocks)], text=text)


def cast_of(*members: tuple[str, str, list[str]]) -> Cast:
    return Cast(narrator=CastMember("narrator"),
                characters=[CastMember(n, aliases=a, gender=g) for n, g, a in members])


WREN_ASH = cast_of(("Wren Hollis", "female", ["Wren", "Miss Hollis"]),
                   ("Ash Marlow", "male", ["Ash", "Mr. Marlow"]))


WREN_JILL_ASH = cast_of(("Wren Hollis", "female", ["Wren"]), ("Jill Hollis", "female", ["Jill"]),
                        ("Ash Marlow", "male", ["Ash"]))
ASH_TOM = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]))
BENNETS = cast_of(("Mr. Bennet", "male", []), ("Mrs. Bennet", "female", []))


def speakers(text: str, cast: Cast | None = WREN_ASH) -> list[tuple[str | None, str | None]]:
    return [(r["speaker"], r["rule"]) for r in attribute_quotes(prose_book(text), cast)]


def para(text: str) -> Para:
    return make_para(1, 0, text, 0, segment(text))


# --- explicit tags -------------------------------------------------------------------------


def test_explicit_verb_after_names_the_speaker():
    assert speakers('"The tide is turning," said Wren.') == [("Wren Hollis", "explicit-verb-after")]


def test_explicit_name_first_and_adverb():
    assert speakers('"Stay here," Ash quietly said.') == [("Ash Marlow", "explicit-verb-after")]


def test_explicit_verb_before_the_quote():
    text = 'Wren turned from the window and said: "It is time."'
    assert speakers(text) == [("Wren Hollis", "explicit-verb-before")]


def test_tag_in_the_paragraph_before_the_quote():
    text = 'After a long silence Mr. Marlow said:\n\n"We sail at dawn."'
    assert speakers(text) == [("Ash Marlow", "explicit-verb-before")]


def test_no_tag_no_explicit_rule():
    rules = [r for _, r in speakers('"The tide is turning." The gulls cried over the harbour.')]
    assert not any(r and r.startswith("explicit") for r in rules)


def test_partial_name_resolves_through_the_cast():
    assert speakers('"Enough," said Marlow.')[0][0] == "Ash Marlow"


def test_an_epithet_before_a_name_is_not_part_of_it():
    assert speakers('"Enough," said dour Mr. Marlow.') == [("Ash Marlow", "explicit-verb-after")]


def test_a_name_spelt_differently_from_the_cast_is_the_cast_character():
    cast = cast_of(("Mr. Mcbryde", "male", []), ("Nawab Badahur", "male", []), ("Wren", "female", []))
    text = ('"Stay," said McBryde. "Go," said McBryde.\n\n"No," said Wren.\n\n'
            '"Sit," said the Nawab Bahadur. "Now," said the Nawab Bahadur.\n\n'
            '"Yes," said Mr. McBrde. "No," said Mr. McBrde.')
    assert [s for s, _ in speakers(text, cast)] == (["Mr. Mcbryde"] * 2 + ["Wren"] + ["Nawab Badahur"] * 2
                                                    + ["Mr. Mcbryde"] * 2)


def test_a_shared_first_name_is_the_one_the_book_seldom_names_in_full():
    cast = cast_of(("Tom Bay", "male", []), ("Tom Hollis", "male", ["Hollis"]), ("Wren", "female", []))
    text = ("Tom Hollis came in. Tom Hollis sat down. Tom Bay stood by the door. Later Tom Hollis "
            "left, and Tom Hollis came back.\n\n" + '"We sail," said Tom.')
    assert speakers(text, cast)[-1] == ("Tom Bay", "explicit-verb-after")


# --- pronouns and descriptions -------------------------------------------------------------


def test_pronoun_resolves_to_the_salient_character_of_that_gender():
    text = 'Ash came in from the rain.\n\n"The boat is ready," he said.'
    assert speakers(text) == [("Ash Marlow", "pronoun-verb-after")]


def test_a_pronoun_tag_is_not_the_one_it_speaks_to():
    text = 'Tom sat by the fire. Ash came in.\n\n"The boat is ready," he said to Ash.'
    assert speakers(text, ASH_TOM) == [("Tom Bay", "pronoun-verb-after")]
    book = prose_book(text)
    off = attribute_quotes(book, ASH_TOM, disabled=frozenset({"not-the-hearer"}))
    assert [r["speaker"] for r in off] == ["Ash Marlow"]


def test_pronoun_skips_a_character_of_the_wrong_gender():
    text = 'Ash met Wren at the gate.\n\n"You are late," she said.'
    assert speakers(text)[0][0] == "Wren Hollis"


def test_a_pronoun_on_a_new_turn_is_the_other_man():
    text = ('Tom sat by the fire. Ash came in.\n\n"The boat is ready," said Ash.\n\n'
            '"We sail at dawn," he said.')
    assert speakers(text, ASH_TOM)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_a_speaker_the_narration_after_his_speech_is_about_keeps_the_floor():
    text = ('Tom sat by the fire. Ash came in.\n\n"The boat is ready," said Ash. He looked out at '
            'the rain for a long while. Then he turned back to the fire.\n\n"We sail at dawn," he said.')
    assert speakers(text, ASH_TOM)[-1] == ("Ash Marlow", "pronoun-verb-after")


def test_narration_about_someone_else_passes_the_turn():
    text = ('Tom sat by the fire. Ash came in.\n\n"The boat is ready," said Ash. The rain beat on '
            'the windows and the fire burned low.\n\n"We sail at dawn," he said.')
    assert speakers(text, ASH_TOM)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_the_floor_stays_with_the_last_one_of_the_speakers_gender_the_narration_is_about():
    # the narration after Ash's speech is last about him ('He had rowed'), not about another man:
    # a sentence about no one, or about a woman, does not pass the turn to Tom
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]),
                   ("Wren Hollis", "female", ["Wren"]))
    before = ('Tom sat by the fire with Wren. Ash came in.\n\n"The boat is ready," said Ash. He had '
              'rowed it over himself. ')
    after = '\n\n"We sail at dawn," he said.'
    for beat in ("That was why his hands were cold.", "Wren did not answer."):
        assert speakers(before + beat + after, cast)[-1] == ("Ash Marlow", "pronoun-verb-after"), beat
    assert speakers(before + "Tom did not answer." + after, cast)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_the_floor_stays_with_a_speaker_whose_own_tag_closes_the_paragraph():
    # the narration after Ash's speech is his own tag running on ('he said, and walked …'): when
    # nothing follows it, Ash keeps the floor; a sentence about Wren after it passes the turn on
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]),
                   ("Wren Hollis", "female", ["Wren"]))
    start = ('Tom sat by the fire with Wren. Ash came in.\n\n"Is the boat ready?" asked Tom.\n\n'
             '"It is," he said, and walked to the window to look at the grey water of the bay.')
    end = '\n\n"We sail at dawn," he said.'
    got = speakers(start + end, cast)
    assert got[1] == ("Ash Marlow", "pronoun-verb-after")
    assert got[-1] == ("Ash Marlow", "pronoun-verb-after")
    assert speakers(start + " Wren did not look up." + end, cast)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_the_floor_stays_with_a_speaker_no_tag_named():
    # Ash's turn comes from Tom calling him, not from a tag; the narration after it is about him
    # ('He had rowed …'), so the next 'he said' is Ash going on
    start = 'Tom sat by the fire. Ash came in.\n\n"Is the boat ready, Ash?" asked Tom.\n\n"It is." '
    end = '\n\n"We sail at dawn," he said.'
    got = speakers(start + "He had rowed it over himself that very morning." + end, ASH_TOM)
    assert got[1][0] == "Ash Marlow" and not got[1][1].startswith("pronoun")
    assert got[-1] == ("Ash Marlow", "pronoun-verb-after")
    got = speakers(start + "The rain beat on the windows of the little room." + end, ASH_TOM)
    assert got[-1] == ("Tom Bay", "pronoun-verb-after")


def test_a_speaker_who_goes_on_after_a_beat_keeps_the_floor():
    # 'he added' goes on with a speech: after a beat about Ash (too short for a held turn), Ash
    before = 'Tom sat by the fire. Ash came in.\n\n"The boat is ready," said Ash. He smiled.\n\n'
    assert speakers(before + '"We sail at dawn," he added.', ASH_TOM)[-1] == ("Ash Marlow", "pronoun-verb-after")
    assert speakers(before + '"We sail at dawn," he said.', ASH_TOM)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_going_on_after_narration_about_someone_else_is_the_other_man():
    text = ('Tom sat by the fire. Ash came in.\n\n"The boat is ready," said Ash. The rain beat on '
            'the windows.\n\n"We sail at dawn," he went on.')
    assert speakers(text, ASH_TOM)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_a_man_answering_a_woman_keeps_the_floor_for_his_pronoun():
    # Ash answers Wren; 'he said' on the next turn is Ash going on, not Tom coming in. When Ash
    # was answering Tom, the new turn's 'he' is Tom.
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]),
                   ("Wren Hollis", "female", ["Wren"]))
    end = '"It is," said Ash.\n\n"We sail at dawn," he said.'
    text = 'Tom sat by the fire. Ash and Wren came in.\n\n"Is the boat ready?" asked Wren.\n\n' + end
    assert speakers(text, cast)[-1] == ("Ash Marlow", "pronoun-verb-after")
    off = attribute_quotes(prose_book(text), cast, disabled=frozenset({"other-sex-partner"}))
    assert off[-1]["speaker"] == "Tom Bay"
    text = 'Wren sat by the fire. Ash and Tom came in.\n\n"Is the boat ready?" asked Tom.\n\n' + end
    assert speakers(text, cast)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_a_pronoun_closing_the_last_speakers_paragraph_introduces_them_again():
    # 'but he soon afterwards said,' after Ash's speech, in a paragraph naming no other man
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]),
                   ("Wren Hollis", "female", ["Wren"]))
    start = 'Wren sat by the fire. Ash and Tom came in.\n\n"Is the boat ready?" asked Tom.\n\n"It is," said Ash. '
    end = ' looked at the sea; but he soon afterwards said,\n\n"We sail at dawn."'
    text = start + "Wren" + end
    assert speakers(text, cast)[-1] == ("Ash Marlow", "pronoun-verb-before")
    off = attribute_quotes(prose_book(text), cast, disabled=frozenset({"introduction-holds"}))
    assert off[-1]["speaker"] == "Tom Bay"
    assert speakers(start + "Tom" + end, cast)[-1] == ("Tom Bay", "pronoun-verb-before")


def test_a_reflexive_outside_the_tag_does_not_make_it_a_speech_to_oneself():
    # 'to himself' in a phrase after the tag is no 'he said to himself': the man speaking is
    # the one on stage, not the book's most named man
    text = ('Ash sat. Ash ate. Ash slept. Ash woke. Tom came in.\n\n"The boat is ready," said Tom. '
            '"The wind," he added, as if arguing to himself, "is fair."')
    assert [s for s, _ in speakers(text, ASH_TOM)] == ["Tom Bay"] * 3
    alone = 'Ash sat. Ash ate. Ash slept. Ash woke. Tom came in.\n\n"The wind is fair," he said to himself.'
    assert speakers(alone, ASH_TOM) == [("Ash Marlow", "pronoun-verb-after")]


def test_a_cast_name_ending_in_ing_tags_a_speech():
    cast = cast_of(("Cyril Fielding", "male", ["Fielding"]), ("Ash Marlow", "male", ["Ash"]))
    text = 'Ash came in.\n\n"The boat is ready," Fielding said.\n\nFielding, who liked Ash, replied: "So it is."'
    assert speakers(text, cast) == [("Cyril Fielding", "explicit-verb-after"), ("Cyril Fielding", "explicit-verb-before")]


def test_a_tag_after_a_speech_closed_by_a_full_stop_introduces_the_next_one():
    text = ('Ash and Wren sat by the fire.\n\nBut Wren said, "Do give up that farce." He replied in a sad '
            'voice, "I cannot."')
    assert [s for s, _ in speakers(text)] == ["Wren Hollis", "Ash Marlow"]


def test_reported_speech_closing_a_paragraph_does_not_introduce_the_next_one():
    # 'and said she was foolish' reports what Ash said; only a sentence ending on its speech
    # verb ('and then he said again.') introduces the next paragraph's speech
    start = 'Wren and Ash came in.\n\n"Is the boat ready?" asked Ash. He laughed at her, and '
    end = '\n\n"It sails at dawn."'
    reported = start + "said she was foolish." + end
    assert speakers(reported)[-1] == ("Wren Hollis", "alternation")
    # (rule 'reported-clause' reads 'said she was foolish.' as told too: both must be off)
    off = attribute_quotes(prose_book(reported), WREN_ASH,
                           disabled=frozenset({"verb-ends-introduction", "reported-clause"}))
    assert (off[-1]["speaker"], off[-1]["rule"]) == ("Ash Marlow", "pronoun-verb-before")
    assert speakers(start + "then he said again." + end)[-1] == ("Ash Marlow", "pronoun-verb-before")


def test_a_role_several_cast_members_share_is_the_one_described_by_the_scene():
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]),
                   ("The Jailer At Ash's Trial", "male", []), ("The Jailer At Tom's Trial", "male", []))
    text = 'Ash stood in the dock.\n\n"Silence there!" cried the jailer.'
    assert speakers(text, cast) == [("The Jailer At Ash's Trial", "nominal-verb-after")]


def test_pronoun_with_nobody_on_stage_is_left_unresolved():
    assert speakers('"Who is there?" she whispered.') == [(None, None)]


def test_a_speaker_never_addresses_themselves():
    text = 'Wren and Ash stood by the nets. Ash went out.\n\n"Come back, Ash!" she cried.'
    assert speakers(text)[0][0] == "Wren Hollis"


def test_kin_by_surname_his_wife():
    cast = cast_of(("Mr. Bennick", "male", []), ("Mrs. Bennick", "female", []),
                   ("Miss Dale", "female", []))
    text = ('Miss Dale had gone home.\n\n"My dear Mr. Bennick," said his wife, "the guests are here."')
    assert speakers(text, cast)[0] == ("Mrs. Bennick", "nominal-verb-after")


def test_her_aunt_is_not_the_woman_who_shares_her_surname():
    # Mrs. Bennet shares Elizabeth Bennet's surname as her mother; her aunt is the married woman
    # on stage, Mrs. Gardiner
    cast = cast_of(("Mrs. Bennet", "female", []), ("Elizabeth Bennet", "female", ["Elizabeth"]),
                   ("Mrs. Gardiner", "female", []))
    text = ('Mrs. Bennet stayed at home. Elizabeth walked out with Mrs. Gardiner.\n\n'
            '"What a fine house," said Elizabeth.\n\n"It is indeed," said her aunt.')
    assert speakers(text, cast)[-1] == ("Mrs. Gardiner", "nominal-verb-after")
    off = attribute_quotes(prose_book(text), cast, disabled=frozenset({"aunt-by-name"}))
    assert off[-1]["speaker"] == "Mrs. Bennet"


def test_her_mother_needs_a_married_title_when_the_daughter_has_no_surname():
    cast = cast_of(("Nora", "female", []), ("Mrs. Fenwick", "female", []), ("Tilly", "female", []),
                   ("Ann", "female", []), ("Jess", "female", []), ("Rose", "female", []))
    text = ('Mrs. Fenwick came in with the tea. Ann, Tilly, Jess and Rose laughed at the book Nora '
            'was reading.\n\n"Do put that book down, Nora," said her mother.')
    assert speakers(text, cast)[0][0] == "Mrs. Fenwick"


def test_her_sister_is_not_forced_to_a_married_title():
    cast = cast_of(("Nora", "female", []), ("Mrs. Fenwick", "female", []), ("Tilly", "female", []),
                   ("Ann", "female", []), ("Jess", "female", []), ("Rose", "female", []))
    text = ('Mrs. Fenwick came in with the tea. Ann, Tilly, Jess and Rose laughed at the book Nora '
            'was reading.\n\n"Do put that book down, Nora," said her sister.')
    assert speakers(text, cast)[0][0] != "Mrs. Fenwick"


def test_description_matching_a_cast_alias():
    cast = cast_of(("Tobias Reed", "male", ["The Ferryman"]), ("Wren", "female", []))
    assert speakers('"Fare, please," said the ferryman.', cast)[0][0] == "Tobias Reed"


def test_first_person_narrator_from_the_cast():
    cast = cast_of(("Jonah Pike", "male", ["I"]), ("Wren", "female", []))
    assert speakers('"Not tonight," said I.', cast)[0] == ("Jonah Pike", "first-person")


def test_first_person_without_a_narrator_character_is_unresolved():
    assert speakers('"Not tonight," said I.')[0][0] is None


# --- paragraph rules -----------------------------------------------------------------------


def test_same_paragraph_shares_the_tagged_speaker():
    p = para('"Wait," said Wren, "the rope is loose."')
    p.quotes[0].decide("Wren", "explicit-verb-after")
    rule_same_paragraph(p)
    assert p.quotes[1].speaker == "Wren" and p.quotes[1].rule == "same-paragraph"


def test_same_paragraph_does_not_pass_a_later_introduced_voice_backwards():
    p = para('"Wait!" The door banged, and Ash said: "Too late."')
    p.quotes[1].decide("Ash", "explicit-verb-before")
    rule_same_paragraph(p)
    assert p.quotes[0].speaker is None


def test_continued_quote_keeps_its_speaker():
    first, second = para('"It began in the spring,'), para('"and it ended in the autumn."')
    first.quotes[0].decide("Wren", "explicit-verb-after")
    rule_continuation(first, second)
    assert second.quotes[0].speaker == "Wren" and second.quotes[0].rule == "continued-quote"


def test_closed_quote_is_not_continued():
    first, second = para('"It began in the spring."'), para('"And ended in autumn."')
    first.quotes[0].decide("Wren", "explicit-verb-after")
    rule_continuation(first, second)
    assert second.quotes[0].speaker is None


# --- conversation rules --------------------------------------------------------------------


def index() -> CharacterIndex:
    return CharacterIndex([Character("Wren", {"Miss Hollis"}, "female"), Character("Ash", set(), "male")])


def test_vocatives_found_at_start_and_after_a_comma():
    assert vocatives("Ash, come here.", index()) == ["Ash"]
    assert vocatives("Come here, Miss Hollis!", index()) == ["Wren"]


def test_a_name_mentioned_in_passing_is_not_a_vocative():
    assert vocatives("I saw Ash at the market yesterday.", index()) == []


def test_vocative_rule_names_the_person_addressed():
    prev, cur = para('"Ash, are you listening?"'), para('"Always."')
    prev.quotes[0].decide("Wren", "explicit-verb-after")
    assert rule_vocative(cur.quotes[0], prev, index())
    assert cur.quotes[0].speaker == "Ash"


def test_vocative_rule_ignores_the_speakers_own_name():
    prev, cur = para('"Wren is my name, Wren!"'), para('"Always."')
    prev.quotes[0].decide("Wren", "explicit-verb-after")
    assert not rule_vocative(cur.quotes[0], prev, index())


def test_vocative_rule_answers_for_someone_on_stage():
    prev, cur = para('"Ash, are you listening?"'), para('"Always."')
    prev.quotes[0].decide("Wren", "explicit-verb-after")
    assert rule_vocative(cur.quotes[0], prev, index(), stage={"Wren", "Ash"})
    assert cur.quotes[0].speaker == "Ash"


def test_vocative_rule_ignores_an_address_to_someone_off_stage():
    # the scene has only mentioned Wren and a third person; 'Ash' is a name the cast gives to
    # someone who is not there, so the address does not decide the reply
    prev, cur = para('"Ash, are you listening?"'), para('"Always."')
    prev.quotes[0].decide("Wren", "explicit-verb-after")
    assert not rule_vocative(cur.quotes[0], prev, index(), stage={"Wren", "Tom"})
    assert cur.quotes[0].speaker is None


def test_turn_taking_alternates_two_speakers():
    a, b, c = para('"One."'), para('"Two."'), para('"Three."')
    a.quotes[0].decide("Wren", "explicit-verb-after")
    b.quotes[0].decide("Ash", "explicit-verb-after")
    assert rule_turn_taking(c.quotes[0], b, a)
    assert c.quotes[0].speaker == "Wren"


def test_turn_taking_needs_two_different_speakers():
    a, b, c = para('"One."'), para('"Two."'), para('"Three."')
    a.quotes[0].decide("Wren", "explicit-verb-after")
    b.quotes[0].decide("Wren", "explicit-verb-after")
    assert not rule_turn_taking(c.quotes[0], b, a)


def test_exchange_is_filled_in_from_its_anchors():
    text = ('"Is the lamp lit?" asked Wren.\n\n"It is."\n\n"And the door?"\n\n"Barred," said Ash.\n\n'
            '"Good."')
    got = [s for s, _ in speakers(text)]
    assert got == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Ash Marlow", "Wren Hollis"]


def test_exchange_does_not_cross_a_chapter():
    book = prose_book('"Is the lamp lit?" asked Wren.\n\n"It is," said Ash.\n\n"Good."')
    blocks = book.chapters[0].blocks
    book.chapters = [Chapter(1, "One", blocks[:2]), Chapter(2, "Two", blocks[2:])]
    recs = attribute_quotes(book, WREN_ASH)
    assert recs[2]["rule"] != "turn-taking"


def test_action_beat_and_nearest_mention_are_low_confidence_fallbacks():
    text = 'Ash set down the oars. "We wait for the tide."'
    rec = attribute_quotes(prose_book(text), WREN_ASH)[0]
    tagged = attribute_quotes(prose_book('"We wait for the tide," said Ash.'), WREN_ASH)[0]
    assert rec["speaker"] == "Ash Marlow" and rec["confidence"] < tagged["confidence"]


def test_unresolved_quote_is_marked_not_guessed():
    rec = attribute_quotes(prose_book('"Who goes there?"'), WREN_ASH)[0]
    assert rec["speaker"] is None and rec["rule"] is None and rec["confidence"] == 0.0


# --- records -------------------------------------------------------------------------------


def test_records_carry_offsets_of_the_quoted_words():
    text = 'Ash spoke first.\n\n"The tide," said Ash, "is turning."\n'
    book = prose_book(text)
    recs = attribute_quotes(book, WREN_ASH)
    assert [text[r["start"]:r["end"]] for r in recs] == ["The tide,", "is turning."]
    assert all(r["speaker"] == "Ash Marlow" for r in recs)
    assert set(recs[0]) == {"id", "chapter", "start", "end", "text", "speaker", "addressee", "rule",
                           "confidence", "runner_up"}


def test_addressee_from_a_vocative():
    recs = attribute_quotes(prose_book('"Wren, the lamp," said Ash.'), WREN_ASH)
    assert recs[0]["addressee"] == "Wren Hollis"


def test_without_a_cast_names_come_from_the_text():
    text = '"The tide is turning," said Wren.\n\n"Then we go," said Ash.'
    assert [s for s, _ in speakers(text, None)] == ["Wren", "Ash"]


def test_quote_objects_know_their_text():
    p = para('"Hello," said Wren.')
    assert isinstance(p.quotes[0], Quote) and p.quotes[0].text == "Hello,"


def test_it_said_means_a_talking_creature_on_stage():
    cast = cast_of(("Wren", "female", []), ("The Heron", "male", ["Heron"]))
    text = 'The Heron stood in the reeds and Wren waited.\n\n"You are late," it said.'
    assert speakers(text, cast)[0] == ("The Heron", "pronoun-verb-after")


def test_it_said_with_no_creature_is_left_alone():
    assert speakers('Wren waited.\n\n"The tide," it said.')[0][1] != "pronoun-verb-after"


def test_talking_to_herself_is_the_lead_on_stage():
    cast = cast_of(("Wren", "female", []), ("Mrs. Ashby", "female", []))
    text = ('Wren walked to the quay. Wren saw the boats. Wren sat down.\n\n'
            'Mrs. Ashby passed by with her basket.\n\n"Too late again," she said to herself.')
    assert speakers(text, cast)[0][0] == "Wren"


def test_plain_she_said_stays_with_the_latest_woman():
    cast = cast_of(("Wren", "female", []), ("Mrs. Ashby", "female", []))
    text = ('Wren walked to the quay. Wren saw the boats. Wren sat down.\n\n'
            'Mrs. Ashby passed by with her basket.\n\n"Too late again," she said.')
    assert speakers(text, cast)[0][0] == "Mrs. Ashby"


def test_without_a_cast_a_recurring_description_becomes_a_character():
    text = '"Done!" cried the banker.\n\n"Agreed," said the lawyer.\n\n"Then sign," said the banker.'
    assert [s for s, _ in speakers(text, None)] == ["The Banker", "The Lawyer", "The Banker"]


def test_with_a_cast_descriptions_are_not_invented():
    assert speakers('"Done!" cried the banker.')[0][0] != "The Banker"


# --- a speech running over several paragraphs ------------------------------------------------


def test_continues_speech_when_the_quote_is_left_open():
    first, second = para('"The harbour was quiet that year.'), para('"Then the storm came."')
    assert continues_speech(first, second)


def test_a_closed_quote_is_not_continued():
    first, second = para('"The harbour was quiet that year."'), para('"Then the storm came."')
    assert not continues_speech(first, second)


def test_speech_chain_takes_the_speaker_of_its_opening_paragraph():
    chain = [para('"It began in the spring," said Ash.'), para('"We sailed north.'),
             para('"Nobody came back."')]
    chain[0].quotes[0].decide("Ash Marlow", "explicit-verb-after")
    rule_speech_chain(chain)
    assert [p.quotes[0].speaker for p in chain[1:]] == ["Ash Marlow", "Ash Marlow"]


def test_speech_chain_ignores_tags_deep_inside_a_long_tale():
    chain = [para('"It began in the spring.'), para('"We sailed north.'), para('"The mate spoke up.'),
             para('"Turn back," said I.')]
    chain[3].quotes[0].decide("Wren Hollis", "first-person")
    assert rule_speech_chain(chain) == 0
    assert chain[0].quotes[0].speaker is None


def test_running_speech_is_one_turn_in_an_exchange():
    text = ('"Tell us, then," said Wren.\n\n"It began in the spring, when the ice broke.\n\n'
            '"We sailed north with six men.\n\n"Nobody came back but me."\n\n"A sad tale," said Wren.')
    got = [s for s, _ in speakers(text)]
    assert got[1] == got[2] == got[3]
    assert got[1] != "Wren Hollis"


# --- an unknown description answering the one just addressed ---------------------------------


def test_undescribed_nominal_answers_the_one_addressed():
    text = '"You lied to us, Ash," said Wren.\n\n"Never!" snarled the ex-convict.'
    assert speakers(text)[1] == ("Ash Marlow", "addressed-reply")


def test_undescribed_nominal_without_an_addressee_stays_open():
    text = '"You lied to us," said Wren.\n\n"Never!" snarled the ex-convict.'
    assert speakers(text)[1][1] != "addressed-reply"


# --- the one a tagged turn was spoken to answers it ------------------------------------------

THREE = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]),
                ("Cole Pike", "male", ["Cole"]))


def test_tagged_addressee_replies():
    from render.script.attribution import rule_tagged_addressee_replies

    prev, cur = para('"Is it late?" she asked him.'), para('"Not yet."')
    prev.quotes[0].decide("Wren", "pronoun-verb-after")
    prev.quotes[0].addressee = "Cole"
    assert rule_tagged_addressee_replies(cur.quotes[0], prev)
    assert cur.quotes[0].speaker == "Cole"
    # in a passage: Ash spoke last before the scene moved to Cole, who is asked and answers
    text = ('"Good night," said Ash.\n\n"Good night," said Wren.\n\n'
            'She had gone half the way home when Cole overtook her.\n\n'
            '"Did you think I was afraid?" she asked him.\n\n"No; I knew you were not."')
    assert speakers(text, THREE)[-1] == ("Cole Pike", "addressed-reply")


def test_tagged_addressee_does_not_fire_without_a_tag_or_when_named_in_the_reply():
    from render.script.attribution import rule_tagged_addressee_replies

    prev, cur = para('"Is it late?"'), para('"Not yet."')
    prev.quotes[0].decide("Wren", "turn-taking")
    prev.quotes[0].addressee = "Cole"
    assert not rule_tagged_addressee_replies(cur.quotes[0], prev)  # no tag said whom it was to
    prev.quotes[0].rule = "pronoun-verb-after"
    assert not rule_tagged_addressee_replies(cur.quotes[0], prev, named={"Cole"})


def test_tag_addressee_object_pronoun():
    from render.script.tags import tag_after

    assert tag_after(" she asked him, smiling.").addressee == "him"
    assert tag_after(" he said to her.").addressee == "her"
    assert tag_after(" she said, looking at him.").addressee is None
    assert tag_after(" she asked her mother.").addressee is None  # 'her' is a possessive here


# --- age of a description ------------------------------------------------------------------


def _age_index():
    return CharacterIndex([Character("Pip", set(), "male"), Character("Mr. Gray", {"Gray"}, "male")])


def test_ages_reads_little_and_young_before_a_name():
    from render.script.attribution import ages
    text = "Little Pip ran off. Later little Pip came back, and Mr. Gray waved."
    assert ages([para(text)], _age_index()) == {"Pip": "child"}
    assert ages([para("Young Pip sat down. Young Pip laughed.")], _age_index()) == {"Pip": "young"}


def test_ages_ignores_a_name_never_called_little_or_young():
    from render.script.attribution import ages
    assert ages([para("Pip ran off. Mr. Gray waved. Pip came back.")], _age_index()) == {}


def test_a_child_is_not_the_old_gentleman():
    from render.script.resolve import Context, Resolver
    res = Resolver(_age_index(), allow_new=False)
    res.mention("Mr. Gray")
    res.mention("Pip")  # Pip is the most salient male
    res.ages = {"Pip": "child"}
    assert res.nominal("the old gentleman", Context(), 1) == "Mr. Gray"
    assert res.nominal("the man", Context(), 1) == "Mr. Gray"


def test_a_child_can_still_be_the_boy():
    from render.script.resolve import Context, Resolver
    res = Resolver(_age_index(), allow_new=False)
    res.mention("Mr. Gray")
    res.mention("Pip")
    res.ages = {"Pip": "child"}
    assert res.nominal("the boy", Context(), 1) == "Pip"


# --- epithets and unnamed exchanges ----------------------------------------------------------

NAN_ROSE = cast_of(("Nan Pike", "female", ["Nan"]), ("Rose Bay", "female", ["Rose"]),
                   ("Mrs. Bay", "female", []), ("Tom Bay", "male", ["Tom"]))

NAN_ALONE = '''Nan came into the kitchen alone and looked about her.

"Is the kettle on?" said the girl.'''

NAN_AGAIN = '''Nan was alone in the kitchen again the next morning.

"Then I shall light it myself," said the girl.'''


def chapters_book(*texts: str) -> Book:
    """A Book with one chapter per text, paragraphs split at blank lines, offsets into the whole."""
    whole, chapters = "", []
    for i, text in enumerate(texts, 1):
        base = len(whole)
        whole += text + "\n\n"
        blocks = []
        for m in re.finditer(r"(?:[^\n]+\n?)+", text):
            s, e = m.start(), m.start() + len(m.group(0).rstrip("\n"))
            blocks.append(Block(PARAGRAPH, " ".join(text[s:e].split()), start=base + s, end=base + e))
        chapters.append(Chapter(i, f"Chapter {i}", blocks))
    return Book("Test", Path("test.txt"), chapters, text=whole)


LATER = '''Rose came in, and Mrs. Bay came in after her with Tom and Nan.

"Good evening," said Rose.

"Where have you all been?" said the girl.'''


def test_an_epithet_means_whom_the_book_gave_it_to():
    """'the girl' was Nan while she was the only woman on stage; in a later chapter, with other
    women present, 'the girl' is still Nan, not whichever woman was mentioned last."""
    book = chapters_book(NAN_ALONE, NAN_AGAIN, LATER)
    got = [(r["speaker"], r["rule"]) for r in attribute_quotes(book, NAN_ROSE)]
    assert got[:2] == [("Nan Pike", "nominal-verb-after")] * 2
    assert got[-1] == ("Nan Pike", "nominal-verb-after")


def test_an_epithet_used_while_others_could_be_meant_is_nobody_s():
    """Uses of 'the girl' while two women are on stage cast no vote, so later 'the girl' goes to
    the most salient woman who did not just speak, as for any description (here with rule
    'youth-noun' off, which would pass over Mrs. Bay as married)."""
    first = NAN_ALONE.replace("Nan came into the kitchen alone", "Nan came into the kitchen with Rose")
    again = NAN_AGAIN.replace("Nan was alone in the kitchen", "Nan was in the kitchen with Rose")
    got = [(r["speaker"], r["rule"]) for r in attribute_quotes(chapters_book(first, again, LATER), NAN_ROSE,
                                                               disabled=frozenset({"youth-noun"}))]
    assert got[-1] == ("Mrs. Bay", "nominal-verb-after")


def test_an_exchange_whose_other_party_is_never_named_takes_them_from_the_stage():
    text = '''Jill sat by the fire with Wren that evening.

"He is very handsome," said Wren.

"He is also rich."

"Is that a reason?"

"It is a very good one."'''
    cast = cast_of(("Wren Hollis", "female", ["Wren"]), ("Jill Hollis", "female", ["Jill"]))
    got = speakers(text, cast)
    assert [s for s, _ in got] == ["Wren Hollis", "Jill Hollis", "Wren Hollis", "Jill Hollis"]


def test_a_lone_speaker_with_nobody_else_on_stage_gets_no_partner():
    text = '''"He is very handsome," said Wren.

"He is also rich."'''
    got = speakers(text, cast_of(("Wren Hollis", "female", ["Wren"])))
    assert got[1][0] is None


# --- tag words -------------------------------------------------------------------------------

TITLED = cast_of(("Mr. Chitling", "male", []), ("Lady Catherine De Bourgh", "female", ["Lady Catherine"]),
                 ("Elizabeth", "female", ["Lizzy"]), ("Mr. Holmes", "male", ["Holmes"]),
                 ("Dr. Watson", "male", ["I", "Watson"]))


def test_a_name_ending_in_ing_after_the_verb_is_a_name():
    assert speakers('Mr. Chitling sat down.\n\n"Yes," said Chitling.', TITLED)[-1] == \
        ("Mr. Chitling", "explicit-verb-after")


def test_a_participle_before_the_verb_is_not_a_speaker():
    got = speakers('Elizabeth sat down.\n\n"Yes," Turning to her, said nothing more.', TITLED)
    assert got[-1][1] != "explicit-verb-after"


def test_her_ladyship_is_the_lady_on_stage():
    text = 'Lady Catherine and Elizabeth sat in the parlour.\n\n"Indeed," said her Ladyship.'
    assert speakers(text, TITLED)[-1] == ("Lady Catherine De Bourgh", "nominal-verb-after")


def test_my_companion_is_the_first_person_narrator_s_companion():
    text = 'Holmes and I walked on in silence.\n\n"Quite so," said my companion.'
    assert speakers(text, TITLED)[-1] == ("Mr. Holmes", "nominal-verb-after")


def test_her_companion_is_not_read_as_the_narrator_s():
    text = 'Elizabeth walked on with Lady Catherine.\n\n"Quite so," said her companion.'
    assert speakers(text, TITLED)[-1][0] != "Mr. Holmes"


# --- a first-person narrator -----------------------------------------------------------------

TELLER = cast_of(("Alexis Ivanovitch", "male", ["I", "Alexis"]), ("The Grandmother", "female", ["Grandmother"]),
                 ("Polina", "female", []), ("The General", "male", ["General"]))


def test_a_narrator_addressed_by_name_answers():
    text = '''The Grandmother turned to me.

"Stake it all, Alexis!" said the Grandmother.

"But the rules forbid it, Madame."'''
    assert speakers(text, TELLER)[-1] == ("Alexis Ivanovitch", "vocative")


def test_an_exchange_with_one_named_party_in_a_told_story_is_with_the_teller():
    text = '''Polina and the General sat at the far end of the room; the Grandmother was by the window.

"Will you walk with me?" said the Grandmother.

"Gladly."

"Then give me your arm."

"Here it is."'''
    got = [s for s, _ in speakers(text, TELLER)]
    assert got == ["The Grandmother", "Alexis Ivanovitch", "The Grandmother", "Alexis Ivanovitch"]


def test_a_third_character_acting_in_the_reply_speaks_it_not_the_one_before_last():
    cast = WREN_JILL_ASH
    text = '''Wren, Ash and Jill sat at the table.

"Is it raining?" said Wren.

"Not yet," said Ash.

"It will be soon." Jill looked up at the dark window.'''
    assert speakers(text, cast)[-1] == ("Jill Hollis", "action-beat")


def test_the_one_who_spoke_last_acting_in_the_next_paragraph_does_not_take_it():
    text = '''Wren and Ash sat at the table.

"Is it raining?" said Wren.

"Not yet," said Ash.

"Good." Ash looked up at the window.'''
    assert speakers(text)[-1] == ("Wren Hollis", "turn-taking")


def test_the_undertaker_s_wife_is_his_wife_not_the_undertaker():
    cast = cast_of(("Mr. Sowerberry", "male", ["the undertaker"]), ("Mrs. Sowerberry", "female", []),
                   ("Oliver", "male", []))
    text = '''The undertaker brought Oliver into the shop.

"Dear me! he's very small," said the undertaker's wife.'''
    assert speakers(text, cast)[-1] == ("Mrs. Sowerberry", "nominal-verb-after")


def test_a_possessed_noun_never_names_its_owner():
    cast = cast_of(("Mr. Sowerberry", "male", ["the undertaker"]), ("Oliver", "male", []))
    text = '''The undertaker and Oliver stood in the shop.

"Open the door!" cried the undertaker's boy.'''
    assert speakers(text, cast)[-1][0] != "Mr. Sowerberry"


def test_an_unnamed_partner_is_whom_the_scene_setting_names():
    """The exchange never names Jill, and Ash was talked about last; the narration that sets the
    scene says who is there."""
    cast = WREN_JILL_ASH
    text = '''Wren thought about Ash all morning.

When Jill and Wren were alone, they talked about the dance and about Ash.

"He is very handsome," said Wren.

"He is also rich."

"Is that a reason?"'''
    got = [s for s, _ in speakers(text, cast)]
    assert got == ["Wren Hollis", "Jill Hollis", "Wren Hollis"]


def test_said_he_to_his_wife_names_the_addressee_who_answers():
    cast = BENNETS
    text = '''"I hope, my dear," said Mr. Bennet to his wife, "that you have ordered a good dinner."

"Who do you mean, my dear? I know of nobody that is coming."'''
    got = [(r["speaker"], r["addressee"]) for r in attribute_quotes(prose_book(text), cast)]
    assert got[0] == ("Mr. Bennet", "Mrs. Bennet")
    assert got[-1][0] == "Mrs. Bennet"


def test_to_her_husband_from_a_man_is_not_resolved_as_his_kin():
    cast = BENNETS
    text = '"I hope so," said Mr. Bennet to her husband.'
    got = [(r["speaker"], r["addressee"]) for r in attribute_quotes(prose_book(text), cast)]
    assert got[0] == ("Mr. Bennet", None)


def test_narration_about_another_character_between_two_quotes_hands_the_second_to_them():
    cast = BENNETS
    text = ('"It is a gentleman and a stranger," said Mr. Bennet. Mrs. Bennet\'s eyes sparkled.'
            '--"A gentleman and a stranger! It is Mr. Bingley, I am sure."')
    assert speakers(text, cast) == [("Mr. Bennet", "explicit-verb-after"), ("Mrs. Bennet", "action-beat")]


def test_the_speaker_s_own_gesture_between_two_quotes_keeps_the_speaker():
    cast = BENNETS
    text = '"It is a stranger," said Mr. Bennet. Mr. Bennet smiled. "Nobody you know."'
    assert [s for s, _ in speakers(text, cast)] == ["Mr. Bennet", "Mr. Bennet"]


def test_her_father_in_narration_is_her_kin_by_the_family_name_the_text_gives():
    cast = cast_of(("Wren", "female", ["Miss Wren"]), ("Mr. Hollis", "male", []),
                   ("Ash Marlow", "male", ["Ash"]))
    text = '''Wren Hollis was the youngest of the family. Everyone knew Wren Hollis by her laugh.

Ash had gone out to the boats. Wren was met in the hall by her father.

"You look pale, child," said he.'''
    assert speakers(text, cast)[-1] == ("Mr. Hollis", "pronoun-verb-after")


def test_her_companion_is_the_other_one_on_stage():
    cast = WREN_JILL_ASH
    text = '''Jill stayed at home. Ash and Wren walked down to the harbour.

"What a day it has been!" cried Wren.

"A long one," said her companion.'''
    assert speakers(text, cast)[-1] == ("Ash Marlow", "nominal-verb-after")


def test_the_owner_of_a_voice_speaks():
    cast = cast_of(("Wren Hollis", "female", ["Wren"]), ("The Ferryman", "male", ["Ferryman"]))
    text = '''The Ferryman was out on the water, and Wren waited on the bank.

"Who is there?" said the Ferryman's voice.'''
    assert speakers(text, cast)[-1] == ("The Ferryman", "nominal-verb-after")

def test_a_role_means_the_character_the_cast_describes_by_it():
    """'said the landlord' is the cast's 'The Landlord of the Swan', not the man on stage."""
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("The Landlord Of The Swan", "male", []))
    text = 'Ash came in out of the rain and shook his coat.\n\n"You look half drowned, sir," said the landlord.'
    assert speakers(text, cast)[-1] == ("The Landlord Of The Swan", "nominal-verb-after")


def test_a_plain_word_for_a_person_is_no_role():
    """'the man' fits too many descriptions to pick 'The Stout Man' of the cast for it."""
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("The Stout Man", "male", []))
    text = 'Ash came in out of the rain and shook his coat.\n\n"You look half drowned," said the man.'
    assert speakers(text, cast)[-1] == ("Ash Marlow", "nominal-verb-after")


def test_a_name_after_an_article_and_an_adjective_is_that_name():
    text = 'Ash and Wren sat late by the fire.\n\n"Is it midnight yet?" asked the sleepy Wren.'
    assert speakers(text)[-1] == ("Wren Hollis", "explicit-verb-after")


def test_who_names_themself_in_a_quote_speaks_it():
    cast = WREN_JILL_ASH
    text = ('Jill came in with Wren.\n\n"Who are you?" said Ash.\n\n'
            '"I am Wren Hollis, and this is my sister," she said.')
    assert speakers(text, cast)[-1] == ("Wren Hollis", "self-named")


def test_a_self_naming_quote_keeps_its_explicit_tag():
    cast = cast_of(("Wren Hollis", "female", ["Wren"]), ("Ash Marlow", "male", ["Ash"]))
    text = 'Wren sat down.\n\n"I am Wren, she will say," said Ash.'
    assert speakers(text, cast)[-1] == ("Ash Marlow", "explicit-verb-after")


def test_a_reply_opened_by_a_beat_about_someone_unnamed_is_a_new_turn():
    """'The lad thought. "A kite," said he.' -- the beat describes the one addressed, not the one
    who just spoke: 'he' answers the vocative as if the reply opened the paragraph."""
    cast = ASH_TOM
    text = ('Ash sat down on the step.\n\n"Now, Tom, what would you like?" said Ash.\n\n'
            'The lad thought for a while. "A kite," said he.')
    assert speakers(text, cast)[-1] == ("Tom Bay", "pronoun-verb-after")


def test_a_beat_that_names_someone_is_not_made_a_new_turn():
    cast = ASH_TOM
    text = ('Ash sat down on the step.\n\n"Now, Tom, what would you like?" said Ash.\n\n'
            'Ash thought for a while. "A kite," said he.')
    assert speakers(text, cast)[-1] == ("Ash Marlow", "pronoun-verb-after")


def test_a_described_character_is_found_with_a_proper_adjective_in_its_description():
    """The cast's 'A Welsh Drover' is mentioned as 'a Welsh drover' (not 'Welsh Drover' nor
    'welsh drover'), and so is on stage for 'he'."""
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("A Welsh Drover", "male", []))
    text = 'Ash knocked at the door. A Welsh drover in a long coat opened it.\n\n"You are expected," said he.'
    assert speakers(text, cast)[-1] == ("A Welsh Drover", "pronoun-verb-after")


def test_a_narrator_s_silent_reply_hands_the_floor_back():
    """'"…," said Ash. / I nodded. / "…"': the nod is the narrator's turn, so Ash goes on."""
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Ned Cole", "male", ["I", "Ned"]))
    text = ('"What do you make of the watch?" I asked.\n\n"Mark the scratches on it," said Ash.\n\n'
            'I nodded, to show that I followed him.\n\n"A careless hand made them."')
    assert speakers(text, cast)[-1] == ("Ash Marlow", "turn-taking")


def test_a_paragraph_about_a_third_character_between_turns_leaves_the_speech_to_the_last_speaker():
    """Rule third-reacts (see test_script_conversation): Jill's look is a silent reaction."""
    cast = WREN_JILL_ASH
    text = ('"Will you walk with me?" said Ash.\n\n"Not today," said Wren.\n\n'
            'Jill looked out at the rain for a while.\n\n"It will clear by noon."')
    assert speakers(text, cast)[-1] == ("Wren Hollis", "turn-taking")


def test_a_role_noun_between_turns_does_not_take_the_next_speech():
    """'The girl looked out…' names no one for sure (here it is an alias of Wren): the exchange
    goes on as if there were no narration (Ash); a proper name makes the paragraph a third
    character's silent reaction, after which the last speaker goes on (third-reacts: Tom)."""
    cast = cast_of(("Ash Marlow", "male", ["Ash"]), ("Tom Bay", "male", ["Tom"]),
                   ("Wren Hollis", "female", ["Wren", "The Girl"]))
    talk = '"Will you walk with me?" said Ash.\n\n"Not today," said Tom.\n\n'
    role = speakers(talk + 'The girl looked out at the rain for a while.\n\n"It will clear by noon."', cast)
    name = speakers(talk + 'Wren looked out at the rain for a while.\n\n"It will clear by noon."', cast)
    assert role[-1] == ("Ash Marlow", "turn-taking")
    assert name[-1] == ("Tom Bay", "turn-taking")


def test_the_one_addressed_is_not_next_so_the_last_speaker_goes_on():
    """A, B, '…, A?': A is spoken to, so B speaks again."""
    text = '"Is the boat ready?" asked Wren.\n\n"Since noon," said Ash.\n\n"Are you coming, Wren?"'
    assert speakers(text)[-1] == ("Ash Marlow", "addressed-holds")
    # without the address the turn goes back to Wren
    plain = '"Is the boat ready?" asked Wren.\n\n"Since noon," said Ash.\n\n"Are you coming?"'
    assert speakers(plain)[-1] == ("Wren Hollis", "turn-taking")


def test_addressed_holds_not_for_an_unnamed_voice_nor_an_expected_answer():
    """A tag naming an unknown voice brings a newcomer; and after B has called A by name, A's
    name in the next quote is A's answer ('Twist, Oliver Twist'), not B going on."""
    voice = ('"Is the boat ready?" asked Wren.\n\n"Since noon," said Ash.\n\n'
             '"Are you coming, Wren?" called a voice from the quay.')
    assert speakers(voice)[-1][1] != "addressed-holds"
    called = ('"Is the boat ready?" asked Wren.\n\n"Wren, it has been since noon," said Ash.\n\n'
              '"Miss Hollis. Wren Hollis, if you please."')
    assert speakers(called)[-1][1] != "addressed-holds"


def test_addressed_holds_needs_the_previous_speaker_from_the_text():
    """B guessed from turn order is not carried on: only a B the text names."""
    from render.script.conversation_rules import rule_addressed_holds

    a, b, c = para('"One."'), para('"Two."'), para('"Three, Wren?"')
    a.quotes[0].decide("Wren Hollis", "explicit-verb-after")
    b.quotes[0].decide("Ash Marlow", "turn-taking")
    assert not rule_addressed_holds(c.quotes[0], b, "Wren Hollis", {"Wren Hollis"})
    b.quotes[0].speaker = None
    b.quotes[0].decide("Ash Marlow", "explicit-verb-after")
    assert not rule_addressed_holds(c.quotes[0], b, "Wren Hollis", set())  # not addressed
    assert not rule_addressed_holds(c.quotes[0], b, "Wren Hollis", {"Wren Hollis"}, {"Wren Hollis"})
    assert rule_addressed_holds(c.quotes[0], b, "Wren Hollis", {"Wren Hollis"})
    assert c.quotes[0].speaker == "Ash Marlow"

# --- the declared pass list ----------------------------------------------------------------


def _sieve_speakers(text: str, cast: Cast, **kw) -> list[str | None]:
    from render.script.build import paragraphs
    from render.script.characters import from_cast
    from render.script.resolve import Resolver
    from render.script.sieve import attribute

    paras, _ = paragraphs(prose_book(text))
    attribute(paras, Resolver(CharacterIndex(from_cast(cast))), **kw)
    return [q.speaker for p in paras for q in p.quotes]


EXCHANGE = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\n"Then we go."\n\n'
            '"Not yet."')


def test_a_pass_inserted_before_read_pre_empts_the_rules_and_turn_taking_follows_it():
    from render.script.sieve import PASSES, Pass, pass_index

    def fix_first(sieve):  # the first quote is Ash's, whatever its tag says
        sieve.qparas[0].quotes[0].decide("Ash Marlow", "fixed", confidence=1.0)

    passes = list(PASSES)
    passes.insert(pass_index("read"), Pass("fix", fix_first))
    assert _sieve_speakers(EXCHANGE, WREN_ASH) == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Ash Marlow"]
    assert _sieve_speakers(EXCHANGE, WREN_ASH, passes=passes)[0] == "Ash Marlow"


def test_disabled_passes_and_rules_decide_nothing():
    # (the turns taken again after the nearest mention off too: they would fill it from the others)
    assert _sieve_speakers(EXCHANGE, WREN_ASH, disabled={"explicit-verb-after", "late-turns", "late-alternation",
                                                         "final-turns"})[0] is None
    off = {"read", "chains", "alternation", "turns", "late-chains", "stage-alternation",
           "action-beats", "nearest-mention", "late-turns", "late-alternation", "final-turns", "stage-speaker"}
    assert _sieve_speakers(EXCHANGE, WREN_ASH, disabled=off) == [None] * 4


def test_turns_are_taken_again_after_the_last_alternation():
    # the nearest mention gives the first quote to Wren; the scene's other party (Ash) answers only
    # in the last alternation pass; the exchange after the narration paragraph (which names Wren
    # last, so no nearest mention) follows from those two turns
    text = ('Ash sat by the fire. The door opened and Wren came in.\n\n"I am sorry to be late."\n\n'
            '"The tide was against you?"\n\nAsh warmed his hands; he had known Wren for years.\n\n'
            '"Against us both."\n\n"Then sit down."')
    assert _sieve_speakers(text, WREN_ASH) == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Ash Marlow"]
    assert _sieve_speakers(text, WREN_ASH, disabled={"final-turns", "stage-speaker"})[2:] == [None, None]


def test_a_quote_no_rule_voices_goes_to_who_is_on_stage_and_has_spoken():
    # two narration paragraphs break the turns, and the last name in them is the last speaker's
    # (no nearest mention): the most salient character who has spoken takes it, not no one
    text = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\nWren went down to the quay.\n\n'
            'The rain came down on Ash and the boat.\n\n"We sail at dawn."')
    assert _sieve_speakers(text, WREN_ASH) == ["Wren Hollis", "Ash Marlow", "Ash Marlow"]
    assert _sieve_speakers(text, WREN_ASH, disabled={"stage-speaker"})[2] is None


def test_an_action_beat_is_narration_before_the_quote_not_what_happens_after_it():
    from render.script.sieve import PASSES

    beats = [p for p in PASSES if p.name == "action-beats"]
    assert _sieve_speakers('Ash locked the door. "It is late."', WREN_ASH, passes=beats) == ["Ash Marlow"]
    assert _sieve_speakers('"It is late." Ash locked the door.', WREN_ASH, passes=beats) == [None]


def test_an_action_beat_is_the_subject_of_the_sentence_nearest_the_quote():
    from render.script.sieve import PASSES

    beats = [p for p in PASSES if p.name == "action-beats"]
    text = 'Wren declared the tide too high to sail. Ash, with a shrug, went to the window. "It is late."'
    assert _sieve_speakers(text, WREN_ASH, passes=beats) == ["Ash Marlow"]


def test_a_named_tag_leading_into_the_next_quote_is_that_quote_s():
    text = 'Wren looked up, remarking, "The tide is turning," and Ash called out to her, "Then we sail."'
    assert [s for s, _ in speakers(text)] == ["Wren Hollis", "Ash Marlow"]
    # a tag after the last quote of a paragraph is still that quote's own
    assert speakers('"The tide is turning," and Ash called out to her.')[0][0] == "Ash Marlow"


def test_he_said_passes_the_last_speaker_over_only_for_someone_still_in_the_scene():
    exchange = '"Is the boat ready?" said Ash.\n\n"It is," he said.'
    rain = "\n\n".join("The rain went on." for _ in range(14))
    left = f"Tom shut the gate.\n\n{rain}\n\n{exchange}"  # Tom last named fifteen paragraphs ago
    assert [s for s, _ in speakers(left, ASH_TOM)] == ["Ash Marlow", "Ash Marlow"]
    off = attribute_quotes(prose_book(left), ASH_TOM, disabled=frozenset({"fresh-stage"}))
    assert [r["speaker"] for r in off] == ["Ash Marlow", "Tom Bay"]
    there = f"Tom shut the gate.\n\nThe rain went on.\n\n{exchange}"  # two paragraphs ago: still there
    assert [s for s, _ in speakers(there, ASH_TOM)] == ["Ash Marlow", "Tom Bay"]


def test_a_chapter_break_takes_everyone_off_the_stage():
    text = 'Tom shut the gate.\n\n"Is the boat ready?" said Ash.\n\n"It is," he said.'
    one = prose_book(text)
    blocks = one.chapters[0].blocks
    two = Book("Test", Path("test.txt"), [Chapter(1, "One", blocks[:1]), Chapter(2, "Two", blocks[1:])],
               text=text)
    assert [r["speaker"] for r in attribute_quotes(one, ASH_TOM)] == ["Ash Marlow", "Tom Bay"]
    assert [r["speaker"] for r in attribute_quotes(two, ASH_TOM)] == ["Ash Marlow", "Ash Marlow"]
