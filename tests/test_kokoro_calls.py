"""A chunk cut into several Kokoro calls: where the cuts go, how the audio is joined, and the engine's use of it."""

import numpy as np
import pytest

from render.engines.kokoro_calls import join, split_calls

# phoneme-like text: 3 sentences of 29 characters each, the second with a clause mark in its middle
S1 = "ˈælɪs wʌz bəɡˈɪnɪŋ tə ɡɛt vˈɛ."
S2 = "ænd ʌv hˈæv, ɪŋ nˈʌθɪŋ tə dˈu!"
S3 = "wˈʌns ɔɹ twˈIs ʃi hæd pˈipt ɪ?"


def test_a_text_within_the_limit_is_one_call():
    text = f"{S1} {S2}"
    assert split_calls(text, len(text)) == [(text, "end")]
    assert split_calls("  a  b ", 10) == [("a b", "end")]
    assert split_calls("   ", 10) == []


def test_cuts_go_after_sentences_and_every_call_fits():
    text = f"{S1} {S2}  {S3}"
    calls = split_calls(text, 62)
    assert [c for c, _ in calls] == [f"{S1} {S2}", S3]
    assert [k for _, k in calls] == ["sentence", "end"]
    calls = split_calls(text, 40)
    assert [c for c, _ in calls] == [S1, S2, S3] and [k for _, k in calls] == ["sentence", "sentence", "end"]
    assert " ".join(c for c, _ in calls) == " ".join(text.split())


def test_a_sentence_cut_wins_over_a_more_even_clause_cut():
    # at 62, cutting after S2's comma would give 44 + 44, after S1's full stop 29 + 60: the sentence wins
    text = f"{S1} {S2} wˈʌns ɔɹ."
    calls = split_calls(text, 62)
    assert calls[0] == (S1, "sentence") and all(len(c) <= 62 for c, _ in calls)


def test_a_clause_then_a_word_when_no_sentence_ends_in_reach():
    long = "ænd ʌv hˈævɪŋ nˈʌθɪŋ, tə dˈu wˈʌns ɔɹ twˈIs ʃi hæd pˈipt ˈɪntu ðə bˈʊk."
    calls = split_calls(long, 50)
    assert calls == [("ænd ʌv hˈævɪŋ nˈʌθɪŋ,", "clause"), (long[22:], "end")]
    # at 40 a clause cut would still need a word cut after it: one word cut instead
    calls = split_calls(long, 40)
    assert [k for _, k in calls] == ["word", "end"] and all(len(c) <= 40 for c, _ in calls)
    assert " ".join(c for c, _ in calls) == long
    # a closing quote after the mark: still a cut after a sentence
    quoted = "“ænd wˌʌt ɪz ðə jˈus?” θˈɔt ˈælɪs wɪðˈWt pˈɪkʧəɹz."
    assert split_calls(quoted, 30)[0] == ("“ænd wˌʌt ɪz ðə jˈus?”", "sentence")


def test_a_word_longer_than_the_limit_is_a_call_of_its_own():
    calls = split_calls("ə bˈɪɡwˈɜɹdðætɪzlˈɔŋ ə.", 8)
    assert [c for c, _ in calls] == ["ə", "bˈɪɡwˈɜɹdðætɪzlˈɔŋ", "ə."]


def test_join_puts_back_the_pause_each_cut_asks_for():
    parts = [np.ones(10, np.float32), np.ones(5, np.float32), np.ones(3, np.float32)]
    out = join(parts, ["sentence", "word", "end"], 100, {"sentence": 0.25, "clause": 0.1, "word": 0.0})
    assert out.dtype == np.float32 and len(out) == 10 + 25 + 5 + 3
    assert not out[10:35].any() and out[:10].all() and out[35:].all()
    out = join(parts[:2], ["clause", "end"], 100, {"clause": 0.1})
    assert len(out) == 10 + 10 + 5


class FakeKokoro:
    """Stands in for kokoro-onnx: a call's audio is one sample per phoneme; records the calls."""

    voices = {"af_heart": np.zeros((510, 1, 256), np.float32)}

    def __init__(self):
        self.calls = []

    def create(self, phonemes, voice, speed, is_phonemes):
        from render.engines.kokoro import _Budget

        self.calls.append((phonemes, _Budget._running))
        return np.full(len(phonemes), 0.5, np.float32), 24000


@pytest.fixture
def fake_kokoro(monkeypatch):
    import render.engines.kokoro as K

    fake = FakeKokoro()
    monkeypatch.setattr(K._Models, "kokoro", classmethod(lambda cls, threads=0: fake))
    monkeypatch.setattr(K._Models, "_phonemes", {})
    monkeypatch.setattr(K.assets, "voice_names", lambda: ["af_heart"])
    return K, fake


def _request(text):
    from render.engines.base import SynthRequest
    from render.speak.build import PromptSpec, build_prompt

    xml = build_prompt(PromptSpec(voice="A voice", gender="female", text=text))
    return SynthRequest(xml=xml, text=text, voice="af_heart")


def test_a_long_chunk_is_several_calls_joined_as_one_take(fake_kokoro):
    K, fake = fake_kokoro
    text = f"{S1} {S2} {S3}"
    K._Models._phonemes[(text, False, "misaki")] = text
    audio = K.KokoroEngine(call_phonemes=40, workers=1).synthesize(_request(text))
    assert [p for p, _ in fake.calls] == [S1, S2, S3]
    assert all(running == 1 for _, running in fake.calls)  # each call held its place in the budget
    gap = int(K.JOIN_PAUSES["sentence"] * 24000)
    assert len(audio.samples) == len(S1) + len(S2) + len(S3) + 2 * gap
    fake.calls.clear()
    whole = K.KokoroEngine(call_phonemes=510).synthesize(_request(text))
    assert [p for p, _ in fake.calls] == [text] and len(whole.samples) == len(text)


def test_the_content_key_changes_with_the_call_length():
    from render.engines.kokoro import CALL_PHONEMES, KokoroEngine
    from render.errors import InputError

    default, whole = KokoroEngine(), KokoroEngine(call_phonemes=510)
    assert default._call_phonemes == CALL_PHONEMES and f"calls<={CALL_PHONEMES}" in default.version
    assert "calls" not in whole.version  # one call a chunk: the version (and cache) of before
    assert KokoroEngine(call_phonemes=100).version != default.version != whole.version
    with pytest.raises(InputError, match="call_phonemes"):
        KokoroEngine(call_phonemes=600)


class GatedKokoro(FakeKokoro):
    """A fake whose calls wait at a gate until the test lets each one through (by its phonemes)."""

    def __init__(self, pieces):
        super().__init__()
        import threading

        self.entered = {p: threading.Event() for p in pieces}
        self.leave = {p: threading.Event() for p in pieces}
        self.fail = set()

    def create(self, phonemes, voice, speed, is_phonemes):
        from render.engines.kokoro import _Budget

        self.calls.append((phonemes, _Budget._running))
        order = len(self.calls)  # the audio says which call it was
        self.entered[phonemes].set()
        assert self.leave[phonemes].wait(60), "the test never let this call go"
        if phonemes in self.fail:
            raise RuntimeError("the model choked")
        return np.arange(len(phonemes), dtype=np.float32) + 10 * order, 24000


def _gated(monkeypatch, pieces):
    import render.engines.kokoro as K

    fake = GatedKokoro(pieces)
    monkeypatch.setattr(K._Models, "kokoro", classmethod(lambda cls, threads=0: fake))
    monkeypatch.setattr(K._Models, "_phonemes", {})
    monkeypatch.setattr(K.assets, "voice_names", lambda: ["af_heart"])
    return K, fake


def _synthesize_in_thread(engine, text, out):
    import threading

    def body():
        try:
            out["audio"] = engine.synthesize(_request(text))
        except Exception as exc:
            out["error"] = exc

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def test_a_chunk_alone_runs_its_calls_on_both_places_and_joins_them_in_order(monkeypatch):
    from tests.pausing import wait_until

    K, fake = _gated(monkeypatch, [S1, S2, S3])
    text = f"{S1} {S2} {S3}"
    K._Models._phonemes[(text, False, "misaki")] = text
    out = {}
    thread = _synthesize_in_thread(K.KokoroEngine(call_phonemes=40), text, out)
    # the first call from the front, the last from the back, at once
    assert wait_until(lambda: fake.entered[S1].is_set() and fake.entered[S3].is_set())
    assert not fake.entered[S2].is_set() and K._Budget._running == 2
    fake.leave[S3].set()
    assert wait_until(lambda: fake.entered[S2].is_set())  # the helper goes on from the back while S1 runs
    assert K._Budget._running == 2
    fake.leave[S2].set()
    fake.leave[S1].set()
    thread.join(60)
    assert "error" not in out and len(fake.calls) == 3
    # each call's audio where its piece belongs, whichever thread made it and when
    made = {p: np.arange(len(p), dtype=np.float32) + 10 * (i + 1) for i, (p, _) in enumerate(fake.calls)}
    gap = np.zeros(int(K.JOIN_PAUSES["sentence"] * 24000), np.float32)
    assert np.array_equal(out["audio"].samples, np.concatenate([made[S1], gap, made[S2], gap, made[S3]]))
    assert K._Budget._used == K._Budget._running == 0 and K._Budget.waiting() == 0


def test_a_spare_place_goes_to_a_waiting_run_before_a_chunks_later_call(monkeypatch):
    import threading

    from tests.pausing import wait_until

    K, fake = _gated(monkeypatch, [S1, S2])
    text = f"{S1} {S2}"
    K._Models._phonemes[(text, False, "misaki")] = text
    log, leave_other, leave_late = [], threading.Event(), threading.Event()

    def hold(name, leave):
        with K._Budget.hold(10, K.BUDGET, 2):
            log.append(f"{name} in")
            leave.wait(60)
        log.append(f"{name} out")

    other = threading.Thread(target=hold, args=("other", leave_other))
    other.start()
    assert wait_until(lambda: "other in" in log)
    # the chunk's own thread takes its first call before the helper looks for a spare place: left
    # to the scheduler, a helper that came first would take S2 and leave S1 queued (a loaded
    # machine did), and the case under test would not arise
    import render.engines.kokoro_runs as R

    pool = R._helper_pool()

    class FrontFirst:
        def submit(self, fn):
            return pool.submit(lambda: fake.entered[S1].wait(60) and fn())

    monkeypatch.setattr(R, "_helper_pool", lambda: FrontFirst())
    out = {}
    thread = _synthesize_in_thread(K.KokoroEngine(call_phonemes=40), text, out)
    assert wait_until(lambda: fake.entered[S1].is_set())  # beside `other`: both places taken
    late = threading.Thread(target=hold, args=("late", leave_late))
    late.start()
    assert wait_until(lambda: K._Budget.waiting() == 1)
    leave_other.set()
    assert wait_until(lambda: "late in" in log)  # the freed place went to the run that asked
    assert not fake.entered[S2].is_set()
    leave_late.set()
    fake.leave[S1].set()
    fake.leave[S2].set()
    for t in (other, late, thread):
        t.join(60)
    assert "error" not in out and sorted(p for p, _ in fake.calls) == sorted([S1, S2])
    assert K._Budget._used == K._Budget._running == 0 and K._Budget.waiting() == 0


def test_a_failing_call_on_the_spare_place_fails_the_chunk_once_both_have_stopped(monkeypatch):
    from render.errors import EngineError
    from tests.pausing import wait_until

    K, fake = _gated(monkeypatch, [S1, S2, S3])
    text = f"{S1} {S2} {S3}"
    K._Models._phonemes[(text, False, "misaki")] = text
    fake.fail.add(S3)
    out = {}
    thread = _synthesize_in_thread(K.KokoroEngine(call_phonemes=40), text, out)
    assert wait_until(lambda: fake.entered[S1].is_set() and fake.entered[S3].is_set())
    fake.leave[S3].set()  # the helper's call fails
    assert wait_until(lambda: K._Budget._running == 1)
    fake.leave[S1].set()
    thread.join(60)
    assert isinstance(out.get("error"), EngineError) and "choked" in str(out["error"])
    assert not fake.entered[S2].is_set()  # nothing more was started after the failure
    assert K._Budget._used == K._Budget._running == 0 and K._Budget.waiting() == 0


def test_one_run_at_a_time_keeps_a_chunks_calls_in_one_thread(fake_kokoro):
    import threading

    K, fake = fake_kokoro
    text = f"{S1} {S2} {S3}"
    K._Models._phonemes[(text, False, "misaki")] = text
    seen = []
    create = fake.create
    fake.create = lambda *a, **k: (seen.append(threading.get_ident()), create(*a, **k))[1]
    K.KokoroEngine(call_phonemes=40, workers=1).synthesize(_request(text))
    assert [p for p, _ in fake.calls] == [S1, S2, S3] and len(set(seen)) == 1
