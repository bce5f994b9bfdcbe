"""Character discovery: names found in the text, aliases merged, gender guessed."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict

from .quote_model import Para, rule_on
from .tags import NOT_NAMES as _NOT_NAMES
from .characters import Character, CharacterIndex, first_person
from .discovery_merge import merge_diminutives, merge_given_surname, merge_role_names
from .genders import (CAPITALISED, full_name_genders, guess_genders, narration_texts, narrator_gender,
                      role_noun_genders, same_speaker_genders)
from .lexicon import DIMINUTIVES, NATIONALITY_NOUNS, RANK_TITLES, TITLE_SET
from .names import given_name_gender, name_gender
from .normalize import strip_title, title_gender, titles_compatible
from .roles import answered_names, described_people, introduced_roles, role_characters, titled_by_place
from .speaker_tags import _ABBREVIATED, _VOCATIVE, _clean, first_person_names, tag_counts  # noqa: F401

_WT = r"(?:[\w\-]|'(?![sS]\b))*"  # rest of a name word; a possessive 's is not part of it
_W = r"[A-Z]" + _WT
_TITLED = re.compile(r"\b(?:(?:" + "|".join(_ABBREVIATED) + r")\.?|" +
                     "|".join(sorted(TITLE_SET - set(_ABBREVIATED), key=len, reverse=True)) +
                     r")\s+" + _W + r"(?:\s+" + _W + r")?")


# A married couple's other half by the title and surname ('Mrs. Bhattacharya's husband', 'Mr. Collins's wife')
_SPOUSE = re.compile(r"\b(Mrs|Mr)(\.?)\s+([A-Z][a-z]+)'s\s+(?:husband|wife)\b")


_INSIDE = re.compile(r"(?<=[a-z,;]\s)(?:\s*)([A-Z][a-z]+(?:[A-Z][a-z]+)?)")


_COUNTED = re.compile(r"\b(?:(?P<a>an?|An?)|the|The)\s+([A-Z][a-z]+)\b")
MIN_COUNTED = 3  # 'a X' this often (and half as often as 'the X'): X is a kind of person


def _mid_sentence(paras: list[Para]) -> tuple[Counter, Counter, Counter]:
    """Capitalised words seen inside a sentence (after a small word or a comma), after an
    indefinite article ('an Indian') and after 'the', counted."""
    counted: Counter = Counter()
    definite: Counter = Counter()
    for p in paras:
        for m in _COUNTED.finditer(p.text):
            (counted if m.group("a") else definite)[m.group(2)] += 1
    return mid_sentence_words(paras), counted, definite


def mid_sentence_words(paras: list[Para]) -> Counter:
    """Capitalised words seen inside a sentence (see _mid_sentence), counted (without the
    article counts, which build does not need: one regex over the book instead of two)."""
    inside: Counter = Counter()
    for p in paras:
        inside.update(m.group(1) for m in _INSIDE.finditer(p.text))
    return inside


def _called(paras: list[Para]) -> Counter:
    """Names used to address someone inside quotes after other words ('Come in, Francis.', 'my
    dear Gladys'), counted; a word that opens a quote may be a cry ('Hullo!', 'Help!')."""
    out: Counter = Counter()
    for p in paras:
        for q in p.quotes:
            text = q.text
            for m in _VOCATIVE.finditer(text):
                name = m.group("name")
                if re.search(r"\w", text[:m.start("name")]) and name.split()[0] not in _NOT_NAMES:
                    out[name] += 1
    return out


MIN_CALLED = 3  # times a name is called out before it is a character


def discover_characters(paras: list[Para], exclude: CharacterIndex | None = None,
                        min_tags: int = 1, min_titled: int = 3, min_full: int = 2,
                        headings: list[str] = ()) -> list[Character]:
    """Characters named as speakers in tags or by title in narration, aliases merged
    (headings: the chapter titles, read for full names only).

    A first-person narrator ('said I') becomes a character too, named by what the people
    answering them call them ('my dear Watson'), else 'I'.
    """
    tagged = tag_counts(paras)
    tags, said_i, replies, roles = tagged.names, tagged.mine, tagged.replies, tagged.roles
    narr = list(narration_texts(paras))
    titled: Counter = Counter()
    caps: Counter = Counter()
    for t in narr:
        for m in _TITLED.finditer(t):
            name = re.sub(r"\s+", " ", m.group(0))
            if _clean(name):
                titled[name] += 1
        for m in _SPOUSE.finditer(t):  # 'Mrs. Bhattacharya's husband' is Mr. Bhattacharya
            title = {"Mrs": "Mr", "Mr": "Mrs"}[m.group(1)] + m.group(2)
            titled[f"{title} {m.group(3)}"] += 1
        for m in CAPITALISED.finditer(t):
            form = re.sub(r"\s+", " ", m.group(0))
            caps[form] += 1
            first, _, rest = form.partition(" ")
            if " " in rest and first in _NOT_NAMES and first not in TITLE_SET:
                caps[rest] += 1  # 'To Fannie Hamilton's mind': the sentence's first word is no part of the name
    names: Counter = Counter()
    for name, n in tags.items():
        if n >= min_tags:
            names[name] += n
    calls = _called(paras) if exclude is None else Counter()
    for name, n in titled.items():
        if n >= min_titled:
            names[name] += 0
    taken = {w for n in names for w in strip_title(n)[1].split()}
    for name, n in titled.items():
        # one time fewer when a speech calls them by it ('Mr. Sholto'), or by a surname no one
        # else found bears ('"…, Lively," said Fagin')
        bare = strip_title(name)[1]
        if n == min_titled - 1 and (calls[name] or (calls[bare] and bare not in taken)):
            names[name] += 0
    called: set[str] = set()
    if exclude is None:  # someone called by name often enough can answer ('"Why so, Mrs. Hudson?"')
        for name, n in calls.items():
            if n >= MIN_CALLED and _clean(name) == name and name.rstrip(".") not in TITLE_SET:
                names[name] += 0
                called.add(name)
    if exclude is None:  # a word only ever capitalised where a sentence starts is no name ('Also'),
        # nor one that takes an indefinite article as often as a definite one ('an Indian')
        inside, counted, definite = _mid_sentence(paras)
        for n in [n for n in names if " " not in n and n not in TITLE_SET
                  and (not inside[n] or counted[n] >= max(MIN_COUNTED, definite[n] / 2))]:
            del names[n]
    seen = caps + titled
    for n in [n for n in names if _plural_of(n, seen)]:
        del names[n]  # 'the Miss Musgroves' beside 'Miss Musgrove': the sisters, no one person
    # a full name in narration ('Adela Quested') links a first name and a titled surname
    firsts = {n for n in names if " " not in n and n not in TITLE_SET}
    lasts: Counter = Counter()  # surname -> speeches tagged with it after a title
    for n in names:
        title, bare = strip_title(n)
        if title and bare:
            lasts[bare.split()[-1]] += names[n]
    bridges: set[str] = set()
    for form, n in caps.items():
        words = form.split()
        if len(words) == 2 and words[0] in firsts and words[1] in lasts and (
                n >= min_full or min(names[words[0]], lasts[words[1]]) >= 10  # two frequent speakers
                or (words[0] in called and words[0] not in tags)):  # 'Leslie' is 'Leslie Oakley'
            # (a given name only ever called out, never in a tag: once in full is enough)
            names[form] += 0
            bridges.add(form)
        elif exclude is None and len(words) == 2 and words[1] in lasts and n >= min_full \
                and given_name_gender(words[0]):
            names[form] += 0  # one more of the family ('Ralph Moore' beside 'Mrs. Moore')
    # drop anything the cast already covers
    if exclude is not None:
        # nor 'the Englishman', whom the cast names otherwise (see tag_rules._described_by_nation)
        names = Counter({n: c for n, c in names.items() if not exclude.candidates(n)
                         and n.lower() not in NATIONALITY_NOUNS})
        # nor an office the book also writes as a common noun ('said the Magistrate' beside 'a
        # magistrate'): whoever holds it in the scene, not one more person (rule 'office-noun')
        if rule_on("office-noun"):
            for n in [n for n in names if " " not in n and _common_noun(n, paras)]:
                del names[n]
    together = _together(names, narr)
    chars = merge_aliases(names, caps + titled, narr, together, replies)
    if exclude is None and rule_on("diminutive-given"):  # 'Lizzy' is Elizabeth, not a second voice
        chars = merge_diminutives(chars, together, replies)
    if exclude is None and rule_on("given-surname"):  # 'Henry Tilney' ... 'Mr. Tilney': one man
        heads = list(headings) if rule_on("titled-full-name") else []  # 'Miss Lucy Honeychurch Drive Out'
        chars = merge_given_surname(chars, [p.text for p in paras] + heads, together, replies)
    given = Counter(w for ch in chars for w in {strip_title(a)[1].split()[0] for a in {ch.name, *ch.aliases}
                                                if len(strip_title(a)[1].split()) > 1})
    # (the first words of each character's full names)
    for ch in chars:  # a linking full name: the character is called by its given name, unless
        # another's full name starts with it too ('Charles Musgrove', 'Charles Hayter')
        if ch.name in bridges and given[ch.name.split()[0]] == 1:
            own = sorted(ch.aliases - bridges - {"I"},
                         key=lambda f: (f != ch.name.split()[0], -names[f] - caps[f], f))
            if own:
                ch.aliases.discard(own[0])
                ch.aliases.add(ch.name)
                ch.name = own[0]
    _untitled_forms(chars)
    if exclude is None:  # with a cast, only clear speakers by name
        by_chapter = [(p.chapter, t) for p in paras for t in narration_texts([p])]
        chars += titled_by_place(roles, chars, by_chapter)
        chars += described_people(tagged.described, chars)
        people = role_characters(roles, chars, narr, len({p.chapter for p in paras}), [p.text for p in paras],
                                 introduced_roles(roles, by_chapter), tagged.deferent)
        answered_names(people, tagged.answered, chars, inside)
        chars += people
        if rule_on("role-apposed-name"):  # 'the Collector, Mr. Turton, with whom': one man
            chars = merge_role_names(chars, narr, together, replies)
    same_speaker_genders(chars, tagged.pronouns)
    role_noun_genders(chars, described=False)  # no pronoun tells: a title that is a role noun ('Doctor Mandelet')
    if exclude is None or first_person(exclude.characters) is None:
        narrator = first_person_narrator(paras, chars, said_i)
        if narrator is not None and narrator not in chars:
            chars.append(narrator)
    return chars


def _common_noun(word: str, paras: list[Para]) -> bool:
    """True when the book also writes word in lower case after an article ('a magistrate')."""
    rx = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+" + re.escape(word.lower()) + r"\b")
    return any(rx.search(p.text) for p in paras)


def _plural_of(name: str, seen: Counter) -> bool:
    """A titled surname in the plural ('Miss Musgroves') where the book also writes it in the
    singular ('Miss Musgrove'): a family or a pair of sisters, not one person."""
    title, bare = strip_title(name)
    return bool(title) and bare.endswith("s") and " " not in bare and bool(seen[f"{title}. {bare[:-1]}"]
                                                                           or seen[f"{title} {bare[:-1]}"])


def _together(names: Counter, narr: list[str]) -> Counter:
    """(form, form) -> number of narration sentences that name both: two people, not one."""
    forms = sorted(names, key=len, reverse=True)
    out: Counter = Counter()
    if not forms:
        return out
    rx = re.compile(r"(?<![\w'])(?:" + "|".join(r"\s+".join(re.escape(w) for w in f.split())
                                                 for f in forms) + r")(?!\w)")
    for t in narr:
        found = list(rx.finditer(t))
        # two forms side by side are one full name ('William Rodney'), not two people
        joined = {i for i in range(len(found) - 1)
                  if not t[found[i].end():found[i + 1].start()].strip()}
        hits = [(m.start(), re.sub(r"\s+", " ", m.group(0))) for i, m in enumerate(found)
                if i not in joined and i - 1 not in joined]
        if len({f for _, f in hits}) < 2:
            continue
        ends = [m.end() for m in _SENTENCE_END.finditer(t) if m.group(1) not in TITLE_SET]
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for at, form in hits:
            by_sentence[bisect_right(ends, at)].add(form)
        for found in by_sentence.values():
            if len(found) > 1:
                for a in found:
                    for b in found:
                        if a != b:
                            out[(a, b)] += 1
    return out


_SENTENCE_END = re.compile(r"(\w*)[.!?]\s+(?=[A-Z\"'])")


def _apart(together: Counter, caps: Counter, a: str, b: str, replies: Counter | None = None) -> bool:
    """a and b are two people: named together in a sentence often enough (at least twice, and in
    5 % of the sentences the rarer one is named in), or one speaks to the other (replies, see
    _tag_names) and the two are seen apart at least twice in all."""
    n = together[(a, b)]
    if n >= 2 and n >= 0.05 * max(1, min(caps[a], caps[b])):
        return True
    spoken = replies[(a, b)] if replies else 0
    return spoken >= 1 and n + spoken >= 2


def merge_aliases(names: Counter, caps: Counter, narr: list[str],
                  together: Counter | None = None, replies: Counter | None = None) -> list[Character]:
    """Group 'Elizabeth Bennet', 'Elizabeth', 'Miss Bennet'-style variants into characters.

    Longer names come first and become canonical; a shorter form joins the one character it
    can belong to (same name with compatible titles and gender, or a word of a full name). A
    bare surname shared by 'Mr.' and 'Mrs.' forms is ambiguous and joins neither; a titled
    one ('Mrs. Maylie' beside 'Rose' and 'Harry Maylie') is a character of its own. A bare
    title ('Mademoiselle') joins the one character who bears it.
    """
    def order(n):
        title, bare = strip_title(n)
        words = len(bare.split())  # 'Mr. Darcy' before 'Darcy'; 'George Emerson' before 'Mr. George Emerson'
        # but a rank stays with the name ('Sir Harry Otway' before 'Harry Otway')
        full = 0 if title in RANK_TITLES else 1 if title is None else 2
        return (-words, (title is None) if words == 1 else full, -names[n] - caps[n])

    # words that follow a title ('Mr. Bennet') are surnames: as a bare name they tell no gender
    surnames = {bare.split()[-1] for title, bare in map(strip_title, names) if title and bare}
    chars: list[Character] = []
    for form in sorted(names, key=order):
        title, bare = strip_title(form)
        gender = title_gender(form) if title or bare in surnames else name_gender(form)
        if bare.rstrip(".") in TITLE_SET:  # 'Mademoiselle', 'Doctor', 'Major'
            bearers = [ch for ch in chars if any(strip_title(a)[0] == bare.rstrip(".")
                                                 for a in {ch.name, *ch.aliases})]
            if len(bearers) == 1:
                bearers[0].aliases.add(form)
                continue
        targets = []
        for ch in chars:
            if not all(titles_compatible(strip_title(a)[0], title) for a in {ch.name, *ch.aliases}):
                continue
            if gender and ch.gender != "neutral" and ch.gender != gender:
                continue  # 'Mr. Beebe' is not 'Minnie Beebe'
            if (together or replies) and any(_apart(together or Counter(), caps, form, b, replies)
                                             for a in {ch.name, *ch.aliases}
                                for b in {a, a.split()[0]}):
                continue  # named together in a sentence: two people ('Mrs. Bennet and Elizabeth')
            for alias in {ch.name, *ch.aliases}:
                ab = strip_title(alias)[1]
                if ab == bare or _formal(ab) == _formal(bare) or (len(bare.split()) == 1 and len(ab.split()) > 1 and bare in ab.split()):
                    targets.append(ch)
                    break
        if len(targets) > 1 and title is None:
            continue  # 'Pontellier' could be Mr. or Mrs. Pontellier
        if len(targets) != 1:
            chars.append(Character(name=form, aliases=set(), gender=gender or "neutral",
                                   mentions=caps[form]))
        else:
            target = targets[0]
            target.aliases.add(form)
            target.mentions += caps[form]
            if target.gender == "neutral":
                target.gender = gender or "neutral"
    full_name_genders(chars, caps)
    guess_genders(chars, narr)
    return chars




def first_person_narrator(paras: list[Para], chars: list[Character],
                          said_i: set[int] | None = None) -> Character | None:
    """The 'I' of a first-person book, when at least three tags say 'said I' / 'I answered'
    (said_i: ids of the paragraphs with such a tag, when the caller has found them)."""
    quote_paras = [p for p in paras if p.quotes]
    if said_i is None:
        said_i = tag_counts(quote_paras).mine
    mine = {i for i, p in enumerate(quote_paras) if id(p) in said_i}
    if len(mine) < 3:
        return None
    votes: Counter = Counter()
    for i in mine:
        for j in (i - 1, i + 1):
            if 0 <= j < len(quote_paras) and j not in mine:
                for q in quote_paras[j].quotes:
                    for name in first_person_names(q.text):
                        votes[name] += 1
    index = CharacterIndex(chars)
    gender = narrator_gender(quote_paras, mine)
    for name, n in votes.most_common(5):
        if n < 2:
            break
        known = index.resolve(name)
        if known is not None and known.quotes == 0 and known.mentions < 5 * n:
            known.aliases.add("I")
            if known.gender == "neutral":
                known.gender = gender
            return known
        if known is None:
            return Character(name=name, aliases={"I"}, gender=name_gender(name) or gender)
    return Character(name="I", aliases={"I"}, gender=gender)


def _untitled_forms(chars: list[Character]) -> None:
    """A titled full name is also written without its title ('Mr. Beachfield Davis' is
    'Beachfield Davis'), and the one word after 'Sir' or 'Dame' is a given name ('Sir Geoffrey'
    is 'Geoffrey'): each such form becomes an alias of the one character it can name."""
    taken = Counter(a for ch in chars for a in {ch.name, *ch.aliases})
    new: dict[str, list[Character]] = defaultdict(list)
    for ch in chars:
        for form in {ch.name, *ch.aliases}:
            title, bare = strip_title(form)
            words = bare.split()
            if title and (len(words) >= 2 or (len(words) == 1 and title in ("Sir", "Dame"))) \
                    and bare not in taken and ch not in new[bare]:
                new[bare].append(ch)
    for bare, owners in new.items():
        if len(owners) == 1:
            owners[0].aliases.add(bare)


def _formal(full: str) -> str:
    """A full name with a familiar given name written out ('Bill Sikes' -> 'William Sikes');
    a name of one word is left as it is."""
    words = full.split()
    if len(words) > 1 and words[0] in DIMINUTIVES:
        return " ".join([DIMINUTIVES[words[0]], *words[1:]])
    return full
