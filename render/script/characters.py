"""Characters: who can speak, under which names, and of which gender.

A `CharacterIndex` maps every surface form of a name ("Elizabeth", "Miss Bennet", "Lizzy",
"the Hatter") to one canonical character and finds those mentions in narration. It is built
from a cast file, from names discovered in the text (`discover_characters`), or both (the cast
wins wherever the two overlap).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .cast import Cast, normalize_name
from .model import NARRATOR
from .lexicon import FEMALE_TITLES, FUNCTION_WORDS, MALE_TITLES, RANK_TITLES, TITLE_SET
from .normalize import strip_title, title_gender
from .quote_model import rule_on


@dataclass
class Character:
    """One speaking (or mentionable) person: canonical name, aliases, gender."""

    name: str
    aliases: set[str] = field(default_factory=set)
    gender: str = "neutral"  # male | female | neutral
    from_cast: bool = False  # named in the cast file (never dropped, never renamed)
    mentions: int = 0  # times the name occurs in narration (discovery)
    quotes: int = 0  # quotes attributed to it (filled in after attribution)


_DETERMINERS = ("the ", "a ", "an ")


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    """Lookup form of a name: normalized, without a leading article ('The Hatter' -> 'hatter')."""
    key = normalize_name(name)
    for det in _DETERMINERS:
        if key.startswith(det) and len(key) > len(det):
            return key[len(det):]
    return key


class CharacterIndex:
    """Surface name -> character lookup, plus a regex that finds mentions in text."""

    def __init__(self, characters: list[Character]):
        self.characters: list[Character] = []
        self.by_name: dict[str, Character] = {}
        self._alias: dict[str, list[Character]] = defaultdict(list)
        self._part = None
        self._regex = None
        self._found: dict[tuple[str, int, int], list] = {}  # mentions by span, for this regex
        for ch in characters:
            self.add(ch)

    def add(self, ch: Character) -> None:
        """Register a character and all its names (the first character to claim a name keeps it)."""
        self.characters.append(ch)
        self.by_name[ch.name] = ch
        for alias in {ch.name, *ch.aliases}:
            if alias and alias.strip():
                lst = self._alias[_key(alias)]
                if ch not in lst:
                    lst.append(ch)
        self._regex = None
        self._found = {}
        self._part = None

    def gender(self, name: str) -> str:
        """The gender of the character called name ('neutral' for one the index does not hold)."""
        ch = self.by_name.get(name)
        return ch.gender if ch is not None else "neutral"

    def candidates(self, surface: str) -> list[Character]:
        """Every character that answers to this surface form (shared aliases give several)."""
        key = _key(surface)
        found = self._alias.get(key)
        if found:
            return found
        title, rest = strip_title(surface.strip())
        if title:
            # "Mr. Darcy" when only "Darcy" is known: keep those whose gender fits the title
            gender = "female" if title in FEMALE_TITLES else "male" if title in MALE_TITLES else None
            found = [c for c in self._alias.get(_key(rest), [])
                     if gender is None or c.gender in (gender, "neutral")]
            if found:
                return found
        return self.partial(surface)

    def _partials(self) -> tuple[dict, dict]:
        """Word -> characters whose names contain it; title -> characters who bear it."""
        if self._part is None:
            words: dict[str, list[Character]] = defaultdict(list)
            titles: dict[str, list[Character]] = defaultdict(list)
            for ch in self.characters:
                for alias in {ch.name, *ch.aliases}:
                    title, bare = strip_title(alias.strip())
                    if title and ch not in titles[title]:
                        titles[title].append(ch)
                    parts = re.findall(r"[A-Z][\w'\-]*", bare)
                    if parts and parts[0] in ("The", "A", "An"):
                        continue  # descriptions ('The Old Man') lend no words
                    for w in parts:
                        if len(w) >= 3 and w not in _WEAK_WORDS and not _function_word(w) and ch not in words[w]:
                            words[w].append(ch)
            self._part = (dict(words), dict(titles))
        return self._part

    def partial(self, surface: str) -> list[Character]:
        """Characters a partial name may mean: 'Astley' for 'Mr. Astley', 'Mademoiselle' for
        'Mademoiselle Reisz', 'Miss Lucas' for 'Charlotte Lucas' (gender must fit the title)."""
        words, titles = self._partials()
        surface = re.sub(r"\s+", " ", surface.strip())
        for det in ("the ", "The "):
            if surface.startswith(det):
                surface = surface[len(det):]
        title, bare = strip_title(surface)
        if not title and surface.rstrip(".") in TITLE_SET:
            return list(titles.get(surface.rstrip("."), []))
        parts = bare.split()
        if not parts:
            return []
        found = list(words.get(parts[-1], [])) if len(parts) == 1 or title else []
        if len(parts) > 1 and not title:
            return []
        if title:
            gender = "female" if title in FEMALE_TITLES else "male" if title in MALE_TITLES else None
            found = [c for c in found if gender is None or c.gender in (gender, "neutral")]
            # 'Miss Lucas' is not 'Lady Lucas': prefer those who bear this very title
            same = [c for c in found if c in titles.get(title, [])]
            found = same or [c for c in found if not any(
                c in titles.get(t, []) for t in _EXCLUSIVE.get(title, ()))]
        return found

    def unique_partials(self) -> list[str]:
        """Partial names that point to one character only (they join the mention regex)."""
        words, titles = self._partials()
        out = [w for w, chs in words.items() if len(chs) == 1 and w not in _NOT_NAME_WORDS]
        out += [t for t, chs in titles.items() if len(chs) == 1 and t in _ADDRESS_TITLES]
        return out

    def resolve(self, surface: str) -> Character | None:
        """The character a surface form names, or None when unknown (or ambiguous)."""
        found = self.candidates(surface)
        if len(found) == 1:
            return found[0]
        return None

    @property
    def regex(self) -> re.Pattern:
        """Finds any known name (longest alternatives first).

        Proper names match as written ('Mr. Darcy', with any whitespace and an optional period
        after a title); descriptive aliases ('The Old Gentleman') match after an article, either
        as written or in lower case ('the old gentleman').
        """
        if self._regex is None:
            names: set[str] = set()
            described: set[str] = set()  # after any article ('A Gryphon': 'a gryphon', 'the Gryphon')
            definite: set[str] = set()  # 'The Servant' is not 'a servant': someone new, or anyone
            titles: set[str] = set()  # 'Master' of 'The Master': not in 'Master Charles Bates'
            for ch in self.characters:
                for alias in {ch.name, *ch.aliases}:
                    alias = alias.strip()
                    if len(alias) < 2 or alias == NARRATOR or alias == "I":
                        continue
                    low = alias.lower()
                    det = next((d for d in _DETERMINERS if low.startswith(d)), None)
                    if det:
                        tail = alias[len(det):].strip()
                        # 'The Stout Man' is introduced as 'a stout man'; 'The Servant' is not every 'a servant'
                        forms = definite if det == "the " and " " not in tail else described
                        forms.add(tail)
                        forms.add(tail.lower())
                        first, _, rest = tail.partition(" ")
                        if rest:
                            forms.add(first + " " + rest.lower())  # 'a Hindoo servant'
                        if tail[:1].isupper() and " " not in tail:
                            titles.add(tail)  # 'Hatter!' as a vocative
                    else:
                        names.add(alias)
                        if _described(alias):
                            names.add(alias.lower())  # 'One of the Women' is 'one of the women' in narration
            titles -= names
            known = {_key(n) for n in names | titles} | {_key(n) for n in described | definite}
            for w in self.unique_partials():
                if _key(w) not in known:
                    names.add(w)
            alts = []
            for forms, dets in ((described | definite, r"[Tt]he|[Tt]his|[Tt]hat"), (described, r"[Aa]n?")):
                if forms:
                    body = "|".join(_name_pattern(a) for a in sorted(forms, key=len, reverse=True))
                    alts.append(r"(?:" + dets + r")\s+(?:" + body + r")")
            if names:
                body = "|".join(_name_pattern(a) for a in sorted(names, key=len, reverse=True))
                alts.append(r"(?:[Tt]he\s+)?(?:" + body + r")")
            if titles:  # a role's word set before a name is that name's title ('Admiral Brand')
                body = "|".join(_name_pattern(a) for a in sorted(titles, key=len, reverse=True))
                alts.append(r"(?:[Tt]he\s+)?(?:" + body + r")(?!\s+[A-Z][a-z])")
            if not alts:
                self._regex = re.compile(r"(?!x)x")
            else:
                # every match starts with an article or a name's first letter: testing that letter
                # first spares the whole alternation at most positions (the lookbehind alone cannot)
                first = re.escape("".join(sorted({"T", "t", "A", "a"} | {n[0] for n in names | titles})))
                self._regex = re.compile(r"(?=[" + first + r"])(?<![\w'])(?:" + "|".join(alts) + r")(?!\w)")
        return self._regex

    def mentions(self, text: str, start: int = 0, end: int | None = None):
        """(start, end, surface) of each known name in text[start:end]."""
        end = len(text) if end is None else end
        found = self._found.get((text, start, end))
        if found is None:  # the rules ask about the same span again and again
            regex = self.regex
            found = self._found[(text, start, end)] = [(m.start(), m.end(), m.group(0))
                                                       for m in regex.finditer(text, start, end)]
        return iter(found)


def first_person(characters) -> Character | None:
    """The character who says 'I' in a first-person book (an alias 'I' or 'Narrator (I)'), if any."""
    return next((ch for ch in characters if any(a.strip().lower() in ("i", "narrator (i)") for a in ch.aliases)),
                None)


_WEAK_WORDS = frozenset({"Old", "Young", "Little", "Big", "Great", "Poor", "Good", "Dear", "Saint",
                         "Van", "Von", "Del", "Della", "Les", "Des", "And", "The"})
_NOT_NAME_WORDS = frozenset({"Will", "Rose", "Hope", "Grace", "May", "Mark", "Bill", "Frank", "Sir",
                             "Madam", "Lord", "God", "King", "Queen", "Man", "Woman", "Boy", "Girl"})
_ADDRESS_TITLES = frozenset({"Mademoiselle", "Madame", "Monsieur", "Mme", "Mlle", "Doctor", "Dr",
                             "Colonel", "Captain", "General", "Major", "Inspector", "Professor",
                             "Baron", "Baroness", "Count", "Countess", "Marquis", "Sergeant"})
_EXCLUSIVE = {"Miss": ("Mrs", "Lady", "Madame", "Mme"), "Mrs": ("Miss", "Mlle", "Mademoiselle"),
              "Mr": ("Sir", "Lord", "Dr", "Doctor", "Colonel", "Captain")}


def _function_word(word: str) -> bool:
    """A word of English grammar, never a partial name (rule 'alias-function-word'): the cast
    entry 'One of the Women Who Had Been Drinking at the Bar' lends no 'Who' or 'Had', and
    '"Who is there?"' then names no one."""
    return word.lower() in FUNCTION_WORDS and rule_on("alias-function-word")


def _described(alias: str) -> bool:
    """A cast entry that describes someone, opening with a function word other than an article
    ('One Of The Women Who Had Been Drinking At The Bar', 'Her Sister', 'That Inspector In The
    Cab'): narration writes it in lower case ('It was one of the women who had been drinking at
    the bar.'), so it is found so too (rule 'alias-function-word')."""
    words = alias.split()
    return len(words) >= 2 and _function_word(words[0])


def _name_pattern(alias: str) -> str:
    """Regex for one alias: any whitespace between words, optional period after a title."""
    words = alias.split()
    parts = []
    for w in words:
        bare = w.rstrip(".")
        if bare in TITLE_SET:
            parts.append(re.escape(bare) + r"\.?")
        else:
            parts.append(re.escape(w))
    return r"\s+".join(parts)


def from_cast(cast: Cast | None) -> list[Character]:
    """The cast file's characters as Characters (narrator excluded)."""
    if cast is None:
        return []
    out = []
    for m in cast.characters:
        out.append(Character(name=m.name, aliases=set(m.aliases), gender=m.gender, from_cast=True))
    return out


def surname_entries(cast_chars: list[Character]) -> list[Character]:
    """The cast without entries that list someone a second time by bare surname: an entry that
    is one word and nothing more, of no known gender ('Small'), which ends the given name and
    surname of exactly one other entry of known gender ('Jonathan Small'), is that person named
    as narration and speech tags call a man ('said Small'); the word becomes one of their aliases
    (rule 'surname-entry'). A titled name ('Mrs. Highcamp') does not count: the bare word may be
    her husband."""
    if not rule_on("surname-entry"):
        return cast_chars
    out = list(cast_chars)
    for ch in cast_chars:
        word = ch.name.strip()
        if ch.gender != "neutral" or len(word.split()) != 1 or any(a.strip() != word for a in ch.aliases):
            continue
        owners = [o for o in out if o is not ch and any(_given_and_surname(a, word) for a in {o.name, *o.aliases})]
        if len(owners) == 1 and owners[0].gender != "neutral":
            owners[0].aliases.add(word)
            out.remove(ch)
    return out


def _given_and_surname(alias: str, word: str) -> bool:
    """'Jonathan Small' for 'Small': two or more capitalised words, no title, no article."""
    parts = alias.split()
    return len(parts) >= 2 and parts[-1] == word and strip_title(alias)[0] is None \
        and parts[0] not in ("The", "A", "An") and all(w[:1].isupper() for w in parts)


def merge_discovered(cast_chars: list[Character], found: list[Character]) -> list[Character]:
    """Cast characters plus discovered ones no cast name already covers."""
    index = CharacterIndex(cast_chars)
    out = list(cast_chars)
    for ch in found:
        if any(index.candidates(a) for a in {ch.name, *ch.aliases}):
            continue
        out.append(ch)
    return out


def surnames_to_men(characters: list[Character], texts: list[str]) -> None:
    """A bare surname ('Turton', 'Callendar', 'Vyse') that the family's one man bears with a
    title or a given name ('Mr. Turton', 'Major Callendar'), while the other bearers are women
    ('Mrs. Turton', 'Mrs. Callendar'): English calls a man by his surname alone and a woman by
    her title and surname, so the bare word is his -- an alias of his, taken from a woman's
    aliases if a cast gave it to her (rule 'surname-man'). Only a surname the book (texts)
    writes bare (see _written_bare)."""
    if not rule_on("surname-man"):
        return
    bearers: dict[str, list[Character]] = defaultdict(list)  # surname -> men who bear it
    words: dict[str, list[Character]] = defaultdict(list)  # word of any name -> its bearers
    for ch in characters:
        for alias in {ch.name, *ch.aliases}:
            title, bare = strip_title(alias.strip())
            parts = bare.split()
            for w in parts:
                if ch not in words[w]:
                    words[w].append(ch)
            if parts and parts[0] in ("The", "A", "An"):
                continue  # descriptions ('The Cook') name no family
            # a man's titled name ('Mr. Turton'), not a son's given name and surname ('Ralph Moore')
            surname = title is not None and title not in RANK_TITLES and title_gender(alias) != "female"
            if ch.gender == "male" and surname and parts and ch not in bearers[parts[-1]]:
                bearers[parts[-1]].append(ch)
    for word, men in bearers.items():
        if len(men) != 1 or len(word) < 3 or not word[:1].isupper() or word in _WEAK_WORDS \
                or word in _NOT_NAME_WORDS or word in TITLE_SET:
            continue
        if not _written_bare(word, texts):
            continue
        man = men[0]
        others = [c for c in words[word] if c is not man]
        if not others or any(c.gender != "female" for c in others):
            continue
        for woman in others:
            woman.aliases.discard(word)
        man.aliases.add(word)


def _written_bare(word: str, texts: list[str], least: int = 2) -> bool:
    """True when the texts write word at least `least` times with no title or given name before
    it ('ask Callendar', not 'Major Callendar') and never in lower case (a word of the language:
    'eager')."""
    if any(re.search(r"\b" + re.escape(word.lower()) + r"\b", t) for t in texts):
        return False
    rx = re.compile(r"(?<![\w'])" + re.escape(word) + r"(?![\w\-])")
    bare = 0
    for t in texts:
        for m in rx.finditer(t):
            if not re.search(r"[A-Z][\w'\-]*\.?\s+$", t[max(0, m.start() - 30):m.start()]):
                bare += 1
                if bare >= least:
                    return True
    return False
