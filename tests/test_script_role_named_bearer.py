"""'said the surgeon' when the cast lists an unnamed 'The Surgeon' from another scene and the
narration has told us that Mr. Pell is a surgeon: the description means the named surgeon in
the scene ('role-named-bearer', render/script/role_bearers.py)."""

from __future__ import annotations

from render.script.cast import Cast, CastMember

from .test_script_salience import speakers

CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mr. Pell", aliases=["Pell"], gender="male"),
    CastMember("Rose Hart", aliases=["Rose"], gender="female"),
    CastMember("The Surgeon", gender="male")])

SCENE = ['Mr. Pell, a surgeon from the next village, came up the stairs with his bag.',
         'Rose lay by the window and did not turn her head.',
         '"Must I stay in bed?" asked Rose.',
         '"A week at least," said the surgeon.']


def test_the_surgeon_is_the_named_surgeon_in_the_scene():
    assert speakers(SCENE, CAST)[-1] == ("Mr. Pell", "nominal-verb-after")


def test_without_the_rule_the_unnamed_role_answers():
    got = speakers(SCENE, CAST, disabled=frozenset({"role-named-bearer"}))
    assert got[-1] == ("The Surgeon", "nominal-verb-after")


def test_the_unnamed_role_keeps_its_own_scene():
    scene = ['The surgeon came up the stairs with his bag.',
             '"Must I stay in bed?" asked Rose.',
             '"A week at least," said the surgeon.']
    assert speakers(scene, CAST)[-1] == ("The Surgeon", "nominal-verb-after")


SHOP_CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Mr. Lume", aliases=["Lume"], gender="male"),
    CastMember("Jo Barr", aliases=["Jo"], gender="male"),
    CastMember("The Proprietor", gender="male")])

SHOP = ['Jo pushed open the door of the inn. The proprietor, Mr. Lume, looked up from his ledger.',
        'Lume closed the book and waited.',
        '"A room for the night?" asked Jo.',
        '"The last one," said the proprietor.']


def test_a_sentence_opening_apposition_ties_the_name_to_the_role():
    assert speakers(SHOP, SHOP_CAST)[-1] == ("Mr. Lume", "nominal-verb-after")
    got = speakers(SHOP, SHOP_CAST, disabled=frozenset({"role-named-bearer"}))
    assert got[-1] == ("The Proprietor", "nominal-verb-after")


STUDIO_CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Piers Vell", aliases=["Piers", "Vell"], gender="male"),
    CastMember("Nora Quist", aliases=["Nora"], gender="female"),
    CastMember("The Painter", gender="male")])

STUDIO = ['By the easel, brush in hand, stood the painter himself, Piers Vell, frowning at the canvas.',
          'Nora came in with the tea and set it on the sill.',
          '"Is it finished?" asked Nora.',
          '"Not yet," said the painter.']

YARD_CAST = Cast(narrator=CastMember("narrator"), characters=[
    CastMember("Tamsin", gender="female"),
    CastMember("Edwin Cole", aliases=["Edwin"], gender="male"),
    CastMember("The Dairymaid", gender="female")])

YARD = ['Tamsin, the dairymaid, came across the yard with two pails.',
        'Edwin leaned on the gate and watched her.',
        '"Is the milk sweet today?" asked Edwin.',
        '"Sweet as ever," said the dairymaid.']


def test_a_definite_apposition_ties_the_name_to_the_role():
    """'the painter himself, Piers Vell' and 'Tamsin, the dairymaid, came …' (rule
    'role-definite-apposition')."""
    assert speakers(STUDIO, STUDIO_CAST)[-1] == ("Piers Vell", "nominal-verb-after")
    assert speakers(YARD, YARD_CAST)[-1] == ("Tamsin", "nominal-verb-after")
    off = frozenset({"role-definite-apposition"})
    assert speakers(STUDIO, STUDIO_CAST, disabled=off)[-1] == ("The Painter", "nominal-verb-after")
    assert speakers(YARD, YARD_CAST, disabled=off)[-1] == ("The Dairymaid", "nominal-verb-after")


def test_a_list_is_no_apposition():
    """'Tamsin, the dairymaid, and Edwin' names three people."""
    scene = ['Tamsin, the dairymaid, and Edwin came across the yard.', *YARD[1:]]
    assert speakers(scene, YARD_CAST)[-1] == ("The Dairymaid", "nominal-verb-after")
