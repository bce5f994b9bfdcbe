"""Writing finished audio: chapter WAVs atomically; M4B with chapter markers, tags and cover, and
tagged chapter MP3s (192 kbps CBR, 44.1 kHz), via ffmpeg."""

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
from .metadata import BookMetadata

FORMATS = ("wav", "mp3", "m4b")
M4B_BITRATE = "64k"  # AAC, mono speech: the bitrate audiobook stores use
MP3_BITRATE = "192k"  # ACX: 192 kbps or more, constant bitrate
EXPORT_RATE = 44100  # ACX: 44.1 kHz


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


def _esc(s: str) -> str:
    return "".join("\\" + c if c in "=;#\\\n" else c for c in s)


def _tags(meta: BookMetadata) -> dict[str, str]:
    """ffmpeg's global tag names (MP4 and ID3 both map them) for the book."""
    tags = {"title": meta.title, "album": meta.title, "artist": meta.author, "album_artist": meta.author,
            "composer": meta.narrator, "date": meta.year, "genre": meta.genre,
            "description": meta.description, "comment": meta.comment() or None}
    return {k: v for k, v in tags.items() if v}


def _ffmetadata(chapters: list[dict], title: str, meta: BookMetadata | None = None) -> str:
    esc = _esc
    tags = _tags(meta) if meta else {"title": title}
    lines = [";FFMETADATA1", *(f"{k}={esc(v)}" for k, v in tags.items())]
    t = 0.0
    for ch in chapters:
        start, end = int(t * 1000), int((t + ch["seconds"]) * 1000)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}", f"title={esc(ch['title'])}"]
        t += ch["seconds"]
    return "\n".join(lines) + "\n"


def _run(cmd: list[str], dest: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RenderError(f"ffmpeg failed making {dest}: {proc.stderr.strip()[-300:]}")


def _cover_args(meta: BookMetadata | None, index: int) -> tuple[list[str], list[str]]:
    """ffmpeg input and output arguments that embed the cover as an attached picture."""
    if not meta or not meta.cover:
        return [], []
    return ["-i", str(meta.cover)], ["-map", f"{index}:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]


def export_book(wavs: list[Path], chapters: list[dict], title: str, dest: Path, fmt: str,
                meta: BookMetadata | None = None) -> Path:
    """Join chapter WAVs into one M4B (or MP3) with chapter markers, and the book's tags and cover."""
    if fmt not in ("mp3", "m4b"):
        raise RenderError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    exe = ffmpeg_exe()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        listing = Path(tmp) / "list.txt"
        listing.write_text("".join(f"file '{Path(w).resolve()}'\n" for w in wavs))
        ffmeta = Path(tmp) / "meta.txt"
        ffmeta.write_text(_ffmetadata(chapters, title, meta), encoding="utf-8")
        out = Path(tmp) / f"book.{fmt}"
        if fmt == "mp3":
            codec = ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-id3v2_version", "3"]
        else:
            codec = ["-c:a", "aac", "-b:a", M4B_BITRATE, "-f", "mp4", "-brand", "M4B ",
                     "-metadata:s:a:0", f"language={meta.language3 if meta else 'und'}"]
        cover_in, cover_out = _cover_args(meta, 2)
        cmd = [exe, "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(ffmeta),
               *cover_in, "-map", "0:a", *cover_out, "-map_metadata", "1", "-map_chapters", "1",
               "-ar", str(EXPORT_RATE), *codec, str(out)]
        _run(cmd, dest)
        os.replace(out, dest)
    return dest


def export_chapter_mp3(wav: Path, dest: Path, meta: BookMetadata, title: str, track: int, total: int) -> Path:
    """One chapter as MP3 (192 kbps CBR, 44.1 kHz) with ID3v2.3 tags, track number and cover."""
    exe = ffmpeg_exe()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tags = dict(_tags(meta), title=title, track=f"{track}/{total}", language=meta.language3)
    cover_in, cover_out = _cover_args(meta, 1)
    tmp = dest.with_name(f".{dest.name}.part.mp3")
    cmd = [exe, "-v", "error", "-y", "-i", str(wav), *cover_in, "-map", "0:a", *cover_out,
           "-map_metadata", "-1", *(a for k, v in tags.items() for a in ("-metadata", f"{k}={v}")),
           "-ar", str(EXPORT_RATE), "-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-id3v2_version", "3", str(tmp)]
    try:
        _run(cmd, dest)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
