"""How conversation structure predicts the speaker of a turn, on the PDNC development novels.

For every quote paragraph that opens with a quote the gold data calls Implicit (no tag), this
reads the gold speakers of it and of the two quote paragraphs before it and sorts the turn:
'alt' (A, B, A: the turn goes back to the one who spoke the turn before last), 'same' (the
previous speaker goes on), 'new' (a third speaker after A, B) or 'AA' (the two turns before had
one speaker). It prints, by how many narration paragraphs stand before the turn and before the
previous one, how many turns fall in each class and how many the sieve (with the PDNC cast)
gets right; then the accuracy of each rule by the narration paragraphs before the turn it
decides. A rule written for one class should first show that the class is large and badly
served here, in most novels. It changes nothing; it only reads.

    .venv/bin/python bench/conversation_signals.py [--novel NAME]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from bisect import bisect_right
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_attribution import AliasTable, find_data, load_gold, norm, novel_folders, write_cast  # noqa: E402


def gold_turns(folder: Path, cast_dir: Path) -> list[dict]:
    """The book's quote paragraphs in order: per paragraph the narration paragraphs before it
    (99 at a chapter's start), and per quote its predicted speaker, rule and gold speaker/type."""
    from render.ingest import load_book
    from render.script import analyse
    from render.script.cast import load_cast

    chars, quotes = load_gold(folder)
    aliases = AliasTable(chars)
    cast_path = cast_dir / f"{folder.name}.cast.yaml"
    write_cast(chars, cast_path)
    analysis = analyse(load_book(folder / "novel_text.txt"), load_cast(cast_path))
    paras, flat = [], []
    gap, chapter = 0, None
    for p in analysis.paras:
        if p.chapter != chapter:
            gap, chapter = 99, p.chapter
        if not p.quotes:
            gap += 0 if p.cited_only else 1
            continue
        qs = [{"start": p.offset + q.start, "end": p.offset + q.end, "seg": q.seg, "speaker": q.speaker,
               "rule": q.rule, "gold": None, "type": None, "ok": False} for q in p.quotes]
        paras.append({"gap": gap, "quotes": qs})
        flat += qs
        gap = 0
    starts = [q["start"] for q in flat]
    for g in quotes:
        s, e = g["spans"][0]
        i = bisect_right(starts, s) - 1
        for j in (i, i + 1):
            if 0 <= j < len(flat) and flat[j]["start"] < e and flat[j]["end"] > s:
                flat[j]["gold"] = aliases.main.get(norm(g["speaker"]), g["speaker"])
                flat[j]["type"] = g["type"]
                flat[j]["ok"] = aliases.accepts(g["speaker"], flat[j]["speaker"])
                break
    return paras


def _first_gold(p: dict) -> str | None:
    return next((q["gold"] for q in p["quotes"] if q["gold"]), None)


def turn_class(paras: list[dict], i: int) -> str | None:
    """'alt', 'same', 'new' or 'AA' for quote paragraph i (see the module doc), None when unknown."""
    if i < 2:
        return None
    g, g1, g2 = (_first_gold(paras[k]) for k in (i, i - 1, i - 2))
    if not (g and g1 and g2):
        return None
    if g1 == g2:
        return "AA"
    return "alt" if g == g2 else "same" if g == g1 else "new"


def tally(books: dict[str, list[dict]]) -> tuple[dict, dict]:
    """(by (gap, previous gap, class): [turns, right], by (rule, gap): [quotes, right])."""
    classes: dict[tuple, list[int]] = {}
    rules: dict[tuple, list[int]] = {}
    for paras in books.values():
        for i, p in enumerate(paras):
            q = p["quotes"][0]
            if q["type"] != "Implicit" or q["seg"] != 0:
                continue
            t = rules.setdefault((str(q["rule"]), min(p["gap"], 2)), [0, 0])
            t[0] += 1
            t[1] += q["ok"]
            cls = turn_class(paras, i)
            if cls is None:
                continue
            t = classes.setdefault((min(p["gap"], 2), min(paras[i - 1]["gap"], 2), cls), [0, 0])
            t[0] += 1
            t[1] += q["ok"]
    return classes, rules


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--novel", help="only novels whose folder name contains this")
    args = ap.parse_args(argv)
    data = find_data()
    if data is None:
        print("conversation-signals: PDNC data not found (../shared/data/pdnc or $PDNC_DIR); nothing to do.")
        return 0
    novels = novel_folders(data, args.novel)
    tmp = Path(tempfile.mkdtemp(prefix="conv-signals-"))
    books = {f.name: gold_turns(f, tmp) for f in novels}
    classes, rules = tally(books)
    print("implicit turns opening their paragraph, by narration paragraphs before the turn / before")
    print("the previous turn (2 = two or more) and the gold pattern; 'right' = the sieve's, with cast")
    print(f"{'gap':>4} {'prev':>5} {'class':>6} {'turns':>6} {'right':>6} {'acc':>6}")
    for (gap, prev, cls), (n, ok) in sorted(classes.items()):
        print(f"{gap:4d} {prev:5d} {cls:>6} {n:6d} {ok:6d} {100 * ok / n:6.1f}")
    print(f"\n{'rule (implicit, opening)':28} {'gap':>4} {'quotes':>7} {'acc':>6}")
    for (rule, gap), (n, ok) in sorted(rules.items(), key=lambda kv: (-sum(v[0] for k, v in rules.items()
                                                                           if k[0] == kv[0][0]), kv[0])):
        print(f"{rule:28} {gap:4d} {n:7d} {100 * ok / n:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
