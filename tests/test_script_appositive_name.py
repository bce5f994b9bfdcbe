"""Rule 'appositive-name': a name set off right after a third-person description ('His boy, Joe,
shaved me.') names the one described; no one is called 'his boy', so it is no vocative and the
one so named does not answer the speech. Invented sentences."""

from __future__ import annotations

from render.script.characters import Character, CharacterIndex
from render.script.features import vocatives
from render.script.quote_model import disabled_rules

INDEX = CharacterIndex([Character("Joe Hamilton", aliases={"Joe"}, gender="male")])


def test_a_name_beside_his_boy_is_no_one_called():
    assert vocatives("His boy, Joe, shaved me this morning.", INDEX) == []
    assert vocatives("I was out. The porter, Joe, let me in.", INDEX) == []
    with disabled_rules({"appositive-name"}):
        assert vocatives("His boy, Joe, shaved me this morning.", INDEX) == ["Joe Hamilton"]


def test_a_name_called_is_still_a_vocative():
    assert vocatives("Well, Joe, shall we go?", INDEX) == ["Joe Hamilton"]
    assert vocatives("My boy, Joe, come here.", INDEX) == ["Joe Hamilton"]  # 'my boy' may be an address
