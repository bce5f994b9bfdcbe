"""New takes for chunks whose voice drifted, on engines that sample (a new seed can fix it).

They go through the same declared fallbacks as a failed ASR check (takes.plan_takes: new seeds
at a slightly slower pace); each take is scored by its word match and its similarity to the
character's anchor, and the best by the combined score is kept: the weaker of the two checks,
each as a share of its own threshold, so a take must pass both to beat one that passes both.
"""

from __future__ import annotations

import logging

from ..plan.manifest import Chunk
from .cache import Cache
from .consistency import Anchor, ConsistencyOptions, embed_audio
from .runner import request_for
from .takes import check_audio, plan_takes
from .validate import match_ratio, transcribe_audio

log = logging.getLogger(__name__)


def combined(score: float | None, threshold_asr: float, similarity: float, threshold_voice: float) -> float:
    """The weaker check as a share of its threshold (>= 1 when both pass); ASR absent counts as passed."""
    asr = 1.0 if score is None else score / max(threshold_asr, 1e-9)
    return min(asr, similarity / max(threshold_voice, 1e-9))


def retake_drifted(chunks: list[Chunk], drifted: list[str], anchors: dict[str, Anchor], engine, cache: Cache,
                   options: ConsistencyOptions, transcriber=None, max_takes: int = 4) -> list[str]:
    """Retake each drifted chunk through its reseed fallbacks; returns the ids whose stored take changed."""
    if getattr(engine, "deterministic", True):
        return []  # the same request gives the same voice: nothing to try
    changed: list[str] = []
    done: set[str] = set()
    for c in chunks:
        if c.id not in drifted or c.key in done or c.speaker not in anchors or not cache.acquire(c.key):
            continue
        done.add(c.key)
        try:
            if _retake(c, anchors[c.speaker], engine, cache, options, transcriber, max_takes):
                changed.append(c.id)
        finally:
            cache.release(c.key)
    return changed


def _retake(c: Chunk, anchor: Anchor, engine, cache: Cache, options: ConsistencyOptions, transcriber,
            max_takes: int) -> bool:
    meta = cache.meta(c.key)
    if meta is None:
        return False
    first = (meta.get("consistency") or {}).get("similarity", 0.0)
    score = (meta.get("validation") or {}).get("score")
    best = combined(score, c.min_match_ratio, first, options.threshold)
    best_audio, best_record = None, None
    attempts = list(meta.get("attempts") or [])
    tried = {a.get("strategy") for a in attempts}
    for strategy, make in plan_takes(engine, request_for(c), max_takes)[1:]:
        if strategy in tried:  # an ASR fallback already made this take
            continue
        record = {"strategy": strategy, "reason": "voice"}
        try:
            audio = make()
            error = check_audio(audio, c.text)
        except Exception as exc:  # an engine fault on a retake keeps the take we have
            audio, error = None, f"{type(exc).__name__}: {exc}"
        if audio is None or error:
            record["error"] = error
            attempts.append(record)
            continue
        sim = anchor.similarity(c.key, embed_audio(audio))
        record["similarity"] = round(sim, 4)
        if transcriber is not None:
            heard = transcribe_audio(transcriber, audio)  # in memory, no temporary file
            record.update(score=round(match_ratio(c.text, heard), 4), transcript=heard)
            record["passed"] = record["score"] >= c.min_match_ratio
        value = combined(record.get("score"), c.min_match_ratio, sim, options.threshold)
        attempts.append(record)
        if value > best:
            best, best_audio, best_record = value, audio, record
        if value >= 1.0:
            break
    if best_audio is None:
        cache.update_meta(c.key, dict(meta, attempts=attempts))
        return False
    side = {k: v for k, v in meta.items() if k not in ("consistency", "speaker_embedding")}
    side.update(attempts=attempts, chosen=best_record["strategy"])
    if "score" in best_record:
        side["validation"] = {"score": best_record["score"], "transcript": best_record["transcript"],
                              "threshold": c.min_match_ratio, "passed": best_record["passed"]}
    cache.put(c.key, best_audio, side, retake=True)
    log.info("%s: voice retake %s (similarity %.3f -> %.3f)", c.id, best_record["strategy"], first,
             best_record["similarity"])
    return True
