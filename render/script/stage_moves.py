"""Who leaves the scene: exits the narration tells once they are over (rule 'exit-leaves').

A character the narration says has gone ('When the visitors had gone, and Jane gone to bed,
there was a long talk between mother and son. He wanted …') is no longer on stage: the next
'he said' or 'she cried' is one of those who stayed, and the conversation rules should not
give them a turn. The exit is read in the pluperfect (or 'was gone'), the form in which the
story is told from the side of those who remain, and in the simple past only inside a clause
opened by 'when', 'after' or 'as soon as' ('When Tom went out, Ash …', rule 'exit-when'); a
plain 'Tom went out.' often takes the story out with him, so it is not read as an exit.
"""

from __future__ import annotations

import re

from .lexicon import EXIT_AFTER, EXIT_PARTICIPLES
from .quote_model import rule_on
from .subjects import at_clause_start

_WORDS = r"(?:" + "|".join(p.replace(" ", r"\s+") for p in EXIT_AFTER) + r")"
_VERB = r"(?:" + "|".join(p.replace(" ", r"\s+") for p in EXIT_PARTICIPLES) + r")"
# right after the name: 'had gone', 'had just gone away', 'was gone', 'had retired to bed', or
# the bare participle of a clause that shares the sentence's 'had' ('and Jane gone to bed')
_EXIT = re.compile(
    r"\s+(?:(?:had|was|were)\s+(?:(?:just|already|now|long|at\s+last|at\s+length)\s+)?)?"
    + _VERB + r"(?:\s+" + _WORDS + r"\b|(?=\s*[,;.!?:\u2014-]|\s+(?:and|but|when|before|for)\b))")
# 'left', which also means 'put down', counts only with nothing, a room or a person after it
_LEFT_WHAT = r"left(?:\s+(?:the\s+room|the\s+house|them|us|him|me))?"
_LEFT = re.compile(r"\s+had\s+(?:just\s+|already\s+)?" + _LEFT_WHAT +
                   r"(?=\s*[,;.!?:\u2014-]|\s+(?:and|but|when|for)\b)")
# the simple past of leaving, read only in a clause opened by 'when' / 'after' / 'as soon as'
# ('When Tom went out, Ash …'): the main clause tells what followed among those who stayed
_WHEN = re.compile(r"\b(?:[Ww]hen|[Aa]fter|[Oo]nce|[Aa]s\s+soon\s+as|[Nn]o\s+sooner\s+had)\s+$")
_WENT = re.compile(r"\s+(?:(?:went|got\s+up\s+and\s+went)\s+" + _WORDS + r"\b|(?:departed|withdrew|retired)\b"
                   r"|" + _LEFT_WHAT + r"(?=\s*[,;.!?:\u2014-]|\s+(?:and|but)\b))")


def exits(res, text: str, start: int, end: int) -> list[str]:
    """The characters text[start:end] (one sentence of narration) says have left the scene: a
    name opening a clause, followed by 'had gone (away)', 'was gone', 'had left the room', or
    after 'when' / 'after' by 'went away', 'left the room', 'withdrew'."""
    out = []
    for ms, me, surface in res.index.mentions(text, start, end):
        if not at_clause_start(text[start:ms]):
            continue  # 'he saw that Tom had gone' is told of Tom, but 'when Tom had gone' opens a clause
        went = rule_on("exit-when") and _WHEN.search(text, start, ms) and _WENT.match(text, me, end)
        if _EXIT.match(text, me, end) or _LEFT.match(text, me, end) or went:
            name = res.resolve_mention(surface)
            if name and name not in out:
                out.append(name)
    return out


