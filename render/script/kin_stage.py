"""A relative named by a possessive description is someone in the scene (rule 'kin-on-stage').

'"Must you go so soon?" asked her son.' The description resolver finds 'her son' by the
owner's family name, by the chapter's memory or by gender. When the one it finds is not in the
scene at all -- not among the characters on stage -- while someone of the noun's sex is on stage
and was named, meant or heard a moment ago, the writer means that one: a son by an earlier
marriage who bears another name, a mother whose surname the cast does not give, the brother of
a married woman. A relative who walks in with the tag ('said her father, coming in') is named
in the narration around it and so is on stage.
"""

from __future__ import annotations

from .lexicon import FAMILY, GROWN_KIN
from .normalize import noun_gender
from .pronouns import ON_STAGE
from .quote_model import rule_on
from .role_bearers import is_unnamed


def kin_noun(np: str) -> tuple[str, str] | None:
    """'her son' -> ('female', 'son'): the owner's sex and the relation of a plain possessive
    kin description; None for anything else ('the son', 'her old nurse')."""
    words = np.lower().split()
    if len(words) != 2 or words[0] not in ("his", "her") or words[1] not in FAMILY:
        return None
    return ("male" if words[0] == "his" else "female"), words[1]


class KinOnStage:
    """Mixed into the resolver: a possessive kin description off the stage goes to the one of
    that sex in the scene."""

    def nominal(self, np, ctx, chapter, known=None):
        """The description resolver's pick, unless it is a relative off the stage."""
        found = super().nominal(np, ctx, chapter, known)
        kin = kin_noun(np)
        if found is None or kin is None or not rule_on("kin-on-stage"):
            return found
        stage = self.salience.order[:ON_STAGE]
        if found in stage:
            return found
        return self._kin_in_scene(kin, found, stage, ctx) or found

    def _kin_in_scene(self, kin: tuple[str, str], found: str, stage: list[str], ctx) -> str | None:
        """The most salient character on stage of the noun's sex who is fresh in the scene, not
        the owner (for 'her mother', the woman 'her' stands for: the first woman on stage) and
        not one the paragraph calls."""
        owner_g, noun = kin
        g = noun_gender(noun)
        if g is None:
            return None
        people = [n for n in stage if n != self.narrator_name and n != found]
        owner = next((n for n in people if self.gender(n) == owner_g), None)
        # on a new turn the one who just spoke is answered, not the relative ('"…," said the
        # Admiral. / "…," replied her brother.'); a mother or a wife is a grown woman, not a
        # girl of the scene (see DescriptionResolver.grown)
        answered = ctx.prev_speaker if ctx.new_turn else None
        grown = noun in GROWN_KIN
        # not one known only by a description ('The Young Lady'): the writer has not named her,
        # and the relative found by name may be she
        return next((n for n in people if n != owner and n != answered and self.gender(n) == g
                     and not is_unnamed(n)
                     and n not in ctx.vocatives and self.salience.fresh(n)
                     and (not grown or self.grown(n))), None)

