"""Unspoken words: quoted words nobody says aloud in the scene.

For one quote in its paragraph, the detectors here say whether the quoted words are written (a
letter, a note, a heading or a sign), only imagined, recited, a title or a name the narration
mentions, verse, or speech the narrator reports; `unspoken` gives the cited kind (WRITTEN or
IMAGINED). quotes.segment asks them of every quote it finds. Over a chapter's segmented
paragraphs, `letter_paragraphs` and `run_in_quotations` mark the lines of a letter and the
quotations run into the narrator's sentence WRITTEN.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .lexicon import CONJUNCTIONS, PERSONAL_HONORIFICS, SPEECH_VERBS
from .segments import NARRATION, QUOTE, Segment

IMAGINED = "imagined"  # cited words a look or a thought only seems to say ('as much as to say, "…"')
WRITTEN = "written"  # cited words on paper: a letter, a note, a heading or a sign
RECITED = "recited"  # cited words read out or repeated whole from elsewhere ('"'Leonora,'" he read')
SILENT_TURNS = frozenset({IMAGINED, RECITED})  # cited words that still take a turn in the exchange


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


def rest_of_written(text: str, pos: int, q: Segment) -> bool:
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


def is_recited(text: str, q: Segment) -> bool:
    """A quote that is wholly another quote: read out or repeated, not said (see _NESTED_WHOLE)."""
    return bool(_NESTED_WHOLE.fullmatch(text, q.start, q.end))


def has_written_tag(text: str, q: Segment) -> bool:
    """The narration after q is its tag with a verb of writing ('she wrote', '"…," the note ran')."""
    return bool(_WRITTEN_AFTER.match(text, q.outer_end))
