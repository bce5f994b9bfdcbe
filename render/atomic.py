"""Writing files so that a reader sees the old file or the whole new one, never half of one."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes 0600 files; finished files get the mode any other new file would (0644 usually)
_MODE = 0o666 & ~_umask()


def host_tag() -> str:
    """This machine's name as it appears in temporary file names (letters, digits, _)."""
    return socket.gethostname().replace(".", "_").replace("-", "_")


def temp_owner() -> str:
    """host-pid, put in temporary file names so a later run can tell whose leftovers they are."""
    return f"{host_tag()}-{os.getpid()}"


def atomic_write(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Call write() on a temp file beside path, flush and fsync it, then os.replace it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{temp_owner()}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Replace path's content with data, atomically."""
    atomic_write(path, lambda f: f.write(data))


def atomic_write_text(path: str | Path, text: str) -> None:
    """Replace path's content with UTF-8 text, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
