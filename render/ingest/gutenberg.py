"""Project Gutenberg boilerplate: the header before the book and the licence after it."""

from __future__ import annotations

import re

# "*** START OF THE PROJECT GUTENBERG EBOOK ALICE ***", "***START OF THIS PROJECT GUTENBERG EBOOK",
# and the old "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*".
START_RE = re.compile(
    r"\*\*\*\s*START\s+OF\s+(THE|THIS)\s+PROJECT\s+GUTENBERG"
    r"|\*END\*\s*THE\s+SMALL\s+PRINT",
    re.IGNORECASE,
)
# "*** END OF THE PROJECT GUTENBERG EBOOK …", "End of the Project Gutenberg EBook of …",
# "End of Project Gutenberg's …", and the licence section that PG EPUBs list in their TOC.
END_RE = re.compile(
    r"\*\*\*\s*END\s+OF\s+(THE|THIS)\s+PROJECT\s+GUTENBERG"
    r"|^\s*End\s+of\s+(the\s+)?Project\s+Gutenberg"
    r"|\*\*\*\s*START:\s*FULL\s+LICEN[CS]E"
    r"|^\s*THE\s+FULL\s+PROJECT\s+GUTENBERG\s+LICEN[CS]E",
    re.IGNORECASE | re.MULTILINE,
)
# Credits and notes PG puts right after the START marker; never part of the book.
PRODUCER_RE = re.compile(
    r"^\s*(Produced\s+by|E-?text\s+prepared\s+by|This\s+e-?book\s+was\s+produced\s+by"
    r"|Transcribed\s+from|Updated\s+editions\s+will\s+replace)",
    re.IGNORECASE,
)
# Anything this boilerplate-like must never reach a chapter, whatever the markers said.
LICENCE_RE = re.compile(r"Project\s+Gutenberg(-tm|™)?\s+(License|Licence|Literary\s+Archive)", re.IGNORECASE)


def is_start(text: str) -> bool:
    """True if text contains the marker that ends the Gutenberg header."""
    return bool(START_RE.search(text))


def is_end(text: str) -> bool:
    """True if text contains a marker that starts the Gutenberg footer or licence."""
    if "*" not in text and "gutenberg" not in text.lower():
        return False  # every marker has one or the other; END_RE's '^' alternatives try every position
    return bool(END_RE.search(text))


def is_producer_note(text: str) -> bool:
    """True if text is a 'Produced by …' credit that follows the Gutenberg header."""
    return bool(PRODUCER_RE.match(text))


def is_boilerplate(text: str) -> bool:
    """True if text mentions the Gutenberg licence or archive (never book content)."""
    return bool(LICENCE_RE.search(text)) or is_start(text) or is_end(text)
