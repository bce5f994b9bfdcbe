"""Who a role description means when the cast also lists the role unnamed.

'"Let me think," said the doctor.' A cast may list 'The Doctor' for a doctor who is never named,
and the book may also have a named doctor ('Mr. Losberne, a surgeon in the neighbourhood').
A description tag that resolves to the unnamed role entry most often means the named one the
scene holds: a writer who has told us who the doctor is goes on calling him 'the doctor'.
So an unnamed role picked for 'the NOUN' gives way to a named character in the scene whom the
book ties to that noun (rule 'role-named-bearer'):

- a title that means the noun ('Doctor Losberne', 'Dr. Marsh' for 'the doctor');
- a cast form with the noun as its head ('The Mail Guard' for 'the guard');
- an apposition in the narration ('Mr. Losberne, a surgeon').

The unnamed role keeps the line when it is itself the one most in the scene.
"""

from __future__ import annotations

import re

from .lexicon import PERSON_NOUNS, ROLE_TITLES
from .normalize import strip_title
from .pronouns import ON_STAGE
from .quote_model import rule_on

_UNNAMED = ("the ", "a ", "an ", "one ")


def is_unnamed(name: str) -> bool:
    """A cast entry that names a role, not a person ('The Doctor', 'One Young Man')."""
    return name.lower().startswith(_UNNAMED)


def role_noun(np: str) -> str | None:
    """'the doctor' / 'the old surgeon' -> 'doctor' / 'surgeon': the head of a plain definite
    description that is not a plain word for a person ('the man' names whoever the scene holds)."""
    words = np.split()
    if len(words) < 2 or len(words) > 3 or words[0].lower() != "the" or not all(w.isalpha() or "-" in w for w in words):
        return None
    head = words[-1].lower()
    return None if head in PERSON_NOUNS else head


class RoleBearers:
    """Mixed into the resolver: an unnamed role loses a description to a named bearer of it."""

    def nominal(self, np, ctx, chapter, known=None):
        """The description resolver's pick, unless it is an unnamed role a named bearer beats."""
        found = super().nominal(np, ctx, chapter, known)
        if found is None or not is_unnamed(found) or not rule_on("role-named-bearer"):
            return found
        noun = role_noun(np)
        if noun is None:
            return found
        better = self._named_bearer(noun, found, ctx.vocatives)
        return better or found

    def resolve_mention(self, surface):
        """'the doctor' in narration, with the named doctor in the scene, is he: the scene keeps
        him on stage, not the cast's unnamed 'The Doctor' of another chapter."""
        found = super().resolve_mention(surface)
        if found is None or not is_unnamed(found) or not rule_on("role-named-mention"):
            return found
        noun = role_noun(surface)
        return (self._named_bearer(noun, found, ()) if noun else None) or found  # no one is called in narration

    def _named_bearer(self, noun: str, role: str, called) -> str | None:
        """The named character in the scene the book ties to noun, ahead of the unnamed role
        (not one the turn calls by name: called)."""
        order = self.salience.order[:ON_STAGE]
        bearers = [n for n in order if n != role and not is_unnamed(n) and n != self.narrator_name
                   and n not in called and self.salience.fresh(n) and self._bears(n, noun)]
        if not bearers:
            return None
        if role in order and order.index(role) < order.index(bearers[0]) and self.salience.fresh(role):
            return None  # the unnamed role is the one most in the scene
        return bearers[0]

    def _bears(self, name: str, noun: str) -> bool:
        """The book ties the character to the noun: by title, cast form or apposition."""
        ch = self.index.by_name.get(name)
        forms = [name, *(ch.aliases if ch else ())]
        titles = ROLE_TITLES.get(noun, ())
        for f in forms:
            title, bare = strip_title(f)
            if title and title.rstrip(".") in titles:
                return True
            words = f.lower().split()
            if len(words) >= 2 and words[0] in ("the", "a", "an") and words[-1] == noun:
                return True
        return name in self._appositions().get(noun, set())

    def _appositions(self) -> dict[str, set[str]]:
        """noun -> characters the narration sets beside it: 'Mr. Losberne, a surgeon in the
        neighbourhood', or 'The proprietor, Mr. Turner, …' opening a sentence (computed once per
        book from the look-ahead's paragraphs). Only with 'a' and the noun first after a name:
        'Mr. Giles, the tinker (who …)' is as often a list, and 'Lucy, a mortal maid' a figure
        of speech."""
        cached = getattr(self, "_role_appositions", None)
        ahead = getattr(self, "lookahead", None)
        if cached is not None and cached[0] is ahead:
            return cached[1]
        text = " ".join(p.text for p in ahead.paras) if ahead is not None else ""
        forms = _Forms(ch for ch in self.index.characters if not is_unnamed(ch.name))
        found: dict[str, set[str]] = {}
        frames = [(_NAME_A_ROLE, forms.before), (_ROLE_OPENS_NAME, forms.after)]
        if rule_on("role-definite-apposition"):
            frames += [(_ROLE_HIMSELF_NAME, forms.after), (_NAME_THE_ROLE, forms.before)]
        for frame, named in frames:
            for m in frame.finditer(text):
                for who in named(text, m):
                    found.setdefault(m.group(1), set()).add(who)
        self._role_appositions = (ahead, found)
        return found


# The frames of an apposition, each found once in the book's text; the name is then matched at
# the frame's edge (a search per name and frame cost seconds on a long novel).
# 'Mr. Losberne, a surgeon in the neighbourhood': the name before ', a NOUN'
_NAME_A_ROLE = re.compile(r",\s+(?:a|an)\s+([a-z]+)\b")
# 'The proprietor, Mr. Turner, came forward': opening a sentence, the name after it, not a list
_ROLE_OPENS_NAME = re.compile(r"(?:^|[.!?]\s+)The\s+([a-z]+),\s+")
# with 'the' (rule 'role-definite-apposition'): 'sitting the artist himself, Basil Hallward, whose …'
# and 'Theodosia, the nursemaid, approached …' -- the name and the role set off by commas as one
# person; not a list: after the role's comma neither 'and'/'or' nor another capitalised name
# ('Mr. Giles, the tinker, and Brittles' names three people)
_ROLE_HIMSELF_NAME = re.compile(r"\bthe\s+([a-z]+)\s+(?:himself|herself),\s+")
_NAME_THE_ROLE = re.compile(r",\s+the\s+([a-z]+),\s+(?!and\b|or\b|[A-Z])")
_WORD_CHAR = re.compile(r"\w")


class _Forms:
    """The names (and their aliases) an apposition may set beside a role, looked up by the three
    letters at the edge where a frame meets them."""

    def __init__(self, characters):
        self.ends: dict[str, list[tuple[str, str]]] = {}
        self.starts: dict[str, list[tuple[str, str, re.Pattern]]] = {}
        for ch in characters:
            for f in {ch.name, *ch.aliases}:
                if len(f) < 3 or not f[:1].isupper() or f.lower().startswith(_UNNAMED):
                    continue
                self.ends.setdefault(f[-3:], []).append((f, ch.name))
                # the name as a whole word, and not the first of a pair ('Mr. Turner and his son')
                after = re.compile(rf"{re.escape(f)}\b(?!,?\s+and\b)")
                self.starts.setdefault(f[:3], []).append((f, ch.name, after))

    def before(self, text: str, m: re.Match) -> list[str]:
        """The characters one of whose forms ends, as a whole word, where the frame m begins."""
        s = m.start()
        out = []
        for f, who in self.ends.get(text[max(s - 3, 0):s], ()):
            at = s - len(f)
            if at >= 0 and text.startswith(f, at) and (at == 0 or not _WORD_CHAR.match(text, at - 1)):
                out.append(who)
        return out

    def after(self, text: str, m: re.Match) -> list[str]:
        """The characters one of whose forms begins where the frame m ends."""
        e = m.end()
        return [who for f, who, pat in self.starts.get(text[e:e + 3], ()) if pat.match(text, e)]
