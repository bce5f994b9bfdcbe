"""Choosing a voice for every speaker: the cast's choice, else a distinct default."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..errors import InputError
from ..script.cast import Cast, CastMember
from ..script.model import NARRATOR, Script


@dataclass(frozen=True)
class VoiceChoice:
    """How one speaker sounds on one engine."""

    speaker: str
    voice: str  # engine voice id
    gender: str
    description: str  # for the <speak voice="…"> attribute
    speed: float = 1.0
    min_match_ratio: float | None = None
    ref_audio: str | None = None
    ref_text: str | None = None
    from_cast: bool = False
    extra: tuple = ()  # (name, JSON value) request options from the cast entry's engine_options


def request_extra(member: CastMember | None, engine, where: str) -> tuple:
    """A cast entry's engine_options as SynthRequest.extra; InputError for one the engine lacks."""
    options = (member.engine_options if member else None) or {}
    allowed = getattr(engine, "request_options", None)
    unknown = sorted(set(options) - set(allowed)) if allowed is not None else []
    if unknown:
        line = f":{member.line}" if member.line else ""
        raise InputError(f"{where}{line}: engine_options of {member.name!r}: {engine.name} has no per-speaker "
                         f"option {', '.join(unknown)}; valid: {', '.join(allowed) or '(none)'}")
    return tuple((k, json.dumps(v)) for k, v in sorted(options.items()))


def _describe(member: CastMember | None, gender: str, speaker: str) -> str:
    if member and member.description:
        return member.description
    if speaker == NARRATOR:
        return "Narrator. Clear, warm, even storytelling voice."
    return {"male": "Male voice. Natural, conversational.",
            "female": "Female voice. Natural, conversational."}.get(gender, "Natural, conversational voice.")


def assign_voices(script: Script, cast: Cast, engine) -> dict[str, VoiceChoice]:
    """Map every speaker in the script to a VoiceChoice; cast voices are checked against the engine."""
    speakers = [NARRATOR]
    for chapter in script.chapters:
        for line in chapter.lines:
            if line.speaker not in speakers:
                speakers.append(line.speaker)
    where = f"{cast.path}" if cast.path else "the cast"
    used: set[str] = set()
    choices: dict[str, VoiceChoice] = {}
    # cast voices first, so defaults never collide with them
    for speaker in speakers:
        member = cast.resolve(speaker)
        if member and member.voice:
            try:
                engine.check_voice(member.voice)
            except InputError as exc:
                line = f":{member.line}" if member.line else ""
                raise InputError(f"{where}{line}: voice of {member.name!r}: {exc}") from None
            used.add(member.voice)
    for member in cast.members():  # check voices of cast entries that never speak, too
        if member.voice and member.voice not in used:
            try:
                engine.check_voice(member.voice)
            except InputError as exc:
                line = f":{member.line}" if member.line else ""
                raise InputError(f"{where}{line}: voice of {member.name!r}: {exc}") from None
    for speaker in speakers:
        member = cast.resolve(speaker)
        gender = (member.gender if member and member.gender != "neutral"
                  else script.characters.get(speaker, "neutral"))
        if member and member.voice:
            voice, from_cast = member.voice, True
        else:
            pool = engine.default_voices("male" if speaker == NARRATOR and gender == "neutral" else gender)
            free = [v for v in pool if v not in used] or pool or [""]
            voice, from_cast = free[0], False
            used.add(voice)
        choices[speaker] = VoiceChoice(
            speaker=speaker, voice=voice, gender=gender,
            # an engine whose voices are descriptions (Scenema) hears the chosen one in the prompt
            description=(member.description if member and member.description else voice
                         if getattr(engine, "voices_are_descriptions", False) and voice
                         else _describe(member, gender, speaker)),
            speed=(member.speed if member and member.speed else float(cast.settings.get("speed", 1.0))),
            min_match_ratio=member.min_match_ratio if member else None,
            ref_audio=member.ref_audio if member else None,
            ref_text=member.ref_text if member else None,
            from_cast=from_cast,
            extra=request_extra(member, engine, where),
        )
    return choices
