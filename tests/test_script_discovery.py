"""Discovery without a cast: given-name gender, gender-aware alias merging, bare titles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from render.engines import create
from render.ingest import load_book
from render.plan.voices import assign_voices
from render.script import discover_cast, model as M
from render.script.build import build_script
from render.script.cast import empty_cast
from render.script.castfile import cast_yaml, suggest_voices
from render.script.discovery import merge_aliases
from render.script.names import given_name_gender, name_gender

from tests.test_script_characters import prose_book



def _discovered(book) -> dict:
    """The characters discovery finds in a book's paragraphs, by name."""
    from render.script.build import paragraphs
    from render.script.discovery import discover_characters

    return {c.name: c for c in discover_characters(paragraphs(book)[0])}

def test_given_names_tell_gender_and_shared_names_do_not():
    assert given_name_gender("Robert") == "male"
    assert given_name_gender("Edna") == "female"
    assert given_name_gender("Leslie") is None  # given to both sexes
    assert given_name_gender("robert") is None  # not a name in lower case
    assert name_gender("Minnie Beebe") == "female"
    assert name_gender("Mr. Beebe") == "male"
    assert name_gender("Dr. Grant") is None  # a surname after a neutral title


def test_a_title_of_the_other_gender_does_not_join_a_full_name():
    chars = merge_aliases(Counter({"Minnie Beebe": 3, "Mr. Beebe": 5, "Minnie": 2}), Counter(), [])
    by = {c.name: c for c in chars}
    assert by["Minnie Beebe"].gender == "female" and "Minnie" in by["Minnie Beebe"].aliases
    assert by["Mr. Beebe"].gender == "male" and "Mr. Beebe" not in by["Minnie Beebe"].aliases


def test_a_bare_surname_after_titles_gets_no_given_name_gender():
    chars = merge_aliases(Counter({"Mr. Bennet": 5, "Mrs. Bennet": 5, "Bennet": 3}), Counter(), [])
    assert not any("Bennet" in c.aliases for c in chars)  # Mr. or Mrs.: ambiguous


def test_an_ambiguous_titled_form_is_its_own_character():
    chars = merge_aliases(Counter({"Tom Maylie": 4, "Harry Maylie": 4, "Mr. Maylie": 6}), Counter(), [])
    assert "Mr. Maylie" in {c.name for c in chars}


def test_a_bare_title_joins_its_only_bearer():
    chars = merge_aliases(Counter({"Mademoiselle Reisz": 4, "Mademoiselle": 6}), Counter(), [])
    assert [(c.name, c.aliases) for c in chars] == [("Mademoiselle Reisz", {"Mademoiselle"})]


def test_a_speaker_named_only_by_first_name_gets_its_gender():
    book = prose_book('"We should go," said Robert.\n\n"Not yet," said Edna.\n\n'
                      '"Why not?" asked Robert.\n\n"Because," said Edna.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["Robert"].gender == "male" and chars["Edna"].gender == "female"


# --- a first-person narrator (a detective story told by his friend) --------------------------

FIRST_PERSON = Path(__file__).parent / "fixtures" / "prose" / "first_person.txt"


def test_first_person_narrator_is_one_male_character_and_the_detective_is_found():
    chars = {c.name: c for c in discover_cast(load_book(FIRST_PERSON))}
    assert "I" in chars["Hartley"].aliases  # named by how the friend addresses him
    assert chars["Hartley"].gender == "male"  # 'sir', 'my dear fellow', 'my wife'
    assert chars["Quill"].gender == "male"  # 'Ambrose Quill' in narration
    assert chars["Quill"].quotes >= 8 and chars["Mrs. Pell"].gender == "female"


def test_first_person_narrators_quotes_and_narration_share_one_male_voice():
    script = build_script(load_book(FIRST_PERSON))
    said = [(ln.speaker, ln.text) for c in script.chapters for ln in c.lines if ln.kind == M.DIALOGUE]
    assert (M.NARRATOR, "How on earth did you know?") in said
    assert "Hartley" not in script.characters and script.characters[M.NARRATOR] == "male"
    voices = assign_voices(script, empty_cast(), create("kokoro"))
    assert voices[M.NARRATOR].gender == "male" and voices[M.NARRATOR].voice.startswith(("am_", "bm_"))


def test_cast_init_gives_the_i_narrator_the_narrators_voice_and_gender():
    chars = discover_cast(load_book(FIRST_PERSON))
    voices = suggest_voices(chars, min_quotes=1)
    text = cast_yaml(chars, voices)
    assert "Hartley" not in voices and voices["Quill"] != voices[M.NARRATOR]
    assert f'narrator: {{voice: "{voices[M.NARRATOR]}", gender: male}}' in text
    cast = yaml.safe_load(text)
    me = next(c for c in cast["characters"] if c["name"] == "Hartley")
    assert me["aliases"] == ["I"] and me["gender"] == "male" and "voice" not in me


def test_a_full_name_in_narration_links_a_first_name_and_a_titled_surname_but_not_a_mother():
    book = prose_book(
        'Adela Quested came in. Adela Quested sat down.\n\n'
        '"Is it far?" said Adela.\n\n"Not far," said Mrs. Quested.\n\n'
        '"I shall walk," said Miss Quested.\n\n'
        'Mrs. Quested looked at Adela. Adela smiled at Mrs. Quested.\n\n'
        '"Then go," said Mrs. Quested.\n\n"I will," said Adela.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert {"Miss Quested", "Adela Quested"} <= chars["Adela"].aliases  # called by her given name
    assert "Mrs. Quested" in chars and "Mrs. Quested" not in chars["Adela"].aliases  # named together


def test_a_sentence_ending_after_a_title_is_no_name():
    book = prose_book('"Come," said Mademoiselle. The door shut.\n\n"Now," said Mademoiselle Reisz.\n')
    assert [c.name for c in discover_cast(book)] == ["Mademoiselle Reisz"]


def test_a_full_name_is_named_without_its_title_and_a_surname_with_it():
    chars = merge_aliases(Counter({"Mr. George Emerson": 3, "George Emerson": 1, "George": 5,
                                   "Mr. Darcy": 4, "Darcy": 9}), Counter(), [])
    assert {c.name for c in chars} == {"George Emerson", "Mr. Darcy"}


def test_one_full_name_links_two_frequent_speakers():
    turns = ['"Yes," said Adela.\n\nRain fell.\n\n"No," said Miss Quested.\n\nRain fell.\n'] * 10
    book = prose_book("Adela Quested came in.\n\n" + "\n".join(turns))
    chars = {c.name: c for c in discover_cast(book)}
    assert "Miss Quested" in chars["Adela"].aliases
    few = prose_book("Adela Quested came in.\n\n" + "\n".join(turns[:3]))
    assert "Miss Quested" in {c.name for c in discover_cast(few)}  # one mention, few speeches: apart


def test_a_father_who_answers_his_son_is_not_the_son():
    book = prose_book(
        'George Emerson stood by the window. George Emerson waited.\n\n'
        '"Come here, George," said Mr. Emerson.\n\n"Why?" said George.\n\n'
        'The train went on.\n\n"Look," said Mr. Emerson.\n\n"I see it," said George.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert "George Emerson" in chars["George"].aliases
    assert "Mr. Emerson" in chars and "Mr. Emerson" not in chars["George"].aliases
    one = prose_book('George Emerson sat. George Emerson waited.\n\n"Come here," said Mr. Emerson.\n\n'
                     'He sat down. "Why?" said George.\n')
    assert "Mr. Emerson" in {a for c in discover_cast(one) for a in c.aliases}  # no answer: one man


def _chapters(texts: list[str]):
    from render.book import Book, Block, Chapter, PARAGRAPH

    chapters = []
    for i, text in enumerate(texts, 1):
        blocks = [Block(PARAGRAPH, " ".join(p.split())) for p in text.split("\n\n") if p.strip()]
        chapters.append(Chapter(i, f"Chapter {i}", blocks))
    return Book("Test", Path("test.txt"), chapters)


def test_a_role_tagged_in_one_stretch_is_a_person_and_one_used_throughout_is_an_epithet():
    talk = '"Come in," said Mr. Bumble.\n\n"Thank you," said Oliver.\n\n"Sit," said the beadle.\n\n'
    table = '"Rouge!" called the croupier.\n\n"Again," said Mr. Astley.\n\n"Noir!" cried the croupier.\n\n' \
            'The croupier raked the gold. He smiled.\n\n"Zero!" called the croupier.\n\n'
    book = _chapters([talk, talk, table, talk, talk, talk, talk])
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["The Croupier"].quotes == 3 and chars["The Croupier"].gender == "male"
    assert "The Beadle" not in chars  # tagged in every chapter: what the book calls someone


def test_a_role_set_beside_a_name_is_that_characters_alias():
    shop = 'Mr. Sowerberry, the undertaker, came in.\n\n"Good day," said the undertaker.\n\n' \
           '"Good day," said Oliver.\n\n"Sit," said the undertaker.\n\n"Well," said the undertaker.\n\n'
    other = '"Hello," said Mr. Sowerberry.\n\n"Hello," said Oliver.\n\n'
    chars = {c.name: c for c in discover_cast(_chapters([other, shop, other, other, other, other, other]))}
    assert "the undertaker" in chars["Mr. Sowerberry"].aliases and "The Undertaker" not in chars


def test_a_name_after_the_may_open_with_a_month():
    book = prose_book('"Have some wine," said the March Hare.\n\n"I see none," said Alice.\n\n'
                      '"There is none," said the March Hare.\n\n"Then it was rude," said Alice.\n\n'
                      '"Sit down," said the Hare.\n\n"In March," said Alice.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["March Hare"].quotes == 3 and "Hare" in chars["March Hare"].aliases
    assert "March" not in chars and "In March" not in chars


def test_gender_from_a_participle_and_not_from_a_name_after_a_preposition():
    book = prose_book('"Here," said the Gaoler, laying his hand on the door.\n\n'
                      '"Why?" asked Wren.\n\n"Go in," said the Gaoler.\n\n'
                      'Wren walked to the house of Quill; she knocked.\n\n"Come," said Quill.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["Gaoler"].gender == "male"
    assert chars["Quill"].gender == "neutral"  # 'she' is Wren, who walked to Quill's house


def test_a_rank_stays_with_the_name():
    chars = merge_aliases(Counter({"Sir Harry Otway": 2, "Harry Otway": 3, "Sir Harry": 4,
                                   "Mr. George Emerson": 3, "George Emerson": 1}), Counter(), [])
    assert {c.name for c in chars} == {"Sir Harry Otway", "George Emerson"}


def test_someone_only_called_by_name_is_found_and_a_sentence_adverb_is_not():
    book = prose_book('"Come in, Francis," said Dorian.\n\n"Yes, sir," he answered.\n\n'
                      '"Take this, Francis," said Dorian.\n\n"Very good," he answered.\n\n'
                      '"That will do, Francis," said Dorian.\n\n"Hullo!" Also said.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["Francis"].quotes >= 2
    assert "Also" not in chars and "Hullo" not in chars


def test_a_kind_of_person_is_no_name_but_the_one_the_book_means_is():
    book = prose_book('An Indian came by, then a Hindu, an Indian and an Indian again.\n\n'
                      '"Good day," said the Indian.\n\n"Good day," said Aziz.\n\n'
                      'A Frenchman passed. The Frenchman bowed and the Frenchman smiled.\n\n'
                      '"Bonjour," said the Frenchman.\n\n"Hello," said Aziz.\n')
    names = set(_discovered(book))
    assert "Indian" not in names and {"Aziz", "Frenchman"} <= names


def test_the_pronoun_that_tags_the_rest_of_a_speech_tells_the_speakers_gender():
    book = prose_book('"Stop," said the Gryphon to Alice. "Wait," he added.\n\n"Why?" asked Alice.\n\n'
                      '"Because," said the Gryphon.\n')  # 'Alice' stands between name and pronoun
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["Gryphon"].gender == "male"


def test_a_familiar_given_name_in_a_full_name_is_the_same_person():
    chars = merge_aliases(Counter({"Bill Sikes": 3, "Mr. William Sikes": 2, "Mr. Sikes": 9,
                                   "Kitty": 4, "Lady Catherine": 6}), Counter(), [])
    by = {c.name: c for c in chars}
    assert {"Mr. William Sikes", "Mr. Sikes"} <= by["Bill Sikes"].aliases
    assert "Kitty" in by and "Kitty" not in by["Lady Catherine"].aliases  # a given name alone: not her


def test_a_name_with_a_capital_inside_can_be_called():
    book = prose_book('"It is I, McMurdo," said Sholto.\n\n"Very good," he answered.\n\n'
                      '"No, McMurdo?" said Sholto.\n\n"No," he said.\n\n"This is too bad of you, McMurdo!" said Sholto.\n')
    assert "McMurdo" in {c.name for c in discover_cast(book)}


def test_someone_the_rules_name_as_they_go_is_a_character_and_answers_tell_their_gender():
    book = prose_book('"Where does it hurt?" said the surgeon.\n\n"Here, sir," said Oliver.\n\n'
                      '"Then lie still," said the surgeon.\n\n"Yes, sir," said Oliver.\n')
    chars = {c.name: c for c in discover_cast(book)}
    assert chars["The Surgeon"].quotes == 2
    assert chars["The Surgeon"].gender == "male"  # called 'sir' by the one who answers


def test_a_given_name_only_called_out_joins_the_full_name_the_narration_gives_once():
    book = prose_book('Leslie Oakley was at the window.\n\n"Come here, Leslie," said Maurice.\n\n'
                      '"Why?" said Mrs. Oakley.\n\n"Look, Leslie," said Maurice.\n\n"I see," said Mrs. Oakley.\n\n'
                      '"Yes, Leslie," said Maurice.\n\n"Good," said Mrs. Oakley.\n')
    chars = _discovered(book)
    assert "Mrs. Oakley" in chars["Leslie"].aliases and chars["Leslie"].gender == "female"


def test_a_titled_full_name_is_also_its_bare_full_name_and_a_knight_his_given_name():
    from render.script.discovery import _untitled_forms

    chars = merge_aliases(Counter({"Mr. Beachfield Davis": 3, "Sir Geoffrey": 4, "Mr. Bennet": 5}),
                          Counter(), [])
    _untitled_forms(chars)
    by = {c.name: c for c in chars}
    assert "Beachfield Davis" in by["Mr. Beachfield Davis"].aliases
    assert "Geoffrey" in by["Sir Geoffrey"].aliases
    assert "Bennet" not in by["Mr. Bennet"].aliases  # a bare surname says nothing of which Bennet


def test_one_more_of_a_speakers_family_named_in_full_is_a_character():
    book = prose_book('Ralph Moore came in late.\n\n"Good night," said Mrs. Moore.\n\n'
                      'Ralph Moore sat down.\n\n"Good night, mother," Ralph answered.\n\n"Sleep," said Mrs. Moore.\n')
    chars = _discovered(book)
    assert chars["Ralph Moore"].gender == "male" and chars["Mrs. Moore"].gender == "female"


def test_a_given_name_two_full_names_share_does_not_become_one_characters_name():
    book = prose_book('Charles Musgrove walked. Charles Musgrove laughed. Charles Hayter came to see Charles. '
                      'Charles Hayter spoke to Charles.\n\n'
                      '"Well," said Charles.\n\n"Yes," said Mr. Musgrove.\n\n"No," said Charles Hayter.\n\n'
                      '"Anne Elliot is here," said Charles.\n\n"Good," said Mr. Musgrove.\n\n'
                      'Anne Elliot smiled. Anne Elliot sat down. Miss Elliot was tired; Miss Elliot slept.\n\n'
                      '"Hush," said Anne.\n\n"Yes," said Miss Elliot.\n\n"Quiet," said Anne.\n')
    chars = _discovered(book)
    assert "Anne" in chars  # called by her given name
    assert "Charles" in chars["Charles Musgrove"].aliases and "Charles Hayter" in chars


def test_a_role_used_throughout_is_the_epithet_of_the_one_whose_surname_follows_it_as_a_title():
    book = prose_book('Mr. Losberne came in. Mr. Losberne sat down. Mr. Losberne smiled.\n\n'
                      '"Send for Doctor Losberne," said Rose.\n\n"He is here," said the doctor.\n\n'
                      '"Good," said Rose.\n\n"Rest now," said the doctor.\n\n"Yes," said Mr. Giles.\n\n'
                      '"Quiet," said the doctor.\n')
    chars = _discovered(book)
    assert "the doctor" in chars["Mr. Losberne"].aliases and "The Doctor" not in chars


def test_a_role_used_throughout_and_set_beside_one_name_is_that_characters_epithet():
    book = prose_book('Mrs. Corney, the matron, sat down. Mrs. Corney sighed. Mrs. Corney smiled.\n\n'
                      '"Tea?" said the matron.\n\n"Yes," said Mr. Bumble.\n\n"Sugar?" said the matron.\n\n'
                      '"No," said Mr. Bumble.\n\n"Well," said the matron.\n')
    chars = _discovered(book)
    assert "the matron" in chars["Mrs. Corney"].aliases and "The Matron" not in chars


def test_a_title_ending_in_ss_is_one_persons_role_and_a_plural_is_none():
    from render.script.roles import role

    assert role("the duchess") == "duchess" and role("the old countess") == "countess"
    assert role("the waiters") is None


def test_a_title_tagging_speeches_is_the_one_bearer_the_chapter_names_by_place():
    dinner = 'Opposite sat the Duchess of Harley, a kind lady.\n\n"Tea?" said the duchess.\n\n' \
             '"Thank you," said Mr. Gray.\n\n"Sugar?" asked the duchess.\n\n"No," said Mr. Gray.\n\n' \
             '"Well!" cried the duchess.\n\n'
    other = 'He thought of the Duke of Urbino.\n\n"Hello," said Mr. Gray.\n\n"Hello," said Basil.\n\n'
    chars = {c.name: c for c in discover_cast(_chapters([other, dinner, other, other]))}
    assert chars["Duchess of Harley"].gender == "female" and chars["Duchess of Harley"].quotes == 3
    assert "Duke of Urbino" not in chars  # named, but no speech is tagged with his title


def test_a_role_tagged_twice_is_a_person_when_the_narration_brings_one_in():
    yard = 'A travelling tinker stood at the gate.\n\n"Good day," said the tinker.\n\n' \
           '"Good day," said Mr. Giles.\n\n"Fine weather," said the tinker.\n\n'
    fight = 'Sikes came in.\n\n"Out," said the ruffian.\n\n"No," said Mr. Giles.\n\n"Out!" cried the ruffian.\n\n'
    other = '"Hello," said Mr. Giles.\n\n"Hello," said Sikes.\n\n'
    chars = {c.name: c for c in discover_cast(_chapters([other, yard, other, fight, other, other, other]))}
    assert chars["The Tinker"].quotes == 2
    assert "The Ruffian" not in chars  # no one new came in: another word for someone there


def test_a_sentences_first_word_is_no_part_of_a_full_name():
    book = prose_book('"Come," said Mrs. Hamilton.\n\n"Yes," said Kitty.\n\n"Well," said Mrs. Hamilton.\n\n'
                      'Kitty Hamilton went out. Kitty Hamilton came back.\n\n"Now," said Fannie.\n\n'
                      '"Good," said Kitty.\n\nTo Fannie Hamilton it was all one. Fannie Hamilton sat down.\n\n'
                      '"Sit," said Fannie.\n\n"Tea?" said Mrs. Hamilton.\n')
    chars = _discovered(book)
    assert "Fannie Hamilton" in chars["Fannie"].aliases  # twice in full, once after 'To'
    assert "Mrs. Hamilton" not in chars["Kitty"].aliases  # she may be either woman of the family


def test_a_role_noun_gives_its_gender_when_no_pronoun_does():
    from render.script.genders import usage_gender

    assert usage_gender("waiter") == "male" and usage_gender("waitress") == "female"
    assert usage_gender("author") is None and usage_gender("doctor") == "male"
    cafe = '"Coffee?" asked the waiter.\n\n"Yes," said Mr. Grey.\n\n"Milk?" asked the waiter.\n\n' \
           '"No," said Mr. Grey.\n\n"Sugar?" asked the waiter.\n\n'
    visit = 'Doctor Mandelet came in. Doctor Mandelet sat down. Doctor Mandelet looked round.\n\n' \
            '"Well?" said Doctor Mandelet.\n\n"Well," said Mr. Grey.\n\n'
    other = '"Hello," said Mr. Grey.\n\n"Hello," said Basil.\n\n'
    chars = {c.name: c for c in discover_cast(_chapters([other, cafe, other, visit, other, other, other]))}
    assert chars["The Waiter"].gender == "male" and chars["Doctor Mandelet"].gender == "male"


def test_a_body_of_people_is_no_role():
    from render.script.roles import role

    assert role("the board") is None and role("the jury") is None and role("the turnkey") == "turnkey"


def test_a_person_the_tags_describe_by_what_they_wear_is_a_character():
    board = '"Boy," said the gentleman in the white waistcoat.\n\n"Sir?" said Oliver.\n\n' \
            '"Hold your tongue," said the gentleman in the white waistcoat.\n\n"Yes, sir," said Oliver.\n\n' \
            '"He will be hung," said the gentleman in the white waistcoat.\n\n' \
            '"Hush," said the man in a low voice.\n\n"No," said Oliver.\n\n"Hush," said the man in a low voice.\n\n' \
            '"Well," said the man in a low voice.\n\n'
    chars = _discovered(prose_book(board))
    white = chars["The Gentleman In The White Waistcoat"]
    assert white.gender == "male" and "the gentleman in the white waistcoat" in white.aliases
    assert not any("Voice" in n for n in chars)  # a manner of speaking describes no one


def test_a_name_in_a_list_is_not_set_beside_the_role_after_it():
    yard = 'A travelling tinker stood at the gate.\n\nMr. Brittles, Mr. Giles, the tinker, and the cook sat down.\n\n' \
           '"Good day," said the tinker.\n\n"Good day," said Mr. Giles.\n\n"Fine weather," said the tinker.\n\n'
    other = '"Hello," said Mr. Giles.\n\n"Hello," said Mr. Brittles.\n\n'
    chars = {c.name: c for c in discover_cast(_chapters([other, yard, other, other, other, other, other]))}
    assert chars["The Tinker"].quotes == 2 and "the tinker" not in chars["Mr. Giles"].aliases


def test_a_titled_name_written_twice_is_found_when_a_speech_calls_them_by_it():
    book = prose_book('Mr. Lively came in.\n\n"Too hot, Lively," said Fagin.\n\n"Ah," he answered.\n\n'
                      'Fagin went out, and Mr. Lively sat down.\n\nMr. Crale came in. Mr. Crale sat down.\n\n'
                      '"Well," said Fagin.\n')
    names = {n for c in _discovered(book).values() for n in (c.name, *c.aliases)}
    assert "Mr. Lively" in names and "Mr. Crale" not in names  # twice, but no one calls him


def test_a_pronoun_after_two_names_in_a_sentence_tells_neither_gender():
    from render.script.characters import Character
    from render.script.genders import guess_genders

    narr = ["Wren could not wait, and as the Dormouse was asleep, she went away.",
            "The Dormouse woke, and he yawned."]
    dormouse = Character(name="Dormouse", aliases={"the Dormouse"}, gender="neutral")
    guess_genders([dormouse], narr)
    assert dormouse.gender == "male"  # "she" is Wren's: only "he yawned" counts
    lone = Character(name="Dormouse", aliases={"the Dormouse"}, gender="neutral")
    guess_genders([lone], ["The Dormouse was asleep, and she went away."])
    assert lone.gender == "female"  # no one else named: the pronoun still counts


def test_a_titled_surname_in_the_plural_is_a_family_not_a_character():
    book = prose_book('"Come," said Miss Musgrove.\n\n"Yes," said Anne.\n\n'
                      'The Miss Musgroves went out. The Miss Musgroves came back. The Miss Musgroves sat.\n\n'
                      '"Tea?" said Miss Musgrove.\n\n"No," said Anne.\n')
    chars = _discovered(book)
    assert "Miss Musgrove" in chars and "Miss Musgroves" not in chars
    assert not any("Miss Musgroves" in c.aliases for c in chars.values())


def test_a_role_tagged_once_is_a_person_when_it_addresses_someone_as_sir():
    hall = '"Is the carriage ready?" said Mr. Gray.\n\n"Yes, sir," answered the footman.\n\n' \
           '"Good," said Mr. Gray.\n\n'
    passing = '"Stop him!" said Mr. Gray.\n\n"Never," cried the ruffian.\n\n"Go," said Mr. Gray.\n\n'
    chars = {c.name: c for c in discover_cast(_chapters([hall, passing, passing, passing, passing, passing]))}
    assert chars["The Footman"].quotes >= 1 and chars["The Footman"].gender == "male"
    assert "The Ruffian" not in chars  # tagged once, addressing no one: a passing noun


def test_a_role_that_answers_a_call_by_an_unknown_name_bears_it():
    coach = '"Now, Ben," said Mr. Gray.\n\n"Coming," said the guard.\n\n"Is all ready?" said Mr. Gray.\n\n' \
            '"Yes," said the guard.\n\n"Go," said Mr. Gray to Ben and the coachman.\n\n"Off," said the guard.\n\n' \
            '"Now, Lucy," said Mr. Gray.\n\n"Here," said the maid.\n\n"Good," said Lucy.\n\n'
    road = '"On we go," said Mr. Gray.\n\n"Yes," said Lucy.\n\n'
    chars = discover_cast(_chapters([coach, road, road, road, road, road]))
    guard = next(c for c in chars if "the guard" in c.aliases)
    assert "Ben" in guard.aliases and guard.gender == "male"  # a given name of men
    assert not any("Lucy" in c.aliases for c in chars if c.name != "Lucy")  # Lucy is someone else


def test_a_place_called_out_is_no_name_and_a_foreign_word_of_address_defers():
    ride = '"Where is the church?" said Lucy.\n\n"San Miniato. Look," said George.\n\n' \
           '"Signorino, domani," called the cabman.\n\n"No," said George.\n\n'
    walk = '"Come," said George.\n\n"Yes," said Lucy.\n\n'
    chars = discover_cast(_chapters([walk, walk, walk, walk, walk, ride]))
    cabman = next(c for c in chars if "the cabman" in c.aliases)
    assert "San Miniato" not in cabman.aliases and cabman.gender == "male"


def test_a_person_described_by_a_compound_trait_is_a_character_and_a_plain_one_is_not():
    door = '"Who is there?" said the hump-backed man.\n\n"A doctor," said Mr. Gray.\n\n' \
           '"Go away," said the hump-backed man.\n\n"No," said Mr. Gray.\n\n' \
           '"Then stay," said the hump-backed man.\n\n"Well," said the old man.\n\n' \
           '"Yes," said the old man.\n\n"Good," said the old man.\n\n'
    chars = _discovered(_chapters([door]))
    assert chars["The Hump-backed Man"].gender == "male"
    assert not any("old man" in c.name.lower() for c in chars.values())  # anyone old


def test_a_wifes_husband_is_her_titled_surname_for_a_man():
    text = ('Mrs. Bhattacharya sat by the window.\n\n'
            '"You must come to us," said Mrs. Bhattacharya.\n\n'
            'When Mrs. Bhattacharya\'s husband spoke, she turned away.\n\n'
            'Mr. Bhattacharya bowed. Later Mr. Bhattacharya left the room.\n')
    found = _discovered(prose_book(text))
    assert found["Mr. Bhattacharya"].gender == "male"
    # twice by title alone is not enough
    found = _discovered(prose_book(text.replace("When Mrs. Bhattacharya\'s husband spoke, she turned away.\n\n", "")))
    assert "Mr. Bhattacharya" not in found
