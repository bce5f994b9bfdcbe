"""Reading a <speak> prompt back: attributes, actions, sounds and the spoken text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..errors import InputError

SHOTS = ("closeup", "wide", "scene")


@dataclass(frozen=True)
class Prompt:
    """A parsed <speak> element."""

    voice: str
    gender: str
    scene: str | None = None
    language: str = "en"
    shot: str = "closeup"
    text: str = ""  # the spoken text: text nodes stripped and joined with single spaces
    actions: tuple[str, ...] = field(default_factory=tuple)
    sounds: tuple[str, ...] = field(default_factory=tuple)


def parse_prompt(xml: str) -> Prompt:
    """Parse and check one <speak> prompt; InputError says what is wrong."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise InputError(f"<speak> prompt is not well-formed XML ({exc})") from None
    if root.tag != "speak":
        raise InputError(f"prompt root is <{root.tag}>, expected <speak>")
    for attr in ("voice", "gender"):
        if not (root.get(attr) or "").strip():
            raise InputError(f"<speak> prompt lacks the required {attr!r} attribute")
    shot = root.get("shot", "closeup")
    if shot not in SHOTS:
        raise InputError(f"<speak shot={shot!r}>: use one of {', '.join(SHOTS)}")
    spoken, actions, sounds = [], [], []
    if root.text and root.text.strip():
        spoken.append(root.text.strip())
    for child in root:
        if child.tag == "action":
            actions.append((child.text or "").strip())
        elif child.tag == "sound":
            sounds.append((child.text or "").strip())
        else:
            raise InputError(f"<speak> may contain <action> and <sound>, not <{child.tag}>")
        if child.tail and child.tail.strip():
            spoken.append(child.tail.strip())
    return Prompt(
        voice=root.get("voice"),
        gender=root.get("gender"),
        scene=root.get("scene"),
        language=root.get("language", "en"),
        shot=shot,
        text=" ".join(spoken),
        actions=tuple(actions),
        sounds=tuple(sounds),
    )
