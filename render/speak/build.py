"""Building <speak> prompts from Jinja templates (autoescaped, always well-formed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2

from .parse import SHOTS, parse_prompt

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class PromptSpec:
    """Everything one <speak> prompt says."""

    voice: str  # the voice description (Scenema's voice attribute)
    gender: str  # male | female | neutral
    text: str  # spoken words
    scene: str | None = None
    language: str = "en"
    shot: str = "closeup"
    actions: tuple[str, ...] = field(default_factory=tuple)  # delivery directions, before the text
    sounds: tuple[str, ...] = field(default_factory=tuple)  # environmental events, after the text


@lru_cache(maxsize=4)
def _environment(loader_path: str | None = None) -> jinja2.Environment:
    loader = (jinja2.FileSystemLoader(loader_path) if loader_path
              else jinja2.PackageLoader("render.speak", "templates"))
    return jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=False,
                              undefined=jinja2.StrictUndefined, auto_reload=False)  # no stat per prompt


@lru_cache(maxsize=16)
def _template(name: str, loader_path: str | None = None) -> jinja2.Template:
    return _environment(loader_path).get_template(name)


def clean_text(text: str) -> str:
    """Collapse whitespace and drop characters XML 1.0 cannot carry."""
    return " ".join(_XML_BAD.sub("", text).split())


def build_prompt(spec: PromptSpec, template: str = "speak.xml.j2", template_dir: str | None = None) -> str:
    """Render one <speak> prompt; the result parses and its text equals clean_text(spec.text)."""
    if spec.shot not in SHOTS:
        raise ValueError(f"shot must be one of {SHOTS}")
    parts = [{"kind": "action", "text": t} for t in map(clean_text, spec.actions) if t]
    text = clean_text(spec.text)
    if text:
        parts.append({"kind": "text", "text": text})
    parts += [{"kind": "sound", "text": t} for t in map(clean_text, spec.sounds) if t]
    xml = _template(template, template_dir).render(
        voice=clean_text(spec.voice), gender=spec.gender,
        scene=clean_text(spec.scene) if spec.scene else None,
        language=spec.language, shot=spec.shot, parts=parts,
    )
    parse_prompt(xml)  # a template edit that breaks the contract fails here, loudly
    return xml
