"""Voice conversion toward a character's voice with Seed-VC (optional: `pip install 'render[seedvc]'`).

As in Scenema's pipeline, each chunk of a character is converted toward one identity clip: its
prepared reference when the cast gives one, else its anchor (the plan's first chunks of that
character, joined). A conversion is its own cache object, keyed by the source chunk's key, the
identity clip's hash and the settings, so resume and partial re-renders work as for synthesis;
`OUT/conversions.json` maps each chunk's key to its converted object for stitching.

The weights are read from a local folder and never downloaded: the six Seed-VC files
(REQUIRED) plus a Hugging Face cache in `<folder>/hub` holding HUB_MODELS. Configure it in the
cast (`settings: {seedvc: {enabled: true, weights: DIR, steps: 10, cfg_rate: 0.7}}`) or with
$RENDER_SEEDVC_WEIGHTS.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Callable

import numpy as np
import soundfile as sf

from ..atomic import atomic_write_text
from ..engines.base import Audio
from ..errors import AssetError, InputError, did_you_mean
from ..plan.manifest import Chunk
from .cache import Cache
from .speaker import resample

REQUIRED = (
    "DiT_seed_v2_uvit_whisper_small_wavenet_bigvgan_pruned.pth",
    "config_dit_mel_seed_uvit_whisper_small_wavenet.yml",
    "DiT_seed_v2_uvit_whisper_base_f0_44k_bigvgan_pruned_ft_ema.pth",
    "config_dit_mel_seed_uvit_whisper_base_f0_44k.yml",
    "campplus_cn_common.bin",
    "rmvpe.pt",
)
HUB_MODELS = ("nvidia/bigvgan_v2_22khz_80band_256x", "nvidia/bigvgan_v2_44khz_128band_512x",
              "openai/whisper-small")
CONVERSIONS = "conversions.json"
MAX_REFERENCE_SECONDS = 25.0  # Seed-VC reads at most 25 s of the identity clip

# (source samples, identity samples, steps, cfg_rate) -> converted samples, all at the model's rate
ModelCall = Callable[[np.ndarray, np.ndarray, int, float], np.ndarray]


@dataclass(frozen=True)
class SeedVCOptions:
    """Whether and how chunks are converted toward their character's voice."""

    enabled: bool = False  # convert every chunk toward its character's reference or anchor clip
    weights: str | None = None  # local folder with the Seed-VC weights; None = $RENDER_SEEDVC_WEIGHTS
    steps: int = 10  # diffusion steps: more is slower and closer to the identity
    cfg_rate: float = 0.7  # classifier-free guidance rate, 0..1
    f0: bool = False  # the 44.1 kHz pitch-conditioned model instead of the 22.05 kHz speech model

    @property
    def model_rate(self) -> int:
        """The sample rate the chosen Seed-VC model works at."""
        return 44100 if self.f0 else 22050


def seedvc_options(settings: dict, where: str = "the cast") -> SeedVCOptions:
    """SeedVCOptions from a cast's `settings: {seedvc: {...}}`; InputError names a bad value."""
    raw = settings.get("seedvc") or {}
    if raw is True or raw is False:
        raw = {"enabled": raw}
    if not isinstance(raw, dict):
        raise InputError(f"{where}: settings.seedvc must be a mapping like {{enabled: true, weights: DIR}}")
    names = {f.name for f in fields(SeedVCOptions)}
    unknown = set(raw) - names
    if unknown:
        raise InputError(f"{where}: unknown settings.seedvc key(s) {sorted(unknown)}{did_you_mean(sorted(unknown)[0], names)}; allowed: {sorted(names)}")
    opts = SeedVCOptions(**raw)
    if not isinstance(opts.enabled, bool) or not isinstance(opts.f0, bool):
        raise InputError(f"{where}: settings.seedvc enabled and f0 must be true or false")
    if not isinstance(opts.steps, int) or not 1 <= opts.steps <= 200:
        raise InputError(f"{where}: settings.seedvc steps must be a whole number from 1 to 200, not {opts.steps!r}")
    if not isinstance(opts.cfg_rate, (int, float)) or not 0 <= opts.cfg_rate <= 1:
        raise InputError(f"{where}: settings.seedvc cfg_rate must be between 0 and 1, not {opts.cfg_rate!r}")
    if opts.weights is None and os.environ.get("RENDER_SEEDVC_WEIGHTS"):
        opts = replace(opts, weights=os.environ["RENDER_SEEDVC_WEIGHTS"])
    return opts


def check_weights(folder: str | None) -> Path:
    """The weights folder, or AssetError in one line naming what is missing and how to provide it."""
    how = ("download the Seed-VC checkpoints (Plachta/Seed-VC, funasr/campplus, lj1995/VoiceConversionWebUI "
           "rmvpe.pt) into it and a Hugging Face cache of " + ", ".join(HUB_MODELS) + " into its hub/ "
           "folder on a machine that has them, or turn conversion off (settings: {seedvc: {enabled: false}})")
    if not folder:
        raise AssetError("SeedVC is enabled but no weights folder is set: give settings.seedvc.weights "
                         "or $RENDER_SEEDVC_WEIGHTS; " + how)
    path = Path(folder).expanduser()
    missing = [name for name in REQUIRED if not (path / name).is_file()]
    missing += [f"hub/{repo}" for repo in HUB_MODELS
                if not (path / "hub" / ("models--" + repo.replace("/", "--"))).is_dir()]
    if missing:
        raise AssetError(f"SeedVC weights missing in {path}: {', '.join(missing)}; " + how)
    return path


def weights_fingerprint(path: Path) -> str:
    """Identity of the weights (names and sizes of the checkpoint files), part of every conversion key."""
    stats = [f"{name}:{(path / name).stat().st_size}" for name in REQUIRED]
    return hashlib.sha256("|".join(stats).encode()).hexdigest()[:16]


def load_model(options: SeedVCOptions) -> tuple[ModelCall, str]:
    """The real Seed-VC model call on the CPU, from the local folder only; and its fingerprint."""
    path = check_weights(options.weights)
    try:
        import torch
        from seed_vc import seed_vc_wrapper
    except ImportError as exc:
        raise AssetError(f"SeedVC needs its optional extra ({exc.name} is missing): "
                         "pip install 'render[seedvc]'") from None
    os.environ["HF_HUB_OFFLINE"] = "1"  # BigVGAN and Whisper come from <weights>/hub, never a hub
    os.environ["HF_HUB_CACHE"] = str(path / "hub")

    def local(repo_id, model_filename="pytorch_model.bin", config_filename=None):
        if config_filename is None:
            return str(path / model_filename)
        return str(path / model_filename), str(path / config_filename)

    seed_vc_wrapper.load_custom_model_from_hf = local  # the wrapper's only route to its checkpoints
    wrapper = seed_vc_wrapper.SeedVCWrapper(device=torch.device("cpu"))
    rate = options.model_rate

    def call(source: np.ndarray, identity: np.ndarray, steps: int, cfg_rate: float) -> np.ndarray:
        with tempfile.TemporaryDirectory() as tmp:
            src, ref = Path(tmp) / "source.wav", Path(tmp) / "identity.wav"
            sf.write(src, source, rate)
            sf.write(ref, identity, rate)
            run = wrapper.convert_voice(str(src), str(ref), diffusion_steps=steps, inference_cfg_rate=cfg_rate,
                                        f0_condition=options.f0, stream_output=False)
            try:  # convert_voice is a generator even when not streaming: its return value is the audio
                while True:
                    next(run)
            except StopIteration as done:
                return np.asarray(done.value, dtype=np.float32).reshape(-1)

    return call, "seed-vc:" + weights_fingerprint(path)


class Converter:
    """Seed-VC around its model call: resampling to the model's rate and back, loudness kept."""

    def __init__(self, options: SeedVCOptions, model: ModelCall | None = None, fingerprint: str | None = None):
        self.options = options
        if model is None:
            model, fingerprint = load_model(options)
        self._model = model
        self.fingerprint = fingerprint or "custom"

    def convert(self, audio: Audio, identity: Audio) -> Audio:
        """The chunk's words in the identity clip's voice, at the chunk's own rate and RMS."""
        rate = self.options.model_rate
        source = resample(audio.samples, audio.sample_rate, rate)
        target = resample(identity.samples, identity.sample_rate, rate)[: int(MAX_REFERENCE_SECONDS * rate)]
        out = np.asarray(self._model(source, target, self.options.steps, float(self.options.cfg_rate)), np.float32)
        back = resample(out, rate, audio.sample_rate)
        rms_in = float(np.sqrt(np.mean(np.square(audio.samples)))) if audio.samples.size else 0.0
        rms_out = float(np.sqrt(np.mean(np.square(back)))) if back.size else 0.0
        if rms_in > 0 and rms_out > 0:
            back = back * (rms_in / rms_out)
        return Audio(np.clip(back, -1, 1).astype(np.float32), audio.sample_rate)

    def key(self, source_key: str, identity_sha: str) -> str:
        """The content key of a conversion: source chunk, identity clip, settings and weights."""
        record = {"kind": "seedvc", "source": source_key, "identity": identity_sha, "steps": self.options.steps,
                  "cfg_rate": round(float(self.options.cfg_rate), 4), "f0": self.options.f0,
                  "model": self.fingerprint}
        return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def identity_clips(chunks: list[Chunk], cache: Cache, anchor_members: dict[str, list[str]]) -> dict[str, tuple[Audio, str]]:
    """speaker -> (identity clip, its hash): the local reference its chunks carry, else its anchor
    chunks joined (at most MAX_REFERENCE_SECONDS). Speakers whose anchor is not stored are left out."""
    out: dict[str, tuple[Audio, str]] = {}
    by_id = {c.id: c for c in chunks}
    for c in chunks:
        if c.speaker in out:
            continue
        if c.ref_audio and "://" not in c.ref_audio:
            data = Path(c.ref_audio).read_bytes()
            samples, rate = sf.read(c.ref_audio, dtype="float32", always_2d=True)
            out[c.speaker] = (Audio(samples.mean(axis=1), rate), hashlib.sha256(data).hexdigest())
            continue
        members = [by_id[i] for i in anchor_members.get(c.speaker, []) if i in by_id]
        metas = [cache.meta(m.key) for m in members]
        if not members or any(m is None for m in metas):
            continue
        parts = [cache.load(m.key) for m in members]
        rate = parts[0].sample_rate
        joined = np.concatenate([resample(p.samples, p.sample_rate, rate) for p in parts])
        sha = hashlib.sha256("".join(m["sha256"] for m in metas).encode()).hexdigest()
        out[c.speaker] = (Audio(joined[: int(MAX_REFERENCE_SECONDS * rate)], rate), sha)
    return out


def convert_chunks(chunks: list[Chunk], cache: Cache, converter: Converter,
                   identities: dict[str, tuple[Audio, str]]) -> dict[str, str]:
    """Convert every stored chunk that has an identity clip; returns chunk key -> conversion key.

    A conversion already in the cache is reused, so a resumed or partial run converts only what is new."""
    mapping: dict[str, str] = {}
    for c in chunks:
        if c.key in mapping or c.speaker not in identities or cache.meta(c.key) is None:
            continue
        identity, sha = identities[c.speaker]
        key = converter.key(c.key, sha)
        if cache.meta(key) is None:
            audio = converter.convert(cache.load(c.key), identity)
            cache.put(key, audio, {"id": c.id, "kind": "conversion", "source": c.key, "identity": sha,
                                   "speaker": c.speaker, "steps": converter.options.steps,
                                   "cfg_rate": converter.options.cfg_rate, "model": converter.fingerprint})
        mapping[c.key] = key
    return mapping


def write_conversions(out: Path, mapping: dict[str, str]) -> None:
    """OUT/conversions.json (chunk key -> converted key); an empty mapping removes the file."""
    path = Path(out) / CONVERSIONS
    if not mapping:
        path.unlink(missing_ok=True)
        return
    atomic_write_text(path, json.dumps(mapping, indent=1, sort_keys=True))


def converted(out: Path, chunks: list[Chunk]) -> list[Chunk]:
    """The chunks to stitch: each with its conversion's key when OUT/conversions.json has one."""
    path = Path(out) / CONVERSIONS
    if not path.exists():
        return chunks
    mapping = json.loads(path.read_text(encoding="utf-8"))
    return [replace(c, key=mapping.get(c.key, c.key)) for c in chunks]
