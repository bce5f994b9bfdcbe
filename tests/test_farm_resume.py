"""Killing a render that uses a farm of servers, then running it again, resumes like a local one;
temp files of writes cut short by a kill are swept at the next start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from render.atomic import host_tag
from render.synth.cache import sweep_temp_files
from tests.loopback import SpeechServer

ROOT = Path(__file__).resolve().parents[1]
STORY = "# Tide\n\n## One\n\n" + "\n\n".join(
    f'"Line {n} of the watch is done," said {"Nell" if n % 2 else "Owen"}. The sea rose a little.' for n in range(8))


def dead_pid() -> int:
    """The id of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_kill_a_farm_render_and_resume(tmp_path):
    a, b = SpeechServer("openai"), SpeechServer("openai")
    b.hanging = a.hanging  # one event: some server is holding a request
    try:
        for s in (a, b):
            s.queue(*[("ok",)] * 3, *[("hang",)] * 50)
        (tmp_path / "tide.md").write_text(STORY)
        cache, out = tmp_path / "cache", tmp_path / "out"
        args = [sys.executable, "-m", "render.cli", "book", str(tmp_path / "tide.md"), "-o", str(out),
                "--cache", str(cache), "--engine", "openai", "--server", a.url, "--server", b.url,
                "--no-validate", "--quiet"]
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert a.hanging.wait(120), "the render never reached a held request"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
        stored = {p.stem for p in cache.glob("objects/*/*.wav")}
        assert len(stored) >= 1
        # leftovers of writers killed mid-write (this kill, or an older one) ...
        pid = dead_pid()
        leftover = cache / f"tmp-{host_tag()}-{pid}-abc123.wav"
        part = next(cache.glob("objects/*")) / f".x.wav.{host_tag()}-{pid}.k9k9.part"
        for p in (leftover, part):
            p.write_bytes(b"half a file")
        for s in (a, b):  # the farm is healthy again
            with s.received:
                s.script.clear()
        asked = len(a.bodies) + len(b.bodies)
        again = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr[-2000:]
        total = len([line for line in (out / "manifest.jsonl").read_text().splitlines() if line.strip()])
        keys = {json.loads(line)["key"] for line in (out / "manifest.jsonl").read_text().splitlines()}
        assert f"{len(keys) - len(stored)} synthesized, {total - (len(keys) - len(stored))} from cache" in again.stdout
        assert len(a.bodies) + len(b.bodies) - asked == len(keys) - len(stored)  # nothing stored is asked again
        log = (cache / "synth.log").read_text().split("\n")
        made = [line.split()[0] for line in log if line.strip()]
        assert len(made) == len(set(made)), "a chunk was synthesized twice across the two runs"
        assert set(made) <= keys
        # The kill is not synchronised with the killed run's main thread (it comes when a server is
        # holding a request), so it may land between a chunk's object write and its synth.log line:
        # that one chunk (cache writes happen one at a time) is stored, so not made again, and unlogged.
        unlogged = keys - set(made)
        assert unlogged <= stored and len(unlogged) <= 1, (sorted(unlogged), sorted(stored))
        assert not leftover.exists() and not part.exists()
        assert not list(cache.glob("tmp*")) and not list(cache.glob("objects/*/.*.part"))
    finally:
        a.stop()
        b.stop()


def test_sweep_keeps_live_writers_files(tmp_path):
    (tmp_path / "objects" / "ab").mkdir(parents=True)
    mine = tmp_path / f"tmp-{host_tag()}-{os.getpid()}-live.wav"
    theirs = tmp_path / f"tmp-{host_tag()}-{dead_pid()}-dead.wav"
    other_host = tmp_path / f"tmp-elsewhere-{os.getpid()}-x.wav"  # another machine's: only by age
    old_style = tmp_path / "tmpk2j3h4.wav"
    for p in (mine, theirs, other_host, old_style):
        p.write_bytes(b"x")
    os.utime(old_style, (1, 1))
    assert sweep_temp_files(tmp_path) == 2
    assert mine.exists() and other_host.exists() and not theirs.exists() and not old_style.exists()
