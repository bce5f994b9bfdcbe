"""OpenAI-compatible speech servers: `POST {base_url}/v1/audio/speech`.

Protocol: JSON `{model, input, voice, response_format: "wav", speed}`; the answer's body is the
audio. Zero-shot cloning servers also take `ref_audio` (base64 of the reference file's bytes,
at most `max_ref_bytes` decoded: omlx allows 20 MB) and `ref_text` (the words spoken in it;
required whenever `ref_audio` is sent). Servers that accept `instructions` (OpenAI's
gpt-4o-mini-tts and some compatible ones) get the character's description and the chunk's
<action> directions there when the `instructions` option is true. `request.extra` pairs are
added to the body as server-specific knobs; a value that parses as JSON keeps its type.

The answer may be WAV (or anything libsndfile reads) or raw 16-bit little-endian PCM when the
server labels it `audio/pcm` or `audio/L16` (24 kHz mono unless the type says `rate=`/`channels=`).
The cache fingerprint is the `model` option, never the server's address: servers running the
same model share cache objects, and a server that moves does not invalidate a finished book.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InputError
from ..speak.parse import parse_prompt
from .base import Audio, SynthRequest, VoiceSet, register, voice_pool
from .http import (
    AUDIO_MAGIC,
    HTTPEngineError,
    api_key,
    auth_headers,
    check_rate,
    check_speed,
    check_timeout,
    decode_audio,
    error_detail,
    extra_fields,
    post,
    read_reference,
    read_timeout,
    server_url,
)
from .options import make_options

if TYPE_CHECKING:  # httpx (and the CLI libraries it loads) only when a request is made
    import httpx

PROTOCOL = "openai-speech/1"  # the client protocol; bump when requests or decoding change
OMLX_REF_LIMIT = 20_000_000  # bytes of decoded reference audio the omlx server accepts

# OpenAI's voice names, which OpenAI-compatible servers commonly accept or map to their own.
FEMALE = ["nova", "shimmer", "coral", "sage"]
MALE = ["onyx", "echo", "fable", "ash"]
NEUTRAL = ["alloy"]


# --- the OpenAI-compatible engine -------------------------------------------------------------

@dataclass(frozen=True)
class OpenAIOptions:
    """Which OpenAI-compatible server to ask, and how."""

    base_url: str = ""  # server root, e.g. http://127.0.0.1:8880 (trailing /v1 ok); "" = $RENDER_OPENAI_URL
    model: str = "tts-1"  # the server's model name; the cache fingerprint (not the URL)
    api_key: str | None = field(default=None, repr=False)  # Bearer token; None = $OPENAI_API_KEY; never written
    # read timeout per chunk in seconds; None = 60 s + 6 x its expected audio (x2 until the server first answers)
    timeout: float | None = None
    connect_timeout: float = 5.0  # seconds to open the connection (a dead server fails fast)
    sample_rate: int = 24000  # the rate synthesize() returns; other server rates are resampled
    instructions: bool = False  # the server accepts `instructions`: send description + <action> text
    max_ref_bytes: int = OMLX_REF_LIMIT  # largest reference clip uploaded (decoded bytes)


class OpenAIEngine:
    """Any server speaking OpenAI's /v1/audio/speech, with optional zero-shot cloning fields."""

    name = "openai"
    options_class = OpenAIOptions
    deterministic = False  # most such servers sample; none promises identical takes

    def __init__(self, options: OpenAIOptions | None = None, *, transport: httpx.BaseTransport | None = None,
                 **kwargs):
        self.options = make_options(OpenAIOptions, self.name, options, kwargs)
        if not isinstance(self.options.model, str) or not self.options.model.strip():
            raise InputError("openai engine: model must be a non-empty server model name, e.g. tts-1")
        self.timeout = check_timeout(self.options.timeout, self.name, optional=True)
        self.connect_timeout = check_timeout(self.options.connect_timeout, self.name, "connect_timeout")
        self.sample_rate = check_rate(self.options.sample_rate, self.name)
        if isinstance(self.options.max_ref_bytes, bool) or not isinstance(self.options.max_ref_bytes, int) \
                or self.options.max_ref_bytes <= 0:
            raise InputError("openai engine: max_ref_bytes must be a positive number of bytes")
        base = server_url(self.options.base_url, "RENDER_OPENAI_URL", None, self.name)
        self.base_url = base[:-3] if base.endswith("/v1") else base
        self.url = f"{self.base_url}/v1/audio/speech"
        self._headers = auth_headers(api_key(self.options.api_key, "OPENAI_API_KEY"), PROTOCOL)
        self.version = f"{PROTOCOL};wav;sr={self.sample_rate}" + (";instructions" if self.options.instructions else "")
        import httpx

        self._client = httpx.Client(transport=transport)
        self._warm = False  # the server has answered once

    def fingerprint(self) -> str:
        return self.options.model.strip()

    def check_voice(self, voice: str) -> None:
        if not isinstance(voice, str) or not voice.strip():
            raise InputError("openai engine: a voice name is required (the server's voice id, e.g. alloy)")

    def voices(self) -> list[str]:
        return []

    def default_voices(self, gender: str) -> list[str]:
        return voice_pool(gender, FEMALE, MALE, NEUTRAL)

    def check_reference(self, ref_audio: str, ref_text: str | None) -> bytes:
        """The clip's bytes; InputError when it has no ref_text, cannot be read or is over the limit."""
        if not (ref_text or "").strip():
            raise InputError(f"openai: reference audio {ref_audio!r} has no ref_text; cloning "
                             "servers need the words spoken in the clip: add ref_text to the cast file")
        return read_reference(ref_audio, self.name, self.options.max_ref_bytes)

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
            data = self.check_reference(request.ref_audio, request.ref_text)
            body["ref_audio"] = base64.b64encode(data).decode("ascii")
            body["ref_text"] = request.ref_text.strip()
        if self.options.instructions:
            words = [request.description.strip(), *parse_prompt(request.xml).actions]
            told = " ".join(w if w.endswith((".", "!", "?")) else w + "." for w in words if w)
            if told:
                body["instructions"] = told
        reserved = {"model", "input", "voice", "response_format", "speed", "ref_audio", "ref_text"}
        body.update(extra_fields(request.extra, reserved, self.name))
        return body

    def synthesize(self, request: SynthRequest) -> Audio:
        body = self.request_body(request)
        timeout = read_timeout(self.timeout, body["input"], body["speed"], base=60.0, per_second=6.0,
                               cold=not self._warm)
        response = post(self._client, self.url, body, headers=self._headers, timeout=timeout,
                        connect=self.connect_timeout, engine=self.name)
        self._warm = True
        content_type = response.headers.get("content-type", "")
        mime = content_type.split(";")[0].strip().lower()
        textual = mime in ("application/json", "text/html", "text/plain")
        if textual and not response.content.startswith(AUDIO_MAGIC):
            raise HTTPEngineError(f"openai: {self.base_url} answered {content_type} instead of audio: "
                                  f"{error_detail(response)}", kind="protocol", retryable=True, url=self.url)
        return decode_audio(response.content, content_type, sample_rate=self.sample_rate,
                            text=body["input"], engine=self.name)

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._client.close()

    def __enter__(self) -> OpenAIEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


register("openai", OpenAIEngine, VoiceSet(tuple(FEMALE), tuple(MALE), "fable"))
