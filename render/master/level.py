"""Levels a publisher checks (RMS, true peak, noise floor) and a true-peak limiter, in numpy.

ACX's numbers are plain (unweighted) RMS over the whole file, peak, and the noise floor as the
RMS of the quietest half second. True peak is estimated at 4x oversampling with windowed-sinc
interpolation (BS.1770 annex 2 in spirit), so a limiter held under it also holds after the
resampling and lossy encoding that MP3/M4B export does (given a little margin).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

WORKERS = 2  # threads of the blockwise passes (this machine's cores; the same values with any number)
OVERSAMPLE = 4  # true-peak estimation factor
_HALF_TAPS = 8  # sinc taps on each side of an interpolated point
NOISE_WINDOW = 0.5  # seconds: the noise floor is the quietest window of this length
FLOOR_DB = -120.0  # what digital silence reads as, instead of -inf
# samples per step of the whole-track passes: a chapter's float64 temporaries are this long, not
# the chapter's length (the same values either way: README, Performance)
BLOCK = 1 << 18


def db(value: float) -> float:
    """Amplitude to dBFS, FLOOR_DB for zero."""
    return float(20 * np.log10(value)) if value > 10 ** (FLOOR_DB / 20) else FLOOR_DB


def rms_db(samples: np.ndarray) -> float:
    """RMS of the whole signal in dBFS."""
    if samples.size == 0:
        return FLOOR_DB
    return db(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))


def _phase_filters() -> list[np.ndarray]:
    """Hann-windowed sinc filters for the fractional delays 1/4, 2/4, 3/4."""
    k = np.arange(-_HALF_TAPS + 1, _HALF_TAPS + 1, dtype=np.float64)
    out = []
    for p in range(1, OVERSAMPLE):
        t = k - p / OVERSAMPLE
        window = 0.5 + 0.5 * np.cos(np.pi * t / (_HALF_TAPS + 1))
        h = np.sinc(t) * window
        out.append(h / h.sum())
    return out


_FILTERS = _phase_filters()


def _blockwise(n: int, block: int, work) -> None:
    """work(i, j) for every block [i, j) of range(n), on two threads when there are several blocks.

    Each call must write only its own block's values: the result is then the same whichever
    thread did which block. numpy lets go of the GIL in the loops these blocks run, so mastering,
    which runs after synthesis while a core would idle, uses both (README, Performance)."""
    spans = [(i, min(n, i + block)) for i in range(0, n, block)]
    if len(spans) < 2:
        for i, j in spans:
            work(i, j)
        return
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="master") as pool:
        for done in [pool.submit(work, i, j) for i, j in spans]:
            done.result()


def peak_envelope(samples: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """Per sample, the largest absolute value of the signal between it and the next (true peak).

    Worked out `block` samples at a time (each value reads only its 16 neighbours, so the result
    is the same), keeping the temporaries of a long chapter small, on two threads."""
    x = np.asarray(samples)
    n = x.size
    env = np.empty(n, np.float64)

    def work(i: int, j: int) -> None:
        lo, hi = i - (_HALF_TAPS - 1), j + _HALF_TAPS  # the neighbours outside the block
        seg = np.concatenate([np.zeros(max(0, -lo)), x[max(0, lo):min(n, hi)].astype(np.float64),
                              np.zeros(max(0, hi - n))])
        out = env[i:j]
        np.abs(seg[_HALF_TAPS - 1:_HALF_TAPS - 1 + j - i], out=out)
        for h in _FILTERS:
            np.maximum(out, np.abs(np.correlate(seg, h, mode="valid")), out=out)

    _blockwise(n, block, work)
    return env


def true_peak_db(samples: np.ndarray) -> float:
    """Estimated true peak in dBTP (4x oversampled)."""
    return db(float(peak_envelope(samples).max())) if samples.size else FLOOR_DB


def sample_peak_db(samples: np.ndarray) -> float:
    """Largest sample in dBFS."""
    return db(float(np.max(np.abs(samples)))) if samples.size else FLOOR_DB


def window_rms_db(samples: np.ndarray, rate: int, seconds: float, hop: float | None = None) -> np.ndarray:
    """RMS in dBFS of each window of `seconds`, every `hop` seconds (default: half a window)."""
    n = max(1, int(seconds * rate))
    step = max(1, int((hop or seconds / 2) * rate))
    if samples.size < n:
        return np.array([rms_db(samples)])
    csum = np.concatenate([[0.0], np.cumsum(np.square(samples, dtype=np.float64))])
    starts = np.arange(0, samples.size - n + 1, step)
    power = (csum[starts + n] - csum[starts]) / n
    with np.errstate(divide="ignore"):
        return np.maximum(10 * np.log10(np.maximum(power, 0)), FLOOR_DB)


def noise_floor_db(samples: np.ndarray, rate: int) -> float:
    """RMS of the quietest half second, in dBFS (how ACX reads a noise floor)."""
    return float(window_rms_db(samples, rate, NOISE_WINDOW, 0.05).min())


def _running_min(x: np.ndarray, half: int, block: int = BLOCK) -> np.ndarray:
    """Minimum over [n-half, n+half] for every n, `block` values at a time."""
    if half <= 0 or x.size == 0:
        return x.copy()
    out = np.empty(x.size, np.float64)

    def work(i: int, j: int) -> None:
        lo = max(0, i - half)
        out[i:j] = _block_min(x[lo:min(x.size, j + half)], half)[i - lo:j - lo]

    _blockwise(x.size, block, work)
    return out


def _block_min(x: np.ndarray, half: int) -> np.ndarray:
    """Minimum over [n-half, n+half] for every n (van Herk / Gil-Werman, O(n))."""
    w = 2 * half + 1
    padded = np.concatenate([np.full(half, np.inf), x, np.full(half + w, np.inf)])
    blocks = padded[: (padded.size // w) * w].reshape(-1, w)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    idx = np.arange(x.size)
    return np.minimum(suffix[idx], prefix[idx + w - 1])


def _running_mean(x: np.ndarray, half: int, block: int = BLOCK) -> np.ndarray:
    """Mean over [n-half, n+half], the edges padded with their own values.

    The running sum is carried from block to block, added in the same order as one cumsum over
    the whole padded signal, so every value is the same as computing it in one go."""
    if half <= 0 or x.size == 0:
        return x.copy()
    n, w = x.size, 2 * half + 1
    out = np.empty(n, np.float64)
    csum = np.zeros(1)  # the running sums csum[start:done] (csum[0] = 0 before the first value)
    start = done = 0
    for i in range(0, n, block):
        j = min(n, i + block)
        upto = j + w  # this block needs csum[i : j + w]
        values = x[np.clip(np.arange(done, upto - 1) - half, 0, n - 1)].astype(np.float64)  # padded[done:upto-1]
        if done:
            values[0] += csum[-1]
        csum = np.concatenate([csum[i - start:], np.cumsum(values)])  # csum[i:upto]
        start, done = i, upto - 1
        out[i:j] = (csum[w:w + j - i] - csum[:j - i]) / w
    return out


def limit(samples: np.ndarray, rate: int, ceiling_db: float, window: float = 0.02) -> np.ndarray:
    """Samples held under a true-peak ceiling by a smooth look-ahead gain (never just clipping).

    The gain at each sample is the mean, over ±window, of the running minimum (over ±window)
    of the gain each sample needs; every value averaged is at most what this sample needs, so
    the ceiling holds, and the gain moves smoothly over 2·window instead of jumping.
    """
    ceiling = 10 ** (ceiling_db / 20)
    need = peak_envelope(samples)  # then, in place, the gain each sample needs
    np.maximum(need, 1e-12, out=need)
    np.divide(ceiling, need, out=need)
    np.minimum(1.0, need, out=need)
    if need.min() >= 1.0:
        return samples.astype(np.float32)
    half = max(1, int(window * rate))
    lowest = _running_min(need, half)
    del need
    out = _running_mean(lowest, half)  # the gain, then (in place) the limited samples
    del lowest
    np.multiply(samples, out, out=out)
    over = float(peak_envelope(out).max())  # interpolation between gain steps: a last trim
    if over > ceiling:
        np.multiply(out, ceiling / over, out=out)
    return out.astype(np.float32)


def level(samples: np.ndarray, rate: int, rms_target_db: float, ceiling_db: float) -> np.ndarray:
    """Gain to the RMS target, then the true-peak limiter; repeated so the limited track hits the target."""
    if samples.size == 0 or rms_db(samples) <= FLOOR_DB:
        return samples.astype(np.float32)
    gain_db = rms_target_db - rms_db(samples)
    out = samples
    for _ in range(4):
        out = limit(samples * 10 ** (gain_db / 20), rate, ceiling_db)
        miss = rms_target_db - rms_db(out)
        if abs(miss) < 0.05:
            break
        gain_db += miss
    return out
