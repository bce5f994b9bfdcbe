"""Resolving the words of a speech tag to a character: names, pronouns, descriptions.

A `Resolver` knows the characters (a `CharacterIndex`) and who is on stage (`Salience`, most
recently named first). Given the noun phrase of a tag -- 'Miss Lucas', 'she', 'his wife',
'the doctor', 'it' -- and what is known about the turn (`Context`), it names the character
meant, or None when nothing fits.

A `Resolver` is built in layers: pronouns by salience (render/script/pronouns.py), descriptions
(render/script/descriptions.py), and here proper names. `Salience` and `Context` live in
render/script/salience.py and are imported from here too.
"""

from __future__ import annotations

import re

from . import tags as T
from .characters import Character
from .descriptions import DescriptionResolver
from .kin_stage import KinOnStage
from .normalize import strip_title, title_gender
from .quote_model import rule_on
from .role_bearers import RoleBearers
from .salience import Context, Salience
from .spelling import spelt_like

__all__ = ["Context", "Resolver", "Salience"]


class Resolver(KinOnStage, RoleBearers, DescriptionResolver):
    """Turns the words of a tag into a character name."""

    def name(self, np: str) -> str | None:
        """A proper name (with optional title/'the') to a canonical name; may create one."""
        np = re.sub(r"\s+", " ", np.strip())
        words = np.split()
        if len(words) > 1 and words[0] in ("Poor", "Old", "Young", "Dear", "Good"):
            np = " ".join(words[1:])  # 'Poor Alice' is Alice
        ch = self.index.resolve(np)
        if ch is not None:
            return ch.name
        if self.index.candidates(np):
            named = self._first_name_of(np, self.index.candidates(np)) if rule_on("first-name") else None
            return named or self._pick_salient([c.name for c in self.index.candidates(np)])
        words = np.split()
        lead = next((i for i, w in enumerate(words) if w[:1].isupper() and i > 0), 0)
        first = 1 if words[0].lower() in ("the", "a", "an") else 0
        if lead > first and words[lead] != "I" and all(w.islower() for w in words[first:lead]):
            # 'the sleepy Noah' / 'dour Major Callendar' is Noah / Major Callendar
            ch = self.index.resolve(" ".join(words[lead:]))
            if ch is not None:
                return ch.name
        while len(words) > 1:  # 'Alice Liddell Smith' -> 'Alice Liddell' -> 'Alice'
            words = words[:-1]
            ch = self.index.resolve(" ".join(words))
            if ch is not None:
                return ch.name
        ch = spelt_like([c for c in self.index.characters if c.name not in self.new_names], np)
        if ch is not None:
            return ch.name
        if not self.allow_new:
            return None
        bare = np
        for det in ("the ", "The ", "a ", "A ", "an ", "An "):
            if bare.startswith(det):
                bare = bare[len(det):]
        if not bare or bare.split()[0] in T.NOT_NAMES:
            return None
        title, rest = strip_title(bare)
        if title and not rest:
            return None
        if bare not in self.new_names:
            ch = Character(name=bare, gender=title_gender(bare) or "neutral")
            self.new_names[bare] = ch
            self.index.add(ch)
        return bare

    def _first_name_of(self, word: str, found: list[Character]) -> str | None:
        """A first name two characters share, written alone, names the one the book less often
        calls by full name: the other is written in full so as not to be taken for them."""
        if " " in word.strip() or not word[:1].isupper():
            return None
        def words(name: str) -> list[str]:
            return strip_title(name)[1].split()

        full: dict[str, int] = {}  # character with a full name starting with word -> times written so
        for ch in found:
            if any(len(words(a)) > 1 and words(a)[0] == word for a in (ch.name, *ch.aliases)):
                full[ch.name] = sum(n for w, n in self.written.items()
                                    if words(w)[:1] == [word] and self.index.resolve(w) is ch)
        if len(full) < 2:
            return None
        ranked = sorted(full, key=full.get)
        return ranked[0] if 2 * full[ranked[0]] < full[ranked[1]] else None
