"""The package's one audio sanity check and one resampler, for every engine and the runner."""

from __future__ import annotations

import math

import numpy as np

SILENCE_PEAK = 1e-3  # a take whose peak is below -60 dBFS is silence
MIN_SECONDS_PER_WORD = 0.05  # shorter than this per word is a truncated take
RUNAWAY_BASE, RUNAWAY_PER_WORD = 6.0, 1.5  # longer than base + per-word seconds is a runaway take


def audio_problem(samples: np.ndarray, rate: int, text: str) -> str | None:
    """Why these samples are not a usable take of text, or None when they look like speech."""
    samples = np.asarray(samples)
    if samples.size == 0 or rate <= 0:
        return "the audio holds no samples"
    if not np.isfinite(samples).all():
        return "the audio contains NaN or infinite samples"
    peak = float(np.max(np.abs(samples)))
    if peak < SILENCE_PEAK:
        return f"the audio is silence (peak {20 * math.log10(max(peak, 1e-12)):.0f} dBFS)"
    seconds = samples.shape[0] / rate
    words = max(1, len(text.split()))
    low, high = MIN_SECONDS_PER_WORD * words, RUNAWAY_BASE + RUNAWAY_PER_WORD * words
    if not low <= seconds <= high:
        return f"{seconds:.2f} s of audio is implausible for {words} word(s) (expected {low:.2f}-{high:.0f} s)"
    return None


def resample(samples: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Band-limited resampling through the FFT, with zero padding against wrap-around."""
    if src == dst or samples.size == 0:
        return np.asarray(samples, dtype=np.float32)
    pad = src // 20  # 50 ms of silence on each side keeps the periodic FFT from wrapping the ends
    padded = np.concatenate([np.zeros(pad), np.asarray(samples, dtype=np.float64), np.zeros(pad)])
    n = padded.size
    m = max(1, round(n * dst / src))
    spectrum = np.fft.rfft(padded)
    keep = m // 2 + 1
    if keep <= spectrum.size:
        spectrum = spectrum[:keep]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(keep - spectrum.size, dtype=spectrum.dtype)])
    out = np.fft.irfft(spectrum, m) * (m / n)
    trim = round(pad * dst / src)
    length = max(1, round(samples.size * dst / src))
    return out[trim: trim + length].astype(np.float32)
