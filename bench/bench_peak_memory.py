"""What is in memory at a render's peak: `render book` in this process, its RSS sampled every
50 ms beside a label of what is running (Kokoro runs and their phonemes, Whisper's check, the
speaker embeddings, the stage after synthesis), /proc/self/smaps summed by kind at each new peak.

    .venv/bin/python bench/bench_peak_memory.py OUT.json -- book text.md --cast cast.yaml -o out ...

The arguments after `--` are render's own. Prints the peak (VmHWM, and the sampled peak with what
was running), the largest RSS seen with each combination of work, and writes the timeline as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
PERIOD = 0.05


class Activity:
    """What is running now: a Counter of labels (a label may be held by several threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now: Counter = Counter()
        self.runs: dict[int, int] = {}  # thread id -> phonemes of its Kokoro run
        self.stage = "start"

    def enter(self, label):
        with self.lock:
            self.now[label] += 1

    def leave(self, label):
        with self.lock:
            self.now[label] -= 1
            if self.now[label] <= 0:
                del self.now[label]

    def label(self) -> str:
        with self.lock:
            parts = [self.stage]
            if self.runs:
                parts.append("kokoro " + "+".join(str(p) for p in sorted(self.runs.values(), reverse=True)))
            parts += sorted(f"{k}" + (f"x{v}" if v > 1 else "") for k, v in self.now.items())
            return " | ".join(parts)


ACT = Activity()


def _wrap(owner, name, label):
    original = getattr(owner, name)

    def wrapped(*args, **kwargs):
        ACT.enter(label)
        try:
            return original(*args, **kwargs)
        finally:
            ACT.leave(label)

    setattr(owner, name, wrapped)


def _stage(owner, name, stage):
    original = getattr(owner, name)

    def wrapped(*args, **kwargs):
        ACT.stage = stage
        try:
            return original(*args, **kwargs)
        finally:
            ACT.stage = "after " + stage

    setattr(owner, name, wrapped)


def instrument() -> None:
    from render.engines import kokoro
    from render import pipeline
    from render.synth import checks, runner, speaker

    original_run = kokoro._Shrinking.run

    def run(self, output_names, input_feed, run_options=None):
        tokens = input_feed.get("input_ids", input_feed.get("tokens"))
        with ACT.lock:
            ACT.runs[threading.get_ident()] = int(tokens.shape[-1]) - 2
        try:
            return original_run(self, output_names, input_feed, run_options)
        finally:
            with ACT.lock:
                ACT.runs.pop(threading.get_ident(), None)

    kokoro._Shrinking.run = run
    _wrap(checks.AsrCheck, "hear", "whisper-batch")
    _wrap(checks.AsrCheck, "check", "whisper-alone")
    _wrap(speaker.SpeakerEncoder, "embed_samples", "embed")
    _wrap(kokoro.KokoroEngine, "phonemize", "g2p")
    _stage(runner.Renderer, "run", "synthesis")
    _stage(pipeline, "release_models", "release")
    _stage(pipeline, "check_voices", "consistency")
    _stage(pipeline, "assemble_book", "mastering")
    _stage(pipeline, "stitch_book", "mastering")



def smaps_by_kind() -> dict:
    """RSS in MB summed by mapping kind: heap, anonymous >= 64 MB, anonymous < 64 MB, files; and
    the anonymous mappings' sizes (MB, resident/size) largest first."""
    out = Counter()
    kind = None
    anon: list = []
    with open("/proc/self/smaps") as f:
        for line in f:
            first = line.split(None, 1)[0]
            if "-" in first and not first.endswith(":"):
                fields = line.split()
                lo, hi = (int(x, 16) for x in fields[0].split("-"))
                path = fields[5] if len(fields) > 5 else ""
                size = hi - lo
                if path == "[heap]":
                    kind = "heap"
                elif path.startswith("/"):
                    kind = "files"
                elif path:
                    kind = "other"
                else:
                    kind = "anon>=64MB" if size >= 64 << 20 else "anon<64MB"
            elif first == "Rss:":
                kb = int(line.split()[1])
                out[kind] += kb
                if kind.startswith("anon") and kb >= 2048:
                    anon.append(f"{kb >> 10}/{size >> 20}")
    summary = {k: round(v / 1024) for k, v in out.items()}
    summary["anon"] = sorted(anon, key=lambda x: -int(x.split("/")[0]))[:16]
    return summary


def status() -> tuple[int, int]:
    rss = hwm = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) // 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) // 1024
    return rss, hwm


def sampler(stop: threading.Event, timeline: list, peaks: list) -> None:
    t0 = time.monotonic()
    best = 0
    last_smaps = 0.0
    last_label = ""
    last_hwm = 0
    while not stop.wait(PERIOD):
        rss, hwm = status()
        label = ACT.label()
        now = time.monotonic() - t0
        timeline.append((round(now, 2), rss, label))
        if hwm > last_hwm and last_hwm:
            peaks.append({"t": round(now, 2), "hwm": hwm, "rss": rss, "label": label, "before": last_label})
        last_hwm = hwm
        if rss > best and rss > 700 and now - last_smaps > 0.5:
            best = rss
            last_smaps = now
            peaks.append({"t": round(now, 2), "rss": rss, "label": label, "smaps": smaps_by_kind()})
        last_label = label


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    args = argv[argv.index("--") + 1:]
    import render.cli as cli  # applies the process's malloc settings, as the command does

    instrument()
    timeline: list = []
    peaks: list = []
    stop = threading.Event()
    thread = threading.Thread(target=sampler, args=(stop, timeline, peaks), daemon=True, name="rss-sampler")
    thread.start()
    code = 0
    try:
        cli.main.main(args, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        stop.set()
        thread.join()
    rss, hwm = status()
    by_label: dict[str, int] = {}
    for _, r, label in timeline:
        by_label[label] = max(by_label.get(label, 0), r)
    top = max(timeline, key=lambda x: x[1])
    out.write_text(json.dumps({"hwm": hwm, "peaks": peaks, "by_label": by_label, "timeline": timeline}))
    print(f"VmHWM {hwm} MB; sampled peak {top[1]} MB at {top[0]} s: {top[2]}")
    for p in [p for p in peaks if "hwm" in p][-5:]:
        print(f"  HWM rose to {p['hwm']} at {p['t']} s: {p['before']}  ->  {p['label']}")
    for p in [p for p in peaks if "smaps" in p][-3:]:
        print(f"  {p['rss']} MB at {p['t']} s ({p['label']}): {p['smaps']}")
    for label, r in sorted(by_label.items(), key=lambda x: -x[1])[:12]:
        print(f"  {r:5d} MB  {label}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
