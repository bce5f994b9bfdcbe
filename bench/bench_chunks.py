"""Chunk lengths: the planner's estimate against the rendered audio, for a rendered book.

Usage: .venv/bin/python bench/bench_chunks.py OUT_DIR [CACHE_DIR]
Prints the real seconds of the longest chunks, the estimate error, and the characters
per second Kokoro actually spoke (the planner assumes render.plan.chunker.CHARS_PER_SECOND).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from render.plan.chunker import CHARS_PER_SECOND, MAX_SECONDS
from render.plan.manifest import read_manifest


def main(out: Path, cache: Path) -> None:
    rows = []
    for c in read_manifest(out / "manifest.jsonl"):
        side = cache / "objects" / c.key[:2] / f"{c.key}.json"
        if side.exists():
            rows.append((c, json.loads(side.read_text())["seconds"]))
    if not rows:
        sys.exit(f"no rendered chunks of {out} in {cache}")
    longest = max(rows, key=lambda r: r[1])
    rate = [len(c.text) / s for c, s in rows if s > 3]
    over = sum(1 for _, s in rows if s > MAX_SECONDS)
    print(f"chunks: {len(rows)}; limit {MAX_SECONDS:.0f} s; over the limit: {over}")
    print(f"longest: {longest[1]:.1f} s (estimated {longest[0].est_seconds:.1f} s) {longest[0].id}")
    print(f"chars/s spoken (chunks > 3 s): median {statistics.median(rate):.1f}, "
          f"min {min(rate):.1f}, max {max(rate):.1f}; planner assumes {CHARS_PER_SECOND}")
    ratio = [s / c.est_seconds for c, s in rows if c.est_seconds > 0]
    print(f"real / estimated seconds: median {statistics.median(ratio):.2f}, max {max(ratio):.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "cache"))
