"""The arbiter's joint decoding: the speakers of a run of turns chosen together.

Scored one quote at a time, the arbiter judges each turn given the sieve's neighbours, so one
wrong turn drags the turns after it along (A-B-A alternation read from a wrong 'A'). Here the
turns of one exchange (the quote paragraphs of a run, see confidence._Conversation) form a chain.
A paragraph whose first quote the arbiter may change is a free link with the arbiter's candidates
and their scores; any other paragraph is fixed to the speakers the sieve gave it. Two kinds of
link between turns carry weights fitted with the arbiter's own (render/data/arbiter.json):

- 'same': a turn has the speaker of the turn before;
- 'aba': a turn has the speaker of the turn before last and not that of the turn before;

each in the context of the later turn: it continues a quotation the turn before left open
('cont'), a quote-less paragraph comes between ('gap'), it opens with narration ('beat'), or it
opens with the quotation ('plain'). A third voice is the baseline. The weights are fitted by
pseudo-likelihood: each free turn's candidates scored with the links to its gold neighbours
(`link_features`). The decoding is a second-order Viterbi over each chain with max-marginals, and
a turn changes speaker only when its best reading beats its present one by the model's margin.
"""

from __future__ import annotations

import math

from .confidence import _Conversation

CONTEXTS = ("cont", "gap", "beat", "plain")
NOBODY = "nobody"  # the signal of a free turn's extra reading: a speaker none of its candidates names


def _context(conv, i: int) -> str:
    p = conv.qparas[i]
    prev = conv.near(i, -1)
    if prev is not None and prev.quotes and not prev.quotes[-1].closed and p.starts_with_quote():
        return "cont"
    if conv.gap[i] > 0:
        return "gap"
    return "plain" if p.starts_with_quote() else "beat"


def chains(paras, groups) -> list[list[dict]]:
    """The book's exchanges as chains of turns. A turn: 'ctx' (how it follows the turn before),
    and either 'g' (index into groups: the free group of its first quote) with 'last' (the
    speaker its paragraph ends with when a later quote of it is fixed, else None: the free one),
    or fixed 'first' and 'last' speakers (also a paragraph whose quotes have two speakers now:
    it is no single turn)."""
    conv = _Conversation(paras)
    free = {id(q): k for k, (q, _, _) in enumerate(groups)}
    out: list[list[dict]] = []
    run = None
    for i, p in enumerate(conv.qparas):
        if conv.run_of[i] != run:
            run = conv.run_of[i]
            out.append([])
        turn = {"ctx": _context(conv, i)}
        k = free.get(id(p.quotes[0]))
        if k is not None and len({q.speaker for q in p.quotes if q.speaker}) <= 1:
            turn["g"] = k
            tail = p.quotes[-1]
            turn["last"] = tail.speaker if len(p.quotes) > 1 and id(tail) not in free and tail.speaker else None
        else:
            turn["first"], turn["last"] = p.first_speaker, p.speaker
        out[-1].append(turn)
    return [c for c in out if any("g" in t for t in c)]


def _link(ctx: str, first, last1, last2) -> dict:
    """The link features of a turn that opens with `first` after turns ending with last1 (the one
    before) and last2 (the one before that)."""
    if first is None:
        return {}
    if first == last1:
        return {"link:same:" + ctx: 1.0}
    if last2 is not None and first == last2:
        return {"link:aba:" + ctx: 1.0}
    return {}


def _add(f: dict, g: dict) -> None:
    for k, v in g.items():
        f[k] = f.get(k, 0.0) + v


def link_features(chain_list, groups, labels: dict[int, object]) -> dict[int, list[dict]]:
    """For the pseudo-likelihood fit: group index -> per candidate the link features it would
    have with its neighbours as labels gives them (group index -> the free turn's right speaker,
    or any value no candidate equals when none is right)."""
    out: dict[int, list[dict]] = {}
    for chain in chain_list:
        firsts, lasts = [], []
        for t in chain:
            if "g" in t:
                y = labels.get(t["g"])
                firsts.append(y)
                lasts.append(t["last"] or y)
            else:
                firsts.append(t["first"])
                lasts.append(t["last"])
        for j, t in enumerate(chain):
            if "g" not in t:
                continue
            feats = []
            for c in [*groups[t["g"]][1], None]:  # None: someone no candidate names
                F, L = firsts[:], lasts[:]
                F[j], L[j] = c, t["last"] or c
                f: dict = {} if c is not None else {NOBODY: 1.0}
                for m in (j, j + 1, j + 2):
                    if m < len(chain):
                        _add(f, _link(chain[m]["ctx"], F[m], L[m - 1] if m >= 1 else None,
                                      L[m - 2] if m >= 2 else None))
                feats.append(f)
            out[t["g"]] = feats
    return out


def _link_score(w: dict, ctx: str, first, last1, last2) -> float:
    return sum(w.get(k, 0.0) * v for k, v in _link(ctx, first, last1, last2).items())


def decode_chain(chain, options: list[list[tuple]], w: dict) -> list[dict]:
    """Second-order Viterbi max-marginals over one chain. options[j]: the turn's readings as
    (first, last, unary score). Returns per turn {reading index: the best score of a whole chain
    reading that gives the turn that reading}."""
    n = len(chain)
    NONE = [(None, None, 0.0)]
    opts = [NONE] + [NONE] + options  # two empty turns before the chain start

    def trans(j, a, b, c):  # turn j (index into options) read c after readings b (j-1), a (j-2)
        oa, ob, oc = opts[j][a], opts[j + 1][b], opts[j + 2][c]
        return oc[2] + _link_score(w, chain[j]["ctx"], oc[0], ob[1], oa[1])

    # forward: alpha[j][(b, c)] best score of turns 0..j with turn j-1 read b and turn j read c
    alpha: list[dict] = []
    prev = {(0, 0): 0.0}
    for j in range(n):
        cur: dict = {}
        for (a, b), s in prev.items():
            for c in range(len(opts[j + 2])):
                v = s + trans(j, a, b, c)
                if v > cur.get((b, c), -math.inf):
                    cur[(b, c)] = v
        alpha.append(cur)
        prev = cur
    # backward: beta[j][(b, c)] best score of turns j+1.. given turn j-1 read b and turn j read c
    beta: list[dict] = [dict() for _ in range(n)]
    beta[n - 1] = dict.fromkeys(alpha[n - 1], 0.0)
    for j in range(n - 2, -1, -1):
        nxt = beta[j + 1]
        for (b, c) in alpha[j]:
            beta[j][(b, c)] = max(trans(j + 1, b, c, d) + nxt[(c, d)] for d in range(len(opts[j + 3]))
                                  if (c, d) in nxt)
    out = []
    for j in range(n):
        mm: dict = {}
        for (b, c), s in alpha[j].items():
            v = s + beta[j].get((b, c), -math.inf)
            if v > mm.get(c, -math.inf):
                mm[c] = v
        out.append(mm)
    return out


def _score(f: dict, w: dict) -> float:
    return sum(w.get(k, 0.0) * v for k, v in f.items())


def decide_jointly(paras, groups, model: dict, rule: str, sieve: dict | None = None) -> int:
    """Decode every chain of the book and give each free turn its best reading when that beats
    the turn's present speaker by the model's margin (max-marginals; every turn's present speaker
    has the model's 'stay' bonus, so a reading that changes many turns needs evidence at each).
    Only the turns are decided here (the quotes that do not open their paragraph, and the turns
    best read as someone no candidate names, keep their speakers). sieve: id(quote) -> the sieve's
    (speaker, rule, confidence), restored when the sieve's speaker wins back a quote. Returns how
    many quotes changed speaker."""
    w, margin = model["weights"], model.get("margin", 0.0)
    stay = model.get("stay", 0.0)
    free = {id(q) for q, _, _ in groups}
    changed = 0
    for chain in chains(paras, groups):
        options = []
        for t in chain:
            if "g" in t:
                q, cands, feats = groups[t["g"]]
                options.append([(c, t["last"] or c, _score(f, w) + stay * (c == q.speaker))
                                for c, f in zip(cands, feats)] + [(None, t["last"], w.get(NOBODY, 0.0))])
            else:
                options.append([(t["first"], t["last"], 0.0)])
        for t, mm in zip(chain, decode_chain(chain, options, w)):
            if "g" not in t:
                continue
            q, cands, _ = groups[t["g"]]
            k = max(mm, key=mm.__getitem__)
            if k == len(cands) or cands[k] == q.speaker:
                continue
            lead = mm[k] - (mm.get(cands.index(q.speaker), -math.inf) if q.speaker in cands else -math.inf)
            if lead <= margin:
                continue
            was, conf = q.speaker, 1.0 / (1.0 + math.exp(-lead)) if lead < math.inf else 0.5
            for q2 in q.para.quotes:  # the turn's later free quotes that had its speaker go with it
                if q2 is q or (id(q2) in free and q2.speaker == was):
                    changed += 1
                    if sieve and id(q2) in sieve and sieve[id(q2)][0] == cands[k]:
                        q2.speaker, q2.rule, q2.confidence = sieve[id(q2)]
                    else:
                        q2.speaker, q2.rule, q2.confidence = cands[k], rule, conf
    return changed
