"""Rule 'alias-function-word': a cast entry that describes someone ('One of the Porters Who Had
Carried the Trunks') lends no partial name made of a word of English grammar ('Who', 'Had'),
and narration that writes the description in lower case mentions that person. Invented text."""

from __future__ import annotations

from render.script.characters import Character, CharacterIndex
from render.script.quote_model import disabled_rules

PORTER = "One Of The Porters Who Had Carried The Trunks"
NARRATION = "Who was at the door? Had the coach come? It was one of the porters who had carried the trunks."


def _index() -> CharacterIndex:
    return CharacterIndex([Character(PORTER, gender="male"),
                           Character("Walter Penrose", aliases={"Walter"}, gender="male")])


def _mentioned(text: str) -> list[str]:
    index = _index()
    return [index.resolve(surface).name for _, _, surface in index.mentions(text)]


def test_function_words_are_no_partial_names():
    index = _index()
    assert index.partial("Who") == [] and index.partial("Had") == []
    assert index.resolve("Who") is None
    assert [c.name for c in index.partial("Porters")] == [PORTER]  # a content word still is one
    assert [c.name for c in index.partial("Walter")] == ["Walter Penrose"]


def test_the_description_is_found_in_lower_case_only():
    assert _mentioned(NARRATION) == [PORTER]


def test_without_the_rule_who_and_had_name_the_porter():
    with disabled_rules({"alias-function-word"}):
        index = _index()
        assert [c.name for c in index.partial("Who")] == [PORTER]
        assert [index.resolve(s).name for _, _, s in index.mentions(NARRATION)] == [PORTER, PORTER]
