"""Validation batches: the plan's chunks in groups that Whisper hears in one call each.

Whisper pads every call to 30 s, so one call per chunk would cost as much as synthesis. The
groups are fixed by the plan alone (consecutive chunks of one language, about `batch_seconds`
of speech), and a group's verdicts are recorded in the cache before any of its chunks is
settled, so every process and every resumed run reaches the same verdicts.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import nullcontext

import numpy as np

from ..engines.audio import resample
from ..engines.base import Audio
from ..errors import InputError
from ..memory import trim
from ..plan.manifest import Chunk
from .cache import Cache
from .validate import split_scores

GAP = 0.4  # seconds of silence between two takes in a batch
BATCH_SECONDS = "RENDER_BATCH_SECONDS"
DEFAULT_BATCH_SECONDS = 24.0  # audio validated per Whisper call (its window is 30 s)


def default_batch_seconds(environ=None) -> float:
    """Speech per validation group: 24 s, or RENDER_BATCH_SECONDS when set. A test hook (like
    RENDER_PAUSE_AFTER): it gives a book of a few short lines several groups, so the interruption
    tests can kill a render between groups without rendering half a minute of speech."""
    raw = (os.environ if environ is None else environ).get(BATCH_SECONDS, "").strip()
    if not raw:
        return DEFAULT_BATCH_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise InputError(f"{BATCH_SECONDS}={raw!r}: give the seconds of speech per validation group "
                         "(more than 0), or unset it")
    return value


def validation_groups(chunks: list[Chunk], batch_seconds: float) -> list[list[Chunk]]:
    """Consecutive chunks of one language, about batch_seconds of estimated speech per group.

    Fixed by the plan alone, so every process and every resumed run batches alike."""
    groups: list[list[Chunk]] = []
    total = 0.0
    for chunk in chunks:
        if not groups or total >= batch_seconds or groups[-1][0].language != chunk.language:
            groups.append([])
            total = 0.0
        groups[-1].append(chunk)
        total += chunk.est_seconds
    return groups


def group_key(group: list[Chunk]) -> str:
    """A validation group's identity: its chunks' content keys in order."""
    return hashlib.sha256("\n".join(c.key for c in group).encode()).hexdigest()


def batch_verdicts(cache: Cache, asr, group: list[Chunk], takes: list, beside=nullcontext) -> list[dict | None]:
    """Each take's score and transcript from one Whisper call over the batch, or None for a take
    the recorded verdicts were not given (it must be heard alone).

    takes: (chunk, audio, record, sha256 of the stored take) in plan order. The verdicts are
    recorded in the cache before any chunk is settled; a resumed run reads them back instead of
    listening again. beside: a context manager held while Whisper listens (the engine's, when it
    shares the process's memory or cores with it)."""
    gkey = group_key(group)
    known = cache.group_verdicts(gkey)
    if not known:
        t0 = time.monotonic()
        rate = takes[0][1].sample_rate
        gap = np.zeros(int(GAP * rate), np.float32)
        joined = []
        for _, audio, _, _ in takes:
            joined += [resample(audio.samples, audio.sample_rate, rate), gap]
        with beside():
            heard = asr.hear(Audio(np.concatenate(joined), rate), takes[0][0].language)
            del joined
            trim()  # what Whisper freed, before a second Kokoro run may take its place
        scores = split_scores([c.text for c, _, _, _ in takes], heard)
        share = round((time.monotonic() - t0) / len(takes), 3)
        known = {c.key: {"score": score, "transcript": words, "asr_seconds": share, "sha256": sha}
                 for (c, _, _, sha), (score, words) in zip(takes, scores)}
        cache.put_group_verdicts(gkey, known)
    # a verdict holds only for the very take it was given (a redone chunk is checked again)
    found = [known.get(c.key) or {} for c, _, _, _ in takes]
    return [{k: v for k, v in f.items() if k != "sha256"} if f.get("sha256") == sha else None
            for f, (_, _, _, sha) in zip(found, takes)]
