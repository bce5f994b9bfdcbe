"""'"…," said one.' / 'said another' / 'said one of them': a speaker the tag leaves unnamed is the
cast entry spelt with that number word round the noun the narration just used ('two sailors
stopped us' -> 'One Sailor'); rule 'indefinite-entry', render/script/indefinite_entries.py."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.indefinite_entries import entry_noun

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Rosa Vane", aliases=["Rosa"], gender="female"),
    CastMember("One Sailor", gender="male"),
    CastMember("Another Sailor", gender="male"),
    CastMember("One Of The Porters", gender="male")])

# two sailors stop Rosa on the quay; later a group of porters passes
QUAY = ['Rosa Vane walked along the quay. At the end of it two sailors stopped her.',
        '"Lost your way, miss?" said one.',
        '"She never lost it," said another. "She knows the harbour better than we do."',
        'Rosa laughed and went on. A group of porters came down the steps with a trunk.',
        '"Mind the corner!" cried one of them.']


def test_the_entry_noun():
    assert entry_noun("One Of The Young Porters") == ("one", "porters")
    assert entry_noun("Another Sailor") == ("another", "sailor")
    assert entry_noun("One Of The Women Who Sat At The Bar") == ("one", "women")
    assert entry_noun("Rosa Vane") is None


def test_one_and_another_are_the_entries_the_noun_names():
    assert [s for s, _ in speakers(QUAY, CAST)] == ["One Sailor", "Another Sailor", "Another Sailor",
                                                "One Of The Porters"]


def test_without_the_rule_they_go_to_no_one():
    got = [s for s, _ in speakers(QUAY, CAST, disabled=frozenset({"indefinite-entry"}))]
    assert "One Sailor" not in got and "One Of The Porters" not in got
