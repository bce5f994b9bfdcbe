"""The renderer's fault handling: retries with backoff, failures isolated, reruns retry only failures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from render.engines.base import Audio
from render.errors import AssetError, EngineError
from render.plan.manifest import Chunk, content_key
from render.speak.build import PromptSpec, build_prompt
from render.synth.cache import Cache
from render.synth.checks import AsrCheck
from render.synth.runner import Renderer, RunOptions

FAST = RunOptions(validate=False, backoff=0.0, progress=False, fault_retries=2)


def tone(seconds=0.6, rate=24000):
    t = np.arange(int(seconds * rate)) / rate
    return Audio((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), rate)


class ScriptedEngine:
    """An engine that plays a script of outcomes per text: 'ok', 'raise', 'empty', 'nan', 'silent'."""

    name = "scripted"
    version = "1"
    sample_rate = 24000
    deterministic = False

    def __init__(self, plan: dict[str, list[str]], default="ok"):
        self.plan = {k: list(v) for k, v in plan.items()}
        self.default = default
        self.calls: list[str] = []

    def fingerprint(self):
        return "scripted"

    def synthesize(self, request):
        self.calls.append(request.text)
        queue = self.plan.get(request.text)
        what = queue.pop(0) if queue else self.default
        if what == "raise":
            raise EngineError("server said 503")
        if what == "asset":
            raise AssetError("Kokoro model not found at /nowhere/kokoro.onnx; run `make models`")
        if what == "empty":
            return Audio(np.zeros(0, np.float32), 24000)
        if what == "nan":
            return Audio(np.full(2400, np.nan, np.float32), 24000)
        if what == "silent":
            return Audio(np.zeros(24000, np.float32), 24000)
        return tone()


def make_chunk(i: int, text: str) -> Chunk:
    xml = build_prompt(PromptSpec(voice="v", gender="female", text=text))
    key = content_key(engine="scripted", engine_version="1", fingerprint="f", xml=xml, voice="v",
                      speed=1.0, seed=None, sample_rate=24000, language="en")
    return Chunk(id=f"c001-{i:04d}", chapter=1, index=i, block=i, speaker="narrator", kind="narration",
                 text=text, xml=xml, voice="v", gender="female", description="v", language="en", speed=1.0,
                 seed=None, est_seconds=1.0, pause_before=0.2, key=key, engine="scripted", min_match_ratio=0.9)


def test_a_missing_model_stops_the_run_at_once(tmp_path):
    """An AssetError is no engine fault: no retry, no next chunk; the run stops with its message."""
    engine = ScriptedEngine({"one": ["asset"]})
    with pytest.raises(AssetError, match="make models"):
        Renderer(engine, Cache(tmp_path), FAST).run([make_chunk(0, "one"), make_chunk(1, "two")])
    assert engine.calls[:1] == ["one"] and engine.calls.count("one") == 1


def test_faults_are_retried_then_succeed(tmp_path):
    engine = ScriptedEngine({"one": ["raise", "empty"]})
    summary = Renderer(engine, Cache(tmp_path), FAST).run([make_chunk(0, "one")])
    assert summary.count("synthesized") == 1
    assert engine.calls == ["one", "one", "one"]


@pytest.mark.parametrize("fault", ["raise", "empty", "nan", "silent"])
def test_a_chunk_that_keeps_failing_is_failed_and_the_rest_goes_on(tmp_path, fault):
    engine = ScriptedEngine({"bad": [fault] * 100})
    chunks = [make_chunk(0, "good one"), make_chunk(1, "bad"), make_chunk(2, "good two")]
    cache = Cache(tmp_path)
    summary = Renderer(engine, cache, FAST).run(chunks)
    status = {o.id: o.status for o in summary.outcomes}
    assert status == {"c001-0000": "synthesized", "c001-0001": "failed", "c001-0002": "synthesized"}
    failed = summary.outcomes[1]
    assert failed.error and not cache.has(chunks[1].key)
    # seeded engine: 4 takes (new seeds), each tried 1 + 2 fault retries
    assert engine.calls.count("bad") == 4 * 3
    # running again retries only the failure
    fixed = ScriptedEngine({})
    again = Renderer(fixed, cache, FAST).run(chunks)
    assert fixed.calls == ["bad"]
    assert again.count("cached") == 2 and again.count("synthesized") == 1


class CountingKokoro:
    """The real Kokoro engine, counting how often it is asked to synthesize."""

    name, sample_rate, deterministic = "kokoro", 24000, True

    def __init__(self):
        from render.engines import create

        self.kokoro = create("kokoro")
        self.version = self.kokoro.version
        self.calls: list[str] = []

    def fingerprint(self):
        return self.kokoro.fingerprint()

    def synthesize(self, request):
        self.calls.append(request.text)
        return self.kokoro.synthesize(request)


def kokoro_chunk(i: int, text: str) -> Chunk:
    return replace(make_chunk(i, text), voice="af_heart")


@pytest.mark.slow
def test_duplicate_chunks_are_synthesized_once(tmp_path):
    engine = CountingKokoro()
    a, b = kokoro_chunk(0, "Yes."), kokoro_chunk(1, "Yes.")
    summary = Renderer(engine, Cache(tmp_path), FAST).run([a, b])
    assert engine.calls == ["Yes."]
    assert [o.status for o in summary.outcomes] == ["synthesized", "cached"]


@pytest.mark.slow
def test_a_take_stored_before_its_check_is_checked_not_resynthesized(tmp_path):
    """A kill between synthesis and validation: the next run validates the stored audio."""
    from render.synth.runner import request_for

    engine = CountingKokoro()
    chunk = kokoro_chunk(0, "The lamp burned all night, and the sea was calm.")
    cache = Cache(tmp_path)
    audio = engine.kokoro.synthesize(request_for(chunk))
    cache.put(chunk.key, audio, {"text": chunk.text, "attempts": [{"strategy": "as-planned"}],
                                 "validation_pending": True, "validation": None, "flagged": False})
    summary = Renderer(engine, cache, RunOptions(progress=False)).run([chunk])
    assert engine.calls == []
    assert summary.outcomes[0].status == "cached" and summary.outcomes[0].score >= 0.9
    meta = cache.meta(chunk.key)
    assert meta["validation_pending"] is False and meta["validation"]["passed"]


def test_validation_groups_are_fixed_by_the_plan():
    from render.synth.runner import group_key, validation_groups

    chunks = [replace(make_chunk(i, f"line {i}"), est_seconds=10.0) for i in range(5)]
    chunks[4] = replace(chunks[4], language="fr")
    groups = validation_groups(chunks, 24.0)
    assert [[c.index for c in g] for g in groups] == [[0, 1, 2], [3], [4]]  # full at 30 s; French apart
    assert validation_groups(chunks, 24.0) == groups
    assert group_key(groups[0]) != group_key(groups[0][:2])


@pytest.mark.slow
def test_a_batch_verdict_is_recorded_and_reused_by_a_resumed_run(tmp_path, monkeypatch):
    """Killed after the batch check but before its chunks were settled: the next run reuses the
    recorded verdicts (no second Whisper call) and settles the same way."""
    engine = CountingKokoro()
    chunks = [kokoro_chunk(0, "The lamp burned all night."), kokoro_chunk(1, "The sea was calm by morning.")]
    cache = Cache(tmp_path)
    first = Renderer(engine, cache, RunOptions(progress=False)).run(chunks)
    assert [o.status for o in first.outcomes] == ["synthesized", "synthesized"]
    for c in chunks:  # back to "stored, awaiting its check", as a kill at that moment leaves it
        cache.update_meta(c.key, dict(cache.meta(c.key), validation_pending=True, validation=None))
    heard = []
    monkeypatch.setattr(AsrCheck, "hear", lambda self, audio, language="en": heard.append(1) or "")
    again = Renderer(engine, cache, RunOptions(progress=False)).run(chunks)
    assert heard == [] and len(engine.calls) == 2  # no new Whisper call, no new synthesis
    assert [o.score for o in again.outcomes] == [o.score for o in first.outcomes]
    assert all(not cache.meta(c.key)["validation_pending"] for c in chunks)


def test_group_seconds_are_24_unless_the_test_hook_says_otherwise(monkeypatch):
    """RENDER_BATCH_SECONDS (the interruption tests' hook) sets the speech per validation group."""
    from render.errors import InputError
    from render.synth.batches import BATCH_SECONDS, default_batch_seconds

    monkeypatch.delenv(BATCH_SECONDS, raising=False)
    assert RunOptions().batch_seconds == 24.0
    monkeypatch.setenv(BATCH_SECONDS, "2.5")
    assert RunOptions().batch_seconds == 2.5
    for bad in ("0", "-3", "soon", "nan"):
        with pytest.raises(InputError, match=BATCH_SECONDS):
            default_batch_seconds({BATCH_SECONDS: bad})
