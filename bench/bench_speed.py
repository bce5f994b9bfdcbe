"""Speed, CPU and memory of `render book` beside the floor and the kokoro-tts CLI, on one text.

Contenders, each a separate process measured with wait4 (wall, CPU, peak RSS), on the same text:
  floor     kokoro-onnx called directly, one call per sentence (the same model and af_heart voice)
  floor on render's model: the same, on the model render loads on a CPU with VNNI (its 1-D
            convolutions as int8 matrix products, render/engines/kokoro_graph.py; the same audio):
            how much of render's lead is that rewrite, and how much the rest of render
  peer      the kokoro-tts CLI (PyPI, in its own venv under bench/.work; needs libportaudio2)
  render    `render book --no-validate`, `render book` (every chunk checked by Whisper), and a
            re-run of the finished book
Then: peak RSS of a 3- and a 12-chapter book (memory must be flat in book length), and the time
to plan (ingest, attribute, chunk) a 150,000-word novel. The text is chapter 1 of Alice from the
Gutenberg EPUB in ../shared/data when present, else the demo story.

    .venv/bin/python bench/bench_speed.py [--runs 3] [--words N] [--no-peer] [--also KEY=VALUE ...]

--also adds one more contender, `render book` validated with those engine options (e.g.
`--also workers=1`: one Kokoro run at a time on two ONNX Runtime threads; `--also call_phonemes=510`:
one call a chunk), beside the default (two runs at once, one thread each, calls of at most 150 phonemes).

Figures are medians of --runs runs, the contenders taken in the opposite order every other run; the machine's load is printed beside them (other work on the
machine slows every contender alike, so compare the ratios, not the seconds).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
WORK = ROOT / "bench" / ".work"
PEER = "kokoro-tts==2.3.2"
VOICE = "af_heart"
ALICE = ROOT.parent / "shared" / "data" / "epub" / "pirmd_epub" / "pg11-images.epub"
STORY = ROOT / "manuscripts" / "the-lighthouse-keepers.md"


@dataclass
class Run:
    """One measured process."""

    wall: float  # seconds
    cpu: float  # user + system seconds, children included
    rss: float  # peak resident set, MB
    audio: float = 0.0  # seconds of audio it produced
    synth_cores: float = 0.0  # CPU-cores-busy between the first and the last chunk stored (0: not seen)

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


def measure(args: list[str], log: Path, cwd: Path = ROOT, cache: Path | None = None) -> Run:
    """Run a command to the end; its wall time, CPU time and peak RSS (wait4), or exit on failure.

    With a cache folder, also the cores busy during synthesis: the process's CPU seconds over wall
    seconds from the first chunk stored there to the last (model loading, planning, the first
    chunk and stitching left out), sampled from /proc every 0.2 s."""
    tick = os.sysconf("SC_CLK_TCK")
    seen: list[tuple[float, float]] = []  # (wall, CPU) when the count of stored chunks grew
    count = 0
    with open(log, "wb") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(args, cwd=cwd, stdout=err, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if cache is not None:
                stored = sum(1 for _ in cache.glob("objects/*/*.wav"))
                if stored > count:
                    count = stored
                    try:
                        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
                        seen.append((time.monotonic(), (int(fields[11]) + int(fields[12])) / tick))
                    except (OSError, IndexError, ValueError):
                        pass
            time.sleep(0.2)
        wall = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, args[:4]))} ... failed (exit {proc.returncode}); see {log}")
    cores = (seen[-1][1] - seen[0][1]) / (seen[-1][0] - seen[0][0]) if len(seen) > 1 and seen[-1][0] > seen[0][0] else 0.0
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, synth_cores=cores)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f) for r in runs)
                 for f in ("wall", "cpu", "rss", "audio", "synth_cores")))


def seconds_of(*wavs: Path) -> float:
    return sum(sf.info(str(w)).duration for w in wavs)


# ---------------------------------------------------------------- the text
def text_paragraphs(words: int | None) -> tuple[str, list[str]]:
    """(where it came from, paragraphs): Alice chapter 1 when the dev data is here, else the demo story."""
    if ALICE.exists():
        from render.pipeline import load_source

        book = load_source(ALICE)
        chapter = next(c for c in book.chapters if "rabbit" in c.title.lower())
        paras = [b.text for b in chapter.blocks if b.text.strip() and b.kind != "heading"]
        where = f"Alice ch. 1 ({ALICE.name})"
    else:
        paras = [p.strip() for p in STORY.read_text().split("\n\n") if p.strip() and not p.startswith("#")]
        where = STORY.name
    if words:
        out, n = [], 0
        for p in paras:
            if n >= words:
                break
            out.append(p)
            n += len(p.split())
        paras = out
    return where, paras


def write_inputs(paras: list[str], base: Path) -> tuple[Path, Path, Path]:
    """The same text as plain text (floor, peer), Markdown (render), and a cast giving the narrator VOICE."""
    base.mkdir(parents=True, exist_ok=True)
    txt, md, cast = base / "text.txt", base / "text.md", base / "cast.yaml"
    txt.write_text("\n\n".join(paras) + "\n")
    md.write_text("# Bench\n\n## Chapter One\n\n" + "\n\n".join(paras) + "\n")
    cast.write_text(f"narrator: {{voice: {VOICE}, gender: female}}\n")
    return txt, md, cast


# ---------------------------------------------------------------- contenders
def floor_main(text: Path, out: Path, rewritten: bool = False) -> None:
    """The floor: kokoro-onnx, one create() per sentence, nothing else (run as a child process);
    `rewritten`: on the model render loads (kokoro_graph.fast_model), the same audio."""
    import numpy as np
    from kokoro_onnx import Kokoro

    from render import assets
    from render.engines.kokoro_graph import fast_model

    model = fast_model(assets.kokoro_model_path()) if rewritten else assets.kokoro_model_path()
    kokoro = Kokoro(str(model), str(assets.voices_path()))
    sentences = [s for s in re.split(r"(?<=[.!?;:])\s+", text.read_text()) if s.strip()]
    parts = []
    for sentence in sentences:
        samples, rate = kokoro.create(sentence, voice=VOICE, speed=1.0, lang="en-us")
        parts.append(samples)
    sf.write(str(out), np.concatenate(parts), rate)


def peer_venv() -> Path | None:
    """The kokoro-tts CLI in its own venv (made once); None, with a note, when it cannot run here."""
    venv = WORK / "peer-venv"
    exe = venv / "bin" / "kokoro-tts"
    if not exe.exists():
        print(f"installing {PEER} into {venv} (once; pip's output in {WORK / 'peer-install.log'}) ...", flush=True)
        WORK.mkdir(parents=True, exist_ok=True)
        with open(WORK / "peer-install.log", "ab") as log:
            if not (venv / "bin" / "python").exists():
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, stdout=log, stderr=log)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            if subprocess.run([*pip, PEER], stdout=log, stderr=log).returncode:
                print(f"note: could not install {PEER}; the peer is left out")
                return None
    probe = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("note: kokoro-tts does not start here (it needs libportaudio2: `make bench` installs it); "
              f"left out: {probe.stderr.strip().splitlines()[-1:]}")
        return None
    return exe


def render_args(md: Path, cast: Path, out: Path, cache: Path, validate: bool, options=()) -> list[str]:
    args = [sys.executable, "-m", "render.cli", "book", str(md), "--cast", str(cast), "-o", str(out),
            "--cache", str(cache), "--quiet"]
    for option in options:
        args += ["--engine-option", option]
    return args if validate else [*args, "--no-validate"]


def chapters_book(paras: list[str], chapters: int, base: Path) -> tuple[Path, Path]:
    """A book of `chapters` short chapters (one short paragraph each, taken in turn from the text)."""
    base.mkdir(parents=True, exist_ok=True)
    short = [p for p in paras if 8 <= len(p.split()) <= 30] or paras
    lines = ["# Chapters", ""]
    for n in range(chapters):
        lines += [f"## Chapter {n + 1}", "", short[n % len(short)], ""]
    md = base / f"book-{chapters}.md"
    md.write_text("\n".join(lines))
    cast = base / "cast.yaml"
    cast.write_text(f"narrator: {{voice: {VOICE}, gender: female}}\n")
    return md, cast


PLAN_SNIPPET = """
import sys, time
t0 = time.monotonic()
from render.pipeline import BookOptions, plan_book
t1, c1 = time.monotonic(), time.process_time()
plan = plan_book(sys.argv[1], BookOptions(out=sys.argv[2], validate=False))
t2, c2 = time.monotonic(), time.process_time()
print(f"{t2 - t1:.3f} {t1 - t0:.3f} {len(plan.chunks)} {c2 - c1:.3f}")
"""


def planning(base: Path, words: int = 150_000, runs: int = 3) -> tuple[float, float, int, str, float]:
    """(seconds planning, seconds importing, chunks, source, CPU seconds planning) for a novel of
    about `words` words: medians of `runs` fresh processes (one plan is seconds, and a machine
    shared with other work moves a single run by a third)."""
    from bench_attribution import generated_text, pdnc_text

    text = pdnc_text(words)
    source = "PDNC novels" if text else "generated text"
    text = text or generated_text(words)
    novel = base / "novel.txt"
    novel.write_text(text)
    rows = [subprocess.run([sys.executable, "-c", PLAN_SNIPPET, str(novel), str(base / "novel-out")], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split() for _ in range(runs)]
    wall, imports, cpu = (statistics.median(float(r[i]) for r in rows) for i in (0, 1, 3))
    return wall, imports, int(rows[0][2]), f"{len(text.split()):,} words, {source}, median of {runs} runs", cpu


# ---------------------------------------------------------------- report
def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def row(name: str, r: Run, floor: Run | None) -> str:
    ratio = f"{r.wall / floor.wall:6.3f}  {r.cpu / floor.cpu:6.3f}" if floor else "     -       -"
    return (f"{name:<34} {r.wall:8.1f} {r.cpu:8.1f} {r.cores:6.2f} {r.rss:8.0f} {r.audio:8.1f}   {ratio}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per contender; the median is reported [3]")
    ap.add_argument("--words", type=int, default=0, help="use only the text's first N words [all]")
    ap.add_argument("--no-peer", action="store_true", help="leave out the kokoro-tts CLI")
    ap.add_argument("--also", action="append", default=[], metavar="KEY=VALUE",
                    help="one more validated render with these engine options (repeatable)")
    ap.add_argument("--chapter-runs", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    base = WORK / "run"
    shutil.rmtree(base, ignore_errors=True)
    where, paras = text_paragraphs(args.words or None)
    txt, md, cast = write_inputs(paras, base)
    print(f"text: {where}, {sum(len(p.split()) for p in paras):,} words; {load()} at start")
    peer = None if args.no_peer else peer_venv()

    results: dict[str, list[Run]] = {}
    rerun: list[Run] = []
    for n in range(args.runs):
        d = base / f"r{n}"
        d.mkdir()
        contenders = _contenders(d, txt, md, cast, peer, args.also)
        if n % 2:  # every other run in the opposite order (A B, B A): a machine that drifts slows all alike
            contenders.reverse()
        for name, run in contenders:
            results.setdefault(name, []).append(run())
            r = results[name][-1]  # each run's own figures too: a median of two hides its spread
            print(f"  {name:<34} wall {r.wall:7.1f} s  CPU {r.cpu:7.1f} s  peak {r.rss:6.0f} MB", flush=True)
        again = measure(render_args(md, cast, d / "out-True", d / "cache-True", True), d / "rerun.log")
        rerun.append(again)
        print(f"run {n + 1} of {args.runs} done; {load()}", flush=True)

    table = {name: median(runs) for name, runs in results.items()}
    table["render book again, finished book"] = median(rerun)
    floor = table["floor: kokoro-onnx per sentence"]
    print(f"\nmedian of {args.runs} run(s); ratios are to the floor; {load()} at the end")
    print(f"{'':<34} {'wall s':>8} {'CPU s':>8} {'cores':>6} {'RSS MB':>8} {'audio s':>8}   wall×   CPU×")
    for name, r in table.items():
        print(row(name, r, floor))
    print("\nCPU-cores-busy (CPU s / wall s; 2.00 = both cores all the time):")
    for name, r in table.items():
        during = f"{r.synth_cores:.2f} during synthesis (first to last chunk stored)" if r.synth_cores else ""
        print(f"  {name:<34} {r.cores:.2f} over the whole process{'; ' + during if during else ''}")

    sizes = {}
    _, every = text_paragraphs(None)
    for chapters in (3, 12):
        bmd, bcast = chapters_book(every, chapters, base / f"ch{chapters}")
        r = measure(render_args(bmd, bcast, base / f"ch{chapters}" / "out", base / f"ch{chapters}" / "cache", True),
                    base / f"ch{chapters}.log")
        sizes[chapters] = r
        print(f"peak RSS, {chapters:2d}-chapter book (validated): {r.rss:6.0f} MB  ({r.wall:.1f} s wall)")
    plan_s, import_s, chunks, what, plan_cpu = planning(base)
    print(f"planning a novel of {what}: {plan_s:.2f} s wall, {plan_cpu:.2f} s CPU "
          f"({chunks} chunks; imports {import_s:.2f} s more)")

    checked, plain = table["render book (validated)"], table["render book --no-validate"]
    again = table["render book again, finished book"]
    peer_row = table.get(f"peer: {PEER}")
    targets = [
        ("validated wall <= 1.00 x floor", checked.wall / floor.wall, 1.00),
        ("--no-validate wall <= 0.92 x floor", plain.wall / floor.wall, 0.92),
        ("cores busy in synthesis >= 1.9 (--no-validate)", -plain.synth_cores, -1.9),
        ("cores busy in synthesis >= 1.9 (validated)", -checked.synth_cores, -1.9),
        ("peak RSS <= 1000 MB (validated)", checked.rss, 1000),
        ("peak RSS <= 1000 MB (12 chapters)", sizes[12].rss, 1000),
        ("re-run <= 2 % of first run", 100 * again.wall / checked.wall, 2.0),
        ("planning 150k words <= 3 s", plan_s, 3.0),
    ]
    print("\ntargets:")
    for name, value, limit in targets:
        shown = -value if value < 0 and limit < 0 else value
        print(f"  {'met    ' if value <= limit else 'NOT met'}  {name:<48} {shown:.3f}")
    if FLOOR_RW in table:
        rw = table[FLOOR_RW]
        print(f"  (against the floor on render's own model: validated wall x{checked.wall / rw.wall:.3f}, "
              f"--no-validate x{plain.wall / rw.wall:.3f}; CPU x{checked.cpu / rw.cpu:.3f} / x{plain.cpu / rw.cpu:.3f})")
    if peer_row:
        print(f"  (validated render vs peer: wall x{checked.wall / peer_row.wall:.3f}, "
              f"CPU x{checked.cpu / peer_row.cpu:.3f}, RSS x{checked.rss / peer_row.rss:.3f})")


def _contenders(d: Path, txt: Path, md: Path, cast: Path, peer: Path | None, also: list[str]):
    """(name, a function measuring it once) for each contender of one run, in the order of the table."""
    def floor() -> Run:
        r = measure([sys.executable, __file__, "--floor", str(txt), str(d / "floor.wav")], d / "floor.log")
        r.audio = seconds_of(d / "floor.wav")
        return r

    def floor_rewritten() -> Run:
        r = measure([sys.executable, __file__, "--floor-rewritten", str(txt), str(d / "floor-rw.wav")],
                    d / "floor-rw.log")
        r.audio = seconds_of(d / "floor-rw.wav")
        return r

    def kokoro_tts() -> Run:
        r = measure([str(peer), str(txt), str(d / "peer.wav"), "--voice", VOICE, "--model",
                     str(_asset("kokoro_model_path")), "--voices", str(_asset("voices_path"))],
                    d / "peer.log", cwd=d)
        r.audio = seconds_of(d / "peer.wav")
        return r

    def render(validate: bool, tag: str, options=()):
        def run() -> Run:
            out, cache = d / f"out-{tag}", d / f"cache-{tag}"
            r = measure(render_args(md, cast, out, cache, validate, options), d / f"render-{tag}.log", cache=cache)
            r.audio = seconds_of(*sorted((out / "chapters").glob("*.wav")))
            return r
        return run

    out = [("floor: kokoro-onnx per sentence", floor)]
    if _asset_rewritten():
        out.append((FLOOR_RW, floor_rewritten))
    if peer:
        out.append((f"peer: {PEER}", kokoro_tts))
    out += [("render book --no-validate", render(False, "False")),
            ("render book (validated)", render(True, "True"))]
    if also:
        out.append((f"render book ({', '.join(also)})", render(True, "also", also)))
    return out


FLOOR_RW = "floor on render's model"


def _asset_rewritten() -> bool:
    """Whether render loads a rewritten model on this CPU (then the floor runs on it too)."""
    from render.engines.kokoro_graph import fast_model

    return fast_model(_asset("kokoro_model_path")) != _asset("kokoro_model_path")


def _asset(name: str) -> Path:
    from render import assets

    return getattr(assets, name)()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("--floor", "--floor-rewritten"):
        floor_main(Path(sys.argv[2]), Path(sys.argv[3]), rewritten=sys.argv[1] == "--floor-rewritten")
    else:
        main()
