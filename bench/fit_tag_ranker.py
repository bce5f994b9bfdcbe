"""Fit the tag ranker (render/script/tag_ranker.py) on the PDNC development novels, and measure it
leave-one-novel-out.

Each novel is read by the sieve with its gold cast; the ranker's candidate groups (quotes a
pronoun or description tag decided) are gathered and every candidate labelled right or wrong
from the gold speakers. Then 14 fold fits (bench/fit_arbiter.py's, with the arbiter's fitting
function): each novel's groups are decided by a model fitted on the other novels' groups, and
the script prints per novel the groups, how often gold is among the candidates (the oracle),
how many the sieve has wrong and how many of those are in reach, the quotes changed, and how
many went wrong -> right and right -> wrong. `--fit` writes the model fitted on all novels to
render/data/tag_ranker.json (the shipped weights).

    .venv/bin/python bench/fit_tag_ranker.py [--fit] [--novel NAME] [--margin M] [--l2 L] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

L2 = 30.0  # the fit's L2 penalty (shipped model and folds alike)
MARGIN = 1.25  # log-odds by which a challenger must beat the sieve's referent (one for all novels)


def labelled_groups(state, gold, aliases) -> list[dict]:
    """The ranker's candidate groups of one sieved book, each with the gold candidate's index
    (None when no candidate is right, or the quote is not in the gold data)."""
    from render.script.tag_ranker import candidate_groups

    out = []
    for q, cands, feats in candidate_groups(state.paras, state.index, state.res.gender, state.res.narrator_name):
        p = q.para
        speaker = gold.of(p.offset + q.start, p.offset + q.end) if p.offset is not None else None
        right = [k for k, c in enumerate(cands) if speaker and aliases.accepts(speaker, c)]
        out.append({"speaker": q.speaker, "cands": cands, "feats": feats, "gold": right[0] if right else None,
                    "in_gold": speaker is not None,
                    "sieve_right": bool(speaker and aliases.accepts(speaker, q.speaker))})
    return out


def fold_models(by_novel: dict[str, list[dict]], l2: float = L2, margin: float = MARGIN) -> dict[str, dict]:
    """Novel -> the ranker fitted on every other novel's groups (fit_arbiter's folds)."""
    from fit_arbiter import fold_models as folds

    return folds(by_novel, l2, margin, ())


def eval_models(read, in_sample: bool = False) -> dict:
    """For bench/eval_attribution.py: novel -> the ranker that decides it, fitted on the other
    novels' sieve output (leave-one-novel-out, with the shipped model's settings) when every
    development novel is read, else the shipped model (said so: in-sample); each novel's readings
    are ranked in place, so what the arbiter is fitted on afterwards is the ranker's output."""
    import eval_attribution as E
    from fit_arbiter import GoldSpeakers
    from render.script.tag_ranker import load_model, rank_tags

    shipped = load_model()
    if not shipped.get("weights"):
        return {}
    if in_sample or len(read) < 2 or len(read) < len(E.novel_folders(E.find_data())):
        print("tag ranker: the shipped model decides every novel (fitted on them: IN-SAMPLE)")
        models = {folder.name: shipped for folder, *_ in read}
    else:
        groups = {folder.name: labelled_groups(state, GoldSpeakers(quotes), E.AliasTable(chars))
                  for folder, chars, quotes, _, state, _, _ in read}
        print(f"tag ranker: leave-one-novel-out, each novel decided by a model fitted on the other {len(read) - 1}")
        models = fold_models(groups, shipped.get("l2", L2), shipped.get("margin", MARGIN))
    for folder, _, _, _, state, _, _ in read:
        rank_tags(state.paras, state.index, state.res.gender, state.res.narrator_name,
                  model=models[folder.name], with_cast=state.with_cast)
    return models


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="write the model fitted on all novels")
    ap.add_argument("--novel", help="only novels whose folder name contains this")
    ap.add_argument("--margin", type=float, default=MARGIN)
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--cache", help="folder for pickled sieve states (development loops)")
    args = ap.parse_args(argv)
    import eval_attribution as E
    from fit_arbiter import fit_groups, load_states, outcome, save_model
    from render.script.tag_ranker import MODEL_PATH

    data = E.find_data()
    if data is None:
        print("fit-tag-ranker: PDNC data not found; nothing to do.")
        return 0
    groups = {}
    for name, wc, _, gold, aliases in load_states(E.novel_folders(data, args.novel),
                                                  Path(args.cache) if args.cache else None, False):
        groups[name] = labelled_groups(wc, gold, aliases)
    folds = fold_models(groups, args.l2, args.margin)
    print(f"\nwith cast, leave-one-novel-out ({len(groups)} novels), margin {args.margin}, L2 {args.l2}")
    print(f"{'novel':26} {'groups':>6} {'oracle':>6} {'wrong':>6} {'reach':>6} {'moved':>6} "
          f"{'fixed':>6} {'broke':>6} {'net':>5}")
    keys = ("groups", "oracle", "sieve_wrong", "wrong_in_reach", "moved", "fixed", "broke")
    tot = dict.fromkeys(keys, 0)
    for name, gs in groups.items():
        o = outcome(gs, folds[name])
        for k in tot:
            tot[k] += o[k]
        print(f"{name[:26]:26} " + " ".join(f"{o[k]:6d}" for k in keys) + f" {o['fixed'] - o['broke']:+5d}")
    print(f"{'total':26} " + " ".join(f"{tot[k]:6d}" for k in keys) + f" {tot['fixed'] - tot['broke']:+5d}")
    if args.fit:
        model = fit_groups([g for gs in groups.values() for g in gs], args.l2, args.margin, ())
        model.pop("families", None)
        save_model(model, groups, MODEL_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
