"""What the speech tags of a book say about its people: the names and roles that tag speeches,
the names called out inside speeches, and who answers whom (read by discovery)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import NamedTuple

from .lexicon import BODY_PARTS, DEFERENT_ADDRESS, PERSON_NOUNS, TITLE_SET
from .normalize import strip_title
from .quote_model import Para
from .quotes import NARRATION
from .roles import role
from .tags import NOT_NAMES as _NOT_NAMES, tag_after, tag_before

# titles written short with a full stop ('Mr. Darcy'); after any other title a full stop ends
# the sentence ('Mademoiselle. The …')
_ABBREVIATED = ("Mrs", "Mlle", "Mme", "Capt", "Prof", "Col", "Rev", "Mr", "Ms", "Dr", "St")


_EPITHETS = frozenset({"Poor", "Old", "Young", "Dear", "Good", "Dearest", "Darling"})


def _clean(np: str) -> str | None:
    np = re.sub(r"\s+", " ", np.strip())
    described = np.lower().startswith("the ")
    if described:
        np = np[4:]
    if not np or not np[0].isupper():
        return None
    m = re.match(r"(\S+?)\.\s", np)
    if m and m.group(1) not in _ABBREVIATED:
        np = m.group(1)  # 'Mademoiselle. The …': the sentence ended after the name
    words = np.split()
    while len(words) > 1 and words[0] in _EPITHETS:  # 'Poor Alice' is Alice
        words = words[1:]
        np = " ".join(words)
    # after 'the', a capitalised word opens a name even if it is a month ('the March Hare')
    named = described and len(words) > 1 and words[1] not in _NOT_NAMES
    if (words[0] in _NOT_NAMES and words[0].rstrip(".") not in TITLE_SET and not named) or np in _NOT_NAMES:
        return None
    title, rest = strip_title(np)
    if title and not rest:
        return None
    return np


class TagCounts(NamedTuple):
    """What the speech tags of a book tell discovery (see _tag_names)."""

    names: Counter
    mine: set[int]
    replies: Counter
    roles: dict[str, list[int]]
    pronouns: dict[str, list[int]]
    described: dict[str, list[int]]
    deferent: Counter  # role -> its speeches that address someone as 'sir', 'miss', 'your worship'
    answered: dict[str, Counter]  # role -> names called in the speech its first speech answers


def tag_counts(paras: list[Para]) -> TagCounts:
    """Proper names that appear as the subject of a speech tag, with counts; the ids of the
    paragraphs with a first-person tag ('said I'); and replies: (form, form) -> times a
    paragraph tagged with one opens with a quote right after a paragraph tagged with the other, or
    a speech tagged with one calls the other by name ('"Come, George," said Mr. Emerson'); and
    roles: the head nouns of the descriptions that tag speeches ('said the turnkey'), each with
    the chapters of those speeches; pronouns: [he, she] counts of the pronoun that tags a later
    quote of a paragraph first tagged with a name or role; deferent and answered: what a role's
    speeches say of it (it addresses someone as 'sir'; it answers a speech that called a name:
    '"…, Thornton?" he said. / "Yes, sir," answered the gamekeeper.')."""
    pronouns: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    c: Counter = Counter()
    mine: set[int] = set()
    replies: Counter = Counter()
    roles: dict[str, list[int]] = defaultdict(list)
    described: dict[str, list[int]] = defaultdict(list)
    deferent: Counter = Counter()
    answered: dict[str, Counter] = defaultdict(Counter)
    last: tuple[int, str] | None = None  # (chapter, form) of the previous paragraph's tag
    before: Para | None = None  # the previous paragraph, when it holds speeches
    for p in paras:
        if not p.quotes:
            last = before = None  # narration between two speeches: not necessarily an answer
            continue
        forms: list[str] = []
        speaker = None  # the name or role that tags this paragraph's first tagged quote
        for q in p.quotes:
            for narr, finder in ((p.narration_after(q), tag_after), (p.narration_before(q), tag_before)):
                if narr is None:
                    continue
                found = finder(narr)
                if found and found.kind == "pronoun" and speaker and found.np.lower() in ("he", "she"):
                    # '"…," said the officer. "…," he added': the same speaker goes on
                    pronouns[speaker][found.np.lower() == "she"] += 1
                if found and found.kind == "name":
                    name = _clean(found.np)
                    if name:
                        c[name] += 1
                        forms.append(name)
                        speaker = speaker or name
                        for other in first_person_names(q.text):  # 'Come, George,' said Mr. Emerson
                            if other != name:
                                replies[(name, other)] += 1
                                replies[(other, name)] += 1
                elif found and found.kind == "first-person":
                    mine.add(id(p))
                elif found and found.kind == "nominal":
                    whole = _with_phrase(found.np, narr[found.np_start + len(found.np):]) or _marked(found.np)
                    if whole:
                        described[whole].append(p.chapter)
                    head = role(found.np)
                    if head:
                        roles[head].append(p.chapter)
                        if speaker is None:
                            deferent[head] += bool(_DEFERENT.search(q.text))
                            if q is p.quotes[0] and before is not None and before.chapter == p.chapter:
                                answered[head].update(n for b in before.quotes for n in first_person_names(b.text))
                        speaker = speaker or "The " + head.capitalize()
        here = set(forms)
        opens = next((s.kind for s in p.segments if p.text[s.start:s.end].strip()), None) != NARRATION
        if last is not None and last[0] == p.chapter and len(here) == 1 and last[1] not in here and opens:
            form = forms[0]
            replies[(form, last[1])] += 1
            replies[(last[1], form)] += 1
        last = (p.chapter, forms[0]) if len(here) == 1 else None
        before = p
    return TagCounts(c, mine, replies, roles, pronouns, described, deferent, answered)


def _marked(np: str) -> str | None:
    """A person described by a compound trait ('the hump-backed man', 'the one-eyed woman'),
    lower case; else None ('the old man' is anyone old)."""
    words = np.lower().split()
    if len(words) == 3 and words[0] == "the" and _COMPOUND.fullmatch(words[1]) \
            and words[2] in PERSON_NOUNS and words[2] not in BODY_PARTS:
        return " ".join(words)
    return None


_COMPOUND = re.compile(r"[a-z]+-[a-z]+")
_DEFERENT = re.compile(r"(?:^|[,;:!?.]\s+)(?:" + "|".join(w.replace("'", "['\u2019]") for w in DEFERENT_ADDRESS) +
                       r")\s*(?=[,;:!?.\u2014-]|$)", re.IGNORECASE)
# ('Yes, sir.', 'Please, miss,', 'None, your worship,')


_WITH_PHRASE = re.compile(r"\s+((?:in|with)\s+the\s+(?:[a-z\-]+\s+){0,2}[a-z\-]+)(?=\s*[,.;:!?])")
# ('in the white waistcoat', 'with the wooden leg'; a manner of speaking rarely takes 'the': 'in a
# low voice', 'with a smile')


def _with_phrase(np: str, after: str) -> str | None:
    """The whole description a tag's noun phrase opens when a phrase saying what the person wears
    or has ends the tag ('said the gentleman | in the white waistcoat.'), lower case; else None
    (the tag's own noun phrase stops before the phrase)."""
    words = np.lower().split()
    if not 2 <= len(words) <= 3 or words[0] != "the" or not all(w.isalpha() for w in words):
        return None
    m = _WITH_PHRASE.match(after)
    return " ".join(words) + " " + " ".join(m.group(1).split()) if m else None


_VOCATIVE = re.compile(r"(?:^|[,!?.]\s+|\b(?:[Mm]y\s+dear|[Dd]ear|[Oo]h|[Mm]y\s+good)\s+)(?P<name>" +
                       r"(?:(?:Mr|Mrs|Miss|Dr|Mademoiselle|Madame|Monsieur|Captain|Colonel|General)\.?\s+)?"
                       r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:[A-Z][a-z]+)?)?)\s*(?=[,!?.]|$)")
# (a name may have a capital inside: 'McMurdo')


def first_person_names(text: str) -> list[str]:
    """Capitalised names used to address someone inside a quote ('Come, Watson!')."""
    out = []
    for m in _VOCATIVE.finditer(text):
        name = m.group("name")
        if name.split()[0] not in _NOT_NAMES and not re.fullmatch(r"[A-Z][a-z]{4,}ly", name):
            out.append(name)
    return out
