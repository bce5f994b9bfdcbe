"""The arbiter: a fitted late decision among a few candidate speakers per quote.

The sieve decides each quote by the first rule that fires. Afterwards the arbiter looks again at
the quotes no speech tag decided: it gathers the speakers the context suggests (the sieve's
choice, the turns two before and two after, the previous and next turn, the characters on stage,
the names in the paragraph's narration, whom the turn before spoke to, ...), describes each
candidate by general signals (which sources propose it, the sieve's rule family when it is the
sieve's choice, whether it is named inside the quote, its share of the book's quotes, ...), and
scores them with a conditional logit (a softmax over the candidates) whose weights live in
render/data/arbiter.json. When another candidate beats the sieve's choice by the model's margin
(in log-odds), the quote gets that speaker and the rule name 'arbiter'. Then, when the model has a
'joint' part, the turns of each exchange are decided together (arbiter_decode: a chain whose links
say a turn repeats the last speaker or answers the one before; switch: 'arbiter-joint').

The weights are fitted by `bench/fit_arbiter.py --fit` on the development novels; they hold no
per-book constant and no name. A user's fix and an explicit speech tag are never overridden.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from .arbiter_decode import decide_jointly
from .confidence import TAG_FAMILIES, _Conversation, _named, quote_counts, rule_family
from .features import vocatives
from .genders import addressed_sexes, spouse_sexes
from .lexicon import FEMALE_PRONOUNS, MALE_PRONOUNS
from .model_file import read_model as _load
from .quote_model import NO_SPEAKER, rule_on
from .self_names import called_by
from .quotes import NARRATION

_WORD = re.compile(r"[A-Za-z]+")
_SENTENCES = re.compile(r"(?<=[.!?;:])\s+")
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "arbiter.json"
RULE = "arbiter"  # the rule name a changed quote records
JOINT = "arbiter-joint"  # the switch of the joint decoding of each exchange's turns (arbiter_decode)
NEVER = ("fix", "explicit-verb")  # families whose decisions the arbiter never changes
WINDOW = 3  # quote paragraphs on each side searched for a tag naming a candidate
MAX_CANDIDATES = 6  # the candidate set, in the order the sources propose them
STAGE = 4  # the most salient characters proposed from the stage
CALLED_NEXT = "arbiter-called-next"  # the switch of the signal 'called by name in the next turn'
SEX_CUES = "arbiter-sex-cues"  # the switch of the signals 'sir' / 'madam' in the turns around and 'my wife' inside


def candidate_pool(sources, limit: int = MAX_CANDIDATES,
                   leave_out=lambda name: False) -> tuple[list[str], dict[str, set[str]]]:
    """The candidates (source, names) pairs propose, in the order proposed, at most limit of them,
    each with the sources that proposed it (a later source adds to a candidate already in)."""
    cands: list[str] = []
    proposed: dict[str, set[str]] = {}
    for src, names in sources:
        for c in names:
            if not c or leave_out(c):
                continue
            if c not in proposed:
                if len(cands) >= limit:
                    continue
                cands.append(c)
                proposed[c] = set()
            proposed[c].add(src)
    return cands, proposed


def eligible(q, families: tuple[str, ...] | None = None) -> bool:
    """Whether the arbiter may change q's speaker: never a fix or an explicit tag; by default
    only quotes no speech tag decided (families names the others it may look at too); never a
    quote the sieve left to a group or an unnamed extra (quote_model.NO_SPEAKER)."""
    if q.rule in NO_SPEAKER:
        return False
    fam = rule_family(q.rule)
    if fam.startswith(NEVER):
        return False
    if fam.startswith(TAG_FAMILIES):
        return bool(families) and fam.startswith(families)
    return True


def _speaker(p) -> str | None:
    return p.speaker if p is not None else None


def _first(p) -> str | None:
    return p.first_speaker if p is not None else None


def _last_addressee(p) -> str | None:
    if p is None:
        return None
    for q in reversed(p.quotes):
        if q.addressee:
            return q.addressee
    return None


def candidate_groups(paras, index, gender, narrator: str | None = None,
                     families: tuple[str, ...] | None = None, sieve: dict | None = None) -> list[tuple]:
    """(quote, candidates, feature dicts) for every quote the arbiter may change, the sieve's
    choice (when there is one) first among the candidates. sieve: id(quote) -> the sieve's
    (speaker, rule, confidence) when an earlier pass has changed quotes (the signals about the
    sieve's choice keep describing it; the neighbours are read as they are now)."""
    sieve = sieve or {}
    conv = _Conversation(paras)
    counts, total = quote_counts(conv)
    # per quote paragraph: the speakers its tags named (for the distance to a tag naming a candidate)
    tag_names = [{q.speaker for q in p.quotes if q.speaker and rule_family(q.rule).startswith(TAG_FAMILIES)}
                 for p in conv.qparas]
    seen: dict[str, set[str]] = {}
    # the narration paragraph right before each quote paragraph (its names and pronouns)
    lead: dict[int, object] = {}
    last = None
    for p in paras:
        if p.quotes:
            lead[id(p)] = last if last is not None and last.chapter == p.chapter else None
            last = None
        elif any(g.kind == NARRATION for g in p.segments):
            last = p
    spoke: dict[str, int] = {}  # candidate -> the quote paragraph it last spoke in
    first_of_chapter: dict[int, int] = {}
    out = []
    for i, p in enumerate(conv.qparas):
        first_of_chapter.setdefault(p.chapter, i)
        todo = [q for q in p.quotes if id(q) in sieve or eligible(q, families)]
        if not todo:
            for q in p.quotes:
                if q.speaker:
                    spoke[q.speaker] = i
            continue
        before_para = lead.get(id(p))
        named_lead = _named(before_para.text, index) if before_para is not None else set()
        prev, nxt = conv.near(i, -1), conv.near(i, 1)
        back2, fwd2 = _speaker(conv.near(i, -2)), _first(conv.near(i, 2))
        narration = sorted(set().union(set(), *(_named(p.text[g.start:g.end], index) for g in p.segments
                                               if g.kind == NARRATION)))
        before = _named(prev.quotes[-1].text, index, seen) if prev is not None else set()
        after = _named(nxt.quotes[0].text, index, seen) if nxt is not None else set()
        run = conv.speakers[conv.run_of[i]]
        near_tag: dict[str, int] = {}
        for d in range(1, WINDOW + 1):
            for s in (-d, d):
                if conv.near(i, s) is not None:
                    for n in tag_names[i + s]:
                        near_tag.setdefault(n, d)
        stage = list(p.stage[:STAGE])
        answered, asked = _sex_cues(prev, nxt)
        chapter_start = first_of_chapter.setdefault(p.chapter, i)
        for q in todo:
            s, rule, conf = sieve.get(id(q), (q.speaker, q.rule, q.confidence))
            fam = rule_family(rule)
            tagged = fam.startswith(TAG_FAMILIES)
            inside = _named(q.text, index, seen)
            sources = [("sieve", [s]), ("kept", [q.speaker]), ("prev", [_speaker(prev)]), ("back2", [back2]),
                       ("next", [_first(nxt)]), ("fwd2", [fwd2]),
                       ("addressed_by_prev", [_last_addressee(prev)]),
                       ("named_before", sorted(before)), ("narration", narration),
                       ("named_after", sorted(after)),
                       *((f"stage{k}", [c]) for k, c in enumerate(stage))]
            cands, proposed = candidate_pool(sources)
            # no one calls themself: '"Cyril, I have had an idea."' is not Cyril's (self_names.py)
            called = called_by(q, index, "arbiter-self-call")
            cands = [c for c in cands if c == s or c not in called]
            if len(cands) < 2:
                continue
            g_s = gender(s) if s else None
            opens = q is p.quotes[0]
            beat = _SENTENCES.split((p.narration_before(q) or "").strip())[-1]  # the sentence next to it
            after_beat = _SENTENCES.split((p.narration_after(q) or "").strip())[0]
            named_beat = _named(beat, index) if beat else set()
            named_after_beat = _named(after_beat, index) if after_beat else set()
            pron = _pronoun_gender(beat + " " + after_beat)
            first_person = bool({w for w in _WORD.findall(beat + " " + after_beat)} & {"I", "me", "my", "myself"})
            listener = _one(addressed_sexes(q.text))  # 'Madam!' speaks to a woman, 'Yes, sir' to a man
            called_next = _called_next(nxt, index)
            spouse = _one(spouse_sexes(q.text)) if rule_on(SEX_CUES) else None  # '… my wife …': a man
            feats = []
            for c in cands:
                src = proposed[c]
                f = {"src:" + k: 1.0 for k in src if k != "kept"}
                if c == s:
                    f["sieve:" + fam] = 1.0
                    f["sieve_conf"] = conf
                f["named_inside"] = float(c in inside)
                f["share"] = math.log(max(counts.get(c, 0), 1) / total) / 10
                f["in_exchange"] = float(c in run)
                f["narrator"] = float(c == narrator)
                f["near_tag"] = (WINDOW + 1 - near_tag[c]) / WINDOW if c in near_tag else 0.0
                f["parity"] = float(c == back2 and c != _speaker(prev) and opens)
                f["repeats_prev"] = float(c == _speaker(prev) and opens and prev is not None
                                          and prev.quotes[-1].closed and q.opened)
                if tagged and g_s:
                    f["tag_gender_agrees"] = float(gender(c) == g_s)
                if pron:
                    f["beat_gender_agrees"] = float(gender(c) == pron)
                    f["beat_gender_differs"] = float(gender(c) not in (pron, "neutral"))
                f["beat_first_person"] = float(first_person and c == narrator)
                if listener:  # in a man and a woman's talk, 'sir' is the woman's word
                    f["addresses_own_sex"] = float(gender(c) == listener)
                    f["addresses_other_sex"] = float(gender(c) not in (listener, "neutral"))
                f["named_in_beat"] = float(c in named_beat)
                f["named_after_beat"] = float(c in named_after_beat)
                f["named_in_lead"] = float(c in named_lead)
                last_spoke = spoke.get(c)
                f["recency"] = (1.0 / (1 + i - last_spoke)
                                if last_spoke is not None and last_spoke >= chapter_start else 0.0)
                f.update({f"{fam}|{k}": v for k, v in list(f.items()) if v and not k.startswith("sieve")})
                for key, sex in (("answered_as", answered), ("asked_as", asked), ("spouse_of", spouse)):
                    if sex:  # '"Yes, sir."' in the next turn: this turn's speaker is a man
                        f[key + "_agrees"] = float(gender(c) == sex)
                        f[key + "_differs"] = float(gender(c) not in (sex, "neutral"))
                if c in called_next:  # one weight for every family: a vocative says the same after any rule
                    f["called_next"] = 1.0
                feats.append(f)
            out.append((q, cands, feats))
        for q in p.quotes:
            if q.speaker:
                spoke[q.speaker] = i
    return out


def _called_next(nxt, index) -> set[str]:
    """The characters the next turn opens by calling by name: the one it answers, so likely the
    speaker of this turn ('"Shall we go?" / "Not yet, Ada."': Ada asked). A name that is only
    mentioned is no sign; a name used as a vocative is."""
    if nxt is None or not rule_on(CALLED_NEXT):
        return set()
    return set(vocatives(nxt.quotes[0].text, index))


def _sex_cues(prev, nxt) -> tuple[str | None, str | None]:
    """A quote paragraph's speaker's sex as the turns around say it: the one word of address of
    the next turn's first speech ('"Yes, sir."' answers a man) and of the previous turn's last
    speech (the one it spoke to is likely the one answering); None where there is no such word or
    the words disagree."""
    if not rule_on(SEX_CUES):
        return None, None
    return (_one(addressed_sexes(nxt.quotes[0].text)) if nxt is not None else None,
            _one(addressed_sexes(prev.quotes[-1].text)) if prev is not None else None)


def _one(sexes: list[str]) -> str | None:
    """The one sex a list names, else None (none, or both)."""
    return sexes[0] if sexes and len(set(sexes)) == 1 else None


def _pronoun_gender(text: str) -> str | None:
    """'male' or 'female' when the narration's third-person pronouns are all of one sex."""
    words = {w.lower() for w in _WORD.findall(text)}
    male, female = bool(words & MALE_PRONOUNS), bool(words & FEMALE_PRONOUNS)
    return "male" if male and not female else "female" if female and not male else None


def score(feats: dict, model: dict) -> float:
    w = model["weights"]
    return sum(w.get(k, 0.0) * v for k, v in feats.items())


def decide(groups, model: dict, rule: str = RULE) -> int:
    """Give each grouped quote the best candidate when it beats the sieve's choice by the model's
    margin, recording rule (the tag ranker's own name when it decides); returns how many quotes
    changed speaker."""
    margin = model.get("margin", 0.0)
    changed = 0
    for q, cands, feats in groups:
        scores = [score(f, model) for f in feats]
        best = max(range(len(cands)), key=lambda k: scores[k])
        c = cands[best]
        if c == q.speaker:
            continue
        base = scores[cands.index(q.speaker)] if q.speaker in cands else -math.inf
        if scores[best] - base > margin:
            q.speaker, q.rule = c, rule
            q.confidence = 1.0 / (1.0 + math.exp(-(scores[best] - base))) if base > -math.inf else 0.5
            changed += 1
    return changed


def arbitrate(paras, index, gender, narrator: str | None = None, model: dict | None = None,
              with_cast: bool = True) -> int:
    """Run the arbiter over a book's paragraphs after the sieve (model: the shipped one by default).
    A book read without a cast is left as the sieve read it unless the model says otherwise
    ('without_cast'): with discovered characters it lowered two development novels."""
    model = load_model() if model is None else model
    if not model.get("weights") or not (with_cast or model.get("without_cast")):
        return 0
    families = tuple(model.get("families", ()))
    groups = candidate_groups(paras, index, gender, narrator, families)
    sieve = {id(q): (q.speaker, q.rule, q.confidence) for q, _, _ in groups}
    decide(groups, model)
    if model.get("joint"):  # then each exchange's turns together, the neighbours as now read
        decide_jointly(paras, candidate_groups(paras, index, gender, narrator, families, sieve),
                       model["joint"], RULE, sieve)
    return sum(q.rule == RULE for q, _, _ in groups)


def switched(model: dict | bool | None, disabled) -> dict | bool | None:
    """The arbiter model with rules switched off: False without 'arbiter'; without its joint
    decoding without 'arbiter-joint'; else model as given (None: the shipped one). A signal's
    own switch ('arbiter-called-next') needs no model change: build.analyse runs the arbiter
    inside the rule switches, so the switched-off signal is never computed."""
    if model is False or RULE in disabled:
        return False
    if JOINT not in disabled:
        return model
    return {k: v for k, v in (model if isinstance(model, dict) else load_model()).items() if k != "joint"}


def load_model(path: Path = MODEL_PATH) -> dict:
    """The shipped arbiter (weights per feature name, margin, families it may revisit)."""
    return _load(str(path))


# -- fitting (bench/fit_arbiter.py)


def design(groups_feats: list[list[dict]], names: list[str] | None = None):
    """Stack feature dicts into a matrix: (X, group start offsets, feature names)."""
    import numpy as np

    names = names or sorted({k for fs in groups_feats for f in fs for k in f})
    col = {n: j for j, n in enumerate(names)}
    rows = sum(len(fs) for fs in groups_feats)
    X = np.zeros((rows, len(names)))
    starts = np.zeros(len(groups_feats), dtype=int)
    r = 0
    for g, fs in enumerate(groups_feats):
        starts[g] = r
        for f in fs:
            for k, v in f.items():
                j = col.get(k)
                if j is not None:
                    X[r, j] = v
            r += 1
    return X, starts, names


def fit(groups_feats: list[list[dict]], gold: list[int], l2: float = 1.0, steps: int = 30,
        start: dict | None = None, tol: float = 1e-5) -> dict:
    """Conditional-logit weights: for each group of candidates (feature dicts) the index of the
    right one; Newton's method on the softmax likelihood with an L2 penalty (from the weights
    `start` when given: a fold's fit starts from the fit on all groups)."""
    import numpy as np

    X, starts, names = design(groups_feats)
    n, k = X.shape
    gid = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))
    y = np.zeros(n)
    y[starts + np.asarray(gold, dtype=int)] = 1.0
    w = np.array([(start or {}).get(nm, 0.0) for nm in names])
    for _ in range(steps):
        z = X @ w
        z = z - np.maximum.reduceat(z, starts)[gid]
        e = np.exp(z)
        p = e / np.add.reduceat(e, starts)[gid]
        grad = X.T @ (p - y) + l2 * w
        M = np.add.reduceat(X * p[:, None], starts, axis=0)
        hess = (X * p[:, None]).T @ X - M.T @ M + l2 * np.eye(k)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < tol:
            break
    return {"weights": {nm: round(float(v), 5) for nm, v in zip(names, w) if abs(v) > 1e-6}}
