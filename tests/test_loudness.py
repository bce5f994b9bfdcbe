import numpy as np
import pytest

from render.master.loudness import PEAK_CEILING, integrated_loudness, normalize


def sine(freq, amp, rate, seconds=5.0):
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float64)


def test_full_scale_1k_sine_is_minus_3_lufs():
    # BS.1770's reference: a 0 dBFS 1 kHz sine in one channel reads -3.01 LUFS
    assert integrated_loudness(sine(1000, 1.0, 48000), 48000) == pytest.approx(-3.01, abs=0.05)


def test_level_changes_move_loudness_by_the_same_decibels():
    a = integrated_loudness(sine(500, 0.5, 24000), 24000)
    b = integrated_loudness(sine(500, 0.05, 24000), 24000)
    assert a - b == pytest.approx(20.0, abs=0.05)


def test_silence_is_minus_inf_and_gating_ignores_it():
    rate = 24000
    tone = sine(800, 0.1, rate, 3)
    padded = np.concatenate([tone, np.zeros(rate * 10)])
    assert integrated_loudness(np.zeros(rate), rate) == float("-inf")
    assert integrated_loudness(padded, rate) == pytest.approx(integrated_loudness(tone, rate), abs=0.5)


def test_normalize_hits_target_without_clipping():
    rate = 24000
    x = sine(300, 0.01, rate).astype(np.float32)
    y = normalize(x, rate, -20)
    assert integrated_loudness(y, rate) == pytest.approx(-20, abs=0.1)
    loud = normalize(sine(300, 0.9, rate).astype(np.float32), rate, -5)
    assert np.max(np.abs(loud)) <= PEAK_CEILING + 1e-6
