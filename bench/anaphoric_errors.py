"""Classify the wrong attributions of anaphoric quotes (a pronoun or description tags them) on the
PDNC development novels, with the cast, by how the gold speaker and the predicted one stand to the
conversation: the categories say which signal a rule would need, before one is written.

Categories (gold turns in reading order; "previous" means the previous gold quote's speaker):
  gender-mismatch      the predicted character's gold gender differs from the speaker's
  pred=prev-speaker    we gave the quote to the previous speaker, who did not say it
  gold=prev-speaker    the previous speaker went on, and we gave it to someone else
  gold=partner         the speaker of the turn before the previous one answered (two-party exchange)
  gold=third           the speaker spoke within the last three distinct speakers
  gold-new-in-scene    the speaker had not spoken in the last few turns
  none                 no speaker given
Each is split by the tag's kind: 'pron' (he / she / it) or 'nom' (a description).

    .venv/bin/python bench/anaphoric_errors.py [--novel NAME] [--show CATEGORY] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from bisect import bisect_left
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval_attribution import AliasTable, find_data, load_gold, norm, novel_folders, write_cast  # noqa: E402

LOOK_BACK = 12  # gold quotes looked back at for the previous distinct speakers


def classify(gold: str | None, pred: str | None, genders: dict[str, str], prevs: list[str],
             gold_form: str, pred_form: str | None) -> str:
    """The category of one wrong attribution (see the module docstring)."""
    if pred is None:
        return "none"
    if genders.get(norm(pred_form or ""), "?") != genders.get(norm(gold_form), "?"):
        return "gender-mismatch"
    if prevs and pred == prevs[0] and gold != prevs[0]:
        return "pred=prev-speaker"
    if prevs and gold == prevs[0]:
        return "gold=prev-speaker"
    if len(prevs) > 1 and gold == prevs[1]:
        return "gold=partner"
    if gold in prevs:
        return "gold=third"
    return "gold-new-in-scene"


def novel_errors(folder: Path):
    """(kind, category, gold, predicted, rule, reference, previous speakers, context) per wrong
    anaphoric quote of one novel."""
    from render.ingest import load_book
    from render.script import attribute_quotes
    from render.script.cast import load_cast

    chars, quotes = load_gold(folder)
    aliases = AliasTable(chars)
    genders = {norm(a): c["gender"] for c in chars for a in [c["name"], *c["aliases"]]}
    with tempfile.TemporaryDirectory() as tmp:
        cast_path = Path(tmp) / "cast.yaml"
        write_cast(chars, cast_path)
        book = load_book(folder / "novel_text.txt")
        records = attribute_quotes(book, load_cast(cast_path))
    recs = sorted((r for r in records if r["start"] is not None), key=lambda r: r["start"])
    starts = [r["start"] for r in recs]
    ordered = sorted(quotes, key=lambda q: q["spans"][0][0])

    def predicted(q):
        s, e = q["spans"][0]
        i = bisect_left(starts, s)
        return next((recs[j] for j in (i - 1, i, i + 1)
                     if 0 <= j < len(recs) and recs[j]["start"] < e and recs[j]["end"] > s
                     and recs[j]["speaker"]), None)

    def main(name):
        return aliases.main.get(norm(name), name) if name else None

    for k, q in enumerate(ordered):
        if q["type"] != "Anaphoric":
            continue
        rec = predicted(q)
        pred_form = rec["speaker"] if rec else None
        if aliases.accepts(q["speaker"], pred_form):
            continue
        prevs: list[str] = []
        for j in range(k - 1, max(-1, k - LOOK_BACK), -1):
            who = main(ordered[j]["speaker"])
            if who not in prevs:
                prevs.append(who)
            if len(prevs) == 3:
                break
        gold, pred = main(q["speaker"]), main(pred_form)
        kind = "pron" if {"he", "she", "it"} & set(q["ref"].lower().split()) else "nom"
        s, e = q["spans"][0]
        context = book.text[max(0, s - 300):e + 100].replace("\n", " ")
        yield (kind, classify(gold, pred, genders, prevs, q["speaker"], pred_form), gold, pred,
               rec["rule"] if rec else None, q["ref"], prevs, context)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--novel", help="only novels whose folder name contains this")
    ap.add_argument("--show", help="print the errors of this category (e.g. gold=partner)")
    ap.add_argument("--limit", type=int, default=20, help="with --show: at most this many per novel")
    args = ap.parse_args()
    data = find_data()
    if data is None:
        print("no PDNC data found (set PDNC_DIR)", file=sys.stderr)
        return 1
    counts: Counter = Counter()
    for folder in novel_folders(data, args.novel):
        shown = 0
        for kind, cat, gold, pred, rule, ref, prevs, context in novel_errors(folder):
            counts[(kind, cat)] += 1
            if args.show == cat and shown < args.limit:
                shown += 1
                print(f"{folder.name} [{kind}] gold={gold!r} pred={pred!r} rule={rule} ref={ref!r} "
                      f"previous={prevs}\n    {context}")
    print(f"{'kind':5} {'category':20} {'errors':>6}")
    for (kind, cat), n in sorted(counts.items()):
        print(f"{kind:5} {cat:20} {n:6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
