"""Working through a manifest chunk by chunk: cache, synthesize, validate, retry, store."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from contextlib import nullcontext
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from tqdm import tqdm

from ..errors import AssetError, EngineError, RunStopped
from ..plan.manifest import Chunk
from .cache import Cache
from .batches import batch_verdicts, default_batch_seconds, group_key, validation_groups  # noqa: F401 (re-exported)
from .checks import AsrCheck, CheckResult, TakeCheck, rank, record_result, run_checks
from .run_records import Outcome, RunOptions, RunSummary, request_for  # noqa: F401 (re-exported)
from .takes import check_audio, plan_takes

log = logging.getLogger(__name__)


class Renderer:
    """Renders chunks into the cache with one engine, synthesis overlapped with checking.

    The pipeline. The plan's chunks are cut into validation groups of about `batch_seconds`
    of consecutive speech (validation_groups, fixed by the plan). The main thread takes the
    groups in order: it locks a group's chunks, hands their first takes to a pool of
    synthesis threads, stores each take the moment it arrives (marked as awaiting its check,
    so a kill loses no synthesis), and once a group's takes are all in, checks them and
    settles each chunk. While it checks one group the pool already synthesizes the next
    chunks, but never more than `max_in_flight + options.prefetch` takes are synthesized
    ahead of the main thread, so only a few chunks of audio are ever in memory. Every cache
    write happens on the main thread, in plan order.

    Determinism. The first ASR check of a group is one Whisper call over its new takes
    (Whisper pads every call to 30 s, so one call per chunk would cost as much as
    synthesis), aligned back to each chunk, and its verdicts are recorded in the cache
    before any chunk of the group is settled: a resumed run or a second process reads them
    back. A chunk's audio is therefore the same whether the book was rendered in one go,
    after kills, or by two processes sharing the cache.

    Extension point 1, engines: an engine may declare `max_in_flight` (int, default 1), the
    number of synthesize() calls the runner keeps running at once (one thread each; e.g. one
    per GPU server behind a dispatching engine). synthesize() must then be thread-safe.
    Fallback takes go through the same pool, so the limit always holds.

    Extension point 2, preparing: an engine may declare `prepare(requests)`, called once on a
    background thread when there is work, with the requests of the chunks not yet in the cache
    in plan order (an iterator that ends when the run does): Kokoro phonemizes them ahead and
    then lets go of its G2P. It must be thread-safe with synthesize().

    Extension point 2b, sharing: an engine may declare `beside()`, a context manager the main
    thread holds while Whisper checks a batch: Kokoro, running two calls at once, gives up one
    of their places for it, so the check's memory never adds to two runs'.

    Extension point 3, checks: a take is accepted when every check in `checks` passes, in
    order (checks.py: objects with `name` and `check(chunk, audio) -> CheckResult`). ASR
    validation (checks.AsrCheck) comes first when `options.validate`; the extra checks given
    to the constructor follow (e.g. speaker consistency). A take failing any check sends its
    chunk through the engine's declared fallbacks (takes.plan_takes); every fallback take is
    judged by all checks, and the best take (checks.rank: passing all first, then the
    highest combined score) is kept, flagged when none passes. Each result is recorded in
    the take's attempt record under checks[name].
    """

    def __init__(self, engine, cache: Cache, options: RunOptions | None = None,
                 checks: Sequence[TakeCheck] = ()):
        self.engine = engine
        self.cache = cache
        self.options = options or RunOptions()
        self._asr = AsrCheck() if self.options.validate else None
        self.checks: list[TakeCheck] = ([self._asr] if self._asr else []) + list(checks)
        self._in_flight = max(1, int(getattr(engine, "max_in_flight", 1) or 1))

    def run(self, chunks: list[Chunk]) -> RunSummary:
        """Make sure every chunk's audio is in the cache; never raises for one bad chunk."""
        start = time.monotonic()
        self.cache.check_writable()
        self._outcomes: dict[str, Outcome] = {}
        self._by_key: dict[str, Outcome] = {}
        self._resumed: set[str] = set()  # keys whose stored audio only needed its check
        self._bar = tqdm(total=len(chunks), unit="chunk", disable=not self.options.progress,
                         dynamic_ncols=True, desc="render")
        self._pool = ThreadPoolExecutor(self._in_flight, thread_name_prefix="synth")
        self._warming: list[threading.Thread] = []
        self._chunks, self._stopping = chunks, threading.Event()
        self._idle = _embedding_work(self.cache) if self.options.embed_speakers else None
        try:
            deferred = self._pass(validation_groups(chunks, self.options.batch_seconds))
            deadline = time.monotonic() + self.options.wait_for_others
            while deferred:
                deferred = self._pass(deferred)
                if deferred:
                    if time.monotonic() > deadline:
                        for chunk in (c for g in deferred for c in g if c.id not in self._outcomes):
                            self._record(chunk, Outcome(chunk.id, chunk.key, "failed",
                                                        error="another render holds this chunk"))
                        break
                    time.sleep(0.5)
            if self._idle is not None:  # what is left, on two cores now that synthesis is over
                during = self._idle.done
                self._idle.finish()
                log.info("speaker embeddings stored by the runner: %d during synthesis, %d after it",
                         during, self._idle.done - during)
        finally:
            self._stopping.set()
            self._pool.shutdown(wait=False, cancel_futures=True)
            if self._idle is not None:
                self._idle.stop()  # interrupted: what is left is the consistency pass's
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
        return meta is not None and not (self.checks and meta.get("validation_pending"))

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

    # ------------------------------------------------------------------ the pipeline
    def _pass(self, groups: list[list[Chunk]]) -> list[list[Chunk]]:
        """Render every group that can be locked now; return those another process holds."""
        queue, opened, deferred = deque(groups), deque(), []
        self._unclaimed = 0  # first takes handed to the pool and not yet collected
        try:
            while queue or opened:
                self._fill(queue, opened, deferred)
                if not opened:
                    continue
                head = opened[0]
                if head.waiting:
                    self._collect(head)
                    continue
                opened.popleft()
                try:
                    if head.takes:
                        self._judge_group(head)
                finally:
                    head.release(self.cache)
                for chunk in head.group:  # duplicates of a chunk settled just now
                    self._done(chunk)
                if self._idle is not None:  # settled and no longer locked: its d-vector may be stored
                    for key in dict.fromkeys(c.key for c in head.group):
                        settled = self._by_key.get(key)
                        if settled is not None and settled.status != "failed":
                            self._idle.put(key)
        finally:
            for group in opened:  # interrupted: give back every lock still held
                group.release(self.cache)
        return deferred

    def _fill(self, queue: deque, opened: deque, deferred: list) -> None:
        """Hand first takes to the pool, opening the next groups, until enough are ahead."""
        limit = self._in_flight + self.options.prefetch
        while True:
            for group in opened:
                while group.unsent and self._unclaimed < limit:
                    chunk = group.unsent.popleft()
                    group.waiting.append((chunk, self._pool.submit(self._first_take, chunk)))
                    self._unclaimed += 1
            if self._unclaimed >= limit or not queue:
                return
            state = self._open(queue[0])
            if state is _WAIT:  # a chunk of it is in a group still open here: settle that first
                return
            group = queue.popleft()
            if state is _HELD:
                deferred.append(group)
            elif state is not None:
                opened.append(state)

    def _open(self, group: list[Chunk]):
        """Lock a group's unfinished chunks: an _OpenGroup, None when none is left to do, _WAIT
        when this process holds one of them in an earlier group, _HELD when another process does.

        The group, not whichever chunks happen to be new, is what Whisper hears in one call, so a
        chunk's verdict is the same however the work was split between processes or interrupted."""
        todo: dict[str, Chunk] = {}
        for chunk in group:
            if not self._done(chunk):
                todo.setdefault(chunk.key, chunk)
        if not todo:
            return None
        if any(self.cache.holds(key) for key in todo):
            return _WAIT
        state = _OpenGroup(group)
        try:
            for key in todo:
                if not self.cache.acquire(key):
                    state.release(self.cache)
                    return _HELD
                state.held.append(key)
            for chunk in todo.values():  # one may have finished while we were taking the locks
                if self._done(chunk):
                    continue
                state.order[chunk.key] = len(state.order)
                meta = self.cache.meta(chunk.key)
                if meta is not None:  # synthesized by a run that stopped before checking it
                    record = dict((meta.get("attempts") or [{"strategy": "as-planned"}])[0])
                    self._resumed.add(chunk.key)
                    state.takes.append((chunk, self.cache.load(chunk.key), record, meta.get("sha256")))
                else:
                    state.unsent.append(chunk)
        except BaseException:
            state.release(self.cache)
            raise
        if state.unsent or state.takes:
            self._warm_up()
        return state

    def _warm_up(self) -> None:
        """Once there is work, load the engine's models in the background, and Whisper after them on
        the same thread (a finished book loads none).

        Whisper is first needed when a whole batch (~24 s of speech) has been synthesized, so it
        waits for the engine's models: loaded beside them it took CPU and the GIL (its imports) from
        the loads the first chunk waits for, and the run's head, with a core idle, grew."""
        if self._warming:
            return
        engine = getattr(self.engine, "warm_up", None)
        asr = self._asr

        def models():
            if engine is not None:
                _quietly(engine)
            if asr is not None:
                _quietly(lambda: asr.transcriber("en").load())

        jobs = [models]
        prepare = getattr(self.engine, "prepare", None)
        if prepare is not None:
            jobs.append(lambda: prepare(self._upcoming()))
        self._warming = [threading.Thread(target=_quietly, args=(job,), name="warm-up") for job in jobs if job]
        for thread in self._warming:
            thread.start()

    def _upcoming(self):
        """The requests of the chunks still to synthesize, in plan order, each once; it ends when
        the run does (read by the engine's prepare on a background thread)."""
        seen = set()
        for chunk in self._chunks:
            if self._stopping.is_set():
                return
            if chunk.key in seen or chunk.id in self._outcomes or self.cache.meta(chunk.key) is not None:
                continue
            seen.add(chunk.key)
            yield request_for(chunk)

    def _first_take(self, chunk: Chunk):
        """The planned take of a chunk, with fault retries (runs on a pool thread)."""
        strategy, make = plan_takes(self.engine, request_for(chunk), self.options.max_takes)[0]
        return self._take(strategy, make, chunk.text)

    def _take(self, strategy: str, make, text: str):
        t0 = time.monotonic()
        audio, error = self._with_fault_retries(make, text)
        record = {"strategy": strategy, "synth_seconds": round(time.monotonic() - t0, 3)}
        if audio is None:
            record["error"] = error
        else:
            record["audio_seconds"] = round(audio.seconds, 3)
        return audio, record

    def _collect(self, group: "_OpenGroup") -> None:
        """Take the group's next first take from the pool and store it at once."""
        chunk, future = group.waiting.popleft()
        audio, record = future.result()
        self._unclaimed -= 1
        if audio is None:
            self._finish(chunk, [record], None, None, stored=False)  # the fallbacks get their turn
        elif not self.checks:
            self._store(chunk, [record], record, audio, stored=False)
        else:  # stored at once, so a kill before the check loses no synthesis
            side = self.cache.put(chunk.key, audio, self._meta(chunk, [record], record, pending=True))
            group.takes.append((chunk, audio, record, side["sha256"]))

    def _judge_group(self, group: "_OpenGroup") -> None:
        """One batch ASR check of the group's first takes, then every check of each, then settle."""
        takes = sorted(group.takes, key=lambda t: group.order[t[0].key])  # Whisper hears plan order
        beside = getattr(self.engine, "beside", None) or nullcontext
        verdicts = (batch_verdicts(self.cache, self._asr, group.group, takes, beside) if self._asr
                    else [None] * len(takes))
        for (chunk, audio, record, _), verdict in zip(takes, verdicts):
            skip = ()
            if verdict is not None and verdict["score"] >= chunk.min_match_ratio:
                record_result(record, "asr", CheckResult(verdict["score"], True,
                                                         {"transcript": verdict["transcript"]}))
                record.update(asr="batch", asr_seconds=verdict["asr_seconds"])
                skip = ("asr",)
            elif self._asr is not None:  # failed in its batch, or no batch verdict for this very take
                record.update(asr="alone", asr_seconds=(verdict or {}).get("asr_seconds", 0))
            self._judge(chunk, audio, record, skip)
            if record["passed"]:
                self._store(chunk, [record], record, audio, stored=True)
            else:
                self._finish(chunk, [record], record, audio, stored=True)

    def _judge(self, chunk: Chunk, audio, record: dict, skip=()) -> None:
        """Run every check not yet recorded on a take; ASR time is added to asr_seconds."""
        for check in self.checks:
            if check.name in skip:
                continue
            t0 = time.monotonic()
            run_checks([check], chunk, audio, record)
            if check.name == "asr":
                record["asr_seconds"] = round(record.get("asr_seconds", 0) + time.monotonic() - t0, 3)

    def _finish(self, chunk: Chunk, attempts: list, best: dict | None, best_audio, stored: bool) -> None:
        """Go through the fallback takes after the first; keep the best; store or fail.

        stored: best_audio (the first take) is already the cache object."""
        first = best
        for strategy, make in plan_takes(self.engine, request_for(chunk), self.options.max_takes)[1:]:
            audio, record = self._pool.submit(self._take, strategy, make, chunk.text).result()
            attempts.append(record)
            if audio is None:
                continue
            if not self.checks:
                best, best_audio = record, audio
                break
            if self._asr is not None:
                record["asr"] = "alone"
            self._judge(chunk, audio, record)
            if best is None or rank(record) > rank(best):
                best, best_audio = record, audio
            if record["passed"]:
                break
        if best_audio is None:
            errors = "; ".join(a.get("error", "") for a in attempts if a.get("error"))
            self._record(chunk, Outcome(chunk.id, chunk.key, "failed", error=errors, attempts=attempts))
            return
        self._store(chunk, attempts, best, best_audio, stored=stored and best is first)

    def _meta(self, chunk: Chunk, attempts: list, best: dict, pending: bool = False) -> dict:
        checked = bool(self.checks) and not pending
        return {
            "id": chunk.id, "text": chunk.text, "xml": chunk.xml, "voice": chunk.voice,
            "speaker": chunk.speaker, "engine": self.engine.name, "engine_version": self.engine.version,
            "attempts": attempts, "chosen": best["strategy"],
            "flagged": checked and not best.get("passed", False),
            "validation_pending": pending,
            "validation": None if not checked else {
                "score": best.get("score"), "transcript": best.get("transcript"),
                "threshold": chunk.min_match_ratio, "passed": best.get("passed", False),
                "checks": best.get("checks", {})},
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
            except (RunStopped, AssetError):  # every further chunk would fail the same way
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


def _embedding_work(cache: Cache):
    """Idle-core work storing each settled chunk's speaker d-vector in its sidecar (consistency.py)."""
    from .consistency import embedding_of
    from .idle import IdleWork

    return IdleWork(lambda key: embedding_of(cache, key), name="speaker-embeddings")


def _quietly(load) -> None:
    """Run a model load ahead of need; a failure is left for the first real use to report."""
    try:
        load()
    except Exception as exc:  # reported, as one line, by the call that needs the model
        log.debug("warm-up failed: %s", exc)


_WAIT, _HELD = "wait", "held"  # why a group cannot be opened now (see Renderer._open)


class _OpenGroup:
    """A validation group being rendered: its locks and its first takes, in plan order."""

    def __init__(self, group: list[Chunk]):
        self.group = group
        self.held: list[str] = []  # chunk keys locked by this process
        self.unsent: deque = deque()  # chunks whose first take is not yet handed to the pool
        self.waiting: deque = deque()  # (chunk, future of (audio, record)) not yet collected
        self.takes: list = []  # (chunk, audio, record, sha256 of the stored take), awaiting checks
        self.order: dict[str, int] = {}  # chunk key -> its place among the group's unfinished chunks

    def release(self, cache: Cache) -> None:
        for key in self.held:
            cache.release(key)
        self.held = []


def _from_meta(chunk: Chunk, status: str, meta: dict, attempts=None) -> Outcome:
    v = meta.get("validation") or {}
    return Outcome(chunk.id, chunk.key, status, flagged=bool(meta.get("flagged")), score=v.get("score"),
                   transcript=v.get("transcript"), seconds=float(meta.get("seconds", 0.0)),
                   attempts=attempts or [])
