"""Where chunks are synthesized: one engine in-process, or a pool of HTTP servers.

A ServerPool looks like one engine to the runner. It sends each request to a server with a free
slot (at most `max_in_flight` requests per server; the pool's `max_in_flight` is their sum, so a
runner that calls synthesize from that many threads keeps every server busy), and handles faults
by class (see engines.http):
  transient  the server is backed off (exponential, capped) and the request goes to another one;
             after `failures_to_open` consecutive failures the server is out of rotation (a circuit
             breaker across chunks) and is only probed, one request at a time, when its backoff ends;
             a probe that succeeds puts it back. When every server is out, the run stops (RunStopped)
             with one line naming each URL and its error.
  rejected   (400, 413, ...) never retried; `rejections_to_stop` in a row, for different chunks,
             stop the run with the server's reason and what to change.
  auth       (401, 403) `auth_to_stop` in a row stop the run.
A bad setting found while building a request (a missing or oversized reference clip) stops the
run at once: every chunk of that voice would fail the same way.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, fields

from .. import engines
from ..engines.config import EngineConfig, Server
from ..engines.http import HTTPEngineError
from ..engines.options import make_options
from ..engines.secrets import safe_url
from ..errors import EngineError, InputError, RunStopped

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolOptions:
    """How a ServerPool treats failing servers."""

    failures_to_open: int = 3  # consecutive transient failures that take a server out of rotation
    backoff: float = 1.0  # seconds a server rests after its first failure; doubles per failure
    backoff_cap: float = 60.0  # longest rest
    rejections_to_stop: int = 3  # refused requests (different chunks, none succeeding between) that stop the run
    auth_to_stop: int = 2  # 401/403 answers in a row that stop the run
    attempts: int = 0  # servers tried per request before the runner gets the error; 0 = servers + 2


class _Server:
    """One server's engine and health."""

    def __init__(self, engine, url: str, limit: int):
        self.engine = engine
        self.url = safe_url(url)
        self.limit = limit
        self.in_flight = 0
        self.failures = 0  # consecutive transient failures
        self.retry_at = 0.0  # monotonic time before which it rests
        self.failed_at = 0.0  # when the last failure was recorded
        self.error = ""  # the last failure's message
        self.served = 0  # audio returned
        self.picked = 0.0  # when it was last given a request (least recently used goes first)


class ServerPool:
    """Several servers running one engine and model, used as one engine."""

    def __init__(self, members: list[tuple[object, str, int]], options: PoolOptions | None = None):
        if not members:
            raise InputError("no servers given")
        self.options = options or PoolOptions()
        self.servers = [_Server(e, u, n) for e, u, n in members]
        first = self.servers[0].engine
        self.engine = first
        self.name, self.version, self.sample_rate = first.name, first.version, first.sample_rate
        self.deterministic = first.deterministic
        self.request_options = getattr(first, "request_options", None)
        self.voices_are_descriptions = getattr(first, "voices_are_descriptions", False)
        self.max_in_flight = sum(s.limit for s in self.servers)
        self._cond = threading.Condition()
        self._waiting: list[object] = []  # callers waiting for a server, first come first
        self._refused: list[str] = []  # texts of consecutive refused requests
        self._stopped = ""  # why the run was stopped, once it is
        self._never: dict[tuple, HTTPEngineError] = {}  # requests a server refused: never sent again
        self._auth = 0  # consecutive 401/403 answers

    # the engine protocol, answered by the first member (all run the same model)
    def fingerprint(self) -> str:
        return self.engine.fingerprint()

    def check_voice(self, voice: str) -> None:
        self.engine.check_voice(voice)

    def voices(self) -> list[str]:
        return self.engine.voices()

    def default_voices(self, gender: str) -> list[str]:
        return self.engine.default_voices(gender)

    def check_reference(self, ref_audio: str, ref_text: str | None):
        check = getattr(self.engine, "check_reference", None)
        return check(ref_audio, ref_text) if check else None

    def synthesize(self, request):
        """Voice one chunk on some server; EngineError for this chunk, RunStopped for the run.

        Once the run is stopped, every later request (one the runner handed out ahead) stops
        the same way without being sent."""
        if self._stopped:
            raise RunStopped(self._stopped)
        try:
            return self._send(request)
        except RunStopped as exc:
            self._stopped = self._stopped or str(exc)
            raise

    def _send(self, request):
        attempts = self.options.attempts or len(self.servers) + 2
        what = (request.xml, request.voice, request.ref_audio, request.ref_text, request.extra)
        with self._cond:
            refused = self._never.get(what)
        if refused is not None:  # another seed or pace would be refused the same way
            raise refused
        tried: set[int] = set()
        last: EngineError | None = None
        for _ in range(attempts):
            server = self._acquire(tried)
            tried.add(id(server))
            sent = time.monotonic()
            try:
                audio = server.engine.synthesize(request)
            except InputError as exc:
                self._release(server)
                raise RunStopped(str(exc)) from None
            except HTTPEngineError as exc:
                if exc.fault != "transient":
                    with self._cond:
                        self._never[what] = exc
                self._failed(server, exc, sent, request.text)
                if exc.fault != "transient":
                    raise
                last = exc
                continue
            except EngineError as exc:
                self._failed(server, HTTPEngineError(str(exc), kind="engine", retryable=True), sent, request.text)
                last = exc
                continue
            self._succeeded(server)
            return audio
        with self._cond:
            self._stop_if_none_left()
        raise last

    # ------------------------------------------------------------------ health
    def _acquire(self, tried: set[int]) -> _Server:
        """A server with a free slot, waiting for one when all are busy or resting.

        Callers are served first come, first served, so chunks go out in the order the runner
        asks for them (plan order)."""
        ticket = object()
        with self._cond:
            self._waiting.append(ticket)
            try:
                while True:
                    self._stop_if_none_left()
                    now = time.monotonic()
                    ready = [s for s in self.servers if self._usable(s, now)]
                    fresh = [s for s in ready if id(s) not in tried] or ready
                    if fresh and self._waiting[0] is ticket:
                        server = min(fresh, key=lambda s: (s.in_flight / s.limit, s.picked))
                        server.in_flight += 1
                        server.picked = now
                        return server
                    waits = [s.retry_at - now for s in self.servers if s.retry_at > now]
                    self._cond.wait(timeout=min(waits) if waits else None)
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def _usable(self, s: _Server, now: float) -> bool:
        if now < s.retry_at or s.in_flight >= s.limit:
            return False
        return s.failures < self.options.failures_to_open or s.in_flight == 0  # one probe at a time

    def _stop_if_none_left(self) -> None:
        if all(s.failures >= self.options.failures_to_open for s in self.servers):
            down = "; ".join(s.error if s.url in s.error else f"{s.url}: {s.error}" for s in self.servers)
            raise RunStopped(f"no server left ({len(self.servers)} out of rotation after "
                             f"{self.options.failures_to_open} failures in a row each): {down}")

    def _release(self, server: _Server) -> None:
        with self._cond:
            server.in_flight -= 1
            self._cond.notify_all()

    def _succeeded(self, server: _Server) -> None:
        with self._cond:
            if server.failures >= self.options.failures_to_open:
                log.warning("server %s answers again; back in rotation", server.url)
            server.in_flight -= 1
            server.failures, server.retry_at, server.served = 0, 0.0, server.served + 1
            self._refused.clear()
            self._auth = 0
            self._cond.notify_all()

    def _failed(self, server: _Server, exc: HTTPEngineError, sent: float, text: str) -> None:
        with self._cond:
            server.in_flight -= 1
            self._cond.notify_all()
            if exc.fault == "auth":
                self._auth += 1
                if self._auth >= self.options.auth_to_stop:
                    raise RunStopped(f"stopping: {self._auth} requests in a row were refused as unauthorised: "
                                     f"{exc}") from None
                return
            if exc.fault == "rejected":
                if text not in self._refused:
                    self._refused.append(text)
                if len(self._refused) >= self.options.rejections_to_stop:
                    raise RunStopped(f"stopping: the server refused {len(self._refused)} different chunks in a "
                                     f"row: {exc}") from None
                return
            server.error = str(exc)
            log.info("server %s failed (%s); trying again elsewhere or later", server.url, server.error)
            if sent < server.failed_at:  # sent before the last failure was seen: the same outage
                return
            server.failures += 1
            server.failed_at = time.monotonic()
            rest = min(self.options.backoff_cap, self.options.backoff * 2 ** (server.failures - 1))
            server.retry_at = server.failed_at + rest
            if server.failures == self.options.failures_to_open and len(self.servers) > 1:
                log.warning("server %s out of rotation after %d failures in a row: %s", server.url,
                            server.failures, server.error)

    def close(self) -> None:
        """Release every member's connections."""
        for s in self.servers:
            close = getattr(s.engine, "close", None)
            if close:
                close()


def _is_http(name: str) -> bool:
    cls = engines.option_class(name)
    return cls is not None and "base_url" in {f.name for f in fields(cls)}


def build_engine(config: EngineConfig, *, validating: bool = False, pool: PoolOptions | None = None):
    """The engine a config names: in-process, or a ServerPool over its servers (one or many).

    validating: the pipeline checks every take itself, so a server that can validate (Scenema's
    `validate`) is told not to, unless the config says otherwise."""
    name = config.name or "kokoro"
    options = dict(config.options)
    cls = engines.option_class(name)
    if validating and cls is not None and "validate" in {f.name for f in fields(cls)}:
        options.setdefault("validate", False)
    if not _is_http(name):
        if config.servers:
            raise InputError(f"the {name} engine runs in-process; --server and servers: are for "
                             "HTTP engines (scenema, openai)")
        return engines.create(name, **options)
    config = config.with_default_in_flight()
    if pool is None:
        pool = make_options(PoolOptions, "server pool", None, config.pool)
    base_url = options.pop("base_url", "")  # servers, when given, win over a base_url option
    servers = config.servers or (Server(base_url, config.max_in_flight or 1),)
    members = []
    for server in servers:
        engine = engines.create(name, **options, base_url=server.url)
        members.append((engine, engine.base_url, server.max_in_flight))
    return ServerPool(members, pool)


def preflight(engine, chunks) -> None:
    """Check each distinct reference clip once before any request (InputError names the fix)."""
    check = getattr(engine, "check_reference", None)
    if check is None:
        return
    seen = set()
    for chunk in chunks:
        if chunk.ref_audio and (chunk.ref_audio, chunk.ref_text) not in seen:
            seen.add((chunk.ref_audio, chunk.ref_text))
            check(chunk.ref_audio, chunk.ref_text)
