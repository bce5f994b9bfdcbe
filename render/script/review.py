"""The review list: the quotes whose speaker is least certain, with what a user needs to fix them."""

from __future__ import annotations

from dataclasses import dataclass

from .. import book as B
from .build import analyse
from .cast import Cast
from .fixes import FIX_RULE, Fixes
from .normalize import collapse

CONTEXT_CHARS = 160  # characters of the paragraphs before and after shown as context


@dataclass(frozen=True)
class ReviewItem:
    """One quote to look at."""

    id: str  # stable quote ID (what `render fix` takes)
    chapter: int  # chapter number
    text: str  # the quoted words
    before: str  # the end of the text before the quote (its paragraph and the one before)
    after: str  # the start of the text after it
    speaker: str | None  # the speaker chosen (None: nobody, read by the narrator)
    runner_up: str | None  # the next most likely speaker
    rule: str | None  # the rule that chose the speaker
    confidence: float  # calibrated probability that the speaker is right


def _cut(text: str, n: int, tail: bool) -> str:
    text = collapse(text)
    if len(text) <= n:
        return text
    return "…" + text[-n:].lstrip() if tail else text[:n].rstrip() + "…"


def least_confident(book: B.Book, cast: Cast | None = None, fixes: Fixes | None = None,
                    n: int = 50) -> list[ReviewItem]:
    """The n least-confident quotes of a prose book, least confident first (fixed ones left out)."""
    analysis = analyse(book, cast, fixes)
    paras = analysis.paras
    items = []
    for k, p in enumerate(paras):
        prev_text = paras[k - 1].text if k > 0 and paras[k - 1].chapter == p.chapter else ""
        next_text = paras[k + 1].text if k + 1 < len(paras) and paras[k + 1].chapter == p.chapter else ""
        for q in p.quotes:
            if q.rule == FIX_RULE:
                continue
            a = analysis.assessments[q]
            seg = p.segments[q.seg]
            lo = seg.outer_start if seg.outer_start >= 0 else q.start
            hi = seg.outer_end if seg.outer_end >= 0 else q.end
            before = (prev_text + "\n" + p.text[:lo]).strip()
            after = (p.text[hi:] + "\n" + next_text).strip()
            items.append(ReviewItem(analysis.ids[q], p.chapter, collapse(q.text),
                                    _cut(before, CONTEXT_CHARS, True), _cut(after, CONTEXT_CHARS, False),
                                    q.speaker, a.runner_up, q.rule, a.confidence if q.speaker else 0.0))
    items.sort(key=lambda it: it.confidence)
    return items[:n]


def format_item(item: ReviewItem, out_hint: str = "OUT") -> str:
    """A review entry as a few lines of text, ending with the command that would fix it."""
    who = item.speaker or "nobody (read by the narrator)"
    alt = item.runner_up or "-"
    pick = item.runner_up or "NAME"
    return (f"{item.id}  ch {item.chapter}  confidence {item.confidence:.2f}  "
            f"speaker: {who} [{item.rule or 'unresolved'}]  runner-up: {alt}\n"
            f"    {item.before} «{item.text}» {item.after}\n"
            f"    fix: render fix {out_hint} {item.id} --speaker {_shell(pick)}")


def _shell(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else '"' + name.replace('"', '\\"') + '"'
