"""Mastering works through a chapter in blocks (bounded temporaries) and gives the very same
samples as the whole-array formulas it replaced, which are written out here as the reference."""

from __future__ import annotations

import numpy as np
import pytest

from render.master import level as L
from render.master import stitch as S
from render.master.stitch import room_tone

RATE = 24000


# ---------------------------------------------------------------- the whole-array reference
def envelope_whole(samples):
    x = samples.astype(np.float64, copy=False)
    env = np.abs(x)
    padded = np.concatenate([np.zeros(L._HALF_TAPS - 1), x, np.zeros(L._HALF_TAPS)])
    for h in L._FILTERS:
        np.maximum(env, np.abs(np.correlate(padded, h, mode="valid")), out=env)
    return env


def running_min_whole(x, half):
    # the O(n) formula run once over the whole array, as level.py did before it worked in blocks
    return L._block_min(x, half)


def running_mean_whole(x, half):
    padded = np.concatenate([np.full(half, x[0]), x, np.full(half, x[-1])])
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    w = 2 * half + 1
    return (csum[w:] - csum[:-w]) / w


def limit_whole(samples, rate, ceiling_db, window=0.02):
    ceiling = 10 ** (ceiling_db / 20)
    env = envelope_whole(samples)
    need = np.minimum(1.0, ceiling / np.maximum(env, 1e-12))
    if need.min() >= 1.0:
        return samples.astype(np.float32)
    half = max(1, int(window * rate))
    gain = running_mean_whole(running_min_whole(need, half), half)
    out = samples * gain
    over = float(envelope_whole(out).max())
    if over > ceiling:
        out = out * (ceiling / over)
    return out.astype(np.float32)


def room_tone_whole(n, rate, level_db, seed):
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    shape = np.where(freqs < 60, 0.0, 1 / np.sqrt(np.maximum(freqs, 60)))
    shape *= 1 / (1 + (freqs / 6000) ** 4)
    noise = np.fft.irfft(spectrum * shape, n)
    noise *= 10 ** (level_db / 20) / max(float(np.sqrt(np.mean(noise ** 2))), 1e-12)
    return noise.astype(np.float32)


# ---------------------------------------------------------------- signals
def peaky(n, seed):
    """Speech-like bursts with clicks far over any ceiling, so the limiter has work to do."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / RATE
    x = 0.3 * np.abs(np.sin(2 * np.pi * 3.1 * t)) * np.sin(2 * np.pi * 220 * t) + 0.02 * rng.standard_normal(n)
    x[rng.integers(0, n, 40)] = rng.choice([-0.99, 0.99], 40)
    return x.astype(np.float32)


def same(a, b) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("block", [7, 1000, 4097, 1 << 18])
def test_blockwise_envelope_and_running_filters_equal_the_whole_array_ones(block):
    x = peaky(30_011, seed=block)
    assert same(L.peak_envelope(x, block=block), envelope_whole(x))
    y = np.random.default_rng(block).uniform(0.2, 1.0, 30_011)
    for half in (1, 5, 480):
        assert same(L._running_min(y, half, block=block), running_min_whole(y, half))
        assert same(L._running_mean(y, half, block=block), running_mean_whole(y, half))


def test_short_signals_and_blocks_shorter_than_the_window():
    for n in (1, 2, 15, 16, 17, 961, 962):
        x = peaky(n, seed=n)
        assert same(L.peak_envelope(x, block=3), envelope_whole(x))
        y = np.abs(x.astype(np.float64)) + 0.1
        assert same(L._running_min(y, 480, block=5), running_min_whole(y, 480))
        assert same(L._running_mean(y, 480, block=5), running_mean_whole(y, 480))
    assert L.peak_envelope(np.zeros(0, np.float32)).size == 0


def test_the_limiter_and_the_room_tone_give_the_same_samples_as_before():
    x = peaky(RATE * 25 + 13, seed=3)  # several default blocks
    for gain in (1.0, 3.0):
        assert same(L.limit(x * gain, RATE, -3.5), limit_whole(x * gain, RATE, -3.5))
    # lengths whose FFT needs no Bluestein: 600,000 = 2^6 3 5^5; 226,000 = 2^4 5^3 113 (113^2 <= 226,000)
    for n in (1, 2, 47, 600_000, 226_000):
        assert same(room_tone(n, RATE, -70.0, seed=5), room_tone_whole(n, RATE, -70.0, seed=5))


def smooth_brute(n):
    m = n
    while True:
        k = m
        for p in (2, 3, 5, 7):
            while k % p == 0:
                k //= p
        if k == 1:
            return m
        m += 1


def test_smooth_lengths_and_prime_factors():
    for n in range(1, 2000):
        assert S._smooth_length(n) == smooth_brute(n)
    assert S._smooth_length(3_351_792) == smooth_brute(3_351_792) == 3_359_232
    assert [S._largest_prime_factor(n) for n in (1, 2, 97, 600_013, 3_351_792, 3_954_096)] == [1, 2, 97, 11_321, 69_829, 113]


def test_a_length_with_a_large_prime_factor_gets_room_tone_cut_from_a_smooth_length():
    n = 600_013  # = 53 x 11,321: its own FFT would be Bluestein's
    tone = room_tone(n, RATE, -70.0, seed=5)
    m = S._smooth_length(n)
    longer = room_tone_whole(m, RATE, -70.0, seed=5).astype(np.float64)[:n]
    assert tone.size == n and tone.dtype == np.float32
    assert np.allclose(tone, longer * np.sqrt(np.mean(tone.astype(np.float64) ** 2) / np.mean(longer ** 2)), atol=1e-9)
    assert L.rms_db(tone) == pytest.approx(-70.0, abs=0.01)
    assert same(tone, room_tone(n, RATE, -70.0, seed=5))
