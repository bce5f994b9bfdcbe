"""Book -> Script: quotes split from narration, speakers attributed, screenplays read as cued."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from .. import book as B
from .quote_model import NO_SPEAKER, Para, Quote, disabled_rules, make_para
from .resolve import Resolver
from .spelling import fold_variants
from .sieve import attribute
from .cast import Cast
from .characters import Character, CharacterIndex, first_person, from_cast, merge_discovered, surname_entries, surnames_to_men
from .arbiter import arbitrate, switched
from . import tag_ranker
from .confidence import assess
from .discovery import discover_characters, mid_sentence_words
from .roles import epithet_roles
from .speaker_tags import tag_counts
from .genders import addressed_genders, guess_genders, narration_texts
from .fixes import Fixes, fix_passes
from .ids import paragraph_quote_ids
from .model import DIALOGUE, HEADING, NARRATION, NARRATOR, Line, Script, ScriptChapter
from .normalize import collapse, noun_gender, pronoun_gender, title_gender
from .quotes import QUOTE, detect_style, segment
from .unspoken import letter_paragraphs, run_in_quotations

UNRESOLVED = "unresolved"  # Line.rule of a quote no rule could attribute (read by the narrator)


@dataclass
class Analysis:
    """Everything attribution learned about a prose book."""

    paras: list[Para]
    characters: list[Character]  # cast characters first, then discovered ones
    index: CharacterIndex
    style: str
    ids: dict = field(default_factory=dict)  # Quote -> stable quote ID
    assessments: dict = field(default_factory=dict)  # Quote -> Assessment (calibrated confidence)


def _raw_text(book: B.Book, block: B.Block) -> tuple[str, int | None]:
    """A block's text as in the source (for offsets), else its collapsed text. A source slice
    with markup the ingester removed (Markdown links, images, footnote marks) is never read."""
    if book.text is not None and block.start is not None and block.end is not None:
        raw = book.text[block.start:block.end]
        if " ".join(raw.split()) == block.text:
            return raw, block.start
    return block.text, None


def paragraphs(book: B.Book, style: str | None = None) -> tuple[list[Para], str]:
    """Every prose paragraph of the book as a segmented Para, and the quote style used."""
    raw: list[tuple[int, int, str, int | None]] = []
    for chapter in book.chapters:
        for bi, block in enumerate(chapter.blocks):
            if block.kind == B.PARAGRAPH:
                text, offset = _raw_text(book, block)
                raw.append((chapter.index, bi, text, offset))
    if style is None:
        style = detect_style(t for _, _, t, _ in raw)
    segments: list[list] = []
    for _, chapter in groupby(raw, key=lambda r: r[0]):  # a letter's lines run within a chapter
        texts = [text for _, _, text, _ in chapter]
        segments += run_in_quotations(letter_paragraphs([segment(text, style) for text in texts], texts), texts)
    paras = [make_para(ci, bi, text, off, segs) for (ci, bi, text, off), segs in zip(raw, segments)]
    return paras, style


def analyse(book: B.Book, cast: Cast | None = None, fixes: Fixes | None = None,
            disabled: frozenset[str] = frozenset(), arbiter: dict | bool | None = None,
            ranker: dict | bool | None = None) -> Analysis:
    """Segment and attribute a prose book; discovered characters complement the cast; fixed
    quotes are decided before the rules run; disabled: sieve passes or rules switched off
    ('arbiter', 'arbiter-joint' and 'tag-ranker' too); arbiter, ranker: the arbiter's and the tag
    ranker's models (None: the shipped one; False: none)."""
    state = sieved(book, cast, fixes, disabled)
    with disabled_rules(disabled):  # the late passes' own switches ('ranker-called-by-name')
        return conclude(state, switched(arbiter, disabled), False if tag_ranker.RULE in disabled else ranker)


@dataclass
class Sieved:
    """A prose book as the sieve left it, before the arbiter and the confidence model."""

    paras: list[Para]
    characters: list[Character]
    index: CharacterIndex
    style: str
    ids: dict
    res: Resolver
    with_cast: bool = False  # read with a cast (not only discovered characters)


def sieved(book: B.Book, cast: Cast | None = None, fixes: Fixes | None = None,
           disabled: frozenset[str] = frozenset()) -> Sieved:
    """The sieve's part of `analyse`: paragraphs, characters and the rules' speakers."""
    paras, style = paragraphs(book)
    ids = paragraph_quote_ids(paras)
    cast_chars = from_cast(cast)
    if cast_chars:  # with a cast, only clear speakers the cast forgot
        with disabled_rules(disabled):  # a fold may be a rule switched off ('bare-surname-man')
            cast_chars = surname_entries(cast_chars)
            found = discover_characters(paras, exclude=CharacterIndex(cast_chars), min_tags=2,
                                        min_titled=10**9)
            found = fold_variants(cast_chars, found)
    else:
        found = discover_characters(paras, headings=[c.title or "" for c in book.chapters])
    characters = merge_discovered(cast_chars, found)
    epithets: list[Character] = []  # cast roles that are a named character's epithet (see epithet_roles)
    if cast_chars:  # (without a cast it cost Room and Awakening a quote each: see surnames_to_men)
        with disabled_rules(disabled):
            surnames_to_men(characters, [p.text for p in paras])
            epithets = epithet_roles(cast_chars, tag_counts(paras).roles, len({p.chapter for p in paras}))
    index = CharacterIndex([ch for ch in characters if ch not in epithets])
    res = Resolver(index, narrator_name=_narrator_character(characters), allow_new=not cast_chars)
    attribute(paras, res, passes=fix_passes(fixes, ids, index) if fixes is not None and fixes.lines else None,
              disabled=disabled)
    for ch in epithets:  # known by name again, for what reads the index after attribution
        index.add(ch)
    known = {ch.name for ch in characters}
    late: list[Character] = []
    inside = mid_sentence_words(paras) if res.new_names else None
    for ch in res.new_names.values():  # people the rules named as they went ('said the surgeon')
        if ch.name not in index.by_name:
            index.add(ch)
        # (the resolver has already added them to the index); a word only ever capitalised where
        # a sentence starts is no one ('"Hullo!" Also said.')
        if ch.name not in known and (" " in ch.name or inside[ch.name]):
            characters.append(ch)
            late.append(ch)
    guess_genders(late, list(narration_texts(paras)))
    addressed_genders(characters, paras)
    return Sieved(paras, characters, index, style, ids, res, bool(cast_chars))


def conclude(state: Sieved, arbiter: dict | bool | None = None, ranker: dict | bool | None = None) -> Analysis:
    """The tag ranker's and the arbiter's late decisions (model None: the shipped one; False:
    none), each character's quote count and every quote's calibrated confidence."""
    paras, characters, index, res = state.paras, state.characters, state.index, state.res
    if ranker is not False:  # pronoun and description tags first: the arbiter reads their turns
        tag_ranker.rank_tags(paras, index, res.gender, res.narrator_name,
                             model=ranker if isinstance(ranker, dict) else None, with_cast=state.with_cast)
    if arbiter is not False:
        arbitrate(paras, index, res.gender, res.narrator_name,
                  model=arbiter if isinstance(arbiter, dict) else None, with_cast=state.with_cast)
    counts: dict[str, int] = {}
    for p in paras:
        for q in p.quotes:
            if q.speaker:
                counts[q.speaker] = counts.get(q.speaker, 0) + 1
    for ch in characters:
        ch.quotes = counts.get(ch.name, 0)
    assessments = assess(paras, index, res.gender, res.narrator_name)
    return Analysis(paras, characters, index, state.style, state.ids, assessments)


def _narrator_character(characters: list[Character]) -> str | None:
    """The name of the character who says 'I' in a first-person book, when the cast or discovery names one."""
    me = first_person(characters)
    return me.name if me is not None else None


# ---------------------------------------------------------------------------------------------
# public API


def attribute_quotes(book: B.Book, cast: Cast | None = None, fixes: Fixes | None = None,
                     features: bool = False, disabled: frozenset[str] = frozenset(),
                     arbiter: dict | bool | None = None, ranker: dict | bool | None = None) -> list[dict]:
    """One record per quoted span in reading order (see issue 3 for the fields), each with its
    stable quote ID, calibrated confidence and runner-up; with features, the signals behind it;
    disabled names sieve passes or rules to switch off (for leave-one-out figures)."""
    if book.kind == "screenplay":
        return _screenplay_records(book, cast)
    analysis = analyse(book, cast, fixes, disabled=disabled, arbiter=arbiter, ranker=ranker)
    out = []
    for p in analysis.paras:
        for q in p.quotes:
            out.append(_record(p, q, analysis, features))
    return out


def _record(p: Para, q: Quote, analysis: Analysis, features: bool = False) -> dict:
    start = p.offset + q.start if p.offset is not None else None
    end = p.offset + q.end if p.offset is not None else None
    a = analysis.assessments.get(q)
    rec = {
        "id": analysis.ids.get(q),
        "chapter": p.chapter,
        "start": start,
        "end": end,
        "text": collapse(q.text),
        "speaker": q.speaker,
        "addressee": q.addressee,
        "rule": q.rule,
        "confidence": a.confidence if a and q.speaker else 0.0,
        "runner_up": a.runner_up if a else None,
    }
    if features and a is not None:
        rec["features"] = a.features
    return rec


def build_script(book: B.Book, cast: Cast | None = None, fixes: Fixes | None = None) -> Script:
    """The book as lines with speakers: headings and narration by the narrator, quotes by characters."""
    if book.kind == "screenplay":
        return _screenplay_script(book, cast)
    analysis = analyse(book, cast, fixes)
    by_block = {(p.chapter, p.block): p for p in analysis.paras}
    speaking: dict[str, str] = {}
    narrator = _narrator_character(analysis.characters)  # once, not per paragraph
    chapters = []
    for chapter in book.chapters:
        lines: list[Line] = []
        title_block = _title_block(chapter)
        lines.append(Line(NARRATOR, collapse(chapter.title), HEADING,
                          block=title_block if title_block is not None else -1))
        for bi, block in enumerate(chapter.blocks):
            if bi == title_block:
                continue
            if block.kind == B.HEADING and collapse(block.text):
                lines.append(Line(NARRATOR, collapse(block.text), HEADING, block=bi,
                                  start=block.start, end=block.end))
            elif block.kind == B.PARAGRAPH:
                lines.extend(_paragraph_lines(by_block[(chapter.index, bi)], cast, analysis, speaking, narrator))
            elif block.kind in (B.ACTION, B.SCENE_HEADING) and collapse(block.text):
                lines.append(Line(NARRATOR, collapse(block.text), NARRATION, block=bi))
        chapters.append(ScriptChapter(chapter.index, chapter.title, lines))
    me = analysis.index.by_name.get(narrator or "")
    if me is not None and me.gender != "neutral" and _speaker_name(me.name, cast) not in speaking:
        speaking[NARRATOR] = me.gender  # the 'I' narrator's voice is the narration's: of their gender
    return Script(book.title, book.language, chapters, characters=speaking)


def _title_block(chapter: B.Chapter) -> int | None:
    """Index of the HEADING block that repeats the chapter title, if the chapter starts with one."""
    for bi, block in enumerate(chapter.blocks[:2]):
        if block.kind == B.HEADING and collapse(block.text).casefold() == collapse(chapter.title).casefold():
            return bi
    return None


def _speaker_name(name: str, cast: Cast | None) -> str:
    if cast is not None:
        member = cast.resolve(name)
        if member is not None:
            return member.name
    return name


def _gender_of(name: str, cast: Cast | None, analysis: Analysis | None) -> str:
    if cast is not None:
        member = cast.resolve(name)
        if member is not None and member.gender:
            return member.gender
    if analysis is not None:
        ch = analysis.index.by_name.get(name)
        if ch is not None:
            return ch.gender
    return "neutral"


def _own_voice(name: str, cast: Cast | None) -> bool:
    """The cast gives this character a voice of their own (a voice id or reference audio)."""
    member = cast.resolve(name) if cast is not None else None
    return member is not None and bool(member.voice or member.ref_audio)


def _paragraph_lines(p: Para, cast: Cast | None, analysis: Analysis, speaking: dict[str, str],
                     narrator: str | None) -> list[Line]:
    quotes = {q.seg: q for q in p.quotes}
    out: list[Line] = []
    for i, seg in enumerate(p.segments):
        text = collapse(p.text[seg.start:seg.end])
        if not any(c.isalnum() for c in text):
            continue
        start = p.offset + seg.start if p.offset is not None else None
        end = p.offset + seg.end if p.offset is not None else None
        if seg.kind != QUOTE:
            out.append(Line(NARRATOR, text, NARRATION, block=p.block, start=start, end=end))
            continue
        q = quotes[i]
        if q.speaker is None:  # unattributed, or a group's or an unnamed extra's line (extras.py)
            out.append(Line(NARRATOR, text, DIALOGUE, block=p.block,
                            rule=q.rule if q.rule in NO_SPEAKER else UNRESOLVED, confidence=0.0,
                            start=start, end=end))
            continue
        name = _speaker_name(q.speaker, cast)
        if q.speaker == narrator and not _own_voice(name, cast):
            name = NARRATOR  # a first-person narrator's quotes share the narration's voice
        else:
            speaking.setdefault(name, _gender_of(name, cast, analysis))
        a = analysis.assessments.get(q)
        out.append(Line(name, text, DIALOGUE, block=p.block, action=q.delivery, rule=q.rule,
                        confidence=a.confidence if a else q.confidence, addressee=_speaker_name(q.addressee, cast) if q.addressee else None,
                        start=start, end=end))
    return out


def discover_cast(book) -> list[Character]:
    """The characters of a book as attribution sees them (cue names for screenplays), most
    quotes first; each with aliases, gender and number of quotes."""
    if book.kind == "screenplay":
        genders = screenplay_genders(book)
        counts: dict[str, int] = {}
        for chapter in book.chapters:
            for block in chapter.blocks:
                if block.kind == B.DIALOGUE and block.speaker:
                    name = block.speaker.strip()
                    counts[name] = counts.get(name, 0) + 1
        chars = [Character(name=n, gender=genders.get(n.upper(), "neutral"), quotes=c)
                 for n, c in counts.items()]
    else:
        chars = [c for c in analyse(book, None).characters if c.quotes > 0]
    chars.sort(key=lambda c: -c.quotes)
    return chars


# ---------------------------------------------------------------------------------------------
# screenplays

_EXTENSION_HINTS = {
    "V.O.": "Voice-over.", "VO": "Voice-over.", "O.S.": "Off-screen.", "OS": "Off-screen.",
    "O.C.": "Off-camera.", "OC": "Off-camera.", "FILTERED": "Filtered, as through a phone.",
}


def extension_hint(extension: str | None) -> str | None:
    """A delivery hint for a cue extension (V.O. -> 'Voice-over.'); CONT'D gives none."""
    if not extension:
        return None
    parts = []
    for ext in extension.replace(")(", ",").split(","):
        ext = ext.strip().strip("()").strip()
        key = ext.upper().replace(" ", "")
        if not ext or key.startswith("CONT") or key in ("MORE",):
            continue
        parts.append(_EXTENSION_HINTS.get(ext.upper(), _EXTENSION_HINTS.get(key, ext.capitalize() + ".")))
    return " ".join(parts) or None


def _dialogue_action(block: B.Block) -> str | None:
    parts = [p for p in (collapse(block.direction or ""), extension_hint(block.extension)) if p]
    return " ".join(parts) or None


def _screenplay_script(book: B.Book, cast: Cast | None) -> Script:
    genders = screenplay_genders(book)
    speaking: dict[str, str] = {}
    chapters = []
    for chapter in book.chapters:
        lines: list[Line] = []
        scene: str | None = None
        title_block = _title_block(chapter)
        lines.append(Line(NARRATOR, collapse(chapter.title), HEADING,
                          block=title_block if title_block is not None else -1))
        for bi, block in enumerate(chapter.blocks):
            text = collapse(block.text)
            if bi == title_block or block.kind in (B.TRANSITION, B.SCENE_BREAK) or not text:
                continue
            if block.kind == B.SCENE_HEADING:
                scene = text
                lines.append(Line(NARRATOR, text, NARRATION, block=bi, scene=scene))
            elif block.kind == B.DIALOGUE and block.speaker:
                name = _speaker_name(block.speaker.strip(), cast)
                gender = _gender_of(name, cast, None)
                if gender == "neutral":
                    gender = genders.get(block.speaker.strip().upper(), "neutral")
                speaking.setdefault(name, gender)
                lines.append(Line(name, text, DIALOGUE, block=bi, action=_dialogue_action(block),
                                  scene=scene, rule="fountain-cue", confidence=1.0))
            elif block.kind == B.HEADING:
                lines.append(Line(NARRATOR, text, HEADING, block=bi, scene=scene))
            elif block.kind in (B.ACTION, B.PARAGRAPH):
                lines.append(Line(NARRATOR, text, NARRATION, block=bi, scene=scene))
        chapters.append(ScriptChapter(chapter.index, chapter.title, lines))
    return Script(book.title, book.language, chapters, characters=speaking)


def _screenplay_records(book: B.Book, cast: Cast | None) -> list[dict]:
    out = []
    for chapter in book.chapters:
        for block in chapter.blocks:
            if block.kind == B.DIALOGUE and block.speaker:
                out.append({
                    "chapter": chapter.index, "start": block.start, "end": block.end,
                    "text": collapse(block.text), "speaker": _speaker_name(block.speaker.strip(), cast),
                    "addressee": None, "rule": "fountain-cue", "confidence": 1.0,
                })
    return out


def screenplay_genders(book: B.Book) -> dict[str, str]:
    """Cue name (upper case) -> gender, from the cue's own words ('LITTLE GIRL', 'DR. X'), a role
    noun beside the name in action ('TOBIAS, the old ferryman,') or the pronoun that follows it
    ('WREN sorts charts. She …'), or a pronoun in their own parenthetical ('(catching his
    breath)'); neutral when nothing tells."""
    import re

    cues = {b.speaker.strip().upper() for c in book.chapters for b in c.blocks
            if b.kind == B.DIALOGUE and b.speaker}
    votes: dict[str, list[int]] = {c: [0, 0] for c in cues}
    for chapter in book.chapters:
        for block in chapter.blocks:
            if block.kind == B.ACTION:
                _vote_genders(block.text, cues, votes)
            elif block.kind == B.DIALOGUE and block.direction and block.speaker:
                # a parenthetical describes its speaker: '(catching his breath)'
                g = next((pronoun_gender(w) for w in re.findall(r"[A-Za-z]+", block.direction)
                          if pronoun_gender(w)), None)
                if g:
                    votes[block.speaker.strip().upper()][0 if g == "male" else 1] += 1
    out = {}
    for cue, (m, f) in votes.items():
        words = re.findall(r"[A-Za-z]+", cue)
        by_noun = next((g for g in (noun_gender(w) for w in reversed(words)) if g), None)
        by_title = title_gender(cue.title())
        out[cue] = by_title or by_noun or ("male" if m > f else "female" if f > m else "neutral")
    return out


def _vote_genders(text: str, cues: set[str], votes: dict[str, list[int]]) -> None:
    import re

    last: str | None = None  # the cue a following pronoun or role noun would describe
    subject = False  # that cue opened its sentence (so 'She' in the next one is it)
    first = True  # at the start of a sentence
    for m in re.finditer(r"[A-Za-z][\w'-]*|[.!?]", text):
        word = m.group(0)
        if word in ".!?":
            if not subject:
                last = None
            first, subject = True, False
            continue
        if word.upper() in cues and word.isupper() and len(word) > 1:
            last, subject = word.upper(), first
        elif last is not None:
            g = pronoun_gender(word) or noun_gender(word)
            if g:
                votes[last][0 if g == "male" else 1] += 1
                last = None
        first = False
