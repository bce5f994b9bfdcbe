"""Fit the arbiter (render/script/arbiter.py) on the PDNC development novels, and measure it
leave-one-novel-out.

Each novel is read by the sieve (with its gold cast; and without a cast, to show what the arbiter
would change there, though it is not fitted on those readings nor run on them), the arbiter's
candidate groups are gathered, and every candidate is labelled right or wrong from the gold speakers. Then
14 fold fits: each novel's groups are decided by a model fitted on the other novels' groups, and
the script prints per novel how often gold is among the candidates (the oracle ceiling), the
quotes changed, and how many of them went wrong -> right and right -> wrong; then the quotes
right per novel after the quotes one at a time and after the joint decoding of each exchange's
turns (render/script/arbiter_decode.py; its model is fitted by pseudo-likelihood on groups that
carry their links to the gold neighbours). As in bench/eval_attribution.py, each book's pronoun
and description tags are first ranked in place by the tag ranker (leave-one-novel-out), since the
arbiter runs after it (--no-tag-ranker: on the sieve's output alone). `--fit` writes the model
fitted on all novels to render/data/arbiter.json (the shipped weights).

    .venv/bin/python bench/fit_arbiter.py [--fit] [--novel NAME] [--no-nocast] [--no-tag-ranker] [--margin M]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from bisect import bisect_left
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

L2 = 3.0  # the fit's L2 penalty (shipped model and folds alike)
MARGIN = 0.6  # log-odds by which a challenger must beat the sieve's choice (one for all novels)
FAMILIES: tuple[str, ...] = ()  # tag families the arbiter may revisit besides untagged quotes
JOINT = {"l2": 10.0,  # the joint model's L2 penalty
         "margin": 1.2,  # by which a turn's best reading must beat its present one (max-marginals)
         "stay": 1.0}  # every turn's bonus for keeping its present speaker in the joint decoding


class GoldSpeakers:
    """The gold speaker of a detected quote: the PDNC quotation its span overlaps."""

    def __init__(self, quotes):
        self.spans = sorted((s, e, q["speaker"]) for q in quotes for s, e in q["spans"])
        self.starts = [s for s, _, _ in self.spans]

    def of(self, start: int | None, end: int | None) -> str | None:
        if start is None:
            return None
        i = bisect_left(self.starts, start)
        for j in (i - 1, i, i + 1):
            if 0 <= j < len(self.spans) and self.spans[j][0] < end and self.spans[j][1] > start:
                return self.spans[j][2]
        return None


def labelled_groups(state, gold: GoldSpeakers, aliases, families=FAMILIES, joint: bool = False) -> list[dict]:
    """The arbiter's candidate groups of one sieved book, each with the gold candidate's index
    (None when no candidate is right, or the quote is not in the gold data). For a model that
    decodes turns jointly, each chain turn's candidates also carry the links they would have with
    the turns around as the gold data reads them (the pseudo-likelihood fit), and one more
    reading, 'someone no candidate names', which is right when no candidate is."""
    from render.script.arbiter import candidate_groups
    from render.script.arbiter_decode import chains, link_features

    groups = candidate_groups(state.paras, state.index, state.res.gender, state.res.narrator_name, families)
    if joint:
        labels = {}
        for k, (q, cands, _) in enumerate(groups):
            p = q.para
            speaker = gold.of(p.offset + q.start, p.offset + q.end) if p.offset is not None else None
            right = [c for c in cands if speaker and aliases.accepts(speaker, c)]
            labels[k] = right[0] if right else ("?" + speaker) if speaker else q.speaker
        links = link_features(chains(state.paras, groups), groups, labels)
        for k, feats in links.items():
            q, cands, old = groups[k]
            groups[k] = (q, cands, [f | lf for f, lf in zip(old, feats)] + feats[len(cands):])

    out = []
    for q, cands, feats in groups:
        p = q.para
        speaker = gold.of(p.offset + q.start, p.offset + q.end) if p.offset is not None else None
        right = [k for k, c in enumerate(cands) if speaker and aliases.accepts(speaker, c)]
        out.append({"speaker": q.speaker, "cands": cands, "feats": feats,
                    "gold": right[0] if right else len(cands) if speaker and len(feats) > len(cands) else None,
                    "in_gold": speaker is not None, "sieve_right": bool(speaker and q.speaker
                                                                        and aliases.accepts(speaker, q.speaker))})
    return out


def fit_groups(groups: list[dict], l2: float = L2, margin: float = MARGIN, families=FAMILIES,
               start: dict | None = None, stay: float | None = None) -> dict:
    """The arbiter model fitted on groups whose gold speaker is among the candidates (a joint
    model, with `stay`: also those where the gold reading is 'someone no candidate names')."""
    from render.script.arbiter import fit

    train = [g for g in groups if g["gold"] is not None]
    model = fit([g["feats"] for g in train], [g["gold"] for g in train], l2=l2,
                start=start["weights"] if start else None)
    model.update(margin=margin, l2=l2)
    if stay is not None:
        model["stay"] = stay
    else:
        model["families"] = list(families)
    return model


def fold_models(by_novel: dict[str, list[dict]], l2: float = L2, margin: float = MARGIN,
                families=FAMILIES, joint: dict[str, list[dict]] | None = None,
                settings: dict | None = None) -> dict[str, dict]:
    """Novel -> the model fitted on every other novel's groups (each fold's Newton steps start
    from the fit on all novels, which only speeds them up: the optimum is the fold's own); with
    settings (the joint model's l2, margin and stay, as JOINT) and joint (novel ->
    labelled_groups(..., joint=True)), each with its joint model too."""
    whole = fit_groups([g for gs in by_novel.values() for g in gs], l2, margin, families)
    folds = {name: fit_groups([g for other, gs in by_novel.items() if other != name for g in gs],
                              l2, margin, families, start=whole) for name in by_novel}
    if settings:
        js = {k: settings.get(k, v) for k, v in JOINT.items()}
        whole = fit_groups([g for gs in joint.values() for g in gs], js["l2"], js["margin"], stay=js["stay"])
        for name in folds:
            folds[name]["joint"] = fit_groups([g for other, gs in joint.items() if other != name for g in gs],
                                              js["l2"], js["margin"], start=whole, stay=js["stay"])
    return folds


def outcome(groups: list[dict], model: dict) -> dict:
    """What the model would change among the groups (without changing them)."""
    from render.script.arbiter import score

    margin = model.get("margin", 0.0)
    fixed = broke = moved = oracle = 0
    for g in groups:
        oracle += g["gold"] is not None
        scores = [score(f, model) for f in g["feats"]]
        best = max(range(len(scores)), key=scores.__getitem__)
        s = g["speaker"]
        base = scores[g["cands"].index(s)] if s in g["cands"] else float("-inf")
        if g["cands"][best] == s or scores[best] - base <= margin:
            continue
        moved += 1
        now_right = g["gold"] == best
        fixed += now_right and not g["sieve_right"]
        broke += g["sieve_right"] and not now_right
    return {"groups": len(groups), "oracle": oracle, "moved": moved, "fixed": fixed, "broke": broke,
            "sieve_wrong": sum(g["in_gold"] and not g["sieve_right"] for g in groups),
            "wrong_in_reach": sum(not g["sieve_right"] and g["gold"] is not None for g in groups)}


def right_quotes(state, gold: GoldSpeakers, aliases) -> int:
    """How many of a book's quotes have their gold speaker."""
    n = 0
    for p in state.paras:
        for q in p.quotes if p.offset is not None else ():
            speaker = gold.of(p.offset + q.start, p.offset + q.end)
            n += bool(speaker and q.speaker and aliases.accepts(speaker, q.speaker))
    return n


def decided(state, model: dict, gold: GoldSpeakers, aliases) -> int:
    """right_quotes after the arbiter `model` has run; the sieve's reading is restored after."""
    from render.script.arbiter import arbitrate

    kept = [(q, q.speaker, q.rule, q.confidence) for p in state.paras for q in p.quotes]
    arbitrate(state.paras, state.index, state.res.gender, state.res.narrator_name, model=model)
    n = right_quotes(state, gold, aliases)
    for q, s, r, c in kept:
        q.speaker, q.rule, q.confidence = s, r, c
    return n


def load_states(novels, cache: Path | None, nocast: bool):
    """(name, with-cast state, no-cast state or None, gold, aliases) per novel; states cached by pickle."""
    import eval_attribution as E
    from render.ingest import load_book
    from render.script.build import sieved
    from render.script.cast import load_cast

    tmp = Path(tempfile.mkdtemp(prefix="fit-arbiter-"))
    for folder in novels:
        chars, quotes = E.load_gold(folder)
        aliases, gold = E.AliasTable(chars), GoldSpeakers(quotes)
        path = cache / f"{folder.name}.pkl" if cache else None
        if path and path.exists():
            with open(path, "rb") as f:
                with_cast, no_cast = pickle.load(f)
        else:
            E.write_cast(chars, tmp / "cast.yaml")
            book = load_book(folder / "novel_text.txt")
            with_cast = sieved(book, load_cast(tmp / "cast.yaml"))
            no_cast = sieved(book, None) if nocast else None
            if path:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "wb") as f:
                    pickle.dump((with_cast, no_cast), f)
        print(f"{folder.name}: read", file=sys.stderr)
        yield folder.name, with_cast, no_cast if nocast else None, gold, aliases


def ranked(folders, states) -> None:
    """Rank each book's pronoun and description tags in place (bench/fit_tag_ranker.eval_models:
    each novel by a ranker fitted on the other novels when all are read), as the eval does before
    it fits the arbiter's folds: the arbiter runs after the tag ranker, so it is fitted and
    measured on the ranker's output (fitted on the sieve's output alone, its leave-one-out gain
    overstated what the eval then measured: the ranker had fixed some of those quotes already)."""
    import eval_attribution as E
    from fit_tag_ranker import eval_models

    read = []
    for folder, (_, with_cast, _, _, _) in zip(folders, states):
        chars, quotes = E.load_gold(folder)
        read.append((folder, chars, quotes, None, with_cast, None, None))
    eval_models(read)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="write the model fitted on all novels")
    ap.add_argument("--novel", help="only novels whose folder name contains this")
    ap.add_argument("--no-nocast", action="store_true", help="leave out the books read without a cast")
    ap.add_argument("--margin", type=float, default=MARGIN)
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--families", default=",".join(FAMILIES), help="tag families the arbiter may revisit")
    ap.add_argument("--cache", help="folder for pickled sieve states (development loops)")
    ap.add_argument("--no-tag-ranker", action="store_true",
                    help="fit on the sieve's output as it is (by default: after the tag ranker, as the eval)")
    ap.add_argument("--no-joint", action="store_true", help="the quotes one at a time only (no joint decoding)")
    args = ap.parse_args(argv)
    import eval_attribution as E
    from render.script.arbiter import MODEL_PATH

    data = E.find_data()
    if data is None:
        print("fit-arbiter: PDNC data not found; nothing to do.")
        return 0
    families = tuple(f for f in args.families.split(",") if f)
    cast_groups, nocast_groups, joint_groups, read = {}, {}, {}, {}
    folders = E.novel_folders(data, args.novel)
    states = list(load_states(folders, Path(args.cache) if args.cache else None, not args.no_nocast))
    if not args.no_tag_ranker:
        ranked(folders, states)
    for name, wc, nc, gold, aliases in states:
        cast_groups[name] = labelled_groups(wc, gold, aliases, families)
        if not args.no_joint:
            joint_groups[name] = labelled_groups(wc, gold, aliases, families, joint=True)
        if nc is not None:
            nocast_groups[name] = labelled_groups(nc, gold, aliases, families)
        read[name] = (wc, gold, aliases)
    # the shipped arbiter decides books read with a cast only, so it is fitted on those readings
    both = cast_groups
    folds = fold_models(both, args.l2, args.margin, families, joint_groups, JOINT if joint_groups else None)
    for title, by_novel in (("with cast", cast_groups),
                            ("without cast (what it would change; the shipped arbiter leaves such books alone)",
                             nocast_groups)):
        if not by_novel:
            continue
        print(f"\n{title}, leave-one-novel-out ({len(by_novel)} novels), the quotes one at a time")
        print(f"{'novel':26} {'groups':>6} {'oracle':>6} {'wrong':>6} {'reach':>6} {'moved':>6} "
              f"{'fixed':>6} {'broke':>6} {'net':>5}")
        tot = dict.fromkeys(("groups", "oracle", "sieve_wrong", "wrong_in_reach", "moved", "fixed", "broke"), 0)
        for name, gs in by_novel.items():
            o = outcome(gs, folds[name])
            for k in tot:
                tot[k] += o[k]
            print(f"{name[:26]:26} {o['groups']:6d} {o['oracle']:6d} {o['sieve_wrong']:6d} {o['wrong_in_reach']:6d} "
                  f"{o['moved']:6d} {o['fixed']:6d} {o['broke']:6d} {o['fixed'] - o['broke']:+5d}")
        print(f"{'total':26} {tot['groups']:6d} {tot['oracle']:6d} {tot['sieve_wrong']:6d} {tot['wrong_in_reach']:6d} "
              f"{tot['moved']:6d} {tot['fixed']:6d} {tot['broke']:6d} {tot['fixed'] - tot['broke']:+5d}")
    if joint_groups:
        print("\nwith cast, leave-one-novel-out: quotes right after the sieve, after the quotes one at a "
              "time, and after the joint decoding of the turns")
        print(f"{'novel':26} {'sieve':>6} {'single':>7} {'joint':>6}")
        tot = [0, 0, 0]
        for name, (state, gold, aliases) in read.items():
            row = [right_quotes(state, gold, aliases)]
            for model in ({k: v for k, v in folds[name].items() if k != "joint"}, folds[name]):
                row.append(decided(state, model, gold, aliases))
            tot = [a + b for a, b in zip(tot, row)]
            print(f"{name[:26]:26} {row[0]:6d} {row[1] - row[0]:+7d} {row[2] - row[0]:+6d}")
        print(f"{'total':26} {tot[0]:6d} {tot[1] - tot[0]:+7d} {tot[2] - tot[0]:+6d}")
    if args.fit:
        model = fit_groups([g for gs in both.values() for g in gs], args.l2, args.margin, families)
        if joint_groups:
            model["joint"] = fit_groups([g for gs in joint_groups.values() for g in gs], JOINT["l2"],
                                        JOINT["margin"], stay=JOINT["stay"])
        save_model(model, both, MODEL_PATH)
    return 0


def save_model(model: dict, groups: dict, path: Path) -> None:
    """Write a model fitted on groups (novel -> labelled candidate groups) to path, and drop the
    copy render/script/model_file.read_model keeps, so the next read in this process is the new one."""
    from render.script.model_file import read_model

    model["fitted_on"] = sorted(groups)
    path.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    read_model.cache_clear()
    print(f"model fitted on {sum(g['gold'] is not None for gs in groups.values() for g in gs)} quotes "
          f"of {len(groups)} novels -> {path}")


if __name__ == "__main__":
    sys.exit(main())
