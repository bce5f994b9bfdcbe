"""discover_cast: the characters of a book as attribution sees them."""

from __future__ import annotations

from ..book import Book
from .characters import Character


def discover_cast(book: Book) -> list[Character]:
    """Characters found in the book (cue names for screenplays), most quotes first."""
    from .build import analyse, screenplay_genders
    from .. import book as B

    if book.kind == "screenplay":
        genders = screenplay_genders(book)
        counts: dict[str, int] = {}
        for chapter in book.chapters:
            for block in chapter.blocks:
                if block.kind == B.DIALOGUE and block.speaker:
                    name = block.speaker.strip()
                    counts[name] = counts.get(name, 0) + 1
        chars = [Character(name=n, gender=genders.get(n.upper(), "neutral"), quotes=c)
                 for n, c in counts.items()]
    else:
        chars = [c for c in analyse(book, None).characters if c.quotes > 0]
    chars.sort(key=lambda c: -c.quotes)
    return chars
