"""The tag ranker: its fit, what it may look at and never change, and the shipped model."""

from __future__ import annotations

import random
import re

from render.script import attribute_quotes
from render.script.arbiter import fit
from render.script.confidence import RULE_FAMILIES, TAG_FAMILIES, rule_family
from render.script.fixes import Fixes
from render.script.quote_model import Quote, disabled_rules
from render.script.build import sieved
from render.script.features import vocatives
from render.script.tag_ranker import CALLED, RULE, _addressed, candidate_groups, decide, eligible, load_model

from .test_script_attribution import WREN_JILL_ASH, prose_book

SCENE = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\n'
         'Jill came down the steps. "The tide," she said.\n\n"What of it?" she asked.\n\n'
         '"Nothing," said Ash. "The wind, rather," he added.\n\n"Then we wait," said the girl.\n')

# a model that prefers anyone to the sieve's referent of a pronoun or description tag
CONTRARY = {"weights": {f"sieve:{r}-verb-{w}": -50.0 for r in ("pronoun", "nominal") for w in ("after", "before")},
            "margin": 0.0}


def _quote(rule):
    q = Quote(None, 0, 0, 0)
    q.speaker, q.rule = "X", rule
    return q


def test_the_fit_on_synthetic_rows_finds_the_signal_that_picks_the_right_candidate():
    rnd = random.Random(3)
    groups, gold = [], []
    for _ in range(2000):
        n = rnd.choice((2, 3, 4))
        right = rnd.randrange(n)
        # 'gender_agrees' marks the right one 80 % of the time; 'share' is noise
        feats = [{"gender_agrees": float((k == right) == (rnd.random() < 0.8)), "share": rnd.random()}
                 for k in range(n)]
        groups.append(feats)
        gold.append(right)
    w = fit(groups, gold, l2=1.0)["weights"]
    assert w["gender_agrees"] > 1.0 and abs(w.get("share", 0.0)) < 0.3
    # and decide() follows the fitted weights, only past the margin
    q = _quote("pronoun-verb-after")
    feats = [{"gender_agrees": 0.0}, {"gender_agrees": 1.0}]
    assert decide([(q, ["X", "Y"], feats)], {"weights": w, "margin": w["gender_agrees"] + 1}) == 0
    assert q.speaker == "X"
    assert decide([(q, ["X", "Y"], feats)], {"weights": w, "margin": 0.5}) == 1
    assert (q.speaker, q.rule) == ("Y", RULE) and 0.5 < q.confidence < 1


def test_only_pronoun_and_description_tags_are_eligible():
    for rule in ("pronoun-verb-after", "pronoun-verb-before", "nominal-verb-after", "nominal-verb-before"):
        assert eligible(_quote(rule))
    for rule in ("fix", "explicit-verb-after", "explicit-verb-before", "first-person", "self-named",
                 "turn-taking", "alternation", "arbiter", "addressed-reply", None):
        assert not eligible(_quote(rule))
    # its own decisions count as tag decisions (the arbiter leaves them alone) and have a family
    assert rule_family(RULE) == RULE and RULE in RULE_FAMILIES and RULE in TAG_FAMILIES


def test_a_model_set_against_the_sieve_changes_no_fix_and_no_explicit_tag():
    book = prose_book(SCENE)
    plain = attribute_quotes(book, WREN_JILL_ASH, arbiter=False, ranker=False)
    tagged = [k for k, r in enumerate(plain) if r["rule"].startswith(("pronoun-verb", "nominal-verb"))]
    assert len(tagged) >= 2
    fixes = Fixes(None, {plain[tagged[0]]["id"]: plain[tagged[0]]["speaker"]})
    before = attribute_quotes(book, WREN_JILL_ASH, fixes, arbiter=False, ranker=False)
    after = attribute_quotes(book, WREN_JILL_ASH, fixes, arbiter=False, ranker=CONTRARY)
    for b, a in zip(before, after):
        if not b["rule"].startswith(("pronoun-verb", "nominal-verb")):
            assert (a["speaker"], a["rule"]) == (b["speaker"], b["rule"])
    assert after[tagged[0]]["rule"] == "fix"
    assert any(r["rule"] == RULE for r in after)  # it did change what it was allowed to
    # without a cast the ranker leaves the book as the sieve read it
    nocast = attribute_quotes(book, None, arbiter=False, ranker=CONTRARY)
    assert not any(r["rule"] == RULE for r in nocast)


_KEY = re.compile(r"(?:(?:pronoun|nominal)\|)?(?:src:[a-z_0-9]+|sieve:(?:pronoun|nominal)-verb-(?:after|before)|"
                  r"[a-z_0-9]+&[a-z_]+|[a-z_0-9]+)")


def test_the_shipped_model_loads_and_holds_no_name():
    model = load_model()
    assert model.get("weights") and not model.get("missing") and model["margin"] > 0
    for key in model["weights"]:
        assert _KEY.fullmatch(key), key  # signal names only: lower case, no character's name


def test_attribution_with_the_shipped_ranker_is_deterministic():
    runs = [[(r["speaker"], r["rule"], r["confidence"]) for r in attribute_quotes(prose_book(SCENE), WREN_JILL_ASH)]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0][0][0] == "Wren Hollis" and runs[0][1][0] == "Ash Marlow"


def test_whom_the_narration_turns_to_and_how_contested_the_sieves_referent_is_are_signals():
    index = sieved(prose_book(SCENE), WREN_JILL_ASH).index
    assert _addressed("Turning to Jill, Wren went on", index) == {"Jill Hollis"}
    assert _addressed("Jill turned and looked at the sea", index) == set()
    book = prose_book('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\n'
                      'Turning to Wren, Jill smiled. "The tide," she said.\n')
    state = sieved(book, WREN_JILL_ASH)
    groups = candidate_groups(state.paras, state.index, state.res.gender, state.res.narrator_name)
    (q, cands, feats), = groups
    spoken_to = {c for c, f in zip(cands, feats) if f.get("spoken_to")}
    assert spoken_to == {"Wren Hollis"}
    assert feats[0].get("sieve_rivals") == 1.0  # another woman shares the exchange


def test_who_a_speech_calls_by_name_is_a_signal_against_its_speaker_and_for_the_turns_beside_it():
    index = sieved(prose_book(SCENE), WREN_JILL_ASH).index
    # the ranker reads calls with the sieve's one vocative reader (features.vocatives)
    assert vocatives('"Well, Jill, the tide is in."', index) == ["Jill Hollis"]
    assert vocatives('"Oh Wren! Look."', index) == ["Wren Hollis"]
    assert vocatives('"Jill went home at noon."', index) == []  # a mention, not a call
    book = prose_book('"Is the boat ready?" said Ash.\n\n"Since noon, Wren," said Ash.\n\n'
                      'Jill came down the steps. "Well, Wren, the tide," she said.\n\n'
                      '"What of it, Jill?" said Wren.\n')
    state = sieved(book, WREN_JILL_ASH)
    groups = candidate_groups(state.paras, state.index, state.res.gender, state.res.narrator_name)
    (q, cands, feats), = groups
    by = dict(zip(cands, feats))
    assert by["Wren Hollis"].get("called_inside") == 1.0 and not by["Jill Hollis"].get("called_inside")
    assert by["Wren Hollis"].get("called_by_prev") == 1.0  # Ash called her: she may answer
    assert by["Jill Hollis"].get("called_by_next") == 1.0  # the answer calls Jill: she spoke
    with disabled_rules({CALLED}):  # switched off, no candidate carries the signals
        off = candidate_groups(state.paras, state.index, state.res.gender, state.res.narrator_name)
    assert not any(v for f in off[0][2] for k, v in f.items() if k.startswith("called"))
