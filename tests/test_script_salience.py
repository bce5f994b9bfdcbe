"""Salience from narration (render/script/features.note_mentions): who a 'he'/'she' tag finds on top."""

from __future__ import annotations

from pathlib import Path

from render.book import PARAGRAPH, Block, Book, Chapter
from render.script import attribute_quotes
from render.script.cast import Cast, CastMember
from render.script.characters import Character, CharacterIndex
from render.script.features import note_mentions
from render.script.quote_model import disabled_rules
from render.script.resolve import Resolver

ASH_TOM = Cast(narrator=CastMember("narrator"), characters=[CastMember("Ash Marlow", aliases=["Ash"], gender="male"),
                                                           CastMember("Tom Bay", aliases=["Tom"], gender="male")])


def speakers(paragraphs: list[str], cast: Cast, disabled: frozenset[str] = frozenset()) -> list[tuple[str | None, str | None]]:
    """(speaker, rule) of each quote in a one-chapter book of these paragraphs."""
    text = "\n\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(PARAGRAPH, p, start=pos, end=pos + len(p)))
        pos += len(p) + 2
    book = Book("Test", Path("test.txt"), [Chapter(1, "One", blocks)], text=text)
    return [(r["speaker"], r["rule"]) for r in attribute_quotes(book, cast, disabled=disabled)]


def _resolver(*on_stage: str) -> Resolver:
    """Ash and Tom (men) and Wren (a woman), mentioned in the order given (the last on top)."""
    res = Resolver(CharacterIndex([Character("Ash Marlow", {"Ash"}, "male"), Character("Tom Bay", {"Tom"}, "male"),
                                   Character("Wren Hollis", {"Wren"}, "female")]), allow_new=False)
    for name in on_stage:
        res.mention(name)
    return res


def _top_after(text: str, *on_stage: str, ages: dict[str, str] | None = None) -> str:
    res = _resolver(*on_stage)
    res.ages = dict(ages or {})  # 'old' / 'young' the book calls someone (features.ages)
    note_mentions(res, text, 0, len(text))
    return res.salience.order[0]


def test_a_pronoun_before_a_named_object_of_its_gender_is_someone_else():
    text = "A car drove up, and he hoped Tom would not see it."
    assert _top_after(text, "Tom Bay", "Ash Marlow") == "Ash Marlow"
    assert _top_after(text, "Ash Marlow", "Tom Bay") == "Ash Marlow"  # 'he' is not Tom, on top or not
    with disabled_rules({"bound-pronoun"}):
        assert _top_after(text, "Tom Bay", "Ash Marlow") == "Tom Bay"


def test_a_pronoun_after_the_name_or_with_it_as_subject_changes_nothing():
    assert _top_after("At the gate Tom turned, and he waved.", "Ash Marlow") == "Tom Bay"
    assert _top_after("A car drove up, and Tom hoped he would see it.", "Ash Marlow") == "Tom Bay"
    # after 'there came' the name is the subject of its clause
    assert _top_after("Even as he spoke there came Tom from the yard.", "Ash Marlow") == "Tom Bay"
    # a pronoun of the other gender binds no one of this one
    assert _top_after("A car drove up, and she hoped Tom would not see it.", "Ash Marlow", "Wren Hollis") == "Tom Bay"


def test_the_bound_pronoun_stays_among_those_on_stage():
    # more than eight names since Ash: he has left the scene, and 'he' cannot bring him back
    res = _resolver("Ash Marlow", *[f"Extra {i}" for i in range(8)], "Tom Bay")
    text = "A car drove up, and he hoped Tom would not see it."
    note_mentions(res, text, 0, len(text))
    assert res.salience.order[0] == "Tom Bay"


def test_a_he_said_tag_after_a_sentence_binding_the_other_man():
    book = ["Tom sat by the fire. Ash stood at the window.",
            "A car drove up, and he hoped Tom would not see it.",
            '"The boat is ready," he said.']
    assert speakers(book, ASH_TOM) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, ASH_TOM, frozenset({"bound-pronoun"})) == [("Tom Bay", "pronoun-verb-after")]


# -- who a 'he'/'she' of narration goes on with: not a name its own sentence makes an object of
# (rule 'pronoun-not-object'), and the one a description opening a sentence stands for (rule
# 'described-subject')


def test_a_leading_pronoun_is_not_the_man_its_sentence_looks_at():
    text = "He had only to look at Tom to see how tired they were."
    assert _top_after(text, "Ash Marlow", "Tom Bay") == "Ash Marlow"
    with disabled_rules({"pronoun-not-object"}):
        assert _top_after(text, "Ash Marlow", "Tom Bay") == "Tom Bay"
    # with no one else of its gender on stage, the object is the only one it can go on with
    assert _top_after("She had only to look at Wren.", "Wren Hollis", "Tom Bay") == "Wren Hollis"


def test_a_he_said_tag_after_a_sentence_looking_at_the_other_man():
    book = ["Ash came into the yard. Then Tom rode up to the gate.",
            "He turned his back on Tom and watched the hills.",
            '"The boat is ready," he said.']
    assert speakers(book, ASH_TOM) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, ASH_TOM, frozenset({"pronoun-not-object"})) == [("Tom Bay", "pronoun-verb-after")]


def test_a_sentence_opened_by_the_old_man_is_about_the_one_called_old():
    text = "The old man was tired, and closed his eyes."
    assert _top_after(text, "Ash Marlow", "Tom Bay", ages={"Ash Marlow": "old"}) == "Ash Marlow"
    with disabled_rules({"described-subject"}):
        assert _top_after(text, "Ash Marlow", "Tom Bay", ages={"Ash Marlow": "old"}) == "Tom Bay"
    # no one on stage is called old: the description is no one known
    assert _top_after(text, "Ash Marlow", "Tom Bay") == "Tom Bay"


def test_a_he_said_tag_after_the_old_man_acts():
    book = ["Old Ash and Tom sat by the fire. Old Ash had walked far that day.",
            "Tom stood at the window. The old man woke, and stretched his arms.",
            '"The boat is ready," he said.']
    assert speakers(book, ASH_TOM) == [("Ash Marlow", "pronoun-verb-after")]
    assert speakers(book, ASH_TOM, frozenset({"described-subject"})) == [("Tom Bay", "pronoun-verb-after")]


# -- a paragraph whose narration goes on about its speaker after an opening phrase keeps the floor
# (rule 'fronted-subject', read by the held turn: render/script/subjects.fronted_subject)


def test_an_opening_phrase_does_not_hide_the_subject():
    from render.script.subjects import fronted_subject
    text = "Turning from the window, so that the light was at his back, he lit his pipe."
    assert fronted_subject(text) == (text.index("he lit"), "he")
    assert fronted_subject("With a nod to the porter, Tom went out.")[1] == "Tom"
    assert fronted_subject("When Tom had gone, she sat down again.")[1] == "she"  # not Tom
    assert fronted_subject("In the garden, the roses were red.") is None  # no one opens the clause
    with disabled_rules({"fronted-subject"}):
        assert fronted_subject(text) is None


def test_a_he_said_tag_after_the_speaker_goes_on_behind_an_opening_phrase():
    book = ["Ash and Tom stood on the quay.",
            '"Where is the boat?" asked Tom.',
            '"Gone," said Ash. Turning from the water, so that the wind was at his back, he lit his pipe.',
            '"We shall have to walk," he said.']
    assert speakers(book, ASH_TOM)[-1] == ("Ash Marlow", "pronoun-verb-after")
    assert speakers(book, ASH_TOM, frozenset({"fronted-subject"}))[-1] == ("Tom Bay", "pronoun-verb-after")


# -- a later speech of a paragraph keeps the speaker a name tag gave its earlier speech
# (rule 'paragraph-speaker': render/script/tag_rules.TagRules._paragraph_speaker)


def test_a_he_said_tag_later_in_the_paragraph_keeps_its_named_speaker():
    book = ["Ash and Tom stood on the quay.",
            '"The boat is late," said Ash. The crossing promised to Tom was lost, for the sea was rising. '
            'The gulls wheeled over the harbour. "We shall have to wait," he said.']
    assert speakers(book, ASH_TOM)[-1] == ("Ash Marlow", "pronoun-verb-after")
    assert speakers(book, ASH_TOM, frozenset({"paragraph-speaker"}))[-1] == ("Tom Bay", "pronoun-verb-after")


def test_a_he_said_tag_after_another_man_acts_in_the_paragraph():
    book = ["Ash and Tom stood on the quay.",
            '"The boat is late," said Ash. Tom shook his head at the sea. "We shall have to wait," he said.']
    assert speakers(book, ASH_TOM)[-1] == ("Tom Bay", "pronoun-verb-after")
