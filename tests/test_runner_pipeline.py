"""The runner's pipeline: synthesis overlapped with checking, engines' max_in_flight, ordered take checks."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np

from render.synth.cache import Cache
from render.synth.checks import CheckResult
from render.synth.runner import Renderer, RunOptions

from .test_runner import ScriptedEngine, make_chunk, tone

NO_ASR = RunOptions(validate=False, backoff=0.0, progress=False, fault_retries=0, batch_seconds=0.5)
WAIT = 60.0  # seconds an event may take before the test fails; generous, never reached when it works


class CountingEngine(ScriptedEngine):
    """Counts how many synthesize calls run at once."""

    def __init__(self, max_in_flight: int = 1, meet: tuple[str, ...] = ()):
        super().__init__({})
        self.max_in_flight = max_in_flight
        # the calls for these texts wait for each other: the barrier breaks unless all are in flight at once
        self.meet = set(meet)
        self.barrier = threading.Barrier(len(meet), timeout=WAIT) if meet else None
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0
        self.started: dict[str, threading.Event] = {}

    def started_event(self, text: str) -> threading.Event:
        with self.lock:
            return self.started.setdefault(text, threading.Event())

    def synthesize(self, request):
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        self.started_event(request.text).set()
        try:
            if request.text in self.meet:
                self.barrier.wait()
            return super().synthesize(request)
        finally:
            with self.lock:
                self.running -= 1


def chunks(n: int):
    return [make_chunk(i, f"line number {i}") for i in range(n)]


def test_an_engine_gets_max_in_flight_calls_at_once_and_never_more(tmp_path):
    engine = CountingEngine(max_in_flight=3, meet=("line number 0", "line number 1", "line number 2"))
    summary = Renderer(engine, Cache(tmp_path), NO_ASR).run(chunks(8))
    assert summary.count("synthesized") == 8
    assert engine.peak == 3


def test_one_call_at_a_time_by_default(tmp_path):
    engine = CountingEngine()
    del engine.max_in_flight
    summary = Renderer(engine, Cache(tmp_path), NO_ASR).run(chunks(5))
    assert summary.count("synthesized") == 5 and engine.peak == 1


class WaitsForSynthesis:
    """A check that, judging chunk 0, waits until the engine has started a later chunk."""

    name = "overlap"

    def __init__(self, engine: CountingEngine, later: str):
        self.engine, self.later = engine, later
        self.seen = False

    def check(self, chunk, audio):
        if chunk.index == 0:
            self.seen = self.engine.started_event(self.later).wait(WAIT)
        return CheckResult(1.0, True)


def test_the_next_chunks_are_synthesized_while_earlier_ones_are_checked(tmp_path):
    engine = CountingEngine()
    check = WaitsForSynthesis(engine, "line number 2")
    Renderer(engine, Cache(tmp_path), NO_ASR, checks=[check]).run(chunks(4))
    assert check.seen, "chunk 2 was not synthesized while chunk 0 was being checked"


def test_synthesis_runs_only_a_few_chunks_ahead(tmp_path):
    """One call in flight and one waiting (prefetch=1): while chunk 0 is checked, chunks 1 and 2
    may be under way, chunk 3 not yet (never more than a few chunks of audio in memory)."""
    engine = CountingEngine()
    seen = {}

    class Look:
        name = "look"

        def check(self, chunk, audio):
            if chunk.index == 0:
                seen["2 started"] = engine.started_event("line number 2").wait(WAIT)
                seen["started"] = sorted(t for t, e in engine.started.items() if e.is_set())
            return CheckResult(1.0, True)

    Renderer(engine, Cache(tmp_path), replace(NO_ASR, prefetch=1), checks=[Look()]).run(chunks(10))
    assert seen["2 started"]
    assert seen["started"] == ["line number 0", "line number 1", "line number 2"]


class FailsFirstTakes:
    """A check (a stand-in for speaker consistency) that fails every take of one text but the last."""

    name = "voice"

    def __init__(self, text: str, passing_after: int):
        self.text, self.passing_after, self.calls = text, passing_after, 0

    def check(self, chunk, audio):
        if chunk.text != self.text:
            return CheckResult(0.99, True)
        self.calls += 1
        ok = self.calls > self.passing_after
        return CheckResult(0.9 if ok else round(0.2 + 0.1 * self.calls, 2), ok, {"take": self.calls})


def test_a_failing_check_sends_the_chunk_through_the_fallbacks(tmp_path):
    engine = CountingEngine()
    cache = Cache(tmp_path)
    items = chunks(3)
    check = FailsFirstTakes("line number 1", passing_after=2)
    summary = Renderer(engine, cache, NO_ASR, checks=[check]).run(items)
    assert engine.calls.count("line number 1") == 3  # first take and two fallbacks (new seeds)
    outcome = summary.outcomes[1]
    assert not outcome.flagged and [a["checks"]["voice"]["passed"] for a in outcome.attempts] == [False, False, True]
    meta = cache.meta(items[1].key)
    assert meta["validation"]["passed"] and meta["chosen"] == "reseed-2"
    assert meta["validation"]["checks"]["voice"]["take"] == 3


def test_when_no_take_passes_the_best_combined_score_is_kept_and_flagged(tmp_path):
    engine = CountingEngine()
    cache = Cache(tmp_path)
    items = chunks(2)
    check = FailsFirstTakes("line number 0", passing_after=100)  # scores 0.3, 0.4, 0.5, 0.6: the last is best
    summary = Renderer(engine, cache, NO_ASR, checks=[check]).run(items)
    assert summary.outcomes[0].flagged and len(summary.outcomes[0].attempts) == 4
    meta = cache.meta(items[0].key)
    assert meta["flagged"] and meta["chosen"] == "reseed-3"
    assert meta["validation"]["checks"]["voice"]["score"] == 0.6 and not summary.outcomes[1].flagged


def test_checks_run_in_order_and_all_are_recorded(tmp_path):
    order = []

    class Named:
        def __init__(self, name):
            self.name = name

        def check(self, chunk, audio):
            order.append(self.name)
            return CheckResult(0.5 if self.name == "a" else 1.0, True)

    engine = CountingEngine()
    cache = Cache(tmp_path)
    item = chunks(1)
    Renderer(engine, cache, NO_ASR, checks=[Named("a"), Named("b")]).run(item)
    assert order == ["a", "b"]
    attempt = cache.meta(item[0].key)["attempts"][0]
    assert set(attempt["checks"]) == {"a", "b"} and attempt["combined"] == 0.75


def test_audio_of_a_take_is_the_engine_output(tmp_path):
    """The pipeline stores what the engine made, chunk by chunk, whatever the thread that made it."""
    engine = CountingEngine(max_in_flight=2)
    cache = Cache(tmp_path)
    items = chunks(4)
    Renderer(engine, cache, NO_ASR).run(items)
    want = tone()
    for c in items:
        got = cache.load(c.key)
        assert got.sample_rate == want.sample_rate and np.allclose(got.samples, want.samples, atol=1e-4)


class PreparingEngine(CountingEngine):
    """Records what prepare() is handed; holds its first synthesize call until prepare has read
    everything, so the test sees prepare run ahead of synthesis (events, not timing)."""

    def __init__(self):
        super().__init__()
        self.prepared: list[str] = []
        self.read_all = threading.Event()

    def prepare(self, requests):
        for request in requests:
            self.prepared.append(request.text)
        self.read_all.set()

    def synthesize(self, request):
        self.read_all.wait(WAIT)
        return super().synthesize(request)


def test_prepare_gets_the_chunks_still_to_synthesize_in_plan_order_each_once(tmp_path):
    cache = Cache(tmp_path)
    items = chunks(5)
    Renderer(CountingEngine(), cache, NO_ASR).run(items[1:2])  # chunk 1 is in the cache already
    twin = replace(items[3], id="c001-0099", index=99)  # the same content as chunk 3
    engine = PreparingEngine()
    summary = Renderer(engine, cache, NO_ASR).run([*items, twin])
    assert engine.prepared == ["line number 0", "line number 2", "line number 3", "line number 4"]
    assert summary.count("synthesized") == 4 and summary.count("failed") == 0


def test_prepare_is_not_called_for_a_finished_book(tmp_path):
    cache = Cache(tmp_path)
    items = chunks(3)
    Renderer(CountingEngine(), cache, NO_ASR).run(items)
    engine = PreparingEngine()
    Renderer(engine, cache, NO_ASR).run(items)
    assert engine.prepared == [] and not engine.read_all.is_set() and engine.calls == []
