"""Subject names: a name opening a sentence inside a speech, then set off by a parenthetical
aside ('too', 'however', 'I believe') closed by a comma, with the sentence going on in small
letters, is the sentence's subject, not a name called.

'"De Griers, too, had not come yet."' speaks of De Griers; '"Nell, too, must come."' of Nell.
A call goes on to the hearer's business ('"Nell, I think you should go."': no comma after
'I think'), so the aside must be closed by its own comma."""

from __future__ import annotations

import re

from .lexicon import ASIDES
from .quote_model import rule_on

# a parenthetical (lexicon.ASIDES) closed by its comma, then the sentence going on in small
# letters with no word that turns to the hearer ('you', 'pray', 'my dear')
_ASIDE = re.compile(
    r",\s+(?:" + "|".join(r"\s+".join(map(re.escape, a.split())) for a in ASIDES) + "),"
    r"\s+(?!you\b|I\b|we\b|sir\b|madam\b|ma'am\b|my\b|dear\b|do\b|don't\b|pray\b|let\b)[a-z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?;]\s+)[\s_\"']*$")


def subject_with_aside(text: str, s: int, e: int) -> bool:
    """Rule 'aside-subject': the name at text[s:e] opens a sentence and is followed by a
    comma-closed aside and a small-letter word ('De Griers, too, had …'): a subject."""
    if not rule_on("aside-subject"):
        return False
    return bool(_SENTENCE_START.search(text[:s]) and _ASIDE.match(text[e:]))
