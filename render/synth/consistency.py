"""Speaker consistency: every stored chunk's voice compared with its character's anchor.

A character's anchor is the speaker embedding of its prepared reference clip when the engine
clones from one, else the centroid of the plan's first `anchor_chunks` chunks of that character
(in plan order, skipping very short ones), so a chunk's verdict depends only on the plan and on
the stored audio, never on which process rendered what first. Anchor chunks are checked against
the centroid of the other anchor chunks (leave one out), and one that disagrees with the others
is left out of the anchor. Each chunk's similarity is written into its sidecar (`consistency`);
below the calibrated threshold the chunk is flagged like a failed ASR check.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..engines.base import Audio
from ..plan.manifest import Chunk
from .cache import Cache
from .speaker import SpeakerEncoder, normalize

log = logging.getLogger(__name__)

# Calibrated by bench/calibrate_speakers.py on the 28 Kokoro voices and 6 blends (README, "Voices"):
# the highest 0.05 step under the lowest same-voice similarity measured (0.735).
THRESHOLD = 0.70
ANCHOR_CHUNKS = 3
EMBED_THREADS = 2  # d-vectors computed at once in the pass after synthesis (one ONNX thread each)


@dataclass(frozen=True)
class ConsistencyOptions:
    """How chunks are checked against their character's voice."""

    enabled: bool = True  # compute similarities and flag drifting chunks
    threshold: float = THRESHOLD  # cosine similarity to the anchor below which a chunk is flagged
    anchor_chunks: int = ANCHOR_CHUNKS  # chunks whose centroid is the anchor when there is no reference
    min_anchor_seconds: float = 1.5  # shorter chunks (estimated) are anchor material only as a last resort
    min_seconds: float = 1.0  # shorter takes are measured but never flagged (too little voice to judge)


@dataclass
class Anchor:
    """One character's reference voice."""

    speaker: str
    vector: np.ndarray  # unit 256-d d-vector
    source: str  # "reference" | "chunks"
    ident: str  # hash of what the anchor was computed from; a change re-checks the character
    members: dict[str, np.ndarray] = field(default_factory=dict)  # anchor chunk key -> its d-vector
    ids: list[str] = field(default_factory=list)  # ids of the anchor chunks kept
    dropped: list[str] = field(default_factory=list)  # ids of anchor chunks that disagreed and were left out

    def similarity(self, key: str, vector: np.ndarray) -> float:
        """Cosine similarity of a chunk's d-vector to the anchor (an anchor chunk: to the others).

        By content key, so every chunk with the same audio gets the same verdict in any order."""
        if key in self.members:
            others = [v for k, v in self.members.items() if k != key]
            return 1.0 if not others else float(vector @ anchor_of(others))
        return float(vector @ self.vector)


@dataclass
class ConsistencyResult:
    """What one consistency pass found."""

    anchors: dict[str, Anchor]
    checked: int = 0  # chunks whose similarity was computed in this pass
    flagged: list[str] = field(default_factory=list)  # ids of chunks below the threshold
    waiting: list[str] = field(default_factory=list)  # speakers whose anchor chunks are not all stored


def anchor_of(embeddings) -> np.ndarray:
    """The unit centroid of several embeddings."""
    return normalize(np.mean(np.stack([normalize(e) for e in embeddings]), axis=0))


def anchor_chunks(chunks: list[Chunk], k: int, min_seconds: float) -> dict[str, list[Chunk]]:
    """Per speaker, the first k distinct chunks in plan order, preferring ones of min_seconds or more."""
    by_speaker: dict[str, list[Chunk]] = {}
    for c in sorted(chunks, key=lambda c: (c.chapter, c.index)):
        mine = by_speaker.setdefault(c.speaker, [])
        if all(m.key != c.key for m in mine):
            mine.append(c)
    out = {}
    for speaker, mine in by_speaker.items():
        long_enough = [c for c in mine if c.est_seconds >= min_seconds]
        short = [c for c in mine if c.est_seconds < min_seconds]
        chosen = (long_enough + short)[:k]
        out[speaker] = sorted(chosen, key=lambda c: (c.chapter, c.index))
    return out


def _pack(v: np.ndarray) -> str:
    return base64.b64encode(np.asarray(v, np.float16).tobytes()).decode("ascii")


def _unpack(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=np.float16).astype(np.float32)


def embedding_of(cache: Cache, key: str, meta: dict | None = None) -> np.ndarray | None:
    """A stored chunk's d-vector: from its sidecar when made from these very bytes, else computed
    and recorded there (under the chunk's lock; skipped when another process holds it)."""
    meta = meta if meta is not None else cache.meta(key)
    if meta is None:
        return None
    known = _stored_embedding(meta)
    if known is not None:
        return known
    vector = SpeakerEncoder.embed(cache.load(key))
    _write(cache, key, meta, speaker_embedding={"sha256": meta.get("sha256"), "encoder": SpeakerEncoder.info().sha256,
                                                "vector": _pack(vector)})
    return vector


def _write(cache: Cache, key: str, meta: dict, **fields) -> dict:
    """Add fields to a sidecar unless its audio changed meanwhile or another process holds it."""
    if not cache.acquire(key):
        return meta
    try:
        current = cache.meta(key)
        if current is None or current.get("sha256") != meta.get("sha256"):
            return meta
        return cache.update_meta(key, dict(current, **fields))
    finally:
        cache.release(key)


def build_anchors(chunks: list[Chunk], cache: Cache, options: ConsistencyOptions,
                  references: dict[str, tuple[np.ndarray, str]] | None = None) -> dict[str, Anchor]:
    """Each speaker's anchor: its reference (speaker -> (vector, clip hash)) or its first chunks.

    A speaker whose anchor chunks are not all stored yet gets no anchor in this call."""
    references = references or {}
    anchors: dict[str, Anchor] = {}
    for speaker, members in anchor_chunks(chunks, options.anchor_chunks, options.min_anchor_seconds).items():
        if speaker in references:
            vector, clip = references[speaker]
            anchors[speaker] = Anchor(speaker, normalize(vector), "reference", "ref:" + clip)
            continue
        metas = [cache.meta(c.key) for c in members]
        if any(m is None for m in metas):
            continue
        vectors = [embedding_of(cache, c.key, m) for c, m in zip(members, metas)]
        keep = list(range(len(members)))
        if len(members) >= 3:  # leave out a member that disagrees with the centroid of the others
            loo = [float(vectors[i] @ anchor_of([vectors[j] for j in keep if j != i])) for i in keep]
            worst = int(np.argmin(loo))
            if loo[worst] < options.threshold:
                keep.remove(worst)
        ident = hashlib.sha256("".join(metas[i]["sha256"] for i in keep).encode()).hexdigest()[:16]
        anchors[speaker] = Anchor(speaker, anchor_of([vectors[i] for i in keep]), "chunks",
                                  "chunks:" + ident, members={members[i].key: vectors[i] for i in keep},
                                  ids=[members[i].id for i in keep],
                                  dropped=[members[i].id for i in range(len(members)) if i not in keep])
    return anchors


def is_flagged(meta: dict) -> bool:
    """A sidecar's flag: its ASR check or its voice check failed."""
    v = meta.get("validation")
    c = meta.get("consistency")
    return bool((v is not None and not v.get("passed", False)) or (c is not None and not c.get("passed", True)))


def check_consistency(chunks: list[Chunk], cache: Cache, options: ConsistencyOptions | None = None,
                      references: dict[str, tuple[np.ndarray, str]] | None = None) -> ConsistencyResult:
    """Compare every stored chunk with its speaker's anchor; record the similarity in its sidecar
    and flag it below the threshold. Chunks already checked against the same anchor are skipped.

    The d-vectors still to compute are computed on every core at once (this pass runs after
    synthesis, when the cores are free); each chunk's sidecar is then written once, its
    embedding and its verdict together, in plan order."""
    options = options or ConsistencyOptions()
    anchors = build_anchors(chunks, cache, options, references)
    result = ConsistencyResult(anchors, waiting=sorted({c.speaker for c in chunks} - set(anchors)))
    records: dict[str, dict] = {}
    todo: dict[str, tuple[Chunk, dict]] = {}
    for c in chunks:
        if c.speaker not in anchors or c.key in records or c.key in todo:
            continue
        meta = cache.meta(c.key)
        if meta is None:
            continue
        known = _current(meta, anchors[c.speaker], options)
        if known is not None:
            records[c.key] = known
        else:
            todo[c.key] = (c, meta)
    for (c, meta), (vector, fresh) in zip(todo.values(), _embeddings(cache, list(todo.values()))):
        records[c.key] = _record(c, meta, anchors[c.speaker], vector, fresh, cache, options, result)
    for c in chunks:
        if c.key in records and not records[c.key]["passed"]:
            result.flagged.append(c.id)
    return result


def _current(meta: dict, anchor: Anchor, options: ConsistencyOptions) -> dict | None:
    """The sidecar's consistency record when it is for this anchor, take and threshold."""
    record = meta.get("consistency") or {}
    if (record.get("anchor") == anchor.ident and record.get("sha256") == meta.get("sha256")
            and record.get("threshold") == options.threshold):
        return record
    return None


def _stored_embedding(meta: dict) -> np.ndarray | None:
    """The d-vector recorded in a sidecar, when made from these very bytes by this encoder."""
    known = meta.get("speaker_embedding") or {}
    if known.get("sha256") == meta.get("sha256") and known.get("encoder") == SpeakerEncoder.info().sha256:
        return normalize(_unpack(known["vector"]))
    return None


def _embeddings(cache: Cache, todo: list[tuple[Chunk, dict]]) -> list[tuple[np.ndarray, bool]]:
    """(d-vector, computed now) of each stored chunk: from its sidecar, else computed, on as many
    threads as there are cores (ONNX Runtime and numpy's FFT let go of the GIL)."""
    out: list = [(_stored_embedding(meta), False) for _, meta in todo]
    missing = [i for i, (v, _) in enumerate(out) if v is None]
    if not missing:
        return out
    workers = max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
                         EMBED_THREADS, len(missing)))
    if workers == 1:
        vectors = [SpeakerEncoder.embed(cache.load(todo[i][0].key)) for i in missing]
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="embed") as pool:
            vectors = list(pool.map(lambda i: SpeakerEncoder.embed(cache.load(todo[i][0].key)), missing))
    for i, vector in zip(missing, vectors):
        out[i] = (vector, True)
    return out


def _record(c: Chunk, meta: dict, anchor: Anchor, vector: np.ndarray, fresh: bool, cache: Cache,
            options: ConsistencyOptions, result: ConsistencyResult) -> dict:
    """A stored chunk's new consistency record, written into its sidecar (with its d-vector when
    it was computed now: one write for both)."""
    value = anchor.similarity(c.key, vector)
    judged = float(meta.get("seconds", 0.0)) >= options.min_seconds
    record = {"similarity": round(value, 4), "threshold": options.threshold, "judged": judged,
              "passed": value >= options.threshold or not judged, "anchor": anchor.ident,
              "anchor_source": anchor.source, "sha256": meta.get("sha256")}
    fields = {"consistency": record, "flagged": is_flagged(dict(meta, consistency=record))}
    if fresh:
        fields["speaker_embedding"] = {"sha256": meta.get("sha256"), "encoder": SpeakerEncoder.info().sha256,
                                       "vector": _pack(vector)}
    _write(cache, c.key, meta, **fields)
    result.checked += 1
    return record


def embed_audio(audio: Audio) -> np.ndarray:
    """The d-vector of an audio clip (a reference, or a take not yet stored)."""
    return SpeakerEncoder.embed(audio)


def reference_anchors(chunks: list[Chunk]) -> dict[str, tuple[np.ndarray, str]]:
    """speaker -> (d-vector, SHA-256) of the local reference clip its chunks are cloned from."""
    import soundfile as sf

    out: dict[str, tuple[np.ndarray, str]] = {}
    done: dict[str, tuple[np.ndarray, str]] = {}
    for c in chunks:
        if c.speaker in out or not c.ref_audio or "://" in c.ref_audio:
            continue
        if c.ref_audio not in done:
            data = open(c.ref_audio, "rb").read()
            samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
            done[c.ref_audio] = (SpeakerEncoder.embed_samples(samples.mean(axis=1), rate),
                                 hashlib.sha256(data).hexdigest()[:16])
        out[c.speaker] = done[c.ref_audio]
    return out


def voice_stats(chunks: list[Chunk], cache: Cache, cfr_wer: float = 0.5) -> dict[str, dict]:
    """Per speaker, from the sidecars: similarity min/median, SECS (mean similarity), flagged
    chunk ids, WER of the validation transcripts (pooled over words) and CFR (share of chunks
    with WER > cfr_wer). A figure is None when nothing measured it."""
    from .validate import normalize_words, word_error_rate

    rows: dict[str, dict] = {}
    seen: set[str] = set()
    for c in chunks:
        row = rows.setdefault(c.speaker, {"chunks": 0, "sims": [], "flagged": [], "words": 0,
                                          "errors": 0.0, "heard": 0, "failed": 0, "anchor": None})
        row["chunks"] += 1
        if c.key in seen:
            continue
        seen.add(c.key)
        meta = cache.meta(c.key)
        if meta is None:
            continue
        record = meta.get("consistency")
        if record:
            row["sims"].append(record["similarity"])
            row["anchor"] = record.get("anchor_source")
            if not record["passed"]:
                row["flagged"].append(c.id)
        v = meta.get("validation")
        if v and v.get("transcript") is not None:
            words = max(1, len(normalize_words(c.text)))
            wer = word_error_rate(c.text, v["transcript"])
            row["words"] += words
            row["errors"] += wer * words
            row["heard"] += 1
            row["failed"] += wer > cfr_wer
    out = {}
    for speaker, row in rows.items():
        sims = row["sims"]
        out[speaker] = {
            "chunks": row["chunks"],
            "checked": len(sims),
            "anchor": row["anchor"],
            "similarity_min": round(min(sims), 4) if sims else None,
            "similarity_median": round(float(np.median(sims)), 4) if sims else None,
            "secs": round(float(np.mean(sims)), 4) if sims else None,
            "flagged": row["flagged"],
            "wer": round(row["errors"] / row["words"], 4) if row["words"] else None,
            "cfr": round(row["failed"] / row["heard"], 4) if row["heard"] else None,
        }
    return out
