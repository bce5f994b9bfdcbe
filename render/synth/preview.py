"""Voice auditions: one short line per character, rendered before a long book is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..engines.base import SynthRequest
from ..script.model import HEADING, NARRATOR, Line, Script, ScriptChapter
from ..speak.build import PromptSpec, build_prompt

NEUTRAL = {  # said when the character has no line in the source (or none is given)
    NARRATOR: "The evening came down slowly over the harbour, and the lamps were lit one by one.",
    "female": "I had not expected to see you here, but I am glad that you came.",
    "male": "I had not expected to see you here, but I am glad that you came.",
    "neutral": "I had not expected to see you here, but I am glad that you came.",
}


@dataclass(frozen=True)
class Audition:
    """What one character was given and where its preview went."""

    character: str
    voice: str  # engine voice id, or blend
    gender: str
    description: str
    reference: str | None  # the cast's ref_audio (prepared clip for a cloning engine)
    line: str  # the words rendered
    from_source: bool  # the line is one the character speaks in the source
    file: str  # OUT/previews/<character>.wav
    seconds: float


def file_name(character: str) -> str:
    """A safe, readable file name for a character's preview."""
    slug = re.sub(r"[^\w.-]+", "-", character.strip(), flags=re.UNICODE).strip("-.")
    return (slug or "character") + ".wav"


def pick_line(lines: list[str], low: int = 6, high: int = 25) -> str | None:
    """The character's first line that is short but says something (low-high words), else None."""
    return next((t for t in lines if low <= len(t.split()) <= high), None)


def cast_script(cast) -> Script:
    """A script with no lines in which every cast member is a speaker (for assign_voices)."""
    lines = [Line(speaker=NARRATOR, text="")]
    lines += [Line(speaker=m.name, text="", kind="dialogue") for m in cast.characters]
    return Script(title="preview", language="en", chapters=[ScriptChapter(1, "preview", lines)],
                  characters={m.name: m.gender for m in cast.characters})


def spoken_lines(script: Script) -> dict[str, list[str]]:
    """Each speaker's lines in reading order."""
    out: dict[str, list[str]] = {}
    for chapter in script.chapters:
        for line in chapter.lines:
            if line.text.strip() and line.kind != HEADING:
                out.setdefault(line.speaker, []).append(" ".join(line.text.split()))
    return out


def audition(engine, voices: dict, lines: dict[str, list[str]], out: Path, write_wav) -> list[Audition]:
    """Render one line per speaker in voices to out/previews/<character>.wav."""
    results = []
    for speaker, choice in voices.items():
        mine = pick_line(lines.get(speaker, []))
        text = mine or NEUTRAL.get(speaker if speaker == NARRATOR else choice.gender, NEUTRAL["neutral"])
        xml = build_prompt(PromptSpec(voice=choice.description, gender=choice.gender, text=text))
        audio = engine.synthesize(SynthRequest(
            xml=xml, text=text, voice=choice.voice, gender=choice.gender, description=choice.description,
            speed=choice.speed, ref_audio=choice.ref_audio, ref_text=choice.ref_text))
        path = out / "previews" / file_name(speaker)
        write_wav(path, audio)
        results.append(Audition(speaker, choice.voice, choice.gender, choice.description, choice.ref_audio,
                                text, mine is not None, str(path), round(audio.seconds, 2)))
    return results
