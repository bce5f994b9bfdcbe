"""Three short books rendered by `render batch` here and through a local Ray cluster, same run.

Prints wall time, CPU time (the whole process tree: driver, Ray's own processes, workers),
chunks, audio seconds, and the overhead Ray adds per chunk. Validation is on, as a user runs it.

    .venv/bin/python bench/bench_ray.py [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")

BOOKS = {
    "harbour.md": """# The Harbour

## Morning

The boats came in at dawn, low in the water. "Any luck?" asked Nell from the quay.
"Two crates of herring," said Tom, "and a boot." She laughed and caught the rope he threw.

## Evening

The lamps were lit along the harbour wall one by one. "Same again tomorrow?" asked Nell.
"If the wind holds," said Tom. They walked home slowly, past the shuttered shops.
""",
    "orchard.txt": """THE ORCHARD

CHAPTER I.

The apples were nearly ripe, and the boy visited the orchard every morning before school.
"One more week," said the old man, "and not a day sooner." The boy sighed and went on his way.

CHAPTER II.

He counted the days on his fingers and waited by the gate each evening. On the seventh day
the old man handed him a basket. "Now," he said. "Pick the red ones first."
""",
    "station.md": """# The Station

## The Last Train

The waiting room smelled of coal smoke and wet wool. A woman in a green coat checked her watch
for the third time. "Is it always this late?" she asked the porter.
"Only when it rains, madam," he said, "which is always." She smiled despite herself.

## Arrival

At last the lamps of the engine showed through the fog, and the platform filled with steam.
"There," said the porter. "Told you it would come." She picked up her case and stepped aboard.
""",
}


def _proc_times(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of root and each of its descendants, by process id."""
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    tree, frontier = {root}, [root]
    while frontier:
        nxt = [p for p, pp in parents.items() if pp in frontier and p not in tree]
        tree.update(nxt)
        frontier = nxt
    return {p: times[p] for p in tree if p in times}


def measure(args: list[str]) -> dict:
    """Run a command; wall seconds and the CPU seconds of its whole process tree, sampled every
    0.2 s (each process's last 0.2 s of life may be missed: a small undercount, alike for both)."""
    start = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[int, float] = {}
    while proc.poll() is None:
        seen.update(_proc_times(proc.pid))
        time.sleep(0.2)
    wall = time.monotonic() - start
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{stderr[-2000:]}")
    return {"wall": wall, "cpu": sum(seen.values()), "stdout": stdout}


def _summary(stdout: str) -> tuple[int, float]:
    chunks = audio = 0
    for line in stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 7 and parts[1].isdigit():
            chunks += int(parts[1])
            audio += float(parts[6])
    return chunks, audio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2, help="Ray actors (one per CPU here)")
    ap.add_argument("--keep", type=Path, help="keep the work folder here")
    opts = ap.parse_args()
    work = opts.keep or Path(tempfile.mkdtemp(prefix="bench-ray-"))
    lib = work / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    for name, text in BOOKS.items():
        (lib / name).write_text(text)
    render = [sys.executable, "-m", "render.cli", "batch", str(lib), "-q"]
    rows = {}
    for label, extra in (("local", []), ("ray", ["--ray", "--workers", str(opts.workers)])):
        m = measure(render + ["--out-root", str(work / label / "out"), "--cache", str(work / label / "cache"), *extra])
        m["chunks"], m["audio"] = _summary(m["stdout"])
        rows[label] = m
        print(f"{label:>6}: wall {m['wall']:7.1f} s   CPU {m['cpu']:7.1f} s   cores busy {m['cpu'] / m['wall']:.2f}"
              f"   {m['chunks']} chunks, {m['audio']:.1f} s of audio", flush=True)
    same = all((work / "local" / "out" / p.relative_to(work / "ray" / "out")).read_bytes() == p.read_bytes()
               for p in (work / "ray" / "out").glob("*/chapters/*.wav"))
    local, ray = rows["local"], rows["ray"]
    n = max(local["chunks"], 1)
    print(f"ray / local: wall x{ray['wall'] / local['wall']:.2f}, CPU x{ray['cpu'] / local['cpu']:.2f}; "
          f"overhead per chunk: {(ray['wall'] - local['wall']) / n:+.2f} s wall, "
          f"{(ray['cpu'] - local['cpu']) / n:+.2f} s CPU; chapters byte-identical: {same}")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
