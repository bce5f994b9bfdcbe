"""The arbiter: its fit, what it may never change, and the shipped model."""

from __future__ import annotations

import math
import random

from render.script import attribute_quotes
from render.script.arbiter import RULE, eligible, fit, load_model
from render.script.confidence import RULE_FAMILIES
from render.script.fixes import Fixes
from render.script.quote_model import Quote

from .test_script_attribution import WREN_JILL_ASH, prose_book

EXCHANGE = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\n"Then we go."\n\n'
            '"Not yet."\n\n"Why not?"\n\nJill came down the steps. "The tide," she said.\n\n'
            '"What of it?"\n')


def test_the_fit_recovers_known_weights_from_synthetic_choices():
    rnd = random.Random(7)
    true = {"a": 2.0, "b": -1.0}
    groups, gold = [], []
    for _ in range(10000):
        feats = [{"a": rnd.gauss(0, 1), "b": rnd.gauss(0, 1)} for _ in range(rnd.choice((2, 3, 4)))]
        z = [math.exp(true["a"] * f["a"] + true["b"] * f["b"]) for f in feats]
        r, k = rnd.random() * sum(z), 0
        while r > z[k]:
            r -= z[k]
            k += 1
        groups.append(feats)
        gold.append(k)
    w = fit(groups, gold, l2=0.01)["weights"]
    assert abs(w["a"] - 2.0) < 0.1 and abs(w["b"] + 1.0) < 0.1


def _quote(rule):
    q = Quote(None, 0, 0, 0)
    q.speaker, q.rule = "X", rule
    return q


def test_a_fix_and_an_explicit_tag_are_never_eligible():
    assert not eligible(_quote("fix"))
    assert not eligible(_quote("explicit-verb-after"))
    assert not eligible(_quote("explicit-verb-before"), families=("explicit-verb", "pronoun-verb"))
    assert not eligible(_quote("pronoun-verb-after"))  # tags only when asked for
    assert eligible(_quote("pronoun-verb-after"), families=("pronoun-verb",))
    assert eligible(_quote("turn-taking")) and eligible(_quote(None))


def test_a_model_set_against_the_sieve_changes_no_fix_and_no_explicit_tag():
    plain = attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH, arbiter=False)
    fixed_id = plain[3]["id"]
    fixes = Fixes(None, {fixed_id: "Jill"})
    # a model that always prefers anyone over the sieve's choice
    contrary = {"weights": {f"sieve:{fam}": -50.0 for fam in (
        "explicit-verb-after", "explicit-verb-before", "fix", "turn-taking", "turn-taking-backward",
        "alternation", "same-paragraph", "pronoun-verb-after", "pronoun-verb-before")}, "margin": 0.0,
        "families": ["pronoun-verb", "explicit-verb"]}
    recs = attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH, fixes, arbiter=contrary)
    for before, after in zip(attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH, fixes, arbiter=False), recs):
        if before["rule"] in ("fix", "explicit-verb-after", "explicit-verb-before"):
            assert (after["speaker"], after["rule"]) == (before["speaker"], before["rule"])
    assert recs[3]["speaker"] == "Jill Hollis" and recs[3]["rule"] == "fix"
    assert any(r["rule"] == RULE for r in recs)  # the model did change what it was allowed to


def test_the_shipped_model_loads_and_holds_no_name():
    model = load_model()
    assert model.get("weights") and not model.get("missing")
    families = set(RULE_FAMILIES) | {"unresolved", "other"}
    signals = {"named_inside", "share", "in_exchange", "narrator", "near_tag", "parity", "repeats_prev",
               "tag_gender_agrees", "beat_gender_agrees", "beat_gender_differs", "named_in_beat",
               "named_after_beat", "named_in_lead", "recency", "sieve_conf", "beat_first_person"}
    for key in model["weights"]:
        family, _, signal = key.rpartition("|")
        assert not family or family in families
        kind, _, what = signal.partition(":")
        assert signal in signals or (kind == "sieve" and what in families) or (
            kind == "src" and (what in ("sieve", "prev", "back2", "next", "fwd2", "addressed_by_prev",
                                        "named_before", "narration", "named_after") or what.startswith("stage")))


def test_attribution_with_the_shipped_arbiter_is_deterministic():
    runs = [[(r["speaker"], r["rule"], r["confidence"]) for r in attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH)]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0][0][0] == "Wren Hollis" and runs[0][1][0] == "Ash Marlow"
