"""The script layer: quotes, speakers and characters, without an LLM.

Layered API (each wraps the one below):
  build_script(book, cast)      -> Script        lines with speakers, for the speak stage
  attribute_quotes(book, cast)  -> list[dict]    one record per quoted span (issue 3 format)
  discover_cast(book)           -> list[Character]  who speaks, aliases merged, gender guessed
"""

from __future__ import annotations

from .build import UNRESOLVED, analyse, attribute_quotes, build_script, discover_cast
from .characters import Character

__all__ = ["build_script", "attribute_quotes", "discover_cast", "analyse", "Character", "UNRESOLVED"]
