"""What the speaker-consistency check costs next to synthesis, on the demo story's chunks.

Plans the demo story, synthesizes its first N chunks with Kokoro and embeds each take with the
speaker encoder, timing both in CPU seconds (all threads of this process) and wall seconds.
CPU time is the figure to trust on a shared machine; wall time is printed beside it.

    .venv/bin/python bench/bench_consistency.py [--chunks 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render.pipeline import BookOptions, plan_book  # noqa: E402
from render.synth.runner import request_for  # noqa: E402
from render.synth.speaker import SpeakerEncoder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunks", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-consistency"))
    args = ap.parse_args()
    plan = plan_book(ROOT / "manuscripts" / "the-lighthouse-keepers.md",
                     BookOptions(cast=ROOT / "configs" / "the-lighthouse-keepers.cast.yaml", out=args.out))
    chunks = plan.chunks[: args.chunks]
    plan.engine.synthesize(request_for(chunks[0]))  # load Kokoro before timing
    SpeakerEncoder.info()  # and the encoder (loaded once per process)
    synth_cpu = synth_wall = embed_cpu = embed_wall = audio_s = 0.0
    for c in chunks:
        c0, w0 = time.process_time(), time.monotonic()
        audio = plan.engine.synthesize(request_for(c))
        c1, w1 = time.process_time(), time.monotonic()
        SpeakerEncoder.embed(audio)
        c2, w2 = time.process_time(), time.monotonic()
        synth_cpu, synth_wall = synth_cpu + c1 - c0, synth_wall + w1 - w0
        embed_cpu, embed_wall = embed_cpu + c2 - c1, embed_wall + w2 - w1
        audio_s += audio.seconds
    print(f"{len(chunks)} chunks, {audio_s:.1f} s of audio")
    print(f"synthesis: {synth_cpu:.1f} CPU s, {synth_wall:.1f} s wall (RTF {synth_wall / audio_s:.2f})")
    print(f"speaker embedding: {embed_cpu:.2f} CPU s, {embed_wall:.2f} s wall")
    print(f"consistency / synthesis: {embed_cpu / synth_cpu:.1%} of CPU time, {embed_wall / synth_wall:.1%} of wall time")


if __name__ == "__main__":
    main()
