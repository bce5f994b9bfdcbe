"""Building <speak> prompts from Jinja templates (autoescaped, always well-formed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2
import markupsafe

from ..errors import InputError
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


_PROBES = (  # every branch of a template, with text that must be escaped
    PromptSpec(voice='A "warm" <voice> & more', gender="female", text="a < b & 'c' > \"d\"",
               scene="Rain & <wind>", actions=("Softly & slowly.",), sounds=("A door <creaks>.",)),
    PromptSpec(voice="v", gender="male", text="Hello.", shot="wide"),
    PromptSpec(voice="v", gender="neutral", text="", actions=("Sighs.",)),
)


@lru_cache(maxsize=16)
def _template(name: str, loader_path: str | None = None) -> jinja2.Template:
    """The template, once it has kept the contract on every probe: a template edit that breaks
    it fails loudly on first use, without parsing each of a novel's thousands of prompts again."""
    template = _environment(loader_path).get_template(name)
    for spec in _PROBES:
        said = parse_prompt(_render(template, spec, clean_text(spec.text)))
        if said.text != clean_text(spec.text) or said.actions != spec.actions or said.sounds != spec.sounds:
            raise ValueError(f"template {name} does not say what its prompt holds: {said}")
    return template


def clean_text(text: str) -> str:
    """Collapse whitespace and drop characters XML 1.0 cannot carry."""
    return " ".join(_XML_BAD.sub("", text).split())


def build_prompt(spec: PromptSpec, template: str = "speak.xml.j2", template_dir: str | None = None) -> str:
    """Render one <speak> prompt; the result parses and its text equals clean_text(spec.text)."""
    if spec.shot not in SHOTS:
        raise ValueError(f"shot must be one of {SHOTS}")
    for name in ("voice", "gender"):
        if not _says_something(getattr(spec, name)):
            raise InputError(f"<speak> prompt lacks the required {name!r} attribute")
    compiled = _template(template, template_dir)
    text = clean_text(spec.text)
    frame = _frame(compiled, spec.voice, spec.gender, spec.scene, spec.language, spec.shot, spec.actions,
                   spec.sounds) if text else None
    if frame is None:
        return _render(compiled, spec, text)
    return frame[0] + str(markupsafe.escape(text)) + frame[1]  # what autoescape would write


@lru_cache(maxsize=1024)
def _says_something(value: str) -> bool:
    """Whether a speaker's attribute is more than white space and control characters (asked for
    every chunk, with a book's few voices and genders)."""
    return bool(clean_text(value))


@lru_cache(maxsize=1024)
def _frame(template: jinja2.Template, *fields) -> tuple[str, str] | None:
    """The prompt around its text (fields: PromptSpec's, without the text), for a speaker's every
    line: Jinja renders once per frame, not once per chunk; None when the template does not write
    the text once, as is."""
    voice, gender, scene, language, shot, actions, sounds = fields
    spec = PromptSpec(voice, gender, "", scene, language, shot, actions, sounds)
    xml = _render(template, spec, _SLOT)
    return tuple(xml.split(_SLOT)) if xml.count(_SLOT) == 1 else None


_SLOT = "\x00text\x00"  # clean_text drops NUL, so no real text holds it


def _render(template: jinja2.Template, spec: PromptSpec, text: str) -> str:
    parts = [{"kind": "action", "text": t} for t in map(clean_text, spec.actions) if t]
    if text:
        parts.append({"kind": "text", "text": text})
    parts += [{"kind": "sound", "text": t} for t in map(clean_text, spec.sounds) if t]
    return template.render(
        voice=clean_text(spec.voice), gender=spec.gender,
        scene=clean_text(spec.scene) if spec.scene else None,
        language=spec.language, shot=spec.shot, parts=parts,
    )
