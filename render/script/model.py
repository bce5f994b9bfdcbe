"""The Script: a book's chapters as lines, each with the speaker who says it."""

from __future__ import annotations

from dataclasses import dataclass, field

NARRATOR = "narrator"  # the speaker name of every narration line

NARRATION = "narration"  # kinds of Line
DIALOGUE = "dialogue"
HEADING = "heading"


@dataclass(frozen=True)
class Line:
    """One stretch of text with one speaker, in reading order."""

    speaker: str  # NARRATOR or a character's canonical (cast) name
    text: str  # exactly the words to speak, quotation marks removed
    kind: str = NARRATION  # NARRATION | DIALOGUE | HEADING
    block: int = 0  # index of the source Block within its chapter (paragraph identity)
    action: str | None = None  # delivery direction (Fountain parenthetical, extension)
    scene: str | None = None  # the current scene heading, if any
    rule: str | None = None  # which attribution rule named the speaker
    confidence: float = 1.0  # the rule's confidence in the speaker
    addressee: str | None = None  # who is spoken to, when known
    start: int | None = None  # offsets into Book.text, when the source has them
    end: int | None = None


@dataclass
class ScriptChapter:
    """A chapter's lines."""

    index: int
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class Script:
    """A whole book as lines; characters maps canonical name -> gender ('male'|'female'|'neutral')."""

    title: str
    language: str
    chapters: list[ScriptChapter]
    characters: dict[str, str] = field(default_factory=dict)
