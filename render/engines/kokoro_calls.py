"""A chunk's phonemes cut into Kokoro calls of at most N phonemes, and their audio joined as one take.

A run's working memory grows with its length (~1.1 MB a phoneme) while its CPU a phoneme hardly
does above ~75 phonemes, so the engine makes several short calls for a chunk instead of one long
one, and two runs at once fit in memory (README, Performance).
Cuts go where a reader pauses anyway: after a sentence, else after a clause, and only when neither
is in reach between two words. Each call's audio comes back trimmed of the model's own leading and
trailing silence (kokoro-onnx); the join puts back the pause the cut's mark asks for.
"""

from __future__ import annotations

import numpy as np

SENTENCE_MARKS = ".!?…"
CLAUSE_MARKS = ",;:—–"
_CLOSING = "\"'”’)"  # a closing quote or bracket after a mark: the cut is the mark's

# What a cut costs, by the mark before it: the fewest, least disruptive cuts win, then the most
# even lengths (a very short call is spoken at its own rate and loudness).
_COST = {"sentence": 1, "clause": 3, "word": 10}


def _kind(phonemes: str, space: int) -> str:
    """The kind of cut at the space at this index: by the mark just before it."""
    before = phonemes[:space].rstrip().rstrip(_CLOSING)[-1:]
    if before and before in SENTENCE_MARKS:
        return "sentence"
    if before and before in CLAUSE_MARKS:
        return "clause"
    return "word"


def split_calls(phonemes: str, limit: int) -> list[tuple[str, str]]:
    """(phonemes, kind of the cut after them) for each call, in order; every call at most `limit`
    phonemes when word boundaries allow (a single word longer than that is one call of its own).
    The last call's kind is "end". A text within the limit is one call."""
    text = " ".join(phonemes.split())
    if len(text) <= limit or limit <= 0:
        return [(text, "end")] if text else []
    # cut points: every space, as (start of the next call, end of this call, kind)
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    starts = [0] + [i + 1 for i in spaces]
    ends = list(spaces) + [len(text)]
    kinds = [_kind(text, i) for i in spaces] + ["end"]
    # best[k]: the cheapest way to end a call at ends[k] (cost, sum of squared lengths, previous k)
    best: list[tuple[int, int, int] | None] = [None] * len(ends)
    for k, end in enumerate(ends):
        for j in range(k, -1, -1):  # the call runs from starts[j] to end
            length = end - starts[j]
            if length > limit and j < k:
                break
            if j == 0:
                candidate = (0, length * length, -1)
            elif best[j - 1] is None:
                continue
            else:
                cost, squares, _ = best[j - 1]
                candidate = (cost + _COST[kinds[j - 1]], squares + length * length, j - 1)
            if best[k] is None or candidate[:2] < best[k][:2]:
                best[k] = candidate
    calls = []
    k = len(ends) - 1
    while k >= 0:
        previous = best[k][2]
        calls.append((text[starts[previous + 1]:ends[k]], kinds[k]))
        k = previous
    return calls[::-1]


def join(parts: list[np.ndarray], kinds: list[str], rate: int, pauses: dict[str, float]) -> np.ndarray:
    """The calls' audio in order, with the pause each cut's kind asks for between them."""
    out = []
    for samples, kind in zip(parts, kinds):
        out.append(np.asarray(samples, dtype=np.float32))
        gap = int(round(pauses.get(kind, 0.0) * rate))
        if kind != "end" and gap:
            out.append(np.zeros(gap, np.float32))
    return np.concatenate(out) if out else np.zeros(0, np.float32)
