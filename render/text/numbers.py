"""English number words: cardinals, ordinals, years, decimals, digits, Roman numerals."""

from __future__ import annotations

import re

from num2words import num2words

ROMAN = re.compile(r"^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def roman_value(token: str) -> int | None:
    """The value of a well-formed upper-case Roman numeral ('XIV' -> 14), else None."""
    if not token or not ROMAN.match(token):
        return None
    total = 0
    for a, b in zip(token, token[1:] + " "):
        value = _ROMAN_VALUES[a]
        total += -value if b != " " and _ROMAN_VALUES[b] > value else value
    return total


def cardinal(n: int | str) -> str:
    """'1234' -> 'one thousand, two hundred and thirty-four' (commas dropped)."""
    return num2words(int(str(n).replace(",", ""))).replace(",", "")


def ordinal(n: int | str) -> str:
    """'21' -> 'twenty-first'."""
    return num2words(int(str(n).replace(",", "")), to="ordinal").replace(",", "")


def year(n: int | str) -> str:
    """'1851' -> 'eighteen fifty-one', '1900' -> 'nineteen hundred', '2005' -> 'two thousand and five'."""
    value = int(n)
    if 1000 <= value < 2000 and value % 100 and value % 100 < 10:
        return f"{cardinal(value // 100)} oh {_DIGITS[value % 10]}"  # 1805: eighteen oh five
    return num2words(value, to="year").replace(",", "")


def decade(n: int | str) -> str:
    """'1850' (as in 1850s) -> 'eighteen fifties'; '60' -> 'sixties'."""
    value = int(n)
    words = year(value) if value >= 1000 else cardinal(value)
    if value % 100 == 0:
        return words + "s"  # nineteen hundreds
    last = words.rsplit(" ", 1)[-1]
    plural = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return words[: len(words) - len(last)] + plural


def decimal(text: str) -> str:
    """'3.14' -> 'three point one four'; '0.5' -> 'zero point five'."""
    whole, _, frac = text.replace(",", "").partition(".")
    words = cardinal(whole or "0")
    if frac:
        words += " point " + " ".join(_DIGITS[int(d)] for d in frac)
    return words


def digits(text: str) -> str:
    """'0171' -> 'oh one seven one' (telephone style)."""
    return " ".join("oh" if d == "0" else _DIGITS[int(d)] for d in text if d.isdigit())


def clock(hours: str, minutes: str) -> str:
    """'9', '45' -> 'nine forty-five'; '9', '05' -> 'nine oh five'; '9', '00' -> "nine o'clock"."""
    h, m = int(hours), int(minutes)
    if m == 0:
        return f"{cardinal(h)} o'clock"
    if m < 10:
        return f"{cardinal(h)} oh {cardinal(m)}"
    return f"{cardinal(h)} {cardinal(m)}"


_FRACTIONS = {2: ("half", "halves"), 4: ("quarter", "quarters")}


def fraction(num: int, den: int) -> str:
    """3, 4 -> 'three quarters'; 1, 2 -> 'one half'; 5, 8 -> 'five eighths'."""
    if den in _FRACTIONS:
        one, many = _FRACTIONS[den]
    else:
        one = ordinal(den)
        many = one + "s"
    return f"{cardinal(num)} {one if num == 1 else many}"
