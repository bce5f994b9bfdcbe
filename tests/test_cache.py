import json
import os

import numpy as np
import pytest

from render.engines.base import Audio
from render.synth.cache import Cache, CacheError

KEY = "ab" + "0" * 62


def tone(seconds=0.5, rate=24000):
    t = np.arange(int(seconds * rate)) / rate
    return Audio((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), rate)


def test_put_then_load(tmp_path):
    c = Cache(tmp_path)
    side = c.put(KEY, tone(), {"text": "hi"})
    assert c.object_path(KEY).parent.name == "ab"
    assert c.has(KEY) and side["seconds"] == pytest.approx(0.5)
    audio = c.load(KEY)
    assert audio.sample_rate == 24000 and len(audio.samples) == 12000
    assert not list(c.object_path(KEY).parent.glob("*.part"))


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "no-sidecar", "no-wav", "bad-json"])
def test_damaged_objects_are_detected_and_removed(tmp_path, damage):
    c = Cache(tmp_path)
    c.put(KEY, tone(), {})
    wav, side = c.object_path(KEY), c.sidecar_path(KEY)
    data = wav.read_bytes()
    if damage == "truncate":
        wav.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        wav.write_bytes(data[:-10] + bytes(10))
    elif damage == "header":
        wav.write_bytes(b"JUNK" + data[4:])
        meta = json.loads(side.read_text())  # even with a matching hash, a non-WAV is refused
        import hashlib
        meta["sha256"] = hashlib.sha256(wav.read_bytes()).hexdigest()
        side.write_text(json.dumps(meta))
    elif damage == "no-sidecar":
        side.unlink()
    elif damage == "no-wav":
        wav.unlink()
    elif damage == "bad-json":
        side.write_text("{")
    assert not c.has(KEY)
    with pytest.raises(KeyError):
        c.load(KEY)


def test_lock_excludes_live_holders_and_recovers_stale(tmp_path):
    c = Cache(tmp_path)
    c.check_writable()
    assert c.acquire(KEY)
    assert not c.acquire(KEY)  # our own pid is alive: the lock is held
    c.release(KEY)
    lock = tmp_path / "locks" / f"{KEY}.lock"
    assert not lock.exists()
    import socket
    lock.write_text(f"{socket.gethostname()} 999999")  # a pid that does not exist
    assert c.acquire(KEY)


def test_unwritable_cache_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CacheError, match="cannot write"):
        Cache(blocker / "cache").check_writable()


def test_a_checked_object_replaced_behind_our_back_is_checked_again(tmp_path):
    c = Cache(tmp_path)
    c.put(KEY, tone(), {})
    assert c.has(KEY)  # hashed and remembered
    wav = c.object_path(KEY)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(wav.read_bytes()[:-10] + bytes(10))  # same size, other bytes, a new file
    os.replace(bad, wav)  # as another process would
    assert not c.has(KEY)
