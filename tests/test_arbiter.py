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


def _a_signal(key: str) -> bool:
    """Whether a weight's name is a general signal (no character's name in it)."""
    families = set(RULE_FAMILIES) | {"unresolved", "other"}
    signals = {"named_inside", "share", "in_exchange", "narrator", "near_tag", "parity", "repeats_prev",
               "tag_gender_agrees", "beat_gender_agrees", "beat_gender_differs", "named_in_beat",
               "named_after_beat", "named_in_lead", "recency", "sieve_conf", "beat_first_person",
               "addresses_own_sex", "addresses_other_sex", "called_next",
               *(f"{cue}_{how}" for cue in ("answered_as", "asked_as", "spouse_of") for how in ("agrees", "differs"))}
    family, _, signal = key.rpartition("|")
    kind, _, what = signal.partition(":")
    return (not family or family in families) and (signal in signals or (kind == "sieve" and what in families) or (
        kind == "src" and (what in ("sieve", "prev", "back2", "next", "fwd2", "addressed_by_prev",
                                    "named_before", "narration", "named_after") or what.startswith("stage"))))


def test_a_word_of_address_tells_each_candidate_whether_it_is_spoken_to():
    from render.script.arbiter import candidate_groups
    from render.script.build import analyse
    from render.script.genders import addressed_sexes

    assert addressed_sexes("Yes, sir. And you, madam? My dear fellow!") == ["male", "female", "male"]
    assert addressed_sexes("Sir Thomas is out; Miss Ward stays.") == []  # titles, not words of address
    talk = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\n"Then we go, madam."\n\n'
            '"Not yet, sir."\n')
    analysis = analyse(prose_book(talk), WREN_JILL_ASH, None, arbiter=False)
    gender = lambda n: analysis.index.by_name[n].gender
    groups = {q.text: dict(zip(cands, feats)) for q, cands, feats in
              candidate_groups(analysis.paras, analysis.index, gender)}
    madam, sir = groups["Then we go, madam."], groups["Not yet, sir."]
    assert madam["Ash Marlow"]["addresses_other_sex"] == 1.0 and madam["Wren Hollis"]["addresses_own_sex"] == 1.0
    assert sir["Wren Hollis"]["addresses_other_sex"] == 1.0 and sir["Ash Marlow"]["addresses_own_sex"] == 1.0


# Jill comes down; the sieve gives "Then we go now." to Ash (turn-taking), but the next turn calls
# Jill by name: the one it answers, so Jill spoke. "Not yet, Jill." names her as a vocative.
CALLED = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\nJill came down to the quay with the bags.\n\n'
          '"Then we go now."\n\n"Not yet, Jill. The tide is out."\n')
CALLED_MODEL = {"weights": {"src:sieve": 1.0, "called_next": 3.0}, "margin": 0.5}


def _third_speaker(text: str, model, disabled=frozenset()) -> str:
    """The given name of the third speech's speaker in text, read with the cast WREN_JILL_ASH."""
    return attribute_quotes(prose_book(text), WREN_JILL_ASH, disabled=disabled, arbiter=model)[2]["speaker"].split()[0]


def test_the_one_the_next_turn_calls_by_name_is_the_speaker_of_this_one():
    assert _third_speaker(CALLED, False) == "Ash"  # the sieve's turn-taking
    assert _third_speaker(CALLED, CALLED_MODEL) == "Jill"
    assert _third_speaker(CALLED, CALLED_MODEL, frozenset({"arbiter-called-next"})) == "Ash"


def test_a_name_only_mentioned_in_the_next_turn_is_no_call():
    from render.script.arbiter import candidate_groups
    from render.script.build import analyse

    talk = CALLED.replace("Not yet, Jill.", "Jill is not ready.")
    analysis = analyse(prose_book(talk), WREN_JILL_ASH, None, arbiter=False)
    gender = lambda n: analysis.index.by_name[n].gender
    groups = {q.text: feats for q, _, feats in candidate_groups(analysis.paras, analysis.index, gender)}
    assert not any("called_next" in f for f in groups["Then we go now."])


# two women talk and a man comes down; the next turn calls no name, but its 'sir' answers a man
SIR = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Jill.\n\nAsh came down to the quay with the bags.\n\n'
       '"Then we go now."\n\n"Not yet, sir. The tide is out."\n')
SIR_MODEL = {"weights": {"src:sieve": 1.0, "answered_as_agrees": 3.0}, "margin": 0.5}


def test_the_next_turns_word_of_address_gives_this_turns_speakers_sex():
    from render.script.genders import spouse_sexes

    assert _third_speaker(SIR, False) == "Jill"  # the sieve: the last speaker goes on
    assert _third_speaker(SIR, SIR_MODEL) == "Ash"
    assert _third_speaker(SIR, SIR_MODEL, frozenset({"arbiter-sex-cues"})) == "Jill"
    assert spouse_sexes("My wife is out, and your husband too.") == ["male"]
    assert spouse_sexes("I asked my husband.") == ["female"]


def test_the_shipped_model_loads_and_holds_no_name():
    model = load_model()
    assert model.get("weights") and not model.get("missing")
    assert all(_a_signal(key) for key in model["weights"])


def test_attribution_with_the_shipped_arbiter_is_deterministic():
    runs = [[(r["speaker"], r["rule"], r["confidence"]) for r in attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH)]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0][0][0] == "Wren Hollis" and runs[0][1][0] == "Ash Marlow"


# -- joint decoding (arbiter_decode)

from itertools import product

from render.script.arbiter_decode import NOBODY, _link, decode_chain

LINKS = {"link:same:plain": -1.5, "link:aba:plain": 1.0}


def _chain_score(chain, options, picks, w):
    total, lasts = 0.0, [None, None]
    for t, opts, k in zip(chain, options, picks):
        first, last, unary = opts[k]
        total += unary + sum(w.get(f, 0.0) * v for f, v in _link(t["ctx"], first, lasts[-1], lasts[-2]).items())
        lasts.append(last)
    return total


def test_the_joint_reading_differs_from_the_greedy_one():
    # Ann (tagged), then a turn the unary scores give to Cal by a little, then Ann and Bob (tagged):
    # read jointly, the middle turn is Bob's, whom the last turn answers A-B-A.
    chain = [{"ctx": "plain"} for _ in range(4)]
    options = [[("Ann", "Ann", 0.0)], [("Bob", "Bob", 0.0), ("Cal", "Cal", 0.2)],
               [("Ann", "Ann", 0.0)], [("Bob", "Bob", 0.0)]]
    greedy = max(range(2), key=lambda k: options[1][k][2])
    mm = decode_chain(chain, options, LINKS)
    assert options[1][greedy][0] == "Cal"
    assert max(mm[1], key=mm[1].__getitem__) == 0  # Bob
    assert abs((mm[1][0] - mm[1][1]) - (1.0 - 0.2)) < 1e-9  # Bob's A-B-A link against Cal's unary lead


def test_max_marginals_match_brute_force_on_random_chains():
    rnd = random.Random(3)
    names = ["Ann", "Bob", "Cal", "Dee"]
    w = {f"link:{kind}:{ctx}": rnd.uniform(-2, 2) for kind in ("same", "aba") for ctx in ("cont", "gap", "beat", "plain")}
    for _ in range(60):
        n = rnd.randint(1, 6)
        chain = [{"ctx": rnd.choice(("cont", "gap", "beat", "plain"))} for _ in range(n)]
        options = []
        for _ in range(n):
            if rnd.random() < 0.3:
                a = rnd.choice(names)
                options.append([(a, rnd.choice((a, rnd.choice(names))), 0.0)])
            else:
                options.append([(c, c, rnd.uniform(-1, 1)) for c in rnd.sample(names, rnd.randint(2, 4))])
        mm = decode_chain(chain, options, w)
        for j in range(n):
            for k in range(len(options[j])):
                brute = max(_chain_score(chain, options, picks, w) for picks in product(*(range(len(o)) for o in options))
                            if picks[j] == k)
                assert abs(mm[j][k] - brute) < 1e-9


# Jill comes in; the sieve gives "Then we go." to Ash again (a turn after a gap) and alternation
# drags the turns after it: Jill, Ash, Jill. Wren and Ash go on talking (Ash names Wren).
DRAGGED = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\nJill came down the steps.\n\n'
           '"Then we go."\n\n"Not yet, Wren."\n\n"Why not?"\n\n"The tide."\n')
KEEP = {"weights": {"src:sieve": 0.5}, "margin": 100.0}  # the quotes one at a time change nothing
JOINT_MODEL = {"weights": {"src:sieve": 0.5, "named_inside": -4.0, **{
    f"link:{kind}:{ctx}": v for kind, v in (("aba", 2.0), ("same", -2.0)) for ctx in ("plain", "gap", "beat")}},
    "margin": 0.5, "stay": 0.0}


def test_the_joint_decoding_fixes_a_dragged_turn_and_the_turns_after_it():
    def read(model, disabled=frozenset()):
        return [r["speaker"].split()[0] for r in attribute_quotes(prose_book(DRAGGED), WREN_JILL_ASH,
                                                                   disabled=disabled, arbiter=model)]

    assert read(KEEP) == ["Wren", "Ash", "Ash", "Jill", "Ash", "Jill"]
    assert read(dict(KEEP, joint=JOINT_MODEL)) == ["Wren", "Ash", "Wren", "Ash", "Wren", "Ash"]
    assert read(dict(KEEP, joint=JOINT_MODEL), frozenset({"arbiter-joint"})) == read(KEEP)


def test_the_shipped_joint_model_holds_links_and_signals_only():
    joint = load_model()["joint"]
    assert joint["weights"] and joint["margin"] > 0
    links = {f"link:{kind}:{ctx}" for kind in ("same", "aba") for ctx in ("cont", "gap", "beat", "plain")}
    assert all(key in links or key == NOBODY or _a_signal(key) for key in joint["weights"])
