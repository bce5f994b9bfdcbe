"""A speaker seldom calls themself by name: '"Wren, you must not laugh."' is not Wren's.

Rule 'self-call-tag' (read in tag_rules._decide_by_tag): a paragraph of narration that names
someone and introduces the next speech ('Wren smiled.' / 'Mrs. Hale sighed again, and said,')
names the one spoken to, not the speaker, when that speech calls them by name:

    "It has been a pleasant evening," said Ash.
    Wren smiled.
    "Wren, you must not laugh at me."       <- Ash going on, not Wren

Measured over the 14 PDNC novels (rules alone, with a cast), an introduction's name that the
speech itself calls was wrong 3 times in 4; the one who spoke last was right in each of the 3.

Rule 'arbiter-self-call' (read in arbiter.candidate_groups): the arbiter never changes a speech
to a name that speech calls ('"Cyril, I have had an idea."' is not Cyril's); the sieve's own
choice stays among its candidates whatever it is.

A name inside words the speaker quotes ('He said to me: \u2018Ahem! Honeychurch,\u2019') is
someone else's call, and a name after 'I am', 'my name is', 'call me' or 'I,' is a
self-introduction ('I, John Lane, …'): neither counts.
"""

from __future__ import annotations

import re

from .characters import CharacterIndex
from .features import vocatives
from .quote_model import Quote, rule_on

# where words the speaker quotes begin: a single quotation mark opening a capitalised word after
# a space, a colon, a comma or a dash ('He said to me: \u2018Ahem! Honeychurch,\u2019')
_INNER_QUOTE = re.compile(r"(?:^|[\s:,\u2014-])['\u2018](?=[A-Z])")
# what a speaker says right before their own name ('I am Ann', 'my name is Ann', 'I, Ann, …')
_INTRODUCES = re.compile(r"(?:\bI\s*['\u2019]?\s*m|\bI\s+am|\bmy\s+name(?:,\s*\w+,)?\s+is|\bknown\s+as|"
                         r"\bcall\s+me|\bI,)\s+(?:(?:only|just|plain|called)\s+)*$", re.I)


def own_words(text: str) -> str:
    """The quote up to the first words it quotes from someone else."""
    m = _INNER_QUOTE.search(text)
    return text[:m.start()] if m else text


def calls_self(q: Quote, name: str | None, index: CharacterIndex, rule: str) -> bool:
    """True when rule is on and quote q calls name in its own words ('"Ann, you must not."'),
    and names them nowhere in a self-introduction ('I, John Lane, …')."""
    return bool(name) and name in called_by(q, index, rule)


def called_by(q: Quote, index: CharacterIndex, rule: str) -> set[str]:
    """Everyone quote q calls in its own words and introduces nowhere as the speaker (see
    calls_self), read once for a quote whose candidates are many; empty when rule is off."""
    if not rule_on(rule):
        return set()
    text = own_words(q.text)
    return {n for n in vocatives(text, index) if not _introduced(text, n, index)}


def _introduced(text: str, name: str, index: CharacterIndex) -> bool:
    """Some mention of name in text follows 'I am', 'my name is', 'I,' …"""
    for s, _, surface in index.mentions(text):
        ch = index.resolve(surface)
        if ch is not None and ch.name == name and _INTRODUCES.search(text[max(0, s - 30):s]):
            return True
    return False
