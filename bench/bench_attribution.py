"""Time ingest + attribution of a ~150,000-word novel (target: under 20 s on a 2-core machine).

The novel is built from the PDNC texts in ../shared/data/pdnc when present (concatenated, cut
at a paragraph boundary at the word target), else generated: chapters of invented dialogue and
narration with the usual tags.

    .venv/bin/python bench/bench_attribution.py [--words 150000] [--runs 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def pdnc_text(words: int) -> str | None:
    from eval_attribution import find_data

    data = find_data()
    if data is None:
        return None
    parts, count = [], 0
    while count < words:
        for f in sorted(data.glob("*/novel_text.txt")):
            for para in f.read_text(encoding="utf-8").split("\n\n"):
                parts.append(para)
                count += len(para.split())
                if count >= words:
                    return "\n\n".join(parts) + "\n"
    return "\n\n".join(parts) + "\n"


def generated_text(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    names = ["Wren", "Ash", "Mr. Pell", "Mrs. Pell", "Elinor", "Captain Quill", "Tobias", "May"]
    verbs = ["said", "asked", "replied", "cried", "whispered", "answered"]
    lexicon = ("the harbour lamp tide boat rope night storm window quay morning oil coat gull "
               "water light door stair wind rain bell chart net dawn").split()

    def sentence(n):
        return " ".join(rng.choice(lexicon) for _ in range(n)).capitalize() + "."

    parts, count, chapter = [], 0, 0
    while count < words:
        if count // 5000 >= chapter:
            chapter += 1
            parts.append(f"CHAPTER {chapter}.")
        kind = rng.random()
        name = rng.choice(names)
        if kind < 0.35:
            para = f"{sentence(rng.randint(6, 14))} {sentence(rng.randint(6, 14))}"
        elif kind < 0.7:
            para = f'"{sentence(rng.randint(4, 12))[:-1]}," {rng.choice(verbs)} {name}.'
        elif kind < 0.85:
            para = f'{name} looked up. "{sentence(rng.randint(4, 12))}"'
        else:
            para = f'"{sentence(rng.randint(4, 12))}"'
        parts.append(para)
        count += len(para.split())
    return "\n\n".join(parts) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=150_000)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args(argv)

    from render.ingest import load_book
    from render.script import attribute_quotes, build_script

    text = pdnc_text(args.words)
    source = "PDNC novels" if text is not None else "generated text"
    if text is None:
        text = generated_text(args.words)
    path = Path(tempfile.mkdtemp(prefix="bench-attr-")) / "novel.txt"
    path.write_text(text, encoding="utf-8")
    best = None
    for _ in range(args.runs):
        t0 = time.perf_counter()
        book = load_book(path)
        t1 = time.perf_counter()
        records = attribute_quotes(book, None)
        t2 = time.perf_counter()
        script = build_script(book, None)
        t3 = time.perf_counter()
        run = (t1 - t0, t2 - t1, t3 - t2, t2 - t0)
        best = run if best is None or run[3] < best[3] else best
    ingest, attr, build, total = best
    print(f"{len(text.split()):,} words ({source}), {len(book.chapters)} chapters, {len(records):,} quotes, "
          f"{sum(len(c.lines) for c in script.chapters):,} script lines")
    print(f"ingest {ingest:.2f} s + attribution {attr:.2f} s = {total:.2f} s "
          f"(build_script alone {build:.2f} s); target < 20 s: {'OK' if total < 20 else 'TOO SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
