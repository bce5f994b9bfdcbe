"""Cast files: who the narrator and characters are, and how each should sound.

```yaml
narrator: {voice: bm_george, gender: male, description: "Male, 50s. Warm, unhurried."}
characters:
  - name: Elizabeth Bennet
    aliases: [Lizzy, Eliza, Miss Bennet]
    gender: female
    voice: af_heart            # a Kokoro name or a blend "0.6*bf_emma+0.4*af_bella"
    description: "Female, early 20s. Quick, amused."
    ref_audio: voices/liz.wav  # optional, for cloning engines (relative to the cast file)
    ref_text: "The words spoken in liz.wav."
    min_match_ratio: 0.85      # optional ASR threshold for this character
    engine_options: {pace: 1.8, skip_vc: true}  # optional per-speaker request options (Scenema, OpenAI)
settings: {min_match_ratio: 0.9, speed: 1.0, engine: {engine: scenema, servers: [...], options: {...}}}
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import InputError
from .model import NARRATOR

GENDERS = ("male", "female", "neutral")
_CHAR_KEYS = {"name", "aliases", "gender", "voice", "description", "ref_audio", "ref_text",
              "min_match_ratio", "speed", "engine_options"}


@dataclass
class CastMember:
    """One voice in the cast: the narrator or a character."""

    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str = "neutral"
    voice: str | None = None  # engine voice id; None = assign a default
    description: str = ""
    ref_audio: str | None = None
    ref_text: str | None = None
    min_match_ratio: float | None = None
    speed: float | None = None
    engine_options: dict = field(default_factory=dict)  # per-speaker request options (pace, skip_vc, ...)
    line: int | None = None  # line in the cast file, for error messages


@dataclass
class Cast:
    """The narrator plus characters; resolve() maps any alias to a member."""

    narrator: CastMember
    characters: list[CastMember] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    path: Path | None = None

    def __post_init__(self):
        self._index: dict[str, CastMember] = {}
        for member in self.characters:
            for alias in [member.name, *member.aliases]:
                self._index.setdefault(normalize_name(alias), member)

    def resolve(self, name: str | None) -> CastMember | None:
        """The member whose name or alias matches (case/whitespace-insensitive), else None."""
        if not name:
            return None
        if normalize_name(name) == NARRATOR:
            return self.narrator
        return self._index.get(normalize_name(name))

    def members(self) -> list[CastMember]:
        """Narrator first, then characters in file order."""
        return [self.narrator, *self.characters]


@lru_cache(maxsize=65536)  # called for every mention attribution looks up
def normalize_name(name: str) -> str:
    """Canonical lookup form of a name: casefolded, single-spaced, no trailing periods."""
    return re.sub(r"\s+", " ", name.replace(".", " ").strip()).casefold().strip()


def empty_cast() -> Cast:
    """A cast with only a default narrator."""
    return Cast(narrator=CastMember(name=NARRATOR))


def load_cast(path: str | Path) -> Cast:
    """Read and check a cast file; InputError names the file, line and fix on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"cast file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read cast file {path}: {exc}") from None
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{loc}: invalid YAML ({problem}); fix the syntax and run again") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: a cast file must be a mapping with 'narrator' and 'characters'")
    lines = _member_lines(root)
    unknown = set(data) - {"narrator", "characters", "settings", "title", "lexicon"}
    if unknown:
        raise InputError(f"{path}: unknown top-level key(s) {sorted(unknown)}; "
                         "expected narrator, characters, settings, lexicon")
    narrator = _member(path, data.get("narrator") or {}, NARRATOR, lines.get(-1))
    narrator.name = NARRATOR
    chars_raw = data.get("characters") or []
    if not isinstance(chars_raw, list):
        raise InputError(f"{path}: 'characters' must be a list of entries with a 'name'")
    characters = [_member(path, raw, None, lines.get(i)) for i, raw in enumerate(chars_raw)]
    seen: dict[str, CastMember] = {}
    for member in characters:
        for alias in [member.name, *member.aliases]:
            key = normalize_name(alias)
            other = seen.get(key)
            if other is not None and other is not member:
                raise InputError(f"{path}:{member.line or '?'}: name/alias {alias!r} is used by both "
                                 f"{other.name!r} and {member.name!r}; keep it on one character")
            seen[key] = member
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise InputError(f"{path}: 'settings' must be a mapping")
    return Cast(narrator=narrator, characters=characters, settings=settings, path=path)


def _member_lines(root) -> dict[int, int]:
    """Line numbers (1-based) of each character entry (-1 = narrator) in the YAML tree."""
    out: dict[int, int] = {}
    if root is None or not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if key.value == "narrator":
            out[-1] = value.start_mark.line + 1
        if key.value == "characters" and isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                out[i] = item.start_mark.line + 1
    return out


def _member(path: Path, raw, default_name, line) -> CastMember:
    loc = f"{path}:{line}" if line else str(path)
    if isinstance(raw, str) and default_name:  # "narrator: bm_george"
        raw = {"voice": raw}
    if not isinstance(raw, dict):
        raise InputError(f"{loc}: each cast entry must be a mapping like {{name: Alice, voice: af_bella}}")
    unknown = set(raw) - _CHAR_KEYS
    if unknown:
        raise InputError(f"{loc}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_CHAR_KEYS)}")
    name = raw.get("name", default_name)
    if not name or not isinstance(name, str):
        raise InputError(f"{loc}: a character needs a 'name'")
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InputError(f"{loc}: 'aliases' of {name!r} must be a list of names")
    gender = str(raw.get("gender", "neutral")).lower()
    if gender in ("m", "man"):
        gender = "male"
    if gender in ("f", "woman"):
        gender = "female"
    if gender not in GENDERS:
        raise InputError(f"{loc}: gender of {name!r} is {raw.get('gender')!r}; use male, female or neutral")
    ratio = raw.get("min_match_ratio")
    if ratio is not None and not (isinstance(ratio, (int, float)) and 0 <= ratio <= 1):
        raise InputError(f"{loc}: min_match_ratio of {name!r} must be a number between 0 and 1")
    speed = raw.get("speed")
    if speed is not None and not (isinstance(speed, (int, float)) and 0.5 <= speed <= 2.0):
        raise InputError(f"{loc}: speed of {name!r} must be between 0.5 and 2.0")
    ref_audio = raw.get("ref_audio")
    if ref_audio and "://" not in str(ref_audio):  # URLs (for servers that fetch them) pass through
        ref_audio = str((path.parent / ref_audio)) if not Path(ref_audio).is_absolute() else ref_audio
    voice = raw.get("voice")
    engine_options = raw.get("engine_options") or {}
    if not isinstance(engine_options, dict):
        raise InputError(f"{loc}: engine_options of {name!r} must be a mapping like {{pace: 1.8}}")
    return CastMember(
        name=name.strip(),
        aliases=[a.strip() for a in aliases],
        gender=gender,
        voice=str(voice).strip() if voice is not None else None,
        description=str(raw.get("description") or ""),
        ref_audio=ref_audio,
        ref_text=raw.get("ref_text"),
        min_match_ratio=ratio,
        speed=speed,
        engine_options=engine_options,
        line=line,
    )
