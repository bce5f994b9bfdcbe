"""OUT/listen.html: one self-contained page that plays the chapters with their text beside them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jinja2

from ..atomic import atomic_write_text
from .subtitles import voice_name

# Speaker colours, readable on the page's light paper; the narrator stays ink-coloured.
PALETTE = ("#1f5fa8", "#b0421a", "#2e7d32", "#8e24aa", "#00838f", "#c2185b", "#6d4c41", "#5c6bc0",
           "#827717", "#d84315", "#00695c", "#4527a0")
NARRATOR_COLOUR = "#2b2b2b"


def speaker_colours(speakers: list[str]) -> dict[str, str]:
    """A colour per speaker in order of first appearance; the narrator's is ink."""
    colours, n = {}, 0
    for s in speakers:
        if s in colours:
            continue
        if s == "narrator":
            colours[s] = NARRATOR_COLOUR
        else:
            colours[s] = PALETTE[n % len(PALETTE)]
            n += 1
    return colours


def page_data(meta: dict, chapters) -> dict:
    """What the page's script reads: chapters with audio paths and cues, speaker colours and names."""
    speakers = [q.speaker for ch in chapters for q in ch.cues]
    blocks = {(ch.index, c.id): c.block for ch in chapters for c in ch.chunks}
    headings = {(ch.index, c.id) for ch in chapters for c in ch.chunks if c.kind == "heading"}
    return {
        "title": meta.get("title") or "",
        "colours": speaker_colours(speakers),
        "names": {s: voice_name(s) for s in dict.fromkeys(speakers)},
        "chapters": [{
            "index": ch.index, "title": ch.title, "audio": ch.file, "seconds": ch.seconds,
            "cues": [{"s": q.start, "e": q.end, "t": q.text, "sp": q.speaker, "c": q.chunk,
                      "b": blocks.get((ch.index, q.chunk), 0), "f": q.flagged,
                      "h": (ch.index, q.chunk) in headings} for q in ch.cues],
        } for ch in chapters],
    }


def listen_page(meta: dict, chapters) -> str:
    """The HTML of the listening page (text, cues and script inline; audio by relative path)."""
    template = resources.files("render").joinpath("data", "listen.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    blob = json.dumps(page_data(meta, chapters), ensure_ascii=False)
    # inside <script> nothing is unescaped, so only "<" must not appear raw (no "</script>")
    blob = blob.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return env.from_string(template).render(
        title=meta.get("title") or "", author=meta.get("author") or "",
        language=meta.get("language") or "en", data=jinja2.utils.markupsafe.Markup(blob))


def write_listen_page(path: Path, meta: dict, chapters) -> Path:
    """Write listen.html atomically; returns its path."""
    atomic_write_text(path, listen_page(meta, chapters))
    return path
