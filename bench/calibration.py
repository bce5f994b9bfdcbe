"""Is `confidence` a probability a user can trust? Reliability on the PDNC development novels.

Prints, for the shipped model and leave-one-novel-out (each novel scored by a model fitted on the
others), the reliability table -- for c in 0.50 ... 0.95, the quotes with confidence in
[c, c + 0.05) with their mean confidence and accuracy, and the quotes with confidence >= c with
their accuracy -- and how many of the errors sit in the least-confident 10 % and 20 % of quotes.
`make eval-attribution` prints it after the accuracy table; `--fit` refits the shipped model
(render/data/confidence.json) on all novels, read with their cast and without one.

    .venv/bin/python bench/calibration.py [--fit] [--novel NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LEVELS = [round(0.5 + 0.05 * i, 2) for i in range(10)]  # 0.50 ... 0.95
TOLERANCE = 0.05  # calibrated: accuracy within 5 points of confidence
L2 = 10.0  # L2 penalty of the logistic fit (shipped model and leave-one-out alike)


def reliability(pairs: list[tuple[float, bool]]) -> list[dict]:
    """Per level c: the bin [c, c+0.05) (the last bin includes 1.0) and the tail >= c."""
    rows = []
    for c in LEVELS:
        hi = c + 0.05 if c < 0.95 else 1.01
        in_bin = [(p, ok) for p, ok in pairs if c <= p < hi]
        tail = [ok for p, ok in pairs if p >= c]
        rows.append({
            "c": c, "n": len(in_bin),
            "mean": sum(p for p, _ in in_bin) / len(in_bin) if in_bin else None,
            "acc": sum(ok for _, ok in in_bin) / len(in_bin) if in_bin else None,
            "tail_n": len(tail), "tail_acc": sum(tail) / len(tail) if tail else None,
        })
    return rows


def capture(pairs: list[tuple[float, bool]], share: float) -> tuple[int, int, int]:
    """(errors among the `share` least-confident quotes, all errors, quotes reviewed)."""
    ranked = sorted(pairs, key=lambda x: x[0])
    k = int(round(len(ranked) * share))
    return sum(not ok for _, ok in ranked[:k]), sum(not ok for _, ok in ranked), k


def print_table(title: str, pairs: list[tuple[float, bool]]) -> bool:
    """Print one reliability table and the error capture; True when every bin is within tolerance."""
    print(f"\n{title}")
    print(f"  {'c':>4}  {'bin [c,c+.05)':>13} {'mean':>6} {'acc':>6} {'diff':>6}   {'conf>=c':>7} {'acc':>6}")
    ok_all = True
    for r in reliability(pairs):
        if r["n"]:
            diff = 100 * (r["acc"] - r["mean"])
            flag = "" if abs(diff) <= 100 * TOLERANCE else "  <-- off by more than 5"
            ok_all &= not flag
            print(f"  {r['c']:4.2f}  {r['n']:13d} {100 * r['mean']:6.1f} {100 * r['acc']:6.1f} {diff:+6.1f}"
                  f"   {r['tail_n']:7d} {100 * r['tail_acc']:6.1f}{flag}")
        else:
            print(f"  {r['c']:4.2f}  {0:13d} {'-':>6} {'-':>6} {'-':>6}   {r['tail_n']:7d}")
    for share in (0.1, 0.2):
        caught, errors, k = capture(pairs, share)
        print(f"  errors in the bottom {int(share * 100)} % by confidence ({k} quotes): "
              f"{caught} of {errors} ({100 * caught / max(1, errors):.1f} %)")
    return ok_all


def leave_one_out(by_novel: dict[str, list[tuple[dict, bool]]]) -> list[tuple[float, bool]]:
    """Each novel's quotes scored by a model fitted on the other novels' quotes."""
    from render.script.confidence import fit, predict

    out = []
    for name, rows in by_novel.items():
        train = [(f, ok) for other, rs in by_novel.items() if other != name for f, ok in rs if f]
        model = fit([f for f, _ in train], [ok for _, ok in train], l2=L2)
        out += [(predict(f, model) if f else 0.0, ok) for f, ok in rows]
    return out


def _scored(result: dict) -> list[tuple[dict | None, float, bool]]:
    """(features, shipped confidence, right?) for each gold quote that was detected."""
    out = []
    for rec, ok in result["scored"]:
        if rec is None:
            continue  # a quote the detector missed cannot be reviewed
        feats = rec.get("features") if rec.get("speaker") and rec.get("rule") != "fix" else None
        out.append((feats, rec["confidence"] if rec.get("speaker") else 0.0, bool(ok)))
    return out


def report(rows) -> None:
    """The calibration section of `make eval-attribution` (rows: its per-novel with-cast results)."""
    by_novel = {name: _scored(w) for name, w, *_ in rows}
    if not any(by_novel.values()):
        return
    from render.script.confidence import load_model, predict

    model = load_model()
    shipped = [(predict(f, model) if f else c, ok) for rs in by_novel.values() for f, c, ok in rs]
    print_table("confidence calibration, with cast, shipped model (fitted on these novels):", shipped)
    if len(by_novel) > 1:
        held_out = leave_one_out({n: [(f, ok) for f, _, ok in rs] for n, rs in by_novel.items()})
        good = print_table("confidence calibration, with cast, leave-one-novel-out "
                           "(each novel scored by a model fitted on the others):", held_out)
        print(f"  every bin within 5 points: {'yes' if good else 'NO'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="refit render/data/confidence.json on all novels")
    ap.add_argument("--novel", help="only novels whose folder name contains this")
    ap.add_argument("--l2", type=float, default=L2, help="L2 penalty of the fit")
    args = ap.parse_args(argv)
    import tempfile

    import eval_attribution as E
    from render.errors import InputError
    from render.ingest import load_book
    from render.script import attribute_quotes
    from render.script.cast import load_cast
    from render.script.confidence import MODEL_PATH, fit

    data = E.find_data()
    if data is None:
        print("calibration: PDNC data not found; nothing to do.")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="calibration-"))
    rows, nocast = [], []
    for folder in E.novel_folders(data, args.novel):
        chars, quotes = E.load_gold(folder)
        E.write_cast(chars, tmp / "cast.yaml")
        try:
            cast = load_cast(tmp / "cast.yaml")
        except InputError as exc:
            print(f"{folder.name}: skipped ({exc})", file=sys.stderr)
            continue
        book = load_book(folder / "novel_text.txt")
        records = attribute_quotes(book, cast, features=True)
        rows.append((folder.name, E.evaluate(records, quotes, E.AliasTable(chars))))
        if args.fit:  # the model learns from books read without a cast too (characters discovered)
            nocast.append(E.evaluate(attribute_quotes(book, None, features=True), quotes, E.AliasTable(chars)))
        print(f"{folder.name}: {rows[-1][1]['accuracy'] * 100:.1f} %", file=sys.stderr)
    if args.fit:
        train = [(f, ok) for w in [w for _, w in rows] + nocast for f, _, ok in _scored(w) if f]
        model = fit([f for f, _ in train], [ok for _, ok in train], l2=args.l2)
        model["fitted_on"] = [name for name, _ in rows]
        MODEL_PATH.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"model fitted on {len(train)} quotes of {len(rows)} novels -> {MODEL_PATH}")
        from render.script.confidence import _load

        _load.cache_clear()
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
