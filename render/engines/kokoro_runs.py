"""Kokoro runs at once, process-wide (the budget), and a chunk's calls spread over idle places.

Two single-threaded runs at once keep a 2-core machine busy (README, Performance). While several
chunks are in flight they fill both places; a chunk alone (a chapter's last, a one-chunk book, a
retake) would run its calls one after another and leave a core idle. `run_calls` lets a second
thread take the chunk's later calls whenever a place is free and no other run asks for it: the
same calls, each the same audio, joined in the same order.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Sequence


class Budget:
    """Kokoro runs at once, process-wide: a run starts when fewer than `runs` are going on and its
    phonemes fit beside theirs within `limit` (one longer than the limit runs alone), and no run
    that asked before it could start instead. A later, shorter chunk may thus start beside a long
    run while a long one waits, and the first waiting is the next to go once it fits.

    A spare run (`spare`) asks for less: it starts only when it fits and no run waiting, whenever
    it asked, could start instead."""

    _cond = threading.Condition()
    _used = 0  # phonemes of the runs going on now
    _running = 0  # runs going on now
    _queue: list = []  # the needs of the runs waiting for room, in the order they asked

    @classmethod
    def _fits(cls, need: int, limit: int, runs: int) -> bool:
        return cls._running == 0 or (cls._running < runs and cls._used + need <= limit)

    @classmethod
    def _take(cls, need: int) -> None:
        cls._used += need
        cls._running += 1
        cls._cond.notify_all()  # a later run that fits beside this one may go now

    @classmethod
    def _give(cls, need: int) -> None:
        with cls._cond:
            cls._used -= need
            cls._running -= 1
            cls._cond.notify_all()

    @classmethod
    @contextmanager
    def hold(cls, phonemes: int, limit: int, runs: int = 2):
        need = max(1, min(phonemes, limit))
        ticket = [need]  # a list, so each waiting run is its own entry however equal the needs
        with cls._cond:
            cls._queue.append(ticket)
            try:
                while not (cls._fits(need, limit, runs) and not any(
                        cls._fits(t[0], limit, runs) for t in cls._queue[:cls._queue.index(ticket)])):
                    cls._cond.wait()
            finally:
                cls._queue.remove(ticket)
            cls._take(need)
        try:
            yield
        finally:
            cls._give(need)

    @classmethod
    def spare(cls, limit: int, runs: int, next_run: Callable[[], int | None], claim: Callable[[], None]) -> int | None:
        """Wait for a place no waiting run could take, then start a spare run there.

        next_run() names the phonemes of the run to start, or None when there is none left, which
        ends the wait; claim() marks it taken. Both are called under the budget's lock. Returns
        the need taken (hand it back with `give_back`), or None."""
        with cls._cond:
            while True:
                phonemes = next_run()
                if phonemes is None:
                    return None
                need = max(1, min(phonemes, limit))
                if cls._fits(need, limit, runs) and not any(cls._fits(t[0], limit, runs) for t in cls._queue):
                    claim()
                    cls._take(need)
                    return need
                cls._cond.wait()

    @classmethod
    def give_back(cls, need: int) -> None:
        """End a spare run started by `spare`."""
        cls._give(need)

    @classmethod
    def waiting(cls) -> int:
        """Runs waiting for room now."""
        with cls._cond:
            return len(cls._queue)


# Threads that take a chunk's later calls into a place no other run wants: one per chunk in
# flight is enough (the runner keeps at most the engine's max_in_flight chunks going).
_helpers: ThreadPoolExecutor | None = None
_helpers_lock = threading.Lock()
HELPERS = 4


def _helper_pool() -> ThreadPoolExecutor:
    global _helpers
    with _helpers_lock:
        if _helpers is None:
            _helpers = ThreadPoolExecutor(HELPERS, thread_name_prefix="kokoro-spare")
        return _helpers


def run_calls(pieces: Sequence[str], run: Callable[[str], object], limit: int, runs: int) -> list:
    """run(piece) for each piece, each in its own place in the budget, the results in order.

    The calling thread takes the pieces from the front, one after another. With more than one
    place (runs > 1) a helper takes them from the back, but only into a place that no waiting run
    could take, so a chunk alone keeps both cores busy and chunks in flight together are served
    as before. The first error stops both; it is raised once both have stopped."""
    if runs < 2 or len(pieces) < 2:
        out = []
        for piece in pieces:
            with Budget.hold(len(piece), limit, runs):
                out.append(run(piece))
        return out
    results: list = [None] * len(pieces)
    bounds = [0, len(pieces) - 1]  # next piece from the front, next from the back (under Budget._cond)
    errors: list[BaseException] = []

    def next_back():
        return None if errors or bounds[0] > bounds[1] else len(pieces[bounds[1]])

    def claim_back():
        taken.append(bounds[1])
        bounds[1] -= 1

    taken: list[int] = []  # the pieces the helper took, in order

    def helper():
        while True:
            need = Budget.spare(limit, runs, next_back, claim_back)
            if need is None:
                return
            try:
                results[taken[-1]] = run(pieces[taken[-1]])
            except BaseException as exc:  # handed to the calling thread, which raises it
                errors.append(exc)
                return
            finally:
                Budget.give_back(need)

    future = _helper_pool().submit(helper)
    try:
        while True:
            with Budget._cond:
                if errors or bounds[0] > bounds[1]:
                    break
                index = bounds[0]
                bounds[0] += 1
            with Budget.hold(len(pieces[index]), limit, runs):
                results[index] = run(pieces[index])
    except BaseException as exc:
        errors.append(exc)
    finally:
        with Budget._cond:
            bounds[0] = len(pieces)  # nothing left for the helper to take
            Budget._cond.notify_all()
        if not future.cancel():
            future.result()
    if errors:
        raise errors[0]
    return results
