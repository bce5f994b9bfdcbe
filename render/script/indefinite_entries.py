"""Rule 'indefinite-entry': a tag that leaves its speaker unnamed ('said one', 'said another',
'said one of them') names a cast entry spelt the same way round the noun the narration just used
for the party the speaker belongs to.

    At length two Jews stopped me near the exit.
    "You are a bold young fellow," one said, ...        -> the cast's 'One Jew'

    A group of young fellows came in.
    "Shearing another lamb?" said one of them.          -> 'One Of The Young Fellows'

A cast names such an extra by the number word and the noun ('One Enemy', 'Another Enemy', 'One Of
The Men'); the tag's own words ('one', 'another') cannot find that entry by name, so without this
rule the quote goes to no one. The noun must appear, in the singular or the plural, in the
narration of the quote's paragraph before it or of the few paragraphs before; the entry whose noun
was written last wins. 'one' looks only at 'One …' entries, 'another' only at 'Another …' ones.
"""

from __future__ import annotations

import re

from .quote_model import Para, Quote, rule_on
from .quotes import NARRATION

LOOK_BACK = 3  # paragraphs before the quote's own whose narration may hold the noun

# the tag's words this rule reads: the number word alone, or with 'of them/these/those'
_TAG = re.compile(r"(?P<num>one|another)(?:\s+of\s+(?:them|these|those))?", re.IGNORECASE)
# where a cast entry's noun phrase stops: 'One Of The Women Who Had Been Drinking At The Bar'
_NOUN_END = frozenset({"who", "that", "which", "at", "in", "from", "with", "on", "by"})
_IRREGULAR = {"man": "men", "woman": "women", "gentleman": "gentlemen", "child": "children"}


def _forms(noun: str) -> set[str]:
    """The singular and plural of an English noun ('enemy' -> enemy, enemies; 'men' -> man, men)."""
    forms = {noun}
    for sing, plur in _IRREGULAR.items():
        if noun.endswith(plur):
            forms.add(noun[:-len(plur)] + sing)
        elif noun.endswith(sing):
            forms.add(noun[:-len(sing)] + plur)
    if noun.endswith("ies"):
        forms.add(noun[:-3] + "y")
    elif noun.endswith("s"):
        forms.add(noun[:-1])
    elif noun.endswith("y") and noun[-2:-1] not in "aeiou":
        forms.add(noun[:-1] + "ies")
    else:
        forms.add(noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s"))
    return forms


def entry_noun(alias: str) -> tuple[str, str] | None:
    """('one'|'another', noun) for a cast alias spelt so ('One Of The Young Fellows' ->
    ('one', 'fellows'); 'Another Enemy' -> ('another', 'enemy')), else None."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w\-]*", alias)]
    if len(words) < 2 or words[0] not in ("one", "another"):
        return None
    rest = words[1:]
    if rest[:2] == ["of", "the"]:
        rest = rest[2:]
    elif rest[:1] == ["of"]:
        return None  # 'One of Them' says no noun
    head = []
    for w in rest:
        if w in _NOUN_END:
            break
        head.append(w)
    return (words[0], head[-1]) if head else None


def _narration_before(q: Quote, before: dict) -> list[str]:
    """The narration before q in its paragraph, then that of up to LOOK_BACK paragraphs before
    (nearest first)."""
    p: Para | None = q.para
    texts = [" ".join(p.text[s.start:s.end] for s in p.segments[:q.seg] if s.kind == NARRATION)]
    for _ in range(LOOK_BACK):
        p = before.get(id(p))
        if p is None:
            break
        texts.append(" ".join(p.text[s.start:s.end] for s in p.segments if s.kind == NARRATION))
    return texts


def indefinite_entry(np: str, q: Quote, characters, before: dict) -> str | None:
    """The cast entry an unnamed 'one'/'another' tag names by the narration's last noun (see the
    module's docstring), or None."""
    m = _TAG.fullmatch(np.strip())
    if m is None or not rule_on("indefinite-entry"):
        return None
    num = m.group("num").lower()
    nouns: dict[str, set[str]] = {}  # entry name -> the noun's forms
    for ch in characters:
        for alias in {ch.name, *ch.aliases}:
            found = entry_noun(alias)
            if found and found[0] == num:
                nouns.setdefault(ch.name, set()).update(_forms(found[1]))
    if not nouns:
        return None
    for text in _narration_before(q, before):
        words = [w.lower() for w in re.findall(r"[A-Za-z][\w\-]*", text)]
        last = {name: max((i for i, w in enumerate(words) if w in forms), default=-1)
                for name, forms in nouns.items()}
        best = max(last.values())
        if best >= 0:
            names = [n for n, i in last.items() if i == best]
            return names[0] if len(names) == 1 else None
    return None
