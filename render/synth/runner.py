"""Working through a manifest chunk by chunk: cache, synthesize, validate, retry, store."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from ..atomic import temp_owner
from ..engines.audio import resample
from ..engines.base import Audio, SynthRequest
from ..errors import EngineError, RunStopped
from ..plan.manifest import Chunk
from .cache import Cache, encode_wav
from .takes import check_audio, plan_takes
from .validate import Transcriber, Verdict, match_ratio, split_scores

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
    batch_seconds: float = 24.0  # audio validated per Whisper call (its window is 30 s)


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
    seed = chunk.seed if chunk.seed is not None else int(chunk.key[:8], 16) & 0x7FFFFFFF  # fixed per chunk
    return SynthRequest(xml=chunk.xml, text=chunk.text, voice=chunk.voice, gender=chunk.gender,
                        description=chunk.description, language=chunk.language, speed=chunk.speed,
                        seed=seed, ref_audio=chunk.ref_audio, ref_text=chunk.ref_text,
                        extra=tuple(tuple(pair) for pair in chunk.extra))


class Renderer:
    """Renders chunks into the cache with one engine.

    New takes are validated in batches: the plan's chunks are cut into groups of about
    `batch_seconds` of consecutive speech (validation_groups), the new takes of a group are
    transcribed in one Whisper call (Whisper pads every call to 30 s, so one call per chunk
    would cost as much as synthesis) and the transcript is aligned back to each chunk. A chunk
    scoring under its threshold is then checked alone and, if it still fails, goes through
    the declared fallbacks (takes.plan_takes); the best take is kept and flagged if none passes.
    """

    def __init__(self, engine, cache: Cache, options: RunOptions | None = None):
        self.engine = engine
        self.cache = cache
        self.options = options or RunOptions()
        self._transcriber = Transcriber() if self.options.validate else None  # English; others on demand
        self._by_language: dict[str, Transcriber] = {}

    def run(self, chunks: list[Chunk]) -> RunSummary:
        """Make sure every chunk's audio is in the cache; never raises for one bad chunk."""
        start = time.monotonic()
        self.cache.check_writable()
        self._outcomes: dict[str, Outcome] = {}
        self._by_key: dict[str, Outcome] = {}
        self._resumed: set[str] = set()  # keys whose stored audio only needed its check
        self._bar = tqdm(total=len(chunks), unit="chunk", disable=not self.options.progress,
                         dynamic_ncols=True, desc="render")
        try:
            deferred = [g for g in validation_groups(chunks, self.options.batch_seconds)
                        if not self._visit(g)]
            deadline = time.monotonic() + self.options.wait_for_others
            while deferred:
                deferred = [g for g in deferred if not self._visit(g)]
                if deferred:
                    if time.monotonic() > deadline:
                        for chunk in (c for g in deferred for c in g if c.id not in self._outcomes):
                            self._record(chunk, Outcome(chunk.id, chunk.key, "failed",
                                                        error="another render holds this chunk"))
                        break
                    time.sleep(0.5)
        finally:
            self._bar.close()
        ordered = [self._outcomes[c.id] for c in chunks if c.id in self._outcomes]
        return RunSummary(outcomes=ordered, wall_seconds=time.monotonic() - start)

    # ------------------------------------------------------------------ one chunk
    def _record(self, chunk: Chunk, outcome: Outcome) -> None:
        if chunk.id in self._outcomes:
            return
        self._outcomes[chunk.id] = outcome
        self._by_key.setdefault(chunk.key, outcome)
        self._bar.update(1)

    def _settled(self, meta: dict | None) -> bool:
        """A stored object needs nothing more: validated, or validation is off."""
        return meta is not None and not (self._transcriber is not None and meta.get("validation_pending"))

    def _done(self, chunk: Chunk) -> bool:
        """Record a chunk that needs no work (settled in this run or in the cache); False otherwise."""
        if chunk.id in self._outcomes:
            return True
        done = self._by_key.get(chunk.key)
        if done is not None and done.status == "failed":  # the same content failed moments ago
            self._record(chunk, Outcome(chunk.id, chunk.key, "failed", error=done.error))
            return True
        if done is not None:
            self._record(chunk, Outcome(chunk.id, chunk.key, "cached", done.flagged, done.score,
                                        done.transcript, seconds=done.seconds))
            return True
        meta = self.cache.meta(chunk.key)
        if self._settled(meta):
            self._record(chunk, _from_meta(chunk, "cached", meta))
            return True
        return False

    def _visit(self, group: list[Chunk]) -> bool:
        """Render one validation group now (True), or report another process holds part of it (False).

        The group, not whichever chunks happen to be new, is what Whisper hears in one call, so a
        chunk's verdict is the same however the work was split between processes or interrupted."""
        todo: dict[str, Chunk] = {}
        for chunk in group:
            if not self._done(chunk):
                todo.setdefault(chunk.key, chunk)
        if not todo:
            return True
        held = []
        try:
            for key in todo:
                if not self.cache.acquire(key):
                    return False
                held.append(key)
            for key in list(todo):  # one may have finished while we were taking the locks
                if self._done(todo[key]):
                    del todo[key]
            self._render_group(group, list(todo.values()))
        finally:
            for key in held:
                self.cache.release(key)
        for chunk in group:  # duplicates of a chunk settled just now
            self._done(chunk)
        return True

    def _render_group(self, group: list[Chunk], todo: list[Chunk]) -> None:
        """First takes for the chunks in todo, one batch check of them, then each settled."""
        takes = []  # (chunk, audio, record, sha256 of the stored take)
        for chunk in todo:
            meta = self.cache.meta(chunk.key)
            if meta is not None:  # synthesized by a run that stopped before checking it
                record = dict((meta.get("attempts") or [{"strategy": "as-planned"}])[0])
                self._resumed.add(chunk.key)
                takes.append((chunk, self.cache.load(chunk.key), record, meta.get("sha256")))
                continue
            request = request_for(chunk)
            strategy, make = plan_takes(self.engine, request, self.options.max_takes)[0]
            t0 = time.monotonic()
            audio, error = self._with_fault_retries(make, chunk.text)
            record = {"strategy": strategy, "synth_seconds": round(time.monotonic() - t0, 3)}
            if audio is None:
                record["error"] = error
                self._finish(chunk, [record], None, None, stored=False)  # the fallbacks get their turn
                continue
            record["audio_seconds"] = round(audio.seconds, 3)
            if self._transcriber is None:
                self._store(chunk, [record], record, audio, stored=False)
                continue
            # stored at once, so a kill before the check loses no synthesis
            side = self.cache.put(chunk.key, audio, self._meta(chunk, [record], record, pending=True))
            takes.append((chunk, audio, record, side["sha256"]))
        if not takes:
            return
        for (chunk, audio, record, _), verdict in zip(takes, self._batch_verdicts(group, takes)):
            if verdict is None:  # no batch verdict for this very take: check it alone
                self._retry(chunk, audio, record)
                continue
            record.update(verdict, passed=verdict["score"] >= chunk.min_match_ratio, asr="batch")
            if record["passed"]:
                self._store(chunk, [record], record, audio, stored=True)
            else:
                self._retry(chunk, audio, record)

    def _batch_verdicts(self, group: list[Chunk], takes: list) -> list[dict | None]:
        """Each take's score and transcript from one Whisper call over the batch, recorded in the
        cache before any chunk is settled; a resumed run reads them back instead of listening again."""
        gkey = group_key(group)
        known = self.cache.group_verdicts(gkey)
        if not known:
            t0 = time.monotonic()
            rate = takes[0][1].sample_rate
            gap = np.zeros(int(0.4 * rate), np.float32)
            joined = []
            for _, audio, _, _ in takes:
                joined += [resample(audio.samples, audio.sample_rate, rate), gap]
            heard = self._transcribe(Audio(np.concatenate(joined), rate), takes[0][0].language)
            scores = split_scores([c.text for c, _, _, _ in takes], heard)
            share = round((time.monotonic() - t0) / len(takes), 3)
            known = {c.key: {"score": score, "transcript": words, "asr_seconds": share, "sha256": sha}
                     for (c, _, _, sha), (score, words) in zip(takes, scores)}
            self.cache.put_group_verdicts(gkey, known)
        # a verdict holds only for the very take it was given (a redone chunk is checked again)
        found = [known.get(c.key) or {} for c, _, _, _ in takes]
        return [{k: v for k, v in f.items() if k != "sha256"} if f.get("sha256") == sha else None
                for f, (_, _, _, sha) in zip(found, takes)]

    def _retry(self, chunk: Chunk, audio, record: dict) -> None:
        """A first take that failed in its batch: check it alone, then try the fallbacks."""
        t0 = time.monotonic()
        verdict = self._check(audio, chunk)
        record.update(score=verdict.score, transcript=verdict.transcript, passed=verdict.passed,
                      asr_seconds=round(record.get("asr_seconds", 0) + time.monotonic() - t0, 3), asr="alone")
        if verdict.passed:
            self._store(chunk, [record], record, audio, stored=True)
            return
        self._finish(chunk, [record], record, audio, stored=True)

    def _finish(self, chunk: Chunk, attempts: list, best: dict | None, best_audio, stored: bool) -> None:
        """Go through the fallback takes after the first; keep the best; store or fail.

        stored: best_audio (the first take) is already the cache object."""
        first = best
        request = request_for(chunk)
        for strategy, make in plan_takes(self.engine, request, self.options.max_takes)[1:]:
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
                          asr_seconds=round(time.monotonic() - t1, 3), asr="alone")
            attempts.append(record)
            if best is None or verdict.score > best.get("score", -1):
                best, best_audio = record, audio
            if verdict.passed:
                break
        if best_audio is None:
            errors = "; ".join(a.get("error", "") for a in attempts if a.get("error"))
            self._record(chunk, Outcome(chunk.id, chunk.key, "failed", error=errors, attempts=attempts))
            return
        self._store(chunk, attempts, best, best_audio, stored=stored and best is first)

    def _meta(self, chunk: Chunk, attempts: list, best: dict, pending: bool = False) -> dict:
        checked = self._transcriber is not None and not pending
        return {
            "id": chunk.id, "text": chunk.text, "xml": chunk.xml, "voice": chunk.voice,
            "speaker": chunk.speaker, "engine": self.engine.name, "engine_version": self.engine.version,
            "attempts": attempts, "chosen": best["strategy"],
            "flagged": checked and not best.get("passed", False),
            "validation_pending": pending,
            "validation": None if not checked else {
                "score": best["score"], "transcript": best["transcript"],
                "threshold": chunk.min_match_ratio, "passed": best.get("passed", False)},
        }

    def _store(self, chunk: Chunk, attempts: list, best: dict, audio, stored: bool) -> None:
        """Record the chosen take: only its sidecar when its audio is already the object."""
        meta = self._meta(chunk, attempts, best)
        if stored:
            side = self.cache.update_meta(chunk.key, meta)
        else:
            retake = self.cache.meta(chunk.key) is not None  # a fallback replacing a checked-out take
            side = self.cache.put(chunk.key, audio, meta, retake=retake)
        status = "cached" if stored and best is attempts[0] and chunk.key in self._resumed else "synthesized"
        self._record(chunk, _from_meta(chunk, status, side, attempts))

    # ------------------------------------------------------------------ helpers
    def _with_fault_retries(self, make, text):
        delay, error = self.options.backoff, None
        for attempt in range(self.options.fault_retries + 1):
            try:
                audio = make()
                error = check_audio(audio, text)
                if error is None:
                    return audio, None
            except RunStopped:  # every further chunk would fail the same way
                raise
            except EngineError as exc:
                error = str(exc)
                if not getattr(exc, "retryable", True):  # e.g. 401 or a prompt the server rejects
                    return None, error
            except Exception as exc:  # an engine bug must not kill the book; it is recorded
                error = f"{type(exc).__name__}: {exc}"
            log.warning("engine fault (attempt %d): %s", attempt + 1, error)
            if attempt < self.options.fault_retries:
                time.sleep(delay)
                delay *= 2
        return None, error

    def _asr(self, language: str) -> Transcriber:
        if language.lower().startswith("en"):
            return self._transcriber
        if language not in self._by_language:
            self._by_language[language] = Transcriber(language)
        return self._by_language[language]

    def _transcribe(self, audio, language: str = "en") -> str:
        fd, tmp = tempfile.mkstemp(prefix=f"tmp-{temp_owner()}-", suffix=".wav", dir=self.cache.root)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(encode_wav(audio))
            return self._asr(language).transcribe(tmp)
        finally:
            os.unlink(tmp)

    def _check(self, audio, chunk: Chunk):
        heard = self._transcribe(audio, chunk.language)
        score = match_ratio(chunk.text, heard)
        return Verdict(score=round(score, 4), transcript=heard, passed=score >= chunk.min_match_ratio)


def _from_meta(chunk: Chunk, status: str, meta: dict, attempts=None) -> Outcome:
    v = meta.get("validation") or {}
    return Outcome(chunk.id, chunk.key, status, flagged=bool(meta.get("flagged")), score=v.get("score"),
                   transcript=v.get("transcript"), seconds=float(meta.get("seconds", 0.0)),
                   attempts=attempts or [])


def validation_groups(chunks: list[Chunk], batch_seconds: float) -> list[list[Chunk]]:
    """Consecutive chunks of one language, about batch_seconds of estimated speech per group.

    Fixed by the plan alone, so every process and every resumed run batches alike."""
    groups: list[list[Chunk]] = []
    total = 0.0
    for chunk in chunks:
        if not groups or total >= batch_seconds or groups[-1][0].language != chunk.language:
            groups.append([])
            total = 0.0
        groups[-1].append(chunk)
        total += chunk.est_seconds
    return groups


def group_key(group: list[Chunk]) -> str:
    """A validation group's identity: its chunks' content keys in order."""
    return hashlib.sha256("\n".join(c.key for c in group).encode()).hexdigest()
