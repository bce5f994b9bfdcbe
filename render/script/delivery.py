"""How a speech tag says the words are spoken ('she whispered', 'said Wren quietly'), as a
delivery direction for expressive engines."""

from __future__ import annotations

import re

from .tags import Tag

# Speech verbs that say how the words sound, as a delivery direction for expressive engines.
_VERB_DELIVERY = {
    "whispered": "Whispering.", "whispers": "Whispering.", "whispering": "Whispering.",
    "murmured": "Murmuring.", "murmurs": "Murmuring.", "muttered": "Muttering.", "mutters": "Muttering.",
    "shouted": "Shouting.", "shouted out": "Shouting.", "yelled": "Shouting.", "bawled": "Shouting.",
    "roared": "Roaring.", "bellowed": "Shouting.", "screamed": "Screaming.", "shrieked": "Shrieking.",
    "cried": "Crying out.", "cried out": "Crying out.", "exclaimed": "Exclaiming.",
    "sobbed": "Sobbing.", "wept": "Through tears.", "sighed": "With a sigh.", "laughed": "Laughing.",
    "chuckled": "Chuckling.", "giggled": "Giggling.", "growled": "Growling.", "snarled": "Snarling.",
    "hissed": "Hissing.", "snapped": "Sharply.", "stammered": "Stammering.", "faltered": "Faltering.",
    "gasped": "Gasping.", "panted": "Out of breath.", "sneered": "Sneering.", "drawled": "Drawling.",
    "groaned": "Groaning.", "wailed": "Wailing.", "thundered": "Thundering.", "pleaded": "Pleading.",
    "implored": "Imploring.", "squeaked": "Squeaking.", "thought": "Thinking to oneself.",
}
_MANNER = re.compile(r"\b(?P<adv>(?!only\b|early\b|family\b|likely\b)[a-z]+ly)\b")


def delivery_hint(narration: str, tag: Tag) -> str | None:
    """How a tag says the quote is spoken: its verb ('whispered') and a manner adverb next to
    it ('said Wren quietly' -> 'Quietly.'), else None."""
    parts = []
    verb = " ".join(tag.verb.split()).lower()
    if verb in _VERB_DELIVERY:
        parts.append(_VERB_DELIVERY[verb])
    # an adverb inside the tag: 'quietly said Wren', 'said Wren quietly', 'she said angrily,'
    np_end = tag.np_start + len(tag.np)
    lo = max(0, tag.np_start - 25)
    for m in _MANNER.finditer(narration, lo, min(len(narration), np_end + 25)):
        between = narration[min(m.end(), np_end):max(m.start(), np_end)]
        if not re.search(r"[,;:.!?]|--", between):
            parts.append(m.group("adv").capitalize() + ".")
            break
    return " ".join(parts) or None
