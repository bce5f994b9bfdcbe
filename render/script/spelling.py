"""Names spelt differently from the cast: 'McBryde' for 'Mcbryde', 'Bahadur' for 'Badahur',
'Browlow' for 'Brownlow' -- the same character, not a new one."""

from __future__ import annotations

from .characters import Character
from .normalize import strip_title, title_gender
from .quote_model import rule_on


def spelt_like(characters: list[Character], np: str) -> Character | None:
    """The one character whose name np spells differently: letter case inside a name
    ('McBryde' for 'Mcbryde') or, in a long name, a common misspelling (see _misspelt)."""
    found = _spelt_like_all(characters, np)
    return found[0] if len(found) == 1 else None


def _spelt_like_all(characters: list[Character], np: str) -> list[Character]:
    title, bare = strip_title(np)
    key = bare.casefold()
    if key.startswith("the "):
        key = key[4:]
    if len(key) < 4:
        return []
    found: list[Character] = []
    for ch in characters:
        for alias in (ch.name, *ch.aliases):
            t, b = strip_title(alias)
            b = b.casefold()
            if b.startswith("the "):
                b = b[4:]
            same = b == key or (len(key) >= 6 and len(b) >= 6 and _misspelt(b, key))
            if same and ch not in found and title_gender(np) in (None, title_gender(alias) or ch.gender):
                found.append(ch)
    return found


def fold_variants(cast_chars: list[Character], found: list[Character]) -> list[Character]:
    """Discovered characters, less those whose name only spells a cast name differently (their
    names become that cast character's aliases)."""
    out = []
    for ch in found:
        same = spelt_like(cast_chars, ch.name)
        if same is None:
            kin = _spelt_like_all(cast_chars, ch.name)
            same = _the_man(kin, ch)
            if same is not None:
                for c in kin:  # 'Mrs. McBryde' as the text spells it, not taken for the man
                    c.aliases.update(_respelt(c, ch.name))
        if same is None:
            out.append(ch)
        else:
            same.aliases.update({ch.name, *ch.aliases})
    return out


def _the_man(found: list[Character], ch: Character) -> Character | None:
    """A bare surname spelt like the names of a married pair or of kin ('McBryde' beside 'Mr.
    Mcbryde' and 'Mrs. Mcbryde'): English calls a man by his surname alone and a woman by her
    title and surname, so it is the one man among them (rule 'bare-surname-man')."""
    if not rule_on("bare-surname-man") or strip_title(ch.name)[0] or " " in ch.name.strip() \
            or ch.gender == "female":
        return None
    men = [c for c in found if c.gender == "male"]
    return men[0] if len(men) == 1 and len(found) > 1 else None


def _respelt(ch: Character, bare: str) -> set[str]:
    """ch's titled names with their surname spelt as bare ('Mrs. McBryde' for 'Mrs. Mcbryde')."""
    out = set()
    for alias in (ch.name, *ch.aliases):
        title, b = strip_title(alias)
        if title and b.casefold() == bare.casefold():
            out.add(alias[: len(alias) - len(b)] + bare)
    return out


def _misspelt(a: str, b: str) -> bool:
    """True when b is a with two close letters exchanged ('Badahur') or one letter dropped or
    doubled ('Browlow', 'Brownllow') -- the common misspellings of a name."""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return (len(diff) == 2 and diff[1] - diff[0] <= 2 and a[diff[0]] == b[diff[1]]
                and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    if len(long_) - len(short) != 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[i:] == long_[i + 1:] and (i == len(short) or short[i] != " ") and long_[i] != " "
