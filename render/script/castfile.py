"""Writing a starting cast file from discovered characters, with distinct suggested voices."""

from __future__ import annotations

import json

from .characters import Character
from .model import NARRATOR

# Kokoro English voices, in the order they are suggested (best-rated first).
FEMALE_VOICES = ("af_heart", "af_bella", "af_nicole", "af_sarah", "af_nova", "af_sky", "af_kore",
                 "af_aoede", "af_jessica", "af_river", "af_alloy", "bf_emma", "bf_isabella",
                 "bf_alice", "bf_lily")
MALE_VOICES = ("am_michael", "am_fenrir", "am_puck", "am_echo", "am_eric", "am_liam", "am_onyx",
               "am_adam", "am_santa", "bm_george", "bm_fable", "bm_lewis", "bm_daniel")
NARRATOR_VOICE = "bm_fable"


def suggest_voices(characters: list[Character], min_quotes: int = 3,
                   narrator_voice: str = NARRATOR_VOICE) -> dict[str, str]:
    """name -> voice: the narrator and every character with >= min_quotes quotes, all distinct.

    Voices match the character's gender (neutral characters alternate); when a gender's voices
    run out, distinct two-voice blends of that gender are suggested.
    """
    used = {narrator_voice}
    out = {NARRATOR: narrator_voice}
    pools = {"female": [v for v in FEMALE_VOICES if v not in used],
             "male": [v for v in MALE_VOICES if v not in used]}
    blends = {g: _blends(pool) for g, pool in pools.items()}
    turn = 0
    for ch in sorted(characters, key=lambda c: -c.quotes):
        if ch.quotes < min_quotes:
            continue
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


def cast_yaml(characters: list[Character], voices: dict[str, str], title: str | None = None) -> str:
    """The text of a cast file listing characters, most quotes first, with counts as comments."""
    lines = ["# Cast discovered by `render cast init`; edit names, aliases, genders and voices.",
             "# Characters are listed by number of quotes; a character without a voice gets a",
             "# distinct default voice of its gender at render time."]
    if title:
        lines.append(f"title: {_q(title)}")
    lines.append(f"narrator: {{voice: {_q(voices.get(NARRATOR, NARRATOR_VOICE))}, gender: neutral}}")
    lines.append("characters:")
    seen: set[str] = set()
    for ch in sorted(characters, key=lambda c: -c.quotes):
        lines.append(f"  - name: {_q(ch.name)}  # {ch.quotes} quote{'s' if ch.quotes != 1 else ''}")
        aliases = []
        for a in sorted(ch.aliases):
            key = a.casefold()
            if a != ch.name and key not in seen:
                aliases.append(a)
                seen.add(key)
        seen.add(ch.name.casefold())
        if aliases:
            lines.append(f"    aliases: [{', '.join(_q(a) for a in aliases)}]")
        lines.append(f"    gender: {ch.gender}")
        if ch.name in voices:
            lines.append(f"    voice: {_q(voices[ch.name])}")
    if not characters:
        lines[-1] = "characters: []"
    return "\n".join(lines) + "\n"
