"""Calibrated confidence: how likely each attributed quote is to have the right speaker.

After the sieve has named speakers, every quote is described by a few general signals: which
rule decided it, whether the turn-taking around it agrees (A, B, A), whether its speaker is named
inside the quote itself, how far it is from the nearest speech tag, how many people talk around
it, how many characters on stage share the speaker's gender. A logistic model over these
signals, fitted once on the development novels (`bench/calibration.py --fit`), turns them into a
probability; its weights live in render/data/confidence.json and hold no per-book constant.
The same signals name a runner-up: the first of the speakers they suggest besides the chosen
one (the turns two before and two after, the stage, the narration's names, ...).
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .quotes import NARRATION

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "confidence.json"

# rule families: a rule name maps to the first family it starts with (names of new rules that
# fit none fall in 'other', so a new rule never breaks the model)
RULE_FAMILIES = (
    "explicit-verb-after", "explicit-verb-before", "first-person", "self-named",
    "pronoun-verb-after", "pronoun-verb-before", "nominal-verb", "addressed-reply",
    "same-paragraph", "continued-quote", "vocative", "turn-taking-backward", "turn-taking",
    "alternation", "action-beat", "nearest-mention", "fix", "arbiter", "tag-ranker",
)
# (a tag ranker's choice, render/script/tag_ranker.py, is a pronoun or description tag's referent)
TAG_FAMILIES = ("explicit-verb", "first-person", "pronoun-verb", "nominal-verb", "self-named", "tag-ranker")
RUN_GAP = 1  # quote-less paragraphs that may separate two turns of one exchange
WINDOW = 4  # quote paragraphs on each side counted as 'around' a quote
STAGE = 4  # the most salient characters taken to be present


@dataclass(frozen=True)
class Assessment:
    """What is known about one attributed quote beyond its speaker."""

    confidence: float  # calibrated probability that the speaker is right (0 when unattributed)
    runner_up: str | None  # the next most likely speaker, when the context suggests one
    features: dict  # the signals the confidence was computed from (name -> number)


def rule_family(rule: str | None) -> str:
    """The family of a sieve rule name ('unresolved' for None, 'other' for a rule it doesn't know)."""
    if not rule:
        return "unresolved"
    return next((f for f in RULE_FAMILIES if rule.startswith(f)), "other")


class _Conversation:
    """The book's quote paragraphs in order, grouped into exchanges."""

    def __init__(self, paras):
        self.qparas, self.run_of, self.gap = [], [], []
        run, gap, chapter = -1, 99, None
        for p in paras:
            if p.chapter != chapter:
                gap, chapter = 99, p.chapter
            if p.quotes:
                if gap > RUN_GAP:
                    run += 1
                self.qparas.append(p)
                self.run_of.append(run)
                self.gap.append(gap)
                gap = 0
            else:
                gap += 1
        self.pos = {id(p): i for i, p in enumerate(self.qparas)}
        self.speakers: dict[int, set[str]] = {}
        for p, r in zip(self.qparas, self.run_of):
            self.speakers.setdefault(r, set()).update(q.speaker for q in p.quotes if q.speaker)
        self.run_len: dict[int, int] = {}
        for r in self.run_of:
            self.run_len[r] = self.run_len.get(r, 0) + 1

    def near(self, i: int, d: int):
        """The quote paragraph d steps from i in the same exchange, else None."""
        j = i + d
        if 0 <= j < len(self.qparas) and self.run_of[j] == self.run_of[i]:
            return self.qparas[j]
        return None


_WORD = re.compile(r"\w+")


def _speaker(p) -> str | None:
    return p.speaker if p is not None else None


def _opens_turn(q, p, prev) -> bool:
    """q opens its paragraph with a fresh quotation (not one continued from the paragraph before)."""
    if q is not p.quotes[0] or not q.opened or p.segments[0] is not p.segments[q.seg]:
        return False
    return prev is None or prev.quotes[-1].closed


def _named(text: str, index, seen: dict | None = None) -> set[str]:
    if seen is not None:  # assess asks about the same quote up to three times
        if text not in seen:
            seen[text] = _named(text, index)
        return seen[text]
    out = set()
    for _, _, surface in index.mentions(text):
        ch = index.resolve(surface)
        if ch is not None:
            out.add(ch.name)
    return out


def _share_ratio(counts: dict[str, int], s: str | None, other: str | None) -> float:
    """How much more often the speaker talks in the book than the runner-up (log ratio, scaled)."""
    if not s or not other:
        return 0.0
    return math.log(max(counts.get(s, 0), 1) / max(counts.get(other, 0), 1)) / 5


def _sure(*paras) -> float:
    """How firmly the neighbouring turns were decided: the mean sieve confidence of their quotes."""
    quotes = [q for p in paras if p is not None for q in p.quotes if q.speaker]
    return sum(q.confidence for q in quotes) / len(quotes) if quotes else 0.0


def _vote(a: str | None, s: str | None) -> float:
    return 0.0 if not a or not s else (1.0 if a == s else -1.0)


def quote_counts(conv) -> tuple[dict[str, int], int]:
    """Speaker -> number of quotes given them so far, and the total (at least 1)."""
    counts: dict[str, int] = {}
    for p in conv.qparas:
        for q in p.quotes:
            if q.speaker:
                counts[q.speaker] = counts.get(q.speaker, 0) + 1
    return counts, max(1, sum(counts.values()))


def assess(paras, index, gender, narrator: str | None = None, model: dict | None = None) -> dict:
    """Quote -> Assessment for every quote of the book, after the sieve has run."""
    model = model or load_model()
    conv = _Conversation(paras)
    counts, total = quote_counts(conv)
    tagged = [any(rule_family(q.rule).startswith(TAG_FAMILIES) for q in p.quotes) for p in conv.qparas]
    out = {}
    seen: dict[str, set[str]] = {}
    for i, p in enumerate(conv.qparas):
        prev, nxt = conv.near(i, -1), conv.near(i, 1)
        back2, fwd2 = _speaker(conv.near(i, -2)), _speaker(conv.near(i, 2))
        around = {_speaker(conv.near(i, d)) for d in range(-WINDOW, WINDOW + 1)} - {None}
        dist = next((d for d in range(WINDOW * 2 + 1) if any(
            conv.near(i, s) is not None and tagged[i + s] for s in (-d, d))), WINDOW * 2 + 1)
        in_para = set().union(*(_named(q.text, index, seen) for q in p.quotes))
        in_narration = set().union(set(), *(_named(p.text[g.start:g.end], index) for g in p.segments
                                            if g.kind == NARRATION))
        addressed_before = _named(prev.quotes[-1].text, index, seen) if prev is not None else set()
        run_speakers = conv.speakers[conv.run_of[i]]
        for q in p.quotes:
            s = q.speaker
            opens = _opens_turn(q, p, prev)
            fam = rule_family(q.rule)
            same_gender = sum(1 for n in p.stage[:STAGE] if n != s and s and gender(n) == gender(s))
            tag = fam.startswith(TAG_FAMILIES)
            stage = list(p.stage) + [None] * 6
            # the sources of a second opinion, in order of how often they name the true speaker
            # when the chosen one is wrong (measured on the development novels)
            runner = next((c for c in (fwd2, back2, stage[1], *sorted(in_narration), _speaker(prev), stage[0],
                                       q.addressee, _speaker(nxt), stage[2], *sorted(addressed_before),
                                       *stage[3:]) if c and c != s), None)
            turns = _vote(back2, s) + _vote(fwd2, s)
            f = {
                "rule:" + fam: 1.0,
                "turns_agree_untagged": 0.0 if tag else turns,
                "gap_before": float(prev is not None and conv.gap[i] > 0),
                "other_in_narration": float(bool(in_narration - {s})),
                "speaker_in_narration": float(s in in_narration),
                "exchange_speakers": math.log1p(len(run_speakers)),
                "sieve": q.confidence,
                "turn_back": _vote(back2, s),
                "turn_fwd": _vote(fwd2, s),
                "same_as_prev_turn": float(opens and _speaker(prev) == s and s is not None),
                "same_as_next_turn": float(nxt is not None and _speaker(nxt) == s and s is not None
                                           and nxt.quotes[0].opened and p.quotes[-1].closed),
                "named_inside": float(s in _named(q.text, index, seen)),
                "named_in_paragraph": float(s in in_para),
                "addressed_before": float(s in addressed_before),
                "speakers_around": math.log1p(len(around)),
                "tag_distance": min(dist, WINDOW * 2 + 1) / (WINDOW * 2 + 1),
                "exchange_length": math.log1p(conv.run_len[conv.run_of[i]]),
                "same_gender_on_stage": float(same_gender),
                "pronoun_ambiguity": float(same_gender) * (fam.startswith("pronoun") or fam == "nominal-verb"),
                "speaker_share": math.log(max(counts.get(s, 0), 1) / total) / 10 if s else 0.0,
                "narrator": float(s is not None and s == narrator),
                "discovered": float(s is not None and not getattr(index.by_name.get(s), "from_cast", False)),
                "runner_up_share": _share_ratio(counts, s, runner),
                "neighbours_sure": _sure(conv.near(i, -1), conv.near(i, -2), conv.near(i, 1)),
                "words": math.log1p(len(_WORD.findall(q.text))) / 5,
                "has_narration": float(len(p.quotes) < len(p.segments)),
            }
            if fam.startswith(TAG_FAMILIES + ("addressed-reply",)):  # signals weigh differently after a tag
                f.update({"tag:" + k: v for k, v in list(f.items()) if v and not k.startswith("rule:")})
            conf = 0.0 if not s else (1.0 if fam == "fix" else predict(f, model))
            out[q] = Assessment(round(conf, 3), runner, f)
    return out


def predict(features: dict, model: dict) -> float:
    """The model's probability for one quote's features: the logistic score, then its
    monotone recalibration (straight lines between the fitted points)."""
    z = model.get("bias", 0.0) + sum(model["weights"].get(k, 0.0) * v for k, v in features.items())
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    xs, ys = model.get("recalibration", ([], []))
    if not xs:
        return p
    j = bisect.bisect_left(xs, p)
    if j == 0:
        return ys[0]
    if j == len(xs):
        return ys[-1]
    t = (p - xs[j - 1]) / (xs[j] - xs[j - 1])
    return ys[j - 1] + t * (ys[j] - ys[j - 1])


def _recalibration(p, y, bins: int) -> tuple[list[float], list[float]]:
    """Monotone map from scores p to observed accuracy: quantile bins, then pool-adjacent-violators."""
    import numpy as np

    order = np.argsort(p)
    blocks = []  # [sum of scores, sum of outcomes, count]
    for chunk in np.array_split(order, bins):
        if len(chunk):
            blocks.append([float(p[chunk].sum()), float(y[chunk].sum()), len(chunk)])
            while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
                b = blocks.pop()
                blocks[-1] = [blocks[-1][0] + b[0], blocks[-1][1] + b[1], blocks[-1][2] + b[2]]
    # a bin's accuracy is smoothed by half a right and half a wrong quote, so none is ever 0 or 1
    return ([round(b[0] / b[2], 5) for b in blocks], [round((b[1] + 0.5) / (b[2] + 1), 5) for b in blocks])


@lru_cache(maxsize=1)
def _load(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"bias": 0.0, "weights": {"sieve": 0.0}, "missing": True}


def load_model(path: Path = MODEL_PATH) -> dict:
    """The shipped model (bias and weights per feature name)."""
    return _load(str(path))


def fit(rows: list[dict], labels: list[bool], l2: float = 1.0, steps: int = 25, bins: int = 40,
        folds: int = 5) -> dict:
    """A logistic model of labels from feature dicts (Newton's method with an L2 penalty),
    recalibrated by a monotone map fitted on `bins` quantile bins of out-of-fold scores: each of
    `folds` contiguous parts of the rows (rows come book by book) is scored by a model fitted on
    the others, so the map learns how the scores behave on quotes the model has not seen."""
    import numpy as np

    names = sorted({k for r in rows for k in r})
    X = np.zeros((len(rows), len(names) + 1))
    col = {n: j for j, n in enumerate(names)}
    for i, r in enumerate(rows):
        for k, v in r.items():
            X[i, col[k]] = v
    X[:, -1] = 1.0
    y = np.asarray(labels, dtype=float)
    w = _newton(X, y, l2, steps)
    scores = np.zeros(len(y))
    parts = [part for part in np.array_split(np.arange(len(y)), folds) if len(part)] if folds > 1 else []
    for part in parts:
        keep = np.ones(len(y), dtype=bool)
        keep[part] = False
        scores[part] = _sigmoid(X[part] @ _newton(X[keep], y[keep], l2, steps))
    if not parts:
        scores = _sigmoid(X @ w)
    return {"bias": float(w[-1]), "weights": {n: round(float(w[col[n]]), 5) for n in names},
            "recalibration": _recalibration(scores, y, bins)}


def _sigmoid(z):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _newton(X, y, l2: float, steps: int):
    """Logistic weights (last column the bias, not shrunk) by Newton's method."""
    import numpy as np

    w = np.zeros(X.shape[1])
    penalty = np.full(X.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = _sigmoid(X @ w)
        grad = X.T @ (p - y) + penalty * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return w
