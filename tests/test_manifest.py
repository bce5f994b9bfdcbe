from dataclasses import replace

import pytest

from render.errors import InputError
from render.plan.manifest import Chunk, content_key, read_manifest, write_manifest

BASE = dict(engine="kokoro", engine_version="1", fingerprint="abc", xml="<speak voice='v' gender='male'>Hi.</speak>",
            voice="am_adam", speed=1.0, seed=None, sample_rate=24000, language="en")


def test_key_depends_on_everything_that_changes_audio():
    k = content_key(**BASE)
    assert len(k) == 64 and k == content_key(**BASE)
    for field, value in [("engine", "openai"), ("engine_version", "2"), ("fingerprint", "def"),
                         ("xml", "<speak voice='v' gender='male'>Ho.</speak>"), ("voice", "af_bella"),
                         ("speed", 1.1), ("seed", 7), ("sample_rate", 22050), ("language", "fr")]:
        assert content_key(**dict(BASE, **{field: value})) != k, field


def test_key_uses_reference_audio_content_not_its_name(tmp_path):
    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    a.write_bytes(b"same")
    b.write_bytes(b"same")
    assert content_key(**BASE, ref_audio=str(a), ref_text="x") == content_key(**BASE, ref_audio=str(b), ref_text="x")
    b.write_bytes(b"other")
    assert content_key(**BASE, ref_audio=str(a), ref_text="x") != content_key(**BASE, ref_audio=str(b), ref_text="x")
    with pytest.raises(InputError, match="missing.wav"):
        content_key(**BASE, ref_audio=str(tmp_path / "missing.wav"), ref_text="x")


def test_manifest_round_trip_and_bad_line(tmp_path):
    c = Chunk(id="c001-0000", chapter=1, index=0, block=0, speaker="narrator", kind="heading", text="Hi.",
              xml=BASE["xml"], voice="am_adam", gender="male", description="d", language="en", speed=1.0,
              seed=None, est_seconds=0.2, pause_before=0.0, key="k" * 64, engine="kokoro", min_match_ratio=0.9)
    path = tmp_path / "m.jsonl"
    write_manifest(path, [c, replace(c, id="c001-0001", index=1)])
    assert read_manifest(path)[1].id == "c001-0001"
    path.write_text(path.read_text() + "{not json\n")
    with pytest.raises(InputError, match=r"m.jsonl:3"):
        read_manifest(path)
