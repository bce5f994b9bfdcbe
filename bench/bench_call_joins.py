"""The joins of a chunk made of several Kokoro calls, against the same chunk in one call.

For the planned chunks of Alice chapter 1 (else the demo story) that are longer than N phonemes,
the engine's audio with call_phonemes=N beside call_phonemes=510 (one call a chunk, as before):
- at each join, the silence around it (10 ms frames quieter than -40 dB under the chunk's loudest
  frame), by the kind of cut (after a sentence, a clause, a word);
- inside the one-call audio, the pauses the model itself leaves: every such quiet run of 60 ms or
  more, as a distribution (the pause after a sentence or clause mark is among them);
- each chunk's length either way, and the largest step between two samples at a join against the
  largest anywhere else in the chunk (a click would be a step far above the speech's own).

    .venv/bin/python bench/bench_call_joins.py [--limit 150] [--chunks 12]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FRAME = 0.01
QUIET_DB = -40


def quiet_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    frame = int(FRAME * rate)
    usable = len(samples) // frame * frame
    loud = np.sqrt((samples[:usable].reshape(-1, frame) ** 2).mean(1))
    return loud <= loud.max() * 10 ** (QUIET_DB / 20)


def runs(quiet: np.ndarray) -> list[tuple[int, int]]:
    """(first frame, frames) of every quiet run."""
    out, start = [], None
    for i, q in enumerate(quiet):
        if q and start is None:
            start = i
        elif not q and start is not None:
            out.append((start, i - start))
            start = None
    if start is not None:
        out.append((start, len(quiet) - start))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=150, help="phonemes per call [150]")
    ap.add_argument("--chunks", type=int, default=12, help="the N longest chunks [12]")
    args = ap.parse_args()

    from bench_call_length import planned_chunks

    from render.engines.base import SynthRequest
    from render.engines.kokoro import JOIN_PAUSES, KokoroEngine, _Models
    from render.engines.kokoro_calls import split_calls

    where, total, chunks = planned_chunks(args.chunks)
    one, cut = KokoroEngine(call_phonemes=510), KokoroEngine(call_phonemes=args.limit)
    at_joins: dict[str, list[float]] = {}
    model_pauses: list[float] = []
    lengths = []
    steps = []
    for chunk in chunks:
        request = SynthRequest(xml=chunk.xml, text=chunk.text, voice=chunk.voice, speed=chunk.speed)
        phonemes = cut.phonemize(chunk.text, chunk.voice)
        calls = split_calls(phonemes, args.limit)
        if len(calls) < 2:
            continue
        whole, joined = one.synthesize(request), cut.synthesize(request)
        rate = whole.sample_rate
        lengths.append((whole.seconds, joined.seconds, len(calls)))
        model_pauses += [n * FRAME for _, n in runs(quiet_frames(whole.samples, rate)) if n * FRAME >= 0.06]
        # where each join is in the joined audio: after each call's own samples and its pause
        quiet = quiet_frames(joined.samples, rate)
        offset = 0
        kokoro = _Models.kokoro()
        style = cut.style(chunk.voice)
        diffs = np.abs(np.diff(joined.samples))
        join_steps = []
        for piece, kind in calls[:-1]:
            samples, _ = kokoro.create(piece, voice=style, speed=request.speed, is_phonemes=True)
            offset += len(samples)
            frame = offset // int(FRAME * rate)
            run = next(((s, n) for s, n in runs(quiet) if s <= frame <= s + n), None)
            at_joins.setdefault(kind, []).append(run[1] * FRAME if run else 0.0)
            join_steps.append(float(diffs[max(0, offset - 240):offset + 240].max()))
            offset += int(round(JOIN_PAUSES[kind] * rate))
            join_steps.append(float(diffs[max(0, offset - 240):offset + 240].max()))
        steps.append((max(join_steps), float(diffs.max())))

    print(f"{where}: {len(lengths)} of the {len(chunks)} longest of {total} chunks are more than one call "
          f"at {args.limit} phonemes; join pauses {JOIN_PAUSES}")
    w, j = sum(x[0] for x in lengths), sum(x[1] for x in lengths)
    print(f"audio: one call {w:.1f} s, {args.limit}-phoneme calls {j:.1f} s ({j - w:+.1f} s over "
          f"{sum(x[2] - 1 for x in lengths)} joins)")
    for kind, gaps in sorted(at_joins.items()):
        print(f"silence at {kind} joins: n={len(gaps)} median {statistics.median(gaps):.2f} s, "
              f"min {min(gaps):.2f}, max {max(gaps):.2f}")
    q = np.percentile(model_pauses, [10, 25, 50, 75, 90]) if model_pauses else []
    print(f"the model's own pauses >= 60 ms inside one call: n={len(model_pauses)}, "
          f"percentiles 10/25/50/75/90: {' / '.join(f'{x:.2f}' for x in q)} s")
    print(f"largest sample step within 10 ms of a join / anywhere in the chunk: "
          f"{' '.join(f'{a:.3f}/{b:.3f}' for a, b in steps)}")


if __name__ == "__main__":
    main()
