"""Descriptions that name a person by what others share with them: a title two characters on stage
bear ('cried the doctor' beside Dr. Marsh and Dr. Pell)."""

from __future__ import annotations

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
