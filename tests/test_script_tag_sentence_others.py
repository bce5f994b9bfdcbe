"""'"…," she said, handing Bess the tickets': whoever the rest of the tag's clause names is someone
other than its 'she' -- the writer would have said 'her own' or 'herself' had they been the same --
so the pronoun passes them over ('tag-sentence-others': render/script/pronouns.py,
render/script/tag_rules.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

FRIENDS = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Nora Vale", aliases=["Nora"], gender="female"),
    CastMember("Bess Lowry", aliases=["Bess"], gender="female")])

# Bess was named last, but the 'she' who hands Bess the tickets is Nora
PLATFORM = ['Nora Vale and Bess Lowry waited on the cold platform.',
            'A porter wheeled a trunk past them, and Bess stamped her feet.',
            '"The train is late again," she said, handing Bess the tickets.']


def test_the_one_named_after_the_tag_is_not_its_pronoun():
    assert speakers(PLATFORM, FRIENDS)[-1] == ("Nora Vale", "pronoun-verb-after")


def test_without_the_rule_the_last_named_speaks():
    off = speakers(PLATFORM, FRIENDS, disabled=frozenset({"tag-sentence-others"}))
    assert off[-1] == ("Bess Lowry", "pronoun-verb-after")


# a new clause after a semicolon may name anyone: the rule stops there
STOPPED = ['Nora Vale and Bess Lowry waited on the cold platform.',
           'A porter wheeled a trunk past them, and Bess stamped her feet.',
           '"The train is late again," she said; the porter told Bess it was not.']


def test_the_rule_stops_at_a_semicolon():
    assert speakers(STOPPED, FRIENDS)[-1] == ("Bess Lowry", "pronoun-verb-after")
