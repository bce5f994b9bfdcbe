"""The tag ranker: a fitted second look at the speaker a pronoun or a description tag was given.

The sieve resolves 'she said' / 'said the old gentleman' by salience and a few preferences, one
character at a time. Afterwards, when a book is read with a cast, the tag ranker looks again at
every quote whose speaker came from such a tag: it gathers the few characters a reader would
weigh (the sieve's referent, the previous turn's speaker and whom that turn addressed, the turn
before last, the next turn's speaker, the characters on stage of the tag's gender, the names in
the paragraph's narration), describes each by general signals (gender agreement with the tag,
the turn it took, its rank on stage among that gender, whether the narration before the tag
names it, whether the quote names it, whether the quote or the turn before or after calls it
by name ('Well, Jill, …'), whether the paragraph's narration turns to it ('turning
to Alice'), whether the description's words are part of its names or titles; for the sieve's
choice, its rule and how many others of the tag's gender share the exchange), and scores them
with a conditional logit (arbiter.fit) whose weights live in render/data/tag_ranker.json. When
another candidate beats the sieve's choice by the model's margin (in log-odds), the quote gets
that speaker and the rule name 'tag-ranker'. The weights hold no name and no per-book constant;
they are fitted by `bench/fit_tag_ranker.py --fit`. Fixes and explicit tags are never looked at.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from . import tags as T
from . import arbiter
from .arbiter import _SENTENCES, _first, _last_addressee, _speaker, candidate_pool
from .confidence import _Conversation, _named, quote_counts, rule_family
from .features import vocatives
from .lexicon import CONTINUING_VERBS, REPLYING_VERBS, ROLE_TITLES
from .model_file import read_model as _load
from .quote_model import rule_on
from .quotes import NARRATION
from .normalize import noun_gender, pronoun_gender, strip_title

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "tag_ranker.json"
RULE = "tag-ranker"  # the rule name a changed quote records
FAMILIES = ("pronoun-verb", "nominal-verb")  # the tag rules whose referent the ranker revisits
MAX_CANDIDATES = 6
STAGE_OF_GENDER = 2  # characters of the tag's gender proposed from the stage
CALLED = "ranker-called-by-name"  # switch of the signals of who a speech calls by name
_ROLES = frozenset({"sieve", "same_para", "prev", "back2", "addressed_by_prev", "next", "fwd2"})
_TO = re.compile(r"\b(?:to|at|towards|toward|upon|on)\s+(?:the\s+)?$", re.I)  # 'turning to <name>'


def eligible(q) -> bool:
    """Only quotes a pronoun or description tag decided (never a fix, an explicit tag, a turn)."""
    return rule_family(q.rule).startswith(FAMILIES)


def _tag(q, before_para, known):
    """(tag, the narration it was found in) for q's pronoun or description tag, or (None, '')."""
    p = q.para
    if q.rule.endswith("after"):
        narr = p.narration_after(q) or ""
        return (T.tag_after(narr, known) if narr else None), narr
    narr = p.narration_before(q)
    if narr is None and before_para is not None and before_para.segments:
        last = before_para.segments[-1]
        narr = before_para.text[last.start:last.end]
    narr = narr or ""
    return (T.tag_before(narr, known) if narr else None), narr


def _tag_gender(tag, speaker_gender: str | None) -> str | None:
    if tag is None:
        return speaker_gender if speaker_gender in ("male", "female") else None
    if tag.kind == "pronoun":
        return pronoun_gender(tag.np.lower())
    words = tag.np.split()
    return noun_gender(words[-1].lower()) if words else None


def _describes(tag, names: list[str]) -> bool:
    """The description's head noun is a word of one of the candidate's names ('the Doctor'), or
    a title its names bear ('the doctor' for 'Dr. Losberne')."""
    if tag is None or tag.kind != "nominal":
        return False
    head = tag.np.split()[-1].lower()
    titles = ROLE_TITLES.get(head, ())
    for a in names:
        if head in a.lower().replace(".", " ").split() or (titles and strip_title(a)[0] in titles):
            return True
    return False


def candidate_groups(paras, index, gender, narrator: str | None = None) -> list[tuple]:
    """(quote, candidates, feature dicts) for every quote the ranker may change; the sieve's
    choice first among the candidates."""
    conv = _Conversation(paras)
    counts, total = quote_counts(conv)
    known = _Known(index)
    before: dict[int, object] = {}  # quote paragraph -> the paragraph right before it
    last = None
    for p in paras:
        before[id(p)] = last if last is not None and last.chapter == p.chapter else None
        last = p
    seen: dict[str, set[str]] = {}
    spoke: dict[str, int] = {}
    out = []
    for i, p in enumerate(conv.qparas):
        todo = [q for q in p.quotes if q.speaker and eligible(q)]
        if todo:
            prev, nxt = conv.near(i, -1), conv.near(i, 1)
            back2, fwd2 = _speaker(conv.near(i, -2)), _first(conv.near(i, 2))
            addressed = _last_addressee(prev)
            bp = before[id(p)]
            lead = set()
            if bp is not None and not bp.quotes:
                lead = set().union(set(), *(_named(bp.text[g.start:g.end], index) for g in bp.narration()))
            narration = [n for g in p.narration() for n in _ordered(p.text[g.start:g.end], index)]
            run = conv.speakers[conv.run_of[i]]
            anchored = {}  # the neighbouring turns a name tag decided: role -> speaker
            for r, d in (("prev", -1), ("back2", -2), ("next", 1), ("fwd2", 2)):
                o = conv.near(i, d)
                if o is not None:
                    oq = next((x for x in (reversed(o.quotes) if d < 0 else o.quotes) if x.speaker), None)
                    if oq is not None and rule_family(oq.rule).startswith(("explicit-verb", "fix", "self-named")):
                        anchored[r] = oq.speaker
            context = {"gap": conv.gap[i] > 0 and prev is not None,
                       "prev_asks": prev is not None and prev.quotes[-1].text.rstrip(" '\u2019\"_").endswith("?"),
                       "prev_tail": prev is not None and bool(prev.segments)
                       and prev.segments[-1].kind == NARRATION}
            for q in todo:
                out.append(_group(q, p, i, prev, nxt, back2, fwd2, addressed, lead, narration, run,
                                  bp, index, gender, narrator, known, counts, total, spoke, seen, context,
                                  anchored))
        for q in p.quotes:
            if q.speaker:
                spoke[q.speaker] = i
    return [g for g in out if g is not None]


def _group(q, p, i, prev, nxt, back2, fwd2, addressed, lead, narration, run, bp, index, gender,
           narrator, known, counts, total, spoke, seen, context, anchored):
    s = q.speaker
    fam = "pronoun" if q.rule.startswith("pronoun-verb") else "nominal"
    tag, narr = _tag(q, bp, known)
    g = _tag_gender(tag, gender(s))
    opens = q is p.quotes[0] and q.opened and (prev is None or prev.quotes[-1].closed)
    k = p.quotes.index(q)
    same_para = p.quotes[k - 1].speaker if k else None
    verb = " ".join(tag.verb.lower().split()) if tag is not None else ""
    flags = [x for x, on in (*context.items(), ("opens", opens), ("mid_para", bool(k)),
                             ("goes_on_verb", verb in CONTINUING_VERBS), ("reply_verb", verb in REPLYING_VERBS),
                             ("after", q.rule.endswith("after")), ("asks", q.text.rstrip(" '\u2019\"_").endswith("?")))
             if on]
    stage = [c for c in p.stage if c != narrator]
    of_gender = [c for c in stage if g and gender(c) == g]
    head_names = _ordered(narr[:tag.np_start], index) if tag is not None else []
    sources = [("sieve", [s]), ("same_para", [same_para]), ("prev", [_speaker(prev)]), ("addressed_by_prev", [addressed]),
               ("back2", [back2]), ("stage_gender", of_gender[:STAGE_OF_GENDER]),
               ("before_tag", head_names[-1:]), ("narration", narration),
               ("next", [_first(nxt)]), ("fwd2", [fwd2]), ("lead", sorted(lead)), ("stage", stage)]
    cands, proposed = candidate_pool(sources, MAX_CANDIDATES, lambda c: c == narrator and c != s)
    if len(cands) < 2:
        return None
    inside = _named(q.text, index, seen)
    beat = _SENTENCES.split((p.narration_before(q) or "").strip())[-1]
    named_beat = _named(beat, index) if beat else set()
    after_tag = _named(narr[tag.np_start + len(tag.np):], index) if tag is not None else set()
    spoken_to = {n for g in p.narration() for n in _addressed(p.text[g.start:g.end], index)}
    rivals = sum(1 for c in cands if c != s and c in run and g and gender(c) == g)
    # who is called by name: '"Well, Jill, the tide?" / "It turned," she said. / "Then, Wren, we
    # wait."' -- the one a speech calls is not its speaker, and likely speaks in the turn before
    # or after it
    on = rule_on(CALLED)
    called = set(vocatives(q.text, index)) if on else set()
    called_prev = set(vocatives(prev.quotes[-1].text, index)) if on and prev is not None else set()
    called_next = set(vocatives(nxt.quotes[0].text, index)) if on and nxt is not None else set()
    feats = []
    for c in cands:
        src = proposed[c]
        gc = gender(c)
        f = {"src:" + k: 1.0 for k in src}
        if c == s:
            f["sieve:" + q.rule] = 1.0
            f["sieve_rivals"] = float(min(rivals, 2))
        if g:
            f["gender_agrees"] = float(gc == g)
            f["gender_differs"] = float(gc not in (g, "neutral"))
        f["opens_turn"] = float(opens and c == _speaker(prev))  # the last speaker on a new turn
        f["named_inside"] = float(c in inside)
        f["named_in_beat"] = float(c in named_beat)
        f["before_tag_last"] = float(bool(head_names) and c == head_names[-1])
        f["stage_rank"] = 1.0 / (1 + stage.index(c)) if c in stage else 0.0
        f["gender_rank"] = 1.0 / (1 + of_gender.index(c)) if c in of_gender else 0.0
        f["in_lead"] = float(c in lead)
        f["in_exchange"] = float(c in run)
        f["share"] = math.log(max(counts.get(c, 0), 1) / total) / 10
        last = spoke.get(c)
        f["recency"] = 1.0 / (1 + i - last) if last is not None else 0.0
        ch = index.by_name.get(c)
        f["named_after_tag"] = float(c in after_tag)
        f["spoken_to"] = float(c in spoken_to)
        for r, a in anchored.items():
            if a == c:
                f["named_" + r] = 1.0
        f["two_in_exchange"] = float(c in run and len(run) == 2)
        for r in src & _ROLES:
            f.update({f"{r}&{x}": 1.0 for x in flags})
        f["describes"] = float(_describes(tag, [c, *(ch.aliases if ch else ())]))
        f["called_inside"] = float(c in called)
        f["called_by_prev"] = float(c in called_prev)
        f["called_by_next"] = float(c in called_next)
        f.update({f"{fam}|{k}": v for k, v in list(f.items()) if v and not k.startswith("sieve")})
        feats.append(f)
    return q, cands, feats


def _addressed(text: str, index) -> set[str]:
    """The characters the narration turns to ('turning to Alice', 'looked at the Major')."""
    out = set()
    for start, _, surface in index.mentions(text):
        if _TO.search(text[max(0, start - 20):start]):
            ch = index.resolve(surface)
            if ch is not None:
                out.add(ch.name)
    return out


def _ordered(text: str, index) -> list[str]:
    """The characters named in text, in order of their (first) mention."""
    out: list[str] = []
    for _, _, surface in index.mentions(text):
        ch = index.resolve(surface)
        if ch is not None and ch.name not in out:
            out.append(ch.name)
    return out


class _Known:
    """The tag grammar's 'is a known name here' callback, over the character index."""

    def __init__(self, index):
        self.index = index

    def __call__(self, text: str, pos: int):
        m = self.index.regex.match(text, pos)
        if m:
            ch = self.index.resolve(m.group(0))
            return ch.name if ch is not None else None
        return None


def decide(groups, model: dict) -> int:
    """The arbiter's decision (arbiter.decide) under the ranker's rule name: the sieve's referent,
    the first candidate, gives way only past the model's margin."""
    return arbiter.decide(groups, model, RULE)


def rank_tags(paras, index, gender, narrator: str | None = None, model: dict | None = None,
              with_cast: bool = True) -> int:
    """Run the tag ranker over a book's paragraphs after the sieve (the shipped model unless one
    is given); a book read without a cast is left alone unless the model says otherwise."""
    model = load_model() if model is None else model
    if not model.get("weights") or not (with_cast or model.get("without_cast")):
        return 0
    return decide(candidate_groups(paras, index, gender, narrator), model)


def load_model(path: Path = MODEL_PATH) -> dict:
    """The shipped tag ranker (weights per feature name, margin)."""
    return _load(str(path))
