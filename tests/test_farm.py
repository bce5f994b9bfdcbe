"""HTTP engines at scale against loopback servers: fault classes, circuit breaker, failover,
concurrent dispatch, cache keys without URLs, typed options and config files (fast: no models)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile as sf
import yaml

from render.engines import create
from render.engines.base import SynthRequest
from render.engines.config import load_config, parse_config
from render.engines.http import HTTPEngineError
from render.engines.options import make_options
from render.errors import InputError, RunStopped
from render.pipeline import BookOptions, plan_book, render_book
from render.synth.dispatch import PoolOptions, ServerPool, build_engine
from render.synth.failures import failure_lines
from render.synth.runner import Outcome
from tests.loopback import SpeechServer, closed_port
from tests.pausing import wait_until

STORY = """# Lamps

## One

"Is the lamp lit?" asked Nell. "Not yet," said Owen. "I am looking for the matches."

Nell laughed and handed him the box from her coat pocket. The wind rose over the cliff.

"Then we wait," said Nell.
"""

CAST = """narrator: {voice: fable, gender: neutral}
characters:
  - {name: Nell, gender: female, voice: nova}
  - {name: Owen, gender: male, voice: onyx}
"""

FAST = {"backoff": 0.01, "backoff_cap": 0.05}  # pool timings for tests (no waiting seconds)


@pytest.fixture
def servers():
    made: list[SpeechServer] = []

    def make(api="openai", **kw) -> SpeechServer:
        made.append(SpeechServer(api, **kw))
        return made[-1]

    yield make
    for s in made:
        s.stop()


def book(tmp_path, cast=CAST, story=STORY):
    (tmp_path / "lamps.md").write_text(story)
    (tmp_path / "cast.yaml").write_text(cast)
    return tmp_path / "lamps.md"


def options(tmp_path, engine="openai", servers=(), config=None, **kw) -> BookOptions:
    cfg = tmp_path / "engine.yaml"
    cfg.write_text(yaml.safe_dump({"pool": FAST, **(config or {})}))
    kw.setdefault("validate", False)
    return BookOptions(cast=tmp_path / "cast.yaml", out=tmp_path / "out", cache=tmp_path / "cache", engine=engine,
                       servers=tuple(servers), config=cfg, progress=False, **kw)


def request(text="The lamp is lit.", **kw) -> SynthRequest:
    xml = f'<speak voice="Female, 30s." gender="female">{text}</speak>'
    return SynthRequest(**{"xml": xml, "text": text, "voice": "nova", **kw})


# --- typed options and config ------------------------------------------------------------------

def test_options_are_typed_from_strings():
    engine = create("scenema", timeout="300", validate="false", background_sfx="none", pace="1.8",
                    vc_steps="30", base_url="http://127.0.0.1:9")
    assert engine.timeout == 300.0 and engine.options.validate is False
    assert engine.options.background_sfx is None and engine.options.pace == 1.8 and engine.options.vc_steps == 30
    with pytest.raises(InputError, match="option validate is true or false, not 'maybe'"):
        create("scenema", validate="maybe")
    with pytest.raises(InputError, match="option timeout must be a float or none"):
        create("openai", base_url="http://127.0.0.1:9", timeout="soon")


@pytest.mark.parametrize("name, valid", [("kokoro", "g2p"), ("openai", "base_url, model, api_key"),
                                         ("scenema", "base_url, api_key, timeout")])
def test_unknown_option_is_one_line_listing_valid_ones(name, valid):
    with pytest.raises(InputError) as info:
        create(name, colour="blue", base_url="http://127.0.0.1:9") if name != "kokoro" else create(name, colour="x")
    message = str(info.value)
    assert "\n" not in message and f"{name} engine: unknown option colour; valid options: {valid}" in message


def test_secret_option_value_never_in_type_errors():
    with pytest.raises(InputError) as info:
        make_options(PoolOptions, "pool", None, {"backoff": "sk-not-a-number-123"})
    assert "sk-not-a-number-123" in str(info.value)  # an ordinary option shows what was wrong
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Opts:
        api_token: int = 0  # a secret-named option

    with pytest.raises(InputError) as info:
        make_options(Opts, "x", None, {"api_token": "sk-hidden-value-456"})
    assert "sk-hidden-value-456" not in str(info.value)


def test_config_file_servers_options_and_env(tmp_path, monkeypatch):
    monkeypatch.setenv("FARM_TOKEN", "tok-from-env-789")
    path = tmp_path / "engine.yaml"
    path.write_text("engine: scenema\nmax_in_flight: 2\nservers:\n  - http://a:8000\n"
                    "  - {url: http://b:8000, max_in_flight: 3}\noptions: {timeout: 300, api_key: '${FARM_TOKEN}'}\n")
    config = load_config(path).with_default_in_flight()
    assert config.name == "scenema" and [(s.url, s.max_in_flight) for s in config.servers] == \
        [("http://a:8000", 2), ("http://b:8000", 3)]
    assert config.options == {"timeout": 300, "api_key": "tok-from-env-789"}
    pool = build_engine(config)
    assert isinstance(pool, ServerPool) and pool.max_in_flight == 5 and pool.engine.timeout == 300.0
    pool.close()
    cast_form = parse_config({"engine": {"engine": "openai", "servers": "http://c:1"}}, "cast")
    assert cast_form.name == "openai" and cast_form.servers[0].url == "http://c:1"
    with pytest.raises(InputError, match="unknown key colour; valid keys"):
        parse_config({"colour": 1}, "x.yaml")
    monkeypatch.delenv("FARM_TOKEN")
    with pytest.raises(InputError, match="FARM_TOKEN is not set"):
        load_config(path)


def test_cast_settings_engine_then_config_then_command_line(tmp_path, servers):
    a, b = servers(), servers()
    src = book(tmp_path, cast=CAST + f"settings:\n  engine: {{engine: openai, servers: [{a.url}], "
                                      "options: {model: m1}}\n")
    plan = plan_book(src, options(tmp_path, engine=None))
    assert plan.engine.name == "openai" and plan.engine.servers[0].url == a.url and plan.engine.fingerprint() == "m1"
    plan = plan_book(src, options(tmp_path, engine=None, servers=[b.url], config={"options": {"model": "m2"}}))
    assert plan.engine.servers[0].url == b.url and plan.engine.fingerprint() == "m2"


def test_in_process_engine_refuses_servers(tmp_path):
    with pytest.raises(InputError, match="runs in-process"):
        plan_book(book(tmp_path), options(tmp_path, engine="kokoro", servers=["http://127.0.0.1:9"]))


# --- fault classes -----------------------------------------------------------------------------

def test_rejected_requests_are_not_retried_and_stop_the_run(tmp_path, servers):
    s = servers()
    s.queue(*[("status", 400, "voice 'nova' is not installed")] * 10)
    with pytest.raises(RunStopped) as info:
        render_book(book(tmp_path), options(tmp_path, servers=[s.url]))
    message = str(info.value)
    assert len(s.bodies) == 3  # three different chunks, each asked once, then the run stops
    assert "voice 'nova' is not installed" in message and "check the engine options" in message
    assert "\n" not in message


def test_unauthorised_stops_after_two(tmp_path, servers):
    s = servers()
    s.queue(*[("status", 401, "invalid token")] * 10)
    with pytest.raises(RunStopped, match="unauthorised.*invalid token.*check the API key"):
        render_book(book(tmp_path), options(tmp_path, servers=[s.url]))
    assert len(s.bodies) == 2


def test_closed_port_stops_the_run_naming_url_and_error(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(RunStopped) as info:
        render_book(book(tmp_path), options(tmp_path, servers=[url]))
    assert "no server left" in str(info.value) and url in str(info.value) and "cannot connect" in str(info.value)


def test_hung_server_times_out_then_stops(tmp_path, servers):
    s = servers()
    s.queue(*[("hang",)] * 10)
    with pytest.raises(RunStopped, match=r"no answer from .* within 0.3 s"):
        render_book(book(tmp_path), options(tmp_path, servers=[s.url], engine_options={"timeout": "0.3"}))
    assert len(s.bodies) == 3  # the breaker opened after three timeouts in a row


def test_transient_faults_are_retried_and_garbage_is_one(tmp_path, servers):
    s = servers()
    s.queue(("status", 503, "warming up"), ("garbage",), ("status", 500, "CUDA out of memory"))
    result = render_book(book(tmp_path), options(tmp_path, servers=[s.url],
                                                 config={"pool": {**FAST, "failures_to_open": 4}}))
    assert result.summary.count("failed") == 0 and s.answered == result.summary.count("synthesized")


def test_reference_clip_too_large_is_refused_before_upload(tmp_path, servers):
    s = servers()
    clip = tmp_path / "mara.wav"  # 25 s: the cast check passes it; prepared (24 kHz, 16-bit) it is 1.2 MB
    t = np.arange(25 * 24000) / 24000
    sf.write(clip, (0.2 * np.sin(2 * np.pi * 180 * t)).astype(np.float32), 24000)
    cast = CAST.replace("{name: Nell, gender: female, voice: nova}",
                        f"{{name: Nell, gender: female, voice: nova, ref_audio: {clip}, ref_text: Hello there.}}")
    with pytest.raises(InputError, match=r"1.2 MB, over the server's 1 MB limit"):
        render_book(book(tmp_path, cast=cast), options(tmp_path, servers=[s.url],
                                                        engine_options={"max_ref_bytes": 1_000_000}))
    assert s.bodies == []


def test_failure_lines_count_distinct_reasons():
    outcomes = [Outcome("c1", "k1", "failed", error="a", attempts=[{"error": "x"}, {"error": "HTTP 500: boom"}]),
                Outcome("c2", "k2", "failed", error="HTTP 500: boom"),
                Outcome("c3", "k3", "failed", error="cannot connect to <_io.BytesIO object at 0x7f00aa>"),
                Outcome("c4", "k4", "synthesized")]
    assert failure_lines(outcomes) == ["  2 chunks failed: HTTP 500: boom",
                                       "  1 chunk failed: cannot connect to (in-memory data)"]


# --- many servers ------------------------------------------------------------------------------

def test_failover_and_a_server_that_comes_back(tmp_path, servers):
    a, b = servers(), servers()
    a.queue(*[("status", 503, "overloaded")] * 3)
    # b holds what it is sent until a has answered once, so the book cannot finish on b alone
    # whatever the machine's speed: with b busy (one request per server), the pool must keep
    # asking a, take it out of rotation after its third failure and probe it back in.
    b.queue(*[("gate", _Until(lambda: a.answered > 0))] * 20)
    result = render_book(book(tmp_path), options(tmp_path, servers=[a.url, b.url], config={"pool": {"backoff": 0}}))
    assert result.summary.count("failed") == 0
    assert a.answered > 0 and b.answered > 0  # a was taken back after its three failures
    assert a.answered + b.answered == result.summary.count("synthesized")


def test_concurrent_calls_are_bounded_per_server(servers):
    a, b = servers(), servers()
    gate = threading.Barrier(4, timeout=30)  # passes only when four requests are in flight at once
    for s in (a, b):
        s.queue(*[("gate", _Waiter(gate))] * 2)
    pool = build_engine(parse_config({"engine": "openai", "servers": [a.url, b.url], "max_in_flight": 2,
                                      "pool": FAST}, "test"))
    assert pool.max_in_flight == 4
    results, errors = [], []

    def call(i):
        try:
            results.append(pool.synthesize(request(f"Line number {i} is here.")))
        except Exception as exc:  # recorded for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    pool.close()
    assert not errors and len(results) == 8
    assert a.max_in_flight == 2 and b.max_in_flight == 2  # four at once, never more than two each


class _Until:
    """An event-like object whose wait() returns once a condition holds (or at the failsafe limit,
    so a broken pool fails the test's assertions instead of hanging it)."""

    def __init__(self, done):
        self.done = done

    def wait(self):
        wait_until(self.done)


class _Waiter:
    """An event-like object whose wait() is a barrier."""

    def __init__(self, barrier):
        self.barrier = barrier

    def wait(self):
        self.barrier.wait()


def test_cache_is_shared_across_server_addresses(tmp_path, servers):
    a, b = servers(), servers()
    src = book(tmp_path)
    first = render_book(src, options(tmp_path, servers=[a.url]))
    again = render_book(src, options(tmp_path, servers=[b.url, a.url]))
    assert first.summary.count("synthesized") > 0 and again.summary.count("synthesized") == 0
    assert b.bodies == [] and len(a.bodies) == first.summary.count("synthesized")


def test_pool_protocol_passes_through(servers):
    s = servers()
    pool = ServerPool([(create("openai", base_url=s.url, model="m"), s.url, 1)], PoolOptions())
    assert pool.name == "openai" and pool.fingerprint() == "m" and pool.default_voices("female")[0] == "nova"
    assert pool.synthesize(request()).sample_rate == 24000
    s.queue(("status", 413, "payload too large"))
    with pytest.raises(HTTPEngineError, match="413.*shorter reference clip") as info:
        pool.synthesize(request("Another line entirely."))
    assert info.value.fault == "rejected"
    with pytest.raises(HTTPEngineError):  # the same request is never sent again
        pool.synthesize(request("Another line entirely.", seed=7))
    assert len(s.bodies) == 2
    pool.close()


def test_cli_help_and_one_line_option_error(tmp_path):
    from click.testing import CliRunner

    from render.cli import main

    for command in ("book", "plan", "redo"):
        text = CliRunner().invoke(main, [command, "--help"]).output
        assert "--server URL" in text and "--config FILE" in text and "--in-flight" in text
    src = book(tmp_path)
    result = CliRunner().invoke(main, ["plan", str(src), "-o", str(tmp_path / "o"), "--engine-option", "colour=x"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: kokoro engine: unknown option colour; valid options: g2p, threads, workers, budget, call_phonemes"
