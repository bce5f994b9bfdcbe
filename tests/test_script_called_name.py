"""'"…," said a young man who, for his solemn face, was called Owl.': a description whose own
sentence goes on to give its name speaks as that name (rule 'called-name', render/script/tags.py);
'said the man who had called Tom' calls Tom, who does not speak."""

from __future__ import annotations

from render.script.cast import Cast, CastMember
from render.script.tags import called_name, tag_after

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Bram Tolley", aliases=["Bram"], gender="male"),
    CastMember("Owl", gender="male")])

TAVERN = ['Bram Tolley sat at the bar with a glass of ale in front of him.',
          '"Another one for my friend," said Bram.',
          '"Let me weep on your shoulder," said a young man who, for his solemn face, was called Owl.']


def _called(narr: str):
    tag = tag_after(narr)
    return called_name(narr, tag.np_start + len(tag.np))


def test_the_name_the_sentence_gives():
    assert _called(" said a young man who, for his solemn face, was called Owl.")[1] == "Owl"
    assert _called(" said the man who had called Tom.") is None


def test_the_named_description_speaks():
    assert speakers(TAVERN, CAST)[-1][0] == "Owl"


def test_without_the_rule_the_description_is_read_as_before():
    assert speakers(TAVERN, CAST, disabled=frozenset({"called-name"}))[-1][0] != "Owl"
