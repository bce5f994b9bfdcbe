"""Integrated loudness (ITU-R BS.1770-4, K-weighted, gated) and normalization to a target.

K-weighting is applied in the frequency domain: each 400 ms block's power spectrum is
weighted by |H(f)|² of the two-stage K filter (high shelf + high pass), which by
Parseval's theorem gives the block's K-weighted mean square without a sample loop.
"""

from __future__ import annotations

import numpy as np

TARGET_LUFS = -20.0  # audiobook level: inside ACX's -23..-18 dB RMS window
PEAK_CEILING = 10 ** (-1.0 / 20)  # -1 dBFS


def _biquad_response(b, a, freqs, rate) -> np.ndarray:
    z = np.exp(-2j * np.pi * freqs / rate)
    num = b[0] + b[1] * z + b[2] * z * z
    den = a[0] + a[1] * z + a[2] * z * z
    return np.abs(num / den) ** 2


def k_weighting_power(freqs: np.ndarray, rate: int) -> np.ndarray:
    """|H(f)|² of the BS.1770 K filter at any sample rate (RBJ-style designs of both stages)."""
    # stage 1: high shelf, +4 dB above ~1.68 kHz
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = np.tan(np.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    b = [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    a = [1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    # stage 2: high pass at ~38 Hz
    f1, q1 = 38.13547087602444, 0.5003270373238773
    k1 = np.tan(np.pi * f1 / rate)
    a01 = 1 + k1 / q1 + k1 * k1
    b1 = [1.0, -2.0, 1.0]
    a1 = [1.0, 2 * (k1 * k1 - 1) / a01, (1 - k1 / q1 + k1 * k1) / a01]
    return _biquad_response(b, a, freqs, rate) * _biquad_response(b1, a1, freqs, rate)


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Gated integrated loudness in LUFS of mono samples (-inf for silence)."""
    block, hop = int(0.4 * rate), int(0.1 * rate)
    if samples.size < block:
        samples = np.pad(samples, (0, block - samples.size))
    n = 1 + (samples.size - block) // hop
    freqs = np.fft.rfftfreq(block, 1 / rate)
    weight = k_weighting_power(freqs, rate)
    powers = np.empty(n)
    for start in range(0, n, 512):  # bounded memory: 512 blocks at a time
        idx = np.arange(start, min(n, start + 512))[:, None] * hop + np.arange(block)[None, :]
        spec = np.abs(np.fft.rfft(samples[idx], axis=1)) ** 2
        spec[:, 1:-1] *= 2  # one-sided spectrum
        powers[start:start + len(idx)] = (spec * weight).sum(axis=1) / (block * block)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(powers)
    gated = powers[loud > -70]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10
    final = gated[(-0.691 + 10 * np.log10(gated)) > relative]
    return float(-0.691 + 10 * np.log10(final.mean())) if final.size else float("-inf")


def normalize(samples: np.ndarray, rate: int, target: float = TARGET_LUFS) -> np.ndarray:
    """Gain samples to the target loudness, never past a -1 dBFS peak."""
    loud = integrated_loudness(samples, rate)
    if not np.isfinite(loud):
        return samples
    gain = 10 ** ((target - loud) / 20)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak * gain > PEAK_CEILING:
        gain = PEAK_CEILING / peak
    return (samples * gain).astype(np.float32)
