"""Writing a starting cast file from discovered characters, with distinct suggested voices.

The voices come from the engine's registry entry (engines.voice_set), so a cast can be started
for any engine; every gender written is male or female, the two every engine can use.
"""

from __future__ import annotations

import json

from ..engines import voice_set
from .characters import Character, first_person
from .model import NARRATOR

DEFAULT_ENGINE = "kokoro"


def suggest_voices(characters: list[Character], min_quotes: int = 3, narrator_voice: str | None = None,
                   engine: str = DEFAULT_ENGINE) -> dict[str, str]:
    """name -> voice: the narrator and every character with >= min_quotes quotes, all distinct.

    Voices match the character's gender (neutral characters alternate); when a gender's voices
    run out, distinct two-voice blends of that gender are suggested where the engine blends.
    """
    voices = voice_set(engine)
    me = first_person(characters)
    if (narrator_voice is None and me is not None and me.gender in ("male", "female")
            and voices.gender_of(voices.narrator) != me.gender):  # an 'I' narrator's own gender
        narrator_voice = ((voices.female if me.gender == "female" else voices.male) or ("",))[0]
    narrator_voice = narrator_voice or voices.narrator or (voices.male or voices.female or ("",))[0]
    used = {narrator_voice}
    out = {NARRATOR: narrator_voice}
    pools = {"female": [v for v in voices.female if v not in used],
             "male": [v for v in voices.male if v not in used]}
    blends = {g: _blends(pool) if voices.blends else [] for g, pool in pools.items()}
    turn = 0
    for ch in sorted(characters, key=lambda c: -c.quotes):
        if ch.quotes < min_quotes or ch is me:
            continue  # the 'I' narrator speaks in the narration's voice
        gender = ch.gender
        if gender not in pools:
            gender = ("female", "male")[turn % 2]
            turn += 1
        if pools[gender]:
            voice = pools[gender].pop(0)
        elif blends[gender]:
            voice = blends[gender].pop(0)
        else:
            continue
        out[ch.name] = voice
    return out


def _blends(pool: list[str]) -> list[str]:
    return [f"0.6*{a}+0.4*{b}" for i, a in enumerate(pool) for b in pool[i + 1:]]


def _q(s: str) -> str:
    """A YAML-safe scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def written_gender(gender: str, voice: str | None, engine: str = DEFAULT_ENGINE) -> str | None:
    """The gender a cast file gets: the character's when known, else its voice's, else None (left out)."""
    if gender in ("male", "female"):
        return gender
    return voice_set(engine).gender_of(voice)


def cast_yaml(characters: list[Character], voices: dict[str, str], title: str | None = None,
              engine: str = DEFAULT_ENGINE) -> str:
    """The text of a cast file listing characters, most quotes first, with counts as comments."""
    lines = ["# Cast discovered by `render cast init`; edit names, aliases, genders and voices.",
             "# Characters are listed by number of quotes; a character without a voice gets a",
             "# distinct default voice of its gender at render time."]
    if title:
        lines.append(f"title: {_q(title)}")
    narrator = voices.get(NARRATOR) or suggest_voices([], engine=engine)[NARRATOR]
    me = first_person(characters)
    gender = written_gender(me.gender if me is not None else "neutral", narrator, engine)
    lines.append(f"narrator: {{voice: {_q(narrator)}" + (f", gender: {gender}}}" if gender else "}"))
    lines.append("characters:")
    seen: set[str] = set()
    for ch in sorted(characters, key=lambda c: -c.quotes):
        lines.append(f"  - name: {_q(ch.name)}  # {ch.quotes} quote{'s' if ch.quotes != 1 else ''}")
        if ch is me and ch.name not in voices:
            lines.append("    # the narrator ('I'): these quotes are read in the narrator's voice; "
                         "give a voice to part them")
        aliases = []
        for a in sorted(ch.aliases):
            key = a.casefold()
            if a != ch.name and key not in seen:
                aliases.append(a)
                seen.add(key)
        seen.add(ch.name.casefold())
        if aliases:
            lines.append(f"    aliases: [{', '.join(_q(a) for a in aliases)}]")
        gender = written_gender(ch.gender, voices.get(ch.name), engine)
        lines.append(f"    gender: {gender}" if gender else "    # gender: male or female (not found in the text)")
        if ch.name in voices:
            lines.append(f"    voice: {_q(voices[ch.name])}")
    if not characters:
        lines[-1] = "characters: []"
    return "\n".join(lines) + "\n"
