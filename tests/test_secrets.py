"""A render with a recognisable secret leaves it in no file, log line, message or progress output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from render.engines.secrets import public_options, redact, remember, safe_url
from tests.loopback import SpeechServer

ROOT = Path(__file__).resolve().parents[1]
OPTION_SECRET = "sk-RENDERTEST-option-7f3a9c1e"
ENV_SECRET = "tok-RENDERTEST-env-52d8e0b4"

STORY = """# Keys

## One

"Who has the key?" asked Nell. "I do," said Owen.

The door opened onto the stairs.
"""


def grep_tree(root: Path, needles: list[str]) -> list[str]:
    """Files under root whose bytes contain any needle."""
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {n}" for n in needles if n.encode() in data]
    return hits


@pytest.fixture
def server():
    s = SpeechServer("openai")
    yield s
    s.stop()


def test_no_secret_reaches_any_file_or_output(tmp_path, server):
    # the server answers the first request with an error echoing the credential, as careless ones do
    server.queue(("status", 500, "bad header Authorization: Bearer " + OPTION_SECRET))
    (tmp_path / "keys.md").write_text(STORY)
    (tmp_path / "cast.yaml").write_text("narrator: {voice: fable, gender: male}\nsettings:\n  engine:\n"
                                        "    options: {api_key: '${RENDER_TEST_TOKEN}'}\n"
                                        "    pool: {backoff: 0.01}\n")
    out, cache = tmp_path / "out", tmp_path / "cache"
    env = dict(os.environ, RENDER_TEST_TOKEN=ENV_SECRET, OPENAI_API_KEY=ENV_SECRET)
    base = [sys.executable, "-m", "render.cli", "-vv", "book", str(tmp_path / "keys.md"), "--cast",
            str(tmp_path / "cast.yaml"), "-o", str(out), "--cache", str(cache), "--engine", "openai",
            "--server", server.url, "--no-validate"]
    first = subprocess.run(base + ["--engine-option", f"api_key={OPTION_SECRET}",
                                   "--engine-option", "model=tts-test"],
                           capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    assert server.headers[0]["Authorization"] == f"Bearer {OPTION_SECRET}"  # it was sent, to the server only
    # redo reads the key again (the cast's ${VAR}); book.json never had it
    redo = subprocess.run([sys.executable, "-m", "render.cli", "redo", str(out), "--chunk", "c001-0001", "--cache",
                           str(cache), "--no-validate", "--quiet"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert redo.returncode == 0, redo.stderr[-2000:]
    assert server.headers[-1]["Authorization"] == f"Bearer {ENV_SECRET}" and server.bodies[-1]["model"] == "tts-test"
    # the key from the cast's ${VAR} and the environment, and a failing run with a message
    server.queue(*[("status", 401, "token " + ENV_SECRET + " revoked")] * 4)
    (tmp_path / "keys.md").write_text(STORY.replace("stairs", "garden"))
    second = subprocess.run(base, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert second.returncode != 0 and "unauthorised" in second.stderr
    assert server.headers[-1]["Authorization"] == f"Bearer {ENV_SECRET}"
    needles = [OPTION_SECRET, ENV_SECRET]
    assert grep_tree(out, needles) == [] and grep_tree(cache, needles) == []
    for stream in (first.stdout, first.stderr, redo.stdout, redo.stderr, second.stdout, second.stderr):
        assert not any(n in stream for n in needles), stream[-2000:]
    assert "***" in first.stderr  # the echoed credential was blanked, not dropped silently


def test_redaction_helpers():
    remember("hunter2-very-secret")
    assert redact("pw hunter2-very-secret here") == "pw *** here"
    assert redact("at <_io.BytesIO object at 0x7f3b2c1d>") == "at (in-memory data)"
    assert safe_url("http://user:pa55word@gpu:8000/x?api_key=abc&q=1") == "http://***@gpu:8000/x?api_key=***&q=1"
    assert public_options({"api_key": "x", "auth_token": "y", "password": "z", "model": "m", "timeout": 3}) == \
        {"model": "m", "timeout": 3}
