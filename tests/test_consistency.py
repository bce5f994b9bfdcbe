"""Speaker consistency on real Kokoro renders: a clean book has no voice flags, a chunk whose voice
was swapped is flagged, and the report gives per-character SECS, WER and CFR (slow)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from render.cli import main
from render.engines.base import Audio, SynthRequest
from render.engines.kokoro import KokoroEngine
from render.pipeline import BookOptions, render_book
from render.plan.manifest import Chunk, read_manifest
from render.synth.cache import Cache
from render.synth.consistency import THRESHOLD, anchor_chunks, anchor_of, check_consistency
from render.synth.speaker import SpeakerEncoder, cosine, log_mel, mel_basis, resample

STORY = """# Chapter One

"The boat is late again tonight, and the wind is rising," said Mara.

"It always is when the wind turns east," said Tom.

"Then we should light the lamp before the fog comes in," said Mara.

"I lit it an hour ago, and I checked the oil twice," said Tom.

"Did you see the ship that passed the point at noon?" asked Mara.

"I saw it, but it never answered our signal," said Tom.
"""
CAST = """narrator: {voice: bm_george, gender: male}
characters:
  - {name: Mara, gender: female, voice: af_heart}
  - {name: Tom, gender: male, voice: am_michael}
"""


def chunk(i: int, speaker: str, est: float, key: str | None = None) -> Chunk:
    return Chunk(id=f"c001-{i:04d}", chapter=1, index=i, block=i, speaker=speaker, kind="dialogue",
                 text="x", xml="<speak/>", voice="v", gender="male", description="", language="en",
                 speed=1.0, seed=None, est_seconds=est, pause_before=0.0, key=key or f"k{i}",
                 engine="kokoro", min_match_ratio=0.9)


def test_anchor_chunks_are_the_first_long_enough_ones_in_plan_order():
    chunks = [chunk(0, "A", 0.8), chunk(1, "A", 3.0), chunk(2, "B", 4.0), chunk(3, "A", 3.0, key="k1"),
              chunk(4, "A", 5.0), chunk(5, "A", 2.5), chunk(6, "A", 6.0)]
    chosen = anchor_chunks(chunks, k=3, min_seconds=2.0)
    assert [c.id for c in chosen["A"]] == ["c001-0001", "c001-0004", "c001-0005"]  # k1 twice counts once
    assert [c.id for c in chosen["B"]] == ["c001-0002"]
    short_only = anchor_chunks([chunk(0, "A", 0.5), chunk(1, "A", 0.7)], k=3, min_seconds=2.0)
    assert [c.id for c in short_only["A"]] == ["c001-0000", "c001-0001"]  # a last resort, not nothing


def test_resample_keeps_pitch_and_length():
    rate = 24000
    t = np.arange(rate) / rate
    tone = np.sin(2 * np.pi * 440 * t).astype(np.float32)
    out = resample(tone, rate, 16000)
    assert len(out) == 16000
    peak = np.argmax(np.abs(np.fft.rfft(out))) * 16000 / len(out)
    assert abs(peak - 440) < 2
    assert abs(np.sqrt(np.mean(out ** 2)) - np.sqrt(0.5)) < 0.01


def test_mel_features_have_the_encoder_shape():
    basis = mel_basis()
    assert basis.shape == (40, 257) and (basis >= 0).all() and (basis.sum(axis=1) > 0).all()
    assert log_mel(np.zeros(16000, np.float32)).shape == (1 + (16000 - 512) // 160, 40)


def test_anchor_is_a_unit_centroid():
    a, b = np.eye(256, dtype=np.float32)[0], np.eye(256, dtype=np.float32)[1]
    c = anchor_of([a, b])
    assert abs(np.linalg.norm(c) - 1) < 1e-6 and abs(cosine(c, a) - 2 ** -0.5) < 1e-6


# ---------------------------------------------------------------- real renders (slow)
@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    base = tmp_path_factory.mktemp("consistency")
    (base / "harbour.md").write_text(STORY)
    (base / "harbour.cast.yaml").write_text(CAST)
    opts = BookOptions(cast=base / "harbour.cast.yaml", out=base / "out", cache=base / "cache", progress=False)
    result = render_book(base / "harbour.md", opts)
    return {"base": base, "out": result.out, "cache": base / "cache", "result": result}


def _copy(rendered, tmp_path) -> tuple[Path, Cache, list[Chunk]]:
    cache_dir = tmp_path / "cache"
    shutil.copytree(rendered["cache"], cache_dir)
    return cache_dir, Cache(cache_dir), read_manifest(rendered["out"] / "manifest.jsonl")


def _swap(cache: Cache, target: Chunk, voice: str) -> None:
    """Store target's words spoken in another voice under target's key, sidecar otherwise kept."""
    audio = KokoroEngine().synthesize(SynthRequest(xml=target.xml, text=target.text, voice=voice))
    meta = {k: v for k, v in cache.meta(target.key).items() if k not in ("consistency", "speaker_embedding")}
    cache.put(target.key, audio, meta, retake=True)


def cache_meta_failed_voice(rendered, chunk_id: str) -> bool:
    c = next(c for c in read_manifest(rendered["out"] / "manifest.jsonl") if c.id == chunk_id)
    return not Cache(rendered["cache"]).meta(c.key)["consistency"]["passed"]


@pytest.mark.slow
def test_clean_render_has_no_voice_flags(rendered):
    report = json.loads((rendered["out"] / "report.json").read_text())
    voices = report["voices"]
    assert set(voices) == {"narrator", "Mara", "Tom"}
    for name, row in voices.items():
        assert row["flagged"] == [], (name, row)
        assert row["anchor"] == "chunks" and row["checked"] > 0
        assert row["secs"] >= row["similarity_min"]
        assert row["wer"] is not None and row["wer"] < 0.3 and row["cfr"] == 0.0
    problems = [p["id"] for p in report["problems"] if p["flagged"]]
    assert all(not cache_meta_failed_voice(rendered, i) for i in problems)
    cache = Cache(rendered["cache"])
    for c in read_manifest(rendered["out"] / "manifest.jsonl"):
        record = cache.meta(c.key)["consistency"]
        assert record["passed"] and record["threshold"] == THRESHOLD
        if record["judged"]:
            assert record["similarity"] >= THRESHOLD


@pytest.mark.slow
@pytest.mark.parametrize("speaker,voice", [("Tom", "af_heart"), ("Tom", "bm_lewis")])
def test_a_swapped_chunk_is_flagged(rendered, tmp_path, speaker, voice):
    cache_dir, cache, chunks = _copy(rendered, tmp_path)
    target = [c for c in chunks if c.speaker == speaker][-1]  # not an anchor chunk
    _swap(cache, target, voice)
    result = check_consistency(chunks, cache)
    assert result.flagged == [target.id]
    side = cache.meta(target.key)
    assert side["flagged"] and not side["consistency"]["passed"]
    assert side["consistency"]["similarity"] < THRESHOLD
    table = CliRunner().invoke(main, ["status", str(rendered["out"]), "--cache", str(cache_dir), "--voices"])
    assert table.exit_code == 0, table.output
    assert target.id in [line for line in table.output.splitlines() if line.startswith(speaker)][0]
    status = CliRunner().invoke(main, ["status", str(rendered["out"]), "--cache", str(cache_dir)])
    assert f"flagged {target.id}" in status.output


@pytest.mark.slow
def test_a_swapped_anchor_chunk_is_left_out_of_the_anchor(rendered, tmp_path):
    _, cache, chunks = _copy(rendered, tmp_path)
    first = [c for c in chunks if c.speaker == "Mara"][0]
    _swap(cache, first, "am_michael")
    result = check_consistency(chunks, cache)
    assert result.flagged == [first.id]
    assert result.anchors["Mara"].dropped == [first.id]


@pytest.mark.slow
def test_verdicts_do_not_depend_on_the_order_chunks_are_seen(rendered, tmp_path):
    """Anchors come from plan order, so checking the chunks in reverse gives the same records."""
    _, cache, chunks = _copy(rendered, tmp_path)
    for c in chunks:
        meta = {k: v for k, v in cache.meta(c.key).items() if k not in ("consistency", "speaker_embedding")}
        cache.update_meta(c.key, meta)
    check_consistency(list(reversed(chunks)), cache)
    records = {c.id: cache.meta(c.key)["consistency"]["similarity"] for c in chunks}
    fresh = Cache(rendered["cache"])
    assert records == {c.id: fresh.meta(c.key)["consistency"]["similarity"] for c in chunks}


@pytest.mark.slow
def test_the_encoder_is_loaded_once(rendered):
    first = SpeakerEncoder._load()
    assert SpeakerEncoder._load() is first
    audio = Cache(rendered["cache"]).load(read_manifest(rendered["out"] / "manifest.jsonl")[0].key)
    again = SpeakerEncoder.embed(Audio(audio.samples, audio.sample_rate))
    assert abs(np.linalg.norm(again) - 1) < 1e-5


def test_status_voices_has_help():
    result = CliRunner().invoke(main, ["status", "--help"])
    assert "--voices" in result.output and result.exit_code == 0


def test_book_consistency_switch_in_help():
    assert "--no-consistency" in CliRunner().invoke(main, ["book", "--help"]).output



def test_a_stored_embedding_needs_no_encoder_session(tmp_path, monkeypatch):
    """A finished book's re-run reads each anchor's embedding from its sidecar: the ONNX session
    (and onnxruntime) is never loaded just to learn the encoder's hash."""
    from render.synth import consistency

    cache = Cache(tmp_path)
    rate = 24000
    samples = (0.1 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate)).astype(np.float32)
    meta = cache.put("k0", Audio(samples, rate), {})
    vector = np.eye(256, dtype=np.float32)[3]
    monkeypatch.setattr(SpeakerEncoder, "_info", None)
    consistency._write(cache, "k0", meta, speaker_embedding={
        "sha256": meta["sha256"], "encoder": SpeakerEncoder.info().sha256, "vector": consistency._pack(vector)})

    def no_session(cls):
        raise AssertionError("the encoder session was loaded")

    monkeypatch.setattr(SpeakerEncoder, "_load", classmethod(no_session))
    monkeypatch.setattr(SpeakerEncoder, "_info", None)
    got = consistency.embedding_of(cache, "k0")
    assert np.allclose(got, vector, atol=1e-3)


def _tone_book(tmp_path, freqs: list[float]) -> tuple[Cache, list[Chunk]]:
    """One speaker's chunks, each a 2 s tone stored in the cache (its pitch stands for its voice)."""
    cache = Cache(tmp_path)
    rate = 24000
    chunks = []
    for i, f in enumerate(freqs):
        c = chunk(i, "Tom", 2.0, key=f"key{i:02d}")
        samples = (0.1 * np.sin(2 * np.pi * f * np.arange(2 * rate) / rate)).astype(np.float32)
        cache.put(c.key, Audio(samples, rate), {"validation": {"passed": True}})
        chunks.append(c)
    return cache, chunks


def _pitch_vector(cls, audio):
    """A stand-in d-vector: the clip's dominant frequency, 220 Hz and 660 Hz far apart."""
    spectrum = np.abs(np.fft.rfft(audio.samples))
    peak = np.argmax(spectrum) * audio.sample_rate / len(audio.samples)
    angle = (peak - 220) / 440 * (np.pi / 2)
    return np.concatenate([[np.cos(angle), np.sin(angle)], np.zeros(254)]).astype(np.float32)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_pass_writes_each_sidecar_once_and_threads_do_not_change_verdicts(tmp_path, monkeypatch, threads):
    """A chunk's embedding and its verdict go into its sidecar in one write, however many
    threads compute the embeddings; the chunk in another voice is flagged, in plan order."""
    from render.synth import consistency

    monkeypatch.setattr(SpeakerEncoder, "embed", classmethod(_pitch_vector))
    monkeypatch.setattr(consistency, "EMBED_THREADS", threads)
    cache, chunks = _tone_book(tmp_path, [220, 220, 220, 220, 660, 220, 660, 220])
    writes: list[str] = []
    real = Cache.update_meta
    monkeypatch.setattr(Cache, "update_meta", lambda self, key, meta: writes.append(key) or real(self, key, meta))
    result = check_consistency(chunks, cache)
    assert result.flagged == [chunks[4].id, chunks[6].id] and result.checked == len(chunks)
    anchors = {c.key for c in chunks[:3]}
    assert all(writes.count(c.key) == (2 if c.key in anchors else 1) for c in chunks)  # anchors: embedding first
    for c in chunks:
        side = cache.meta(c.key)
        assert side["speaker_embedding"]["sha256"] == side["sha256"]
        assert side["flagged"] == (c in (chunks[4], chunks[6]))
    writes.clear()
    assert check_consistency(chunks, cache).flagged == result.flagged and writes == []  # nothing to redo
