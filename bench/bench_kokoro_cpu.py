"""CPU a Kokoro call costs per second of audio, on render's session, under one setting at a time.

The N longest chunks render plans for Alice chapter 1 (else the demo story), phonemized as the
engine does (cached in a temporary file so every process synthesizes the same phonemes), cut into
calls of at most 150 phonemes as the engine cuts them, and synthesized the way `render book` does:
two runs at once on one session, each on its caller's thread (`--runs 1`: one at a time). Prints
one JSON line: the process's CPU-s for the calls, the CPU of each call (its thread's clock),
audio seconds, CPU per audio second, page faults, peak RSS, and a hash of the audio; with
`--save F` the audio is kept, with `--against F` its largest difference from a saved one.

Settings that must be in place before the process starts (an environment variable such as
GLIBC_TUNABLES) are compared by running this script as A B B A from the shell; settings of the
session are flags:

    .venv/bin/python bench/bench_kokoro_cpu.py [--chunks 16] [--runs 2] [--repeats 1]
        [--model F] [--ftz] [--denormal-zero] [--opt-level all|extended|basic|none] [--no-arena] [--affinity]
        [--save out.npy] [--against ref.npy] [--label A]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CACHE = Path(tempfile.gettempdir()) / "render-bench-kokoro-cpu-{}.json"


def _calls(count: int, limit: int) -> list[tuple[str, str]]:
    """(phonemes, voice) of every call of the `count` longest planned chunks, in plan order."""
    cache = Path(str(CACHE).format(f"{count}-{limit}"))
    if cache.exists():
        return [tuple(c) for c in json.loads(cache.read_text())]
    from bench_call_length import planned_chunks

    from render.engines.kokoro import KokoroEngine, _Models
    from render.engines.kokoro_calls import split_calls

    _, _, chunks = planned_chunks(count)
    engine = KokoroEngine()
    calls = []
    for chunk in chunks:
        for piece, _ in split_calls(engine.phonemize(chunk.text, chunk.voice), limit):
            calls.append((piece, chunk.voice))
    _Models.release()
    cache.write_text(json.dumps(calls))
    return calls


def _flush_denormals() -> None:
    """Set FTZ and DAZ in this thread's MXCSR (x86-64 glibc: fenv_t's last word is MXCSR)."""
    import ctypes
    import ctypes.util

    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    env = (ctypes.c_uint32 * 8)()
    libm.fegetenv(env)
    env[7] |= 0x8040
    libm.fesetenv(env)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chunks", type=int, default=16)
    ap.add_argument("--limit", type=int, default=150, help="phonemes a call [150]")
    ap.add_argument("--runs", type=int, default=2, help="runs at once [2]")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--engine", action="store_true", help="render's own session (_Models.kokoro), no session flags")
    ap.add_argument("--denormal-zero", action="store_true", help="session.set_denormal_as_zero")
    ap.add_argument("--opt-level", default="all", choices=["all", "extended", "basic", "none"])
    ap.add_argument("--model", help="another ONNX file in place of the assets' model")
    ap.add_argument("--no-arena", action="store_true")
    ap.add_argument("--ftz", action="store_true", help="flush denormals on each run's thread (MXCSR FTZ+DAZ)")
    ap.add_argument("--affinity", action="store_true", help="pin run i's thread to core i")
    ap.add_argument("--save")
    ap.add_argument("--against")
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    calls = _calls(args.chunks, args.limit)
    from render.engines.kokoro import KokoroEngine, _Models, _Shrinking

    if not args.engine:
        import onnxruntime as ort
        from kokoro_onnx import Kokoro

        from render import assets

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.enable_mem_pattern = False
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        if args.denormal_zero:
            opts.add_session_config_entry("session.set_denormal_as_zero", "1")
        if args.no_arena:
            opts.enable_cpu_mem_arena = False
        opts.graph_optimization_level = {
            "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
            "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
            "none": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
        }[args.opt_level]
        session = ort.InferenceSession(args.model or str(assets.kokoro_model_path()), sess_options=opts,
                                       providers=["CPUExecutionProvider"])
        _Models._kokoro = Kokoro.from_session(_Shrinking(session), str(assets.voices_path()))
    engine = KokoroEngine()
    styles = {v: engine.style(v) for v in {v for _, v in calls}}  # loads render's session unless made above
    kokoro = _Models.kokoro(1)
    kokoro.create("hˈɛlO.", voice=next(iter(styles.values())), is_phonemes=True)  # set-up out of the figures

    results: list = [None] * len(calls)
    per_call = [0.0] * len(calls)
    lock = threading.Lock()
    todo = iter(range(len(calls)))

    def worker(index: int) -> None:
        if args.affinity:
            os.sched_setaffinity(0, {index % os.cpu_count()})
        if args.ftz:
            _flush_denormals()
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            piece, voice = calls[i]
            start = time.thread_time()
            samples, _ = kokoro.create(piece, voice=styles[voice], is_phonemes=True)
            per_call[i] += time.thread_time() - start
            results[i] = samples

    load = os.getloadavg()[0]
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    cpu, wall = _cpu(), time.monotonic()
    for _ in range(args.repeats):
        todo = iter(range(len(calls)))
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.runs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    cpu, wall = _cpu() - cpu, time.monotonic() - wall
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    audio = np.concatenate(results).astype(np.float32)
    seconds = len(audio) / 24000 * args.repeats
    out = {
        "label": args.label, "calls": len(calls), "phonemes": sum(len(p) for p, _ in calls),
        "cpu_s": round(cpu, 2), "calls_cpu_s": round(sum(per_call), 2), "wall_s": round(wall, 2),
        "audio_s": round(seconds, 2), "cpu_per_audio_s": round(cpu / seconds, 4),
        "calls_cpu_per_audio_s": round(sum(per_call) / seconds, 4),
        "minor_faults": faults, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load": round(load, 1), "load_end": round(os.getloadavg()[0], 1),
        "sha": hashlib.sha256(audio.tobytes()).hexdigest()[:12],
    }
    if args.save:
        np.save(args.save, audio)
    if args.against:
        ref = np.load(args.against)
        out["max_abs_diff"] = float(np.abs(ref - audio).max()) if len(ref) == len(audio) else f"length {len(ref)} vs {len(audio)}"
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
