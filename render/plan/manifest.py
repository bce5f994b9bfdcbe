"""The manifest: one JSON line per chunk, each with the content key of its audio."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from ..atomic import atomic_write_text
from ..errors import InputError


@dataclass(frozen=True)
class Chunk:
    """One unit of synthesis: a <speak> prompt of at most ~15 s, and where it goes."""

    id: str  # "c003-0042": chapter 3, chunk 42 (for people; never part of the key)
    chapter: int  # 1-based chapter index
    index: int  # position within the chapter
    block: int  # source block (paragraph) within the chapter
    speaker: str  # narrator or character name
    kind: str  # narration | dialogue | heading
    text: str  # the expected spoken text
    xml: str  # the <speak> prompt sent to the engine
    voice: str  # engine voice id
    gender: str
    description: str
    language: str
    speed: float
    seed: int | None
    est_seconds: float  # estimated duration
    pause_before: float  # seconds of silence before this chunk when stitching
    key: str  # SHA-256 content key of the audio
    engine: str
    min_match_ratio: float  # ASR acceptance threshold
    ref_audio: str | None = None
    ref_text: str | None = None
    extra: tuple = ()  # (name, JSON value) request options of this speaker's cast entry, for the engine


_KEY_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # made once, not per key


@lru_cache(maxsize=256)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    """A file's SHA-256, read once per (path, size, mtime) however many chunks use it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def content_key(*, engine: str, engine_version: str, fingerprint: str, xml: str, voice: str,
                speed: float, seed: int | None, sample_rate: int, language: str,
                ref_audio: str | None = None, ref_text: str | None = None, extra: tuple = ()) -> str:
    """SHA-256 over a canonical record of everything that changes a chunk's audio."""
    ref_hash = None
    if ref_audio and "://" in ref_audio:
        ref_hash = "url:" + ref_audio  # a server fetches it; its address is what we know
    elif ref_audio:
        try:
            st = os.stat(ref_audio)
            ref_hash = _file_sha256(ref_audio, st.st_size, st.st_mtime_ns)
        except OSError as exc:
            raise InputError(f"reference audio {ref_audio} cannot be read ({exc.strerror}); "
                             "fix ref_audio in the cast file") from None
    fields = (engine, engine_version, fingerprint, voice, round(float(speed), 4), seed, sample_rate, language,
              ref_hash, ref_text, extra)
    # (options in extra are not memoized: 1, 1.0 and True are one key to a cache, three to JSON)
    head = _key_head.__wrapped__(*fields) if extra else _key_head(*fields)
    # 'xml' sorts after every other key, so the record's JSON is the rest's with it added at the end
    blob = head[:-1] + ',"xml":' + _JSON_STRING(xml) + "}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_JSON_STRING = json.encoder.encode_basestring  # what _KEY_JSON writes for a str (ensure_ascii=False)


@lru_cache(maxsize=256, typed=True)
def _key_head(engine, engine_version, fingerprint, voice, speed, seed, sample_rate, language, ref_hash,
              ref_text, extra) -> str:
    """The canonical JSON of a content key's record but its prompt, once per speaker and settings
    instead of once per chunk."""
    record = {
        "engine": engine, "engine_version": engine_version, "fingerprint": fingerprint,
        "voice": voice, "speed": speed, "seed": seed,
        "sample_rate": sample_rate, "language": language, "ref_audio": ref_hash, "ref_text": ref_text,
    }
    if extra:  # only when set, so keys made before per-speaker options existed stay valid
        record["extra"] = [list(pair) for pair in extra]
    return _KEY_JSON.encode(record)


def write_manifest(path: Path, chunks: list[Chunk]) -> None:
    """Write chunks as JSON lines, atomically."""
    names = [f.name for f in fields(Chunk)]  # a flat record: asdict's deep copy costs more than the JSON
    encode = json.JSONEncoder(ensure_ascii=False).encode
    atomic_write_text(path, "".join(encode({n: getattr(c, n) for n in names}) + "\n" for c in chunks))


def read_manifest(path: Path) -> list[Chunk]:
    """Read a manifest written by write_manifest; InputError names the bad line."""
    names = {f.name for f in fields(Chunk)}
    chunks = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"no manifest at {path}; run `render plan` or `render book` first") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            data["extra"] = tuple(tuple(pair) for pair in data.get("extra") or ())
            chunks.append(Chunk(**{k: v for k, v in data.items() if k in names}))
        except (ValueError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not a manifest line ({exc}); re-run `render plan`") from None
    return chunks
