"""MP3 and M4B export with chapter markers, through a real ffmpeg."""

import re
import subprocess

import numpy as np
import pytest

from render.engines.base import Audio
from render.master.export import export_book, ffmpeg_exe, write_wav


def chapters(tmp_path):
    rate = 24000
    wavs, meta = [], []
    for i, (freq, secs) in enumerate([(220, 2.0), (330, 3.0)], 1):
        t = np.arange(int(rate * secs)) / rate
        path = tmp_path / f"{i:03d}.wav"
        write_wav(path, Audio((0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate))
        wavs.append(path)
        meta.append({"title": f"Chapter {i}: Tea & Rain", "seconds": secs})
    return wavs, meta


def read_chapters(path):
    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    bases = [(int(n), int(d)) for n, d in re.findall(r"^TIMEBASE=(\d+)/(\d+)", proc.stdout, re.M)]
    starts = [round(int(x) * n * 1000 / d) for x, (n, d) in
              zip(re.findall(r"^START=(\d+)", proc.stdout, re.M), bases)]
    titles = re.findall(r"^title=(.*)$", proc.stdout, re.M)
    return starts, titles


@pytest.mark.parametrize("fmt", ["m4b", "mp3"])
def test_whole_book_export_carries_chapter_markers(tmp_path, fmt):
    wavs, meta = chapters(tmp_path)
    out = export_book(wavs, meta, "A Test Book", tmp_path / f"book.{fmt}", fmt)
    assert out.exists() and out.stat().st_size > 1000
    starts, titles = read_chapters(out)
    assert len(starts) == 2 and starts[0] == 0 and abs(starts[1] - 2000) <= 50
    assert "Chapter 2: Tea & Rain" in titles
    assert not list(tmp_path.glob("*.part"))
