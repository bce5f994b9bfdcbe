"""Why chunks failed, said on the terminal: one line per distinct reason, with its count."""

from __future__ import annotations

from collections import Counter

from ..engines.secrets import redact

MAX_REASONS = 8  # distinct reasons listed before "... and N more"


def failure_reason(outcome) -> str:
    """The reason a failed chunk failed: its last attempt's error, else the outcome's."""
    for attempt in reversed(outcome.attempts or []):
        if attempt.get("error"):
            return redact(attempt["error"])
    return redact(outcome.error or "unknown error")


def failure_lines(outcomes) -> list[str]:
    """'  N chunks: reason' for each distinct reason among failed outcomes, most frequent first."""
    counts = Counter(failure_reason(o) for o in outcomes if o.status == "failed")
    lines = [f"  {n} chunk{'s' if n != 1 else ''} failed: {reason}" for reason, n in counts.most_common(MAX_REASONS)]
    if len(counts) > MAX_REASONS:
        lines.append(f"  ... and {len(counts) - MAX_REASONS} more reasons (see report.json)")
    return lines
