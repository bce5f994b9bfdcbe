"""`render check`: each finished chapter measured against ACX's audio submission requirements."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from ..errors import InputError
from .export import EXPORT_RATE, MP3_BITRATE, ffmpeg_exe
from .level import FLOOR_DB, noise_floor_db, rms_db, true_peak_db, window_rms_db

# ACX (Audible) requirements, as (low, high); None = unbounded
RULES = {
    "rms": (-23.0, -18.0),  # dBFS, whole file
    "peak": (None, -3.0),  # dBFS (true peak)
    "noise_floor": (None, -60.0),  # dBFS, quietest half second
    "room_tone": (-100.0, None),  # dBFS: the quietest half second is room tone, not digital silence
    "head": (0.5, 1.0),  # seconds of room tone before the first word
    "tail": (1.0, 5.0),  # seconds after the last word
    "minutes": (None, 120.0),  # one file at most two hours
}
EDGE_WINDOW = 0.02  # seconds per window when finding the first and last word
EDGE_ABOVE_FLOOR_DB = 20.0  # a window is speech when this far above the noise floor ...
EDGE_MIN_DB = -50.0  # ... and above this level
EDGE_MAX_DB = -35.0  # (a window this loud is speech, however noisy the floor)


@dataclass
class ChapterCheck:
    """One chapter's measurements and the ACX rules it breaks."""

    index: int
    title: str
    file: str
    seconds: float
    rms: float
    peak: float
    noise_floor: float
    head: float
    tail: float
    failed: list[str] = field(default_factory=list)  # 'rms -17.2 (ACX: -23..-18)'

    @property
    def passed(self) -> bool:
        return not self.failed


def edges(samples: np.ndarray, rate: int, floor: float) -> tuple[float, float]:
    """Seconds of room tone before the first and after the last speech window."""
    levels = window_rms_db(samples, rate, EDGE_WINDOW, EDGE_WINDOW)
    loud = np.flatnonzero(levels > min(EDGE_MAX_DB, max(EDGE_MIN_DB, floor + EDGE_ABOVE_FLOOR_DB)))
    total = samples.size / rate
    if loud.size == 0:
        return total, total
    return loud[0] * EDGE_WINDOW, max(0.0, total - (loud[-1] + 1) * EDGE_WINDOW)


def _bounds(low, high) -> str:
    if low is None:
        return f"<= {high:g}"
    if high is None:
        return f">= {low:g}"
    return f"{low:g}..{high:g}"


def check_file(path: Path, index: int = 0, title: str = "") -> ChapterCheck:
    """Measure one WAV against the ACX rules."""
    samples, rate = sf.read(path, dtype="float32", always_2d=True)
    return _check(samples.mean(axis=1), rate, path, index, title)


def check_mp3(path: Path, index: int = 0, title: str = "") -> ChapterCheck:
    """Measure one MP3 (decoded by ffmpeg) against the ACX rules, and its format: 44.1 kHz, 192 kbps CBR."""
    exe = ffmpeg_exe()
    probe = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    stream = re.search(r"Audio: mp3.*?(\d+) Hz.*?(\d+) kb/s", probe.stderr)
    decoded = subprocess.run([exe, "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-"], capture_output=True)
    if decoded.returncode != 0:
        raise InputError(f"{path}: not a readable MP3 ({decoded.stderr.decode(errors='replace').strip()[-200:]}); "
                         "export it again (`render assemble OUT --format mp3`)")
    rate = int(stream.group(1)) if stream else 0
    row = _check(np.frombuffer(decoded.stdout, np.float32), rate or EXPORT_RATE, path, index, title)
    if not stream or rate != EXPORT_RATE or stream.group(2) != MP3_BITRATE.rstrip("k"):
        found = f"{stream.group(1)} Hz, {stream.group(2)} kb/s" if stream else "no MP3 stream"
        row.failed.append(f"format {found} (ACX: {EXPORT_RATE} Hz, {MP3_BITRATE}bps CBR)")
    return row


def _check(samples: np.ndarray, rate: int, path: Path, index: int, title: str) -> ChapterCheck:
    floor = noise_floor_db(samples, rate)
    head, tail = edges(samples, rate, floor)
    row = ChapterCheck(index, title, str(path), samples.size / rate, rms_db(samples), true_peak_db(samples),
                       floor, head, tail)
    values = {"rms": row.rms, "peak": row.peak, "noise_floor": floor, "room_tone": floor,
              "head": head, "tail": tail, "minutes": row.seconds / 60}
    for name, (low, high) in RULES.items():
        v = values[name]
        if (low is not None and v < low) or (high is not None and v > high):
            row.failed.append(f"{name} {v:.2f} (ACX: {_bounds(low, high)})")
    return row


def check_book(out: Path) -> list[ChapterCheck]:
    """Every chapter of the book planned in OUT, checked; a chapter not yet mastered fails as such."""
    from ..plan.manifest import read_manifest
    from .assemble import MP3_DIR, read_exports
    from .chapters import chapter_file, chapter_records

    out = Path(out)
    try:
        book = json.loads((out / "book.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{out} is not a render output folder (no book.json); render the book first") from None
    except ValueError:
        raise InputError(f"{out / 'book.json'} is not JSON; plan the book again (`render plan`)") from None
    records, missing = chapter_records(out, book, read_manifest(out / "manifest.jsonl"))
    rows = [check_file(out / r["file"], r["index"], r["title"]) for r in records]
    sources = read_exports(out).get("sources") or {}
    for r in records:  # the chapter MP3s, when they were exported
        rel = f"{MP3_DIR}/{chapter_file(r['index'], r['title'], '.mp3')}"
        if (out / rel).exists():
            rows.append(check_mp3(out / rel, r["index"], r["title"]))
            if sources.get(rel) != r["digest"]:
                rows[-1].failed.append(f"stale: made from an older {r['file']} (run `render assemble {out}` or `make book`)")
    titles = {c["index"]: c["title"] for c in book["chapters"]}
    for index in missing:
        rows.append(ChapterCheck(index, titles.get(index, ""), "", 0.0, FLOOR_DB, FLOOR_DB, FLOOR_DB, 0.0, 0.0,
                                 failed=["not rendered for the current plan (run `make -C OUT all` or `render book`)"]))
    return sorted(rows, key=lambda r: (r.index, r.file.endswith(".mp3")))
