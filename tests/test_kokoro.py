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
