"""Working through a manifest chunk by chunk: cache, synthesize, validate, retry, store."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..engines.base import SynthRequest
from ..errors import EngineError
from ..plan.manifest import Chunk
from .cache import Cache, encode_wav
from .takes import check_audio, plan_takes
from .validate import Transcriber

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    """How the renderer treats each chunk."""

    validate: bool = True  # transcribe each new take and retry below the threshold
    max_takes: int = 4  # takes per chunk, the first included (3 retries)
    fault_retries: int = 3  # retries of an engine fault (exception, timeout, garbage) per take
    backoff: float = 0.5  # seconds before the first fault retry; doubles each time
    progress: bool = True  # show a tqdm bar on stderr
    wait_for_others: float = 600.0  # seconds to wait on chunks another process is rendering


@dataclass
class Outcome:
    """What happened to one chunk in this run."""

    id: str
    key: str
    status: str  # cached | synthesized | failed
    flagged: bool = False  # stored, but no take passed validation
    score: float | None = None
    transcript: str | None = None
    error: str | None = None
    seconds: float = 0.0  # audio seconds
    attempts: list = field(default_factory=list)


@dataclass
class RunSummary:
    """Counts and timings of one run over a manifest."""

    outcomes: list[Outcome]
    wall_seconds: float

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def flagged(self) -> int:
        return sum(1 for o in self.outcomes if o.flagged)

    @property
    def audio_seconds(self) -> float:
        return sum(o.seconds for o in self.outcomes)

    def line(self) -> str:
        return (f"{self.count('synthesized')} synthesized, {self.count('cached')} from cache, "
                f"{self.count('failed')} failed, {self.flagged} flagged; "
                f"{self.audio_seconds:.1f} s of audio in {self.wall_seconds:.1f} s")


def request_for(chunk: Chunk) -> SynthRequest:
    """The engine request a manifest chunk stands for."""
    return SynthRequest(xml=chunk.xml, text=chunk.text, voice=chunk.voice, gender=chunk.gender,
                        description=chunk.description, language=chunk.language, speed=chunk.speed,
                        seed=chunk.seed, ref_audio=chunk.ref_audio, ref_text=chunk.ref_text)


class Renderer:
    """Renders chunks into the cache with one engine."""

    def __init__(self, engine, cache: Cache, options: RunOptions | None = None):
        self.engine = engine
        self.cache = cache
        self.options = options or RunOptions()
        self._transcriber = Transcriber() if self.options.validate else None

    def run(self, chunks: list[Chunk]) -> RunSummary:
        """Make sure every chunk's audio is in the cache; never raises for one bad chunk."""
        start = time.monotonic()
        self.cache.check_writable()
        outcomes: dict[str, Outcome] = {}
        by_key: dict[str, Outcome] = {}
        deferred: list[Chunk] = []
        bar = tqdm(total=len(chunks), unit="chunk", disable=not self.options.progress,
                   dynamic_ncols=True, desc="render")
        try:
            for chunk in chunks:
                done = by_key.get(chunk.key)
                if done is not None and done.status != "failed":
                    outcomes[chunk.id] = Outcome(chunk.id, chunk.key, "cached", done.flagged, done.score,
                                                 done.transcript, seconds=done.seconds)
                else:
                    out = self._one(chunk)
                    if out is None:
                        deferred.append(chunk)
                        continue
                    outcomes[chunk.id] = by_key[chunk.key] = out
                bar.update(1)
            deadline = time.monotonic() + self.options.wait_for_others
            while deferred:
                waiting = []
                for chunk in deferred:
                    out = self._one(chunk)
                    if out is None:
                        waiting.append(chunk)
                    else:
                        outcomes[chunk.id] = by_key[chunk.key] = out
                        bar.update(1)
                deferred = waiting
                if deferred:
                    if time.monotonic() > deadline:
                        for chunk in deferred:
                            outcomes[chunk.id] = Outcome(chunk.id, chunk.key, "failed",
                                                         error="another render holds this chunk")
                        break
                    time.sleep(0.5)
        finally:
            bar.close()
        ordered = [outcomes[c.id] for c in chunks if c.id in outcomes]
        return RunSummary(outcomes=ordered, wall_seconds=time.monotonic() - start)

    def _one(self, chunk: Chunk) -> Outcome | None:
        meta = self.cache.meta(chunk.key)
        if meta is not None:
            return _from_meta(chunk, "cached", meta)
        with self.cache.lock(chunk.key) as mine:
            if not mine:
                return None  # another process is rendering it; come back later
            meta = self.cache.meta(chunk.key)  # it may have finished while we looked
            if meta is not None:
                return _from_meta(chunk, "cached", meta)
            return self._synthesize(chunk)

    def _synthesize(self, chunk: Chunk) -> Outcome:
        request = request_for(chunk)
        attempts, best, best_audio = [], None, None
        for strategy, make in plan_takes(self.engine, request, self.options.max_takes):
            t0 = time.monotonic()
            audio, error = self._with_fault_retries(make, chunk.text)
            record = {"strategy": strategy, "synth_seconds": round(time.monotonic() - t0, 3)}
            if audio is None:
                record["error"] = error
                attempts.append(record)
                continue
            record["audio_seconds"] = round(audio.seconds, 3)
            if self._transcriber is None:
                attempts.append(record)
                best, best_audio = record, audio
                break
            t1 = time.monotonic()
            verdict = self._check(audio, chunk)
            record.update(score=verdict.score, transcript=verdict.transcript, passed=verdict.passed,
                          asr_seconds=round(time.monotonic() - t1, 3))
            attempts.append(record)
            if best is None or verdict.score > best["score"]:
                best, best_audio = record, audio
            if verdict.passed:
                break
        if best_audio is None:
            errors = "; ".join(a.get("error", "") for a in attempts)
            return Outcome(chunk.id, chunk.key, "failed", error=errors, attempts=attempts)
        flagged = self._transcriber is not None and not best.get("passed", False)
        meta = {
            "id": chunk.id, "text": chunk.text, "xml": chunk.xml, "voice": chunk.voice,
            "speaker": chunk.speaker, "engine": self.engine.name, "engine_version": self.engine.version,
            "attempts": attempts, "chosen": best["strategy"], "flagged": flagged,
            "validation": None if self._transcriber is None else {
                "score": best["score"], "transcript": best["transcript"],
                "threshold": chunk.min_match_ratio, "passed": best.get("passed", False)},
        }
        self.cache.put(chunk.key, best_audio, meta)
        return _from_meta(chunk, "synthesized", dict(meta, seconds=best_audio.seconds), attempts)

    def _with_fault_retries(self, make, text):
        delay, error = self.options.backoff, None
        for attempt in range(self.options.fault_retries + 1):
            try:
                audio = make()
                error = check_audio(audio, text)
                if error is None:
                    return audio, None
            except EngineError as exc:
                error = str(exc)
            except Exception as exc:  # an engine bug must not kill the book; it is recorded
                error = f"{type(exc).__name__}: {exc}"
            log.warning("engine fault (attempt %d): %s", attempt + 1, error)
            if attempt < self.options.fault_retries:
                time.sleep(delay)
                delay *= 2
        return None, error

    def _check(self, audio, chunk: Chunk):
        fd, tmp = tempfile.mkstemp(suffix=".wav", dir=self.cache.root)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(encode_wav(audio))
            return self._transcriber.check(tmp, chunk.text, chunk.min_match_ratio)
        finally:
            os.unlink(tmp)


def _from_meta(chunk: Chunk, status: str, meta: dict, attempts=None) -> Outcome:
    v = meta.get("validation") or {}
    return Outcome(chunk.id, chunk.key, status, flagged=bool(meta.get("flagged")), score=v.get("score"),
                   transcript=v.get("transcript"), seconds=float(meta.get("seconds", 0.0)),
                   attempts=attempts or [])


def outcome_dict(o: Outcome) -> dict:
    return asdict(o)
