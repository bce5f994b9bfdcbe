"""A test hook that stops a render at an exact point of its work, not at a moment in time.

    RENDER_PAUSE_AFTER=N  RENDER_PAUSE_MARKER=/some/file  render book ...

After the N-th durable write to the cache in this process (a stored take, a batch of
validation verdicts, or a settled chunk's sidecar) the render writes the marker file (its
process id) and then blocks until a signal ends it. A test waits for the marker and then
sends SIGINT or SIGKILL, so an interruption lands at the same point of the work however
fast or loaded the machine is. Unset (the default), the hook does nothing.
"""

from __future__ import annotations

import os
import time

from ..atomic import atomic_write_bytes
from ..errors import InputError

AFTER = "RENDER_PAUSE_AFTER"
MARKER = "RENDER_PAUSE_MARKER"


class PauseHook:
    """Counts cache writes and, at the chosen one, writes the marker and waits to be signalled."""

    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        raw = env.get(AFTER, "").strip()
        self.after: int | None = None
        self.marker = env.get(MARKER) or None
        self.count = 0
        if not raw:
            return
        if not raw.isdigit() or int(raw) < 1:
            raise InputError(f"{AFTER}={raw!r}: give a whole number of cache writes (1 or more), or unset it")
        if not self.marker:
            raise InputError(f"{AFTER} is set but {MARKER} is not: name the file to write when pausing")
        self.after = int(raw)

    def wrote(self) -> None:
        """One durable cache write finished; pause here if it is the chosen one."""
        if self.after is None:
            return
        self.count += 1
        if self.count != self.after:
            return
        atomic_write_bytes(self.marker, f"{os.getpid()}\n".encode())
        # A signal ends the wait: SIGKILL ends the process; SIGINT raises KeyboardInterrupt here.
        # Short naps rather than one long sleep: Python raises a signal's exception in the main
        # thread only when it runs again, and the kernel may hand the signal to another thread.
        while True:
            time.sleep(0.05)
