"""Crash-proof resume: a SIGKILL after each kind of cache write, and two renders of one book at once (slow)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from render.cli import main
from render.plan.manifest import read_manifest
from render.synth.batches import BATCH_SECONDS, group_key, validation_groups
from render.synth.runner import RunOptions

from .pausing import start_paused

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

# two validation groups: the six chunks of chapter One, then the three of chapter Two (4.2 s and
# 3.4 s of planned speech; a group closes once it holds 3 s, RENDER_BATCH_SECONDS, instead of the
# 24 s a render uses, so the book is a few lines, not half a minute of speech); three speakers
GROUP_SECONDS = "3"
TEXT = """# Harbour Tea

## One

"Is it ready?" asked Ada. "Nearly," said Ben. "Give it one more minute."

## Two

"Now it is ready," said Ben, and he poured two cups.
"""

# Where each kill lands, in the order a render makes its cache writes (all on its main thread, in
# plan order: a group's first takes, then its batch verdicts, then one settling write per chunk;
# after every group, the consistency pass). Each entry: what the cache holds at that point, and the
# write (kind, group, first or last of its kind there) after which the render pauses to be killed.
KILLS = [
    ("the first take of a group stored, the group's others not", ("take", 0, "first")),
    ("every take of the group stored, none of them checked", ("take", 0, "last")),
    ("the group's batch verdicts recorded, no chunk settled", ("verdict", 0, "first")),
    ("part of the group settled, the rest still to settle", ("settle", 0, "first")),
    ("the group all settled, the next group not started", ("settle", 0, "last")),
    ("every chunk settled, the consistency pass under way", ("consistency", None, "first")),
]


def command(src, out, cache):
    return [sys.executable, "-m", "render.cli", "book", str(src), "-o", str(out), "--cache", str(cache),
            "--quiet"]


def chapter_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "chapters").glob("*.wav"))}


@pytest.fixture(scope="module", autouse=True)
def _short_groups():
    """Every render here, in this process or started from it, groups 3 s of speech per Whisper call."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(BATCH_SECONDS, GROUP_SECONDS)
        yield


@pytest.fixture(scope="module")
def reference(tmp_path_factory, _short_groups):
    base = tmp_path_factory.mktemp("reference")
    src = base / "harbour.md"
    src.write_text(TEXT)
    # in this process, which has the models loaded already: the renders it is compared with are
    # each a process of their own, so this also checks that both ways give the same bytes
    result = CliRunner().invoke(main, command(src, base / "out", base / "cache")[3:])
    assert result.exit_code == 0, result.output + repr(result.exception)
    chunks = read_manifest(base / "out" / "manifest.jsonl")
    return {"src": src, "chapters": chapter_bytes(base / "out"), "keys": {c.key for c in chunks},
            "chunks": chunks, "consistency": consistency_writes(base / "cache")}


def syntheses(cache: Path) -> Counter:
    log = cache / "synth.log"
    if not log.exists():
        return Counter()
    # first syntheses only: a validation fallback replacing a take is logged as a retake
    return Counter(line.split()[0] for line in log.read_text().splitlines() if not line.endswith("retake"))


def sidecars(cache: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (cache / "objects").glob("*/*.json")}


def consistency_writes(cache: Path) -> int:
    """How many of the consistency pass's sidecar fields (d-vector, verdict) are recorded."""
    return sum(("speaker_embedding" in m) + ("consistency" in m) for m in sidecars(cache).values())


class Progress:
    """What a (killed) render has left in its cache, read against the book's validation groups."""

    def __init__(self, cache: Path, chunks):
        self.cache = cache
        self.groups, seen = [], set()
        for group in validation_groups(chunks, RunOptions().batch_seconds):
            keys = [c.key for c in group if c.key not in seen]
            seen.update(keys)
            self.groups.append((group_key(group), list(dict.fromkeys(keys))))
        self.meta = sidecars(cache)

    def stored(self, g: int) -> int:
        return sum(k in self.meta for k in self.groups[g][1])

    def settled(self, g: int) -> int:
        return sum(k in self.meta and not self.meta[k].get("validation_pending") for k in self.groups[g][1])

    def verdicts(self, g: int) -> bool:
        gkey = self.groups[g][0]
        return (self.cache / "groups" / gkey[:2] / f"{gkey}.json").exists()

    def writes_left(self) -> list[tuple[str, int | None]]:
        """The cache writes a render resumed from here makes, in order, up to the consistency pass's first."""
        writes = []
        for g, (_, keys) in enumerate(self.groups):
            todo = self.settled(g) < len(keys)
            writes += [("take", g)] * (len(keys) - self.stored(g))
            writes += [("verdict", g)] if todo and not self.verdicts(g) else []
            writes += [("settle", g)] * (len(keys) - self.settled(g))
        return writes + [("consistency", None)]

    def after(self, kind: str, group: int | None, which: str) -> int:
        """How many writes from here until the chosen one is made."""
        writes = self.writes_left()
        at = [i for i, w in enumerate(writes) if w == (kind, group)]
        assert at, f"no {kind} write left for group {group}: {writes}"
        return (at[0] if which == "first" else at[-1]) + 1

    def phase(self, consistency_total: int) -> str:
        """Which of KILLS' situations the cache is in."""
        n, s0, s1 = len(self.groups[0][1]), self.settled(0), self.stored(1)
        if self.stored(0) == 1 and not self.verdicts(0):
            return KILLS[0][0]
        if self.stored(0) == n and s0 == 0:
            return KILLS[2][0] if self.verdicts(0) else KILLS[1][0]
        if 0 < s0 < n:
            return KILLS[3][0]
        if s0 == n and s1 == 0:
            return KILLS[4][0]
        done = all(self.settled(g) == len(keys) for g, (_, keys) in enumerate(self.groups))
        if done and 0 < consistency_writes(self.cache) < consistency_total:
            return KILLS[5][0]
        return "somewhere else"


def test_a_kill_after_each_kind_of_write_then_identical_output(reference, tmp_path):
    """A SIGKILL right after each kind of durable cache write (a stored take, a batch's verdicts,
    a settled chunk, the consistency pass's records), each in a fresh process resuming the last:
    the finished book is byte-identical to an uninterrupted render and no chunk is synthesized twice."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert len(Progress(cache, reference["chunks"]).groups) >= 2, "the book must have two validation groups"
    assert reference["consistency"] >= 2, "the consistency pass must make more than one write"
    for where, target in KILLS:
        n = Progress(cache, reference["chunks"]).after(*target)
        proc = start_paused(command(reference["src"], out, cache), ROOT, n, tmp_path / "paused")
        assert proc is not None, f"the render finished before its write number {n} ({where})"
        proc.kill()
        proc.communicate()
        assert Progress(cache, reference["chunks"]).phase(reference["consistency"]) == where
    # the last run in this process (models loaded already): every chunk's audio was made by the
    # killed processes, each resuming the last; this one only assembles the book
    finish = CliRunner().invoke(main, command(reference["src"], out, cache)[3:])
    assert finish.exit_code == 0, finish.output[-2000:] + repr(finish.exception)
    made = syntheses(cache)
    assert set(made) == reference["keys"]
    assert max(made.values()) == 1, f"re-synthesized: {[k[:8] for k, n in made.items() if n > 1]}"
    assert chapter_bytes(out) == reference["chapters"]


def test_two_renders_at_once_share_the_work(reference, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    procs = [subprocess.Popen(command(reference["src"], out, cache), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        results = [p.communicate(timeout=900) for p in procs]
    finally:
        for p in procs:  # never leave a render running behind a failed test
            p.kill()
            p.wait()
    assert [p.returncode for p in procs] == [0, 0], results
    made = syntheses(cache)
    assert set(made) == reference["keys"] and max(made.values()) == 1
    assert chapter_bytes(out) == reference["chapters"]
    assert not list((cache / "locks").iterdir())
