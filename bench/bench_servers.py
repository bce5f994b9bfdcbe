"""Throughput against a farm of N speech servers: chunks per second for N = 1, 2, 4, 8.

Starts N loopback OpenAI-compatible servers (tests/loopback.py) that each take `--latency`
seconds per request (2 s by default, standing in for a GPU) and answer with one real Kokoro
clip synthesized once at the start. A book of `--chunks` short lines is planned once, then its
chunks are rendered into a fresh cache per N through the same runner and server pool a real
render uses (no validation: this measures dispatch). Prints the render stage's wall time,
chunks per second and the speed-up over N = 1, measured in the same run; then the same chunks
sent straight to the server pool from `max_in_flight` threads (dispatch alone, no runner).

Usage: .venv/bin/python bench/bench_servers.py [--latency 2] [--chunks 32] [--in-flight 1]
"""

from __future__ import annotations

import argparse
import io
import sys
from concurrent.futures import ThreadPoolExecutor
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render.engines import create  # noqa: E402
from render.engines.base import SynthRequest  # noqa: E402
from render.pipeline import BookOptions, plan_book, render_chunks  # noqa: E402
from render.synth.cache import Cache  # noqa: E402
from render.synth.runner import request_for  # noqa: E402
from tests.loopback import SpeechServer  # noqa: E402

CLIP_TEXT = "The lamp is lit, and the sea is calm tonight."


def kokoro_clip() -> bytes:
    """One real Kokoro take, as WAV bytes (the servers' answer to every request)."""
    xml = f'<speak voice="Narrator" gender="male">{CLIP_TEXT}</speak>'
    audio = create("kokoro").synthesize(SynthRequest(xml=xml, text=CLIP_TEXT, voice="bm_fable"))
    buf = io.BytesIO()
    sf.write(buf, audio.samples, audio.sample_rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def story(chunks: int) -> str:
    lines = [f"The keeper climbed the stair for the {n + 1}th time and trimmed the wick." for n in range(chunks)]
    return "# Watch\n\n## One\n\n" + "\n\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=2.0, help="seconds each server takes per request")
    ap.add_argument("--chunks", type=int, default=32, help="chunks in the book")
    ap.add_argument("--in-flight", type=int, default=1, help="requests in flight per server")
    ap.add_argument("--servers", default="1,2,4,8", help="server counts to measure")
    args = ap.parse_args()
    clip = kokoro_clip()
    counts = [int(n) for n in args.servers.split(",")]
    farm = [SpeechServer("openai", audio=clip, latency=args.latency) for _ in range(max(counts))]
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            (base / "watch.md").write_text(story(args.chunks))
            opts = BookOptions(out=base / "out", engine="openai", servers=(farm[0].url,), validate=False,
                               progress=False, in_flight=args.in_flight)
            chunks = plan_book(base / "watch.md", opts).chunks
            for n in counts:
                run = replace(opts, servers=tuple(s.url for s in farm[:n]))
                engine = plan_book(base / "watch.md", run).engine
                t0 = time.monotonic()
                summary = render_chunks(chunks, engine, Cache(base / f"cache-{n}"), run)
                wall = time.monotonic() - t0
                engine.close()
                assert summary.count("synthesized") == len(chunks), summary.line()
                engine = plan_book(base / "watch.md", run).engine
                t0 = time.monotonic()
                with ThreadPoolExecutor(engine.max_in_flight) as workers:
                    list(workers.map(lambda c: engine.synthesize(request_for(c)), chunks))
                alone = time.monotonic() - t0
                engine.close()
                rows.append((n, wall, len(chunks) / wall, engine.max_in_flight, len(chunks) / alone))
    finally:
        for s in farm:
            s.stop()
    print(f"{len(chunks)} chunks, {args.latency:g} s per request, {args.in_flight} in flight per server")
    print("| servers | in flight | render wall s | render chunks/s | speed-up vs 1 | pool alone chunks/s |")
    print("|---|---|---|---|---|---|")
    for n, wall, rate, flight, alone in rows:
        print(f"| {n} | {flight} | {wall:.1f} | {rate:.2f} | x{rate / rows[0][2]:.2f} | {alone:.2f} |")


if __name__ == "__main__":
    main()
