"""Given names: the sex an English given name is mostly given to (render/data/given_names.txt,
from the US Social Security Administration's public-domain baby-name counts)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .normalize import strip_title, title_gender

_DATA = Path(__file__).resolve().parent.parent / "data" / "given_names.txt"
_SEX = {"m": "male", "f": "female"}


@lru_cache(maxsize=1)
def _given() -> dict[str, str]:
    """Given name -> 'male' | 'female' (names used for both sexes are left out)."""
    out = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, sex = line.split()
            out[name] = _SEX[sex]
    return out


def given_name_gender(word: str) -> str | None:
    """'male'/'female' when word is a given name mostly given to one sex ('Robert', 'Edna')."""
    return _given().get(word[:1].upper() + word[1:].lower()) if word[:1].isupper() else None


def name_gender(name: str) -> str | None:
    """Gender a name itself tells: its title ('Mrs. Bennet'), else its first word as a given
    name ('Minnie Beebe'); None when neither tells."""
    by_title = title_gender(name)
    if by_title:
        return by_title
    title, bare = strip_title(name)
    words = bare.split()
    if not words or title is not None and len(words) == 1:
        return None  # 'Dr. Grant': a surname after a neutral title says nothing
    return given_name_gender(words[0])
