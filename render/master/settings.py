"""How a chapter is mastered: pauses by context, spoken titles, room tone, ACX levels.

Every field can be set in the cast file's `settings:` mapping, e.g.

    settings:
      speak_titles: false
      pauses: {paragraph: 0.9, scene: 2.0}
      tail_seconds: 3
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from ..errors import InputError, did_you_mean


@dataclass(frozen=True)
class Pauses:
    """Seconds of room tone before a chunk, by what changes at it."""

    sentence: float = 0.25  # next sentence of the same speaker (or a long sentence cut in two)
    speaker: float = 0.4  # another speaker in the same paragraph
    paragraph: float = 0.75  # a new paragraph
    scene: float = 2.0  # a scene break (*** or ---) before the new paragraph
    heading: float = 1.8  # after the spoken chapter title or a section heading


@dataclass(frozen=True)
class MasterSettings:
    """Everything that shapes a chapter's finished audio besides its chunks."""

    pauses: Pauses = Pauses()  # pause lengths by context
    speak_titles: bool = True  # the narrator reads each chapter's title at its start
    head_seconds: float = 0.75  # room tone before the first word (ACX: 0.5-1 s)
    tail_seconds: float = 2.0  # room tone after the last word (ACX: 1-5 s)
    room_tone_db: float = -70.0  # RMS of the room tone laid under the whole chapter (ACX floor: <= -60)
    rms_target_db: float = -20.0  # chapter RMS (ACX: -23 to -18 dBFS)
    ceiling_db: float = -4.0  # true-peak limiter ceiling (ACX: peaks <= -3 dBFS; MP3 encoding adds up to ~0.5 dB)

    def to_json(self) -> dict:
        """A plain mapping, as stored in book.json."""
        return asdict(self)


_RANGES = {  # field: (low, high) accepted from a cast file
    "head_seconds": (0.5, 1.0), "tail_seconds": (1.0, 5.0), "room_tone_db": (-90.0, -60.0),
    "rms_target_db": (-23.0, -18.0), "ceiling_db": (-12.0, -3.0),
}


def _number(value, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InputError(f"{where} must be a number from {low:g} to {high:g}, not {value!r}")
    return float(value)


def master_settings(settings: dict | None, where: str = "cast settings") -> MasterSettings:
    """MasterSettings from a cast file's settings mapping (other keys are ignored); InputError names a bad value."""
    settings = settings or {}
    out = MasterSettings()
    pauses = settings.get("pauses")
    if pauses is not None:
        if not isinstance(pauses, dict):
            raise InputError(f"{where}: 'pauses' must be a mapping like {{paragraph: 0.8}}")
        known = {f.name for f in fields(Pauses)}
        unknown = set(pauses) - known
        if unknown:
            raise InputError(f"{where}: unknown pause {sorted(unknown)[0]!r}{did_you_mean(sorted(unknown)[0], known)}; choose from {', '.join(sorted(known))}")
        out = replace(out, pauses=Pauses(**{k: _number(v, f"{where}: pauses.{k}", 0.0, 10.0)
                                            for k, v in pauses.items()}))
    if "speak_titles" in settings:
        if not isinstance(settings["speak_titles"], bool):
            raise InputError(f"{where}: 'speak_titles' must be true or false")
        out = replace(out, speak_titles=settings["speak_titles"])
    for name, (low, high) in _RANGES.items():
        if name in settings:
            out = replace(out, **{name: _number(settings[name], f"{where}: {name}", low, high)})
    return out


def from_json(data: dict | None) -> MasterSettings:
    """MasterSettings back from book.json (defaults for a book planned before they existed)."""
    if not data:
        return MasterSettings()
    data = dict(data)
    pauses = Pauses(**data.pop("pauses", {}))
    names = {f.name for f in fields(MasterSettings)}
    return MasterSettings(pauses=pauses, **{k: v for k, v in data.items() if k in names})
