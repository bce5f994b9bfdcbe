"""Small jobs done on a core that would otherwise idle, while synthesis keeps both busy.

The runner hands a settled chunk to `IdleWork` (its speaker d-vector, which the consistency pass
after synthesis would otherwise compute on one core while the other idles). The thread runs
under Linux's SCHED_IDLE policy, so it gets a core only when no other thread of the machine wants
it: it costs synthesis nothing and fills the gaps between runs and the last chunks' tail. Where
the policy is missing it runs at normal priority. When synthesis ends, `finish` does what is left
on two threads at normal priority (this one and the worker) instead of the pass after synthesis
doing it on one; `stop` (an interrupted run) drops it, lets the job going on finish, and waits.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from typing import Callable

log = logging.getLogger(__name__)


def _set_policy(thread_id: int, idle: bool) -> bool:
    """Put a thread (0: this one) under SCHED_IDLE or back under SCHED_OTHER; False where it cannot."""
    policy = getattr(os, "SCHED_IDLE" if idle else "SCHED_OTHER", None)
    if policy is None or not hasattr(os, "sched_setscheduler"):
        return False
    try:
        os.sched_setscheduler(thread_id, policy, os.sched_param(0))
    except OSError as exc:  # e.g. no right to leave SCHED_IDLE without CAP_SYS_NICE or RLIMIT_NICE
        log.debug("scheduling policy of thread %d unchanged: %s", thread_id, exc)
        return False
    return True


class IdleWork:
    """A queue of jobs, job(item) each, run in order on one low-priority thread until `stop`."""

    def __init__(self, job: Callable[[object], None], name: str = "idle-work"):
        self._job = job
        self._items: deque = deque()
        self._cond = threading.Condition()
        self._stopped = False
        self.done = 0  # jobs finished
        self.idle_policy = False  # whether the thread runs under SCHED_IDLE
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def put(self, item) -> None:
        """Queue one job (ignored once stopped)."""
        with self._cond:
            if not self._stopped:
                self._items.append(item)
                self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._items)

    def finish(self) -> int:
        """Do every job left now, on this thread and the worker (back at normal priority) at once,
        then stop; returns how many this thread did. Jobs must be safe to run side by side."""
        self._normal()
        mine = 0
        while True:
            with self._cond:
                if self._stopped or not self._items:
                    break
                item = self._items.popleft()
            self._run(item)
            mine += 1
        self.stop()
        return mine

    def stop(self) -> int:
        """Drop the jobs not started, finish the one going on (at normal priority), and return
        how many were dropped."""
        with self._cond:
            self._stopped = True
            dropped = len(self._items)
            self._items.clear()
            self._cond.notify()
        self._normal()
        self._thread.join()
        return dropped

    def _normal(self) -> None:
        """Put the worker back at normal priority (the job going on finishes soon)."""
        native = self._thread.native_id
        if self.idle_policy and native is not None and _set_policy(native, idle=False):
            self.idle_policy = False

    def _loop(self) -> None:
        self.idle_policy = _set_policy(0, idle=True)
        while True:
            with self._cond:
                while not self._items and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                item = self._items.popleft()
            self._run(item)

    def _run(self, item) -> None:
        try:
            self._job(item)
        except Exception as exc:  # a job is an optimisation: the pass after synthesis redoes it
            log.debug("idle job failed on %r: %s", item, exc)
        with self._cond:
            self.done += 1
