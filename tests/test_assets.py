"""Model files: assembled from registry packages, checked by size and SHA-256."""

import os
import shutil

import pytest

from render import assets
from render.errors import AssetError


def test_installed_model_matches_the_recorded_hash():
    path = assets.kokoro_model_path()
    spec = assets.manifest()["kokoro_model"]
    assert path.stat().st_size == spec["bytes"]
    assert assets.sha256_file(path) == spec["sha256"]
    assert len(assets.voice_names()) == 28


def test_missing_truncated_and_corrupt_models_name_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("RENDER_MODELS", str(tmp_path))
    with pytest.raises(AssetError, match="make models"):
        assets.kokoro_model_path()
    src = os.path.join(os.path.dirname(assets.__file__), "..", "models", assets.manifest()["kokoro_model"]["file"])
    dest = tmp_path / assets.manifest()["kokoro_model"]["file"]
    with open(src, "rb") as f:
        head = f.read(1000)
    dest.write_bytes(head)
    with pytest.raises(AssetError, match=r"1,000 bytes, expected 92,361,271.*make models"):
        assets.kokoro_model_path()
    shutil.copyfile(src, dest)
    with open(dest, "r+b") as f:  # same size, one byte changed
        f.seek(5000)
        byte = f.read(1)
        f.seek(5000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(AssetError, match="SHA-256"):
        assets.kokoro_model_path()
    with pytest.raises(AssetError, match="voices"):
        assets.voices_path()
