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
    audio = K.KokoroEngine(call_phonemes=40).synthesize(_request(text))
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
