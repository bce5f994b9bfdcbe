"""Evaluate quote detection and speaker attribution on the PDNC development novels.

For each novel in ../shared/data/pdnc (or $PDNC_DIR): write the PDNC character list as a cast
file, run attribution on novel_text.txt with that cast and without one, and print quote
detection precision/recall, speaker accuracy (all, explicit, anaphoric, implicit), the share of
quotations left unattributed, and accuracy without a cast; then the mean, the worst novel and,
with --loo, a leave-one-out line per rule family: the mean accuracy with the cast over all novels
with the family and without it (its rules switched off in the sieve, see sieve.PASSES).
The arbiter (render/script/arbiter.py) is fitted on these novels, so every novel is decided by an
arbiter fitted on the other novels (leave-one-novel-out; bench/fit_arbiter.py); with --novel or
--in-sample the shipped model decides and the figures are marked in-sample.

    .venv/bin/python bench/eval_attribution.py [--novel NAME] [--errors N] [--json FILE] [--loo]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import sys
import tempfile
import time
from bisect import bisect_left
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from rule_families import FAMILIES  # noqa: E402  (bench/ is on the path from here on)

DEFAULT_DIRS = [ROOT.parent / "shared" / "data" / "pdnc", Path("/work/shared/data/pdnc")]

csv.field_size_limit(10**9)

# the tool's outcome for a quote no character speaks -> PDNC's label for such a speaker
NO_SPEAKER_LABELS = {"group-speech": "_group", "unnamed-speaker": "_unknowable"}


def find_data() -> Path | None:
    env = os.environ.get("PDNC_DIR")
    for d in ([Path(env)] if env else []) + DEFAULT_DIRS:
        if d.is_dir() and any(d.glob("*/quotation_info.csv")):
            return d
    return None


def novel_folders(data: Path, only: str | None = None) -> list[Path]:
    """The annotated novels' folders under `data`, in name order; with `only`, those whose name
    contains it (any case)."""
    novels = sorted(p.parent for p in data.glob("*/quotation_info.csv"))
    return [n for n in novels if only.lower() in n.name.lower()] if only else novels


def norm(name: str) -> str:
    return " ".join(name.replace(".", " ").split()).casefold()


def load_gold(folder: Path):
    """(characters, quotes) from PDNC CSVs."""
    chars = []
    with open(folder / "character_info.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            aliases = ast.literal_eval(r["Aliases"])
            chars.append({"name": r["Main Name"].strip(), "aliases": sorted(a.strip() for a in aliases),
                          "gender": {"M": "male", "F": "female"}.get(r["Gender"], "neutral")})
    quotes = []
    with open(folder / "quotation_info.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            spans = ast.literal_eval(r["quoteByteSpans"])
            qtype = r["quoteType"] if r["quoteType"] in ("Explicit", "Anaphoric", "Implicit") else "Other"
            quotes.append({"id": r["quoteID"], "spans": [tuple(s) for s in spans],
                           "speaker": r["speaker"].strip(), "type": qtype, "text": r["quoteText"],
                           "ref": r["referringExpression"]})
    return chars, quotes


def write_cast(chars, path: Path) -> None:
    """The PDNC character list as a cast file; aliases shared by two characters are dropped, and
    a character whose name only repeats another's spelling is kept once;
    PDNC's '_narr' alias (the first-person narrator) becomes the cast convention alias 'I'."""
    import yaml

    counts: dict[str, int] = {}
    for c in chars:
        for a in {c["name"], *c["aliases"]}:
            counts[norm(a)] = counts.get(norm(a), 0) + 1
    entries = []
    seen: set[str] = set()
    for c in chars:
        if norm(c["name"]) in seen:
            continue  # the gold list names one person twice ('Mrs. Harville', 'Mrs Harville')
        seen.add(norm(c["name"]))
        aliases = []
        for a in c["aliases"]:
            if a in ("_narr", "Narr"):
                aliases.append("I")
            elif norm(a) != norm(c["name"]) and counts[norm(a)] == 1:
                aliases.append(a)
        entries.append({"name": c["name"], "aliases": aliases, "gender": c["gender"]})
    path.write_text(yaml.safe_dump({"narrator": {"gender": "neutral"}, "characters": entries},
                                   sort_keys=False, allow_unicode=True), encoding="utf-8")


class AliasTable:
    """Gold speaker name -> set of acceptable normalized names (main name + aliases)."""

    def __init__(self, chars):
        self.by_alias: dict[str, set[str]] = {}
        self.main: dict[str, str] = {}
        for c in chars:
            names = {norm(c["name"])} | {norm(a) for a in c["aliases"] if a not in ("_narr", "Narr")}
            for n in names:
                self.by_alias.setdefault(n, set()).update(names)
                self.main.setdefault(n, c["name"])

    def accepts(self, gold: str, predicted: str | None) -> bool:
        if not predicted:
            return False
        ok = self.by_alias.get(norm(gold), {norm(gold)})
        p = norm(predicted)
        return p in ok or (p.startswith("the ") and p[4:] in ok) or ("the " + p) in ok

    def accepts_form(self, gold: str, predicted: str | None) -> bool:
        """The second, lenient figure: also a form of the speaker's name that PDNC's alias list
        leaves out -- a spelling variant of an alias ('Nawab Bahadur' for 'Nawab Badahur'), or a
        name whose words are a part or a longer form of one alias ('Horace' for 'Horace Talbot',
        'Jim Vane' for 'Jim') -- provided it fits no other character's aliases so."""
        if self.accepts(gold, predicted):
            return True
        if not predicted:
            return False
        from render.script.spelling import _misspelt

        p = norm(predicted).removeprefix("the ")
        words = set(p.split())

        def fits(name: str) -> bool:
            for a in self.by_alias.get(norm(name), {norm(name)}):
                a = a.removeprefix("the ")
                aw = set(a.split())
                if (len(p) >= 6 and len(a) >= 6 and _misspelt(a, p)) or (
                        words and aw and (words < aw or aw < words)):
                    return True
            return False

        if not fits(gold):
            return False
        me = self.main.get(norm(gold), gold)
        return not any(fits(other) for other in set(self.main.values()) if other != me)


def evaluate(records, quotes, aliases: AliasTable):
    """Detection P/R and speaker accuracy for one run's records."""
    recs = sorted((r for r in records if r["start"] is not None), key=lambda r: r["start"])
    starts = [r["start"] for r in recs]
    gold_spans = sorted(s for q in quotes for s in q["spans"])
    gstarts = [s for s, _ in gold_spans]

    def overlapping(spans, starts_list, s, e):
        i = bisect_left(starts_list, s)
        out = []
        j = i - 1
        while j >= 0 and j >= i - 3:
            if spans[j]["end"] > s if isinstance(spans[j], dict) else spans[j][1] > s:
                out.append(spans[j])
            j -= 1
        k = i
        while k < len(spans) and (spans[k]["start"] if isinstance(spans[k], dict) else spans[k][0]) < e:
            out.append(spans[k])
            k += 1
        return out

    tp_pred = sum(1 for r in recs if overlapping(gold_spans, gstarts, r["start"], r["end"]))
    hit_gold = sum(1 for s, e in gold_spans if overlapping(recs, starts, s, e))
    by_type: dict[str, list[int]] = {}
    by_rule: dict[str, list[int]] = {}
    correct = null = lenient = 0
    errors = []
    scored = []  # (the quote's record or None, right?) per gold quote, for bench/calibration.py
    for q in quotes:
        preds = []
        for s, e in q["spans"]:
            preds.extend(sorted(overlapping(recs, starts, s, e), key=lambda r: r["start"]))
        speaker = next((r["speaker"] for r in preds if r["speaker"]), None)
        if speaker is None:
            # a line the tool leaves to a group or an unnamed extra (read by the narrator, see
            # render/script/extras.py) is PDNC's '_group' or '_unknowable'; the two stay apart
            speaker = next((NO_SPEAKER_LABELS[r["rule"]] for r in preds if r["rule"] in NO_SPEAKER_LABELS), None)
        ok = aliases.accepts(q["speaker"], speaker)
        lenient += aliases.accepts_form(q["speaker"], speaker)
        scored.append((next((r for r in preds if r["speaker"]), preds[0] if preds else None), ok))
        correct += ok
        null += speaker is None
        t = by_type.setdefault(q["type"], [0, 0])
        t[0] += ok
        t[1] += 1
        rule = next((r["rule"] + (f"@{r['confidence']:.2f}" if os.environ.get("RULE_CONF") else "")
                     for r in preds if r["speaker"] or r["rule"] in NO_SPEAKER_LABELS), None)
        t = by_rule.setdefault(str(rule), [0, 0])
        t[0] += ok
        t[1] += 1
        if not ok:
            rule = next((r["rule"] for r in preds if r["speaker"] or r["rule"] in NO_SPEAKER_LABELS), None)
            errors.append((q, speaker, rule))
    n = len(quotes)
    return {
        "precision": tp_pred / max(1, len(recs)),
        "recall": hit_gold / max(1, len(gold_spans)),
        "accuracy": correct / max(1, n),
        "accuracy_forms": lenient / max(1, n),  # lenient: name forms PDNC's alias lists lack
        "types": {k: v[0] / max(1, v[1]) for k, v in by_type.items()},
        "type_counts": {k: v[1] for k, v in by_type.items()},
        "null": null / max(1, n),
        "rules": by_rule,
        "n": n,
        "errors": errors,
        "scored": scored,
    }


def discovery(found, chars, quotes, aliases: AliasTable, least: int = 5) -> tuple[int, int, int]:
    """(gold characters with at least `least` quotes, how many of them discovery found under one of
    their names, how many of those with the gold gender; unknown gold genders count as right)."""
    counts: dict[str, int] = {}
    for q in quotes:
        main = aliases.main.get(norm(q["speaker"]))
        if main:
            counts[main] = counts.get(main, 0) + 1
    gender = {c["name"]: c["gender"] for c in chars}
    # PDNC's '_unknowable' and '_group' speakers are no characters: nothing could discover them
    speakers = [n for n, k in counts.items() if k >= least and not n.startswith("_")]
    hit = right = 0
    for name in speakers:
        ch = next((f for f in found if any(aliases.accepts(name, a) for a in (f.name, *f.aliases))), None)
        if ch is not None:
            hit += 1
            right += gender.get(name, "neutral") == "neutral" or ch.gender == gender.get(name)
    return len(speakers), hit, right


_BOOKS: dict = {}  # per worker process: folder -> (book, cast, quotes, aliases)


def _accuracy(job) -> tuple[str, str, float]:
    """(family, novel, accuracy with the cast) with the family's rules switched off."""
    family, folder, cast_dir, arbiter, ranker = job
    from render.ingest import load_book
    from render.script import attribute_quotes
    from render.script.cast import load_cast

    if folder not in _BOOKS:
        chars, quotes = load_gold(folder)
        _BOOKS[folder] = (load_book(folder / "novel_text.txt"),
                          load_cast(Path(cast_dir) / f"{folder.name}.cast.yaml"), quotes, AliasTable(chars))
    book, cast, quotes, aliases = _BOOKS[folder]
    records = attribute_quotes(book, cast, disabled=FAMILIES[family], arbiter=arbiter, ranker=ranker)
    return family, folder.name, evaluate(records, quotes, aliases)["accuracy"]


def leave_one_out(novels: list[Path], cast_dir: Path, base: dict[str, float], jobs: int,
                  models: dict | None = None, rankers: dict | None = None) -> None:
    """Print, per rule family, the mean accuracy over novels with it and without it (each novel's
    arbiter and tag ranker from models and rankers, as in the figures above)."""
    import multiprocessing

    work = [(f, n, str(cast_dir), (models or {}).get(n.name), (rankers or {}).get(n.name)) for f in FAMILIES for n in novels]
    without: dict[str, dict[str, float]] = {}
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for family, novel, acc in pool.imap_unordered(_accuracy, work):
            without.setdefault(family, {})[novel] = acc
    mean = sum(base.values()) / len(base)
    print(f"\nleave-one-out (mean accuracy with cast over {len(base)} novels; novels a family helps / hurts)")
    print(f"{'family':20} {'with':>6} {'without':>8} {'gain':>6} {'helps':>6} {'hurts':>6}")
    for family in FAMILIES:
        w = without[family]
        m = sum(w.values()) / len(w)
        helps = sum(base[n] > w[n] + 1e-9 for n in w)
        hurts = sum(base[n] < w[n] - 1e-9 for n in w)
        print(f"{family:20} {100 * mean:6.2f} {100 * m:8.2f} {100 * (mean - m):+6.2f} {helps:6d} {hurts:6d}")


def arbiter_models(read, in_sample: bool = False) -> dict:
    """Novel -> the arbiter model its quotes are decided by: fitted on the other novels' sieve
    output (leave-one-novel-out, with the shipped model's settings) when every development novel
    is read; otherwise the shipped model, fitted on these very novels (said so: in-sample)."""
    from render.script.arbiter import load_model

    shipped = load_model()
    if not shipped.get("weights"):
        return {}
    if in_sample or len(read) < 2 or len(read) < len(novel_folders(find_data())):
        print("arbiter: the shipped model decides every novel; it was fitted on these novels, so the "
              "figures below are IN-SAMPLE (run all novels for leave-one-novel-out figures)")
        return {folder.name: shipped for folder, *_ in read}
    from fit_arbiter import GoldSpeakers, fold_models, labelled_groups

    families, settings, groups, joint = tuple(shipped.get("families", ())), shipped.get("joint"), {}, {}
    for folder, chars, quotes, _, state, _, _ in read:  # fitted on books read with a cast (and the turns jointly)
        args = (state, GoldSpeakers(quotes), AliasTable(chars), families)
        groups[folder.name], joint[folder.name] = labelled_groups(*args), settings and labelled_groups(*args, joint=True)
    print(f"arbiter: leave-one-novel-out, each novel decided by a model fitted on the other {len(read) - 1}")
    return fold_models(groups, shipped.get("l2", 1.0), shipped.get("margin", 0.0), families, joint, settings)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--novel", help="only novels whose folder name contains this")
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong attributions per novel")
    ap.add_argument("--no-nocast", action="store_true", help="skip the run without a cast")
    ap.add_argument("--rules", action="store_true", help="print accuracy per attribution rule")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--only-rule", help="with --errors: only errors decided by this rule")
    ap.add_argument("--loo", action="store_true", help="print the leave-one-out line per rule family")
    ap.add_argument("--jobs", type=int, default=2, help="processes for --loo")
    ap.add_argument("--no-arbiter", action="store_true", help="the sieve's decisions alone (no arbiter)")
    ap.add_argument("--no-tag-ranker", action="store_true", help="leave pronoun and description tags as the sieve read them")
    ap.add_argument("--in-sample", action="store_true",
                    help="decide every novel by the shipped arbiter (fitted on them) instead of leave-one-novel-out")
    ap.add_argument("--opt", action="append", default=[], help="sieve option key=value (experiments)")
    args = ap.parse_args(argv)
    if args.opt:
        from render.script import attribution

        for kv in args.opt:
            k, v = kv.split("=", 1)
            attribution.SIEVE_OPTIONS[k] = int(v) if v.lstrip("-").isdigit() else v == "true" if v in ("true", "false") else v

    data = find_data()
    if data is None:
        print("eval-attribution: PDNC data not found (../shared/data/pdnc or $PDNC_DIR); nothing to do.")
        return 0

    from render.ingest import load_book
    from render.script.build import _record, conclude, sieved
    from render.script.cast import load_cast

    novels = novel_folders(data, args.novel)
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="eval-attr-"))
    read = []
    for folder in novels:  # the sieve first, for every novel: the arbiter's folds need them all
        chars, quotes = load_gold(folder)
        cast_path = tmp / f"{folder.name}.cast.yaml"
        write_cast(chars, cast_path)
        t0 = time.perf_counter()
        book = load_book(folder / "novel_text.txt")
        state = sieved(book, load_cast(cast_path))
        read.append((folder, chars, quotes, book, state, None if args.no_nocast else sieved(book, None),
                     time.perf_counter() - t0))
    from fit_tag_ranker import eval_models  # ranks in place: the arbiter's folds are fitted on its output
    rankers = {f.name: False for f, *_ in read} if args.no_tag_ranker else eval_models(read, args.in_sample)
    models = {f.name: False for f, *_ in read} if args.no_arbiter else arbiter_models(read, args.in_sample)
    for folder, chars, quotes, book, state, state_nc, sec in read:
        aliases = AliasTable(chars)
        t0 = time.perf_counter()
        analysis = conclude(state, models.get(folder.name), False)  # ranked by eval_models
        with_cast = evaluate([_record(p, q, analysis, True) for p in analysis.paras for q in p.quotes],
                             quotes, aliases)
        sec += time.perf_counter() - t0
        no_cast = None
        if state_nc is not None:
            analysis = conclude(state_nc, models.get(folder.name), rankers.get(folder.name))
            no_cast = evaluate([_record(p, q, analysis) for p in analysis.paras for q in p.quotes], quotes, aliases)
            no_cast["discovery"] = discovery(analysis.characters, chars, quotes, aliases)
        rows.append((folder.name, with_cast, no_cast, sec))
        if args.errors:
            print(f"--- {folder.name}: first {args.errors} errors with cast")
            text = book.text
            errs = [x for x in with_cast["errors"] if not args.only_rule or str(x[2]) == args.only_rule]
            for q, sp, rule in errs[: args.errors]:
                s, e = q["spans"][0]
                ctx = text[max(0, s - 150):e + 120].replace("\n", " ")
                print(f"[{q['type']}] gold={q['speaker']!r} pred={sp!r} rule={rule} ref={q['ref']!r}\n    {ctx}")

    if args.rules:
        total: dict[str, list[int]] = {}
        for _, w, _, _ in rows:
            for r, (ok, n) in w["rules"].items():
                t = total.setdefault(r, [0, 0])
                t[0] += ok
                t[1] += n
        print(f"{'rule (with cast, all novels)':30} {'quotes':>7} {'acc':>6}")
        for r, (ok, n) in sorted(total.items(), key=lambda kv: -kv[1][1]):
            print(f"{r:30} {n:7d} {100 * ok / n:6.1f}")
    head = (f"{'novel':30} {'det P':>6} {'det R':>6} {'acc':>6} {'expl':>6} {'anaph':>6} "
            f"{'impl':>6} {'null':>6} {'nocast':>7} {'sec':>5}")
    print(head)
    print("-" * len(head))
    sums = [0.0] * 8
    for name, w, nc, sec in rows:
        vals = [w["precision"], w["recall"], w["accuracy"], w["types"].get("Explicit", 0),
                w["types"].get("Anaphoric", 0), w["types"].get("Implicit", 0), w["null"],
                nc["accuracy"] if nc else 0.0]
        sums = [a + b for a, b in zip(sums, vals)]
        print(f"{name[:30]:30} " + " ".join(f"{v * 100:6.1f}" for v in vals[:7]) +
              f" {vals[7] * 100:7.1f} {sec:5.1f}")
    if rows:
        mean = [s / len(rows) for s in sums]
        print("-" * len(head))
        print(f"{'mean':30} " + " ".join(f"{v * 100:6.1f}" for v in mean[:7]) + f" {mean[7] * 100:7.1f}")
        disc = [nc["discovery"] for _, _, nc, _ in rows if nc]
        if disc:
            n, hit, right = (sum(d[i] for d in disc) for i in range(3))
            print(f"discovery (no cast): {hit}/{n} characters with >= 5 quotes found "
                  f"({100 * hit / max(1, n):.1f} %), right gender {right}/{hit} ({100 * right / max(1, hit):.1f} %)")
        forms = [(name, nc["accuracy_forms"]) for name, _, nc, _ in rows if nc]
        if forms:
            print("without cast, second figure (lenient scorer: also counts a spelling variant, part or "
                  "longer form of one of the speaker's PDNC aliases that fits no other character): mean "
                  f"{100 * sum(v for _, v in forms) / len(forms):.1f} %; " +
                  ", ".join(f"{name[:12]} {100 * v:.1f}" for name, v in forms))
        worst = min(rows, key=lambda r: r[1]["accuracy"])
        print(f"worst novel: {worst[0]} {100 * worst[1]['accuracy']:.1f} % with cast")
        from calibration import report  # reliability table and errors in the bottom 10 / 20 %

        report(rows)
    if args.loo and rows:
        leave_one_out(novels, tmp, {name: w["accuracy"] for name, w, _, _ in rows}, args.jobs, models, rankers)
    if args.json:
        out = {name: {k: v for k, v in w.items() if k not in ("errors", "scored")} | (
            {"nocast_accuracy": nc["accuracy"], "discovery": nc["discovery"]} if nc else {})
            for name, w, nc, _ in rows}
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
