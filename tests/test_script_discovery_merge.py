"""Discovery without a cast: a pet name found as a character of its own is the one character
known by the given name it shortens (render/script/discovery_merge.py, rule 'diminutive-given');
a lone 'Title Surname' is the one character whose given name the book writes with that surname
(rule 'given-surname')."""

from __future__ import annotations

from collections import Counter

from render.script.characters import Character
from render.script.discovery_merge import merge_diminutives, merge_given_surname
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


def test_eliza_is_a_pet_form_of_elizabeth():
    # invented: 'Eliza' in a tag ('"Do come, Eliza," said Miss Lake') found as its own character
    vane, eliza = Character("Elizabeth Vane", {"Elizabeth"}, "female"), Character("Eliza", set(), "female")
    assert merge_diminutives([vane, eliza], Counter()) == [vane] and "Eliza" in vane.aliases


def test_two_bearers_or_two_people_named_together_stay_apart():
    a, b, harry = (Character("Henry Cole", set(), "male"), Character("Henry Pratt", set(), "male"),
                   Character("Harry", set(), "male"))
    assert len(merge_diminutives([a, b, harry], Counter())) == 3  # which Henry?
    a, harry = Character("Henry Cole", set(), "male"), Character("Harry", set(), "male")
    together = Counter({("Harry", "Henry Cole"): 1, ("Henry Cole", "Harry"): 1})  # 'Harry and Henry Cole'
    assert len(merge_diminutives([a, harry], together)) == 2


# invented: Agnes is written in full twice ('Agnes Pellow', once in a speech) and is 'Miss Pellow'
# in the narration; her father is known only as 'Colonel Pellow'
PELLOW = ('People said that Agnes Pellow never forgot a slight.\n\n'
          '"I shall walk to the mill," said Agnes.\n\n'
          '"Not alone. Nobody crosses Agnes Pellow twice," said Colonel Pellow.\n\n'
          'Miss Pellow laughed at that. Colonel Pellow frowned at the window.\n\n'
          '"Then come with me," said Agnes.\n\n'
          'Miss Pellow took her shawl, and Colonel Pellow followed her out.\n\n'
          'At the mill Miss Pellow waited, and Colonel Pellow sat down.\n')


def test_a_titled_surname_joins_the_one_given_name_written_with_it():
    found = _discovered(prose_book(PELLOW))
    assert _owner(found, "Miss Pellow") == "Agnes"
    assert _owner(found, "Colonel Pellow") == "Colonel Pellow"  # the father stays himself
    with disabled_rules(frozenset({"given-surname"})):
        found = _discovered(prose_book(PELLOW))
    assert _owner(found, "Miss Pellow") == "Miss Pellow"  # two voices for one woman


def test_a_father_named_beside_his_son_stays_apart():
    son, father = Character("Oscar", set(), "male"), Character("Mr. Rudd", set(), "male")
    texts = ["Oscar Rudd came in late.", "Oscar Rudd sat down."]
    merged = merge_given_surname([son, father], texts, Counter())
    assert [c.name for c in merged] == ["Oscar"] and "Mr. Rudd" in son.aliases
    son, father = Character("Oscar", set(), "male"), Character("Mr. Rudd", set(), "male")
    together = Counter({("Mr. Rudd", "Oscar"): 1, ("Oscar", "Mr. Rudd"): 1})  # 'Mr. Rudd and Oscar'
    assert len(merge_given_surname([son, father], texts, together)) == 2


def test_two_given_names_of_one_family_leave_the_title_ambiguous():
    chars = [Character("Oscar", set(), "male"), Character("Silas", set(), "male"),
             Character("Mr. Rudd", set(), "male")]
    assert len(merge_given_surname(chars, ["Oscar Rudd and Silas Rudd", "Oscar Rudd and Silas Rudd"], Counter())) == 3


def test_a_miss_does_not_join_a_married_woman():
    chars = [Character("Agnes", {"Mrs. Pellow"}, "female"), Character("Miss Pellow", set(), "female")]
    assert len(merge_given_surname(chars, ["Agnes Pellow", "Agnes Pellow"], Counter())) == 2


def test_a_full_name_written_once_after_the_same_title_ties_the_two():
    # invented: a chapter heading 'Miss Agnes Pellow Goes to the Fair' is the one full name
    texts = ["Chapter IV: Miss Agnes Pellow Goes to the Fair", "Miss Pellow sat down."]

    def chars():
        return [Character("Agnes", set(), "female"), Character("Miss Pellow", set(), "female")]
    assert [c.name for c in merge_given_surname(chars(), texts, Counter())] == ["Agnes"]
    with disabled_rules(frozenset({"titled-full-name"})):
        assert len(merge_given_surname(chars(), texts, Counter())) == 2  # written once: too few
    assert len(merge_given_surname(chars(), ["Agnes Pellow came in.", "Miss Pellow sat down."], Counter())) == 2
