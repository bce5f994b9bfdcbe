"""A model file missing at synthesis time stops `render book` with one line (exit 3), instead of
being retried as an engine fault on every chunk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from render import assets

ROOT = Path(__file__).resolve().parents[1]


def test_book_without_the_kokoro_model_stops_with_one_line(tmp_path):
    try:
        voices = assets.voices_path()
    except Exception as exc:  # the dev machine has them; a bare checkout says why it skips
        pytest.skip(f"Kokoro voices not installed ({exc})")
    models = tmp_path / "models"  # the voices, but no model: planning works, synthesis cannot
    models.mkdir()
    (models / voices.name).symlink_to(voices)
    book = tmp_path / "book.md"
    book.write_text("# Book\n\n## One\n\nThe lamp was lit.\n\nThe boat came in.\n")
    env = dict(os.environ, RENDER_MODELS=str(models))
    proc = subprocess.run([sys.executable, "-m", "render.cli", "book", str(book), "-o", str(tmp_path / "out"),
                           "--cache", str(tmp_path / "cache"), "--no-validate", "--quiet"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Kokoro model not found" in lines[0] and "make models" in lines[0], proc.stderr
    assert "engine fault" not in proc.stderr
