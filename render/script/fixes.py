"""Per-quote speaker fixes: a small YAML file beside the manuscript, quote ID -> speaker.

```yaml
# novel.fixes.yaml, beside novel.epub (written by `render fix`, or by hand)
lines:
  q003-5d41402a: Elizabeth Bennet   # "I am all astonishment."
  q012-0c2e7b91-2: narrator          # a quoted sign, read by the narrator
```

A fix decides its quote in a sieve pass of its own before 'read', so every rule after it (same
paragraph, continued speech, turn-taking, alternation) builds on the fixed speaker.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..atomic import atomic_write
from ..errors import InputError
from .model import NARRATOR
from .sieve import PASSES, Pass, pass_index

FIX_RULE = "fix"  # Quote.rule of a quote decided by the fixes file
SUFFIX = ".fixes.yaml"


@dataclass
class Fixes:
    """The fixes of one book: quote ID -> speaker as written, with the file line of each."""

    path: Path | None = None  # where they are read from and written to
    lines: dict[str, str] = field(default_factory=dict)  # quote ID -> speaker name
    where: dict[str, int] = field(default_factory=dict)  # quote ID -> line in the file


def fixes_path(source: str | Path) -> Path:
    """The fixes file of a manuscript: `novel.fixes.yaml` beside `novel.epub`."""
    source = Path(source)
    return source.with_name(source.stem + SUFFIX)


def load_fixes(path: str | Path) -> Fixes:
    """Read a fixes file (an absent one has no fixes); InputError names the file and line."""
    path = Path(path)
    if not path.exists():
        return Fixes(path)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read fixes file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"{loc}: invalid YAML ({getattr(exc, 'problem', exc)}); fix the syntax") from None
    if not isinstance(data, dict) or set(data) - {"lines"}:
        raise InputError(f"{path}: a fixes file is one mapping 'lines:' of quote ID: speaker")
    lines = data.get("lines") or {}
    if not isinstance(lines, dict):
        raise InputError(f"{path}: 'lines' must map quote IDs to speakers, e.g. q003-5d41402a: Alice")
    where: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "lines" and isinstance(value, yaml.MappingNode):
                where = {k.value: k.start_mark.line + 1 for k, _ in value.value}
    out = Fixes(path)
    for qid, speaker in lines.items():
        if not isinstance(speaker, str) or not speaker.strip():
            raise InputError(f"{path}:{where.get(str(qid), '?')}: the speaker of {qid} must be a name")
        out.lines[str(qid)] = speaker.strip()
    out.where = where
    return out


def save_fixes(fixes: Fixes, texts: dict[str, str] | None = None) -> None:
    """Write the fixes file whole (temp file + rename), each line with its quote's words as a comment."""
    texts = texts or {}
    out = ["# Speaker fixes, quote ID -> speaker; IDs come from `render review` / `render attribute`.",
           "lines:"]
    for qid, speaker in sorted(fixes.lines.items()):
        words = " ".join(texts.get(qid, "").split())
        note = f"  # {words[:60]}{'…' if len(words) > 60 else ''}" if words else ""
        out.append(f"  {qid}: {json.dumps(speaker, ensure_ascii=False)}{note}")
    if not fixes.lines:
        out[-1] = "lines: {}"
    body = ("\n".join(out) + "\n").encode("utf-8")
    atomic_write(fixes.path, lambda f: f.write(body))


def closest(word: str, choices, n: int = 3) -> str:
    """'closest: a, b, c' for a one-line error ('' when nothing is close)."""
    found = difflib.get_close_matches(word, sorted(set(choices)), n=n, cutoff=0.5)
    return f"; closest: {', '.join(found)}" if found else ""


def speaker_for(name: str, index) -> str | None:
    """The canonical speaker a fix names ('narrator' included), else None."""
    if name.strip().casefold() == NARRATOR:
        return NARRATOR
    ch = index.resolve(name)
    return ch.name if ch is not None else None


def known_names(index) -> list[str]:
    """Every name and alias a fix may use."""
    return [NARRATOR, *(n for ch in index.characters for n in (ch.name, *ch.aliases))]


def apply_fixes(fixes: Fixes, ids: dict, index) -> int:
    """Decide each fixed quote (ids: Quote -> quote ID) before the rules run; the count applied.

    A fix naming a quote the book lacks or a speaker nobody is called is an InputError that
    names the file line and the closest matches."""
    by_id = {qid: q for q, qid in ids.items()}
    done = 0
    for qid, name in fixes.lines.items():
        loc = f"{fixes.path}:{fixes.where[qid]}" if fixes.where.get(qid) else str(fixes.path or "fix")
        q = by_id.get(qid)
        if q is None:
            raise InputError(f"{loc}: no quote {qid} in this book{closest(qid, by_id)} "
                             "(IDs are listed by `render review` and `render attribute`)")
        speaker = speaker_for(name, index)
        if speaker is None:
            raise InputError(f"{loc}: no character called {name!r}{closest(name, known_names(index))} "
                             "(add them to the cast file to use a new name)")
        q.speaker, q.rule, q.kind, q.confidence = speaker, FIX_RULE, "explicit", 1.0
        done += 1
    return done


def fix_passes(fixes: Fixes, ids: dict, index) -> list:
    """The sieve's passes with one applying the fixes first (so every rule builds on them)."""
    passes = list(PASSES)
    passes.insert(pass_index("read"), Pass("fixes", lambda sieve: apply_fixes(fixes, ids, index)))
    return passes
