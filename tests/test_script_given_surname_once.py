"""Discovery without a cast: a lone given name the book writes once with a surname ('Oscar Rudd')
joins the lone 'Mr. Rudd' when the narration calls him 'Mr. Rudd' more often than 'Oscar'
(render/script/discovery_merge.py, rule 'given-surname-once')."""

from __future__ import annotations

from collections import Counter

from render.script.characters import Character
from render.script.discovery_merge import merge_given_surname
from render.script.quote_model import disabled_rules

# invented: the narrator's 'Mr. Rudd' is 'Oscar' to his friends, and one speech gives both names
TEXTS = ['"I count Oscar Rudd my best friend," said the doctor.', "Mr. Rudd bowed. Mr. Rudd sat down."]


def _chars(oscar_in_narration: int = 1) -> list[Character]:
    return [Character("Oscar", set(), "male", mentions=oscar_in_narration),
            Character("Mr. Rudd", set(), "male", mentions=9)]


def test_a_given_name_written_once_joins_the_titled_surname_the_narration_prefers():
    assert [c.name for c in merge_given_surname(_chars(), TEXTS, Counter())] == ["Oscar"]
    with disabled_rules(frozenset({"given-surname-once"})):
        assert len(merge_given_surname(_chars(), TEXTS, Counter())) == 2  # written once: too few


def test_a_given_name_the_narration_prefers_stays_apart():
    # a son the narrator calls 'Oscar' beside his father 'Mr. Rudd'
    assert len(merge_given_surname(_chars(oscar_in_narration=30), TEXTS, Counter())) == 2


def test_named_together_or_two_of_the_family_stay_apart():
    together = Counter({("Mr. Rudd", "Oscar"): 2, ("Oscar", "Mr. Rudd"): 2})  # 'Mr. Rudd and Oscar', twice
    assert len(merge_given_surname(_chars(), TEXTS, together)) == 2
    once = Counter({("Mr. Rudd", "Oscar"): 1, ("Oscar", "Mr. Rudd"): 1})  # 'Mr. Rudd, whom he called Oscar'
    assert len(merge_given_surname(_chars(), TEXTS, once)) == 1
    replies = Counter({("Oscar", "Mr. Rudd"): 1})  # '"No," said Oscar' answering Mr. Rudd
    assert len(merge_given_surname(_chars(), TEXTS, Counter(), replies)) == 2
    silas = Character("Silas", set(), "male", mentions=1)
    assert len(merge_given_surname(_chars() + [silas], TEXTS + ["Silas Rudd came."], Counter())) == 3


def test_a_bare_surname_joins_the_one_given_name_written_with_it():
    # invented: 'said Pennock' in the tags, 'Owen Pennock' twice in the narration, 'Owen' in others
    texts = ["Owen Pennock came to the door.", "Nobody liked Owen Pennock."]

    def chars():
        return [Character("Owen", set(), "male", mentions=4), Character("Pennock", set(), "male", mentions=3)]
    assert [c.name for c in merge_given_surname(chars(), texts, Counter())] == ["Owen"]
    with disabled_rules(frozenset({"bare-surname-given"})):
        assert len(merge_given_surname(chars(), texts, Counter())) == 2
    two = chars() + [Character("Mabel", set(), "female")]  # 'Mabel Pennock' too: whose surname?
    assert len(merge_given_surname(two, texts + ["Mabel Pennock", "Mabel Pennock"], Counter())) == 3
