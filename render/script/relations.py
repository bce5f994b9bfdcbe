"""Descriptions that name a person through others: a title two characters on stage bear ('cried the
doctor' beside Dr. Marsh and Dr. Pell), and a relation whose bearer stays the same through the
book ('whispered her aunt')."""

from __future__ import annotations

from .lexicon import FAMILY
from .pronouns import ON_STAGE
from .quote_model import rule_on
from .salience import Context


def title_bearer(res, bearers: set[str], ctx: Context) -> str | None:
    """'"…," said Dr. Marsh. / "…," cried the doctor.': the bearer of a title who is on stage,
    the most salient -- but on a new turn not the one who just spoke when another bearer of the
    title is on stage: a writer who meant him would have written 'he' (rule 'title-other-bearer')."""
    on_stage = [n for n in res.salience.order[:ON_STAGE] if n in bearers]
    if not on_stage:
        return None
    if rule_on("title-other-bearer") and ctx.new_turn and on_stage[0] == ctx.prev_speaker \
            and len(on_stage) > 1 and on_stage[1] not in ctx.vocatives:
        return on_stage[1]
    return on_stage[0]


def remembered_kin(res, owner: str | None, head: str, ctx: Context, avoid: set[str] = frozenset()) -> str | None:
    """'"Yes, we are," said Nora. / "Then I shall come," said her aunt.': the one this relation of
    this owner was found to be before, in any chapter -- Nora's aunt is Mrs. Hart throughout the
    book, not the friend Nora was answering -- when on stage, not spoken to, and not the one who
    just spoke on a new turn (rule 'kin-memory'). Only a family noun: 'her friend' or 'her
    companion' changes from scene to scene."""
    if owner is None or head not in FAMILY or not rule_on("kin-memory"):
        return None
    name = res.kin.get((owner, head))
    if name is None or name in avoid or name in ctx.vocatives or (name == ctx.prev_speaker and ctx.new_turn) \
            or name not in res.salience.order[:ON_STAGE]:
        return None
    return name


def note_kin(res, owner: str | None, head: str, g: str | None, found: str | None, avoid: set[str]) -> None:
    """Remember who 'her aunt' was when little else could have been meant: the one on stage with
    a married title ('her aunt' beside Mrs. Hart), or the only one of the noun's sex on stage and
    in the scene. (Kin by surname needs no memory: the caller asks res.relative first, and reaches
    here only when it found no one.)"""
    if owner is None or found is None or found == owner or head not in FAMILY:
        return
    fits = [n for n in res.salience.order[:ON_STAGE] if n not in avoid and n != owner and res.gender(n) == g
            and n != res.narrator_name and res.salience.fresh(n)]
    if fits == [found] or found == res.titled_relative(head, g, avoid):
        res.kin[(owner, head)] = found
