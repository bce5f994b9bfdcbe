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
    assert not c.acquire(KEY)  # held by this very process
    assert not Cache(tmp_path).acquire(KEY)  # another holder (its own descriptor) is refused too
    c.release(KEY)
    lock = tmp_path / "locks" / f"{KEY}.lock"
    assert not lock.exists()
    lock.write_text("somehost 999999")  # a file left by a holder that died: no kernel lock on it
    assert c.acquire(KEY)
    c.release(KEY)


def test_a_killed_holders_lock_is_free_at_once(tmp_path):
    import subprocess
    import sys
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from render.synth.cache import Cache; "
         f"c = Cache(sys.argv[1]); assert c.acquire('{KEY}'); print('held', flush=True); time.sleep(60)",
         str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        c = Cache(tmp_path)
        assert not c.acquire(KEY)  # alive: held
        holder.kill()
        holder.wait()
        assert c.acquire(KEY)  # SIGKILLed: the kernel dropped its lock
    finally:
        holder.kill()


def test_release_never_touches_a_lock_held_elsewhere(tmp_path):
    a, b = Cache(tmp_path), Cache(tmp_path)
    assert a.acquire(KEY)
    b.release(KEY)  # b never held it
    assert (tmp_path / "locks" / f"{KEY}.lock").exists()
    assert not b.acquire(KEY)
    a.release(KEY)
    assert b.acquire(KEY)


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
