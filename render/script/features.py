"""Facts about the book that the rules read: who the narration names and how often, ages and
family names it gives, names used as vocatives inside quotes, and salience from narration."""

from __future__ import annotations

import re

from . import tags as T
from .characters import CharacterIndex
from .lexicon import ADDRESS_WORDS as _ADDRESS_WORDS
from .normalize import noun_gender, pronoun_gender
from .pronouns import ON_STAGE
from .quote_model import Para, rule_on
from .quotes import NARRATION
from .resolve import Resolver
from .salience import Context
from .stage_moves import exits
from .subject_names import subject_with_aside

def prominence(paras: list[Para], index: CharacterIndex, surfaces: dict[str, int] | None = None) -> dict[str, int]:
    """How often each character is named in the book's narration (and, into surfaces, how
    often each written form of a name is)."""
    out: dict[str, int] = {}
    for p in paras:
        for s in p.segments:
            if s.kind == NARRATION:
                for ms, me, surface in index.mentions(p.text, s.start, s.end):
                    ch = index.resolve(surface)
                    if ch is not None:
                        out[ch.name] = out.get(ch.name, 0) + 1
                        if surfaces is not None:
                            key = " ".join(surface.split())
                            surfaces[key] = surfaces.get(key, 0) + 1
    return out


def ages(paras: list[Para], index: CharacterIndex, least: int = 2) -> dict[str, str]:
    """Characters the narration calls 'little X' (a child), 'young X' (young) or 'old X' (old),
    at least `least` times -- how the book describes their age ('old' only where the narration
    calls them old more often than young; rule 'old-by-name')."""
    counts: dict[tuple[str, str], int] = {}
    olds = ages_old(paras, index, least) if rule_on("old-by-name") else {}
    for p in paras:
        for s in p.segments:
            if s.kind != NARRATION:
                continue
            for ms, me, surface in index.mentions(p.text, s.start, s.end):
                m = re.search(r"\b(little|young)\s+$", p.text[max(s.start, ms - 8):ms], re.I)
                ch = index.resolve(surface)
                if m and ch is not None:
                    key = (ch.name, "child" if m.group(1).lower() == "little" else "young")
                    counts[key] = counts.get(key, 0) + 1
    out: dict[str, str] = {}
    for (name, age), n in counts.items():
        if n >= least and out.get(name) != "child":
            out[name] = age
    for name, n in olds.items():
        if name not in out or out[name] == "young" and n > counts.get((name, "young"), 0):
            out[name] = "old"  # 'old Mr. Emerson' more often than 'young Mr. Emerson' (his son)
    return out


def ages_old(paras: list[Para], index: CharacterIndex, least: int = 2) -> dict[str, int]:
    """Characters the narration calls 'old X' ('old Mr. Emerson') at least `least` times, with
    the count."""
    counts: dict[str, int] = {}
    for p in paras:
        for s in p.segments:
            if s.kind != NARRATION:
                continue
            for ms, me, surface in index.mentions(p.text, s.start, s.end):
                # 'old Mr. Emerson', 'old Godbole': an old man's name; not 'the old Jew'
                if surface[:1].isupper() and re.search(r"(?<!\bthe )(?<!\ba )\bold\s+$",
                                                       p.text[max(s.start, ms - 9):ms], re.I):
                    ch = index.resolve(surface)
                    if ch is not None:
                        counts[ch.name] = counts.get(ch.name, 0) + 1
    return {name: n for name, n in counts.items() if n >= least}


def family_names(paras: list[Para], res: Resolver, least: int = 2) -> dict[str, str]:
    """Surnames the cast does not give but the text does: a character known by a first name
    ('Elizabeth') written with the family name of other characters ('Elizabeth Bennet')."""
    known = {}
    for ch in res.index.characters:
        fam = res.surname(ch.name)
        if fam:
            known.setdefault(fam, set()).add(ch.name)
    if not known:
        return {}
    counts: dict[tuple[str, str], int] = {}
    fam_re = re.compile(r"\s+(" + "|".join(re.escape(f) for f in known) + r")\b")
    for p in paras:
        for ms, me, surface in res.index.mentions(p.text):
            m = fam_re.match(p.text, me)
            ch = res.index.resolve(surface)
            if m and ch is not None and ch.name not in known[m.group(1)] and res.surname(ch.name) is None:
                key = (ch.name, m.group(1))
                counts[key] = counts.get(key, 0) + 1
    out: dict[str, str] = {}
    for (name, fam), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n >= least:
            out.setdefault(name, fam)
    return out


def vocatives(text: str, index: CharacterIndex) -> list[str]:
    """Characters addressed by name inside a quote ('Lizzy, …' / '…, Mr. Darcy!')."""
    out = []
    for name, _ in vocative_forms(text, index):
        if name not in out:
            out.append(name)
    return out


def vocative_forms(text: str, index: CharacterIndex) -> list[tuple[str, str]]:
    """(character, the name as written) for each name used as vocative inside a quote."""
    out = []
    for s, e, surface in index.mentions(text):
        if surface.strip(".").capitalize() in _ADDRESS_WORDS:
            continue  # 'Yes, Sir.' is politeness, not a name
        if _spoken_of(text, s, e, surface):
            continue  # '"The Frenchman?"', '"Sibyl? Oh, she was so shy."': named, not called
        before = text[max(0, s - 12):s]
        after = text[e:e + 2]
        at_start = not text[:s].strip(" _") or re.search(r"(?:^|[.!?]\s+)(?:[Oo]h?|[Aa]h|[Mm]y\s+(?:dear|good)|"
                                                         r"[Dd]ear(?:est)?|[Pp]ray|[Ww]ell|[Yy]es|[Nn]o|"
                                                         r"[Nn]ay|[Cc]ome|[Nn]ow)?,?\s*$", text[:s])
        after_comma = re.search(r"(?:,|!|\bmy\s+dear|\bdear(?:est)?|\bmy\s+good|\bO|\bOh)\s*$", before)
        closes = re.match(r"\s*(?:[,!?.;:]|--|\u2014|$)", after)
        if after_comma and _appositive(text, s):
            continue
        if closes and (at_start or after_comma):
            ch = index.resolve(surface)
            if ch is not None:
                out.append((ch.name, surface))
    return out




# 'His boy, Joe, shaved me.' / 'the doctor, Jones, says': no one is called 'his boy' or 'the
# doctor', so a name set off right after such a phrase is an appositive (rule 'appositive-name')
_THIRD_PERSON_NP = re.compile(r"(?:^|[.!?;]\s+|\b(?:and|but)\s+)(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+(?:[a-z]+\s+)?[a-z]+,\s*$")


def _appositive(text: str, s: int) -> bool:
    """The name at s stands beside a third-person description it names, not in an address."""
    return bool(_THIRD_PERSON_NP.search(text[max(0, s - 40):s])) and rule_on("appositive-name")


# A name English does not call: one with an article ('"The driver?"', '"An old woman?"'), and
# one opening the speech with a question mark, which echoes a name the other has just said
# ('"Sibyl? Oh, she was so shy."', '"Mrs. Milvain?"' -- asking who is meant).
_ARTICLE_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+$")


def _spoken_of(text: str, s: int, e: int, surface: str) -> bool:
    """The name at text[s:e] is spoken of, not called (rules 'article-not-call' and
    'echo-not-call')."""
    if (re.match(r"(?:the|an?)\s", surface, re.I) or _ARTICLE_BEFORE.search(text[max(0, s - 5):s])) \
            and rule_on("article-not-call"):
        return True
    before = text[:s].rstrip(" _\n")
    if not before and re.match(r"\s*\?", text[e:]) and rule_on("echo-not-call"):
        return True
    return subject_with_aside(text, s, e)


def addressee_of(para: Para, index: CharacterIndex) -> str | None:
    """Whom a paragraph's speech addresses: a tag's 'to X', else the first name used as vocative."""
    for q in para.quotes:
        if q.addressee:
            return q.addressee
    for q in para.quotes:
        for n in vocatives(q.text, index):
            if n != para.speaker:
                return n
    return None


def note_mentions(res: "Resolver", text: str, start: int, end: int) -> None:
    """Make the characters named in narration salient, each sentence's subject most of all.

    Within a sentence, objects are noted first and subjects last, so 'Elizabeth looked at
    Jane.' leaves Elizabeth on top; a sentence opened by 'He'/'She' re-notes the character the
    pronoun stands for.
    """
    for ss, se in T.sentences(text, start, end):
        found, subjects, objects = _roles(res, text, ss, se)
        if not subjects and rule_on("described-subject"):
            subjects = _described_subject(res, text, ss, se)
        lead = _LEAD_PRONOUN.match(text, ss, se)
        referent = None
        if lead and not subjects:
            g = pronoun_gender(lead.group(1))
            # 'She had only to look at Cassandra': a subject pronoun is not a name its own clause
            # goes on to (rule 'pronoun-not-object')
            named = set(objects) if rule_on("pronoun-not-object") else set()
            referent = next((n for n in res.salience.order
                             if res.gender(n) == g and n != res.narrator_name and n not in named), None)
        elif not lead and rule_on("bound-pronoun"):
            referent = _bound_referent(res, text, ss, se, found)
        for n in objects:
            res.narrated(n)
        if referent:
            res.narrated(referent)
        for n in reversed(subjects):
            res.narrated(n)
        if subjects and rule_on("exit-leaves"):  # an exit is told of a name opening a clause
            for n in exits(res, text, ss, se):  # 'When the Colonel had gone, …'
                res.salience.leave(n)


def _roles(res: "Resolver", text: str, ss: int, se: int):
    """(mentions, subjects, objects) of the sentence text[ss:se]: each character it names (or
    meant by 'her father') with its offset, and those names split by whether they open a clause."""
    found = [(ms, res.resolve_mention(surface)) for ms, me, surface in res.index.mentions(text, ss, se)]
    found += kin_mentions(res, text, ss, se)
    subjects, objects = [], []
    for ms, name in sorted(found, key=lambda x: x[0]):
        if name is not None:
            (subjects if T.at_clause_start(text[ss:ms]) else objects).append(name)
    return found, subjects, objects


def _described_subject(res: "Resolver", text: str, ss: int, se: int) -> list[str]:
    """'The old man was refreshed by sleep': a sentence opened by a description the book has
    made someone's -- the one on stage it calls 'old X', or whose epithet it is (see
    DescriptionResolver._by_age and _by_epithet) -- is about them."""
    subj = T.sentence_subject(text[ss:se], res.known_at)
    if subj is None or T.np_kind(subj[1]) != "nominal":
        return []
    words = subj[1].split()
    g = noun_gender(words[-1].lower())
    if len(words) < 2 or words[0].lower() != "the" or g is None:
        return []
    ctx = Context()
    who = res._by_age(words, g, ctx, set()) or res._by_epithet(" ".join(words[1:]).lower(), g, ctx, set())
    return [who] if who else []


def _bound_referent(res: "Resolver", text: str, ss: int, se: int, found: list[tuple[int, str | None]]) -> str | None:
    """'A car drove up, and he hoped Fielding would get out of it': a 'he'/'she' opening a clause
    before any name of its gender in the sentence, whose names of that gender are all objects
    after it, is someone else -- the most salient other character of that gender, who stays on
    top of the names the sentence goes on to."""
    m = _CLAUSE_PRONOUN.search(text, ss, se)
    while m and not T.at_clause_start(text[ss:m.start()]):
        m = _CLAUSE_PRONOUN.search(text, m.end(), se)
    if m is None:
        return None
    g = pronoun_gender(m.group(1))
    mine = [(ms, n) for ms, n in found if n is not None and res.gender(n) == g]
    # every name of its gender comes after it, as an object ('… as he spoke there came a high
    # piping voice': after 'there came' the voice is a subject)
    if not mine or any(ms < m.start() or T.at_clause_start(text[ss:ms]) or _THERE_VERB.search(text, ss, ms)
                       for ms, _ in mine):
        return None
    named = {n for _, n in mine}
    return next((n for n in res.salience.order[:ON_STAGE]
                 if res.gender(n) == g and n != res.narrator_name and n not in named), None)


_CLAUSE_PRONOUN = re.compile(r"\b([Hh]e|[Ss]he)\b")
_THERE_VERB = re.compile(r"\b[Tt]here\s+\w+\s+$")  # 'there came' / 'there stood': the name after it is the subject
_KIN = re.compile(r"\b([Hh]is|[Hh]er|[Tt]heir)\s+(?:[a-z]+\s+)?(father|mother|husband|wife)\b")


def kin_mentions(res: "Resolver", text: str, start: int, end: int) -> list[tuple[int, str]]:
    """'her father' / 'his wife' in narration: a mention of that relative of the character the
    possessive stands for (the most salient one of its gender), when the cast says who it is."""
    out = []
    for m in _KIN.finditer(text, start, end):
        if m.group(1).lower() == "their":
            # 'their father': of the people on stage, the first whose father the cast knows
            # (rule 'their-kin')
            if rule_on("their-kin"):
                kin = next((k for k in (res.relative(n, m.group(2)) for n in res.salience.order[:ON_STAGE]
                                        if n != res.narrator_name) if k), None)
                if kin:
                    out.append((m.start(), kin))
            continue
        g = "male" if m.group(1).lower() == "his" else "female"
        owner = next((n for n in res.salience.order if res.gender(n) == g and n != res.narrator_name), None)
        kin = res.relative(owner, m.group(2)) if owner else None
        if kin:
            out.append((m.start(), kin))
    return out


_LEAD_PRONOUN = re.compile(r"\s*(?:[Aa]nd\s+|[Bb]ut\s+|[Tt]hen\s+)?(He|She|he|she)\b")
