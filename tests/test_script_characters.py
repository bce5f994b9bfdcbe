"""Characters: name lookup, partial names, discovery, alias merging, gender, the 'I' narrator."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import discover_cast
from render.script.characters import Character, CharacterIndex
from render.script.discovery import first_person_names, merge_aliases
from render.script.normalize import noun_gender, strip_title, title_gender


def prose_book(text: str) -> Book:
    blocks = []
    for m in re.finditer(r"(?:[^\n]+\n?)+", text):
        s, e = m.start(), m.start() + len(m.group(0).rstrip("\n"))
        blocks.append(Block(PARAGRAPH, " ".join(text[s:e].split()), start=s, end=e))
    return Book("Test", Path("test.txt"), [Chapter(1, "One", blocks)], text=text)


def idx() -> CharacterIndex:
    return CharacterIndex([
        Character("Wren Hollis", {"Wren", "Miss Hollis"}, "female"),
        Character("Ash Marlow", {"Mr. Marlow"}, "male"),
        Character("Tobias Reed", {"The Ferryman"}, "male"),
        Character("Mademoiselle Vire", set(), "female"),
    ])


# --- the index -----------------------------------------------------------------------------


def test_resolve_by_any_alias_case_and_article_insensitive():
    i = idx()
    assert i.resolve("wren").name == "Wren Hollis"
    assert i.resolve("Miss  Hollis").name == "Wren Hollis"
    assert i.resolve("the ferryman").name == "Tobias Reed"
    assert i.resolve("Mr Marlow").name == "Ash Marlow"


def test_partial_names():
    i = idx()
    assert i.resolve("Marlow").name == "Ash Marlow"
    assert i.resolve("Mademoiselle").name == "Mademoiselle Vire"
    assert i.resolve("Miss Marlow") is None  # the only Marlow is a man


def test_unknown_names_do_not_resolve():
    assert idx().resolve("Captain Quill") is None
    assert idx().resolve("the harbour") is None


def test_mentions_find_names_and_descriptions():
    text = "Wren waved to the ferryman, and Mr. Marlow's dog barked at Marlow."
    found = [idx().resolve(s).name for _, _, s in idx().mentions(text)]
    assert found == ["Wren Hollis", "Tobias Reed", "Ash Marlow", "Ash Marlow"]


def test_mentions_ignore_words_inside_other_words():
    assert list(idx().mentions("Wrenfield and the ferrymanship")) == []


# --- discovery -----------------------------------------------------------------------------


def test_merge_aliases_joins_full_and_short_names_but_not_mr_and_mrs():
    chars = merge_aliases(Counter({"Elinor Vane": 3, "Elinor": 5, "Mr. Pell": 4, "Mrs. Pell": 4, "Pell": 2}),
                          Counter(), [])
    by_name = {c.name: c for c in chars}
    assert by_name["Elinor Vane"].aliases == {"Elinor"}
    assert "Mr. Pell" in by_name and "Mrs. Pell" in by_name
    assert not any("Pell" in c.aliases for c in chars)  # ambiguous bare surname joins neither
    assert by_name["Mrs. Pell"].gender == "female" and by_name["Mr. Pell"].gender == "male"


def test_discover_cast_from_tags_with_gender_and_counts():
    text = ('"Is the lamp lit?" asked Elinor. She looked tired.\n\n"It is," said Mr. Pell.\n\n'
            '"Good," said Elinor.\n\nCaptain Quill never spoke at all.')
    chars = {c.name: c for c in discover_cast(prose_book(text))}
    assert chars["Elinor"].quotes == 2 and chars["Elinor"].gender == "female"
    assert chars["Mr. Pell"].gender == "male"
    assert "Captain Quill" not in chars  # named, but never speaks


def test_first_person_narrator_named_by_those_answering():
    text = ('"Where to?" said I.\n\n"The quay, Jonah, and quickly," said Mara.\n\n'
            '"Why the quay?" I asked.\n\n"Because the boat is leaving, Jonah."\n\n'
            '"Then I will come," I answered.\n\n"Good."')
    chars = {c.name: c for c in discover_cast(prose_book(text))}
    assert "I" in chars["Jonah"].aliases and chars["Jonah"].quotes >= 3


def test_no_first_person_narrator_in_a_third_person_story():
    text = '"Where to?" said Mara.\n\n"The quay," said Jonah.'
    assert all("I" not in c.aliases for c in discover_cast(prose_book(text)))


def test_vocative_names_in_a_quote():
    assert first_person_names("Come here, Jonah! Quickly, Mr. Pell.") == ["Jonah", "Mr. Pell"]
    assert first_person_names("I saw Jonah yesterday at the quay") == []


# --- small helpers -------------------------------------------------------------------------


def test_titles_and_nouns_give_gender():
    assert strip_title("Mrs. Pell") == ("Mrs", "Pell")
    assert strip_title("Pell") == (None, "Pell")
    assert title_gender("Lady Anne") == "female" and title_gender("Sir Tom") == "male"
    assert title_gender("Doctor Who") is None
    assert noun_gender("ferryman") == "male" and noun_gender("widow") == "female"
    assert noun_gender("German") is None and noun_gender("table") is None


def test_gender_from_a_role_noun_beside_the_name():
    text = ('Her brother Tom climbed the stairs.\n\n"The glass is falling," said Tom.\n\n'
            '"I know," said Mara.')
    chars = {c.name: c for c in discover_cast(prose_book(text))}
    assert chars["Tom"].gender == "male"


def test_gender_from_a_pronoun_tag_after_the_name():
    text = 'Tom set the cups down. "I saw it," he said.\n\n"Saw what?" said Tom.'
    chars = {c.name: c for c in discover_cast(prose_book(text))}
    assert chars["Tom"].gender == "male"


def test_a_bare_surname_is_the_one_man_of_the_family():
    from render.script.characters import Character, CharacterIndex, surnames_to_men

    man = Character("Major Callendar", {"Old Callendar"}, "male", from_cast=True)
    wife = Character("Mrs. Callendar", {"Callendar"}, "female", from_cast=True)  # a cast's alias
    turton, mrs = Character("Mr. Turton", set(), "male"), Character("Mrs. Turton", set(), "female")
    texts = ['"Squat down, Callendar," said Turton.', "Callendar laughed; Turton did not.",
             "Mrs. Callendar and Mrs. Turton came in."]
    surnames_to_men([man, wife, turton, mrs], texts)
    index = CharacterIndex([man, wife, turton, mrs])
    assert index.resolve("Callendar") is man and index.resolve("Turton") is turton
    assert index.resolve("Mrs. Callendar") is wife and "Callendar" not in wife.aliases


def test_a_surname_written_only_with_a_title_or_also_as_a_word_stays_as_it_was():
    from render.script.characters import Character, surnames_to_men

    eager, mrs = Character("Mr. Eager", set(), "male"), Character("Mrs. Eager", set(), "female")
    surnames_to_men([eager, mrs], ["Mr. Eager spoke.", "Mrs. Eager and Mr. Eager left."])
    assert eager.aliases == set()
    surnames_to_men([eager, mrs], ["Eager sat.", "Eager stood.", "She was eager to go."])
    assert eager.aliases == set()  # 'eager' is a word of the language
    sons = [Character("Ralph Moore", set(), "male"), Character("Mrs. Moore", set(), "female")]
    surnames_to_men(sons, ["Moore came.", "Moore went."])
    assert sons[0].aliases == set()  # a son's full name: the bare surname is not his by usage


def test_an_office_the_book_also_writes_in_lower_case_is_no_new_person_beside_a_cast():
    from render.script.build import paragraphs
    from render.script.discovery import discover_characters

    text = ("\n\n".join(f'"Silence{i}," said the Magistrate. "Go on," said Mr. Das.' for i in range(3))
            + "\n\nHe was a magistrate of the old kind.\n\n"
            + "\n\n".join(f'"Wait{i}," said Tom Ashby. "Done," said Mr. Das.' for i in range(3)))
    paras, _ = paragraphs(prose_book(text))
    cast = CharacterIndex([Character("Mr. Das", set(), "male", from_cast=True)])
    found = [ch.name for ch in discover_characters(paras, exclude=cast, min_tags=2, min_titled=10**9)]
    assert "Tom Ashby" in found and "Magistrate" not in found


def test_a_cast_role_that_tags_speeches_all_through_the_book_is_an_epithet():
    from render.script.roles import epithet_roles

    painter = Character("The Painter", {"The Painter"}, "male", from_cast=True)
    officer = Character("The Officer", set(), "male", from_cast=True)
    named = Character("Basil Hallward", {"Basil"}, "male", from_cast=True)
    roles = {"painter": [2, 2, 3, 7, 8, 10, 13], "officer": [10, 11, 13, 31, 43]}
    assert epithet_roles([painter, officer, named], roles, 20) == [painter, officer]
    assert epithet_roles([painter, officer, named], roles, 53) == []  # a few scenes of a long book


def test_a_cast_character_named_by_kinship_is_whoever_is_that_kin():
    from render.script.quote_model import disabled_rules
    from render.script.roles import epithet_roles

    mother = Character("Mother", {"Mother"}, "female", from_cast=True)
    son = Character("The Son", set(), "male", from_cast=True)
    vane = Character("Mrs. Vane", set(), "female", from_cast=True)
    assert epithet_roles([mother, son, vane], {}, 20) == [mother]  # 'The Son' is a described person
    with disabled_rules({"kin-name"}):
        assert epithet_roles([mother, son, vane], {}, 20) == []


def test_a_cast_entry_that_is_only_anothers_surname_is_that_person():
    from render.script.characters import Character, CharacterIndex, surname_entries
    from render.script.quote_model import disabled_rules

    def cast():
        return [Character("Wooden-Legged Man", {"Jonathan Small"}, "male", from_cast=True),
                Character("Small", {"Small"}, "neutral", from_cast=True),
                Character("Mrs. Highcamp", set(), "female", from_cast=True),
                Character("Highcamp", set(), "neutral", from_cast=True),
                Character("Achmet", set(), "neutral", from_cast=True)]

    folded = surname_entries(cast())
    assert [c.name for c in folded] == ["Wooden-Legged Man", "Mrs. Highcamp", "Highcamp", "Achmet"]
    assert CharacterIndex(folded).resolve("Small").name == "Wooden-Legged Man"
    with disabled_rules({"surname-entry"}):
        assert len(surname_entries(cast())) == 5
    # a gender of its own, or a second bearer of the full name, keeps the entry
    own = [Character("Jonathan Small", set(), "male"), Character("Small", set(), "male")]
    assert len(surname_entries(own)) == 2
    two = [Character("Jonathan Small", set(), "male"), Character("Tom Small", set(), "male"),
           Character("Small", set(), "neutral")]
    assert len(surname_entries(two)) == 3


def test_said_with_a_surname_entry_goes_to_the_full_name(tmp_path):
    from render.ingest import load_book
    from render.script import attribute_quotes
    from render.script.cast import load_cast

    (tmp_path / "cast.yaml").write_text(
        "characters:\n  - {name: Wooden-Legged Man, aliases: [Jonathan Small], gender: male}\n"
        "  - {name: Small, gender: neutral}\n  - {name: Holmes, gender: male}\n", encoding="utf-8")
    (tmp_path / "book.txt").write_text(
        'Holmes looked at the prisoner.\n\n"At the bottom of the river," said Small, shortly.\n',
        encoding="utf-8")
    recs = attribute_quotes(load_book(tmp_path / "book.txt"), load_cast(tmp_path / "cast.yaml"))
    assert [r["speaker"] for r in recs] == ["Wooden-Legged Man"]
