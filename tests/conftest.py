"""Shared fixtures: where the dev data is, a tiny manuscript, a private cache per test, and models
kept loaded across the in-process renders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from render import memory

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def shared(*parts: str) -> Path:
    """A path in ../shared/data; the calling test is skipped when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"development data not present: {path}")
    return path


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch):
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    if "RENDER_CACHE" in os.environ:
        monkeypatch.delenv("RENDER_CACHE")


@pytest.fixture(autouse=True, scope="session")
def _models_stay_loaded():
    """The in-process renders keep Kokoro, G2P and Whisper loaded from one book to the next instead
    of loading them again for each (3-4 s a book); render processes the tests start keep the
    default (let go after each book), and a test about letting go asks for `models_released`."""
    memory.keep_models(True)
    yield
    memory.keep_models(False)


@pytest.fixture
def models_released():
    """The product default for this test: the pipeline lets go of its models after each book."""
    memory.keep_models(False)
    yield
    memory.keep_models(True)
