"""The content-addressed store of synthesized chunks: objects/<2 hex>/<key>.wav + .json.

An object exists only when both files are present and the sidecar's SHA-256 and size
match the WAV's bytes; anything else (a kill mid-write, a truncated or edited file) is
treated as missing and re-rendered. Files are written to a temporary name, flushed,
fsynced and os.replace()d, so a half-written object is never visible.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import json
import logging
import os
import re
import socket
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from ..atomic import atomic_write_bytes, host_tag
from ..engines.base import Audio
from ..errors import RenderError
from .pause import PauseHook

log = logging.getLogger(__name__)


class CacheError(RenderError):
    """The cache folder cannot be written (disk full, read-only, permissions)."""


def default_cache_dir() -> Path:
    """$RENDER_CACHE, else ./cache."""
    return Path(os.environ.get("RENDER_CACHE") or "cache")


def encode_wav(audio: Audio) -> bytes:
    """16-bit PCM mono WAV bytes for the audio."""
    buf = io.BytesIO()
    samples = np.clip(np.nan_to_num(audio.samples.astype(np.float32)), -1.0, 1.0)
    sf.write(buf, samples, audio.sample_rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def _storage_error(path: Path, exc: OSError) -> CacheError:
    if exc.errno == errno.ENOSPC:
        return CacheError(f"disk full while writing {path}; free some space and run the same command again "
                          "(finished chunks are kept)")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return CacheError(f"cannot write {path} ({exc.strerror}); choose a writable folder with --cache/--out")
    return CacheError(f"cannot write {path}: {exc}")


STALE_TEMP_SECONDS = 3600.0  # a temp file of unknown owner this old is a leftover
_OWNED = re.compile(r"(?:^tmp-|^\..*?\.)([A-Za-z0-9_]+)-(\d+)[.-]")


def sweep_temp_files(root: Path) -> int:
    """Remove temp files that writers killed mid-write left behind; returns how many.

    A temp file names its host and process (atomic.temp_owner): it is removed when that process
    on this host is gone. One without an owner (older runs) is removed once it is an hour old."""
    host = host_tag()
    removed = 0
    candidates = [*root.glob("tmp*.wav"), *root.glob("objects/*/.*.part"), *root.glob("groups/*/.*.part")]
    for path in candidates:
        m = _OWNED.match(path.name)
        try:
            if m and m.group(1) == host:
                if _alive(int(m.group(2))):
                    continue
            elif time.time() - path.stat().st_mtime < STALE_TEMP_SECONDS:
                continue
            path.unlink()
            removed += 1
        except OSError:
            continue
    if removed:
        log.info("removed %d temporary file(s) left by interrupted runs", removed)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Cache:
    """A folder of content-addressed chunk audio, shared by every book."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._verified: dict[str, tuple[tuple, dict]] = {}  # key -> (stat stamp, sidecar)
        self._held: dict[str, int] = {}  # key -> descriptor holding that chunk's lock
        self._pause = PauseHook()  # test hook: RENDER_PAUSE_AFTER (see pause.py); off by default

    def object_path(self, key: str) -> Path:
        return self.root / "objects" / key[:2] / f"{key}.wav"

    def sidecar_path(self, key: str) -> Path:
        return self.root / "objects" / key[:2] / f"{key}.json"

    def meta(self, key: str) -> dict | None:
        """The sidecar of a valid object, else None (invalid objects are removed).

        An object is hashed once per process; later calls only compare the two files' stat
        (size, mtime, inode), so another process replacing either file is still noticed."""
        stamp = self._stamp(key)
        if stamp is None:
            return None
        known = self._verified.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        meta = self._verify(key)
        if meta is not None:
            self._verified[key] = (stamp, meta)
        return meta

    def _stamp(self, key: str) -> tuple | None:
        try:
            a, b = self.object_path(key).stat(), self.sidecar_path(key).stat()
        except OSError:
            return None
        return (a.st_size, a.st_mtime_ns, a.st_ino, b.st_size, b.st_mtime_ns, b.st_ino)

    def _verify(self, key: str) -> dict | None:
        """Read and check an object: its sidecar, or None after removing a broken one."""
        try:
            meta = json.loads(self.sidecar_path(key).read_text(encoding="utf-8"))
            data = self.object_path(key).read_bytes()
        except (OSError, ValueError):
            self._discard(key, "unreadable")
            return None
        if len(data) != meta.get("bytes") or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            self._discard(key, "size or hash mismatch")
            return None
        try:
            info = sf.info(io.BytesIO(data))
            if info.frames <= 0 or info.channels != 1:
                raise ValueError("empty or not mono")
        except (RuntimeError, ValueError, sf.LibsndfileError):
            self._discard(key, "bad WAV")
            return None
        return meta

    def has(self, key: str) -> bool:
        return self.meta(key) is not None

    def load(self, key: str) -> Audio:
        """The audio of a valid object; KeyError when there is none."""
        if self.meta(key) is None:
            raise KeyError(key)
        samples, rate = sf.read(self.object_path(key), dtype="float32")
        return Audio(samples=samples, sample_rate=rate)

    def update_meta(self, key: str, meta: dict) -> dict:
        """Replace a valid object's sidecar fields (validation results), keeping its audio facts."""
        current = self.meta(key)
        if current is None:
            raise KeyError(key)
        keep = {k: current[k] for k in ("key", "bytes", "sha256", "seconds", "sample_rate", "stored")}
        side = dict(meta, **keep)
        try:
            atomic_write_bytes(self.sidecar_path(key), json.dumps(side, ensure_ascii=False, indent=1).encode())
        except OSError as exc:
            raise _storage_error(self.sidecar_path(key), exc) from None
        self._pause.wrote()
        return side

    def put(self, key: str, audio: Audio, meta: dict, retake: bool = False) -> dict:
        """Store audio under key with its sidecar; returns the sidecar.

        retake: this replaces audio already stored under key (a validation fallback), which the
        synthesis log marks so that resume audits count only first syntheses."""
        data = encode_wav(audio)
        side = dict(meta, key=key, bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                    seconds=round(audio.seconds, 3), sample_rate=audio.sample_rate, stored=time.time())
        return self._write_object(key, data, side, retake)

    def adopt(self, key: str, data: bytes, side: dict) -> dict:
        """Store an object made elsewhere (a cluster worker) exactly as it was made: its WAV
        bytes and sidecar, checked against each other; logged like a synthesis here."""
        if side.get("key") != key or side.get("bytes") != len(data) \
                or side.get("sha256") != hashlib.sha256(data).hexdigest():
            raise CacheError(f"object {key[:12]} arrived damaged (size or hash mismatch); run again")
        return self._write_object(key, data, side, retake=False)

    def _write_object(self, key: str, data: bytes, side: dict, retake: bool) -> dict:
        """Write sidecar then object (both or neither), log the synthesis, return the sidecar."""
        try:
            atomic_write_bytes(self.sidecar_path(key), json.dumps(side, ensure_ascii=False, indent=1).encode())
            atomic_write_bytes(self.object_path(key), data)
        except OSError as exc:
            for p in (self.sidecar_path(key), self.object_path(key)):
                try:  # leave no half an object behind: both files or neither
                    p.unlink()
                except OSError:
                    pass
            raise _storage_error(self.object_path(key), exc) from None
        try:
            self._log_synthesis(key, retake)
        except OSError:
            log.warning("could not append to %s", self.root / "synth.log")
        self._pause.wrote()
        return side

    # ------------------------------------------------------------ batch verdicts
    def _group_path(self, group: str) -> Path:
        return self.root / "groups" / group[:2] / f"{group}.json"

    def group_verdicts(self, group: str) -> dict:
        """The verdicts of one validation batch, by chunk key ({} when it was never checked)."""
        try:
            data = json.loads(self._group_path(group).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def put_group_verdicts(self, group: str, verdicts: dict) -> None:
        """Record a batch's verdicts before any chunk of it is settled, so a resumed run reuses them."""
        path = self._group_path(group)
        try:
            atomic_write_bytes(path, json.dumps(verdicts, ensure_ascii=False, indent=1).encode())
        except OSError as exc:
            raise _storage_error(path, exc) from None
        self._pause.wrote()

    def _log_synthesis(self, key: str, retake: bool = False) -> None:
        """Append one line per stored synthesis (audit trail: how often each key was made)."""
        with open(self.root / "synth.log", "a", encoding="utf-8") as f:
            f.write(f"{key} {os.getpid()} {time.time():.3f}{' retake' if retake else ''}\n")

    def _discard(self, key: str, why: str) -> None:
        log.warning("cache object %s is invalid (%s); it will be re-rendered", key[:12], why)
        self.remove(key)

    def remove(self, key: str) -> None:
        """Delete an object and its sidecar (e.g. to re-render it)."""
        self._verified.pop(key, None)
        for p in (self.object_path(key), self.sidecar_path(key)):
            try:
                p.unlink()
            except OSError:
                pass

    # ------------------------------------------------------------ locks
    def check_writable(self) -> None:
        """Raise CacheError now, not mid-book, when the cache folder cannot be written."""
        try:
            (self.root / "objects").mkdir(parents=True, exist_ok=True)
            (self.root / "locks").mkdir(parents=True, exist_ok=True)
            probe = self.root / f".probe-{os.getpid()}"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise _storage_error(self.root, exc) from None
        sweep_temp_files(self.root)

    def acquire(self, key: str) -> bool:
        """Take the per-chunk lock; False when another holder has it.

        The lock is a kernel lock (flock) on a file in locks/: the kernel drops it the moment its
        holder dies, however it dies, so there is no stale-lock guessing and no race in recovering
        one. The holder removes the file when it releases; a process that locked the file just
        before it was removed sees that its file is no longer the one at the path and tries again.
        """
        if key in self._held:
            return False
        path = self.root / "locks" / f"{key}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(5):
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                current = os.stat(path).st_ino
            except FileNotFoundError:
                current = None
            if current != os.fstat(fd).st_ino:  # released and removed while we were locking it
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{socket.gethostname()} {os.getpid()}\n".encode())  # for a human looking
            self._held[key] = fd
            return True
        return False

    def holds(self, key: str) -> bool:
        """Whether this process holds the chunk's lock."""
        return key in self._held

    def release(self, key: str) -> None:
        """Give back a lock this process holds (another process's lock is never touched)."""
        fd = self._held.pop(key, None)
        if fd is None:
            return
        try:
            (self.root / "locks" / f"{key}.lock").unlink()
        except FileNotFoundError:
            pass
        finally:
            os.close(fd)
