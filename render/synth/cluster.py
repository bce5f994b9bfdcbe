"""Rendering chunks on a Ray cluster: actors that each load the engine once, results streamed
back to the driver, which alone writes the cache.

Why the driver writes the cache: the chunk locks are `flock`s, which hold only on a local file
system, and a cluster rarely shares one that honours them (NFS does not reliably). Workers keep
a private scratch cache and send each finished object (WAV bytes and sidecar, a few hundred KB)
back; the driver adopts it with the same atomic write as any other object. Nothing on the
workers needs to survive: a killed batch loses only the chunks in flight.

The unit of work is one plan-fixed validation group (runner.validation_groups), minus the chunks
an earlier group or an earlier run already covers, which is exactly what a local Renderer would
synthesize and hear in one Whisper call at that point of the plan. So each chunk's takes and
verdicts, and with them the audio, are the same as a local render's.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import RenderError
from ..plan.manifest import Chunk
from .cache import Cache
from .runner import Outcome, RunOptions, validation_groups

log = logging.getLogger(__name__)

INSTALL_HINT = "Ray is not installed; install the extra with: pip install 'render[ray]'"


@dataclass(frozen=True)
class ClusterOptions:
    """Where and how wide to render on Ray."""

    address: str | None = None  # a running cluster ("ray://host:10001", "auto"); None = start one here
    workers: int | None = None  # engine actors; None = one per CPU the cluster offers
    cpus_per_worker: float = 1.0  # CPUs Ray reserves for each actor
    in_flight: int = 2  # groups queued per actor, so none waits for the driver


def require_ray():
    """The ray module, or a one-line error saying how to install it."""
    try:
        import ray
    except ImportError:
        raise RenderError(INSTALL_HINT) from None
    return ray


@dataclass(frozen=True)
class Task:
    """One group of chunks for one actor, in plan order."""

    chunks: tuple[Chunk, ...]


def plan_tasks(chunk_lists: list[list[Chunk]], cache: Cache, batch_seconds: float,
               settled) -> list[Task]:
    """Cut every book's chunks into the groups a local render would batch, dropping chunks
    already settled in the cache or covered by an earlier group (repeated lines)."""
    claimed: set[str] = set()
    tasks = []
    for chunks in chunk_lists:
        for group in validation_groups(chunks, batch_seconds):
            todo = []
            for chunk in group:
                if chunk.key in claimed:
                    continue
                claimed.add(chunk.key)
                if not settled(cache.meta(chunk.key)):
                    todo.append(chunk)
            if todo:
                tasks.append(Task(tuple(todo)))
    return tasks


class Worker:
    """A Ray actor's body: one engine, one Renderer, a private scratch cache."""

    def __init__(self, book_options, run: RunOptions):
        from ..pipeline import make_engine
        from .pause import AFTER
        from .runner import Renderer

        os.environ.pop(AFTER, None)  # the interruption test hook is for the driver's cache alone
        self.scratch = Path(tempfile.mkdtemp(prefix="render-worker-"))
        self.cache = Cache(self.scratch)
        self.engine = make_engine(book_options)
        self.renderer = Renderer(self.engine, self.cache, run)

    def fingerprint(self) -> str:
        """The loaded engine's model fingerprint (the driver checks it matches the plan's)."""
        return self.engine.fingerprint()

    def render(self, task: Task) -> list[tuple[Outcome, bytes | None, dict | None]]:
        """Render one group; return each chunk's outcome with its object's bytes and sidecar."""
        summary = self.renderer.run(list(task.chunks))
        results = []
        for outcome in summary.outcomes:
            data = side = None
            if outcome.status != "failed":
                side = self.cache.meta(outcome.key)
                data = self.cache.object_path(outcome.key).read_bytes()
            results.append((outcome, data, side))
        for outcome in summary.outcomes:  # the driver keeps them; the scratch stays small
            self.cache.remove(outcome.key)
        return results

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def run_on_ray(tasks: list[Task], book_options, fingerprint: str, run: RunOptions,
               options: ClusterOptions) -> Iterator[tuple[Outcome, bytes | None, dict | None]]:
    """Render tasks on Ray actors, each with the engine book_options name; yield each chunk's
    result as its group finishes."""
    ray = require_ray()
    if not tasks:
        return
    started_here = not ray.is_initialized()
    if started_here:
        try:
            ray.init(address=options.address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING, configure_logging=False)
        except Exception as exc:  # connection refused, bad address, version mismatch
            raise RenderError(f"cannot start or reach the Ray cluster at {options.address or 'this machine'}: "
                              f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    try:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = max(1, min(options.workers or int(cpus // options.cpus_per_worker), len(tasks)))
        actor = ray.remote(num_cpus=options.cpus_per_worker)(Worker)
        worker_run = RunOptions(**{**run.__dict__, "progress": False})
        actors = [actor.remote(book_options, worker_run) for _ in range(count)]
        theirs = set(ray.get([a.fingerprint.remote() for a in actors]))
        if theirs != {fingerprint}:
            raise RenderError("the Ray workers load a different model than this machine planned with "
                              f"({', '.join(sorted(theirs))} vs {fingerprint}); install the same "
                              "render version and model files on every node (render assets install)")
        pending = list(reversed(tasks))
        running: dict = {}

        def submit(a) -> None:
            task = pending.pop()
            running[a.render.remote(task)] = (a, task)

        for a in actors:
            for _ in range(options.in_flight):
                if pending:
                    submit(a)
        while running:
            [ref], _ = ray.wait(list(running), num_returns=1)
            a, task = running.pop(ref)
            if pending:
                submit(a)
            try:
                results = ray.get(ref)
            except Exception as exc:  # a worker died: its chunks fail now and are retried next run
                reason = f"Ray worker failed: {(str(exc).splitlines() or [type(exc).__name__])[0]}"
                results = [(Outcome(c.id, c.key, "failed", error=reason), None, None) for c in task.chunks]
            yield from results
        for a in actors:
            ray.get(a.close.remote())
    finally:
        if started_here:
            ray.shutdown()
