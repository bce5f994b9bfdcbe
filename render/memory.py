"""Process-wide memory settings, applied by the command line module (render.cli), not by the
library; give_back(), which the pipeline calls after letting go of its models; and keep_models(),
which tells it not to let go of them."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
from functools import lru_cache

M_ARENA_MAX = -8  # glibc's mallopt parameter number

# Synthesis (a pool thread), Whisper (the main thread) and the model loads each allocate from
# their own glibc arena by default, and freed memory stays in the arena that held it: capping the
# arenas at two measured 1,308 -> 1,217 MB peak on a validated render, CPU unchanged (75.8 / 75.1 s).
ARENAS = 2

M_MMAP_THRESHOLD = -3
# Blocks of 4 MB or more get their own mapping, handed back to the system when freed. glibc
# otherwise raises this threshold (up to 32 MB) each time such a block is freed, and Kokoro's
# arena, which gives its memory back after every run, then regrows it inside the heap, where
# Whisper's and Python's small blocks pin it: measured README, Performance.
MMAP_THRESHOLD = 4 << 20


@lru_cache(maxsize=1)
def _libc():
    """The C library, or None off Linux or when it cannot be opened."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def tune_malloc(n: int = ARENAS, mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """Cap glibc's malloc arenas at n and fix its mmap threshold, each unless the environment
    already says (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_); True when the cap was applied."""
    libc = _libc()
    if libc is None:
        return False
    try:
        if not os.environ.get("MALLOC_MMAP_THRESHOLD_"):
            libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold)
        return not os.environ.get("MALLOC_ARENA_MAX") and bool(libc.mallopt(M_ARENA_MAX, n))
    except AttributeError:  # not glibc (musl has no mallopt arenas): nothing to cap
        return False


# Whether the pipeline lets go of its models (Kokoro, G2P, Whisper) after each book's synthesis:
# the default, which keeps a book's peak RSS under 1 GB while it is mastered. A process that renders
# many small books in a row and has memory to spare (the test suite) may keep them loaded instead,
# saving the 3-4 s reload per book. Process-wide; a child process starts with the default.
_keep_models = False


def keep_models(keep: bool = True) -> None:
    """Make the pipeline keep its models loaded between books (True) or let them go (False, the default)."""
    global _keep_models
    _keep_models = keep


def keeping_models() -> bool:
    """Whether keep_models(True) is in force in this process."""
    return _keep_models


def give_back() -> bool:
    """Collect garbage and hand the C heap's free pages back to the system (glibc's malloc_trim);
    True when malloc_trim ran. Called after large models are let go."""
    gc.collect()
    return trim()


def trim() -> bool:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim), without collecting
    garbage: cheap enough after each Whisper check, which leaves ~30 MB free in the heap where
    synthesis, whose large blocks are mappings of their own, would not reuse it (README,
    Performance). True when malloc_trim ran."""
    libc = _libc()
    try:
        return libc is not None and libc.malloc_trim(0) >= 0
    except AttributeError:  # not glibc
        return False
