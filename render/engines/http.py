"""HTTP plumbing shared by the server engines (openai, scenema): requests, faults, decoding.

Every failure is an HTTPEngineError (an EngineError) whose `fault` says how to treat it:
  "rejected"  the server calls the request invalid or too large (400, 404, 405, 413, 422):
              the same request fails again, so it is never retried;
  "auth"      unauthorised (401, 403): no request will succeed until the key is fixed;
  "transient" timeouts, connection errors, 5xx, 429, garbage bodies: retried with backoff
              and, with several servers, sent to another one.
Messages never carry secrets (see secrets.redact) nor Python object reprs.
"""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import math
import os
import re
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import soundfile as sf

from ..errors import EngineError, InputError
from .audio import audio_problem, resample
from .base import Audio
from .secrets import redact, remember, safe_url

if TYPE_CHECKING:  # httpx (and the CLI libraries it loads) only when a request is made
    import httpx

log = logging.getLogger(__name__)

PCM_RATE = 24000  # OpenAI's raw "pcm" output: 24 kHz, 16-bit little-endian, mono
EXCERPT_CHARS = 200  # how much of an error body goes into a message
SECONDS_PER_WORD = 0.4  # expected speech per word at speed 1.0, for read timeouts
COLD_START = 2.0  # read-timeout factor until a server has answered once (model loading, warm-up)
AUDIO_MAGIC = (b"RIFF", b"RIFX", b"RF64", b"fLaC", b"OggS", b"ID3", b"FORM")  # audio despite a text type
REJECTED = {400, 404, 405, 410, 413, 414, 415, 422}  # the same request will be refused again
AUTH = {401, 403}  # nothing will succeed until the credentials change


class HTTPEngineError(EngineError):
    """An HTTP engine's failure; `retryable` is True when the same request may succeed later."""

    def __init__(self, message: str, *, kind: str, retryable: bool, status: int | None = None,
                 url: str | None = None):
        super().__init__(redact(message))
        self.kind = kind  # "timeout" | "connect" | "network" | "http" | "protocol" | "audio" | "request"
        self.retryable = retryable  # the runner may retry (with backoff) only when True
        self.status = status  # the HTTP status code, when the server answered
        self.url = safe_url(url) if url else None  # the server that failed, when one did

    @property
    def fault(self) -> str:
        """"auth", "rejected" or "transient" (see the module docstring)."""
        if self.status in AUTH:
            return "auth"
        return "transient" if self.retryable else "rejected"


_HINTS = {
    400: "the server refuses this request: check the engine options and the cast's voices",
    401: "check the API key (api_key option or its environment variable)",
    403: "check the API key and its permissions",
    404: "check base_url: the server has no such endpoint",
    413: "the request is too large: use a shorter reference clip (ref_audio) or shorter chunks (--max-seconds)",
    422: "the server refuses a field of this request: check the engine options and the cast's voices",
    429: "the server is rate-limiting; requests are backed off",
}


def server_url(option: str, env: str, default: str | None, engine: str) -> str:
    """The server root from the option, else the environment variable, else the default."""
    url = (option or os.environ.get(env, "") or default or "").strip().rstrip("/")
    if not url:
        raise InputError(f"the {engine} engine needs a server: pass --server URL (or base_url=...) or set {env}")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{engine} server {safe_url(url)!r} is not an http(s) URL like http://127.0.0.1:8000")
    if parts.password:
        remember(parts.password)
    return url


def api_key(option: str | None, env: str) -> str | None:
    """The API key from the option, else the environment; remembered as a secret either way."""
    key = option if option is not None else os.environ.get(env)
    remember(key)
    return key or None


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (localhost or a loopback address)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_timeout(value, engine: str, name: str = "timeout", optional: bool = False) -> float | None:
    """A positive, finite number of seconds (or None when optional), else InputError."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InputError(f"{engine} engine: {name} must be a positive number of seconds, not {value!r}")
    return float(value)


def read_timeout(fixed: float | None, text: str, speed: float, base: float, per_second: float,
                 cold: bool = False) -> float:
    """The read timeout for one chunk: fixed when set, else base + per_second x its expected audio,
    doubled for a server's first answer (it may be loading its model)."""
    if fixed is not None:
        return fixed
    expected = max(1, len(text.split())) * SECONDS_PER_WORD / max(speed, 0.25)
    return (base + per_second * expected) * (COLD_START if cold else 1)


def check_rate(value, engine: str) -> int:
    """A sample rate between 8 kHz and 192 kHz, else InputError."""
    if isinstance(value, bool) or not isinstance(value, int) or not 8000 <= value <= 192000:
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


def auth_headers(key: str | None, protocol: str) -> dict[str, str]:
    """JSON request headers, with a Bearer token when there is a key."""
    headers = {"Content-Type": "application/json", "User-Agent": f"render ({protocol})"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def excerpt(data: bytes | str, limit: int = EXCERPT_CHARS) -> str:
    """A short single-line preview of a body, for error messages."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(data)
    text = redact(re.sub(r"\s+", " ", text).strip())
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


def post(client: httpx.Client, url: str, body: dict, *, headers: dict, timeout: float, connect: float,
         engine: str) -> httpx.Response:
    """POST JSON and return a 2xx answer; HTTPEngineError for every transport or HTTP failure."""
    import httpx

    started = time.monotonic()
    shown = safe_url(url)
    limits = httpx.Timeout(timeout, connect=min(connect, timeout))
    try:
        response = client.post(url, json=body, headers=headers, timeout=limits)
    except httpx.ConnectTimeout:
        raise HTTPEngineError(f"{engine}: cannot connect to {shown} (no answer within {connect:g} s); "
                              "start the server or fix its URL", kind="connect", retryable=True, url=url) from None
    except httpx.TimeoutException as exc:
        raise HTTPEngineError(
            f"{engine}: no answer from {shown} within {timeout:g} s ({type(exc).__name__}); the server may be "
            "busy or stuck: check it, or raise the engine's timeout option",
            kind="timeout", retryable=True, url=url) from None
    except httpx.ConnectError as exc:
        raise HTTPEngineError(f"{engine}: cannot connect to {shown} ({excerpt(str(exc), 80)}); "
                              "start the server or fix its URL", kind="connect", retryable=True, url=url) from None
    except httpx.UnsupportedProtocol:
        raise InputError(f"{engine}: cannot use {shown}; the server URL must start with http:// or https://") from None
    except httpx.TransportError as exc:
        raise HTTPEngineError(
            f"{engine}: the connection to {shown} failed ({type(exc).__name__}: {excerpt(str(exc), 80)})",
            kind="network", retryable=True, url=url) from None
    log.debug("%s: POST %s -> %s in %.2f s", engine, shown, response.status_code, time.monotonic() - started)
    status = response.status_code
    if 300 <= status < 400:
        raise HTTPEngineError(
            f"{engine}: {shown} answered HTTP {status}, a redirect to "
            f"{safe_url(response.headers.get('location', '?'))}; set the server URL to its real address",
            kind="http", status=status, retryable=False, url=url)
    if status >= 400:
        hint = _HINTS.get(status)
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise HTTPEngineError(
            f"{engine}: {shown} answered HTTP {status}{reason}: {error_detail(response)}"
            + (f" ({hint})" if hint else ""),
            kind="http", status=status, url=url,
            retryable=status not in REJECTED | AUTH and (status >= 500 or status in (408, 425, 429)))
    return response


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
            why = re.sub(r"^Error opening .*?: ", "", str(exc))
            raise HTTPEngineError(
                f"{engine}: the answer is not audio ({mime or 'no content type'}, {len(data)} bytes "
                f"starting {data[:24]!r}; libsndfile: {excerpt(why, 120)})",
                kind="audio", retryable=True) from None
    samples = frames.mean(axis=1, dtype=np.float32) if frames.ndim == 2 else frames
    problem = audio_problem(samples, int(rate), text)
    if problem:
        raise HTTPEngineError(f"{engine}: unusable audio: {problem}", kind="audio", retryable=True)
    peak = float(np.max(np.abs(samples)))
    if peak > 1.0:
        samples = samples / peak
    samples = resample(np.asarray(samples, dtype=np.float32), int(rate), sample_rate)
    return Audio(samples=np.ascontiguousarray(samples, dtype=np.float32), sample_rate=sample_rate)


def read_reference(path: str, engine: str, max_bytes: int) -> bytes:
    """The bytes of a reference clip, at most max_bytes; InputError when it cannot be sent."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise InputError(f"{engine}: cannot read reference audio {path!r} ({exc.strerror or exc}); "
                         "fix ref_audio in the cast file") from None
    if size > max_bytes:
        raise InputError(f"{engine}: reference audio {path!r} is {size / 1e6:.1f} MB, over the server's "
                         f"{max_bytes / 1e6:.0f} MB limit; use a 10-20 s clip (or raise max_ref_bytes)")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{engine}: cannot read reference audio {path!r} ({exc.strerror or exc}); "
                         "fix ref_audio in the cast file") from None
    if not data:
        raise InputError(f"{engine}: reference audio {path!r} is empty; fix ref_audio in the cast file")
    return data
