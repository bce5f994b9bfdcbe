"""Waiting on states, never on the clock: a render that pauses itself after N cache writes
(render/synth/pause.py), for interruption tests, and a condition another thread reaches."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from render.synth.pause import AFTER, MARKER


def wait_until(condition, limit: float = 60.0) -> bool:
    """Whether `condition()` came true; polled until it does. The limit only turns a state that is
    never reached into a failure instead of a hang: when the code works it is never reached."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def start_paused(args: list[str], cwd: Path, after: int, marker: Path, timeout: float = 900.0):
    """Run args until the render has made `after` cache writes and is waiting to be signalled.

    Returns the paused process, or None when it finished first (fewer writes were left to do).
    Waiting is on the marker file the render writes itself, never on the clock."""
    if marker.exists():
        marker.unlink()
    env = dict(os.environ, **{AFTER: str(after), MARKER: str(marker)})
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint)
    deadline = time.monotonic() + timeout
    try:
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                if proc.returncode != 0:
                    raise AssertionError(f"render failed before pausing (exit {proc.returncode}): {err[-2000:]}")
                return None
            if time.monotonic() > deadline:  # a hung render, not a slow machine: the limit is generous
                raise AssertionError(f"no pause marker after {timeout:.0f} s")
            time.sleep(0.05)
    except BaseException:  # never leave a render running behind a failed or timed-out test
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        raise
    return proc


def _default_sigint() -> None:
    """In the child: Ctrl-C's default action, even when the tests run where SIGINT is ignored (a
    background job of a script, nohup), which the render would inherit and so never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
