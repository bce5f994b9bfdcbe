"""Discovery without a cast: a role found as a character of its own ('said the Warden') is the one
named character the narration sets beside it ('the Warden, Mr. Crale, with whom ...')
(render/script/discovery_merge.py, rule 'role-apposed-name')."""

from __future__ import annotations

from collections import Counter

from render.script.characters import Character
from render.script.discovery_merge import merge_role_names
from render.script.quote_model import disabled_rules

from tests.test_script_characters import prose_book
from tests.test_script_discovery import _discovered

# invented: the prison's Warden is Mr. Crale; the tags call him 'the Warden' and once by name
TEXT = ('They knew the voice at once: it was the Warden, Mr. Crale, with whom they had dined.\n\n'
        '"You are late," said the Warden.\n\n'
        '"The gate was shut," said Tom Pyle.\n\n'
        '"Then knock louder," said the Warden.\n\n'
        'Mr. Crale opened the book. Tom Pyle waited.\n\n'
        '"Sign here," said Mr. Crale.\n\n'
        'The Warden closed the ledger. The Warden went out.\n')


def _owner(found: dict, form: str) -> str | None:
    return next((c.name for c in found.values() if form == c.name or form in c.aliases), None)


def test_a_role_joins_the_name_set_beside_it():
    found = _discovered(prose_book(TEXT))
    assert _owner(found, "Warden") == _owner(found, "Mr. Crale") == "Mr. Crale"
    with disabled_rules(frozenset({"role-apposed-name"})):
        found = _discovered(prose_book(TEXT))
    assert _owner(found, "Warden") != _owner(found, "Mr. Crale")  # two voices for one man


def test_a_role_named_beside_two_people_stays_apart():
    narr = ["It was the Warden, Mr. Crale, who spoke. The Warden was tired.",
            "Mr. Dunn, the Warden of the north gate, came in. The Warden sat."]
    crale, dunn, warden = (Character("Mr. Crale", set(), "male"), Character("Mr. Dunn", set(), "male"),
                           Character("Warden", set(), "male"))
    assert len(merge_role_names([crale, dunn, warden], narr, Counter())) == 3  # which warden?


def test_a_role_that_answers_the_name_stays_apart():
    narr = ["It was the Warden, Mr. Crale, who spoke. The Warden was tired, and the Warden slept."]
    crale, warden = Character("Mr. Crale", set(), "male"), Character("Warden", set(), "male")
    replies = Counter({("Warden", "Mr. Crale"): 1})  # '"No," said the Warden' answering Mr. Crale
    assert len(merge_role_names([crale, warden], narr, Counter(), replies)) == 2
    assert merge_role_names([crale, warden], narr, Counter()) == [crale] and "Warden" in crale.aliases
