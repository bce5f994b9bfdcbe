"""Discovery without a cast: a pet name found as a character of its own is the one character
known by the given name it shortens (render/script/discovery_merge.py, rule 'diminutive-given')."""

from __future__ import annotations

from collections import Counter

from render.script.characters import Character
from render.script.discovery_merge import merge_diminutives
from render.script.quote_model import disabled_rules

from tests.test_script_characters import prose_book
from tests.test_script_discovery import _discovered

# invented: Elizabeth Vane is 'Lizzy' to her uncle, and a tag says so
TEXT = ('Elizabeth Vane came down to breakfast. Elizabeth Vane was late.\n\n'
        '"Good morning," said Elizabeth.\n\n'
        '"You are late again," said Mr. Orme.\n\n'
        '"Only a little," said Elizabeth.\n\n'
        '"A little is too much, Lizzy," said Mr. Orme.\n\n'
        '"Then I shall be early tomorrow," said Lizzy.\n\n'
        'Mr. Orme folded his paper. Mr. Orme smiled.\n')


def _owner(found: dict, form: str) -> str | None:
    return next((c.name for c in found.values() if form == c.name or form in c.aliases), None)


def test_a_pet_name_joins_the_given_name_it_shortens():
    found = _discovered(prose_book(TEXT))
    assert _owner(found, "Lizzy") == _owner(found, "Elizabeth")
    with disabled_rules(frozenset({"diminutive-given"})):
        found = _discovered(prose_book(TEXT))
    assert _owner(found, "Lizzy") == "Lizzy"  # two voices for one woman


def test_a_pet_name_after_a_rank_title_is_found_too():
    lord, harry = Character("Lord Henry Vail", {"Lord Henry"}, "male"), Character("Harry", set(), "male")
    assert merge_diminutives([lord, harry], Counter()) == [lord] and "Harry" in lord.aliases


def test_two_bearers_or_two_people_named_together_stay_apart():
    a, b, harry = (Character("Henry Cole", set(), "male"), Character("Henry Pratt", set(), "male"),
                   Character("Harry", set(), "male"))
    assert len(merge_diminutives([a, b, harry], Counter())) == 3  # which Henry?
    a, harry = Character("Henry Cole", set(), "male"), Character("Harry", set(), "male")
    together = Counter({("Harry", "Henry Cole"): 1, ("Henry Cole", "Harry"): 1})  # 'Harry and Henry Cole'
    assert len(merge_diminutives([a, harry], together)) == 2
