"""Segments: a paragraph's text cut into stretches of quoted words and narration.

`Segment` is what the quote scanners (quotes) produce and what the detectors of words nobody says
aloud (unspoken) read and re-mark. It sits in a module of its own so that unspoken need not import
quotes, which imports unspoken.
"""

from __future__ import annotations

from dataclasses import dataclass

QUOTE = "quote"
NARRATION = "narration"


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph: quoted words or narration, offsets into the paragraph text."""

    kind: str  # QUOTE or NARRATION
    start: int  # first character (a quote's starts after its opening mark)
    end: int  # end-exclusive (a quote's stops before its closing mark)
    opened: bool = True  # QUOTE: an opening mark was present (False = continued from before)
    closed: bool = True  # QUOTE: a closing mark was found in this paragraph
    outer_start: int = -1  # QUOTE: where its opening mark is (== start when there is none)
    outer_end: int = -1  # QUOTE: just past its closing mark (== end when there is none)
    cited: str = ""  # NARRATION: quoted words no one says aloud in the scene: IMAGINED or WRITTEN (see unspoken)
