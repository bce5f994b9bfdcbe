"""Retakes of a drifted chunk on a seeded engine: new seed through the declared fallbacks, best take
by the combined score. The engine is Scenema's protocol on a loopback server that answers with
real Kokoro speech."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from render.engines import create
from render.engines.base import SynthRequest
from render.engines.kokoro import KokoroEngine
from render.plan.manifest import Chunk
from render.speak.build import PromptSpec, build_prompt
from render.synth.cache import Cache
from render.synth.consistency import ConsistencyOptions, check_consistency
from render.synth.retake import combined, retake_drifted
from tests.loopback import SpeechServer

TEXTS = ["The boat is late again tonight, and the wind is rising.",
         "Then we should light the lamp before the fog comes in.",
         "Did you see the ship that passed the point at noon today?",
         "We will write it in the log before we sleep tonight."]


def test_combined_score_is_the_weaker_check():
    assert combined(0.95, 0.9, 0.80, 0.75) == pytest.approx(min(0.95 / 0.9, 0.80 / 0.75))
    assert combined(None, 0.9, 0.60, 0.75) == pytest.approx(0.8)  # no ASR: the voice alone
    assert combined(0.5, 0.9, 0.99, 0.75) < 1 <= combined(0.9, 0.9, 0.75, 0.75)


def test_deterministic_engines_are_not_retaken(tmp_path):
    assert retake_drifted([], ["c1"], {}, KokoroEngine(), Cache(tmp_path), ConsistencyOptions()) == []


@pytest.mark.slow
def test_a_drifted_chunk_gets_a_new_seed_and_keeps_the_better_take(tmp_path):
    kokoro = KokoroEngine()

    def speak(text, voice):
        xml = build_prompt(PromptSpec(voice="Female, 30s.", gender="female", text=text))
        return xml, kokoro.synthesize(SynthRequest(xml=xml, text=text, voice=voice))

    cache = Cache(tmp_path / "cache")
    chunks = []
    for i, text in enumerate(TEXTS):
        xml, audio = speak(text, "am_michael" if i == 3 else "af_heart")  # the last one drifted
        chunks.append(Chunk(id=f"c001-{i:04d}", chapter=1, index=i, block=i, speaker="Mara", kind="dialogue",
                            text=text, xml=xml, voice="Female, 30s.", gender="female", description="",
                            language="en", speed=1.0, seed=0, est_seconds=3.5, pause_before=0.0, key=f"k{i}",
                            engine="scenema", min_match_ratio=0.9))
        cache.put(f"k{i}", audio, {"id": chunks[-1].id, "attempts": [{"strategy": "as-planned"}]})
    result = check_consistency(chunks, cache)
    assert result.flagged == ["c001-0003"]
    _, right = speak(TEXTS[3], "af_heart")
    buf = io.BytesIO()
    sf.write(buf, right.samples, right.sample_rate, format="WAV", subtype="PCM_16")
    server = SpeechServer("scenema").queue(("audio", buf.getvalue()))
    try:
        engine = create("scenema", base_url=server.url)
        changed = retake_drifted(chunks, result.flagged, result.anchors, engine, cache, ConsistencyOptions())
    finally:
        server.stop()
    assert changed == ["c001-0003"]
    assert server.bodies[0]["seed"] == 1000  # reseed-1 of the declared fallbacks
    side = cache.meta("k3")
    assert side["chosen"] == "reseed-1" and side["attempts"][-1]["reason"] == "voice"
    assert check_consistency(chunks, cache).flagged == []
