"""Joining a chapter's chunks into one mastered track.

Each chunk's leading and trailing silence is trimmed (keeping a few ms of margin so soft
onsets and decays survive), so the pause before a chunk is exactly what the plan asks; the
speech is levelled to the ACX RMS target under a true-peak limiter; and a quiet, deterministic
room tone runs under the whole track, so head, tail and pauses are room tone, never digital
silence.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..engines.base import Audio
from ..plan.manifest import Chunk
from ..synth.cache import Cache
from .level import WORKERS, level
from .settings import MasterSettings

FRAME = 0.01  # seconds per analysis frame when trimming
GATE_BELOW_PEAK_DB = 40.0  # a frame is speech if within this many dB of the chunk's loudest frame
GATE_FLOOR_DB = -60.0  # ... and above this absolute level
HEAD_MARGIN = 0.02  # seconds kept before the first speech frame
TAIL_MARGIN = 0.06  # seconds kept after the last one (decays, breaths)
FADE = 0.005  # seconds of fade at each trimmed edge


class MissingAudio(Exception):
    """A chunk of the chapter has no valid audio in the cache yet."""


@dataclass
class ChapterAudio:
    """A mastered chapter and where each chunk's trimmed audio (speech and its short margins) starts and ends."""

    audio: Audio
    starts: list[float]
    ends: list[float]


def trim(samples: np.ndarray, rate: int) -> np.ndarray:
    """The chunk without its leading and trailing silence, margins kept, edges faded."""
    frame = max(1, int(FRAME * rate))
    n = samples.size // frame
    if n == 0:
        return samples.astype(np.float32)
    power = np.mean(np.square(samples[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    with np.errstate(divide="ignore"):
        frame_db = 10 * np.log10(np.maximum(power, 1e-20))
    gate = max(frame_db.max() - GATE_BELOW_PEAK_DB, GATE_FLOOR_DB)
    loud = np.flatnonzero(frame_db > gate)
    if loud.size == 0:
        return np.zeros(0, np.float32)
    start = max(0, loud[0] * frame - int(HEAD_MARGIN * rate))
    end = min(samples.size, (loud[-1] + 1) * frame + int(TAIL_MARGIN * rate))
    out = samples[start:end].astype(np.float32)
    k = min(int(FADE * rate), out.size // 2)
    if k > 0:
        ramp = np.linspace(0.0, 1.0, k, dtype=np.float32)
        out[:k] *= ramp
        out[-k:] *= ramp[::-1]
    return out


def room_tone(n: int, rate: int, level_db: float, seed: int) -> np.ndarray:
    """n samples of soft, pinkish room noise at level_db RMS; the same seed gives the same noise.

    The noise is shaped in one FFT over the whole chapter. When n has a prime factor larger than
    its square root, the FFT of n points would run Bluestein's algorithm, whose buffers are several
    times the chapter (~170 bytes a sample: 3.4 GB for 14 minutes); the noise is then made for the
    next length with only factors 2, 3, 5 and 7 and cut to n samples (README, Performance). Every
    other length gives the same samples as it always did."""
    if n == 0:
        return np.zeros(0, np.float32)
    m = n if n < 50 or _largest_prime_factor(n) ** 2 <= n else _smooth_length(n)
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(m))
    step = 1.0 / (m * (1 / rate))  # np.fft.rfftfreq(m, 1 / rate) is arange(m // 2 + 1) * step
    for i in range(0, spectrum.size, 1 << 18):  # the shape in blocks: no whole-spectrum temporaries
        freqs = np.arange(i, min(spectrum.size, i + (1 << 18))) * step
        shape = np.where(freqs < 60, 0.0, 1 / np.sqrt(np.maximum(freqs, 60)))  # pink above 60 Hz
        shape *= 1 / (1 + (freqs / 6000) ** 4)  # and gently rolled off above 6 kHz, like a quiet room
        spectrum[i:i + freqs.size] *= shape
    noise = np.fft.irfft(spectrum, m)[:n]
    del spectrum
    noise *= 10 ** (level_db / 20) / max(float(np.sqrt(np.mean(noise ** 2))), 1e-12)
    return noise.astype(np.float32)


def _largest_prime_factor(n: int) -> int:
    largest, p = 1, 2
    while p * p <= n:
        while n % p == 0:
            largest, n = p, n // p
        p += 1 if p == 2 else 2
    return max(largest, n)


def _smooth_length(n: int) -> int:
    """The smallest length >= n whose only prime factors are 2, 3, 5 and 7."""
    best = 1 << (n - 1).bit_length()
    p7 = 1
    while p7 < best:
        p5 = p7
        while p5 < best:
            p3 = p5
            while p3 < best:
                p2 = p3 << max(0, (n - 1) // p3).bit_length() if p3 < n else p3
                best = min(best, p2)
                p3 *= 3
            p5 *= 5
        p7 *= 7
    return best


def _trimmed_chunks(chunks: list[Chunk], cache: Cache) -> list[tuple[int, np.ndarray]]:
    """(sample rate, trimmed samples) of each chunk in order, read and trimmed on two threads
    (soundfile and numpy let go of the GIL); MissingAudio for the first chunk not in the cache."""

    def one(chunk: Chunk):
        try:
            audio = cache.load(chunk.key)
        except KeyError:
            return chunk, None
        return audio.sample_rate, trim(audio.samples, audio.sample_rate)

    with ThreadPoolExecutor(WORKERS, thread_name_prefix="master") as pool:
        found = list(pool.map(one, chunks))
    for missing, samples in found:
        if samples is None:
            raise MissingAudio(missing.id)
    return found


def stitch_chapter(chunks: list[Chunk], cache: Cache, settings: MasterSettings = MasterSettings(),
                   seed: int = 0) -> ChapterAudio:
    """The chapter mastered from its chunks in the cache; MissingAudio if any chunk isn't rendered."""
    parts: list[np.ndarray] = []
    starts: list[float] = []
    ends: list[float] = []
    rate = None
    total = 0
    for chunk, (chunk_rate, speech) in zip(chunks, _trimmed_chunks(chunks, cache)):
        if rate is None:
            rate = chunk_rate
            gap = settings.head_seconds
        elif chunk_rate != rate:
            raise ValueError(f"chunk {chunk.id} is {chunk_rate} Hz, the chapter is {rate} Hz")
        else:
            gap = max(0.0, chunk.pause_before - TAIL_MARGIN - HEAD_MARGIN)
        silence = np.zeros(int(round(gap * rate)), np.float32)
        parts += [silence, speech]
        total += silence.size
        starts.append(total / rate)
        total += speech.size
        ends.append(total / rate)
    if rate is None:
        return ChapterAudio(Audio(np.zeros(0, np.float32), 24000), [], [])
    parts.append(np.zeros(int(round((settings.tail_seconds - TAIL_MARGIN) * rate)), np.float32))
    joined = np.concatenate(parts)
    del parts
    track = level(joined, rate, settings.rms_target_db, settings.ceiling_db)
    del joined
    track += room_tone(track.size, rate, settings.room_tone_db, seed)
    return ChapterAudio(Audio(track.astype(np.float32, copy=False), rate), starts, ends)
