"""Validation cost: Kokoro synthesis time vs Whisper check time on the demo story.

Renders the sample story twice into fresh caches — once with --no-validate (the baseline),
once with validation — and prints wall times, the ratio, and per-chunk ASR vs synthesis
seconds from the cache sidecars. Usage: .venv/bin/python bench/bench_validation.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "manuscripts" / "the-lighthouse-keepers.md"
CAST = ROOT / "configs" / "the-lighthouse-keepers.cast.yaml"


def run(validate: bool, base: Path) -> tuple[float, Path]:
    cache = base / ("cache-v" if validate else "cache-n")
    args = [sys.executable, "-m", "render.cli", "book", str(STORY), "--cast", str(CAST), "-o",
            str(base / ("out-v" if validate else "out-n")), "--cache", str(cache), "--quiet"]
    if not validate:
        args.append("--no-validate")
    t0 = time.monotonic()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0, cache


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plain, _ = run(False, base)
        checked, cache = run(True, base)
        synth = asr = audio = 0.0
        retried = 0
        for side in cache.glob("objects/*/*.json"):
            meta = json.loads(side.read_text())
            attempts = meta["attempts"]
            retried += len(attempts) > 1
            synth += sum(a.get("synth_seconds", 0) for a in attempts)
            asr += sum(a.get("asr_seconds", 0) for a in attempts)
            audio += meta["seconds"]
        print(f"audio rendered:           {audio:8.1f} s")
        print(f"wall, --no-validate:      {plain:8.1f} s  (baseline)")
        print(f"wall, validated:          {checked:8.1f} s  ratio {checked / plain:.3f}")
        print(f"synthesis time (sidecar): {synth:8.1f} s  RTF {synth / audio:.3f}")
        print(f"ASR time (sidecar):       {asr:8.1f} s  = {100 * asr / synth:.1f}% of synthesis")
        print(f"chunks that needed a retry: {retried}")


if __name__ == "__main__":
    main()
