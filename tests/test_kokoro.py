"""The default engine, for real: Kokoro-82M int8 on the CPU."""

import numpy as np
import pytest

from render.engines import create
from render.engines.base import SynthRequest
from render.engines.kokoro import parse_voice
from render.errors import InputError
from render.speak.build import PromptSpec, build_prompt
from tests.pausing import wait_until


def request(text, voice="af_heart", actions=()):
    xml = build_prompt(PromptSpec(voice="A voice", gender="female", text=text, actions=actions))
    return SynthRequest(xml=xml, text=text, voice=voice)


def test_voice_blends_parse_and_normalise():
    assert parse_voice("af_heart") == [(1.0, "af_heart")]
    (w1, n1), (w2, n2) = parse_voice("0.6*bm_george + 0.2*am_adam")
    assert (n1, n2) == ("bm_george", "am_adam") and (w1, w2) == (pytest.approx(0.75), pytest.approx(0.25))
    for bad in ["", "0.5*", "heart", "-1*af_heart"]:
        with pytest.raises(InputError):
            parse_voice(bad)


def test_unknown_voice_lists_the_choices():
    engine = create("kokoro")
    with pytest.raises(InputError, match=r"unknown Kokoro voice 'af_nobody'.*af_heart.*bm_lewis"):
        engine.check_voice("0.5*af_nobody+0.5*af_heart")
    engine.check_voice("0.5*bf_emma+0.5*am_adam")


@pytest.mark.slow
def test_synthesis_is_deterministic_speech_and_voices_differ():
    engine = create("kokoro")
    a = engine.synthesize(request("The lamp burned all night."))
    b = engine.synthesize(request("The lamp burned all night."))
    assert a.sample_rate == 24000 and 1.0 < a.seconds < 4.0
    assert np.array_equal(a.samples, b.samples)
    c = engine.synthesize(request("The lamp burned all night.", voice="am_michael"))
    assert not np.array_equal(a.samples[: len(c.samples)], c.samples[: len(a.samples)])
    slow = engine.synthesize(request("The lamp burned all night.", actions=("Slowly, measured.",)))
    assert slow.seconds > a.seconds * 1.02  # a pace word in <action> slows Kokoro down


@pytest.mark.slow
def test_two_single_threaded_runs_at_once_give_the_audio_of_one_two_threaded_run():
    """workers=2 (two runs at once, one ONNX Runtime thread each, a chunk's calls spread over both)
    changes no sample: the same calls on a session of two intra-op threads (the default's), one at a
    time, joined in order, give the same arrays."""
    import threading

    import onnxruntime as ort
    from kokoro_onnx import Kokoro

    from render import assets
    from render.engines.kokoro import _Models

    _Models.release()  # loaded again below with one thread
    engine = create("kokoro", workers=2)
    assert _Models.kokoro(engine._threads).sess.get_session_options().intra_op_num_threads == 1
    # two short sentences of different lengths: the samples either match to the bit or not, however long
    texts = ["Alice was getting very tired of sitting by her sister.",
             "So she was considering in her own mind whether to get up.",
             # several calls: the chunk's calls run on both places, joined in order
             "There was nothing so very remarkable in that; nor did Alice think it so very much out of "
             "the way to hear the Rabbit say to itself, oh dear! Oh dear! I shall be late! When she "
             "thought it over afterwards, it occurred to her that she ought to have wondered at this."]
    got = {}
    threads = [threading.Thread(target=lambda t=t: got.__setitem__(t, engine.synthesize(request(t)).samples))
               for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    opts.enable_mem_pattern = False
    two = Kokoro.from_session(ort.InferenceSession(str(assets.kokoro_model_path()), sess_options=opts,
                                                   providers=["CPUExecutionProvider"]), str(assets.voices_path()))
    from render.engines.kokoro import CALL_PHONEMES, JOIN_PAUSES
    from render.engines.kokoro_calls import join, split_calls

    style = engine.style("af_heart")
    calls = {text: split_calls(engine.phonemize(text, "af_heart"), CALL_PHONEMES) for text in texts}
    assert len(calls[texts[2]]) >= 2
    for text in texts:
        made = [two.create(piece, voice=style, speed=1.0, is_phonemes=True)[0] for piece, _ in calls[text]]
        one_by_one = join(made, [kind for _, kind in calls[text]], 24000, JOIN_PAUSES)
        assert np.array_equal(one_by_one, got[text])


class FakeG2P:
    """Stands in for misaki: phonemes are the text upper-cased; 'Bad.' raises."""

    made: list[bool] = []

    def __init__(self, british):
        self.british = british
        FakeG2P.made.append(british)

    def __call__(self, text):
        if text == "Bad.":
            raise RuntimeError("G2P choked")
        return ("gb:" if self.british else "us:") + text.upper(), []


@pytest.fixture
def fake_g2p(monkeypatch):
    import render.engines.kokoro as K

    FakeG2P.made = []
    monkeypatch.setattr(K, "_make_g2p", lambda british, mode: FakeG2P(british))
    monkeypatch.setattr(K._Models, "_g2p", {})
    monkeypatch.setattr(K._Models, "_phonemes", {})
    return K._Models


def test_prepare_phonemizes_ahead_then_lets_go_of_the_g2p(fake_g2p):
    engine = create("kokoro")
    engine.prepare(iter([request("One."), request("Two.", voice="bf_emma"), request("One.")]))
    assert fake_g2p._g2p == {} and FakeG2P.made == [False, True]
    # synthesis finds the phonemes made ahead: no G2P is loaded again
    assert engine.phonemize("One.", "af_heart") == "us:ONE." and engine.phonemize("Two.", "bf_emma") == "gb:TWO."
    assert fake_g2p._g2p == {} and FakeG2P.made == [False, True]
    # a text not seen ahead (a fallback's sentence) loads the G2P again
    assert engine.phonemize("Three.", "af_heart") == "us:THREE." and FakeG2P.made == [False, True, False]


def test_prepare_stops_at_the_first_failure_and_keeps_the_g2p(fake_g2p):
    engine = create("kokoro")
    engine.prepare(iter([request("One."), request("Bad."), request("Two.")]))
    assert list(fake_g2p._g2p) == [(False, "misaki")]
    assert list(fake_g2p._phonemes) == [("One.", False, "misaki")]


@pytest.mark.slow
def test_phonemes_made_ahead_are_those_made_on_demand():
    import render.engines.kokoro as K

    texts = ["The Rabbit-Hole, said Alice, was 4 feet deep.", "‘Curiouser and curiouser!’ cried she."]
    engine = create("kokoro")
    K._Models.release()
    on_demand = [engine.phonemize(t, v) for t in texts for v in ("af_heart", "bf_emma")]
    K._Models.release()
    engine.prepare(request(t, voice=v) for t in texts for v in ("af_heart", "bf_emma"))
    assert K._Models._g2p == {}
    assert [engine.phonemize(t, v) for t in texts for v in ("af_heart", "bf_emma")] == on_demand
    assert K._Models._g2p == {}


def _hold_in_thread(phonemes, limit, log, name, leave, runs=2):
    """Hold budget in a thread: log '<name> in' on entry, wait for `leave`, log '<name> out'."""
    import threading

    from render.engines.kokoro import _Budget

    def body():
        with _Budget.hold(phonemes, limit, runs):
            log.append(f"{name} in")
            leave.wait(60)
            log.append(f"{name} out")

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def _until(condition):
    """Wait for a state another thread reaches."""
    assert wait_until(condition), "the other thread never got there"


def test_a_second_run_starts_only_while_both_fit_the_budget():
    import threading

    from render.engines.kokoro import _Budget

    log, leave_a, leave_b, leave_c = [], threading.Event(), threading.Event(), threading.Event()
    a = _hold_in_thread(200, 320, log, "a", leave_a)
    _until(lambda: "a in" in log)
    b = _hold_in_thread(100, 320, log, "b", leave_b)  # 300 of 320: runs beside a
    _until(lambda: "b in" in log)
    leave_b.set()
    b.join(60)
    c = _hold_in_thread(150, 320, log, "c", leave_c)  # 350 of 320: waits for a
    _until(lambda: _Budget.waiting() == 1)
    assert "c in" not in log
    leave_a.set()
    a.join(60)
    _until(lambda: "c in" in log)
    leave_c.set()
    c.join(60)
    assert log == ["a in", "b in", "b out", "a out", "c in", "c out"] and _Budget._used == _Budget._running == 0


def _one_after_the_other(first: int, second: int, limit: int, runs: int = 2) -> list[str]:
    """Hold `first` phonemes, then ask for `second` while it runs; let the first go once the second
    waits, then the second: the log of who was in and out."""
    import threading

    from render.engines.kokoro import _Budget

    log, leave_a, leave_b = [], threading.Event(), threading.Event()
    a = _hold_in_thread(first, limit, log, "a", leave_a, runs=runs)
    _until(lambda: "a in" in log)
    b = _hold_in_thread(second, limit, log, "b", leave_b, runs=runs)
    _until(lambda: _Budget.waiting() == 1)
    leave_a.set()
    a.join(60)
    _until(lambda: "b in" in log)
    leave_b.set()
    b.join(60)
    return log


def test_a_run_longer_than_the_budget_runs_alone():
    from render.engines.kokoro import _Budget

    # 900 phonemes, more than the budget: it starts when alone, and the next waits for it
    assert _one_after_the_other(900, 1, 320) == ["a in", "a out", "b in", "b out"]
    assert _Budget._used == _Budget._running == 0


def test_a_shorter_run_that_fits_starts_while_a_longer_one_waits_and_the_first_waiting_goes_next():
    import threading

    from render.engines.kokoro import _Budget

    log = []
    leave = {n: threading.Event() for n in "abcd"}
    a = _hold_in_thread(200, 380, log, "a", leave["a"])
    _until(lambda: "a in" in log)
    b = _hold_in_thread(220, 380, log, "b", leave["b"])  # 420 of 380: waits for a
    _until(lambda: _Budget.waiting() == 1)
    c = _hold_in_thread(100, 380, log, "c", leave["c"])  # asked after b, but fits beside a: goes
    _until(lambda: "c in" in log)
    d = _hold_in_thread(50, 380, log, "d", leave["d"])  # fits, but two runs are going on
    _until(lambda: _Budget.waiting() == 2)
    leave["c"].set()
    c.join(60)
    _until(lambda: "d in" in log)  # c's place: b still does not fit beside a, d does
    leave["a"].set()
    a.join(60)
    _until(lambda: "b in" in log)  # a's place goes to b, which asked first and now fits beside d
    for n in "bd":
        leave[n].set()
    b.join(60)
    d.join(60)
    assert log[:5] == ["a in", "c in", "c out", "d in", "a out"] and log[5] == "b in"
    assert _Budget._used == _Budget._running == 0 and _Budget.waiting() == 0


def test_one_run_at_a_time_with_workers_1():
    # both fit the budget, but one run at a time
    assert _one_after_the_other(10, 10, 380, runs=1) == ["a in", "a out", "b in", "b out"]


def test_two_single_threaded_runs_by_default_and_one_two_threaded_run_with_workers_1():
    from render.engines.kokoro import BUDGET, LOOKAHEAD, KokoroEngine

    engine = KokoroEngine()
    assert (engine._runs, engine._threads, engine._budget) == (2, 1, BUDGET)
    assert engine.max_in_flight == 2 + LOOKAHEAD  # the runner's pool: the runs and those that may overtake
    assert KokoroEngine(workers=2)._runs == 2
    one = KokoroEngine(workers=1)
    assert (one._runs, one._threads, one.max_in_flight) == (1, 2, 1)
    assert KokoroEngine(workers=2, threads=2, budget=500)._threads == 2
    assert KokoroEngine(workers=1, threads=1)._threads == 1
    assert KokoroEngine(budget=500)._budget == 500


def test_whispers_check_takes_one_of_two_places_and_waits_for_nothing_with_one_run():
    import threading

    from render.engines.kokoro import KokoroEngine, _Budget

    log, leave = [], {n: threading.Event() for n in "abcd"}
    a = _hold_in_thread(100, 380, log, "a", leave["a"])
    b = _hold_in_thread(100, 380, log, "b", leave["b"])
    _until(lambda: "a in" in log and "b in" in log)

    def check():
        with KokoroEngine(workers=2).beside():
            log.append("check in")
            leave["c"].wait(60)
        log.append("check out")

    checker = threading.Thread(target=check)
    checker.start()
    _until(lambda: _Budget.waiting() == 1)  # two runs going on: the check waits for a place
    c = _hold_in_thread(10, 380, log, "c", leave["d"])  # asked after the check: waits behind it
    _until(lambda: _Budget.waiting() == 2)
    leave["a"].set()
    a.join(60)
    _until(lambda: "check in" in log)
    assert "c in" not in log  # the check and b hold both places
    with KokoroEngine(workers=1).beside():  # one run at a time: nothing to give up
        log.append("alone")
    leave["c"].set()
    checker.join(60)
    _until(lambda: "c in" in log)
    for n in "bd":
        leave[n].set()
    b.join(60)
    c.join(60)
    assert log.index("check in") < log.index("c in") and "alone" in log
    assert _Budget._used == _Budget._running == 0 and _Budget.waiting() == 0
