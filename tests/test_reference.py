"""Reference voices in the cast: checked as the cast is loaded, prepared once and cached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from render.engines.base import Audio, SynthRequest
from render.errors import InputError
from render.script.cast import load_cast
from render.synth.reference import ReferenceOptions, load_references, normalize_rms, prepare


class Cloner:
    """Stands for a cloning engine's identity only (nothing is synthesized)."""

    name = "openai"
    clones = True


class Plain:
    name = "kokoro"
    clones = False


def wav(path: Path, seconds: float, rate: int = 24000, amp: float = 0.2) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, (amp * np.sin(2 * np.pi * 200 * t)).astype(np.float32), rate)
    return path


def cast_with(tmp_path: Path, ref: str, text: str | None = None, settings: str = "") -> Path:
    entry = f"  - name: Mara\n    ref_audio: {ref}\n" + (f"    ref_text: \"{text}\"\n" if text else "")
    path = tmp_path / "cast.yaml"
    path.write_text(f"narrator: bm_george\ncharacters:\n{entry}{settings}")
    return path


def refs(tmp_path, cast_path, engine=Cloner()):
    return load_references(load_cast(cast_path), engine, tmp_path / "cache")


def test_missing_file_names_the_cast_line(tmp_path):
    with pytest.raises(InputError) as err:
        refs(tmp_path, cast_with(tmp_path, "voices/none.wav", "hi"))
    assert str(err.value).startswith(f"{tmp_path / 'cast.yaml'}:3") and "Mara" in str(err.value)


def test_a_file_that_is_not_audio_is_refused(tmp_path):
    (tmp_path / "notes.wav").write_text("not audio")
    with pytest.raises(InputError, match="not audio soundfile can read"):
        refs(tmp_path, cast_with(tmp_path, "notes.wav", "hi"))


@pytest.mark.parametrize("seconds", [1.5, 40.0])
def test_length_outside_3_to_30_seconds_is_refused(tmp_path, seconds):
    wav(tmp_path / "r.wav", seconds)
    with pytest.raises(InputError, match=r"use a clip of 3-30 s"):
        refs(tmp_path, cast_with(tmp_path, "r.wav", "hi"))


def test_length_outside_10_to_20_seconds_warns(tmp_path, caplog):
    wav(tmp_path / "r.wav", 5.0)
    refs(tmp_path, cast_with(tmp_path, "r.wav", "hi"), Plain())
    assert "10-20 s clones best" in caplog.text


def test_only_http_urls_pass_and_are_never_fetched(tmp_path):
    got = refs(tmp_path, cast_with(tmp_path, "https://example.invalid/mara.wav", "hello"))
    assert got["Mara"].path is None and got["Mara"].source.startswith("https://")
    with pytest.raises(InputError, match="only http"):
        refs(tmp_path, cast_with(tmp_path, "ftp://example.invalid/mara.wav", "hello"))
    with pytest.raises(InputError, match="never fetches URLs"):
        refs(tmp_path, cast_with(tmp_path, "https://example.invalid/mara.wav"))


def test_missing_ref_text_with_transcription_off_is_an_error_naming_the_fix(tmp_path):
    wav(tmp_path / "r.wav", 12.0)
    cast = cast_with(tmp_path, "r.wav", settings="settings: {transcribe_references: false}\n")
    with pytest.raises(InputError) as err:
        refs(tmp_path, cast)
    assert "'Mara'" in str(err.value) and "add ref_text" in str(err.value)
    assert refs(tmp_path, cast, Plain())["Mara"].path is None  # an engine that doesn't clone needs none


def test_prepared_clip_is_cached_normalised_and_resampled(tmp_path):
    wav(tmp_path / "r.wav", 12.0, rate=44100, amp=0.02)
    cast = cast_with(tmp_path, "r.wav", "the words")
    first = refs(tmp_path, cast)["Mara"]
    assert first.text == "the words" and Path(first.path).parent == tmp_path / "cache" / "references"
    samples, rate = sf.read(first.path, dtype="float32")
    assert rate == 24000
    assert abs(20 * np.log10(np.sqrt(np.mean(samples ** 2))) + 20) < 0.5  # -20 dBFS RMS
    stamp = Path(first.path).stat().st_mtime_ns
    again = refs(tmp_path, cast)["Mara"]
    assert again == first and Path(again.path).stat().st_mtime_ns == stamp  # prepared once


def test_rms_normalisation_keeps_peaks_under_the_ceiling():
    x = np.zeros(24000, np.float32)
    x[100] = 1.0  # one click: raising the RMS to -20 dBFS would clip it
    out = normalize_rms(x, -20.0)
    assert np.max(np.abs(out)) <= 10 ** (-1 / 20) + 1e-6


def test_plan_keys_carry_the_prepared_clip_hash(tmp_path):
    from render.plan.manifest import content_key

    wav(tmp_path / "r.wav", 12.0)
    ref = refs(tmp_path, cast_with(tmp_path, "r.wav", "the words"))["Mara"]
    common = dict(engine="openai", engine_version="1", fingerprint="f", xml="<speak/>", voice="v", speed=1.0,
                  seed=None, sample_rate=24000, language="en", ref_text="the words")
    original = content_key(ref_audio=str(tmp_path / "r.wav"), **common)
    assert content_key(ref_audio=ref.path, **common) != original


@pytest.mark.slow
def test_speech_is_trimmed_by_the_vad_and_transcribed_once(tmp_path):
    from render.engines.kokoro import KokoroEngine
    from render.speak.build import PromptSpec, build_prompt

    # about 5 s of speech: above the 3 s a clip needs, the rest of its length is not what is tested
    text = "The lighthouse stood at the end of the long stone pier, and the keeper climbed the stairs."
    xml = build_prompt(PromptSpec(voice="v", gender="female", text=text))
    speech = KokoroEngine().synthesize(SynthRequest(xml=xml, text=text, voice="af_heart"))
    pad = np.zeros(2 * speech.sample_rate, np.float32)
    sf.write(tmp_path / "mara.wav", np.concatenate([pad, speech.samples, pad]), speech.sample_rate)
    ref = refs(tmp_path, cast_with(tmp_path, "mara.wav"))["Mara"]
    assert speech.seconds - 0.5 < ref.seconds < speech.seconds + 1.3  # of 4 s of silence, the VAD pads keep ~1 s
    assert "lighthouse" in ref.text.lower() and Path(ref.path).with_suffix(".txt").read_text() == ref.text
    trimmed = prepare(Audio(np.concatenate([pad, speech.samples, pad]), speech.sample_rate), ReferenceOptions())
    assert trimmed.sample_rate == 24000
