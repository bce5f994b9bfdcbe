"""`render batch`: a library of books here, or on a local Ray cluster (slow tests use real Kokoro)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from render.batch import cast_for, find_books
from render.cli import main
from render.errors import InputError

from .pausing import start_paused

ROOT = Path(__file__).resolve().parents[1]

# two short books of two chapters each (8 and 5 chunks, ~12 s of speech): the library every real
# render here makes, in this process, in a process of its own and on Ray
HARBOUR = """# The Harbour

## Morning

"Any luck?" asked Nell. "Two crates," said Tom.

## Evening

"Same again tomorrow," said Tom, and he laughed.
"""

ORCHARD = """THE ORCHARD

CHAPTER I.

"One more week," said the old man to the boy.

CHAPTER II.

The boy waited by the gate.
"""


def _library(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "harbour.md").write_text(HARBOUR)
    (folder / "orchard.txt").write_text(ORCHARD)
    (folder / "harbour.cast.yaml").write_text(
        "narrator: {voice: bm_george, gender: male}\n"
        "characters:\n  - {name: Nell, gender: female, voice: af_bella}\n"
        "  - {name: Tom, gender: male, voice: am_michael}\n")
    return folder


def test_batch_help_names_ray_and_casts():
    result = CliRunner().invoke(main, ["batch", "--help"])
    assert result.exit_code == 0
    assert "--ray" in result.output and "--casts" in result.output and "resum" in result.output.lower()


def test_find_books_expands_folders_and_names_what_is_missing(tmp_path):
    lib = _library(tmp_path / "lib")
    (lib / "notes.json").write_text("{}")
    assert [p.name for p in find_books([lib])] == ["harbour.md", "orchard.txt"]
    with pytest.raises(InputError, match="nowhere.epub: no such file"):
        find_books([tmp_path / "nowhere.epub"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no manuscripts here"):
        find_books([tmp_path / "empty"])


def test_cast_is_found_in_the_casts_folder_before_beside_the_book(tmp_path):
    lib = _library(tmp_path / "lib")
    assert cast_for(lib / "harbour.md", None) == lib / "harbour.cast.yaml"
    assert cast_for(lib / "orchard.txt", None) is None
    casts = tmp_path / "casts"
    casts.mkdir()
    (casts / "orchard.cast.yml").write_text("narrator: {voice: bf_emma, gender: female}\n")
    assert cast_for(lib / "orchard.txt", casts) == casts / "orchard.cast.yml"


def test_ray_not_installed_says_how_to_install(tmp_path, monkeypatch):
    lib = _library(tmp_path / "lib")
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` does where it is not installed
    result = CliRunner().invoke(main, ["batch", str(lib), "--ray", "--cache", str(tmp_path / "c")])
    assert result.exit_code != 0
    assert "pip install 'render[ray]'" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- real renders

def _batch(lib, out_root, cache, *extra, env=None, **kw):
    args = [sys.executable, "-m", "render.cli", "batch", str(lib), "--out-root", str(out_root),
            "--cache", str(cache), "--no-validate", "-q", *extra]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env=env or os.environ.copy(), **kw)


def _chapters(out_root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out_root)): p.read_bytes() for p in sorted(out_root.glob("*/chapters/*.wav"))}


def _made(cache: Path) -> Counter:
    return Counter(line.split()[0] for line in (cache / "synth.log").read_text().splitlines())


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """The library rendered here, one book after another, plus a broken book that is skipped."""
    base = tmp_path_factory.mktemp("local")
    lib = _library(base / "lib")
    (lib / "broken.epub").write_bytes(b"this is not a zip file")
    # in this process, which has Kokoro loaded already; the run again below is a process of its own
    done = CliRunner().invoke(main, ["batch", str(lib), "--out-root", str(base / "out"), "--cache",
                                     str(base / "cache"), "--no-validate", "-q"])
    return {"base": base, "lib": lib, "run": done, "chapters": _chapters(base / "out")}


@pytest.mark.slow
def test_local_batch_renders_every_good_book_and_reports_the_bad_one(local):
    run = local["run"]
    assert run.exit_code == 1, run.output  # the broken book makes the batch non-zero
    assert "broken.epub" in run.stdout and "error:" in run.stdout and "Traceback" not in run.stderr
    assert isinstance(run.exception, SystemExit), run.exception  # an exit code, not an exception raised
    assert sorted({k.split("/")[0] for k in local["chapters"]}) == ["harbour", "orchard"]
    assert len(local["chapters"]) == 4
    again = _batch(local["lib"], local["base"] / "out", local["base"] / "cache")
    rows = {line.split()[0]: line.split() for line in again.stdout.splitlines()[1:] if "error" not in line}
    assert all(row[2] == "0" for row in rows.values()), again.stdout  # nothing new: all from the cache


@pytest.fixture(scope="module")
def ray_library(local, tmp_path_factory):
    pytest.importorskip("ray", reason="Ray is not installed (pip install 'render[ray]')")
    base = tmp_path_factory.mktemp("ray")
    lib = _library(base / "lib")  # the good books only
    return base, lib


@pytest.mark.slow
def test_killed_ray_batch_resumes_without_synthesizing_a_chunk_twice(local, ray_library, tmp_path):
    """On a local Ray cluster: a batch stopped by Ctrl-C after its third cache write (one worker, two
    groups in flight on it: one actor's start-up less than two), then run again with two workers,
    finishes byte-identical to the local render with every chunk synthesized once. (The second run
    renders nearly the whole library on two actors at once: it is also the from-scratch check.)"""
    base, lib = ray_library
    out, cache, marker = base / "out", base / "cache", tmp_path / "paused"
    args = [sys.executable, "-m", "render.cli", "batch", str(lib), "--out-root", str(out), "--cache",
            str(cache), "--no-validate", "-q", "--ray", "--workers", "1"]
    proc = start_paused(args, ROOT, 3, marker)  # the driver pauses itself after its 3rd cache write
    assert proc is not None, "the batch finished before its 3rd cache write"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130 and "run the same command again" in stderr, stderr
    before = _made(cache)
    assert sum(before.values()) == 3
    finish = _batch(lib, out, cache, "--ray", "--workers", "2")
    assert finish.returncode == 0, finish.stderr
    assert _chapters(out) == local["chapters"]
    made = _made(cache)
    assert max(made.values()) == 1, "a chunk was synthesized twice"
    manifests = [json.loads(line)["key"] for m in out.glob("*/manifest.jsonl") for line in m.read_text().splitlines()]
    assert set(made) == set(manifests)
