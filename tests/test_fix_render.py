"""`render fix` on a real (Kokoro) render: only the chunks whose speaker changed are synthesized."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from render.cli import main
from render.plan.manifest import read_manifest

pytestmark = pytest.mark.slow

STORY = """# The Boat

## One

Wren came down to the harbour.

"Is the boat ready?" said Wren.

"Since noon," said Ash.

"Then we go."

"Not yet."

"Why not?"
"""

CAST = """narrator: {voice: bm_fable}
characters:
  - {name: Wren, gender: female, voice: af_heart}
  - {name: Jill, gender: female, voice: af_bella}
  - {name: Ash, gender: male, voice: am_michael}
"""
SUMMARY = re.compile(r"(\d+) synthesized, (\d+) from cache, (\d+) failed")


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, result.output
    m = SUMMARY.search(result.output)
    assert m, result.output
    return result.output, tuple(int(x) for x in m.groups())


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    base = tmp_path_factory.mktemp("fix")
    src, cast, out, cache = base / "boat.md", base / "cast.yaml", base / "out", base / "cache"
    src.write_text(STORY, encoding="utf-8")
    cast.write_text(CAST, encoding="utf-8")
    book = ("book", src, "--cast", cast, "-o", out, "--cache", cache, "--no-validate", "-q")
    _, first = run(*book)
    before = read_manifest(out / "manifest.jsonl")
    digest = {c["index"]: c["digest"] for c in json.loads((out / "chapters.json").read_text())}
    quotes = CliRunner().invoke(main, ["attribute", str(src), "--cast", str(cast)]).output
    qid = next(json.loads(r)["id"] for r in quotes.splitlines() if json.loads(r)["text"] == "Then we go.")
    text, fix = run("fix", out, qid, "--speaker", "Jill", "--cache", cache, "--no-validate", "-q")
    after = read_manifest(out / "manifest.jsonl")
    _, again = run(*book)
    return dict(first=first, before=before, after=after, fix=fix, text=text, again=again, src=src, qid=qid,
                digest=digest, out=out)


def test_fix_synthesizes_only_the_chunks_whose_speaker_changed(fixed):
    old = {c.key for c in fixed["before"]}
    changed = [c for c in fixed["after"] if c.key not in old]
    assert {c.text: c.speaker for c in changed} == {"Then we go.": "Jill", "Why not?": "Jill"}
    synthesized, cached, failed = fixed["fix"]
    assert (synthesized, cached, failed) == (len(changed), len(fixed["after"]) - len(changed), 0)
    assert f"{fixed['qid']}: Wren -> Jill" in fixed["text"] and "2 chunk(s) changed" in fixed["text"]
    chapters = json.loads((fixed["out"] / "chapters.json").read_text())
    assert all(c["digest"] != fixed["digest"][c["index"]] for c in chapters)


def test_next_render_book_honours_the_fix(fixed):
    assert fixed["again"] == (0, len(fixed["after"]), 0)
    assert fixed["src"].with_name("boat.fixes.yaml").read_text().count(fixed["qid"]) == 1
