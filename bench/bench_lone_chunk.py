"""A chunk synthesized alone: its Kokoro calls one after another, or spread over both places.

When only one chunk is in flight (a chapter's last, a one-chunk book, a retake) the default engine
(two single-threaded runs at once) would run its calls one after another on one thread. This
takes the longest chunks render plans for the bench text (bench_speed.py: Alice chapter 1 when
../shared/data is here, else the demo story), synthesizes each alone both ways in this process
on one session, interleaved (A B B A per repeat), and prints wall and CPU seconds per way, the
CPU seconds of each chunk's busiest thread summed over the chunks (what its wall time would be on
two otherwise idle cores, which a shared machine's wall clock cannot show), and whether the audio
is the same bytes.

    .venv/bin/python bench/bench_lone_chunk.py [--chunks 6] [--repeats 2]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def one_by_one(pieces, run, limit, runs):
    """The calls one after another on the calling thread, each in its place (the engine before)."""
    from render.engines.kokoro_runs import Budget

    out = []
    for piece in pieces:
        with Budget.hold(len(piece), limit, runs):
            out.append(run(piece))
    return out


def longest_chunks(n: int) -> list:
    """The n chunks with the most phonemes in render's plan of the bench text."""
    from bench_speed import text_paragraphs, write_inputs

    from render.pipeline import BookOptions, plan_book

    _, paras = text_paragraphs(None)
    with tempfile.TemporaryDirectory(prefix="bench-lone-") as tmp:
        _, md, cast = write_inputs(paras, Path(tmp))
        plan = plan_book(md, BookOptions(cast=cast, out=Path(tmp) / "out", progress=False), write=False)
    return plan.engine, sorted(plan.chunks, key=lambda c: len(c.text), reverse=True)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chunks", type=int, default=6)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    import render.engines.kokoro as K
    from render.engines.kokoro_calls import split_calls
    from render.synth.runner import request_for

    engine, chunks = longest_chunks(args.chunks)
    requests = [request_for(c) for c in chunks]
    calls = [len(split_calls(engine.phonemize(r.text, r.voice), engine._call_phonemes)) for r in requests]
    engine.synthesize(requests[-1])  # the session loaded, and its first run out of the way
    spread = K.run_calls
    per_thread: dict[int, float] = {}  # CPU-s of the Kokoro calls each thread made, for the chunk going on

    def counted(way):
        def calls(pieces, run, limit, runs):
            def timed(piece):
                c0 = time.thread_time()
                try:
                    return run(piece)
                finally:
                    ident = threading.get_ident()
                    per_thread[ident] = per_thread.get(ident, 0.0) + time.thread_time() - c0
            return way(pieces, timed, limit, runs)
        return calls

    ways = {"one after another": one_by_one, "spread over both places": spread}
    times: dict[str, list[tuple[float, float, float]]] = {w: [] for w in ways}
    digests: dict[str, set] = {w: set() for w in ways}
    for rep in range(args.repeats):
        order = list(ways) if rep % 2 == 0 else list(ways)[::-1]
        for way in order + order[::-1]:
            K.run_calls = counted(ways[way])
            w0, c0, path = time.monotonic(), time.process_time(), 0.0
            audio = []
            for r in requests:
                per_thread.clear()
                audio.append(engine.synthesize(r).samples)
                path += max(per_thread.values())  # the chunk's longest thread: its wall on idle cores
            times[way].append((time.monotonic() - w0, time.process_time() - c0, path))
            digests[way].add(hashlib.sha256(b"".join(a.tobytes() for a in audio)).hexdigest()[:16])
    K.run_calls = spread
    print(f"{len(chunks)} chunks alone, {sum(calls)} calls ({', '.join(map(str, calls))}), "
          f"{args.repeats * 2} runs of each way, interleaved")
    for way in ways:
        walls, cpus, paths = ([t[i] for t in times[way]] for i in range(3))
        print(f"  {way}: wall {statistics.median(walls):.1f} s (runs {', '.join(f'{w:.1f}' for w in walls)}), "
              f"CPU {statistics.median(cpus):.1f} s (runs {', '.join(f'{c:.1f}' for c in cpus)}), "
              f"longest thread's Kokoro CPU summed over the chunks {statistics.median(paths):.1f} s "
              f"(runs {', '.join(f'{p:.1f}' for p in paths)}), audio {sorted(digests[way])}")
    same = len(digests[list(ways)[0]] | digests[list(ways)[1]]) == 1
    print(f"  the same audio both ways: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
