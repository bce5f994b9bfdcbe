"""Engine settings written once: a config file (`--config engine.yaml`) or `engine:` in a cast's settings.

```yaml
engine: scenema                 # which engine (the command line's --engine wins)
servers:                        # one or more servers; each may set its own max_in_flight
  - http://gpu1:8000
  - {url: http://gpu2:8000, max_in_flight: 2}
max_in_flight: 1                # concurrent requests per server, when a server does not say
pool: {backoff: 1, failures_to_open: 3}   # how failing servers are treated (synth.dispatch.PoolOptions)
options:                        # engine options, typed (timeout: 300, validate: false)
  model: scenema-audio-int8
  api_key: ${SCENEMA_TOKEN}     # ${VAR} is read from the environment and treated as a secret
```
The whole mapping may also sit under a top-level `engine:` key (the cast settings form).
Later sources win: cast settings, then the config file, then the command line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..errors import InputError, did_you_mean
from .secrets import remember, remember_options, safe_url

_KEYS = {"engine", "name", "servers", "max_in_flight", "options", "pool"}
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MAX_IN_FLIGHT = 1  # concurrent requests per server unless told otherwise


@dataclass(frozen=True)
class Server:
    """One server of a farm."""

    url: str  # the server's root URL
    max_in_flight: int = MAX_IN_FLIGHT  # requests sent to it at once


@dataclass(frozen=True)
class EngineConfig:
    """Which engine, with which options, on which servers."""

    name: str | None = None  # registry name; None = not said here
    options: dict = field(default_factory=dict)  # engine options (typed, or strings from the CLI)
    servers: tuple[Server, ...] = ()  # () = the engine's own base_url / environment / default
    max_in_flight: int | None = None  # default per-server limit; None = not said here
    pool: dict = field(default_factory=dict)  # PoolOptions fields (backoff, failures_to_open, ...)

    def merged(self, later: EngineConfig) -> EngineConfig:
        """This config overridden by a later source."""
        return EngineConfig(name=later.name or self.name, options={**self.options, **later.options},
                            servers=later.servers or self.servers,
                            max_in_flight=later.max_in_flight or self.max_in_flight,
                            pool={**self.pool, **later.pool})

    def with_default_in_flight(self) -> EngineConfig:
        """Servers that did not set a limit take the config's max_in_flight."""
        limit = self.max_in_flight or MAX_IN_FLIGHT
        return replace(self, servers=tuple(replace(s, max_in_flight=s.max_in_flight or limit)
                                           for s in self.servers))


def _expand(value, where: str):
    """${VAR} replaced by the environment's value (remembered as a secret); InputError when unset."""
    if isinstance(value, str):
        def sub(m):
            name = m.group(1)
            if name not in os.environ:
                raise InputError(f"{where}: environment variable {name} is not set; export it or "
                                 "write the value in the file")
            remember(os.environ[name])
            return os.environ[name]
        return _ENV.sub(sub, value)
    if isinstance(value, list):
        return [_expand(v, where) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, where) for k, v in value.items()}
    return value


def _limit(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{where}: max_in_flight must be a whole number of at least 1, not {value!r}")
    return value


def parse_config(data, where: str) -> EngineConfig:
    """An EngineConfig from a parsed mapping; InputError names where and what to fix."""
    if data is None:
        return EngineConfig()
    if isinstance(data, dict) and isinstance(data.get("engine"), dict) and len(data) == 1:
        data = data["engine"]
    if isinstance(data, str):
        return EngineConfig(name=data)
    if not isinstance(data, dict):
        raise InputError(f"{where}: engine settings must be a mapping with engine, servers, options")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(f"{where}: unknown key {', '.join(unknown)}{did_you_mean(unknown[0], _KEYS)}; valid keys: {', '.join(sorted(_KEYS))}")
    data = _expand(data, where)
    name = data.get("engine") or data.get("name")
    if name is not None and not isinstance(name, str):
        raise InputError(f"{where}: engine must be an engine name like scenema")
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise InputError(f"{where}: options must be a mapping of engine options")
    remember_options(options)
    raw = data.get("servers") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(f"{where}: servers must be a list of URLs")
    servers = []
    for item in raw:
        if isinstance(item, str):
            servers.append(Server(item.strip(), 0))
        elif isinstance(item, dict) and isinstance(item.get("url"), str) and set(item) <= {"url", "max_in_flight"}:
            servers.append(Server(item["url"].strip(), _limit(item.get("max_in_flight", 1), where)
                                  if "max_in_flight" in item else 0))
        else:
            raise InputError(f"{where}: each server is a URL or {{url: ..., max_in_flight: N}}, "
                             f"not {safe_url(str(item))!r}")
    limit = data.get("max_in_flight")
    pool = data.get("pool") or {}
    if not isinstance(pool, dict):
        raise InputError(f"{where}: pool must be a mapping like {{backoff: 1, failures_to_open: 3}}")
    return EngineConfig(name=name, options=dict(options), servers=tuple(servers),
                        max_in_flight=_limit(limit, where) if limit is not None else None, pool=dict(pool))


def load_config(path: str | Path) -> EngineConfig:
    """Read an engine config file; InputError with the file (and line) on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"engine config not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read engine config {path}: {exc.strerror if isinstance(exc, OSError) else exc}") \
            from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"{loc}: invalid YAML ({getattr(exc, 'problem', None) or 'syntax'}); fix it and run again") \
            from None
    return parse_config(data, str(path))


def command_line(name: str | None, pairs: dict, servers: tuple[str, ...], in_flight: int | None) -> EngineConfig:
    """The command line's engine settings as a config (strings are typed later by the engine)."""
    remember_options(pairs)
    return EngineConfig(name=name, options=dict(pairs), servers=tuple(Server(u.strip(), 0) for u in servers),
                        max_in_flight=_limit(in_flight, "--in-flight") if in_flight is not None else None)
