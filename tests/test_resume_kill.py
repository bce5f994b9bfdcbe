"""Crash-proof resume: many SIGKILLs at seeded random points of the work, and two renders of one book at once (slow)."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from render.plan.manifest import read_manifest

from .pausing import start_paused

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

TEXT = """# Harbour Tea

## One

The kettle sang on the stove. "Is it ready?" asked Ada. "Nearly," said Ben. "Give it one more minute."

Ada waited by the window and watched the rain. The street below was empty and shining, and a gull
stood on the wall as if it owned the whole harbour.

"Do you think the ferry will run tomorrow?" asked Ada.

"If the wind drops," said Ben. "It usually does by morning."

## Two

"Now it is ready," said Ben, and he poured two cups. Ada thanked him and sat down.

They drank their tea slowly while the rain went on and on. Nobody said another word until the
lamps came on along the quay.

## Three

In the morning the wind had dropped, just as Ben had promised. The ferry sounded its horn twice
from the far side of the water, and the gulls rose from the wall all at once.

"You were right," said Ada, pulling on her coat. "I will be home before dinner."

"Take the umbrella anyway," said Ben. "The sky has changed its mind before."

She laughed, took the umbrella, and walked down the hill toward the pier, where a small crowd was
already waiting with bags and baskets and one very patient dog.
"""


def command(src, out, cache):
    return [sys.executable, "-m", "render.cli", "book", str(src), "-o", str(out), "--cache", str(cache),
            "--quiet"]


def chapter_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "chapters").glob("*.wav"))}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("reference")
    src = base / "harbour.md"
    src.write_text(TEXT)
    proc = subprocess.run(command(src, base / "out", base / "cache"), cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return src, chapter_bytes(base / "out"), {c.key for c in read_manifest(base / "out" / "manifest.jsonl")}


def syntheses(cache: Path) -> Counter:
    log = cache / "synth.log"
    if not log.exists():
        return Counter()
    # first syntheses only: a validation fallback replacing a take is logged as a retake
    return Counter(line.split()[0] for line in log.read_text().splitlines() if not line.endswith("retake"))


def test_twenty_random_kills_then_identical_output(reference, tmp_path):
    src, want, keys = reference
    out, cache = tmp_path / "out", tmp_path / "cache"
    rng = random.Random(20261121)
    kills = 0
    while kills < 20:
        # each run pauses itself after 1-3 cache writes (a take, a batch's verdicts or a settled
        # chunk), so the kills land at varied points of the work whatever the machine's speed
        proc = start_paused(command(src, out, cache), ROOT, rng.randint(1, 3), tmp_path / "paused")
        if proc is None:  # it finished before this kill
            break
        proc.kill()
        proc.communicate()
        kills += 1
    finish = subprocess.run(command(src, out, cache), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert finish.returncode == 0, finish.stderr
    assert kills == 20, f"the book finished after {kills} kills; make it longer"
    made = syntheses(cache)
    assert set(made) == keys
    assert max(made.values()) == 1, f"re-synthesized: {[k[:8] for k, n in made.items() if n > 1]}"
    assert chapter_bytes(out) == want
    print(f"{kills} kills survived; {len(made)} chunks, each synthesized once")


def test_two_renders_at_once_share_the_work(reference, tmp_path):
    src, want, keys = reference
    out, cache = tmp_path / "out", tmp_path / "cache"
    procs = [subprocess.Popen(command(src, out, cache), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        results = [p.communicate(timeout=900) for p in procs]
    finally:
        for p in procs:  # never leave a render running behind a failed test
            p.kill()
            p.wait()
    assert [p.returncode for p in procs] == [0, 0], results
    made = syntheses(cache)
    assert set(made) == keys and max(made.values()) == 1
    assert chapter_bytes(out) == want
    assert not list((cache / "locks").iterdir())
