"""Mastering: trimming, exact pauses, room tone, ACX levels under a true-peak limiter, and `render check`."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from render.cli import main
from render.engines.base import Audio
from render.master import level as L
from render.master.check import check_file
from render.master.settings import MasterSettings, Pauses, master_settings
from render.master.stitch import HEAD_MARGIN, TAIL_MARGIN, room_tone, stitch_chapter, trim
from render.plan.manifest import Chunk
from render.synth.cache import Cache
from render.errors import InputError

RATE = 24000


def speechlike(seconds, seed=0, amp=0.3):
    """A tone with a syllable-rate envelope and harmonics: peaky like speech."""
    t = np.arange(int(seconds * RATE)) / RATE
    env = np.abs(np.sin(2 * np.pi * 3.5 * t)) ** 2
    rng = np.random.default_rng(seed)
    tone = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) / k for k, f in enumerate((140, 280, 420, 1100), 1))
    return (amp * env * tone / 2).astype(np.float32)


def with_silence(x, lead, tail):
    return np.concatenate([np.zeros(int(lead * RATE), np.float32), x, np.zeros(int(tail * RATE), np.float32)])


def test_running_min_matches_the_definition():
    x = np.random.default_rng(1).standard_normal(500)
    for half in (0, 1, 4, 9):
        expect = np.array([x[max(0, i - half):i + half + 1].min() for i in range(x.size)])
        assert np.allclose(L._running_min(x, half), expect)


def test_true_peak_sees_peaks_between_samples():
    t = np.arange(RATE) / RATE
    x = np.sin(2 * np.pi * (RATE / 4) * t + np.pi / 4)  # samples land at ±0.707 of a unit sine
    assert L.sample_peak_db(x) == pytest.approx(-3.01, abs=0.05)
    assert L.true_peak_db(x) == pytest.approx(0.0, abs=0.3)


def test_level_hits_the_rms_target_and_the_limiter_holds_the_true_peak():
    x = np.concatenate([speechlike(20, seed=s) for s in range(3)])
    x[RATE * 5] = 0.99  # a click far above the rest
    y = L.level(x, RATE, -20.0, -3.5)
    assert L.rms_db(y) == pytest.approx(-20.0, abs=0.1)
    assert L.true_peak_db(y) <= -3.5 + 1e-3
    # a limiter, not a clipper: no run of samples sits flat at the ceiling
    assert np.sum(np.abs(y) > 10 ** (-3.6 / 20)) < 50


def test_trim_cuts_silence_but_keeps_soft_edges():
    speech = speechlike(1.0)
    x = with_silence(speech, 0.4, 0.7)
    out = trim(x, RATE)
    assert 1.0 <= out.size / RATE <= 1.0 + 0.1
    assert trim(np.zeros(RATE, np.float32), RATE).size == 0


def test_room_tone_is_quiet_noise_and_repeatable():
    a = room_tone(RATE * 3, RATE, -70.0, seed=4)
    assert L.rms_db(a) == pytest.approx(-70.0, abs=0.1)
    assert np.array_equal(a, room_tone(RATE * 3, RATE, -70.0, seed=4))
    assert not np.array_equal(a, room_tone(RATE * 3, RATE, -70.0, seed=5))
    assert np.count_nonzero(a) == a.size


def chunk(i, key, pause, kind="narration"):
    return Chunk(id=f"c001-{i:04d}", chapter=1, index=i, block=i, speaker="narrator", kind=kind, text="x",
                 xml="<speak/>", voice="v", gender="male", description="", language="en", speed=1.0, seed=None,
                 est_seconds=1.0, pause_before=pause, key=key, engine="test", min_match_ratio=0.9)


@pytest.fixture
def chapter(tmp_path):
    cache = Cache(tmp_path / "cache")
    chunks = []
    for i, (lead, tail, pause) in enumerate([(0.3, 0.5, 0.0), (0.1, 0.2, 0.75), (0.4, 0.05, 1.6)]):
        key = f"{i:02d}" + "ab" * 31
        cache.put(key, Audio(with_silence(speechlike(2.0, seed=i, amp=0.05 * (i + 1)), lead, tail), RATE),
                  {"voice": "v"})
        chunks.append(chunk(i, key, pause))
    return cache, chunks


def test_a_stitched_chapter_has_exact_pauses_room_tone_and_acx_levels(chapter, tmp_path):
    cache, chunks = chapter
    settings = MasterSettings()
    done = stitch_chapter(chunks, cache, settings, seed=1)
    y = done.audio.samples
    assert done.starts[0] == pytest.approx(settings.head_seconds, abs=0.011)
    # between one chunk's speech and the next: the planned pause (to a 10 ms frame); the reported
    # start/end of a chunk include its trimmed margins
    for prev_end, start, c in zip(done.ends, done.starts[1:], chunks[1:]):
        assert (start + HEAD_MARGIN) - (prev_end - TAIL_MARGIN) == pytest.approx(c.pause_before, abs=0.021)
    assert done.audio.seconds - (done.ends[-1] - TAIL_MARGIN) == pytest.approx(settings.tail_seconds, abs=0.011)
    head = y[: int(settings.head_seconds * RATE)]
    assert np.count_nonzero(head) == head.size and L.rms_db(head) == pytest.approx(-70, abs=1)
    path = tmp_path / "ch.wav"
    sf.write(path, y, RATE, subtype="PCM_16")
    row = check_file(path, 1, "One")
    assert row.passed, row.failed
    assert -20.5 < row.rms < -19.5 and row.peak <= -3.0 and row.noise_floor <= -60
    assert 0.5 <= row.head <= 1.0 and 1.0 <= row.tail <= 5.0


def test_the_same_chunks_master_to_the_same_samples(chapter):
    cache, chunks = chapter
    a = stitch_chapter(chunks, cache, MasterSettings(), seed=2).audio.samples
    b = stitch_chapter(chunks, cache, MasterSettings(), seed=2).audio.samples
    assert np.array_equal(a, b)


def test_check_names_each_broken_rule(tmp_path):
    hot = with_silence(speechlike(4.0, amp=0.99), 1.5, 0.6)  # loud, peaks near 0 dBFS, digital silence, bad edges
    sf.write(tmp_path / "hot.wav", hot, RATE, subtype="PCM_16")
    row = check_file(tmp_path / "hot.wav")
    failed = " ".join(row.failed)
    for rule in ("rms", "peak", "room_tone", "head", "tail"):
        assert rule in failed, failed
    assert "noise_floor" not in failed  # digital silence is below any floor; room_tone catches it


def test_render_check_prints_a_row_per_chapter_and_fails_the_bad_one(chapter, tmp_path):
    cache, chunks = chapter
    out = tmp_path / "out"
    (out / "chapters").mkdir(parents=True)
    from render.master.chapters import master_chapter, write_plan_stamps
    from render.plan.manifest import write_manifest

    book = {"title": "T", "chapters": [{"index": 1, "title": "One"}, {"index": 2, "title": "Two"}],
            "master": MasterSettings().to_json()}
    two = [c.__class__(**{**c.__dict__, "chapter": 2, "id": c.id.replace("c001", "c002")}) for c in chunks[:1]]
    write_manifest(out / "manifest.jsonl", chunks + two)
    (out / "book.json").write_text(json.dumps(book))
    write_plan_stamps(out, book, chunks + two)
    assert master_chapter(out, book, 1, chunks, cache)["chunk_starts"][0] == pytest.approx(0.75, abs=0.011)
    result = CliRunner().invoke(main, ["check", str(out)])
    assert result.exit_code == 1, result.output
    assert "One" in result.output and "pass" in result.output
    assert "not rendered" in result.output and "1/2 chapter files pass ACX" in result.output
    assert master_chapter(out, book, 2, two, cache) is not None
    result = CliRunner().invoke(main, ["check", str(out)])
    assert result.exit_code == 0 and "2/2 chapter files pass ACX" in result.output


def test_settings_from_a_cast_file_are_checked():
    s = master_settings({"speak_titles": False, "pauses": {"paragraph": 1.0}, "tail_seconds": 3})
    assert s.speak_titles is False and s.pauses == Pauses(paragraph=1.0) and s.tail_seconds == 3.0
    for bad in ({"pauses": {"para": 1}}, {"tail_seconds": 9}, {"speak_titles": "no"}, {"pauses": [1]}):
        with pytest.raises(InputError):
            master_settings(bad, "cast.yaml: settings")


def test_help_of_every_new_command():
    for name in ("makefile", "chapter", "assemble", "check"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, name
