"""Resolving a pronoun of a tag ('she', 'he', 'it', 'I') to a character, by salience.

`PronounResolver` holds what the resolvers know of the book (the characters, who is on stage,
what the narration has said of them) and ranks the characters a pronoun may mean. The resolvers
of descriptions ('his wife', render/script/descriptions.py) and names (render/script/resolve.py)
build on it.
"""

from __future__ import annotations

from .characters import Character, CharacterIndex
from .lexicon import ROLE_TITLES as _ROLE_TITLES
from .normalize import pronoun_gender, strip_title
from .quote_model import rule_on
from .salience import Context, Salience


class PronounResolver:
    """Knows the characters and who is on stage; turns a pronoun into a character name."""

    def __init__(self, index: CharacterIndex, narrator_name: str | None = None, allow_new: bool = True):
        self.index = index
        self.narrator_name = narrator_name
        self.allow_new = allow_new
        self.salience = Salience()
        self.new_names: dict[str, Character] = {}
        self.nominal_memory: dict[str, str] = {}
        self.kin: dict[tuple[str, str], str] = {}  # (owner, 'aunt') -> who that relation was found to be
        self.epithets: dict[str, dict[str, int]] = {}  # 'old gentleman' -> {character: confident uses}
        self.prominence: dict[str, int] = {}  # character -> times named in narration
        self.written: dict[str, int] = {}  # written form of a name ('Charles Hayter') -> times in narration
        self.family_names: dict[str, str] = {}  # character -> surname the text gives them ('Elizabeth Bennet')
        self.ages: dict[str, str] = {}  # character -> "child" | "young", from 'little X' / 'young X'
        self.voices: list[str] = []  # the last speakers the reading pass decided, most recent first

    # -- basic facts

    def gender(self, name: str) -> str:
        ch = self.index.by_name.get(name) or self.new_names.get(name)
        return ch.gender if ch else "neutral"

    def title_of(self, name: str) -> str | None:
        ch = self.index.by_name.get(name) or self.new_names.get(name)
        for alias in ([ch.name, *sorted(ch.aliases)] if ch else [name]):
            t, _ = strip_title(alias)
            if t:
                return t
        return None

    def mention(self, name: str) -> None:
        """A speaker the reading pass decided: salient, and among the voices just heard."""
        self.salience.touch(name)
        if name in self.voices:
            self.voices.remove(name)
        self.voices.insert(0, name)
        del self.voices[VOICES_HEARD:]

    def narrated(self, name: str) -> None:
        """A character named (or meant) in narration: salient, though not heard."""
        self.salience.touch(name)

    def resolve_mention(self, surface: str) -> str | None:
        """The character a mention in narration means; 'the doctor' is the doctor on stage."""
        words = surface.split()
        if len(words) == 2 and words[0].lower() == "the" and words[1].lower() in _ROLE_TITLES:
            titles = _ROLE_TITLES[words[1].lower()]
            for n in self.salience.order[:8]:
                ch = self.index.by_name.get(n)
                if ch and any(strip_title(a)[0] in titles for a in [ch.name, *ch.aliases]):
                    return n
        ch = self.index.resolve(surface)
        return ch.name if ch is not None else None

    def known_at(self, text: str, pos: int) -> str | None:
        """The character whose name starts exactly at text[pos] (longest alias), if any."""
        m = self.index.regex.match(text, pos)
        if m:
            ch = self.index.resolve(m.group(0))
            if ch is not None:
                return ch.name
        return None

    # -- pronouns, by salience

    def _pick_salient(self, names: list[str]) -> str | None:
        for n in self.salience.order:
            if n in names:
                return n
        return None

    def pronoun(self, word: str, ctx: Context, continuing: bool = False, introduced: bool = False) -> str | None:
        """he/she -> the most likely compatible character; I -> the first-person narrator.
        continuing: the tag's verb goes on with a speech ('she went on'), so the last speaker
        is not passed over; introduced: the tag closes the previous speaker's own paragraph
        ('"Certainly," he replied. … but he soon afterwards said,')."""
        w = word.lower()
        if w == "i":
            return self.narrator_name
        if w == "it":
            return self._creature(ctx) or self._by_gender("neutral", ctx)
        g = pronoun_gender(w)
        if g is None:
            return None
        hold = (ctx.prev_holds and rule_on("held-turn")) or (continuing and rule_on("continuing-verb")) \
            or self._answers_other_sex(g, ctx) or (introduced and rule_on("introduction-holds"))
        return self._by_gender(g, ctx, hold=hold)

    def protagonist(self, word: str, ctx: Context) -> str | None:
        """'she said to herself': of the few characters of that gender on stage, the one the book
        names most -- people who talk to themselves are usually the lead."""
        g = pronoun_gender(word)
        if g is None:
            return None
        stage = [n for n in self.salience.order[:4]
                 if self.gender(n) == g and n != self.narrator_name and n not in ctx.vocatives]
        return max(stage, key=lambda n: self.prominence.get(n, 0), default=None)

    def _creature(self, ctx: Context) -> str | None:
        """'it said': an animal or thing that talks -- a salient character named by a description
        ('the Caterpillar'), whatever gender the cast gives it."""
        for n in self.salience.order:
            ch = self.index.by_name.get(n)
            if ch is None or n == self.narrator_name or n in ctx.vocatives:
                continue
            if ctx.new_turn and n == ctx.prev_speaker:
                continue
            if any(a.lower().startswith(("the ", "a ")) for a in [ch.name, *ch.aliases]):
                return n
        return None

    def _by_gender(self, g: str, ctx: Context, prefer_titles: tuple = (), avoid: set = frozenset(),
                   hold: bool = False) -> str | None:
        """hold: the previous speaker keeps the floor (see Context.prev_holds), so a new turn
        does not pass them over."""
        def fits(name):
            return (name not in avoid and name not in ctx.vocatives and self.gender(name) == g
                    and name != self.narrator_name)  # the narrator is 'I', never 'he' or 'she'

        # 1. the subject of this paragraph's narration
        for name in ctx.local[:1]:
            if fits(name):
                return name
        # 2. the person the previous speaker addressed, on a new turn
        if ctx.new_turn and ctx.prev_addressee and fits(ctx.prev_addressee) \
                and ctx.prev_addressee != ctx.prev_speaker:
            return ctx.prev_addressee
        # 3. the most salient compatible character (not the previous speaker on a new turn);
        # one not named, meant or heard for a while, or since the chapter began, has left the
        # scene: a new turn's 'he said' passes the previous speaker over only for someone still
        # in it (rule 'fresh-stage'; with no one in it, salience alone decides)
        ranked = [n for n in self.salience.order if fits(n)]
        if rule_on("fresh-stage"):
            ranked = [n for n in ranked if self.salience.fresh(n)] or ranked
        if ctx.new_turn and ctx.prev_speaker in ranked and len(ranked) > 1 and not hold:
            ranked.remove(ctx.prev_speaker)
        if prefer_titles:
            for n in ranked[:3]:
                if self.title_of(n) in prefer_titles:
                    return n
        return ranked[0] if ranked else None

    def _answers_other_sex(self, g: str, ctx: Context) -> bool:
        """The previous speaker (of gender g) was answering someone of the other sex and called
        no one of g: in a man and a woman's exchange, 'he said' on the next turn is the man going
        on more often than a third man coming in."""
        if not rule_on("other-sex-partner") or ctx.partner is None or ctx.partner == ctx.prev_speaker:
            return False
        other = self.gender(ctx.partner)
        return other != g and other != "neutral" and (
            ctx.prev_addressee is None or self.gender(ctx.prev_addressee) != g)

    def _on_stage(self, g: str, ctx: Context, avoid: set[str]) -> list[str]:
        return [n for n in self.salience.order[:ON_STAGE] if n not in avoid and n not in ctx.vocatives
                and self.gender(n) == g and n != self.narrator_name]


VOICES_HEARD = 4  # distinct recent speakers counted as the voices just heard
ON_STAGE = 8  # how many of the most salient characters count as present in the scene
