"""The batch check: Whisper's encoder over a batch's own length (Transcriber.transcribe_fitted).

Fast tests cut audio at its quiet points; slow ones (real Kokoro and Whisper) check that the
fitted hearing still passes good takes and fails wrong words, a truncated take and silence."""

from __future__ import annotations

import numpy as np
import pytest

from render.engines.base import Audio
from render.synth.validate import Transcriber, split_quiet, split_scores, transcribe_audio


def test_split_quiet_cuts_in_the_silence_and_keeps_every_sample():
    rate = 16000
    tone = (0.2 * np.sin(2 * np.pi * 200 * np.arange(12 * rate) / rate)).astype(np.float32)
    gap = np.zeros(int(0.4 * rate), np.float32)
    x = np.concatenate([tone, gap, tone[: 8 * rate], gap, tone])  # 32.8 s, quiet at 12.0-12.4 and 20.4-20.8 s
    parts = split_quiet(x, 27 * rate)
    assert all(len(p) <= 27 * rate for p in parts) and len(parts) == 2
    assert np.array_equal(np.concatenate(parts), x)
    cut = len(parts[0]) / rate
    assert 12.0 <= cut <= 12.4 or 20.4 <= cut <= 20.8, cut
    assert len(split_quiet(x[: 20 * rate], 27 * rate)) == 1


def test_split_quiet_without_silence_cuts_within_the_limit():
    rate = 16000
    x = np.ones(70 * rate, np.float32)
    parts = split_quiet(x, 27 * rate)
    assert [len(p) <= 27 * rate for p in parts] == [True] * 3 and np.array_equal(np.concatenate(parts), x)


# ---------------------------------------------------------------- real models (slow)
LINES = ["The keeper climbed the stairs before the storm came in from the sea.",
         "Every night she wrote the weather in the book beside the lamp.",
         "The boat from the village was late again, and the wind was rising.",
         "Nobody on the island had seen a winter as cold as this one."]


@pytest.fixture(scope="module")
def takes():
    from render.engines.base import SynthRequest
    from render.engines.kokoro import KokoroEngine
    from render.speak.build import PromptSpec, build_prompt

    engine = KokoroEngine()
    return [engine.synthesize(SynthRequest(xml=build_prompt(PromptSpec(voice="Female, 30s.", gender="female", text=t)),
                                           text=t, voice="af_heart")) for t in LINES]


def _batch(audios: list[Audio]) -> Audio:
    rate = audios[0].sample_rate
    gap = np.zeros(int(0.4 * rate), np.float32)
    return Audio(np.concatenate([x for a in audios for x in (a.samples, gap)]), rate)


def _scores(audios: list[Audio]) -> list[float]:
    heard = transcribe_audio(Transcriber("en"), _batch(audios), fitted=True)
    return [score for score, _ in split_scores(LINES, heard)]


@pytest.mark.slow
def test_a_good_batch_passes_heard_fitted(takes):
    assert all(s >= 0.9 for s in _scores(takes)), _scores(takes)


@pytest.mark.slow
@pytest.mark.parametrize("spoil", ["words", "truncated", "silence"])
def test_a_wrong_take_fails_its_batch_heard_fitted(takes, spoil):
    bad = list(takes)
    a = takes[2]
    if spoil == "words":
        bad[2] = takes[0]  # another line's audio under this line's text
    elif spoil == "truncated":
        bad[2] = Audio(a.samples[: len(a.samples) // 2], a.sample_rate)
    else:
        bad[2] = Audio(np.zeros_like(a.samples), a.sample_rate)
    scores = _scores(bad)
    assert scores[2] < 0.9, scores
    assert scores[3] >= 0.9, scores  # the take after it is still heard


@pytest.mark.slow
def test_a_batch_over_30_s_is_heard_in_two_fitted_windows(takes, monkeypatch):
    """Over 30 s the batch is cut at a quiet point, each part heard in its own window, every line heard."""
    windows = []
    real = Transcriber._fitted_window
    monkeypatch.setattr(Transcriber, "_fitted_window", lambda self, model, x: windows.append(len(x)) or real(self, model, x))
    audios = takes * 2 + takes[:1]
    texts = LINES * 2 + LINES[:1]
    assert _batch(audios).seconds > 30
    heard = transcribe_audio(Transcriber("en"), _batch(audios), fitted=True)
    assert len(windows) == 2 and all(n <= 27 * 16000 for n in windows)
    assert all(score >= 0.9 for score, _ in split_scores(texts, heard)), heard


@pytest.mark.slow
def test_an_unsure_window_is_heard_the_usual_way(takes, monkeypatch):
    """A window whose text looks like a loop or is unsure: the whole audio goes through transcribe."""
    usual = []
    real = Transcriber.transcribe
    monkeypatch.setattr(Transcriber, "_fitted_window", lambda self, model, x: None)
    monkeypatch.setattr(Transcriber, "transcribe", lambda self, audio: usual.append(1) or real(self, audio))
    heard = transcribe_audio(Transcriber("en"), _batch(takes), fitted=True)
    assert usual == [1]
    assert all(score >= 0.9 for score, _ in split_scores(LINES, heard)), heard


@pytest.mark.slow
def test_a_short_batch_is_heard_the_usual_way(takes, monkeypatch):
    """Under FIT_FROM seconds (a chapter's last batch) no fitted window: Whisper's usual 30 s."""
    usual, fitted = [], []
    real = Transcriber.transcribe
    monkeypatch.setattr(Transcriber, "_fitted_window", lambda self, model, x: fitted.append(1))
    monkeypatch.setattr(Transcriber, "transcribe", lambda self, audio: usual.append(1) or real(self, audio))
    heard = transcribe_audio(Transcriber("en"), _batch(takes[:1]), fitted=True)
    assert usual == [1] and fitted == []
    assert split_scores(LINES[:1], heard)[0][0] >= 0.9, heard


@pytest.mark.parametrize("fit", [False, True])
def test_a_batch_is_heard_fitted_only_when_fit_batches_says_so(monkeypatch, fit):
    from render.synth import checks

    calls = []
    monkeypatch.setattr(checks, "FIT_BATCHES", fit)
    monkeypatch.setattr(Transcriber, "transcribe", lambda self, audio: calls.append("usual") or "")
    monkeypatch.setattr(Transcriber, "transcribe_fitted", lambda self, audio: calls.append("fitted") or "")
    checks.AsrCheck().hear(Audio(np.zeros(24000, np.float32), 24000), "en")
    assert calls == ["fitted" if fit else "usual"]
