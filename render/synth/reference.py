"""Reference voices from the cast (`ref_audio`, `ref_text`): checked as the cast is loaded,
prepared once (VAD-trimmed, RMS-normalised, resampled) and cached under the source clip's hash.

A URL is never fetched here: it must be http(s) and is passed to a server as the user wrote it.
A cloning engine needs the words spoken in the clip; when the cast gives none they are
transcribed once with the bundled Whisper and cached beside the prepared clip.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

from ..atomic import atomic_write_bytes
from ..engines.base import Audio
from ..errors import InputError
from .speaker import resample

log = logging.getLogger(__name__)

PREPARE_VERSION = "1"  # bump when preparation changes what it writes
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


@dataclass(frozen=True)
class ReferenceOptions:
    """What a usable reference clip is and how it is prepared."""

    min_seconds: float = 3.0  # shorter clips are refused (too little voice to clone)
    max_seconds: float = 30.0  # longer clips are refused (servers truncate or reject them)
    ideal_seconds: tuple[float, float] = (10.0, 20.0)  # outside this range a warning is logged
    rate: int = 24000  # sample rate of the prepared clip
    rms_dbfs: float = -20.0  # RMS level of the prepared clip (peaks kept under -1 dBFS)
    pad_seconds: float = 0.15  # silence kept around the speech the VAD found
    transcribe: bool = True  # transcribe a missing ref_text with Whisper (off: a missing one is an error)


@dataclass(frozen=True)
class Reference:
    """One character's reference voice, ready for an engine and for the consistency anchor."""

    speaker: str  # the cast member's name
    source: str  # ref_audio as the cast gives it (a path or an http(s) URL)
    path: str | None  # the prepared clip in the cache; None for a URL
    sha256: str | None  # of the prepared clip's bytes
    seconds: float | None  # length of the prepared clip
    text: str | None  # the words spoken in it (given, or transcribed)


def engine_clones(engine) -> bool:
    """Whether an engine voices chunks from a reference clip (its `clones` attribute)."""
    return bool(getattr(engine, "clones", getattr(engine, "name", "") in ("openai", "scenema")))


def _where(cast, member) -> str:
    line = f":{member.line}" if getattr(member, "line", None) else ""
    return f"{cast.path or 'the cast'}{line}"


def decode(path: str, where: str, name: str) -> Audio:
    """A reference file's samples (mono); InputError naming the cast line when it can't be read."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{where}: ref_audio of {name!r} not found: {path}; fix the path in the cast file")
    try:
        samples, rate = sf.read(p, dtype="float32", always_2d=True)
    except (RuntimeError, sf.LibsndfileError) as exc:
        raise InputError(f"{where}: ref_audio of {name!r} ({path}) is not audio soundfile can read "
                         f"({str(exc).splitlines()[0]}); convert it to WAV or FLAC") from None
    if samples.size == 0:
        raise InputError(f"{where}: ref_audio of {name!r} ({path}) is empty; record a 10-20 s clip")
    return Audio(samples.mean(axis=1).astype(np.float32), int(rate))


def check_length(seconds: float, where: str, name: str, options: ReferenceOptions) -> None:
    """Refuse clips outside min..max seconds; warn outside the ideal range."""
    if not options.min_seconds <= seconds <= options.max_seconds:
        raise InputError(f"{where}: ref_audio of {name!r} is {seconds:.1f} s; use a clip of "
                         f"{options.min_seconds:g}-{options.max_seconds:g} s (10-20 s is best)")
    lo, hi = options.ideal_seconds
    if not lo <= seconds <= hi:
        log.warning("%s: ref_audio of %r is %.1f s; %g-%g s clones best", where, name, seconds, lo, hi)


def trim_silence(audio: Audio, pad_seconds: float) -> Audio:
    """Audio from the first to the last speech the Silero VAD (shipped with faster-whisper) hears."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    x16 = resample(audio.samples, audio.sample_rate, 16000)
    spans = get_speech_timestamps(x16, VadOptions(min_silence_duration_ms=300), sampling_rate=16000)
    if not spans:
        return audio
    scale = audio.sample_rate / 16000
    pad = int(pad_seconds * audio.sample_rate)
    start = max(0, int(spans[0]["start"] * scale) - pad)
    end = min(len(audio.samples), int(spans[-1]["end"] * scale) + pad)
    return Audio(audio.samples[start:end], audio.sample_rate)


def normalize_rms(samples: np.ndarray, dbfs: float, ceiling: float = 10 ** (-1 / 20)) -> np.ndarray:
    """Samples scaled to an RMS of dbfs, then down if a peak would pass the ceiling."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    if rms <= 1e-9:
        return samples
    gain = 10 ** (dbfs / 20) / rms
    peak = float(np.max(np.abs(samples))) * gain
    if peak > ceiling:
        gain *= ceiling / peak
    return (samples * gain).astype(np.float32)


def prepare(audio: Audio, options: ReferenceOptions) -> Audio:
    """Trimmed, normalised and resampled: what an engine is given."""
    trimmed = trim_silence(audio, options.pad_seconds)
    samples = resample(trimmed.samples, trimmed.sample_rate, options.rate)
    return Audio(normalize_rms(samples, options.rms_dbfs), options.rate)


def _settings(options: ReferenceOptions) -> str:
    blob = json.dumps({"v": PREPARE_VERSION, "rate": options.rate, "rms": options.rms_dbfs,
                       "pad": options.pad_seconds}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def prepared_clip(path: str, audio: Audio, cache_root: Path, options: ReferenceOptions) -> Path:
    """The prepared clip of a reference file (decoded as audio), made once in cache/references/."""
    source_sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    dest = Path(cache_root) / "references" / f"{source_sha[:32]}-{_settings(options)}.wav"
    if dest.exists():
        return dest
    ready = prepare(audio, options)
    buf = io.BytesIO()
    sf.write(buf, ready.samples, ready.sample_rate, format="WAV", subtype="PCM_16")
    atomic_write_bytes(dest, buf.getvalue())
    return dest


def reference_text(clip: Path, given: str | None, options: ReferenceOptions, where: str, name: str) -> str:
    """The words spoken in a prepared clip: as given, else transcribed once and cached."""
    if given and given.strip():
        return given.strip()
    cached = clip.with_suffix(".txt")
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    if not options.transcribe:
        raise InputError(f"{where}: {name!r} has ref_audio but no ref_text, which a cloning engine needs; "
                         "add ref_text (the words spoken in the clip) to the cast file, or turn "
                         "transcription on (settings: {transcribe_references: true})")
    from .validate import Transcriber

    text = Transcriber().transcribe(clip).strip()
    if not text:
        raise InputError(f"{where}: Whisper heard no words in ref_audio of {name!r}; add ref_text to the cast file")
    atomic_write_bytes(cached, text.encode("utf-8"))
    log.info("%s: ref_text of %r transcribed: %r", where, name, text)
    return text


def load_references(cast, engine, cache_root: Path, options: ReferenceOptions | None = None) -> dict[str, Reference]:
    """Check every cast member's reference and, for an engine that clones, prepare it.

    Returns speaker name -> Reference; raises InputError naming the cast line on any problem."""
    options = options or ReferenceOptions()
    if "transcribe_references" in cast.settings:
        options = replace(options, transcribe=bool(cast.settings["transcribe_references"]))
    clones = engine_clones(engine)
    out: dict[str, Reference] = {}
    for member in cast.members():
        if not member.ref_audio:
            if member.ref_text:
                log.warning("%s: ref_text of %r is ignored without ref_audio", _where(cast, member), member.name)
            continue
        where, name, source = _where(cast, member), member.name, str(member.ref_audio)
        if _URL.match(source):
            if not source.lower().startswith(("http://", "https://")):
                raise InputError(f"{where}: ref_audio of {name!r} is {source!r}; only http(s) URLs are "
                                 "passed to servers, give a local file path otherwise")
            if clones and not (member.ref_text or "").strip():
                raise InputError(f"{where}: {name!r} has a ref_audio URL but no ref_text; this tool never "
                                 "fetches URLs, so add ref_text (the words spoken in the clip)")
            out[name] = Reference(name, source, None, None, None, member.ref_text)
            continue
        audio = decode(source, where, name)
        check_length(audio.seconds, where, name, options)
        if not clones:  # checked, but an engine that does not clone never hears it
            out[name] = Reference(name, source, None, None, audio.seconds, member.ref_text)
            continue
        clip = prepared_clip(source, audio, cache_root, options)
        data = clip.read_bytes()
        seconds = sf.info(io.BytesIO(data)).duration
        text = reference_text(clip, member.ref_text, options, where, name)
        out[name] = Reference(name, source, str(clip), hashlib.sha256(data).hexdigest(), seconds, text)
    return out


def with_references(voices: dict, cast, references: dict[str, Reference]) -> dict:
    """Voice choices whose reference is the prepared clip and its text (for a cloning engine)."""
    out = {}
    for speaker, choice in voices.items():
        member = cast.resolve(speaker)
        ref = references.get(member.name) if member else None
        if ref is not None and ref.path:
            choice = replace(choice, ref_audio=ref.path, ref_text=ref.text)
        elif ref is not None and ref.text:
            choice = replace(choice, ref_text=ref.text)
        out[speaker] = choice
    return out
