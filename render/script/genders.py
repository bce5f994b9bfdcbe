"""The gender of discovered characters, from what the text says around their names: role nouns
set beside them, the pronouns that follow them, the pronoun that tags the rest of their speech,
and for a first-person narrator how the others address them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .characters import Character, CharacterIndex
from .lexicon import FEMININE_ESS, ROLE_TITLES
from .names import given_name_gender
from .normalize import noun_gender, strip_title
from .quote_model import Para
from .quotes import NARRATION
from .tags import NOT_NAMES

_WT = r"(?:[\w\-]|'(?![sS]\b))*"  # rest of a name word; a possessive 's is not part of it
CAPITALISED = re.compile(r"(?<![\w'])[A-Z][a-z]" + _WT + r"(?:\s+[A-Z][a-z]" + _WT + r")*")
_PRONOUN_AFTER = re.compile(r"\b(he|she|himself|herself)\b", re.I)  # subject and reflexive forms only


def narration_texts(paras: list[Para]):
    """Each paragraph's narration, its pieces joined (quotes left out)."""
    for p in paras:
        pieces = [p.text[s.start:s.end] for s in p.segments if s.kind == NARRATION and not s.cited]
        if pieces:
            yield " ".join(pieces)


def same_speaker_genders(chars: list[Character], votes: dict[str, list[int]]) -> None:
    """A character of no gender yet takes the one of the pronoun that tags the rest of the
    paragraphs they are first named in ('"…," said the officer. "…," he added'), when clear."""
    for ch in chars:
        if ch.gender == "neutral":
            forms = {ch.name, *ch.aliases} | {"The " + a[4:].capitalize() for a in ch.aliases if a.startswith("the ")}
            he = sum(votes[f][0] for f in forms if f in votes)
            she = sum(votes[f][1] for f in forms if f in votes)
            if he + she >= 1 and max(he, she) >= 2 * min(he, she):
                ch.gender = "male" if he > she else "female"


def full_name_genders(chars: list[Character], caps: Counter) -> None:
    """A one-word name seen in narration after given names ('Ambrose Quill' for 'Quill') takes
    their gender when all agree."""
    by_word = {}
    for ch in chars:
        title, bare = strip_title(ch.name)
        if title is None and len(bare.split()) == 1 and not ch.aliases - {"I"}:
            by_word[bare] = ch
    fulls: dict[str, list[str]] = defaultdict(list)
    for form in caps:
        words = form.split()
        if len(words) == 2 and words[1] in by_word and given_name_gender(words[0]):
            fulls[words[1]].append(form)
    for word, forms in fulls.items():
        ch = by_word[word]
        genders = {given_name_gender(f.split()[0]) for f in forms}
        if ch.gender == "neutral" and len(genders) == 1:
            ch.gender = genders.pop()


_ADDRESSED = re.compile(r"(?:\b(?P<word>sir|madam|ma'am|mister|miss)\s*[,.!?;]"
                        r"|\bmy\s+(?:(?:dear|good|poor|young|old|dear\s+young|dear\s+old)\s+)?"
                        r"(?P<noun>fellow|boy|man|lad|chap|girl|lady|woman|lass))", re.I)
_MARRIED = re.compile(r"\bmy\s+(?P<spouse>wife|husband)\b", re.I)


def addressed_sexes(text: str) -> list[str]:
    """The sex of each listener a speech addresses by a word of address: 'Yes, sir.' -> male,
    'Madam!' or 'my good woman' -> female ('my dear fellow' male), in the order written."""
    out = []
    for m in _ADDRESSED.finditer(text):
        word = (m.group("word") or "").lower()
        g = "male" if word in ("sir", "mister") else "female" if word else noun_gender(m.group("noun"))
        if g:
            out.append(g)
    return out


def spouse_sexes(text: str) -> list[str]:
    """The speaker's sex by their own spouse noun, once per mention: 'my wife' -> male, 'my
    husband' -> female."""
    return ["male" if m.group("spouse").lower() == "wife" else "female" for m in _MARRIED.finditer(text)]


def narrator_gender(quote_paras: list[Para], mine: set[int]) -> str:
    """The 'I' narrator's gender from how the replies to their speeches address them ('sir',
    'madam', 'my dear fellow') and from their own narration ('my wife'); neutral when unclear."""
    male = female = 0
    for i in mine:
        for j in (i - 1, i + 1):
            if 0 <= j < len(quote_paras) and j not in mine:
                for q in quote_paras[j].quotes:
                    for g in addressed_sexes(q.text):
                        male += g == "male"
                        female += g == "female"
    for p in quote_paras:
        for t in narration_texts([p]):
            for g in spouse_sexes(t):
                male += g == "male"
                female += g == "female"
    if male + female >= 3 and max(male, female) >= 2 * min(male, female):
        return "male" if male > female else "female"
    return "neutral"



_APPOSED_BEFORE = re.compile(r"\b(?:his|her|my|their|the|our)\s+(?:\w+\s+)?(?P<noun>[a-z]+)\s*,?\s*$", re.I)
_APPOSED_AFTER = re.compile(r"^\s*,\s*(?:his|her|my|their|the|a|an|our)\s+(?:\w+\s+)?(?P<noun>[a-z]+)\b", re.I)


_DOING = re.compile(r",\s+(?:\w+ly\s+)?[a-z]+ing\s+(his|her)\b", re.I)  # a participle and its subject's own
_OBJECT = re.compile(r"\b(?:of|at|to|with|from|by|for|on|in|into|upon|towards?)\s+$", re.I)


def _named_before(t: str, s: int) -> bool:
    """Someone else is named earlier in the sentence that names a character at s: a pronoun after
    both may be theirs."""
    start = max(t.rfind(c, 0, s) for c in ".!?;") + 1
    return any(m.group(0).split()[0] not in NOT_NAMES for m in CAPITALISED.finditer(t, start, s))


def guess_genders(chars: list[Character], narr: list[str]) -> None:
    """Gender from the role noun set beside a name ('her brother Tom', 'Tobias, the old
    ferryman'), from a participle with a possessive right after it ('said the turnkey, laying his
    hand …') and from the pronouns that follow the name in narration ('Tom laughed. He …').

    narr holds each paragraph's narration joined, so '… said Tom. He …' and 'Tom set the cups
    down. "…," he said.' both count.
    """
    todo = [c for c in chars if c.gender == "neutral"]
    if not todo:
        return
    index = CharacterIndex(todo)
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in narr:
        for s, e, surface in index.mentions(t):
            ch = index.resolve(surface)
            if ch is None:
                continue
            for m in (_APPOSED_BEFORE.search(t[max(0, s - 40):s]), _APPOSED_AFTER.match(t[e:e + 40])):
                g = noun_gender(m.group("noun")) if m else None
                if g:
                    votes[ch.name][0 if g == "male" else 1] += 2
            m = _DOING.match(t, e)
            if m:  # 'said the turnkey, laying his hand on …'
                votes[ch.name][0 if m.group(1).lower() == "his" else 1] += 1
            m = _PRONOUN_AFTER.search(t, e, min(len(t), e + 80))
            if m is None:
                continue
            between = t[e:m.start()]
            if CAPITALISED.search(between):
                continue  # another name intervenes
            if _OBJECT.search(t, max(0, s - 12), s):
                continue  # 'the house of the March Hare: she …': the name is no subject
            if _named_before(t, s):
                continue  # 'as Alice could not think …, and as the Caterpillar seemed …, she': the first one's
            w = m.group(1).lower()
            votes[ch.name][0 if w in ("he", "his", "him", "himself") else 1] += 1
    for ch in todo:
        m, f = votes[ch.name]
        if m + f >= 1 and max(m, f) >= 2 * min(m, f):
            ch.gender = "male" if m > f else "female"


def addressed_genders(chars: list[Character], paras: list[Para]) -> None:
    """After attribution, a character of no gender yet takes the one the answers to their speech
    give them: the quotes of the paragraph just before or after one of theirs, spoken by someone
    else, that address its listener as 'sir', 'madam' or 'my good woman' (more of one gender than
    twice the other's, plus one)."""
    todo = {ch.name: ch for ch in chars if ch.gender == "neutral" and not ch.from_cast}
    if not todo:
        return
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    quote_paras = [p for p in paras if p.quotes]
    for i, p in enumerate(quote_paras):
        speakers = {q.speaker for q in p.quotes}
        if len(speakers) != 1 or next(iter(speakers)) not in todo:
            continue
        name = next(iter(speakers))
        for j in (i - 1, i + 1):
            if not 0 <= j < len(quote_paras) or quote_paras[j].chapter != p.chapter:
                continue
            for q in quote_paras[j].quotes:
                if q.speaker is None or q.speaker == name:
                    continue
                for g in addressed_sexes(q.text):
                    votes[name][g == "female"] += 1
    for name, (m, f) in votes.items():
        if max(m, f) >= 2 * min(m, f) + 1:
            todo[name].gender = "male" if m > f else "female"
    # then a described person's role noun ('The Waiter'): only now, for the voice (given before
    # attribution, 'the proprietor' took pronoun tags that were others' on The Sport of the Gods)
    role_noun_genders(list(todo.values()), titles=False)


_TITLE_NOUNS = {t: noun for noun, titles in ROLE_TITLES.items() for t in titles}  # 'Dr' -> 'doctor'


def usage_gender(noun: str) -> str | None:
    """The gender a role noun gives the person it names: a gendered noun's ('the matron'), else
    male for the plain noun of a pair with a feminine -ess form ('waiter' beside 'waitress')."""
    w = noun.lower()
    g = noun_gender(w)
    if g or w in FEMININE_ESS:
        return g or "female"
    if any(f in FEMININE_ESS for f in (w + "ess", w[:-2] + "ress", w[:-1] + "ress")):
        return "male"
    return None


def role_noun_genders(chars: list[Character], titles: bool = True, described: bool = True) -> None:
    """A character of no gender yet whom the text names by a role takes that role's gender
    (usage_gender), when all such nouns agree: with described, the head noun of a description
    ('The Waiter'); with titles, a title that is a role noun ('Doctor Mandelet': 'doctor')."""
    for ch in chars:
        if ch.gender != "neutral" or ch.from_cast:
            continue
        found = set()
        for form in (ch.name, *ch.aliases):
            words = form.split()
            if described and len(words) > 1 and words[0].lower() == "the" and words[-1].isalpha():
                found.add(usage_gender(words[-1]))
            title = strip_title(form)[0]
            if titles and title in _TITLE_NOUNS:
                found.add(usage_gender(_TITLE_NOUNS[title]))
        found.discard(None)
        if len(found) == 1:
            ch.gender = found.pop()
