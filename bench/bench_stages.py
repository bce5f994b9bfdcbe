"""Where a `render book` process spends its CPU, stage by stage, in one process.

Runs what `render book` runs (render.pipeline.render_book, default outputs, the bench text of
bench_speed.py: Alice chapter 1 when ../shared/data is here, else the demo story), with timers
wrapped around the pipeline's stages and around the work inside them:

  stage        what                                                    CPU counted
  top level    plan, synthesis (render_chunks), release, consistency,  the process's (all threads)
               conversion, stitching and exports, report
  inside       Kokoro calls, G2P (and its loading), Kokoro's session,  the calling thread's
               Whisper, speaker embeddings, cache writes, stitching,
               levelling, WAV writing, read-along files

Each inside figure is the sum over its calls of the calling thread's CPU (time.thread_time), so
work on the pool's and the background threads is counted where it runs; nested figures (G2P
loading within G2P) are not subtracted. Printed as a table; --json writes it too.

    .venv/bin/python bench/bench_stages.py [--words N] [--validate] [--no-idle-embeddings] [--json FILE]
"""

from __future__ import annotations

import time

START_CPU = time.process_time()  # before the package is imported: imports are a stage too

import argparse  # noqa: E402
import functools  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# (module, attribute, label): the pipeline's own stages, timed with the whole process's CPU
STAGES = [
    ("render.pipeline", "plan_book", "plan (ingest, attribution, chunking, manifest)"),
    ("render.pipeline", "render_chunks", "synthesis (render_chunks, all threads)"),
    ("render.pipeline", "release_models", "release models"),
    ("render.pipeline", "check_voices", "consistency (speaker embeddings)"),
    ("render.pipeline", "convert_voices", "voice conversion"),
    ("render.pipeline", "stitch_book", "stitch, master, export"),
    ("render.pipeline", "write_report", "report.json"),
]
# the work inside them, timed with the calling thread's CPU
PARTS = [
    ("kokoro_onnx", "Kokoro.create", "Kokoro calls (kokoro-onnx create)"),
    ("render.engines.kokoro", "_Shrinking.run", "  of which the ONNX session's run"),
    ("render.engines.kokoro", "_Models.kokoro", "Kokoro session load (and lookups)"),
    ("render.engines.kokoro", "_Models.phonemes", "G2P (misaki, with its loading)"),
    ("render.engines.kokoro", "_make_g2p", "  of which G2P loading"),
    ("render.synth.validate", "Transcriber.load", "Whisper load"),
    ("render.synth.checks", "AsrCheck.hear", "Whisper hearing"),
    ("render.synth.cache", "Cache.put", "cache writes (WAV + sidecar)"),
    ("render.synth.consistency", "embedding_of", "speaker embeddings"),
    ("render.synth.idle", "IdleWork.finish", "  embeddings left when synthesis ends (two threads)"),
    ("render.master.chapters", "stitch_chapter", "stitching a chapter (with levelling)"),
    ("render.master.stitch", "level", "  of which levelling (loudness, limiter)"),
    ("render.master.chapters", "write_wav", "chapter WAV writing"),
    ("render.pipeline", "assemble", "assemble (book exports)"),
    ("render.pipeline", "write_readalong", "read-along files"),
]


class Meter:
    """Calls, wall seconds and CPU seconds per label, from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows: dict[str, list[float]] = {}

    def add(self, label: str, wall: float, cpu: float) -> None:
        with self.lock:
            row = self.rows.setdefault(label, [0, 0.0, 0.0])
            row[0] += 1
            row[1] += wall
            row[2] += cpu


def _wrap(meter: Meter, module: str, dotted: str, label: str, clock) -> bool:
    """Replace module.dotted with a timed wrapper; False when it is not there in this tree."""
    try:
        owner = importlib.import_module(module)
    except ImportError:
        return False
    *path, name = dotted.split(".")
    for part in path:
        owner = getattr(owner, part, None)
        if owner is None:
            return False
    raw = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
    if raw is None:
        return False
    kind = type(raw) if isinstance(raw, (classmethod, staticmethod)) else None
    func = raw.__func__ if kind else raw

    @functools.wraps(func)
    def timed(*args, **kwargs):
        w0, c0 = time.monotonic(), clock()
        try:
            return func(*args, **kwargs)
        finally:
            meter.add(label, time.monotonic() - w0, clock() - c0)

    setattr(owner, name, kind(timed) if kind else timed)
    return True


def measure(words: int | None, validate: bool, base: Path, idle_embeddings: bool = True) -> dict:
    """Render the bench text once in this process with every stage timed; the table as a dict."""
    from bench_speed import text_paragraphs, write_inputs

    where, paras = text_paragraphs(words)
    _, md, cast = write_inputs(paras, base)
    imported = time.process_time()
    import render.cli  # noqa: F401  (what the command imports before it starts)
    from render.memory import give_back  # noqa: F401
    from render.pipeline import BookOptions, render_book

    imports = time.process_time() - imported
    stages, parts = Meter(), Meter()
    for module, dotted, label in STAGES:
        _wrap(stages, module, dotted, label, time.process_time)
    for module, dotted, label in PARTS:
        _wrap(parts, module, dotted, label, time.thread_time)
    if not idle_embeddings:  # as before: every speaker embedding in the consistency pass
        import render.pipeline
        from render.synth.runner import RunOptions

        render.pipeline.RunOptions = lambda **kw: RunOptions(**{**kw, "embed_speakers": False})
    options = BookOptions(cast=cast, out=base / "out", cache=base / "cache", validate=validate, progress=False)
    w0, c0 = time.monotonic(), time.process_time()
    result = render_book(md, options)
    wall, cpu = time.monotonic() - w0, time.process_time() - c0
    return {"text": f"{where}, {sum(len(p.split()) for p in paras)} words", "validate": validate,
            "audio_seconds": round(result.summary.audio_seconds, 1), "chunks": len(result.summary.outcomes),
            "wall": round(wall, 2), "cpu": round(cpu, 2), "imports_cpu": round(imports, 2),
            "stages": {k: [int(v[0]), round(v[1], 2), round(v[2], 2)] for k, v in stages.rows.items()},
            "parts": {k: [int(v[0]), round(v[1], 2), round(v[2], 2)] for k, v in parts.rows.items()}}


def table(found: dict) -> str:
    lines = [f"{found['text']}, {'validated' if found['validate'] else '--no-validate'}: "
             f"{found['chunks']} chunks, {found['audio_seconds']} s of audio; render_book {found['wall']} s wall, "
             f"{found['cpu']} CPU-s; the package's imports {found['imports_cpu']} CPU-s",
             "", "| stage | calls | wall s | CPU-s | share of CPU |", "|---|---|---|---|---|"]
    for label, (calls, wall, cpu) in found["stages"].items():
        lines.append(f"| {label} | {calls} | {wall:.2f} | {cpu:.2f} | {100 * cpu / found['cpu']:.1f} % |")
    lines += ["", "| inside (the calling thread's CPU) | calls | wall s | CPU-s | share of CPU |", "|---|---|---|---|---|"]
    for label in [label for _, _, label in PARTS if label in found["parts"]]:  # in the list's order
        calls, wall, cpu = found["parts"][label]
        lines.append(f"| {label} | {calls} | {wall:.2f} | {cpu:.2f} | {100 * cpu / found['cpu']:.1f} % |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=None, help="cut the text after this many words")
    ap.add_argument("--validate", action="store_true", help="check every chunk with Whisper (render book's default)")
    ap.add_argument("--no-idle-embeddings", action="store_true",
                    help="leave every speaker embedding to the consistency pass (as before idle.py)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("render.synth.runner").setLevel(logging.INFO)  # the embeddings made during synthesis
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        found = measure(args.words, args.validate, Path(tmp), not args.no_idle_embeddings)
    found["idle_embeddings"] = not args.no_idle_embeddings
    found["process_cpu_before_render"] = round(time.process_time() - START_CPU - found["cpu"], 2)
    print(table(found))
    if args.json:
        args.json.write_text(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
