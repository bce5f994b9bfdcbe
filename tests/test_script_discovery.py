"""Discovery without a cast: given-name gender, gender-aware alias merging, bare titles."""

from __future__ import annotations

from collections import Counter

from render.script import discover_cast
from render.script.discovery import merge_aliases
from render.script.names import given_name_gender, name_gender

from tests.test_script_characters import prose_book


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
