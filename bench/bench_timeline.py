"""The timeline of one `render book` process: when both cores first run Kokoro, when synthesis ends,
when the process exits, and how busy the CPU was each second.

The wall time render spends beyond the floor's is in its head (imports, planning, the models'
loading, the first chunk running alone) and its tail (the last chunks running alone, Whisper's
check of the last batch, the consistency pass, stitching, mastering, writing, the interpreter's
exit). This script renders the bench text (bench_speed.py's: Alice chapter 1 when ../shared/data is
here, else the demo story; --words N cuts it) in a child process with stamps around the pipeline's
stages and around every ONNX run of Kokoro (the session's run: the synthesis itself), samples the
child's CPU every 0.25 s, and measures the child with wait4 (wall, CPU, peak RSS). It prints:

  head     process start -> the first moment two Kokoro runs go on at once (both cores at work)
  first    process start -> the first Kokoro run starts
  synth    the first Kokoro run's start -> the last one's end
  lone     the last moment two runs went on at once -> the last run's end (one core's work)
  tail     the last Kokoro run's end -> the process's exit, split into the stages after synthesis
  cores    CPU-cores busy: overall, and from `both` to the last run's end

    .venv/bin/python bench/bench_timeline.py [--words N] [--validate] [--runs 1] [--json FILE]

Wall time on a shared machine says how much of it a run got; head and tail seconds are less
sensitive than the whole (they are short), CPU-s least. Compare A B B A, back to back.
"""

from __future__ import annotations

import time

START_CPU = time.process_time()

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# the pipeline's stages (render.pipeline functions render_book calls), stamped start and end
STAGES = ["plan_book", "render_chunks", "release_models", "check_voices", "convert_voices", "stitch_book",
          "write_report"]
TICK = os.sysconf("SC_CLK_TCK")


def now() -> float:
    """Seconds on the clock /proc's process start times are read against."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def process_start(pid: int | str = "self") -> float:
    """When a process started, on now()'s clock (to 1/CLK_TCK s)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[19]) / TICK


class Stamps:
    """(label, start, end) intervals from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows: list[tuple[str, float, float]] = []

    def wrap(self, owner, name: str, label: str) -> None:
        func = getattr(owner, name)

        @functools.wraps(func)
        def stamped(*args, **kwargs):
            t0 = now()
            try:
                return func(*args, **kwargs)
            finally:
                with self.lock:
                    self.rows.append((label, t0, now()))

        setattr(owner, name, stamped)


def child(words: int | None, validate: bool, base: Path, out: Path) -> None:
    """Render once with stamps; write them, relative to this process's start, to `out`."""
    t_start = process_start()
    from bench_speed import text_paragraphs, write_inputs

    where, paras = text_paragraphs(words)
    _, md, cast = write_inputs(paras, base)
    import render.cli  # noqa: F401  (what the command imports)
    import render.pipeline as pipeline
    from render.engines import kokoro
    from render.synth import checks, validate as validation

    stamps = Stamps()
    for name in STAGES:
        stamps.wrap(pipeline, name, name)
    stamps.wrap(kokoro._Shrinking, "run", "kokoro")
    stamps.wrap(validation.Transcriber, "load", "whisper load")
    stamps.wrap(checks.AsrCheck, "hear", "whisper")
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append((now(), time.process_time()))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t_imported = now()
    options = pipeline.BookOptions(cast=cast, out=base / "out", cache=base / "cache", validate=validate,
                                   progress=False)
    result = pipeline.render_book(md, options)
    t_returned = now()
    done.set()
    sampler.join()
    rel = lambda t: round(t - t_start, 3)  # noqa: E731
    out.write_text(json.dumps({
        "text": f"{where}, {sum(len(p.split()) for p in paras)} words", "validate": validate,
        "chunks": len(result.summary.outcomes), "audio_seconds": round(result.summary.audio_seconds, 1),
        "imported": rel(t_imported), "returned": rel(t_returned),
        "stamps": [(label, rel(a), rel(b)) for label, a, b in stamps.rows],
        "samples": [(rel(t), round(c, 3)) for t, c in samples]}))


def overlaps(runs: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """The first and the last moment two or more intervals go on at once."""
    events = sorted([(a, 1) for a, _ in runs] + [(b, -1) for _, b in runs], key=lambda e: (e[0], e[1]))
    depth, first, last, since = 0, None, None, None
    for t, step in events:
        before = depth
        depth += step
        if before < 2 <= depth:
            since = t
            first = t if first is None else first
        elif before >= 2 > depth and since is not None:
            last = t
    return first, last


def timeline(found: dict, wall: float, cpu: float, rss: float) -> dict:
    """The head, synthesis and tail figures of one child's stamps."""
    runs = [(a, b) for label, a, b in found["stamps"] if label == "kokoro"]
    first_run, last_end = min(a for a, _ in runs), max(b for _, b in runs)
    both, last_both = overlaps(runs)
    stage = {label: (a, b) for label, a, b in found["stamps"] if label in STAGES}
    whisper = [(a, b) for label, a, b in found["stamps"] if label == "whisper"]
    loads = [(a, b) for label, a, b in found["stamps"] if label == "whisper load"]

    def cpu_at(t: float) -> float:
        before = [c for s, c in found["samples"] if s <= t]
        return before[-1] if before else 0.0

    synth_cpu = cpu_at(last_end) - cpu_at(both or first_run)
    per_second = []
    samples = found["samples"]
    for second in range(int(samples[-1][0]) + 1):
        inside = [(s, c) for s, c in samples if second <= s < second + 1]
        if len(inside) >= 2:
            per_second.append(round((inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0]), 2))
    after = {}
    for name in STAGES[1:]:
        if name in stage:
            a, b = stage[name]
            after[name] = round(b - max(a, last_end), 2) if b > last_end else 0.0
    return {
        "text": found["text"], "validate": found["validate"], "chunks": found["chunks"],
        "audio_seconds": found["audio_seconds"], "wall": round(wall, 2), "cpu": round(cpu, 2),
        "peak_rss_mb": round(rss), "cores": round(cpu / wall, 2),
        "imported": found["imported"], "planned": round(stage["plan_book"][1], 2),
        "first": round(first_run, 2), "head": round(both if both is not None else first_run, 2),
        "synth": round(last_end - first_run, 2), "lone": round(last_end - (last_both or first_run), 2),
        "whisper_loaded": round(loads[0][1], 2) if loads else None,
        "whisper_after_synth": round(sum(max(0.0, b - max(a, last_end)) for a, b in whisper), 2),
        "synth_end": round(last_end, 2), "returned": found["returned"],
        "tail": round(wall - last_end, 2), "exit_after_return": round(wall - found["returned"], 2),
        "head_cpu": round(cpu_at(both if both is not None else first_run), 2),
        "tail_cpu": round(cpu_at(found["returned"]) - cpu_at(last_end), 2),
        "after_synth": after, "synth_cores": round(synth_cpu / (last_end - (both or first_run)), 2),
        "cpu_per_second": per_second}


def line(t: dict) -> str:
    after = ", ".join(f"{k} {v}" for k, v in t["after_synth"].items() if v)
    return (f"{'validated' if t['validate'] else '--no-validate'}: wall {t['wall']} s, {t['cpu']} CPU-s, "
            f"{t['cores']} cores, peak {t['peak_rss_mb']} MB | head {t['head']} s, {t['head_cpu']} CPU-s (imported {t['imported']}, "
            f"planned {t['planned']}, first run {t['first']}, Whisper loaded {t['whisper_loaded']}) | synthesis "
            f"{t['synth']} s at {t['synth_cores']} cores, last {t['lone']} s one run | tail {t['tail']} s, {t['tail_cpu']} CPU-s to the return "
            f"({after}; Whisper after synthesis {t['whisper_after_synth']}; exit {t['exit_after_return']})")


def run_once(words: int | None, validate: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as tmp:
        out = Path(tmp) / "timeline.json"
        args = [sys.executable, __file__, "--child", tmp, "--out", str(out)]
        args += ["--words", str(words)] if words else []
        args += ["--validate"] if validate else []
        t0 = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        if status != 0:
            sys.exit(f"the render failed: {proc.stderr.read().decode()[-2000:]}")
        found = json.loads(out.read_text())
    return timeline(found, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=None, help="cut the text after this many words")
    ap.add_argument("--validate", action="store_true", help="check every chunk with Whisper (render book's default)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="append each run's figures here (one JSON a line)")
    ap.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
        child(args.words, args.validate, args.child, args.out)
        return
    for _ in range(args.runs):
        t = run_once(args.words, args.validate)
        t["load"] = os.getloadavg()[0]
        print(line(t) + f" | load {t['load']:.1f}", flush=True)
        if args.json:
            with args.json.open("a") as f:
                f.write(json.dumps(t) + "\n")


if __name__ == "__main__":
    main()
