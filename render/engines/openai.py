"""OpenAI-compatible speech servers, and the HTTP plumbing the HTTP engines share.

Protocol: `POST {base_url}/v1/audio/speech` with JSON
`{model, input, voice, response_format: "wav", speed}`; the answer's body is the audio.
Zero-shot cloning servers also take `ref_audio` (base64 of the reference file's bytes) and
`ref_text` (the words spoken in it); `ref_text` is required whenever `ref_audio` is sent.
`request.extra` pairs are added to the body as server-specific knobs (`instructions`,
`lang_code`, ...); a value that parses as JSON keeps its type ("true" -> true, "0.5" -> 0.5).

The answer may be WAV (or anything libsndfile reads) or raw 16-bit little-endian PCM when the
server labels it `audio/pcm` or `audio/L16` (24 kHz mono unless the type says `rate=`/`channels=`).
Audio is downmixed to mono float32, checked (decodable, finite, not silent, plausible length
for the text) and resampled to the engine's `sample_rate` when the server's rate differs.

Every failure is an `HTTPEngineError` (an EngineError) whose `kind` says what broke and whose
`retryable` says whether the same request may succeed later; the engine never retries itself.
Bad configuration (no server URL, a missing reference file, ref_audio without ref_text) is an
InputError, raised before anything is sent.
"""

from __future__ import annotations

import base64
import io
import ipaddress
import json
import logging
import math
import os
import re
import time
import urllib.parse
from dataclasses import dataclass, field, fields
from pathlib import Path

import httpx
import numpy as np
import soundfile as sf

from ..errors import EngineError, InputError
from .base import Audio, SynthRequest, register, voice_pool

log = logging.getLogger(__name__)

PROTOCOL = "openai-speech/1"  # the client protocol; bump when requests or decoding change
PCM_RATE = 24000  # OpenAI's raw "pcm" output: 24 kHz, 16-bit little-endian, mono
SILENCE_PEAK = 1e-3  # a take whose peak is below -60 dBFS is silence
EXCERPT_CHARS = 200  # how much of an error body goes into a message
_AUDIO_MAGIC = (b"RIFF", b"RIFX", b"RF64", b"fLaC", b"OggS", b"ID3", b"FORM")  # audio despite a text type

# OpenAI's voice names, which OpenAI-compatible servers commonly accept or map to their own.
FEMALE = ["nova", "shimmer", "coral", "sage"]
MALE = ["onyx", "echo", "fable", "ash"]
NEUTRAL = ["alloy"]


class HTTPEngineError(EngineError):
    """An HTTP engine's failure; `retryable` is True when the same request may succeed later."""

    def __init__(self, message: str, *, kind: str, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.kind = kind  # "timeout" | "connect" | "network" | "http" | "protocol" | "audio" | "request"
        self.retryable = retryable  # the runner may retry (with backoff) only when True
        self.status = status  # the HTTP status code, when the server answered


# --- shared by the HTTP engines ---------------------------------------------------------------

def make_options(cls, engine: str, options, kwargs: dict):
    """Build an options dataclass from keyword arguments; InputError names the valid ones."""
    if options is not None:
        if kwargs:
            raise InputError(f"{engine} engine: pass either options= or keyword options, not both")
        return options
    valid = [f.name for f in fields(cls)]
    unknown = sorted(set(kwargs) - set(valid))
    if unknown:
        raise InputError(f"{engine} engine: unknown option(s) {unknown}; valid options: {', '.join(valid)}")
    return cls(**kwargs)


def server_url(option: str, env: str, default: str | None, engine: str) -> str:
    """The server root from the option, else the environment variable, else the default."""
    url = (option or os.environ.get(env, "") or default or "").strip().rstrip("/")
    if not url:
        raise InputError(f"the {engine} engine needs a server: pass base_url=... or set {env}")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{engine} base_url {url!r} is not an http(s) URL like http://127.0.0.1:8000")
    return url


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (localhost or a loopback address)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_timeout(value, engine: str) -> float:
    """A positive, finite number of seconds, else InputError."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InputError(f"{engine} engine: timeout must be a positive number of seconds, not {value!r}")
    return float(value)


def check_rate(value, engine: str) -> int:
    """A sample rate between 8 kHz and 192 kHz, else InputError."""
    if not isinstance(value, int) or not 8000 <= value <= 192000:
        raise InputError(f"{engine} engine: sample_rate must be an integer between 8000 and 192000, "
                         f"not {value!r}")
    return value


def check_speed(speed, engine: str) -> float:
    """A speaking-rate factor in [0.25, 4.0] (the OpenAI range), else InputError."""
    if not isinstance(speed, (int, float)) or not math.isfinite(speed) or not 0.25 <= speed <= 4.0:
        raise InputError(f"{engine} engine: speed must be between 0.25 and 4.0, not {speed!r}")
    return float(speed)


def extra_fields(extra, reserved: set[str], engine: str) -> dict:
    """request.extra as body fields; values that parse as JSON keep their type, others stay strings."""
    out = {}
    for key, value in extra:
        if key in reserved:
            raise InputError(f"{engine} engine: extra option {key!r} would override a field the engine "
                             f"sets itself ({', '.join(sorted(reserved))}); remove it")
        try:
            parsed = json.loads(value)
        except (TypeError, ValueError):
            parsed = value
        if isinstance(parsed, float) and not math.isfinite(parsed):
            parsed = value
        out[key] = parsed
    return out


def auth_headers(api_key: str | None) -> dict[str, str]:
    """JSON request headers, with a Bearer token when there is a key."""
    headers = {"Content-Type": "application/json", "User-Agent": f"render ({PROTOCOL})"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


def excerpt(data: bytes | str, limit: int = EXCERPT_CHARS) -> str:
    """A short single-line preview of a body, for error messages."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_detail(response: httpx.Response) -> str:
    """The most useful words in an error answer: its JSON error message, else the body's start."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        for key in ("error", "detail", "message"):
            value = payload.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value
            if value:
                return excerpt(value if isinstance(value, str) else json.dumps(value))
    return excerpt(response.content) or "(empty body)"


_HINTS = {
    401: "check the API key",
    403: "check the API key and its permissions",
    404: "check base_url: the server has no such endpoint",
    413: "the request is too large; use a shorter reference clip or chunk",
    429: "the server is rate-limiting; the runner will back off",
}


def post(client: httpx.Client, url: str, body: dict, *, headers: dict, timeout: float,
         engine: str) -> httpx.Response:
    """POST JSON and return a 2xx answer; HTTPEngineError for every transport or HTTP failure."""
    started = time.monotonic()
    try:
        response = client.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise HTTPEngineError(
            f"{engine}: no answer from {url} within {timeout:g} s ({type(exc).__name__}); the server may be "
            "busy or stuck: check it, or raise the engine's timeout option",
            kind="timeout", retryable=True) from None
    except httpx.ConnectError as exc:
        raise HTTPEngineError(
            f"{engine}: cannot connect to {url} ({excerpt(str(exc))}); start the server or fix base_url",
            kind="connect", retryable=True) from None
    except httpx.UnsupportedProtocol as exc:
        raise InputError(f"{engine}: cannot use {url} ({exc}); "
                         "base_url must start with http:// or https://") from None
    except httpx.TransportError as exc:
        raise HTTPEngineError(
            f"{engine}: the connection to {url} failed ({type(exc).__name__}: {excerpt(str(exc))})",
            kind="network", retryable=True) from None
    log.debug("%s: POST %s -> %s in %.2f s", engine, url, response.status_code, time.monotonic() - started)
    status = response.status_code
    if 300 <= status < 400:
        raise HTTPEngineError(
            f"{engine}: {url} answered HTTP {status}, a redirect to {response.headers.get('location', '?')}; "
            "set base_url to the server's real address", kind="http", status=status, retryable=False)
    if status >= 400:
        hint = _HINTS.get(status)
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise HTTPEngineError(
            f"{engine}: {url} answered HTTP {status}{reason}: {error_detail(response)}"
            + (f" ({hint})" if hint else ""),
            kind="http", status=status, retryable=status in (408, 425, 429) or status >= 500)
    return response


def resample(samples: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Band-limited resampling through the FFT, with zero padding against wrap-around."""
    if src == dst or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    pad = src // 20  # 50 ms of silence on each side keeps the periodic FFT from wrapping the ends
    padded = np.concatenate([np.zeros(pad), samples.astype(np.float64), np.zeros(pad)])
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


def _pcm(data: bytes, content_type: str, engine: str) -> tuple[np.ndarray, int]:
    """Raw 16-bit little-endian PCM to (frames, channels) float32 and its rate."""
    params = dict(re.findall(r"(\w+)\s*=\s*([\w.]+)", content_type.lower()))
    rate = int(params.get("rate", PCM_RATE))
    channels = max(1, int(params.get("channels", 1)))
    if len(data) % (2 * channels):
        raise HTTPEngineError(f"{engine}: PCM answer of {len(data)} bytes is not whole 16-bit frames "
                              f"of {channels} channel(s); the audio is truncated",
                              kind="audio", retryable=True)
    frames = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    return frames.reshape(-1, channels), rate


def decode_audio(data: bytes, content_type: str, *, sample_rate: int, text: str, engine: str) -> Audio:
    """Audio bytes from a server to checked mono float32 Audio at sample_rate."""
    if not data:
        raise HTTPEngineError(f"{engine}: the server answered with an empty body instead of audio",
                              kind="audio", retryable=True)
    mime = content_type.split(";")[0].strip().lower()
    if mime in ("audio/pcm", "audio/l16", "audio/raw"):
        frames, rate = _pcm(data, content_type, engine)
    else:
        try:
            frames, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        except (sf.SoundFileError, RuntimeError, ValueError, TypeError) as exc:
            raise HTTPEngineError(
                f"{engine}: the answer is not audio ({mime or 'no content type'}, {len(data)} bytes "
                f"starting {data[:24]!r}; libsndfile: {excerpt(str(exc), 120)})",
                kind="audio", retryable=True) from None
    samples = frames.mean(axis=1, dtype=np.float32) if frames.ndim == 2 else frames
    return check_audio(samples, int(rate), sample_rate=sample_rate, text=text, engine=engine)


def check_audio(samples: np.ndarray, rate: int, *, sample_rate: int, text: str, engine: str) -> Audio:
    """Reject empty, non-finite, silent or implausibly long/short takes; resample to sample_rate."""
    def bad(why: str) -> HTTPEngineError:
        return HTTPEngineError(f"{engine}: unusable audio for {excerpt(text, 60)!r}: {why}",
                               kind="audio", retryable=True)

    if samples.size == 0 or rate <= 0:
        raise bad("the file holds no samples")
    if not np.isfinite(samples).all():
        raise bad("it contains NaN or infinite samples")
    peak = float(np.max(np.abs(samples)))
    if peak < SILENCE_PEAK:
        raise bad(f"it is silence (peak {20 * math.log10(max(peak, 1e-12)):.0f} dBFS)")
    seconds = samples.size / rate
    words = max(1, len(text.split()))
    low, high = 0.05 * words, 30.0 + 3.0 * words  # speech runs ~0.25-0.6 s a word
    if not low <= seconds <= high:
        raise bad(f"{seconds:.2f} s is implausible for {words} word(s) (expected {low:.2f}-{high:.0f} s)")
    if peak > 1.0:
        samples = samples / peak
    samples = resample(np.asarray(samples, dtype=np.float32), rate, sample_rate)
    return Audio(samples=np.ascontiguousarray(samples, dtype=np.float32), sample_rate=sample_rate)


def read_reference(path: str, engine: str) -> bytes:
    """The bytes of a reference clip; InputError when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{engine}: cannot read reference audio {path!r} ({exc.strerror or exc}); "
                         "fix ref_audio in the cast file") from None
    if not data:
        raise InputError(f"{engine}: reference audio {path!r} is empty; fix ref_audio in the cast file")
    return data


# --- the OpenAI-compatible engine -------------------------------------------------------------

@dataclass(frozen=True)
class OpenAIOptions:
    """Which OpenAI-compatible server to ask, and how."""

    base_url: str = ""  # server root, e.g. http://127.0.0.1:8880 (trailing /v1 ok); "" = $RENDER_OPENAI_URL
    model: str = "tts-1"  # the server's model name; part of the cache fingerprint
    api_key: str | None = field(default=None, repr=False)  # Bearer token; None = $OPENAI_API_KEY; not logged
    timeout: float = 120.0  # seconds to wait for one chunk's audio
    sample_rate: int = 24000  # the rate synthesize() returns; other server rates are resampled


class OpenAIEngine:
    """Any server speaking OpenAI's /v1/audio/speech, with optional zero-shot cloning fields."""

    name = "openai"
    deterministic = False  # most such servers sample; none promises identical takes

    def __init__(self, options: OpenAIOptions | None = None, *, transport: httpx.BaseTransport | None = None,
                 **kwargs):
        self.options = make_options(OpenAIOptions, self.name, options, kwargs)
        if not isinstance(self.options.model, str) or not self.options.model.strip():
            raise InputError("openai engine: model must be a non-empty server model name, e.g. tts-1")
        self.timeout = check_timeout(self.options.timeout, self.name)
        self.sample_rate = check_rate(self.options.sample_rate, self.name)
        base = server_url(self.options.base_url, "RENDER_OPENAI_URL", None, self.name)
        self.base_url = base[:-3] if base.endswith("/v1") else base
        self.url = f"{self.base_url}/v1/audio/speech"
        key = self.options.api_key if self.options.api_key is not None else os.environ.get("OPENAI_API_KEY")
        self._headers = auth_headers(key or None)
        self.version = f"{PROTOCOL};wav;sr={self.sample_rate}"
        self._client = httpx.Client(transport=transport)

    def fingerprint(self) -> str:
        return f"{self.base_url}|{self.options.model.strip()}"

    def check_voice(self, voice: str) -> None:
        if not isinstance(voice, str) or not voice.strip():
            raise InputError("openai engine: a voice name is required (the server's voice id, e.g. alloy)")

    def voices(self) -> list[str]:
        return []

    def default_voices(self, gender: str) -> list[str]:
        return voice_pool(gender, FEMALE, MALE, NEUTRAL)

    def request_body(self, request: SynthRequest) -> dict:
        """The JSON body for one chunk; InputError for a request that cannot be sent."""
        self.check_voice(request.voice)
        text = request.text.strip()
        if not text:
            raise HTTPEngineError("openai: nothing to say: the chunk has no spoken text",
                                  kind="request", retryable=False)
        body = {
            "model": self.options.model.strip(),
            "input": text,
            "voice": request.voice.strip(),
            "response_format": "wav",
            "speed": check_speed(request.speed, self.name),
        }
        if request.ref_audio:
            if not (request.ref_text or "").strip():
                raise InputError(f"openai: reference audio {request.ref_audio!r} has no ref_text; cloning "
                                 "servers need the words spoken in the clip: add ref_text to the cast file")
            body["ref_audio"] = base64.b64encode(read_reference(request.ref_audio, self.name)).decode("ascii")
            body["ref_text"] = request.ref_text.strip()
        reserved = {"model", "input", "voice", "response_format", "speed", "ref_audio", "ref_text"}
        body.update(extra_fields(request.extra, reserved, self.name))
        return body

    def synthesize(self, request: SynthRequest) -> Audio:
        body = self.request_body(request)
        response = post(self._client, self.url, body, headers=self._headers, timeout=self.timeout,
                        engine=self.name)
        content_type = response.headers.get("content-type", "")
        mime = content_type.split(";")[0].strip().lower()
        textual = mime in ("application/json", "text/html", "text/plain")
        if textual and not response.content.startswith(_AUDIO_MAGIC):
            raise HTTPEngineError(f"openai: {self.url} answered {content_type} instead of audio: "
                                  f"{error_detail(response)}", kind="protocol", retryable=True)
        return decode_audio(response.content, content_type, sample_rate=self.sample_rate,
                            text=body["input"], engine=self.name)

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._client.close()

    def __enter__(self) -> OpenAIEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


register("openai", OpenAIEngine)
