"""Text normalization: the exact words a chunk says, by the book's language.

One module for synthesis and validation alike: the planner writes what normalize_text returns
into each chunk (its prompt, its content key, what the ASR check compares against). English has
rules (numbers, money, dates, times, units, Roman numerals, abbreviations, editorial marks);
a language without rules passes through unchanged rather than guessed at.
"""

from __future__ import annotations

import re
from typing import Callable

from . import numbers as num

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_MONTH_NAMES = {m[:3]: m for m in ("January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December")}

# --- editorial marks: never spoken ---------------------------------------------------------
_ILLUSTRATION = re.compile(r"\[\s*(?:Illustration|Image|Picture|Frontispiece)\b[^\]]*\]", re.I)
_EDITORIAL = re.compile(r"\[\s*(?:sic|Transcriber'?s?|Editor'?s?|Translator'?s?|Note|Footnote|TN)\b[^\]]*\]", re.I)
_FOOTNOTE_REF = re.compile(r"\[(?:\d{1,3}|[*†‡§a-z])\]|(?<=[\w.,;:!?\"'’”)])[*†‡§]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)

# --- abbreviations and titles (case-sensitive; a title needs its dot, or a name after it) --
_TITLES = {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Messrs": "Messieurs",
           "Capt": "Captain", "Col": "Colonel", "Gen": "General", "Lt": "Lieutenant",
           "Sgt": "Sergeant", "Rev": "Reverend", "Prof": "Professor", "Hon": "Honourable",
           "Mt": "Mount", "Mme": "Madame", "Mlle": "Mademoiselle", "Gov": "Governor",
           "Supt": "Superintendent", "Insp": "Inspector"}
_TITLE = re.compile(r"(?<![\w.'’])(" + "|".join(_TITLES) + r")(?:\.(?=\s|$)|(?=\s+[A-Z]))")
_TITLE_QUICK = re.compile(_TITLE.pattern[len(r"(?<![\w.'’])"):])  # where it finds nothing, _TITLE cannot
_SUFFIXES = {"Jr": "Junior", "Sr": "Senior"}
_SUFFIX = re.compile(r"(?<=[A-Za-z],\s)(Jr|Sr)\.|(?<=[A-Za-z]\s)(Jr|Sr)\.")
_SAINT = re.compile(r"(?<![\w.'’])St\.?(?=\s+[A-Z])|(?<![\w.'’])St\.(?=\s)")
_STREET_BEFORE = re.compile(r"(?:[A-Z][\w'’-]*|\d\w*)\s+$")
# abbreviations that may end a sentence (their dot is kept when a new sentence follows)
_PHRASES = [
    (re.compile(r"(?<![\w.])etc\.", re.I), "et cetera"),
    (re.compile(r"(?<![\w.])&c\.?"), "et cetera"),
    (re.compile(r"(?<![\w.])e\.\s?g\.", re.I), "for example"),
    (re.compile(r"(?<![\w.])i\.\s?e\.", re.I), "that is"),
    (re.compile(r"(?<![\w.])viz\.", re.I), "namely"),
    (re.compile(r"(?<![\w.])vs?\.(?=\s)"), "versus"),
    (re.compile(r"(?<![\w.])cf\.\s?(?=\S)", re.I), "compare "),  # a reference follows, never a sentence end
    (re.compile(r"(?<![\w.])([ap])\.\s?m\.", re.I), lambda m: m.group(1).upper() + " M"),
    (re.compile(r"(?<![\w.])A\.\s?D\.(?=[\s,;:!?]|$)"), "A D"),
    (re.compile(r"(?<![\w.])B\.\s?C\.(?=[\s,;:!?]|$)"), "B C"),
]
# abbreviations that only stand before a number
_BEFORE_NUMBER = [
    (re.compile(r"(?<![\w.])pp\.\s*(?=\d)"), "pages "),
    (re.compile(r"(?<![\w.])p\.\s*(?=\d)"), "page "),
    (re.compile(r"(?<![\w.])(?:No|no)s\.\s*(?=\d)"), "numbers "),
    (re.compile(r"(?<![\w.])(?:No|no)\.\s*(?=\d)"), "number "),
    (re.compile(r"(?<![\w.])(?:Vol|vol)s?\.\s*(?=[\dIVXLC])"), "Volume "),
    (re.compile(r"(?<![\w.])(?:Ch|ch|Chap|chap)\.\s*(?=[\dIVXLC])"), "Chapter "),
    (re.compile(r"(?<![\w.])(?:Fig|fig)\.\s*(?=\d)"), "figure "),
    (re.compile(r"(?<![\w.])(?:c|ca|circa)\.\s*(?=\d{3,4}\b)"), "circa "),
]

# --- Roman numerals ------------------------------------------------------------------------
_KEYWORDS = ("chapter|book|part|volume|act|scene|canto|section|letter|stave|adventure|appendix|"
             "psalm|lesson|number|article|phase|epistle|war|chapitre|livre")
_KEYWORD_ROMAN = re.compile(r"\b((?i:" + _KEYWORDS + r"))(\s+)([IVXLCDM]+)\b(?![''’-]\w)")
_REGNAL_NAMES = (
    "Henry|Edward|George|William|Richard|Charles|James|John|Louis|Philip|Philippe|Frederick|"
    "Elizabeth|Mary|Anne|Victoria|Napoleon|Peter|Catherine|Alexander|Nicholas|Ferdinand|Alfonso|"
    "Pius|Leo|Gregory|Innocent|Benedict|Clement|Urban|Boniface|Paul|Ivan|Gustavus|Gustav|Otto|"
    "Rudolf|Wilhelm|Friedrich|Ludwig|Francis|Joseph|Leopold|Christian|Olaf|Harold|Malcolm|David|"
    "Robert|Alfred|Edmund|Stephen|Ramses|Ptolemy|Darius|Antiochus|Constantine|Justinian|"
    "Theodosius|Manuel|Carlos|Juan|Pedro|Sancho|Henri|Umberto|Vittorio|Emmanuel|Amadeus|Sixtus|"
    "Julius|Alexius|Basil|Michael|Ludovic|Charlemagne|Canute|Cnut|Ethelred|Haakon|Eric|Magnus")
_REGNAL = re.compile(r"\b(" + _REGNAL_NAMES + r")\s+([IVXLCDM]{1,7})\b(?!-\w)")
_HEADING_ROMAN = re.compile(r"^([IVXLCDM]+)(\.?)(?=\s|$)")

# --- numbers -------------------------------------------------------------------------------
_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5),
           "⅖": (2, 5), "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8),
           "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}
_MIXED_VULGAR = re.compile(r"(\d+)\s?([" + "".join(_VULGAR) + r"])")
_LONE_VULGAR = re.compile(r"[" + "".join(_VULGAR) + r"]")
_SLASH_FRACTION = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})(?![\w/])")
_MIXED_SLASH = re.compile(r"(?<![\w/])(\d+)\s(\d{1,2})/(\d{1,2})(?![\w/])")
_POUNDS = re.compile(r"£\s?(\d[\d,]*)(?:\.(\d{2}))?")
_DOLLARS = re.compile(r"\$\s?(\d[\d,]*)(?:\.(\d{2}))?")
_DECADE = re.compile(r"(?<![\w'’])(1[0-9]\d0|20[0-9]0)['’]?s\b|(?<![\w])['’](\d0)s\b")
# "in his 50s", "the early 20s": a two-digit decade only after a word that asks for one ("a fee of 50s." is shillings)
_SHORT_DECADE = re.compile(r"\b((?i:his|her|their|my|your|our|the|early|late|mid)[\s-])([1-9]0)['’]?s\b")
# "-5 degrees": a minus sign before a number that starts a word ("12-15" is a range, "555-1234" a phone number)
_MINUS = re.compile(r"(?:(?<=[\s(])|^)[-−](?=\d)")
_SHILLINGS_PENCE = re.compile(r"(?<![\w.])(\d{1,3})s\.\s?(\d{1,2})d\.?")
_SHILLINGS = re.compile(r"(?<![\w.])(\d{1,3})s\.")
_PENCE = re.compile(r"(?<![\w.])(\d{1,3})d\.")
_PERCENT = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?%")
_TIME = re.compile(r"(?<![\w:.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_DAY_MONTH = re.compile(r"(?<![\w.])(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTHS + r")\b\.?")
_MONTH_DAY = re.compile(r"\b(" + _MONTHS + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![\d:,]\d)")
_PHONE = re.compile(r"(?<![\w-])(?:\+\d{1,3}[\s-])?(?:\(\d{3}\)\s?|\d{3}[\s-])\d{3}-\d{4}(?![\w-])"
                    r"|(?<![\w-])\d{3}-\d{4}(?![\w-])|(?<![\w.,])0\d{2,}(?![\w.,])")
_RANGE = re.compile(r"(?<![\w.,/])(\d{1,4})\s?[–—-]\s?(\d{1,4})(?![\w.,/]\d)(?!-\d)")
_UNITS = {"km/h": ("kilometre per hour", "kilometres per hour"), "mph": ("mile per hour", "miles per hour"),
          "km": ("kilometre", "kilometres"), "kg": ("kilogram", "kilograms"),
          "cm": ("centimetre", "centimetres"), "mm": ("millimetre", "millimetres"),
          "lbs": ("pound", "pounds"), "lb": ("pound", "pounds"), "oz": ("ounce", "ounces"),
          "ft": ("foot", "feet"), "yds": ("yard", "yards"), "yd": ("yard", "yards"),
          "mi": ("mile", "miles"), "cwt": ("hundredweight", "hundredweight")}
_UNIT = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?(" + "|".join(re.escape(u) for u in _UNITS)
                   + r")\b\.?(?=[\s,;:!?)]|$)")
_DEGREES = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?°(?:\s?([CF])\b)?")
_ORDINAL = re.compile(r"(?<![\w.])(\d[\d,]*)(st|nd|rd|th)\b", re.I)
_YEAR = re.compile(r"(?<![\w.,£$])(1[1-9]\d\d|20\d\d)(?![\d,.]\d)(?!\s?%)")
_DECIMAL = re.compile(r"(?<![\w.])(\d[\d,]*\.\d+)(?![\d.])")
_THOUSANDS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+)(?![\d,]\d)")
_INTEGER = re.compile(r"(?<![\d.,])(\d+)")
_DIGIT = re.compile(r"\d")  # every rule of _numbers needs one: text without skips them all

# --- punctuation -------------------------------------------------------------------------------
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.(?:\s?\.)*|…+")
_DASH = re.compile(r"\s*(?:--+|—+|―)\s*")
_STAGE = re.compile(r"[*_~#^|<>{}\\]+")


def _sentence_period(text: str, end: int) -> str:
    """'.' when an abbreviation's dot also ended the sentence (a capital or the end follows)."""
    rest = text[end:]
    stripped = rest.lstrip()
    if not stripped or (rest[:1].isspace() and stripped[:1].isupper()):
        return "."
    return ""


_LOOKBEHIND = r"(?<![\w.])"


def _quick(pattern: re.Pattern) -> re.Pattern:
    r"""The pattern without its leading (?<![\w.]): where it finds nothing, neither can the pattern.

    A lookbehind first keeps `re` from skipping ahead to its literal, so the full pattern costs a
    step at every position; the bare one scans like str.find."""
    bare = pattern.pattern[len(_LOOKBEHIND):] if pattern.pattern.startswith(_LOOKBEHIND) else pattern.pattern
    return re.compile(bare, pattern.flags)


_PHRASES = [(pattern, _quick(pattern), words) for pattern, words in _PHRASES]
_BEFORE_NUMBER = [(pattern, _quick(pattern), words) for pattern, words in _BEFORE_NUMBER]
_ROMAN_AFTER_SPACE = re.compile(r"\s[IVXLCDM]")  # _KEYWORD_ROMAN and _REGNAL need one
_KEYWORD_ENDS = tuple(_KEYWORDS.split("|"))
_REGNAL_ENDS = tuple(_REGNAL_NAMES.split("|"))
# the word right before a '.' in each abbreviation of _PHRASES and _BEFORE_NUMBER, lower case
_DOT_WORDS = frozenset({"etc", "e", "i", "viz", "v", "vs", "cf", "a", "p", "b", "pp", "no", "nos", "vol", "vols",
                        "ch", "chap", "fig", "c", "ca", "circa"})
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:.!?…])")
_SPACE_PUNCT = re.compile(r"\s[,;:.!?…]")  # _SPACE_BEFORE_PUNCT needs one
_DASH_AFTER_QUOTE = re.compile(r"([\"“'‘(])\s*—\s")


def _roman_after(text: str, words: tuple[str, ...], any_case: bool) -> bool:
    r"""Whether a word of words (in any case, when any_case) ends right before white space and a
    capital Roman numeral: what _KEYWORD_ROMAN (any_case) or _REGNAL needs to match at all.

    A scan for the numerals (rare but for the pronoun 'I') and a look at the word before each,
    instead of the rules' own regexes, which start with \b and so are tried at every position."""
    for m in _ROMAN_AFTER_SPACE.finditer(text):
        j = m.start()
        while j and text[j - 1].isspace():
            j -= 1
        tail = text[max(0, j - 12):j]  # the longest word is 12 letters ('Theodosius', 'Charlemagne')
        if any_case:
            if "\u0130" in tail or "\u0131" in tail or "\u017f" in tail:
                return True  # İ, ı and ſ are an i and an s to (?i) but not to str.lower: let re decide
            tail = tail.lower()
        if tail.endswith(words):
            return True
    return False


def _may_abbreviate(text: str) -> bool:
    """Whether text has '&c' or a word of _DOT_WORDS (in any case) right before a '.', as every
    abbreviation of _PHRASES and _BEFORE_NUMBER needs: most lines have none, and one look at
    each '.' spares the eighteen patterns."""
    if "&c" in text:
        return True
    d = text.find(".")
    while d != -1:
        s = d
        while s > d - 6 and s and (text[s - 1].isalnum() or text[s - 1] == "_"):
            s -= 1  # back over the word (\w) before the '.'; none of _DOT_WORDS is longer than 5
        word = text[s:d]
        if word and not (s and (text[s - 1].isalnum() or text[s - 1] == "_")) and (
                not word.isascii() or word.lower() in _DOT_WORDS):
            return True
        d = text.find(".", d + 1)
    return False
_FOOTNOTE_MARK = re.compile(r"[\[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]")  # _FOOTNOTE_REF needs one


def _sub_keep_period(pattern: re.Pattern, repl, text: str) -> str:
    def one(m: re.Match) -> str:
        words = repl(m) if callable(repl) else repl
        return words + (_sentence_period(text, m.end()) if m.group().endswith(".") else "")
    return pattern.sub(one, text)


def _url(m: re.Match) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(), flags=re.I).rstrip(".,;:")
    host = url.split("/", 1)[0]
    tail = m.group()[len(m.group().rstrip(".,;:")):]
    return " dot ".join(p for p in host.split(".") if p) + tail


def _money(m: re.Match, one: str, many: str, cent: str, cents: str) -> str:
    whole = int(m.group(1).replace(",", ""))
    words = f"{num.cardinal(whole)} {one if whole == 1 else many}"
    if m.group(2) and int(m.group(2)):
        c = int(m.group(2))
        words += f" and {num.cardinal(c)} {cent if c == 1 else cents}"
    return words


def _pence(n: str) -> str:
    return {"1": "one penny", "2": "twopence", "3": "threepence"}.get(n, f"{num.cardinal(n)} pence")


def _shillings(n: str) -> str:
    return f"{num.cardinal(n)} shilling{'' if n == '1' else 's'}"


def _range(m: re.Match) -> str:
    a, b = m.group(1), m.group(2)
    if len(a) == 4 and a[0] in "12" and len(b) in (2, 4):
        return f"{num.year(a)} to {num.year(b) if len(b) == 4 else num.cardinal(b)}"
    if int(a) >= int(b) and len(b) >= len(a):
        return m.group()  # "3-2" is a score or a code, not a range
    return f"{num.cardinal(a)} to {num.cardinal(b)}"


def _unit(m: re.Match) -> str:
    amount, unit = m.group(1), m.group(2)
    one, many = _UNITS[unit]
    said = num.decimal(amount) if "." in amount else num.cardinal(amount)
    return f"{said} {one if amount in ('1', '1.0') else many}"


def _saint_or_street(text: str) -> str:
    if "St" not in text:
        return text
    out, last = [], 0
    for m in _SAINT.finditer(text):
        before = text[:m.start()]
        street = bool(_STREET_BEFORE.search(before)) and not before.rstrip().endswith((".", "!", "?"))
        out.append(text[last:m.start()])
        out.append("Street" + (_sentence_period(text, m.end()) if m.group().endswith(".") else "")
                   if street else "Saint")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _fraction_after_whole(a: int, b: int) -> str:
    """'a half', 'a quarter', 'three quarters': how a fraction is said after 'two and'."""
    return ("a " + num.fraction(1, b).split(" ", 1)[1]) if a == 1 and b in (2, 4) else num.fraction(a, b)


def _keyword_roman(m: re.Match) -> str:
    numeral, value = m.group(3), num.roman_value(m.group(3))
    if value is None:
        return m.group()
    if len(numeral) == 1:  # "the letter X", "the book I read": a lone letter needs "Chapter X"
        follows = m.string[m.end():m.end() + 2]
        if not m.group(1)[0].isupper() or re.match(r"\s[a-z]", follows):
            return m.group()
    return f"{m.group(1)}{m.group(2)}{num.cardinal(value)}"


def _regnal(m: re.Match) -> str:
    numeral = m.group(2)
    value = num.roman_value(numeral)
    if value is None or numeral == "I":  # "Henry I" is too often "Henry, I said"
        return m.group()
    return f"{m.group(1)} the {num.ordinal(value)}"


def _lone_vulgar(text: str) -> str:
    """A vulgar-fraction character on its own ('½') said as words."""
    return _LONE_VULGAR.sub(lambda m: _fraction_after_whole(*_VULGAR[m.group()]), text)


def _numbers(text: str) -> str:
    """Fractions, money, dates, times, units and numbers said as words (only text with a digit)."""
    text = _MIXED_VULGAR.sub(lambda m: f"{num.cardinal(m.group(1))} and "
                             f"{_fraction_after_whole(*_VULGAR[m.group(2)])}", text)
    text = _lone_vulgar(text)
    text = _MIXED_SLASH.sub(lambda m: f"{num.cardinal(m.group(1))} and "
                            f"{_fraction_after_whole(int(m.group(2)), int(m.group(3)))}"
                            if 0 < int(m.group(2)) < int(m.group(3)) else m.group(), text)
    text = _SLASH_FRACTION.sub(lambda m: num.fraction(int(m.group(1)), int(m.group(2)))
                               if 0 < int(m.group(1)) < int(m.group(2)) else m.group(), text)
    text = _POUNDS.sub(lambda m: _money(m, "pound", "pounds", "penny", "pence"), text)
    text = _DOLLARS.sub(lambda m: _money(m, "dollar", "dollars", "cent", "cents"), text)
    text = _DECADE.sub(lambda m: num.decade(m.group(1) or m.group(2)), text)
    text = _SHORT_DECADE.sub(lambda m: m.group(1) + num.decade(m.group(2)), text)
    text = _SHILLINGS_PENCE.sub(lambda m: f"{_shillings(m.group(1))} and {_pence(m.group(2))}", text)
    text = _sub_keep_period(_SHILLINGS, lambda m: _shillings(m.group(1)), text)
    text = _sub_keep_period(_PENCE, lambda m: _pence(m.group(1)), text)
    text = _PERCENT.sub(lambda m: (num.decimal(m.group(1)) if "." in m.group(1)
                                   else num.cardinal(m.group(1))) + " percent", text)
    text = _TIME.sub(lambda m: num.clock(m.group(1), m.group(2)), text)
    text = _DAY_MONTH.sub(lambda m: ("" if m.string[:m.start()].lower().endswith("the ") else "the ")
                          + f"{num.ordinal(m.group(1))} of "
                          f"{_MONTH_NAMES.get(m.group(2)[:3], m.group(2))}", text)
    text = _MONTH_DAY.sub(lambda m: f"{_MONTH_NAMES.get(m.group(1)[:3], m.group(1))} "
                          f"{num.ordinal(m.group(2))}", text)
    text = _PHONE.sub(lambda m: ", ".join(num.digits(p) for p in re.split(r"[\s-]+", m.group())
                                          if any(c.isdigit() for c in p)), text)
    text = _DEGREES.sub(lambda m: (num.decimal(m.group(1)) if "." in m.group(1) else num.cardinal(m.group(1)))
                        + (" degree" if m.group(1) == "1" else " degrees")
                        + {"C": " Celsius", "F": " Fahrenheit"}.get(m.group(2) or "", ""), text)
    text = _UNIT.sub(_unit, text)
    text = _RANGE.sub(_range, text)
    text = _MINUS.sub("minus ", text)
    text = _ORDINAL.sub(lambda m: num.ordinal(m.group(1)), text)
    text = _YEAR.sub(lambda m: num.year(m.group(1)), text)
    text = _DECIMAL.sub(lambda m: num.decimal(m.group(1)), text)
    text = _THOUSANDS.sub(lambda m: num.cardinal(m.group(1)), text)
    text = _INTEGER.sub(lambda m: (" " if m.string[max(0, m.start() - 1):m.start()].isalpha() else "")
                        + num.cardinal(m.group(1)) + (" " if m.string[m.end():m.end() + 1].isalpha() else ""), text)
    text = re.sub(r"\d", lambda m: " " + num.digits(m.group()) + " ", text)  # any digit left: say it
    return text


def english(text: str, heading: bool = False) -> str:
    """English rules, in order: editorial marks, abbreviations, numerals, numbers, punctuation.

    Each rule whose regex is slow to find nothing is tried only where a cheaper test says it can
    match (a literal it needs, or a word before a '.' or a numeral); where the test says no, the
    rule would have left the text as it is."""
    if "[" in text:
        text = _ILLUSTRATION.sub(" ", text)
        text = _EDITORIAL.sub(" ", text)
    if _FOOTNOTE_MARK.search(text):
        text = _FOOTNOTE_REF.sub("", text)
    low = text.lower()
    if "www." in low or "http" in low or "\u017f" in text:  # ſ is an s to (?i), not to str.lower
        text = _URL.sub(_url, text)
    if heading:
        m = _HEADING_ROMAN.match(text.strip())
        if m and (num.roman_value(m.group(1)) or 0) <= 200 and num.roman_value(m.group(1)) and (
                m.group(2) or m.group(1) != "I" or text.strip() == "I"):
            value = num.roman_value(m.group(1))
            text = num.cardinal(value).capitalize() + m.group(2) + text.strip()[m.end():]
    if _TITLE_QUICK.search(text):
        text = _TITLE.sub(lambda m: _TITLES[m.group(1)], text)
    if "Jr." in text or "Sr." in text:
        text = _SUFFIX.sub(lambda m: _SUFFIXES[m.group(1) or m.group(2)], text)
    text = _saint_or_street(text)
    if _may_abbreviate(text):
        for pattern, quick, words in _PHRASES:
            if quick.search(text):
                text = _sub_keep_period(pattern, words, text)
        for pattern, quick, words in _BEFORE_NUMBER:
            if quick.search(text):
                text = pattern.sub(words, text)
    if _roman_after(text, _KEYWORD_ENDS, any_case=True):
        text = _KEYWORD_ROMAN.sub(_keyword_roman, text)
    if _roman_after(text, _REGNAL_ENDS, any_case=False):
        text = _REGNAL.sub(_regnal, text)
    if _DIGIT.search(text):
        text = _numbers(text)
    else:
        text = _lone_vulgar(text)
    text = _ELLIPSIS.sub("… ", text)
    if "--" in text or "—" in text or "―" in text:
        text = _DASH.sub(" — ", text)
    text = _STAGE.sub(" ", text)
    text = text.replace("&", " and ")
    if _SPACE_PUNCT.search(text):
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if "—" in text:
        text = _DASH_AFTER_QUOTE.sub(r"\1", text)  # no pause straight after an opening quote
    return " ".join(text.split())


NORMALIZERS: dict[str, Callable[..., str]] = {"en": english}


def has_rules(language: str | None) -> bool:
    """Whether normalization knows this language (others pass through unchanged)."""
    return (language or "en").split("-")[0].split("_")[0].lower() in NORMALIZERS


def normalize_text(text: str, language: str | None = "en", heading: bool = False) -> str:
    """The words to say for text in a language; unknown languages come back unchanged."""
    rule = NORMALIZERS.get((language or "en").split("-")[0].split("_")[0].lower())
    if rule is None:
        return text
    return rule(text, heading=heading)
