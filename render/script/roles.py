"""People a book never names but tags by their role ('said the turnkey'), and the named
character a role is set beside ('Mr. Bumble, the beadle')."""

from __future__ import annotations

import re
from collections import Counter

from .characters import Character, CharacterIndex
from .genders import guess_genders
from .names import given_name_gender, name_gender
from .lexicon import ADDRESS_WORDS, COMPANIONS, FAMILY, TITLE_SET, NOT_ROLES, PERSON_NOUNS, RELATIONS, ROLE_TITLES, VOICES
from .normalize import noun_gender, strip_title, title_gender
from .quote_model import rule_on


def role(np: str) -> str | None:
    """The role a description names ('the old turnkey' -> 'turnkey'); None for a plain word for a
    person ('the old man'), a relation ('his wife') or a word that says which one ('the other')."""
    words = np.lower().split()
    if len(words) > 3 or words[0] != "the" or not all(w.isalpha() for w in words[1:]):
        return None
    head = words[-1]
    plural = head.endswith("s") and not head.endswith("ss")  # 'the duchess' is one person
    if len(words) < 2 or head in PERSON_NOUNS or head in RELATIONS or head in COMPANIONS \
            or head in VOICES or head in NOT_ROLES or plural:
        return None
    return head


def introduced_roles(roles: dict[str, list[int]], narr: list[tuple[int, str]]) -> set[str]:
    """Roles that tag one speech fewer than MIN_ROLE_TAGS but that the narration of their
    chapters brings in with an indefinite article ('a travelling tinker', 'a maid'): someone new
    on the scene, not another word for a character already there ('the ruffian').
    narr: (chapter, narration) per paragraph."""
    few = {head: set(where) for head, where in roles.items() if len(where) == MIN_ROLE_TAGS - 1}
    if not few:
        return set()
    rx = re.compile(r"\b[Aa]n?\s+(?:[a-z\-]+\s+){0,2}(" + "|".join(map(re.escape, few)) + r")\b")
    out = set()
    for chapter, t in narr:
        for m in rx.finditer(t):
            if chapter in few[m.group(1)]:
                out.add(m.group(1))
    return out


def role_characters(roles: dict[str, list[int]], chars: list[Character], narr: list[str],
                    chapters: int, texts: list[str] | None = None,
                    introduced: set[str] = frozenset(), deferent: Counter | None = None) -> list[Character]:
    """People the book never names but tags by their role ('said the turnkey', 'called the
    croupier'): 'The Turnkey'. Only a role whose speeches all fall in a short stretch of the book
    (at most MAX_ROLE_SPAN chapters, under a third of them) is a minor person of its own; one the
    book uses throughout is a main character's epithet ('the beadle'). A role that is a title
    someone bears ('the doctor' beside 'Doctor Mandelet') or a word of a name stays theirs, and
    one set beside a name ('Mr. Bumble, the beadle') becomes that character's alias; a role used
    throughout that is a title the text (texts: whole paragraphs) gives one character's surname
    ('Doctor Losberne' beside 'Mr. Losberne'), or that is set beside one name ('Mrs. Corney, the
    matron'), is that character's epithet. A role in introduced (see introduced_roles) needs one
    tag fewer; one that addresses someone as 'sir' or 'miss' in a tagged speech (deferent: role ->
    such speeches) needs one tag: a servant or an official speaking in a scene ('"Yes, sir,"
    answered the gamekeeper'), where a passing noun for a character already there ('said the
    ruffian') addresses no one so."""
    titles = {strip_title(a)[0] for ch in chars for a in (ch.name, *ch.aliases)}
    words = {w.lower() for ch in chars for a in (ch.name, *ch.aliases) for w in a.split()}
    out = []
    index = CharacterIndex(chars)
    for head, where in roles.items():
        span = max(where) - min(where) + 1
        if texts is not None and len(where) >= MIN_ROLE_TAGS and head not in words and (
                span > MAX_ROLE_SPAN or 3 * span >= max(1, chapters)) \
                and not titles & set(ROLE_TITLES.get(head, ())):
            owner = _title_owner(ROLE_TITLES[head], chars, texts) if ROLE_TITLES.get(head) else None
            if owner is None:  # an epithet set beside one name ('Mrs. Corney, the matron')
                owner = _apposed_owner(Character("The " + head.capitalize()), index, narr)
            if owner is not None and "the " + head not in {a for ch in chars for a in ch.aliases}:
                owner.aliases.add("the " + head)
                continue
        needed = 1 if deferent and deferent[head] else MIN_ROLE_TAGS - (head in introduced)
        if (len(where) < needed or span > MAX_ROLE_SPAN or 3 * span >= max(1, chapters)
                or head in words or titles & set(ROLE_TITLES.get(head, ()))):
            continue
        out.append(Character(name="The " + head.capitalize(), aliases={"the " + head},
                             gender=noun_gender(head) or "neutral"))
    guess_genders(out, narr)
    for role in list(out):
        owner = _apposed_owner(role, index, narr, rule_on("role-apposed-name"))
        if owner is not None:
            owner.aliases |= role.aliases
            out.remove(role)
    return out


def answered_names(people: list[Character], answered: dict[str, Counter], chars: list[Character],
                   inside: Counter) -> None:
    """A person the book knows by a role who answers a speech that called someone by a name no
    other character bears ('"Now, Ben," replied the coachman. / "…," said the guard'): that name
    is theirs, an alias (and their gender, if the role gave none). people: the role characters;
    answered: role -> names called in the speech its first speech answers (see
    speaker_tags.tag_counts); inside: capitalised words seen inside a sentence -- a word only
    ever capitalised where a sentence starts ('Coming!') is no name. Only a role that answered
    one such name, and a name only one role answered."""
    index = CharacterIndex(chars)
    claims: dict[str, list[Character]] = {}
    for ch in people:
        heads = [a[4:] for a in ch.aliases if a.startswith("the ") and a[4:] in answered]
        names = {n for h in heads for n in answered[h]
                 if n.rstrip(".") not in TITLE_SET and n.capitalize() not in ADDRESS_WORDS
                 and _person_name(n, inside) and index.resolve(n) is None and not index.candidates(n)}
        if len(names) == 1:
            claims.setdefault(names.pop(), []).append(ch)
    for name, owners in claims.items():
        if len(owners) == 1:
            owners[0].aliases.add(name)
            if owners[0].gender == "neutral":
                owners[0].gender = name_gender(name) or "neutral"


def _person_name(name: str, inside: Counter) -> bool:
    """A name called out that names a person: a titled name ('Mrs. Thingummy'), a full name
    whose first word is a given name ('Tom White'; not a place: 'San Miniato'), or one word the
    book also capitalises inside a sentence ('Ben'; not a cry: 'Coming!')."""
    title, bare = strip_title(name)
    words = bare.split()
    if title or not words:
        return bool(title and words)
    return bool(given_name_gender(words[0])) if len(words) > 1 else bool(inside[name])


def titled_by_place(roles: dict[str, list[int]], chars: list[Character],
                    narr: list[tuple[int, str]]) -> list[Character]:
    """A role that is a title ('said the duchess', at least MIN_ROLE_TAGS times in a chapter)
    where that chapter's narration gives the title to one person named by a place ('the Duchess
    of Harley'): that person, a character of their own named so, gender from the title. The
    rules give 'the duchess' to whichever bearer of the title is on stage.
    narr: (chapter, narration) per paragraph."""
    wanted = {head: ROLE_TITLES[head] for head in roles if ROLE_TITLES.get(head)}
    if not wanted:
        return []
    rx = re.compile(r"\b(" + "|".join(t for ts in wanted.values() for t in ts) + r")\s+of\s+([A-Z][a-z]+)\b")
    named: dict[int, set[tuple[str, str]]] = {}
    for chapter, t in narr:
        for m in rx.finditer(t):
            named.setdefault(chapter, set()).add((m.group(1), m.group(2)))
    index = CharacterIndex(chars)
    out: list[Character] = []
    for head, where in wanted.items():
        tagged = roles[head]
        for chapter in sorted(set(tagged)):
            forms = {f"{title} of {place}" for title, place in named.get(chapter, ())
                     if title in where}
            if len(forms) != 1 or tagged.count(chapter) < MIN_ROLE_TAGS:
                continue
            name = forms.pop()
            if index.candidates(name) or any(ch.name == name for ch in out):
                continue
            out.append(Character(name=name, aliases=set(), gender=title_gender(name) or "neutral"))
    return out


def described_people(described: dict[str, list[int]], chars: list[Character]) -> list[Character]:
    """People the tags describe by what they wear or have ('said the gentleman in the white
    waistcoat') or by a compound trait ('the hump-backed man'), at least MIN_ROLE_TAGS times: a
    character named by the whole description, of the gender of its noun ('gentleman')."""
    known = {a.lower() for ch in chars for a in (ch.name, *ch.aliases)}
    out = []
    for desc, where in described.items():
        if len(where) < MIN_ROLE_TAGS or desc in known:
            continue
        words = desc.split()
        noun = words[next((i for i, w in enumerate(words) if w in ("in", "with")), len(words)) - 1]
        out.append(Character(name=" ".join(w.capitalize() for w in desc.split()), aliases={desc},
                             gender=noun_gender(noun) or "neutral"))
    return out


def _apposed_owner(role: Character, index: CharacterIndex, narr: list[str],
                   wide: bool = False) -> Character | None:
    """The named character a role is set beside ('Mr. Sowerberry, the parochial undertaker' /
    'the beadle, Mr. Bumble'), when it is always the same one. wide (rule 'role-apposed-name'):
    the role may be capitalised and follow up to two words of any case ('Mr. McBryde, the
    District Superintendent of Police'), a dash (in some texts three spaces) may set it after a
    name, and a name after it may follow any word ('it was the Collector, Mr. Turton, with whom')."""
    word = role.name[4:].lower()
    head = re.escape(word)
    if wide:
        rx = re.compile(r"(?P<open>,\s+|[\u2014\u2013]\s*|\s{2,})?\b(?:[Tt]he|[Aa]n?)\s+(?:(?!(?:of|from|to|and|or|with|for|by|in|at)\b)[A-Za-z]+\s+){0,2}(?i:" + head
                        + r")\b(?:,\s+)?")
    else:
        rx = re.compile(r"(?:,\s+|^)(?:the|a|an)\s+(?:[a-z]+\s+)?" + head + r"\b(?:,\s+)?")
    found: set[str] = set()
    for t in narr:
        if word not in (t.lower() if wide else t):
            continue  # (the pattern needs the word as written: most paragraphs are passed over)
        for m in rx.finditer(t):
            # a name that is itself an item of a list ('Mr. Brittles, Mr. Giles, the tinker') is
            # no apposition: the role is the next item
            before = [mm for mm in index.mentions(t, max(0, m.start() - 40), m.start())
                      if not t[mm[1]:m.start()].strip(" ,") and (not wide or m.group("open"))
                      and not t[max(0, mm[0] - 5):mm[0]].rstrip().endswith(",")]
            after = [mm for mm in index.mentions(t, m.end(), min(len(t), m.end() + 40))
                     if mm[0] == m.end() and m.group(0).endswith(" ")
                     and not (_LISTED_WIDE if wide else _LISTED_AFTER).match(t, mm[1])]
            for _, _, surface in before + after:
                ch = index.resolve(surface)
                if ch is not None:
                    found.add(ch.name)
    if len(found) == 1:
        return index.by_name[found.pop()]
    return None


_LISTED_AFTER = re.compile(r",?\s+(?:and|or)\b")  # 'the tinker, B, and C' / 'the tinker, B and C'
_LISTED_WIDE = re.compile(r",?\s+(?:and|or)\b|,\s+[A-Z]")  # ... and 'the native constable, B, C, and ...'
MIN_ROLE_TAGS = 3  # speeches tagged with a role before it is a character
MAX_ROLE_SPAN = 5  # chapters over which a minor person's role tags may spread


def _title_owner(titles: tuple[str, ...], chars: list[Character], texts: list[str]) -> Character | None:
    """The one character whose surname the text writes after one of these titles ('Doctor
    Losberne', in narration or speech), when every such surname is theirs."""
    surnames: dict[str, set[int]] = {}
    for i, ch in enumerate(chars):
        for a in (ch.name, *ch.aliases):
            title, bare = strip_title(a)
            if title and bare:
                surnames.setdefault(bare.split()[-1], set()).add(i)
    rx = re.compile(r"\b(?:" + "|".join(titles) + r")\.?\s+([A-Z][a-z]+)\b")
    found: set[int] = set()
    for t in texts:
        for m in rx.finditer(t):
            owners = surnames.get(m.group(1))
            if not owners or len(owners) > 1:
                return None  # a surname no one or several bear: not only one doctor
            found |= owners
    return chars[found.pop()] if len(found) == 1 else None


def epithet_roles(chars: list[Character], roles: dict[str, list[int]], chapters: int) -> list[Character]:
    """Cast characters named only by a role ('The Painter', 'The Clergyman') whose role tags
    speeches all through the book (in a quarter of its chapters, and at least MIN_ROLE_TAGS):
    the epithet of whichever named character holds that role in the scene ('"…," said the
    painter' of Basil Hallward), not one more person. roles: see speaker_tags.tag_counts (rule 'role-epithet'). And a cast character named
    only by a word of kinship, with no article ('Mother', 'Father'): the word a child calls a
    parent by, whoever that is in the scene ('The Son' stays a person: see the plain-noun rules)."""
    out = []
    for ch in chars:
        kin = re.fullmatch(r"[A-Z][a-z]+", ch.name)
        if ch.from_cast and kin and kin.group(0).lower() in FAMILY and rule_on("kin-name") \
                and all(a.lower() == ch.name.lower() for a in ch.aliases):
            out.append(ch)  # 'Mother': someone's kin in the scene (rule 'kin-name')
            continue
        m = re.fullmatch(r"The ([A-Z][a-z\-]+)", ch.name)
        if not rule_on("role-epithet") or not ch.from_cast or m is None \
                or any(a.lower() != ch.name.lower() for a in ch.aliases):
            continue
        where = set(roles.get(m.group(1).lower(), ()))
        if len(where) >= MIN_ROLE_TAGS and 4 * len(where) >= chapters:
            out.append(ch)
    return out
