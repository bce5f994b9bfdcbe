"""Scenema Audio, the expressive engine the <speak> format comes from, over HTTP.

API (from the ScenemaAI/scenema-audio README, "API Reference", and its server's input parser):
`POST {base_url}/generate` with JSON
  prompt               the <speak> XML, sent verbatim (required)
  mode                 "generate" (chunked pipeline, default) | "voice_design" (one 15 s preview)
  seed                 int, -1 = random (sent when the request has no seed)
  pace                 duration multiplier, server default 1.5 (higher = slower); sent as pace / speed
  validate             server-side Whisper check, regenerating chunks that misread (default true)
  skip_vc              skip SeedVC voice conversion (default false)
  background_sfx       keep generated sound effects (default false); needed for <sound> in wide/scene shots
  reference_voice_url  http(s):// or file:// URL of a 10-20 s reference clip for zero-shot cloning
  (min_match_ratio, vc_steps, vc_cfg_rate, enhance: pass through request.extra when wanted)
Answer: `{"status": "succeeded", "audio": <base64 WAV>, "content_type": "audio/wav",
"metadata": {"duration_s", "sample_rate", "seed", ...}}`, 48 kHz stereo; on failure HTTP 500
with `{"status": "failed", "error": "..."}`.

Assumptions: the stock server has no authentication and no version endpoint (GET /health says
only {"status": "ok"}); api_key is sent as a Bearer token for a proxy in front of it, and the
fingerprint is the `model` option, a label naming the weights the server runs (never the URL,
so servers running the same weights share cache objects).
The server downloads reference audio itself, so a local ref_audio path is sent as a file://
URL only when the server is on this machine (loopback base_url); otherwise it must be a URL.
The API takes gender "male" or "female" only: a prompt whose gender is anything else is sent
with the gender its voice description names ("Female, 30s...") or else `neutral_gender`.
The seed is the request's, else one derived from the prompt, voice and speed, so a chunk is
always asked for with the same seed. Per-chunk knobs (pace, validate, skip_vc, vc_steps,
vc_cfg_rate, background_sfx, ...) come through request.extra and override the book's options.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..speak.build import PromptSpec, build_prompt
from ..speak.parse import parse_prompt
from .base import Audio, SynthRequest, VoiceSet, register, voice_pool
from .http import (
    HTTPEngineError,
    api_key,
    auth_headers,
    check_rate,
    check_speed,
    check_timeout,
    decode_audio,
    error_detail,
    excerpt,
    extra_fields,
    is_loopback,
    post,
    read_timeout,
    server_url,
)
from .options import make_options

if TYPE_CHECKING:  # httpx (and the CLI libraries it loads) only when a request is made
    import httpx

PROTOCOL = "scenema-generate/1"  # the client protocol; bump when requests or decoding change
DEFAULT_URL = "http://127.0.0.1:8000"  # where `docker compose up` serves Scenema Audio
MODES = ("generate", "voice_design")
WIDE_SHOTS = ("wide", "scene")  # shots whose <sound> events are meant to be heard
# Server errors that the same request will hit again: malformed input, a missing reference.
_PERMANENT = re.compile(r"Invalid prompt XML|Invalid mode|Missing required|Reference file not found", re.I)
GENDERS = ("male", "female")  # all the API accepts
_FEMALE_WORDS = re.compile(r"\b(female|woman|girl|lady|she|her)\b", re.I)
_MALE_WORDS = re.compile(r"\b(male|man|boy|gentleman|he|his)\b", re.I)
# body fields a book or a character may set per request (cast `engine:` entries -> request.extra)
REQUEST_OPTIONS = ("pace", "validate", "skip_vc", "vc_steps", "vc_cfg_rate", "background_sfx",
                   "min_match_ratio", "enhance", "mode")

# Voice descriptions handed to characters the cast does not describe.
FEMALE = [
    "Female, early 30s. Clear, warm and natural, an easy conversational delivery.",
    "Female, late 50s. Low and calm, quietly amused, unhurried.",
    "Female, early 20s. Bright and quick, expressive, a little breathless.",
]
NARRATOR = "Male, 50s. Warm, clear storyteller, unhurried and even."
MALE = [
    "Male, 40s. Warm baritone, steady and natural.",
    "Male, late 20s. Light tenor, quick and earnest.",
    "Male, 60s. Deep and gravelly, slow, weathered.",
]


@dataclass(frozen=True)
class ScenemaOptions:
    """Which Scenema Audio server to ask, and the generation settings sent with every prompt."""

    base_url: str = ""  # server root; "" = $RENDER_SCENEMA_URL, else http://127.0.0.1:8000
    # Bearer token for an auth proxy in front of the server; None = $RENDER_SCENEMA_API_KEY
    api_key: str | None = field(default=None, repr=False)
    # read timeout per chunk in seconds; None = 120 s + 10 x its expected audio (x2 until the server first answers)
    timeout: float | None = None
    connect_timeout: float = 5.0  # seconds to open the connection (a dead server fails fast)
    mode: str = "generate"  # "generate" (chunked pipeline) or "voice_design" (one 15 s voice preview)
    validate: bool = True  # let the server Whisper-check and regenerate chunks that misread
    skip_vc: bool = False  # skip SeedVC voice conversion (identity transfer, cross-chunk consistency)
    pace: float = 1.5  # the server's duration multiplier at speed 1.0 (higher = slower)
    background_sfx: bool | None = None  # keep generated SFX; None = only for shot="wide"/"scene" prompts
    model: str = "scenema-audio"  # label of the server's weights (e.g. scenema-audio-int8); fingerprint only
    sample_rate: int = 48000  # the rate synthesize() returns (the server's native 48 kHz)
    neutral_gender: str = "male"  # gender sent for a neutral speaker whose description names none
    vc_steps: int | None = None  # SeedVC diffusion steps; None = the server's default
    vc_cfg_rate: float | None = None  # SeedVC guidance rate; None = the server's default


class ScenemaEngine:
    """Scenema Audio's POST /generate: expressive, seeded, 48 kHz, voices are descriptions."""

    name = "scenema"
    options_class = ScenemaOptions
    request_options = REQUEST_OPTIONS
    voices_are_descriptions = True  # a voice id is the prompt's voice="..." description
    deterministic = False  # diffusion sampling: the same seed is close, not bit-identical

    def __init__(self, options: ScenemaOptions | None = None, *, transport: httpx.BaseTransport | None = None,
                 **kwargs):
        self.options = opts = make_options(ScenemaOptions, self.name, options, kwargs)
        if opts.mode not in MODES:
            raise InputError(f"scenema engine: mode {opts.mode!r} is not one of {', '.join(MODES)}")
        for flag in ("validate", "skip_vc"):
            if not isinstance(getattr(opts, flag), bool):
                raise InputError(f"scenema engine: {flag} must be true or false")
        if opts.background_sfx is not None and not isinstance(opts.background_sfx, bool):
            raise InputError("scenema engine: background_sfx must be true, false or unset")
        if not isinstance(opts.pace, (int, float)) or not math.isfinite(opts.pace) or opts.pace <= 0:
            raise InputError(f"scenema engine: pace must be a positive number (server default 1.5), "
                             f"not {opts.pace!r}")
        if opts.neutral_gender not in GENDERS:
            raise InputError(f"scenema engine: neutral_gender must be male or female, not {opts.neutral_gender!r}")
        self.timeout = check_timeout(opts.timeout, self.name, optional=True)
        self.connect_timeout = check_timeout(opts.connect_timeout, self.name, "connect_timeout")
        self.sample_rate = check_rate(opts.sample_rate, self.name)
        self.base_url = server_url(opts.base_url, "RENDER_SCENEMA_URL", DEFAULT_URL, self.name)
        self.url = f"{self.base_url}/generate"
        self._headers = auth_headers(api_key(opts.api_key, "RENDER_SCENEMA_API_KEY"), PROTOCOL)
        sfx = "auto" if opts.background_sfx is None else int(opts.background_sfx)
        vc = "".join(f";{k}={v:g}" for k, v in (("vc_steps", opts.vc_steps), ("vc_cfg", opts.vc_cfg_rate))
                     if v is not None)
        self.version = (f"{PROTOCOL};mode={opts.mode};pace={opts.pace:g};validate={int(opts.validate)};"
                        f"skip_vc={int(opts.skip_vc)};sfx={sfx};sr={self.sample_rate};"
                        f"neutral={opts.neutral_gender}{vc}")
        import httpx

        self._client = httpx.Client(transport=transport)
        self._warm = False  # the server has answered once

    def fingerprint(self) -> str:
        return self.options.model

    def check_voice(self, voice: str) -> None:
        """Any description is a voice: the prompt's voice attribute is what the server reads."""

    def voices(self) -> list[str]:
        return []

    def default_voices(self, gender: str) -> list[str]:
        return voice_pool(gender, FEMALE, MALE)

    def reference_url(self, ref_audio: str | None) -> str | None:
        """The reference_voice_url for a cast's ref_audio: a URL as is, a local file as file://."""
        if not ref_audio:
            return None
        if re.match(r"^(https?|file)://", ref_audio):
            return ref_audio
        path = Path(ref_audio).expanduser().resolve()
        if not is_loopback(self.base_url):
            raise InputError(f"scenema: the server at {self.base_url} downloads reference audio itself and "
                             f"cannot read the local file {ref_audio!r}; put the clip where it can fetch it "
                             "and set ref_audio to its http(s):// URL")
        if not path.is_file():
            raise InputError(f"scenema: reference audio {ref_audio!r} not found; fix ref_audio in the cast file")
        return path.as_uri()

    def check_reference(self, ref_audio: str, ref_text: str | None) -> None:
        """InputError when the server could not fetch this reference clip."""
        self.reference_url(ref_audio)

    def gender(self, gender: str, description: str) -> str:
        """The API's male/female for a speaker: theirs, else their description's, else neutral_gender."""
        if gender in GENDERS:
            return gender
        female, male = _FEMALE_WORDS.search(description or ""), _MALE_WORDS.search(description or "")
        if female and (not male or female.start() < male.start()):
            return "female"
        if male:
            return "male"
        return self.options.neutral_gender

    def prompt_xml(self, request: SynthRequest) -> str:
        """The prompt as the server must see it: gender male or female, everything else as built."""
        prompt = parse_prompt(request.xml)  # a malformed prompt never reaches the server
        gender = self.gender(prompt.gender, prompt.voice or request.description)
        if gender == prompt.gender:
            return request.xml
        return build_prompt(PromptSpec(voice=prompt.voice, gender=gender, text=prompt.text, scene=prompt.scene,
                                       language=prompt.language, shot=prompt.shot, actions=prompt.actions,
                                       sounds=prompt.sounds))

    def request_body(self, request: SynthRequest) -> dict:
        """The JSON body for one chunk; InputError for a request that cannot be sent."""
        prompt = parse_prompt(request.xml)
        xml = self.prompt_xml(request)
        if request.seed is not None and (not isinstance(request.seed, int) or request.seed < -1):
            raise InputError(f"scenema: seed must be a non-negative integer, not {request.seed!r}")
        opts = self.options
        sfx = opts.background_sfx if opts.background_sfx is not None else prompt.shot in WIDE_SHOTS
        seed = request.seed if request.seed is not None else chunk_seed(xml, request)
        body = {
            "prompt": xml,
            "mode": opts.mode,
            "seed": seed,
            "pace": round(opts.pace / check_speed(request.speed, self.name), 4),
            "validate": opts.validate,
            "skip_vc": opts.skip_vc,
            "background_sfx": sfx,
        }
        for name in ("vc_steps", "vc_cfg_rate"):
            if getattr(opts, name) is not None:
                body[name] = getattr(opts, name)
        ref = self.reference_url(request.ref_audio)
        if ref:
            body["reference_voice_url"] = ref
        extra = extra_fields(request.extra, {"prompt", "seed"}, self.name)
        if "pace" in extra:  # a character's pace scales with the chunk's speed like the book's
            extra["pace"] = round(float(extra["pace"]) / check_speed(request.speed, self.name), 4)
        body.update(extra)
        return body

    def synthesize(self, request: SynthRequest) -> Audio:
        body = self.request_body(request)
        text = request.text.strip() or parse_prompt(request.xml).text
        timeout = read_timeout(self.timeout, text, request.speed, base=120.0, per_second=10.0,
                               cold=not self._warm)
        try:
            response = post(self._client, self.url, body, headers=self._headers, timeout=timeout,
                            connect=self.connect_timeout, engine=self.name)
        except HTTPEngineError as exc:
            if exc.status is not None and _PERMANENT.search(str(exc)):
                exc.retryable = False
            raise
        self._warm = True
        data, content_type = self._audio_bytes(response)
        return decode_audio(data, content_type, sample_rate=self.sample_rate, text=text, engine=self.name)

    def _audio_bytes(self, response: httpx.Response) -> tuple[bytes, str]:
        """The WAV bytes inside a /generate answer; HTTPEngineError when the answer is not one."""
        try:
            payload = response.json()
        except ValueError:
            raise HTTPEngineError(
                f"scenema: {self.base_url} answered with something that is not JSON "
                f"({response.headers.get('content-type') or 'no content type'}, {len(response.content)} bytes: "
                f"{excerpt(response.content, 80)!r}); is base_url a Scenema Audio server?",
                kind="protocol", retryable=True) from None
        if not isinstance(payload, dict):
            raise HTTPEngineError(f"scenema: expected a JSON object from {self.url}, "
                                  f"got {excerpt(response.text, 80)!r}", kind="protocol", retryable=True)
        status = payload.get("status")
        if status == "failed" or (status is None and payload.get("error")):
            message = error_detail(response)
            raise HTTPEngineError(f"scenema: generation failed: {message}", kind="http",
                                  retryable=not _PERMANENT.search(message), status=response.status_code)
        if status not in (None, "succeeded"):
            raise HTTPEngineError(f"scenema: unexpected status {status!r} from {self.url}",
                                  kind="protocol", retryable=True)
        audio = payload.get("audio")
        if not isinstance(audio, str) or not audio.strip():
            raise HTTPEngineError(f"scenema: the answer from {self.url} has no audio: its 'audio' field is "
                                  f"missing or empty (keys: {', '.join(sorted(payload)) or 'none'})",
                                  kind="audio", retryable=True)
        try:
            data = base64.b64decode(audio, validate=True)
        except (binascii.Error, ValueError):
            raise HTTPEngineError(f"scenema: the answer's audio is not valid base64 ({excerpt(audio, 40)!r})",
                                  kind="protocol", retryable=True) from None
        content_type = payload.get("content_type")
        return data, content_type if isinstance(content_type, str) else "audio/wav"

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._client.close()

    def __enter__(self) -> ScenemaEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def chunk_seed(xml: str, request: SynthRequest) -> int:
    """A seed fixed by what the chunk says and how: the same chunk always gets the same seed."""
    record = "\x1f".join([xml, request.voice, f"{request.speed:.4f}", request.ref_audio or ""])
    return int.from_bytes(hashlib.sha256(record.encode("utf-8")).digest()[:4], "big") & 0x7FFFFFFF


register("scenema", ScenemaEngine, VoiceSet(tuple(FEMALE), tuple(MALE), NARRATOR))
