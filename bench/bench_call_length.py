"""CPU and memory of a Kokoro call as a function of its length, on the chunks `render` plans.

The chunks of Alice chapter 1 (else the demo story) as `render book` plans them, phonemized as the
engine does, are synthesized one call at a time in this process on render's own session (its
arena shrinking, no spinning), each chunk cut into calls of at most N phonemes at sentence, then
clause, then word boundaries (kokoro-onnx's own splitter; N=0: the whole chunk in one call, as
render does). For every call: its phonemes, the process's CPU seconds, the audio's seconds and the
peak RSS it added (VmHWM reset through /proc/self/clear_refs before the call, minus VmRSS then).
The same chunks at every N, the Ns interleaved and reversed every other repeat (A B ... B A), so a
machine whose speed drifts slows all alike.

    .venv/bin/python bench/bench_call_length.py [--threads 1] [--limits 0,300,200,150,100,50]
                                                [--chunks 12] [--repeats 2] [--per-call]

Prints, per N: CPU-s per audio second and per phoneme, calls, and the added peak RSS (median and
largest call); with --per-call, one row per call (phonemes, CPU-s, audio-s, added MB).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _status(field: str) -> float:
    """A VmXXX line of /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def planned_chunks(count: int):
    """The `count` longest narration chunks of the bench text as render plans them (text, voice)."""
    from bench_speed import text_paragraphs, write_inputs
    from render.pipeline import BookOptions, plan_book

    where, paras = text_paragraphs(None)
    with tempfile.TemporaryDirectory() as tmp:
        _, md, cast = write_inputs(paras, Path(tmp))
        plan = plan_book(md, BookOptions(cast=cast, out=Path(tmp) / "out", validate=False), write=False)
    chunks = [c for c in plan.chunks if c.kind != "heading"]
    chunks.sort(key=lambda c: -len(c.text))
    return where, len(plan.chunks), chunks[:count]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=1, help="ONNX Runtime intra-op threads [1]")
    ap.add_argument("--limits", default="0,300,200,150,100,50", help="phonemes per call; 0 = the whole chunk")
    ap.add_argument("--chunks", type=int, default=12, help="the N longest chunks of the text [12]")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--per-call", action="store_true", help="print every call")
    args = ap.parse_args()
    limits = [int(x) for x in args.limits.split(",")]

    from kokoro_onnx.chunker import split_phonemes

    from render.engines.kokoro import KokoroEngine, _Models

    where, total, chunks = planned_chunks(args.chunks)
    engine = KokoroEngine(threads=args.threads)
    phonemes = [(engine.phonemize(c.text, c.voice), engine.style(c.voice)) for c in chunks]
    _Models.release_g2p()
    kokoro = _Models.kokoro(args.threads)
    print(f"{where}: {len(chunks)} longest of {total} chunks, {sum(len(p) for p, _ in phonemes)} phonemes "
          f"({min(len(p) for p, _ in phonemes)}-{max(len(p) for p, _ in phonemes)} a chunk); "
          f"{args.threads} thread(s); load {os.getloadavg()[0]:.1f}", flush=True)
    kokoro.create("hˈɛlO.", voice=phonemes[0][1], is_phonemes=True)  # first-run set-up out of the figures

    calls: dict[int, list[tuple[int, float, float, float]]] = {n: [] for n in limits}
    for repeat in range(args.repeats):
        order = limits if repeat % 2 == 0 else limits[::-1]
        for limit in order:
            for text, style in phonemes:
                for piece in split_phonemes(text, limit) if limit else [text]:
                    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
                    rss, cpu = _status("VmRSS"), _cpu()
                    samples, rate = kokoro.create(piece, voice=style, is_phonemes=True)
                    cpu = _cpu() - cpu
                    calls[limit].append((len(piece), cpu, len(samples) / rate, _status("VmHWM") - rss))
        print(f"repeat {repeat + 1} done; load {os.getloadavg()[0]:.1f}", flush=True)

    print(f"\n{'N':>5} {'calls':>6} {'phon/call':>9} {'CPU-s':>8} {'audio-s':>8} {'CPU/audio':>9} "
          f"{'ms/phon':>8} {'+MB med':>8} {'+MB max':>8} {'MB/phon':>8}")
    for limit in limits:
        rows = calls[limit]
        cpu, audio, phon = (sum(r[i] for r in rows) for i in (1, 2, 0))
        per_phoneme = statistics.median(r[3] / r[0] for r in rows if r[0] >= 40)
        print(f"{limit or 'whole':>5} {len(rows) // args.repeats:>6} {phon / len(rows):9.0f} "
              f"{cpu / args.repeats:8.2f} {audio / args.repeats:8.1f} {cpu / audio:9.3f} "
              f"{1000 * cpu / phon:8.2f} {statistics.median(r[3] for r in rows):8.0f} "
              f"{max(r[3] for r in rows):8.0f} {per_phoneme:8.2f}")
    if args.per_call:
        print("\nN phonemes CPU-s audio-s +MB")
        for limit in limits:
            for r in calls[limit]:
                print(f"{limit} {r[0]} {r[1]:.3f} {r[2]:.2f} {r[3]:.0f}")


if __name__ == "__main__":
    main()
