"""The sieve's hooks for speech by a group or an unnamed extra ('murmured the crowd', 'both
cried', 'said one of the ladies', 'someone said'): such a quote goes to no character and is read
in the narrator's voice. What counts as a group or an unnamed person is extras.py's; these
methods decide when a tag, or a tag the tag parser leaves aside, is one."""

from __future__ import annotations

import re

from . import extras
from . import tags as T
from .indefinite_entries import indefinite_entry
from .quote_model import Para, Quote
from .resolve import Context


class ExtraRules:
    """Mixed into the sieve (with TagRules): reads self.index, self.res and self.before."""

    def _extra_tag(self, q: Quote, tag: T.Tag, narr: str, ctx: Context, where: str) -> bool:
        """'murmured the crowd', 'said a pleasant voice', 'one of the ladies said': a tag whose
        subject is a group or an unnamed person that no character's name fits leaves q to no
        one; 'said a voice, and Nell stepped out' is still Nell's."""
        kind = extras.extra_kind(tag.np) if tag.kind in ("nominal", "indefinite") else None
        if kind is None and extras.correlative_of_extra(tag.np, q, self.before):
            kind = extras.UNNAMED
        if kind is None or self.res.known_at(narr, tag.np_start) or self.index.resolve(tag.np) \
                or self._indefinite_entry(q, tag):
            return False
        if not (extras.continues_sentence(narr) if where == "after" else extras.introduces(narr, tag)):
            return False
        if kind == extras.UNNAMED and (self._named_later(narr, tag.np_start + len(tag.np))
                                       or extras.voiced(narr, tag.np_start)):
            return False
        return extras.mark_extra(q, kind)

    def _indefinite_entry(self, q: Quote, tag: T.Tag) -> str | None:
        """'said one' / 'said another': the cast entry the narration's last noun names (rule
        'indefinite-entry', indefinite_entries.py)."""
        return indefinite_entry(tag.np, q, self.index.characters, self.before) if tag.kind == "indefinite" else None

    def _untagged_extra(self, p: Para, q: Quote, narr: str | None) -> None:
        """'both cried', 'said one woman', 'In the midst of the din someone said,': forms the tag
        parser does not read, taken when no tag decided q; a quote right after such a speech in
        its paragraph goes with it."""
        if q.speaker is not None or q.rule is not None:
            return
        after = p.narration_after(q)
        found = extras.untagged_extra(after, narr if q.opened else None)
        if found and found[0] == extras.UNNAMED and found[2] >= 0 and self._named_later(after, found[2]):
            found = None
        kind = found[0] if found else extras.follows_extra(q)
        if kind:
            extras.mark_extra(q, kind)

    def _named_later(self, narr: str, pos: int) -> bool:
        """'said a young man who, …, was called Sadness': the sentence goes on to name a character."""
        end = re.search(r"[.;!?]|$", narr[pos:]).start() + pos
        return any(True for _ in self.index.mentions(narr, pos, end))
