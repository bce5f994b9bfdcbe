"""Work on an otherwise idle core: the queue's order and stop, its scheduling policy, and the
runner handing it each settled chunk."""

from __future__ import annotations

import os
import threading

import pytest

from render.synth.cache import Cache
from render.synth.idle import IdleWork
from render.synth.runner import Renderer
from tests.pausing import wait_until
from tests.test_runner import FAST, ScriptedEngine, make_chunk


def test_jobs_run_in_order_and_stop_drops_those_not_started():
    done, gate, started = [], threading.Event(), threading.Event()

    def job(item):
        if item == "first":
            started.set()
            assert gate.wait(60)
        done.append(item)

    work = IdleWork(job)
    work.put("first")
    assert started.wait(60)
    for item in ("second", "third"):
        work.put(item)
    assert work.pending() == 2
    stopper = threading.Thread(target=lambda: done.append(("dropped", work.stop())))
    stopper.start()
    assert wait_until(lambda: work.pending() == 0)  # dropped at once; the job going on finishes
    gate.set()
    stopper.join(60)
    assert done == ["first", ("dropped", 2)] and work.done == 1
    work.put("late")  # ignored once stopped
    assert work.pending() == 0


def test_finish_does_what_is_left_on_the_calling_thread_beside_the_worker():
    done, gate, started = [], threading.Event(), threading.Event()
    finisher = {}

    def job(item):
        if item == "first":
            started.set()
            assert gate.wait(60)
        done.append((item, threading.current_thread() is finisher.get("thread")))

    work = IdleWork(job)
    work.put("first")
    assert started.wait(60)
    for item in ("a", "b"):
        work.put(item)
    thread = threading.Thread(target=lambda: finisher.__setitem__("mine", work.finish()))
    finisher["thread"] = thread
    thread.start()
    assert wait_until(lambda: len(done) == 2)  # the worker is still on its job: the finisher did both
    assert done == [("a", True), ("b", True)] and thread.is_alive()  # and waits for the worker's
    gate.set()
    thread.join(60)
    assert finisher["mine"] == 2 and work.done == 3 and done[-1] == ("first", False)


def test_a_failing_job_is_skipped_and_the_next_runs():
    done = []

    def job(item):
        if item == "bad":
            raise RuntimeError("no encoder")
        done.append(item)

    work = IdleWork(job)
    for item in ("bad", "good"):
        work.put(item)
    assert wait_until(lambda: work.done == 2)
    work.stop()
    assert done == ["good"]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's SCHED_IDLE policy only")
def test_jobs_run_under_the_idle_policy():
    seen = []
    work = IdleWork(lambda item: seen.append(os.sched_getscheduler(0)))
    work.put(1)
    assert wait_until(lambda: work.done == 1)
    work.stop()
    assert seen == [os.SCHED_IDLE]


class Recorder:
    """Stands in for the runner's idle work: records what it is given."""

    def __init__(self):
        self.items, self.stopped, self.finished = [], False, False
        self.done = 0

    def put(self, item):
        assert not self.stopped
        self.items.append(item)

    def finish(self):
        self.finished = True
        self.stop()
        return 0

    def stop(self):
        self.stopped = True
        return 0


@pytest.mark.parametrize("embed", [True, False])
def test_the_runner_hands_each_settled_chunk_once_and_finishes_the_work_at_the_end(tmp_path, monkeypatch, embed):
    import render.synth.runner as R

    recorder = Recorder()
    monkeypatch.setattr(R, "_embedding_work", lambda cache: recorder)
    engine = ScriptedEngine({"bad": ["raise"] * 50})
    chunks = [make_chunk(0, "one"), make_chunk(1, "two"), make_chunk(2, "bad"), make_chunk(3, "one")]
    cache = Cache(tmp_path)
    summary = Renderer(engine, cache, R.RunOptions(**{**FAST.__dict__, "embed_speakers": embed})).run(chunks)
    assert [o.status for o in summary.outcomes] == ["synthesized", "synthesized", "failed", "cached"]
    if embed:  # settled chunks in plan order, each key once; the failed chunk has nothing to embed
        assert recorder.items == [chunks[0].key, chunks[1].key] and recorder.finished
    else:
        assert recorder.items == [] and not recorder.stopped
