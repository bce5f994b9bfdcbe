"""Rules 'lost-apostrophe' ('answered Nell s mamma': a possessive whose apostrophe the text lost)
and 'nursery-kin' ('Nell's mamma' is her mother)."""

from __future__ import annotations

from tests.wren_family import said


TEXT = ('Ash found Nell and her mother on the terrace after dinner.\n\n'
        '"Are you going to the lake to-morrow?" asked Ash.\n\n'
        '"Oh, not with this wind," answered Nell s mamma.\n')


def test_a_possessive_that_lost_its_apostrophe_is_read():
    assert said(TEXT)[-1] == "Mrs. Wren"
    assert said(TEXT, frozenset({"lost-apostrophe"}))[-1] == "Nell Wren"


def test_mamma_is_the_mother():
    text = TEXT.replace("Nell s mamma", "Nell's mamma")
    assert said(text)[-1] == "Mrs. Wren"
    assert said(text, frozenset({"nursery-kin"}))[-1] != "Mrs. Wren"
