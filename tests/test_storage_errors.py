"""Disk full and read-only folders: a clear error, and a cache that stays consistent."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from render.synth.cache import Cache, CacheError
from render.synth.runner import Renderer
from tests.test_runner import FAST, CountingKokoro, kokoro_chunk


@pytest.fixture
def tiny_fs(tmp_path):
    """A real 192 KiB tmpfs (needs root and mount; skipped elsewhere)."""
    mnt = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.slow
def test_disk_full_is_a_clear_error_and_leaves_no_partial_object(tiny_fs):
    cache = Cache(tiny_fs / "cache")
    chunks = [kokoro_chunk(i, f"This is chunk number {i} of the test.") for i in range(4)]  # ~100 KB each
    with pytest.raises(CacheError, match="disk full") as info:
        Renderer(CountingKokoro(), cache, FAST).run(chunks)
    assert "run the same command again" in str(info.value)
    stored = [c for c in chunks if cache.has(c.key)]
    assert 0 < len(stored) < len(chunks)
    leftovers = [p.name for p in (tiny_fs / "cache").rglob("*") if p.is_file()
                 and (p.suffix in (".part",) or p.name.endswith(".json") and not p.with_suffix(".wav").exists())]
    assert leftovers == []


def test_read_only_cache_is_a_clear_error(tmp_path):
    mnt = tmp_path / "ro"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here")
    try:
        with pytest.raises(CacheError, match="writable folder"):
            Renderer(CountingKokoro(), Cache(mnt / "cache"), FAST).run([kokoro_chunk(0, "hello")])
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
