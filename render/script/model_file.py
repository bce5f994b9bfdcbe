"""The fitted models render ships as JSON in render/data (the arbiter, the tag ranker): each file
read once per process; a missing or unreadable file is no model (no weights), so the rules alone
decide."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4)
def read_model(path: str) -> dict:
    """The model at path, or an empty one marked missing."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"weights": {}, "missing": True}
