"""Resolving a description in a tag ('the old gentleman', 'his wife', 'her companion', 'the
jailer') to a character: by alias, role, epithet, kin by surname, or gender on stage."""

from __future__ import annotations

import re

from .characters import Character
from .lexicon import (ADULT_NOUNS as _ADULT_NOUNS, COMPANIONS as _COMPANIONS, FAMILY as _FAMILY, GENTEEL_NOUNS as _GENTEEL_NOUNS, KIN_SYNONYMS as _KIN_SYNONYMS, LOOKS_ADJECTIVES as _LOOKS_ADJECTIVES, MARRIED_TITLES as _MARRIED_TITLES, PARENTS as _PARENTS, PERSON_NOUNS as _PERSON_NOUNS, PREFERRED_TITLES as _PREFERRED_TITLES, RELATIONS as _RELATIONS, ROLE_NOUNS as _ROLE_NOUNS, ROLE_TITLES as _ROLE_TITLES, VOICES as _VOICES, YOUTH_NOUNS as _YOUTH_NOUNS)
from .newcomers import newcomer_for
from .normalize import noun_gender, strip_title
from .pronouns import ON_STAGE, PronounResolver
from .quote_model import rule_on
from .relations import note_kin, remembered_kin, title_bearer
from .salience import Context


class DescriptionResolver(PronounResolver):
    """Turns a description into a character name (and, from PronounResolver, a pronoun)."""

    def nominal(self, np: str, ctx: Context, chapter: int, known: str | None = None) -> str | None:
        """'the old gentleman' / 'his wife' / 'her mother' -> a character, by alias, memory or gender.

        A role that is also a title ('the doctor') means whichever bearer of it is on stage
        ('Doctor Losberne'), before a minor character listed as 'The Doctor'.
        """
        owned = re.match(r"(?P<owner>.+)['\u2019]s\s+(?P<noun>[\w\-]+)$", np)
        if owned:
            return self._possessed(owned.group("owner"), owned.group("noun").lower(), ctx)
        words = np.split()
        det, head = words[0].lower(), words[-1].lower()
        ch = self.index.resolve(np) or (self.index.resolve(" ".join(words[1:])) if len(words) > 1 else None)
        alias = known or (ch.name if ch is not None else None)
        absent = alias is not None and self._absent_role(words, alias, ctx)
        if absent:
            alias = None
        titles = _ROLE_TITLES.get(head)
        if titles:
            bearers = {c.name for c in self.index.characters
                       if any(strip_title(a)[0] in titles for a in [c.name, *c.aliases])}
            if alias:
                bearers.add(alias)
            on_stage = title_bearer(self, bearers, ctx)
            if on_stage:
                return on_stage
        if alias:
            return alias
        by_role = None if absent else self.described_as(words)
        if by_role:
            return by_role
        key = f"{chapter}:{' '.join(w.lower() for w in words)}"
        remembered = self.nominal_memory.get(key)
        g = noun_gender(head)
        if det in ("my", "his", "her") and head in _COMPANIONS and g is None:
            return self._companion(det, ctx)
        epithet = " ".join(w.lower() for w in words[1:]) if det in ("the", "a", "an") and len(words) > 1 else None
        partner = self._described_partner(det, head, g, words, ctx)
        otherwise = self._tagged_otherwise(words, g, chapter)
        if partner and partner in otherwise:
            partner = None  # 'the young lady' answering Tom is not the one he answered, 'the girl'
        if partner:
            self.nominal_memory[key] = partner
            return partner
        kin = self._kin_of_last_voice(det, head, g, ctx)
        if kin:
            self.nominal_memory[key] = kin
            return kin
        if remembered and self._still_meant(remembered, words) and not (
                ctx.new_turn and remembered == ctx.prev_speaker):
            return remembered
        if g is None:
            return self._described(words, None)
        avoid: set[str] = set()
        owner = None
        if det in ("his", "her"):
            # 'her mother' is not the woman 'her' refers to; it may share her surname
            owner_g = "male" if det == "his" else "female"
            owner = next((v for v in ctx.vocatives if self.gender(v) == owner_g), None) or \
                self._by_gender(owner_g, Context(local=ctx.local, prev_speaker=ctx.prev_speaker,
                                                 new_turn=False))
            if owner and head in _RELATIONS:
                avoid.add(owner)
                if head in _FAMILY:
                    kin = self.relative(owner, head) or remembered_kin(self, owner, head, ctx, avoid)
                    if kin:
                        self.nominal_memory[key] = kin
                        return kin
        avoid |= self.too_young_for(words) | self.too_old_for(words, g) | otherwise
        found = newcomer_for(self, words, g, ctx, avoid) or \
            self.titled_relative(head, g, avoid) or self._by_epithet(epithet, g, ctx, avoid) or \
            self._by_age(words, g, ctx, avoid) or \
            self._by_gender(g, ctx, prefer_titles=self._preferred_titles(words), avoid=avoid)
        if found and epithet:
            self._vote_epithet(epithet, g, found, ctx, avoid)
        note_kin(self, owner, head, g, found, avoid)
        if found:
            self.nominal_memory[key] = found
        return found or self._described(words, g)

    def _still_meant(self, remembered: str, words: list[str]) -> bool:
        """The one a description meant earlier in the chapter still is its bearer when in the
        scene's focus (the three most salient), or on stage and among the voices just heard; not
        someone on the stage's edge who has fallen silent ('said the young man' was Freddy's an
        hour before, and Cecil now talks with Mr. Beebe) (rule 'memory-in-focus').

        And only while they are still in the scene -- named, meant or heard within the last few
        paragraphs (Salience.fresh): 'said the young man' fifteen paragraphs after Freddy last
        spoke is whichever young man is talking now, and 'his mother' a chapter's mother who has
        long left is the mother of the one now speaking. A description that calls its bearer old
        ('the old gentleman') sets one person apart in most scenes and is kept (rule
        'memory-fresh')."""
        if rule_on("memory-fresh") and not _called_old(words) and not self.salience.fresh(remembered):
            return False
        if not rule_on("memory-in-focus"):
            return remembered in self.salience.order[:6]
        return remembered in self.salience.order[:3] or (
            remembered in self.salience.order[:6] and remembered in self.voices)

    def _tagged_otherwise(self, words: list[str], g: str, chapter: int) -> set[str]:
        """'"…," replied the girl. / "…," cried the young lady.': a writer who tags one woman of a
        scene by one plain description and another by a description with a different noun means
        two people when one noun ranks its bearer by class ('lady', 'gentleman') and the other
        does not ('girl', 'woman', 'man'); 'the girl' and 'the young woman' may well be one.
        So not the one another such description of this chapter stands for while they are still
        in the scene and among the voices heard (rule 'tagged-otherwise') -- provided someone
        else in the scene fits the description: with no other woman there but a married one,
        'the young lady' and 'the young girl' are one (a writer may call one girl both in a scene)."""
        head = words[-1].lower()
        if words[0].lower() != "the" or head not in _PERSON_NOUNS or _called_old(words) \
                or not rule_on("tagged-otherwise"):
            return set()  # 'the old lady' and 'the old woman' are as often one person
        prefix = f"{chapter}:the "
        found = set()
        for key, name in self.nominal_memory.items():
            other = key.rsplit(" ", 1)[-1]
            if key.startswith(prefix) and other in _PERSON_NOUNS and (other in _GENTEEL_NOUNS) != (head in _GENTEEL_NOUNS) \
                    and not _called_old(key.split(":", 1)[1].split()) \
                    and noun_gender(other) == g and self.salience.fresh(name) and name in self.voices:
                found.add(name)
        young = head in _YOUTH_NOUNS or "young" in {w.lower() for w in words}
        if found and not any(n not in found and n != self.narrator_name and self.gender(n) == g
                             and self.salience.fresh(n) and not (young and self.grown(n))
                             for n in self.salience.order[:ON_STAGE]):
            return set()  # no one else in the scene fits: the two descriptions are one person
        return found

    def _kin_of_last_voice(self, det: str, head: str, g: str | None, ctx: Context) -> str | None:
        """'"…," said Freddy. / "Ridiculous child!" cried his mother.': on a new turn, 'his'/'her'
        is the one who just spoke, when of that gender, and the relative is theirs -- by surname,
        else the one they were answering, when of the noun's gender (rule 'kin-of-last-voice')."""
        if det not in ("his", "her") or g is None or head not in _FAMILY or not ctx.new_turn \
                or not rule_on("kin-of-last-voice"):
            return None
        owner = ctx.prev_speaker
        owner_g = "male" if det == "his" else "female"
        if owner is None or owner == self.narrator_name or self.gender(owner) != owner_g:
            return None
        kin = self.relative(owner, head) or remembered_kin(self, owner, head, ctx)
        partner = ctx.partner
        if partner is None or partner == owner or partner == self.narrator_name or self.gender(partner) != g \
                or partner in ctx.vocatives or partner not in self.salience.order[:ON_STAGE]:
            partner = None
        if kin and not (partner and partner != kin and self._kin_away(kin, partner)):
            return kin if kin not in ctx.vocatives else None
        return partner

    def _kin_away(self, kin: str, partner: str) -> bool:
        """'"Been there when?" asked her son.': the son who shares her name has not been named,
        meant or heard in the scene, and the man she was answering, who has, is a son by her first
        marriage: a relative by surname out of the scene is not meant when the one the owner talks
        with is of the noun's sex and in it (rule 'kin-in-scene')."""
        return rule_on("kin-in-scene") and not self.salience.fresh(kin) and self.salience.fresh(partner)

    def _described_partner(self, det: str, head: str, g: str | None, words: list[str], ctx: Context) -> str | None:
        """'"…," said Nancy. / "…," said the gentleman.': in an exchange of a man and a woman, a
        new turn tagged with a plain description of a person of the other sex than the previous
        speaker ('the gentleman', 'the stranger', 'the young man') is the party the previous
        speaker was answering, when no one else of that sex has come to the fore since -- before
        the chapter's memory of who the description meant (a writer names the other party so
        when the scene's point of view does not know their name). Not between two of one sex,
        where a description wrongly given once would pass from one to the other."""
        if not rule_on("described-partner") or det != "the" or g is None or head in _FAMILY \
                or head in _ROLE_TITLES or not ctx.new_turn or _AGE_WORDS & {w.lower() for w in words}:
            return None  # 'the old lady' sets one apart by age: see _by_age
        partner = ctx.partner
        if partner is None or ctx.prev_speaker is None or self.gender(ctx.prev_speaker) == g \
                or partner in ctx.vocatives \
                or partner == self.narrator_name or self.gender(partner) != g \
                or partner not in self.salience.order[:ON_STAGE] or partner in self.too_young_for(words) \
                or partner in self.too_old_for(words, g):
            return None
        ahead = next((n for n in self.salience.order if n != self.narrator_name and n not in ctx.vocatives
                      and self.gender(n) == g), None)
        if ahead != partner:
            return None  # another of that sex came to the fore ('He said something to his wife.')
        return partner

    def _absent_role(self, words: list[str], name: str, ctx: Context) -> bool:
        """'said the son' when the cast lists 'The Son' for some scene: a plain noun for a person
        names whoever of that sex the scene holds ('the son' is George, beside his father), not a
        role who is off stage; the role only when on stage or no one else of that sex is."""
        if words[0].lower() != "the" or not rule_on("absent-role") \
                or (len(words) != 2 and not _plain_epithet(words)):
            return False
        head = words[-1].lower()
        g = noun_gender(head)
        ch = self.index.by_name.get(name)
        if g is None or head not in ABSENT_ROLE_NOUNS or ch is None \
                or not any(a.strip().lower() in self._role_forms(words) for a in [ch.name, *ch.aliases]):
            return False
        if name in self.salience.order[:ON_STAGE]:
            return False
        return any(self.gender(n) == g and n != self.narrator_name and n not in ctx.vocatives
                   for n in self.salience.order[:ON_STAGE])

    @staticmethod
    def _role_forms(words: list[str]) -> set[str]:
        """How a cast may write the role a plain description names: 'The Son' for 'the son';
        for 'the young man', also an unnamed one the cast lists as the text brought him in
        ('A Young Man', 'One Young Man'; rule 'absent-epithet-role')."""
        body = " ".join(w.lower() for w in words[1:])
        if not rule_on("absent-epithet-role"):
            return {"the " + body}
        return {det + " " + body for det in ("the", "a", "an", "one")}

    def resolve_mention(self, surface: str) -> str | None:
        """A mention in narration; 'the girl' or 'the lad' that is a cast alias ('The Girl') means
        that character only when it is on stage or no one else of that sex is: a plain noun for a
        person names whoever of that sex the scene holds ('the lad' is Dorian, with Dorian there)."""
        name = super().resolve_mention(surface)
        words = surface.split()
        if name is None or not (len(words) == 2 or _plain_epithet(words)) \
                or words[0].lower() not in ("the", "this", "that") or not rule_on("plain-noun-on-stage"):
            return name  # ('the young man' too, for a cast's 'A Young Man': rule 'absent-epithet-role')
        g = noun_gender(words[-1])
        if g is None or words[-1].lower() not in _PERSON_NOUNS or name in self.salience.order[:ON_STAGE]:
            return name
        return next((n for n in self.salience.order[:ON_STAGE]
                     if self.gender(n) == g and n != self.narrator_name), name)

    def _possessed(self, owner_np: str, head: str, ctx: Context) -> str | None:
        """'the undertaker's wife' / 'Mr. Bumble's lady': never the owner; their kin by surname
        when the noun is a relation, else a character of the noun's gender on stage."""
        owner = self.resolve_mention(owner_np)
        if rule_on("nursery-kin"):
            head = _KIN_SYNONYMS.get(head, head)  # 'Daisy's mamma' is her mother
        if owner and head in _VOICES:
            return owner  # 'said the Rabbit's voice': the owner speaks
        g = noun_gender(head)
        if owner and head in _FAMILY:
            kin = self.relative(owner, head)
            if kin:
                return kin
        if g is None:
            return None
        return self._by_gender(g, ctx, prefer_titles=_PREFERRED_TITLES.get(head, ()),
                               avoid={owner} if owner else set())

    def _companion(self, det: str, ctx: Context) -> str | None:
        """'said my/her companion': the character most on stage besides the one the possessive
        stands for -- a first-person narrator for 'my'; for 'his'/'her', on a new turn the previous
        speaker when of that gender, else the most salient -- and not the one who just spoke."""
        owner = None
        if det != "my":
            g = "male" if det == "his" else "female"
            if ctx.new_turn and ctx.prev_speaker and self.gender(ctx.prev_speaker) == g:
                owner = ctx.prev_speaker
            else:
                owner = next((n for n in self.salience.order if self.gender(n) == g
                              and n != self.narrator_name), None)
        ranked = [n for n in self.salience.order[:ON_STAGE]
                  if n != owner and n not in ctx.vocatives and n != self.narrator_name]
        if ctx.new_turn and ctx.prev_speaker in ranked and len(ranked) > 1:
            ranked.remove(ctx.prev_speaker)
        return ranked[0] if ranked else None

    @staticmethod
    def _preferred_titles(words: list[str]) -> tuple:
        """Titles that make a character on stage the likelier bearer of a description: 'the
        lady' a Lady, Mrs. or Miss; 'the old lady' / 'the elderly woman' a married woman's title
        before a Miss (rule 'old-lady-married')."""
        head = words[-1].lower()
        if _called_old(words) and noun_gender(head) == "female" and head in _ADULT_NOUNS \
                and rule_on("old-lady-married"):
            return _MARRIED_TITLES
        return _PREFERRED_TITLES.get(head, ())

    def _by_age(self, words: list[str], g: str, ctx: Context, avoid: set[str]) -> str | None:
        """'said the old man' / 'the old lady': the one on stage of that sex the narration calls
        'old X' (see features.ages), when only one is (rule 'old-by-name')."""
        lower = [w.lower() for w in words]
        if "old" not in lower[1:-1] or lower[-1] not in _ADULT_NOUNS or not rule_on("old-by-name"):
            return None
        old = [n for n in self._on_stage(g, ctx, avoid) if self.ages.get(n) == "old"]
        return old[0] if len(old) == 1 else None

    def _by_epithet(self, epithet: str | None, g: str, ctx: Context, avoid: set[str]) -> str | None:
        """'the girl' means the character the book has called 'the girl' before, when she is on
        stage and the name has clearly been hers (most of its confident uses) -- and is still in
        the scene: 'the old lady' of Oliver's sickroom is not one in a later chapter who has not
        been named for a dozen paragraphs (rule 'epithet-fresh')."""
        votes = self.epithets.get(epithet or "")
        if not votes:
            return None
        total = sum(votes.values())
        stage = self._on_stage(g, ctx, avoid)
        if rule_on("epithet-fresh"):
            stage = [n for n in stage if self.salience.fresh(n)] or stage
        ranked = sorted(((votes.get(n, 0), n) for n in stage), reverse=True)
        if ranked and ranked[0][0] >= EPITHET_MIN_VOTES and ranked[0][0] * 2 > total:
            return ranked[0][1]
        return None

    def _vote_epithet(self, epithet: str, g: str, found: str, ctx: Context, avoid: set[str]) -> None:
        """A use of an epithet counts for a character when no one else it could mean is on stage."""
        if self._on_stage(g, ctx, avoid) == [found]:
            votes = self.epithets.setdefault(epithet, {})
            votes[found] = votes.get(found, 0) + 1

    def titled_relative(self, head: str, g: str, avoid: set[str]) -> str | None:
        """'her mother' / 'his wife' whose owner has no known surname: a married title is still
        required ('Mrs. Bennet' is a mother, her daughter 'Jane' is not), from those on stage."""
        if head not in _PARENTS:
            return None
        titles = _PREFERRED_TITLES[head]
        return next((n for n in self.salience.order[:ON_STAGE] if n not in avoid and self.gender(n) == g
                     and self.title_of(n) in titles), None)

    def too_young_for(self, words: list[str]) -> set[str]:
        """Characters a description cannot mean by age: one the book calls 'little X' is not
        'the man' or 'the old gentleman'; one it calls 'young X' is not 'the old lady'."""
        lower = [w.lower() for w in words]
        adult = lower[-1] in _ADULT_NOUNS
        old = "old" in lower or "elderly" in lower or "aged" in lower
        if not adult and not old:
            return set()
        return {n for n, age in self.ages.items() if age == "child" or (old and age == "young")}

    def too_old_for(self, words: list[str], g: str | None) -> set[str]:
        """'"…," said the girl' / 'cried the boy': not one of that sex on stage whom a title marks
        as married ('Mrs. Turton'; a girl is 'Miss') or whom the book calls 'old X' -- when
        someone else of that sex on stage is neither (rule 'youth-noun')."""
        if g is None or words[-1].lower() not in _YOUTH_NOUNS or not rule_on("youth-noun"):
            return set()
        stage = [n for n in self.salience.order[:ON_STAGE] if self.gender(n) == g and n != self.narrator_name]
        grown = {n for n in stage if self.grown(n)}
        return grown if len(grown) < len(stage) else set()

    def grown(self, name: str) -> bool:
        """A character no 'girl' or 'boy' means: one with a married title or whom the book calls old."""
        return self.ages.get(name) == "old" or self.title_of(name) in _MARRIED_TITLES

    def described_as(self, words: list[str]) -> str | None:
        """'the jailer' / 'the landlord': a character the cast knows by a description with that
        role as its head noun ('The Jailer at the Trial', 'The Landlord of the Inn') -- the one on
        stage, else the only one. Plain words for a person ('the man') are no role."""
        if len(words) < 2 or words[0].lower() != "the" or words[-1].lower() in _PERSON_NOUNS:
            return None
        want = [w.lower() for w in words[1:]]
        found = []
        for ch in self.index.characters:
            for a in [ch.name, *ch.aliases]:
                parts = a.lower().split()
                if len(parts) < 2 or parts[0] not in ("the", "a", "an"):
                    continue
                body = parts[1:]
                cut = next((i for i, w in enumerate(body) if w in _POST_HEAD), len(body))
                if cut and body[cut - 1] == want[-1] and all(w in body[:cut] for w in want[:-1]):
                    if ch.name not in found:
                        found.append(ch.name)
        on_stage = next((n for n in self.salience.order[:ON_STAGE] if n in found), None)
        if on_stage or len(found) == 1:
            return on_stage or found[0]
        return self._described_by_stage(found) if rule_on("role-of-scene") else None

    def _described_by_stage(self, found: list[str]) -> str | None:
        """'the jailer' beside 'The Jailer At Oliver's Trial' and 'The Jailer At The Dodger's
        Trial': the one whose description names someone on stage (the Dodger), if only one does."""
        stage = [n for n in self.salience.order[:ON_STAGE] if n not in found]
        hits = []
        for name in found:
            text = name.lower()
            for n in stage:
                ch = self.index.by_name.get(n)
                forms = [n, *(ch.aliases if ch else ())]
                if any(len(f) > 2 and re.search(r"\b" + re.escape(strip_title(f)[1].lower().removeprefix("the ")) + r"\b", text)
                       for f in forms if strip_title(f)[1]):
                    hits.append(name)
                    break
        return hits[0] if len(hits) == 1 else None

    def _described(self, words: list[str], gender: str | None) -> str | None:
        """With no character to give it to, 'the lawyer' becomes a character of its own (only
        without a cast, and only for a person: a gendered noun or a known role)."""
        if not self.allow_new or words[0].lower() != "the" or len(words) > 3:
            return None
        head = words[-1].lower()
        if gender is None and head not in _ROLE_NOUNS:
            return None
        name = " ".join(w.capitalize() for w in words)
        if name not in self.new_names and not self.index.candidates(name):
            ch = Character(name=name, aliases={" ".join(words).lower()}, gender=gender or "neutral")
            self.new_names[name] = ch
            self.index.add(ch)
        found = self.index.resolve(name)
        return found.name if found else None

    def surname(self, name: str) -> str | None:
        """The family name a character goes by ('Mr. Bennet', 'Elizabeth Bennet' -> 'Bennet')."""
        ch = self.index.by_name.get(name) or self.new_names.get(name)
        forms = [ch.name, *sorted(ch.aliases)] if ch else [name]
        for form in forms:
            title, bare = strip_title(form)
            words = bare.split()
            if title and words and words[-1][:1].isupper():
                if len(words) == 1 and self._first_name(words[0], forms):
                    continue
                return words[-1]
        for form in forms:
            words = strip_title(form)[1].split()
            if len(words) >= 2 and words[-1][:1].isupper() and words[0] not in ("The", "A", "An") \
                    and not self._first_name(words[-1], forms):
                return words[-1]
        return self.family_names.get(name)

    def _first_name(self, word: str, forms: list[str]) -> bool:
        """'Miss Elizabeth': a word the character also goes by alone ('Elizabeth') and no other
        character bears is a first name, not a family name."""
        if word not in forms:
            return False
        for ch in self.index.characters:
            if word not in [ch.name, *ch.aliases] and any(
                    strip_title(a)[1].split()[-1:] == [word] for a in [ch.name, *ch.aliases] if a.strip()):
                return False
        return True

    def relative(self, owner: str, head: str) -> str | None:
        """'his wife' when 'his' is Mr. Bennet: the one character of the right gender sharing his
        surname (the preferred title breaks ties, then salience). Only the kin who share a name
        in the household: Elizabeth Bennet's aunt is not the Mrs. Bennet who is her mother."""
        family = self.surname(owner)
        g = noun_gender(head)
        if not family or g is None or (head not in _SAME_NAME_KIN and rule_on("aunt-by-name")):
            return None
        kin = []
        for ch in self.index.characters:
            if ch.name == owner or self.gender(ch.name) != g:
                continue
            if any(strip_title(a)[1].split()[-1:] == [family] for a in [ch.name, *ch.aliases] if a.strip()):
                kin.append(ch.name)
        if head in ("husband", "wife") and rule_on("married-pair"):
            kin = self._unmarried_kin(owner, family, head, kin)
        if not kin:
            return None
        prefer = [k for k in kin if self.title_of(k) in _PREFERRED_TITLES.get(head, ())]
        if not prefer and g == "male" and head in _PARENTS and rule_on("bare-surname-head"):
            # a man the book calls by the bare family name ('Oakley') is its Mr. Oakley
            prefer = [k for k in kin if family in {k, *self.index.by_name[k].aliases}]
        pool = prefer or kin
        if len(pool) == 1:
            return pool[0]
        return next((n for n in self.salience.order if n in pool), None)

    def _unmarried_kin(self, owner: str, family: str, head: str, kin: list[str]) -> list[str]:
        """'Mrs. Musgrove' is Mr. Musgrove's wife: Mary Musgrove, who is not she, married another
        Musgrove, so 'her husband' is not Mr. Musgrove (nor 'his wife', of Charles, Mrs. Musgrove)."""
        married = _PREFERRED_TITLES["wife" if head == "husband" else "husband"][:1]
        if self.title_of(owner) in married:
            return kin
        g = self.gender(owner)
        if not any(ch.name != owner and self.gender(ch.name) == g and self.title_of(ch.name) in married
                   and self.surname(ch.name) == family for ch in self.index.characters):
            return kin
        spouse = _PREFERRED_TITLES[head][:1]
        return [k for k in kin if self.title_of(k) not in spouse]


def _called_old(words: list[str]) -> bool:
    """The description calls its bearer old ('the old lady', 'an elderly woman')."""
    return bool(_AGE_WORDS & {w.lower() for w in words[1:-1]})


_AGE_WORDS = frozenset({"old", "elderly", "aged"})


def _plain_epithet(words: list[str]) -> bool:
    """'the young man' / 'the little old lady': a person noun after one or two adjectives of looks,
    the way a writer refers to whoever of that kind the scene holds (rule 'absent-epithet-role')."""
    return 3 <= len(words) <= 4 and rule_on("absent-epithet-role") and \
        all(w.lower() in _LOOKS_ADJECTIVES for w in words[1:-1]) and words[-1].lower() in _PERSON_NOUNS
ABSENT_ROLE_NOUNS = _PERSON_NOUNS | _FAMILY
_POST_HEAD = frozenset({"of", "in", "at", "with", "from", "who", "on"})
EPITHET_MIN_VOTES = 2
# kin who carry the owner's surname: not an aunt, uncle, cousin, niece or grandparent, who as
# often come by marriage or through the mother
_SAME_NAME_KIN = frozenset({"wife", "husband", "mother", "father", "sister", "brother", "daughter", "son"})
