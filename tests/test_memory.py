"""The command line caps glibc's malloc arenas (less resident memory when synthesis and Whisper
run side by side), unless the user set MALLOC_ARENA_MAX."""

from __future__ import annotations

import sys

import pytest

from render.memory import tune_malloc


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_arenas_are_capped_unless_the_environment_says(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert tune_malloc() is True
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert tune_malloc() is False
