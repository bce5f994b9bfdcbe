"""Joining a chapter's chunks into one track: pauses between, loudness normalized."""

from __future__ import annotations

import numpy as np

from ..engines.base import Audio
from ..plan.manifest import Chunk
from ..synth.cache import Cache
from .loudness import TARGET_LUFS, normalize

LEAD_IN = 0.5  # seconds of silence at the start of a chapter track
TAIL = 1.0  # and at its end


class MissingAudio(Exception):
    """A chunk of the chapter has no valid audio in the cache yet."""


def _fade(samples: np.ndarray, rate: int, ms: float = 5.0) -> np.ndarray:
    """Short fades at both ends so joins never click."""
    n = min(int(rate * ms / 1000), samples.size // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        samples = samples.copy()
        samples[:n] *= ramp
        samples[-n:] *= ramp[::-1]
    return samples


def stitch_chapter(chunks: list[Chunk], cache: Cache, target_lufs: float = TARGET_LUFS) -> tuple[Audio, list[float]]:
    """The chapter's audio and each chunk's start time in it; MissingAudio if any chunk isn't rendered."""
    parts: list[np.ndarray] = []
    starts: list[float] = []
    rate = None
    total = 0
    for chunk in chunks:
        try:
            audio = cache.load(chunk.key)
        except KeyError:
            raise MissingAudio(chunk.id) from None
        if rate is None:
            rate = audio.sample_rate
            lead = np.zeros(int(LEAD_IN * rate), np.float32)
            parts.append(lead)
            total += lead.size
        elif audio.sample_rate != rate:
            raise ValueError(f"chunk {chunk.id} is {audio.sample_rate} Hz, the chapter is {rate} Hz")
        gap = np.zeros(int(chunk.pause_before * rate), np.float32)
        parts.append(gap)
        total += gap.size
        starts.append(total / rate)
        samples = _fade(audio.samples.astype(np.float32), rate)
        parts.append(samples)
        total += samples.size
    if rate is None:
        return Audio(np.zeros(0, np.float32), 24000), []
    parts.append(np.zeros(int(TAIL * rate), np.float32))
    track = np.concatenate(parts)
    return Audio(normalize(track, rate, target_lufs), rate), starts
