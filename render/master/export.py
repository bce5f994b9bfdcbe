"""Writing finished audio: chapter WAVs atomically, and MP3 / M4B with chapter markers via ffmpeg."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from ..engines.base import Audio
from ..atomic import atomic_write, atomic_write_text
from ..errors import RenderError

FORMATS = ("wav", "mp3", "m4b")


def write_wav(path: Path, audio: Audio) -> None:
    """16-bit PCM WAV written to a temp file and renamed into place."""
    samples = np.clip(audio.samples, -1, 1)
    atomic_write(path, lambda f: sf.write(f, samples, audio.sample_rate, format="WAV", subtype="PCM_16"))


def write_json(path: Path, data) -> None:
    """JSON written atomically."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def ffmpeg_exe() -> str:
    """ffmpeg from PATH, else the binary the imageio-ffmpeg wheel carries."""
    exe = shutil.which("ffmpeg")
    if exe:
        return exe
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise RenderError("MP3/M4B export needs ffmpeg; run `make setup` (it installs imageio-ffmpeg) "
                          "or use --format wav") from None


def _ffmetadata(chapters: list[dict], title: str) -> str:
    def esc(s: str) -> str:
        return "".join("\\" + c if c in "=;#\\\n" else c for c in s)

    lines = [";FFMETADATA1", f"title={esc(title)}"]
    t = 0.0
    for ch in chapters:
        start, end = int(t * 1000), int((t + ch["seconds"]) * 1000)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}", f"title={esc(ch['title'])}"]
        t += ch["seconds"]
    return "\n".join(lines) + "\n"


def export_book(wavs: list[Path], chapters: list[dict], title: str, dest: Path, fmt: str) -> Path:
    """Join chapter WAVs into one MP3 or M4B file with chapter markers."""
    if fmt not in ("mp3", "m4b"):
        raise RenderError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    exe = ffmpeg_exe()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        listing = Path(tmp) / "list.txt"
        listing.write_text("".join(f"file '{Path(w).resolve()}'\n" for w in wavs))
        meta = Path(tmp) / "meta.txt"
        meta.write_text(_ffmetadata(chapters, title), encoding="utf-8")
        out = Path(tmp) / f"book.{fmt}"
        codec = ["-c:a", "libmp3lame", "-q:a", "4"] if fmt == "mp3" else ["-c:a", "aac", "-b:a", "64k", "-f", "mp4"]
        cmd = [exe, "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(meta),
               "-map_metadata", "1", "-map_chapters", "1", *codec, str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RenderError(f"ffmpeg failed making {dest}: {proc.stderr.strip()[-300:]}")
        os.replace(out, dest)
    return dest
