"""The user's pronunciation lexicon: word or phrase -> respelling, or Kokoro (misaki) phonemes.

A lexicon file is YAML, one entry per word or phrase:

    Hermione: her-MY-oh-nee              # a respelling, said as written
    Holmes: {phonemes: "hˈOmz"}          # misaki phonemes, for Kokoro (others say the word)
    Reading: {say: Redding, case: exact}  # the town, not the verb
    St John: {say: Sinjun}

Matching is whole-word. `case: exact` matches only the spelling given; `case: any` matches any
capitalization; without it, an entry with a capital letter is exact and an all-lowercase one
matches any case. Applied to normalized text, before G2P; what an entry changes is part of the
chunk's prompt, hence of its content key, so editing one re-renders only chunks that use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import InputError

# misaki's inline form for given phonemes: [word](/phonemes/)
_MARKUP = re.compile(r"\[([^\]]+)\]\(/([^)]*)/\)")


@dataclass(frozen=True)
class Entry:
    """One lexicon entry."""

    word: str  # the word or phrase as it appears in the book
    say: str | None = None  # respelling to say instead (any engine)
    phonemes: str | None = None  # misaki phonemes (Kokoro); other engines fall back to `say`
    exact: bool = True  # match only this capitalization
    where: str = ""  # file:line, for messages


@dataclass(frozen=True)
class Lexicon:
    """Entries from one or more lexicon files; later files override earlier ones."""

    entries: tuple[Entry, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def merged(self, other: "Lexicon") -> "Lexicon":
        """This lexicon with other's entries added, other winning on the same word."""
        mine = {e.word.casefold(): e for e in self.entries}
        mine.update({e.word.casefold(): e for e in other.entries})
        return Lexicon(tuple(mine.values()))

    def apply(self, text: str, phonemes: bool = False) -> tuple[str, list[Entry]]:
        """Text with entries applied (phoneme markup only when phonemes=True) and entries used."""
        if not self.entries:
            return text, []
        usable = [e for e in self.entries if e.say or (phonemes and e.phonemes)]
        used: list[Entry] = []
        for entry in sorted(usable, key=lambda e: -len(e.word)):  # "St John" before "John"
            pattern = _pattern(entry.word, entry.exact)

            def one(m: re.Match, entry: Entry = entry) -> str:
                if entry not in used:
                    used.append(entry)
                if phonemes and entry.phonemes:
                    return f"[{m.group()}](/{entry.phonemes}/)"
                return entry.say or m.group()
            text = _sub_outside_markup(pattern, one, text)
        return text, used


def _pattern(word: str, exact: bool) -> re.Pattern:
    body = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(r"(?<![\w\[])" + body + r"(?![\w\]])", 0 if exact else re.I)


def _sub_outside_markup(pattern: re.Pattern, repl, text: str) -> str:
    """Replace matches, never inside markup an earlier entry wrote."""
    out, last = [], 0
    for m in _MARKUP.finditer(text):
        out.append(pattern.sub(repl, text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(pattern.sub(repl, text[last:]))
    return "".join(out)


def plain(text: str) -> str:
    """Text with phoneme markup reduced to its words ('[Holmes](/hˈOmz/)' -> 'Holmes')."""
    return _MARKUP.sub(r"\1", text)


def _entry(word, value, where: str) -> Entry:
    if not isinstance(word, str) or not word.strip():
        raise InputError(f"{where}: a lexicon key must be a word or phrase, not {word!r}")
    if isinstance(value, str):
        value = {"say": value}
    if not isinstance(value, dict):
        raise InputError(f"{where}: {word!r} needs a respelling or {{say: ..., phonemes: ..., case: ...}}")
    unknown = set(value) - {"say", "phonemes", "case"}
    if unknown:
        raise InputError(f"{where}: {word!r} has unknown key(s) {sorted(unknown)}; use say, phonemes, case")
    say, ph, case = value.get("say"), value.get("phonemes"), value.get("case")
    if not say and not ph:
        raise InputError(f"{where}: {word!r} needs 'say' (a respelling) or 'phonemes'")
    if ph is not None and (not isinstance(ph, str) or "/" in ph or "]" in ph or ")" in ph):
        raise InputError(f"{where}: phonemes of {word!r} must be misaki phonemes without / ] or )")
    if case not in (None, "exact", "any"):
        raise InputError(f"{where}: case of {word!r} must be 'exact' or 'any', not {case!r}")
    exact = case == "exact" if case else word != word.lower()
    return Entry(word=" ".join(word.split()), say=str(say) if say else None, phonemes=ph, exact=exact,
                 where=where)


def parse_lexicon(data, name: str, lines: dict | None = None) -> Lexicon:
    """A Lexicon from a loaded YAML mapping; InputError names the file and line of a bad entry."""
    if data is None:
        return Lexicon()
    if not isinstance(data, dict):
        raise InputError(f"{name}: a lexicon is a mapping of word: respelling (or {{phonemes: ...}})")
    lines = lines or {}
    return Lexicon(tuple(_entry(w, v, f"{name}:{lines.get(w, '?')}") for w, v in data.items()))


def _key_lines(text: str) -> dict:
    """Line number of each top-level key, for messages."""
    out = {}
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return out
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            out[key.value] = key.start_mark.line + 1
    return out


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon YAML file; InputError (file, line, fix) for anything wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"lexicon {path} cannot be read ({exc.strerror}); check the path") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)}); fix the file") from None
    return parse_lexicon(data, str(path), _key_lines(text))


def cast_lexicon(cast_path: str | Path | None) -> Lexicon:
    """The cast file's `lexicon:` (a mapping, or a path relative to the cast file)."""
    if not cast_path:
        return Lexicon()
    try:
        data = yaml.safe_load(Path(cast_path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return Lexicon()  # the cast loader has already reported a broken cast file
    value = data.get("lexicon") if isinstance(data, dict) else None
    if value is None:
        return Lexicon()
    if isinstance(value, str):
        return load_lexicon(Path(cast_path).parent / value)
    return parse_lexicon(value, f"{cast_path} (lexicon)")


def book_lexicon(source: str | Path) -> Path | None:
    """The book's own lexicon file beside it (novel.epub -> novel.lexicon.yaml), if there is one."""
    path = Path(source)
    candidate = path.with_name(path.stem + ".lexicon.yaml")
    return candidate if candidate.is_file() else None
