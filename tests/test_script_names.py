"""Names and descriptions the text writes differently from the cast: a bare surname a married
pair shares, and 'the old man' for the one the narration calls 'old X'."""

from __future__ import annotations

from render.script import attribute_quotes

from tests.test_script_attribution import cast_of, prose_book


def _speakers(text, cast, disabled=frozenset()):
    return [r["speaker"] for r in attribute_quotes(prose_book(text), cast, disabled=frozenset(disabled))]


PAIR = cast_of(("Mr. Mcbryde", "male", []), ("Mrs. Mcbryde", "female", []), ("Wren", "female", []))
PAIR_TEXT = ('"Stay," said McBryde. "Go," said McBryde.\n\n"No," said Wren.\n\n'
             '"Hush," said Mrs. McBryde.')


def test_a_bare_surname_spelt_like_a_married_pair_is_the_man():
    assert _speakers(PAIR_TEXT, PAIR) == ["Mr. Mcbryde"] * 2 + ["Wren", "Mrs. Mcbryde"]


def test_without_the_rule_the_bare_surname_is_no_one_of_the_cast():
    got = _speakers(PAIR_TEXT, PAIR, {"bare-surname-man"})
    assert got[:2] != ["Mr. Mcbryde"] * 2 and got[2:] == ["Wren", "Mrs. Mcbryde"]


EMERSONS = cast_of(("Mr. Emerson", "male", []), ("George Emerson", "male", ["George"]),
                   ("Lucy", "female", []))
OLD_TEXT = ("Lucy looked at old Mr. Emerson across the table. Old Mr. Emerson smiled.\n\n"
            "Mr. Emerson sat down. Lucy turned to George, and George looked away.\n\n"
            '"Why not?" said the old man.')


def test_the_old_man_is_the_one_the_narration_calls_old():
    assert _speakers(OLD_TEXT, EMERSONS) == ["Mr. Emerson"]


def test_without_the_rule_the_old_man_is_the_most_salient_man():
    assert _speakers(OLD_TEXT, EMERSONS, {"old-by-name"}) == ["George Emerson"]


def test_the_old_jew_is_no_name_called_old():
    from render.script.build import paragraphs
    from render.script.characters import CharacterIndex, from_cast
    from render.script.features import ages_old

    cast = cast_of(("Fagin", "male", ["The Jew"]), ("Oliver", "male", []))
    paras, _ = paragraphs(prose_book("The old Jew laughed. Then the old Jew sat.\n\nOld Oliver came. Old Oliver went."))
    assert ages_old(paras, CharacterIndex(from_cast(cast))) == {"Oliver": 2}


def test_the_englishman_describes_a_man_on_stage_and_names_no_one():
    cast = cast_of(("Cyril Fielding", "male", ["Fielding"]), ("Adela", "female", []))
    text = 'Fielding came up the steps. Adela waited.\n\n"It was the prayer," cried the Englishman.'
    assert _speakers(text, cast) == ["Cyril Fielding"]
    assert _speakers(text, cast, {"nationality-noun"}) != ["Cyril Fielding"]


def test_their_father_in_narration_puts_the_father_on_stage():
    cast = cast_of(("Mr. Bennet", "male", []), ("Jane Bennet", "female", ["Jane"]),
                   ("Elizabeth Bennet", "female", ["Elizabeth"]), ("Butler", "male", []))
    text = ('Mr. Bennet went out. Jane and Elizabeth looked for him.\n\n'
            'Butler came in.\n\n"He is in the garden," said Butler.\n\n'
            'They ran after their father, and Jane came up with him.\n\n'
            '"Papa, what news?" said Elizabeth.\n\n"A letter," said he.')
    assert _speakers(text, cast)[-1] == "Mr. Bennet"
    assert _speakers(text, cast, {"their-kin"})[-1] == "Butler"
