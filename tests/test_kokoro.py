"""The default engine, for real: Kokoro-82M int8 on the CPU."""

import numpy as np
import pytest

from render.engines import create
from render.engines.base import SynthRequest
from render.engines.kokoro import parse_voice
from render.errors import InputError
from render.speak.build import PromptSpec, build_prompt


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


def _hold_in_thread(phonemes, limit, log, name, leave):
    """Hold budget in a thread: log '<name> in' on entry, wait for `leave`, log '<name> out'."""
    import threading

    from render.engines.kokoro import _Budget

    def body():
        with _Budget.hold(phonemes, limit):
            log.append(f"{name} in")
            leave.wait(60)
            log.append(f"{name} out")

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def _until(condition):
    """Wait for a state another thread reaches (not a duration: the limit is never reached when it works)."""
    import time

    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        time.sleep(0.001)


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
    _until(lambda: _Budget._waiting == 1)
    assert "c in" not in log
    leave_a.set()
    a.join(60)
    _until(lambda: "c in" in log)
    leave_c.set()
    c.join(60)
    assert log == ["a in", "b in", "b out", "a out", "c in", "c out"] and _Budget._used == 0


def test_a_run_longer_than_the_budget_runs_alone():
    import threading

    from render.engines.kokoro import _Budget

    log, leave_a, leave_b = [], threading.Event(), threading.Event()
    a = _hold_in_thread(900, 320, log, "a", leave_a)  # more than the budget: it starts when alone
    _until(lambda: "a in" in log)
    b = _hold_in_thread(1, 320, log, "b", leave_b)
    _until(lambda: _Budget._waiting == 1)
    leave_a.set()
    a.join(60)
    _until(lambda: "b in" in log)
    leave_b.set()
    b.join(60)
    assert log == ["a in", "a out", "b in", "b out"] and _Budget._used == 0
