"""Quote detection: where the spoken words are inside a paragraph.

A paragraph's text is cut into `Segment`s: quoted words (without their marks) and the narration
between them. Each dialogue convention has its own small scanner; `detect_style` picks the
convention a book uses, so apostrophes in a double-quoted book are never taken for quotes and
nested quotes stay inside the quotation that holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

from .lexicon import CONJUNCTIONS, PERSONAL_HONORIFICS, SPEECH_VERBS

IMAGINED = "imagined"  # cited words a look or a thought only seems to say ('as much as to say, "…"')
WRITTEN = "written"  # cited words on paper: a letter, a note, a heading or a sign
RECITED = "recited"  # cited words read out or repeated whole from elsewhere ('"'Leonora,'" he read')
SILENT_TURNS = frozenset({IMAGINED, RECITED})  # cited words that still take a turn in the exchange
DOUBLE = "double"  # "…" and “…”
SINGLE = "single"  # '…' and ‘…’ (British style)
GUILLEMET = "guillemet"  # «…» (or »…«)
DASH = "dash"  # — Speech opens a paragraph with an em dash

QUOTE = "quote"
NARRATION = "narration"

_DASHES = "\u2014\u2013\u2015"  # em dash, en dash, horizontal bar
_OPENING_CONTEXT = " \t\n\r([{\u2014\u2013\u2015-/\"\u201c\u00ab"
_CLOSING_PUNCT = ",.;:!?\u2014\u2013\u2015-\u2026"
# Words that start with an apostrophe of elision, not an opening quote ('tis, 'em, 'ere).
_ELISIONS = frozenset({
    "tis", "twas", "twere", "twill", "twould", "twixt", "em", "im", "er", "ere", "ave", "ad",
    "cause", "cos", "til", "till", "bout", "n", "un", "uns", "ud", "d", "ll", "ve", "re", "s",
    "t", "ow", "e", "is", "appen", "ouse", "ome", "alf", "ands", "ead", "eart", "igh", "ello",
    "nother", "spose", "sposin", "fraid", "mongst", "neath", "gainst", "prentice", "cept",
})


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph: quoted words or narration, offsets into the paragraph text."""

    kind: str  # QUOTE or NARRATION
    start: int  # first character (a quote's starts after its opening mark)
    end: int  # end-exclusive (a quote's stops before its closing mark)
    opened: bool = True  # QUOTE: an opening mark was present (False = continued from before)
    closed: bool = True  # QUOTE: a closing mark was found in this paragraph
    outer_start: int = -1  # QUOTE: where its opening mark is (== start when there is none)
    outer_end: int = -1  # QUOTE: just past its closing mark (== end when there is none)
    cited: str = ""  # NARRATION: quoted words no one says aloud in the scene: IMAGINED or WRITTEN (see unspoken)


def detect_style(texts: Iterable[str]) -> str:
    """The dialogue convention a book uses, judged from its paragraphs."""
    double = single = guillemet = dash = 0
    for text in texts:
        double += text.count('"') + text.count("\u201c") + text.count("\u201d")
        guillemet += text.count("\u00ab") + text.count("\u00bb")
        single += len(_SINGLE_OPEN.findall(text))
        stripped = text.lstrip()
        if stripped[:1] in _DASHES:
            dash += 2
    counts = {DOUBLE: double, SINGLE: single, GUILLEMET: guillemet, DASH: dash}
    best = max(counts, key=lambda k: counts[k])
    # Apostrophes inflate the single count a little; prefer double quotes unless clearly beaten.
    if best == SINGLE and double * 2 >= single:
        return DOUBLE
    if counts[best] == 0:
        return DOUBLE
    return best


# A single-quote mark that looks like an opener: at start or after space/bracket, before a letter.
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[\u2014\u2013\"]))['\u2018](?=[^\s'\u2018\u2019])")


def find_quotes(text: str, style: str = DOUBLE) -> list[Segment]:
    """The quoted stretches of one paragraph, in order (QUOTE segments only)."""
    if style == SINGLE:
        return _single_quotes(text)
    if style == GUILLEMET:
        return _guillemet_quotes(text)
    if style == DASH:
        return _dash_quotes(text)
    return _double_quotes(text)


def segment(text: str, style: str = DOUBLE, keep_titles: bool = False) -> list[Segment]:
    """The paragraph cut into quotes and the narration between them (blank narration dropped).

    Short quoted words that are part of a narration sentence -- titles, labels, scare quotes, names
    ('the overture to "Zampa"', 'a bottle marked "poison"', 'what she called "reality"'; see
    is_embedded_title, is_mention) -- stay in the narration unless keep_titles is set. Quoted
    words no one says aloud in the scene (see unspoken) are a narration segment of their own,
    marked cited: read by the narrator, but not the narrator's own words (discovery does not read
    them as narration)."""
    quotes = find_quotes(text, style)
    if not keep_titles:
        quotes = [q for q in quotes if not is_embedded_title(text, q) and not is_mention(text, q)]
    out: list[Segment] = []
    pos = 0
    poem = not keep_titles and len(quotes) >= 2 and is_verse(text)
    written_tag = False  # the last quote was written and the narration after it is its tag ('she wrote')
    for i, q in enumerate(quotes):
        if not keep_titles and i == 0 and is_reported(text, q):
            continue  # narration: the quote stays in the narrator's words around it
        _narration(text, pos, max(pos, q.outer_start), out)
        cited = None
        if not keep_titles:
            # the rest of a written quote after its tag ('"…," she wrote. "…"') is written too
            cited = WRITTEN if poem or written_tag and q.opened and _rest_of_written(text, pos, q) else unspoken(text, q)
            if not cited and _NESTED_WHOLE.fullmatch(text, q.start, q.end):
                cited = RECITED  # a quote that is wholly another: read out or repeated, not said
        written_tag = cited == WRITTEN and bool(_WRITTEN_AFTER.match(text, q.outer_end))
        out.append(replace(q, kind=NARRATION, cited=cited) if cited else q)
        pos = q.outer_end
    _narration(text, pos, len(text), out)
    return out


def letter_paragraphs(paragraphs: list[list[Segment]], texts: list[str]) -> list[list[Segment]]:
    """The segments of consecutive paragraphs with a letter's lines marked WRITTEN. Around a paragraph
    unspoken marked written as a whole, the unbroken run of paragraphs that are one quote and
    nothing else belongs to the letter: after an opening ('"Dear Charlotte,"', 'My dear Anne,--I …', a
    heading in capitals) its body, before it the address and date ('"Tunbridge Wells,"',
    '"September."'); before a closing ('"Yours affectionately,"') the body, after it the signature
    ('"Charlotte."'). Address, date and signature are short lines with no ! or ?, so an answer to the
    letter ('"Is that all he writes?"') stays speech. Pass one chapter's paragraphs (segments and
    texts) in order."""
    out = list(paragraphs)

    def whole(i: int) -> bool:
        segs = paragraphs[i]
        return len(segs) == 1 and segs[0].outer_start <= 0 and (segs[0].kind == QUOTE or segs[0].cited == WRITTEN)

    def short(i: int) -> bool:
        return len(texts[i].split()) <= LETTER_LINE_WORDS and not set(texts[i]) & set("!?")

    for i, segs in enumerate(paragraphs):
        if not (whole(i) and segs[0].cited == WRITTEN):
            continue
        opening = bool(_LETTER_OPENING.match(texts[i])) or not any(c.islower() for c in texts[i])
        for step in (-1, 1):
            body = (step == 1) == opening
            j = i + step
            # up to the next paragraph written as a whole (a closing after the body), which reaches on by itself
            while 0 <= j < len(paragraphs) and whole(j) and paragraphs[j][0].kind == QUOTE and (body or short(j)):
                out[j] = [replace(out[j][0], kind=NARRATION, cited=WRITTEN)]
                j += step
    return out


def run_in_quotations(paragraphs: list[list[Segment]], texts: list[str]) -> list[list[Segment]]:
    """The segments of consecutive paragraphs with quotations run into the narrator's sentence
    marked WRITTEN: a paragraph that is one quote and nothing else, after a paragraph that stops
    on a word with no stop ('From Gray, that' / '"Many a flower is born to blush unseen, / And
    waste its fragrance on the desert air."'), where the quote is lines of verse (two or more,
    each opening with a capital) or opens with a small letter, going on with the sentence ('those
    who' / '"bear about the mockery of woe."'). Speech after such a paragraph is prose or a name
    called ('"Hassan!"'). Pass one chapter's paragraphs (segments and texts) in order."""
    out = list(paragraphs)
    for i in range(1, len(paragraphs)):
        segs, before = paragraphs[i], texts[i - 1].rstrip()
        if not (len(segs) == 1 and segs[0].kind == QUOTE and segs[0].opened and segs[0].outer_start <= 0
                and before[-1:].isalpha()):
            continue
        inner = texts[i][segs[0].start:segs[0].end]
        lines = [line for line in inner.split("\n") if line.strip()]
        if inner[:1].islower() or (len(lines) >= 2 and all(_VERSE_LINE.match(line) for line in lines)):
            out[i] = [replace(segs[0], kind=NARRATION, cited=WRITTEN)]
    return out


# A quote that is wholly another quote ('"\'Leonora,\'" he read', '"\'The scene is laid in Florence,\'"
# repeated Cecil'): the speaker reads out or repeats words not their own
_NESTED_WHOLE = re.compile("\\s*['\u2018].*['\u2019][,.!?;:]?\\s*", re.S)
VERSE_LINES = 5  # lines that all open with a capital before a paragraph reads as verse


def is_verse(text: str) -> bool:
    """A paragraph laid out as verse: two or more lines indented after a line break, or at least
    VERSE_LINES lines that each open with a capital (hard-wrapped prose opens most lines with a
    small letter). Its quotes, when it has two or more, are a poem's own speakers ('"You are old,
    Father William," the young man said, / "And your hair has become very white…"'), recited,
    not said in the scene (segment marks them WRITTEN); a song one character sings whole is one
    quote and stays speech."""
    if len(re.findall(r"\n[ \t]{2,}\S", text)) >= 2:
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= VERSE_LINES and all(_VERSE_LINE.match(line) for line in lines)


_VERSE_LINE = re.compile("[\\s\"'\u201c\u2018(_-]*[A-Z]")


def _rest_of_written(text: str, pos: int, q: Segment) -> bool:
    """The narration from pos to q is a short tag ending in ',' or '.' ('she wrote, in her emphatic
    statement,'): q goes on with the words before the tag."""
    tag = text[pos:q.outer_start].strip()
    return 0 < len(tag) <= 80 and tag[-1] in ",." and not any(c in tag for c in '"\u201c\u201d')


_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|say|saying|cried|cry|asked|ask|replied|reply|answered|exclaimed|called|"
    r"shouted|whispered|muttered|murmured|added|began|continued|repeated|thought|sang|sing|"
    r"sings|singing|called\s+out|cried\s+out|shrieked|screamed|growled|roared|observed|went\s+on|"
    r"remarked|returned|answer|answering|replying|crying|calling|adding)\s*$", re.I)


TITLE_WORDS = 10  # a longer quoted title in a narration sentence: every word of 4 letters or more capitalised


def _title_case(inner: str) -> bool:
    """'The Poet and the Peasant.', 'Mysterious Business at Upper Norwood.'"""
    words = re.findall(r"[A-Za-z']+", inner)
    if any(w in PERSONAL_HONORIFICS for w in words):
        return False  # 'Mr and Mrs Charles Musgrove': people announced, whom the rules must see named
    return bool(words) and words[0][0].isupper() and all(w[0].isupper() for w in words if len(w) >= 4)


def is_embedded_title(text: str, q: Segment) -> bool:
    """True for short quoted words inside a narration sentence: a title, a label or a scare quote.

    'called it "Solitude."', 'about her "condition."' and 'the overture to "The Poet and the
    Peasant."' (up to TITLE_WORDS words in title case) are; 'said "No, never."', a quote that
    opens its paragraph or follows a comma or colon, and anything with ! or ? are not.
    """
    if not q.opened or q.outer_start <= 0:
        return False
    words = text[q.start:q.end].split()
    inner = text[q.start:q.end]
    if not words or (len(words) > 4 and not (len(words) <= TITLE_WORDS and _title_case(inner))):
        return False
    if "!" in inner or "?" in inner:
        return False
    before = text[:q.outer_start]
    if not before.strip():
        return False
    if not re.search(r"[A-Za-z_]\s+$", before[-30:]):
        return False  # after ':' ',' '--' or a bracket: introduced speech
    if _SPEECH_BEFORE.search(before[-40:]):
        return False
    return True


# Reported speech set in quotes (free indirect speech): the speaker in the third person, the tenses
# moved back ('"She was very much honoured, and should be happy in their acquaintance."')
_FIRST_SECOND = re.compile(
    r"\b(?:I|me|my|mine|myself|we|us|our|ours|ourselves|you|your|yours|yourself|yourselves|thee|thou|thy|"
    r"let's|pray|oh|ah|sir|ma'am|madam)\b|\bI'|n't\b", re.I)
_THIRD_SINGULAR = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b")
_BACKSHIFTED = re.compile(r"\b(?:had|was|were|would|could|should|might|did)\b")
_PRESENT = re.compile(r"\b(?:is|are|am|has|have|will|shall|do|does|can|may|must)\b")
_TAG_VERBS = frozenset(v for v in SPEECH_VERBS if " " not in v)
REPORTED_WORDS = 6  # shorter quoted words are too few to tell reported speech from speech


def is_reported(text: str, q: Segment) -> bool:
    """True for speech reported in the narrator's voice though set in quotes: the first quote of its
    paragraph (segment asks it of the first only), after a narration sentence that has
    ended, with no speech verb in the four words after it (narration may go on: '…;" but was not
    easy'), and worded as reported speech -- the speaker as 'he'/'she', tenses moved back ('had', 'would', 'was'), no
    present tense and no word only direct speech has ('I', 'you', 'oh', 'pray', a contraction):
    'At last, Lady Russell drew back her head. "Now, how would she speak of him?"'. A question
    or exclamation after a speech tag ('"...," cried Rose. "Why did they send for these people?"')
    is the speaker going on, and a quote after 'said:' is introduced speech."""
    inner = text[q.start:q.end]
    before = text[:q.outer_start].rstrip()
    after = text[q.outer_end:].lstrip()
    if not q.opened or not before or before[-1] not in ".!?":
        return False
    if after[:1].islower() and not _narration_goes_on(text, q.outer_end):
        return False  # '"…," said Mrs Clay': a tag makes it speech
    return (len(inner.split()) >= REPORTED_WORDS and not _FIRST_SECOND.search(inner)
            and bool(_THIRD_SINGULAR.search(inner)) and bool(_BACKSHIFTED.search(inner))
            and not _PRESENT.search(inner))


# Speech only imagined: 'as much as to say', 'seemed to say', 'she had almost said', 'would have said'
_UNSAID = re.compile(
    r"\b(?:(?:as\s+much\s+as\s+to|as\s+if\s+to|as\s+though\s+to|as\s+who\s+should|seemed\s+to|seeming\s+to|"
    r"appeared\s+to|wished\s+to|longed\s+to|impulse\s+to|temptation\s+to|ready\s+to|going\s+to|"
    r"useless\s+to|tempted\s+to)\s+(?:say|exclaim|ask|cry|answer|reply)"
    r"|(?:would|could|might|should)\s+(?:\w+ly\s+)?have\s+(?:said|answered|replied|exclaimed|asked|cried)"
    r"|(?:almost|nearly)\s+(?:said|exclaimed|cried|asked|answered))"
    r"(?:\s+(?:to\s+)?\w+)?\s*[,:]?\s*(?:--)?\s*$", re.I)
# A letter's salutation or closing set as a paragraph of its own ('Dear Charlotte,', 'Yours, &c.',
# 'Your affectionate friend,', 'Believe me,')
_LETTER_FORMULA = re.compile(
    r"(?:(?:my\s+)?(?:dear|dearest)\b[^.!?]*,(?:--)?|(?:yours|your's)\b[^!?]*|your\s+[^.!?]*,"
    r"(?:\s+[A-Z][A-Z.\- ]*)?|believe\s+me,|[^!?]*&c\.?)$", re.I | re.S)

# Words written, not spoken: a tag with a verb of writing ('she wrote', 'wrote Miss Catharine') or a
# document's words ('the note ran', 'it ran:')
_WROTE = r"(?:wrote|writes|had\s+written)"
_RAN = r"(?:[Ii]t|[Ww]hich|[Tt]he\s+\w+)\s+(?:ran|runs)"
_WRITTEN_AFTER = re.compile(r"\s*(?:(?:he|she|they|I|[A-Z]\w+(?:\s+[A-Z]\w+)?|the\s+\w+(?:\s+\w+)?)\s+" + _WROTE
                            + r"\b|" + _WROTE + r"\s+(?:he|she|the\s+\w+|[A-Z]\w+)|" + _RAN + r"\s*[,.;:])")
_WRITTEN_BEFORE = re.compile(r"\b(?:" + _WROTE + r"(?:\s+(?:to\s+\w+|as\s+follows|thus|again))?|" + _RAN
                             # 'had written in the margin,', 'entitled, in a forcible hand,'
                             + r"|(?:written|inscribed|engraved|entitled|headed|directed\s+to|addressed\s+to)\b"
                               r"[^.!?\"\u201c\u201d]{0,40}"
                             # 'painted this inscription:', 'the arms and motto:--', 'bears but one word:'
                             + r"|(?:motto|inscription|legend|epitaph|placard|signboard)\b[^.!?\"\u201c\u201d]{0,30}"
                             + r"|\b(?:bears?|bore)\b[^.!?\"\u201c\u201d]{0,40}\bwords?"
                             # 'the notice contained the following sentence:'
                             + r"|the\s+following\s+(?:\w+\s+)?(?:words|lines|sentence|passage|note|letter|message|"
                               r"inscription|notice)"
                             + r")\s*[,:]\s*(?:--)?\s*$")
LETTER_LINE_WORDS = 6  # a letter's address, date or signature line is at most this long
_LETTER_OPENING = re.compile(r"\W*(?:my\s+)?dear", re.I)
# A letter's opening: a salutation run into its first line with a dash ('My dear Anne,--I make no apology')
_SALUTATION_DASH = re.compile(r"(?:[Mm]y\s+)?(?:[Dd]ear(?:est)?)\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?,\s*(?:--|\u2014)")
# Words named, not said: a name or phrase a character is called by or uses, a title ('which they
# called "the bad weather coming"', 'the phrase "Ja wohl!"', 'she was reading "Isabella"')
_MENTION = re.compile(
    r"(?:\b(?:be|been|being|was|were|is|are|what|which|whom|one)\s+(?:\w+\s+){0,2}"
    r"(?:called|termed|named|styled|dubbed)"
    r"|\b(?:the\s+phrase|the\s+expression|the\s+term|the\s+title|the\s+motto|the\s+fable\s+of|the\s+story\s+of|"
    r"epithets?\s+of|as\s+the\s+saying\s+is|(?:he|she|they|I|we)\s+(?:was|were)\s+reading))\s*,?\s*$", re.I)
# ... or that the sentence goes on to call a sound or a name ('"Boum" is the sound', '"Cissie" was the
# name of one of these villas')
_MENTION_AFTER = re.compile(r"\s*(?:was|is|were|are)\s+the\s+(?:\w+\s+){0,2}(?:sound|sounds|noise|name|names)\b")
_ONE_SMALL_WORD = re.compile(r"[a-z][a-z\-]*[,.;]?")
MENTION_WORDS = 6  # longer quoted words after such a cue are speech ('the words, "I love her."' is said)


def is_mention(text: str, q: Segment) -> bool:
    """Quoted words the narration names rather than anyone says: a name something is called by, a
    phrase, a title being read ('which they called "the bad weather coming"', 'the phrase "Ja
    wohl!"'). Like an embedded title they are part of the narrator's sentence."""
    inner = text[q.start:q.end]
    if q.opened and _ONE_SMALL_WORD.fullmatch(inner.strip()) and text[:q.outer_start].strip() \
            and inner.strip().rstrip(",.;") not in CONJUNCTIONS \
            and not _SPEECH_BEFORE.search(text[max(0, q.outer_start - 40):q.outer_start]) \
            and _narration_goes_on(text, q.outer_end):
        return True  # one word in small letters inside the narrator's sentence: '"our" society'
    return (q.opened and len(inner.split()) <= MENTION_WORDS
            and bool(_MENTION.search(text[max(0, q.outer_start - 60):q.outer_start])
                     or _MENTION_AFTER.match(text, q.outer_end)))


def _narration_goes_on(text: str, end: int) -> bool:
    """The narrator's sentence goes on after a quote ending at end: a word in small letters follows,
    and no speech verb among the next four words ('"never," he said' is speech)."""
    after = text[end:].lstrip()
    return after[:1].islower() and not set(re.findall(r"[a-z]+", after[:40].lower())[:4]) & _TAG_VERBS


def unspoken(text: str, q: Segment) -> str | None:
    """WRITTEN or IMAGINED for quoted words nobody says aloud in the scene, else None:

    - a document set off as a block: the quoted words run over several lines, each after the first
      indented, and as long as prose lines (a letter copied into the text; verse has short lines);
    - a paragraph that is only a letter's salutation or closing, or a heading or sign in capitals
      ('FIVE GUINEAS REWARD');
    - speech the narration only imagines ('as much as to say, "…"', 'she had almost said "…"');
    - words written ('"…," she wrote', '"…," the note ran', 'written in the margin, "…"', a letter
      opening 'My dear Anne,--I …');
    """
    inner = text[q.start:q.end]
    lines = inner.split("\n")
    if len(lines) >= 2 and all(re.match(r"[ \t]{2,}\S", line) for line in lines[1:]) \
            and sum(len(line.strip()) for line in lines[:-1]) >= 50 * (len(lines) - 1):
        return WRITTEN
    whole = q.outer_start == 0 and q.outer_end >= len(text.rstrip())
    if whole and len(inner.split()) <= 6:
        if _LETTER_FORMULA.match(inner):
            return WRITTEN
        letters = [c for c in inner if c.isalpha()]
        if len(letters) >= 4 and all(c.isupper() for c in letters) and not set(inner) & set("!?"):
            return WRITTEN
    if _WRITTEN_AFTER.match(text, q.outer_end) or (q.opened and _SALUTATION_DASH.match(inner)):
        return WRITTEN
    if not q.opened:
        return None
    before = text[:q.outer_start]
    if _UNSAID.search(before[-80:]):
        return IMAGINED
    return WRITTEN if _WRITTEN_BEFORE.search(before[-60:]) else None


def _narration(text: str, start: int, end: int, out: list[Segment]) -> None:
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        out.append(Segment(NARRATION, start + lead, end - trail))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quote(text: str, start: int, end: int, opened: bool, closed: bool) -> Segment | None:
    """A QUOTE segment for the words between a mark at start-1 (if opened) and one at end."""
    s, e = _trim(text, start, end)
    if s >= e:
        return None
    outer_start = start - 1 if opened else s
    outer_end = end + 1 if closed else e
    return Segment(QUOTE, s, e, opened, closed, max(0, outer_start), min(len(text), outer_end))


_DOUBLE_MARK = re.compile('["\u201c\u201d]')


def _double_quotes(text: str) -> list[Segment]:
    """Straight quotes pair up in order; curly ones say which way they face."""
    out: list[Segment] = []
    open_at: int | None = None
    for m in _DOUBLE_MARK.finditer(text):  # only the marks, not every character
        i, ch = m.start(), m.group()
        if ch == "\u201c" or (ch == '"' and open_at is None):
            if open_at is not None:  # a second opener: the first quote never closed
                _add(out, _quote(text, open_at + 1, i, True, False))
            open_at = i
        elif ch == "\u201d" or ch == '"':
            if open_at is None:
                # a closer with no opener: the paragraph continues an earlier quote
                if not out and text[:i].strip():
                    _add(out, _quote(text, 0, i, False, True))
                continue
            _add(out, _quote(text, open_at + 1, i, True, True))
            open_at = None
    if open_at is not None:
        _add(out, _quote(text, open_at + 1, len(text), True, False))
    return out


def _add(out: list[Segment], seg: Segment | None) -> None:
    if seg is not None:
        out.append(seg)


def is_elision(text: str, i: int) -> bool:
    """True when the apostrophe at i starts an elided word ('tis, 'em, '99), not a quote."""
    m = re.match(r"[A-Za-z]+|\d", text[i + 1:i + 12])
    if not m:
        return False
    word = m.group(0).lower()
    if word.isdigit():
        return True
    if word in _ELISIONS:
        # "'Tis true,' she said" vs "'em all" -- an elision is followed by more words, a
        # one-word quote would close right after it
        after = text[i + 1 + len(m.group(0)):i + 3 + len(m.group(0))]
        return not (after[:1] in ("'", "\u2019") and (after[1:2] in ("", " ", ",")))
    return False


def _is_single_opener(text: str, i: int) -> bool:
    if text[i] not in "'\u2018":
        return False
    if i > 0 and text[i - 1] not in _OPENING_CONTEXT:
        return False
    if i + 1 >= len(text) or text[i + 1].isspace():
        return False
    return not is_elision(text, i)


def _closer_kind(text: str, i: int) -> str | None:
    """'strong' (after punctuation), 'weak' (after a letter) or None for a non-closer."""
    if text[i] not in "'\u2019":
        return None
    if i == 0 or text[i - 1].isspace():
        return None
    nxt = text[i + 1:i + 2]
    if nxt and not (nxt.isspace() or nxt in _CLOSING_PUNCT or nxt in ")]\"\u201d"):
        return None  # inside a word: don't, o'clock
    if text[i - 1] in _CLOSING_PUNCT:
        return "strong"
    # "the Smiths' house": a plural possessive before a lower-case word
    if text[i - 1] in "sS" and re.match(r"\s+[a-z]", text[i + 1:i + 4]):
        return "possessive"
    return "weak"


def _single_quotes(text: str) -> list[Segment]:
    """British single quotes: openers by position, closers told apart from apostrophes."""
    out: list[Segment] = []
    i, n = 0, len(text)
    first = True
    while i < n:
        if text[i] not in "'\u2018\u2019":
            i += 1
            continue
        if first and not _is_single_opener(text, i) and _closer_kind(text, i) == "strong":
            # a paragraph that closes a quote opened in an earlier paragraph
            if text[:i].strip():
                _add(out, _quote(text, 0, i, False, True))
            first = False
            i += 1
            continue
        if not _is_single_opener(text, i):
            i += 1
            continue
        first = False
        close = _find_single_close(text, i + 1)
        if close is None:
            _add(out, _quote(text, i + 1, n, True, False))
            break
        _add(out, _quote(text, i + 1, close, True, True))
        i = close + 1
    return out


def _find_single_close(text: str, start: int) -> int | None:
    weak: int | None = None
    depth = 0  # nested "…" inside the single-quoted speech
    for j in range(start, len(text)):
        ch = text[j]
        if ch in "\u201c":
            depth += 1
        elif ch == "\u201d":
            depth = max(0, depth - 1)
        if ch not in "'\u2019":
            continue
        kind = _closer_kind(text, j)
        if kind == "strong":
            return j
        if kind == "weak" and weak is None:
            return j
        if kind is None and _is_single_opener(text, j) and weak is not None:
            return weak
    return weak


def _guillemet_quotes(text: str) -> list[Segment]:
    """«…» quotes; a paragraph whose first guillemet is » uses the reversed German style."""
    first = re.search("[\u00ab\u00bb]", text)
    if not first:
        return []
    opener, closer = "\u00ab", "\u00bb"
    if first.group(0) == "\u00bb" and "\u00ab" in text[first.start():]:
        opener, closer = closer, opener
    out: list[Segment] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == opener and open_at is None:
            open_at = i
        elif ch == closer and open_at is not None:
            _add(out, _quote(text, open_at + 1, i, True, True))
            open_at = None
    if open_at is not None:
        _add(out, _quote(text, open_at + 1, len(text), True, False))
    return out


_DASH_BREAK = re.compile(r"\s[\u2014\u2013\u2015]\s?|,\s[\u2014\u2013\u2015]")
_DASH_RESUME = re.compile(r"[\u2014\u2013\u2015][.,;:]?\s")


def _dash_quotes(text: str) -> list[Segment]:
    """— Speech: from the opening dash to a spaced dash that starts a tag, then again after it."""
    lead = len(text) - len(text.lstrip())
    if text[lead:lead + 1] not in _DASHES:
        return []
    out: list[Segment] = []
    pos = lead + 1
    while pos < len(text):
        brk = _DASH_BREAK.search(text, pos)
        if brk is None:
            _add(out, _quote(text, pos, len(text), True, False))
            break
        _add(out, _quote(text, pos, brk.start(), True, True))
        resume = _DASH_RESUME.search(text, brk.end())
        if resume is None:
            break
        pos = resume.end()
    # every dash quote "opens" with its dash and "closes" where the tag starts
    return out
