"""The HTTP engines (openai, scenema) against httpx.MockTransport and a real loopback server."""

from __future__ import annotations

import base64
import io
import json

import httpx
import numpy as np
import pytest
import soundfile as sf

from render.engines import base
from render.engines.base import SynthRequest
from render.engines.audio import resample
from render.engines.http import HTTPEngineError
from render.engines.openai import OpenAIEngine
from render.engines.scenema import ScenemaEngine
from render.errors import EngineError, InputError
from tests.loopback import SpeechServer, closed_port

TEXT = "The glass is falling fast."
XML = f'<speak voice="Female, early 30s. Dry, steady." gender="female">{TEXT}</speak>'
WIDE_XML = ('<speak voice="Male, 40s." gender="male" shot="wide" scene="Lighthouse gallery, storm">'
            '<sound>Wind howls</sound>Keep your eyes on her.</speak>')


_ENGINES: list = []  # engines a test made, closed after it so no socket outlives its test


@pytest.fixture(autouse=True)
def _clean_env_and_close(monkeypatch):
    for var in ("OPENAI_API_KEY", "RENDER_OPENAI_URL", "RENDER_SCENEMA_URL", "RENDER_SCENEMA_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    yield
    while _ENGINES:
        _ENGINES.pop().close()


def track(engine):
    _ENGINES.append(engine)
    return engine


def sine(seconds=1.0, rate=24000, freq=440.0, channels=1, amp=0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    wave = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.stack([wave] * channels, axis=1) if channels > 1 else wave


def wav_bytes(samples: np.ndarray, rate=24000, subtype="PCM_16") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, rate, format="WAV", subtype=subtype)
    return buf.getvalue()


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * rate / samples.size)


def request(**kw) -> SynthRequest:
    fields = {"xml": XML, "text": TEXT, "voice": "af_heart", "gender": "female"}
    fields.update(kw)
    return SynthRequest(**fields)


class Recorder:
    """A MockTransport handler that records requests and answers with a fixed response."""

    def __init__(self, respond):
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, req: httpx.Request) -> httpx.Response:
        self.requests.append(req)
        return self.respond(req)

    @property
    def transport(self):
        return httpx.MockTransport(self)

    def body(self, i=0) -> dict:
        return json.loads(self.requests[i].content)


def audio_reply(data=None, ctype="audio/wav"):
    data = wav_bytes(sine()) if data is None else data
    return Recorder(lambda req: httpx.Response(200, headers={"content-type": ctype}, content=data))


def scenema_reply(data=None, status=200, payload=None):
    if payload is None:
        data = wav_bytes(sine(rate=48000, channels=2), rate=48000) if data is None else data
        payload = {"status": "succeeded", "audio": base64.b64encode(data).decode(), "content_type": "audio/wav",
                   "metadata": {"sample_rate": 48000, "seed": 42}}
    return Recorder(lambda req: httpx.Response(status, json=payload))


def openai_engine(rec, **kw):
    kw.setdefault("base_url", "http://127.0.0.1:8880")
    return track(OpenAIEngine(transport=rec.transport, **kw))


def scenema_engine(rec, **kw):
    kw.setdefault("base_url", "http://127.0.0.1:8000")
    return track(ScenemaEngine(transport=rec.transport, **kw))


# --- openai: the request ----------------------------------------------------------------------

def test_openai_sends_exact_request_and_decodes_wav():
    rec = audio_reply()
    engine = openai_engine(rec, base_url="http://127.0.0.1:8880/", model="kokoro", api_key="sk-test")
    audio = engine.synthesize(request(speed=1.1))
    req = rec.requests[0]
    assert req.method == "POST"
    assert str(req.url) == "http://127.0.0.1:8880/v1/audio/speech"
    assert rec.body() == {"model": "kokoro", "input": TEXT, "voice": "af_heart",
                          "response_format": "wav", "speed": 1.1}
    assert req.headers["authorization"] == "Bearer sk-test"
    assert req.headers["content-type"] == "application/json"
    assert audio.sample_rate == 24000 == engine.sample_rate
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.seconds == pytest.approx(1.0, abs=1e-3)
    assert dominant_hz(audio.samples, 24000) == pytest.approx(440, abs=2)


def test_openai_base_url_with_v1_and_env(monkeypatch):
    monkeypatch.setenv("RENDER_OPENAI_URL", "http://localhost:9000/v1/")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    rec = audio_reply()
    engine = track(OpenAIEngine(transport=rec.transport))
    engine.synthesize(request())
    assert str(rec.requests[0].url) == "http://localhost:9000/v1/audio/speech"
    assert rec.requests[0].headers["authorization"] == "Bearer sk-env"


def test_openai_without_key_sends_no_authorization():
    rec = audio_reply()
    openai_engine(rec).synthesize(request())
    assert "authorization" not in rec.requests[0].headers


def test_openai_needs_a_server():
    with pytest.raises(InputError, match="RENDER_OPENAI_URL"):
        OpenAIEngine()
    with pytest.raises(InputError, match="http"):
        OpenAIEngine(base_url="ftp://example")
    with pytest.raises(InputError, match="valid options: base_url, model, api_key"):
        OpenAIEngine(base_url="http://127.0.0.1:1", voice="alloy")


def test_openai_ref_audio_is_base64_with_ref_text(tmp_path):
    ref = tmp_path / "mara.wav"
    ref.write_bytes(wav_bytes(sine(seconds=0.5)))
    rec = audio_reply()
    openai_engine(rec).synthesize(request(ref_audio=str(ref), ref_text="  The words in the clip. "))
    body = rec.body()
    assert base64.b64decode(body["ref_audio"]) == ref.read_bytes()
    assert body["ref_text"] == "The words in the clip."


@pytest.mark.parametrize("ref_text", [None, "", "   "])
def test_openai_ref_audio_without_ref_text_is_refused_before_sending(tmp_path, ref_text):
    ref = tmp_path / "mara.wav"
    ref.write_bytes(wav_bytes(sine(seconds=0.5)))
    rec = audio_reply()
    with pytest.raises(InputError, match="ref_text"):
        openai_engine(rec).synthesize(request(ref_audio=str(ref), ref_text=ref_text))
    assert rec.requests == []


def test_openai_missing_reference_file(tmp_path):
    rec = audio_reply()
    with pytest.raises(InputError, match="cannot read reference audio"):
        openai_engine(rec).synthesize(request(ref_audio=str(tmp_path / "nope.wav"), ref_text="Hi."))
    assert rec.requests == []


def test_openai_extra_fields_and_reserved():
    rec = audio_reply()
    engine = openai_engine(rec)
    engine.synthesize(request(extra=(("instructions", "Dry, steady."), ("stream", "false"))))
    assert rec.body()["instructions"] == "Dry, steady." and rec.body()["stream"] is False
    with pytest.raises(InputError, match="override"):
        engine.synthesize(request(extra=(("model", "other"),)))


def test_openai_voice_and_speed_checks():
    rec = audio_reply()
    engine = openai_engine(rec)
    engine.check_voice("alloy")
    with pytest.raises(InputError):
        engine.check_voice("  ")
    with pytest.raises(InputError, match="speed"):
        engine.synthesize(request(speed=9.0))
    assert engine.voices() == [] and engine.default_voices("female")[0] == "nova"
    assert rec.requests == []


def test_openai_fingerprint_and_version():
    rec = audio_reply()
    a = openai_engine(rec, model="kokoro", api_key="sk-secret")
    b = openai_engine(rec, model="tts-1")
    assert a.fingerprint() == "kokoro"  # the model, never the server's address
    assert a.fingerprint() != b.fingerprint()
    moved = openai_engine(rec, base_url="http://10.0.0.7:9000", model="kokoro")
    assert moved.fingerprint() == a.fingerprint() and moved.version == a.version
    assert "sk-secret" not in a.fingerprint() + a.version + repr(a.options)
    assert a.version.startswith("openai-speech/1") and a.deterministic is False


def test_openai_resamples_and_downmixes():
    rec = audio_reply(wav_bytes(sine(rate=48000, channels=2), rate=48000))
    audio = openai_engine(rec).synthesize(request())
    assert audio.sample_rate == 24000 and audio.samples.ndim == 1
    assert audio.samples.size == 24000
    assert dominant_hz(audio.samples, 24000) == pytest.approx(440, abs=2)


def test_openai_accepts_raw_pcm():
    pcm = (sine() * 32767).astype("<i2").tobytes()
    audio = openai_engine(audio_reply(pcm, ctype="audio/pcm")).synthesize(request())
    assert audio.seconds == pytest.approx(1.0)
    assert dominant_hz(audio.samples, 24000) == pytest.approx(440, abs=2)


def test_resample_keeps_length_and_pitch():
    out = resample(sine(rate=22050, freq=300), 22050, 24000)
    assert out.size == 24000 and out.dtype == np.float32
    assert dominant_hz(out, 24000) == pytest.approx(300, abs=2)


# --- openai: failures -------------------------------------------------------------------------

def _error(engine, req=None) -> HTTPEngineError:
    with pytest.raises(EngineError) as info:
        engine.synthesize(req or request())
    assert isinstance(info.value, HTTPEngineError)
    return info.value


def test_openai_http_500_is_retryable_with_excerpt():
    rec = Recorder(lambda r: httpx.Response(500, text="Traceback ... CUDA out of memory\n" + "x" * 900))
    err = _error(openai_engine(rec))
    assert err.retryable and err.status == 500 and err.kind == "http"
    assert "HTTP 500" in str(err) and "CUDA out of memory" in str(err)
    assert len(str(err)) < 400


def test_openai_http_400_json_error_is_not_retryable():
    rec = Recorder(lambda r: httpx.Response(400, json={"error": {"message": "voice 'zz' not found"}}))
    err = _error(openai_engine(rec))
    assert not err.retryable and err.status == 400 and "voice 'zz' not found" in str(err)


def test_openai_http_401_hints_at_the_key():
    err = _error(openai_engine(Recorder(lambda r: httpx.Response(401, json={"detail": "bad token"}))))
    assert "API key" in str(err) and "bad token" in str(err) and not err.retryable


def test_openai_redirect_is_reported_not_followed():
    rec = Recorder(lambda r: httpx.Response(307, headers={"location": "https://tts.example.com/v1/audio/speech"}))
    err = _error(openai_engine(rec))
    assert err.status == 307 and "tts.example.com" in str(err) and not err.retryable


@pytest.mark.parametrize("exc, kind", [(httpx.ReadTimeout("timed out"), "timeout"),
                                       (httpx.ConnectError("refused"), "connect"),
                                       (httpx.RemoteProtocolError("peer closed"), "network")])
def test_openai_transport_failures(exc, kind):
    def boom(req):
        raise exc
    err = _error(openai_engine(Recorder(boom)))
    assert err.kind == kind and err.retryable


@pytest.mark.parametrize("data, ctype, words", [
    (b"", "audio/wav", "empty body"),
    (b"<html><body>Bad gateway</body></html>", "text/html", "instead of audio"),
    (b'{"error": "no audio"}', "application/json", "instead of audio"),
    (b"\x00\x01 definitely not a wav file \xff" * 10, "audio/wav", "not audio"),
    (b"RIFF\x24\x00\x00\x00WAVE", "audio/wav", "not audio"),
    (wav_bytes(np.zeros(24000, np.float32)), "audio/wav", "silence"),
    (wav_bytes(np.full(2400, np.nan, np.float32), subtype="FLOAT"), "audio/wav", "NaN"),
    (wav_bytes(sine(seconds=60, rate=8000), rate=8000), "audio/wav", "implausible"),
    (wav_bytes(sine(seconds=0.01)), "audio/wav", "implausible"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt garbage", "audio/wav", "not audio"),
    (b"\x00\x01\x02", "audio/pcm", "truncated"),
])
def test_openai_bad_audio(data, ctype, words):
    err = _error(openai_engine(audio_reply(data, ctype)))
    assert words in str(err)
    assert err.kind in ("audio", "protocol") and err.fault == "transient"
    assert " object at 0x" not in str(err)  # no Python reprs in messages


# --- scenema: the request ---------------------------------------------------------------------

def test_scenema_sends_exact_request_and_decodes_base64():
    rec = scenema_reply()
    engine = scenema_engine(rec)
    audio = engine.synthesize(request(voice="Female, early 30s. Dry, steady.", seed=42))
    req = rec.requests[0]
    assert req.method == "POST" and str(req.url) == "http://127.0.0.1:8000/generate"
    assert rec.body() == {"prompt": XML, "mode": "generate", "seed": 42, "pace": 1.5, "validate": True,
                          "skip_vc": False, "background_sfx": False}
    assert req.headers["content-type"] == "application/json" and "authorization" not in req.headers
    assert audio.sample_rate == 48000 and audio.samples.ndim == 1 and audio.samples.dtype == np.float32
    assert audio.seconds == pytest.approx(1.0, abs=1e-3)
    assert dominant_hz(audio.samples, 48000) == pytest.approx(440, abs=2)


def test_scenema_options_seed_speed_and_shot(monkeypatch):
    monkeypatch.setenv("RENDER_SCENEMA_URL", "http://localhost:8123/")
    monkeypatch.setenv("RENDER_SCENEMA_API_KEY", "proxy-key")
    rec = scenema_reply()
    engine = track(ScenemaEngine(transport=rec.transport, mode="voice_design", validate=False, skip_vc=True,
                                 pace=1.8))
    engine.synthesize(request(xml=WIDE_XML, text="Keep your eyes on her.", speed=1.2))
    body = rec.body()
    assert str(rec.requests[0].url) == "http://localhost:8123/generate"
    assert rec.requests[0].headers["authorization"] == "Bearer proxy-key"
    assert body["pace"] == 1.5 and body["mode"] == "voice_design"
    assert isinstance(body["seed"], int) and 0 <= body["seed"] < 2 ** 31  # fixed by the chunk, never random
    assert body["validate"] is False and body["skip_vc"] is True and body["background_sfx"] is True
    assert "reference_voice_url" not in body
    engine2 = track(ScenemaEngine(transport=rec.transport, background_sfx=False))
    engine2.synthesize(request(xml=WIDE_XML, text="Keep your eyes on her."))
    assert rec.body(1)["background_sfx"] is False


def test_scenema_default_server_and_fingerprint():
    engine = track(ScenemaEngine(model="scenema-audio-int8"))
    assert engine.url == "http://127.0.0.1:8000/generate"
    assert engine.fingerprint() == "scenema-audio-int8"
    assert engine.version.startswith("scenema-generate/1") and "pace=1.5" in engine.version
    assert engine.deterministic is False and engine.sample_rate == 48000
    engine.check_voice("")  # any description is a voice
    engine.check_voice("Male, mid 60s. Deep baritone with gravel.")
    assert engine.default_voices("male")[0].startswith("Male")


@pytest.mark.parametrize("kw, words", [({"mode": "fast"}, "mode"), ({"pace": 0}, "pace"),
                                       ({"timeout": -1}, "timeout"), ({"seed": 3}, "unknown option")])
def test_scenema_bad_options(kw, words):
    with pytest.raises(InputError, match=words):
        ScenemaEngine(**kw)


def test_scenema_refuses_malformed_prompt_before_sending():
    rec = scenema_reply()
    engine = scenema_engine(rec)
    for xml in ("<speak voice='x' gender='male'>A & B</speak>", "<p>Hello</p>", "<speak gender='male'>Hi</speak>"):
        with pytest.raises(InputError):
            engine.synthesize(request(xml=xml))
    assert rec.requests == []


def test_scenema_reference_voice_url(tmp_path):
    rec = scenema_reply()
    engine = scenema_engine(rec)
    engine.synthesize(request(ref_audio="https://example.com/mara.wav"))
    assert rec.body()["reference_voice_url"] == "https://example.com/mara.wav"
    ref = tmp_path / "mara.wav"
    ref.write_bytes(wav_bytes(sine(seconds=0.5)))
    engine.synthesize(request(ref_audio=str(ref)))
    assert rec.body(1)["reference_voice_url"] == ref.resolve().as_uri()
    with pytest.raises(InputError, match="not found"):
        engine.synthesize(request(ref_audio=str(tmp_path / "gone.wav")))
    remote = track(ScenemaEngine(base_url="http://gpu.example.com:8000", transport=rec.transport))
    with pytest.raises(InputError, match="URL"):
        remote.synthesize(request(ref_audio=str(ref)))
    assert len(rec.requests) == 2


def test_scenema_extra_fields():
    rec = scenema_reply()
    engine = scenema_engine(rec)
    engine.synthesize(request(extra=(("min_match_ratio", "0.8"), ("vc_steps", "30"))))
    assert rec.body()["min_match_ratio"] == 0.8 and rec.body()["vc_steps"] == 30
    with pytest.raises(InputError, match="override"):
        engine.synthesize(request(extra=(("prompt", "<speak/>"),)))


# --- scenema: failures ------------------------------------------------------------------------

def test_scenema_server_failure_is_retryable_with_message():
    rec = scenema_reply(status=500, payload={"status": "failed", "error": "CUDA out of memory"})
    err = _error(scenema_engine(rec))
    assert err.retryable and err.status == 500 and "CUDA out of memory" in str(err)


def test_scenema_invalid_prompt_failure_is_permanent():
    rec = scenema_reply(status=500, payload={"status": "failed", "error": "Invalid prompt XML: gender"})
    err = _error(scenema_engine(rec))
    assert not err.retryable and "Invalid prompt XML" in str(err)


def test_scenema_failed_status_with_200():
    err = _error(scenema_engine(scenema_reply(payload={"status": "failed", "error": "SeedVC crashed"})))
    assert "SeedVC crashed" in str(err) and err.retryable


@pytest.mark.parametrize("respond, words", [
    (lambda r: httpx.Response(200, content=b"not json {"), "not JSON"),
    (lambda r: httpx.Response(200, json=["audio"]), "JSON object"),
    (lambda r: httpx.Response(200, json={"status": "queued"}), "unexpected status"),
    (lambda r: httpx.Response(200, json={"status": "succeeded", "metadata": {}}), "has no audio"),
    (lambda r: httpx.Response(200, json={"status": "succeeded", "audio": "@@not base64@@"}), "base64"),
    (lambda r: httpx.Response(200, json={"status": "succeeded",
                                         "audio": base64.b64encode(b"hello world, no wav").decode()}), "not audio"),
    (lambda r: httpx.Response(200, json={"status": "succeeded", "audio": base64.b64encode(
        wav_bytes(np.zeros(48000, np.float32), rate=48000)).decode()}), "silence"),
])
def test_scenema_bad_answers(respond, words):
    err = _error(scenema_engine(Recorder(respond)))
    assert words in str(err)


def test_registry_creates_both():
    assert {"openai", "scenema"} <= set(base.engine_names())
    assert isinstance(track(base.create("scenema", base_url="http://127.0.0.1:1")), ScenemaEngine)
    assert isinstance(track(base.create("openai", base_url="http://127.0.0.1:1", model="m")), OpenAIEngine)


# --- a real loopback server (tests/loopback.py, written from the APIs' documentation) -----------

@pytest.fixture
def servers():
    made = []

    def make(api):
        made.append(SpeechServer(api, audio=wav_bytes(sine(rate=48000 if api == "scenema" else 24000,
                                                          channels=2 if api == "scenema" else 1),
                                                     rate=48000 if api == "scenema" else 24000)))
        return made[-1]

    yield make
    for s in made:
        s.stop()


def make(name: str, url: str, **kw):
    cls = OpenAIEngine if name == "openai" else ScenemaEngine
    return track(cls(base_url=url, **kw))


def test_loopback_openai_round_trip(servers):
    server = servers("openai")
    engine = make("openai", server.url, model="kokoro", api_key="sk-loop")
    audio = engine.synthesize(request(voice="af_bella", speed=0.9))
    (seen,) = server.bodies
    assert seen == {"model": "kokoro", "input": TEXT, "voice": "af_bella", "response_format": "wav", "speed": 0.9}
    assert server.headers[0]["Authorization"] == "Bearer sk-loop"
    assert server.headers[0]["Content-Type"] == "application/json"
    assert audio.seconds == pytest.approx(1.0, abs=1e-3)
    assert dominant_hz(audio.samples, audio.sample_rate) == pytest.approx(440, abs=2)


def test_loopback_openai_cloning_fields(servers, tmp_path):
    server = servers("openai")
    ref = tmp_path / "ellen.wav"
    ref.write_bytes(wav_bytes(sine(seconds=0.3, freq=220)))
    make("openai", server.url).synthesize(request(ref_audio=str(ref), ref_text="An old woman should know better."))
    sent = server.bodies[0]
    assert base64.b64decode(sent["ref_audio"]) == ref.read_bytes()
    assert sent["ref_text"] == "An old woman should know better."


def test_loopback_scenema_round_trip(servers):
    server = servers("scenema")
    audio = make("scenema", server.url).synthesize(request(seed=7, speed=1.5))
    (seen,) = server.bodies
    assert seen == {"prompt": XML, "mode": "generate", "seed": 7, "pace": 1.0, "validate": True,
                    "skip_vc": False, "background_sfx": False}
    assert audio.sample_rate == 48000 and audio.samples.ndim == 1
    assert dominant_hz(audio.samples, 48000) == pytest.approx(440, abs=2)


@pytest.mark.parametrize("name", ["openai", "scenema"])
@pytest.mark.parametrize("action, kind, words, retryable", [
    (("hang",), "timeout", ("within 0.2 s",), True),
    (("status", 500, "GPU fell over"), "http", ("GPU fell over",), True),
    (("raw", 200, "application/json", b'{"status": "succeeded", "audio": '), "protocol",
     ("not JSON", "application/json instead of audio"), True),
    (("audio", b"<html>this is not audio</html>" * 4), None, ("not audio",), True),
    (("audio", b""), "audio", ("empty",), True),
])
def test_loopback_failures(servers, name, action, kind, words, retryable):
    server = servers(name)
    server.queue(action)
    engine = make(name, server.url, timeout=0.2)
    err = _error(engine)
    assert any(w in str(err) for w in words) and err.retryable is retryable
    if kind:
        assert err.kind == kind
    if action[0] == "status":
        assert err.status == 500 and "HTTP 500" in str(err)


@pytest.mark.parametrize("name", ["openai", "scenema"])
def test_loopback_connection_refused(name):
    port = closed_port()
    err = _error(make(name, f"http://127.0.0.1:{port}", timeout=2))
    assert err.kind == "connect" and err.retryable
    assert f"127.0.0.1:{port}" in str(err) and "start the server" in str(err)
