"""The sample manuscripts rendered for real with Kokoro, checked by Whisper (slow)."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from render.cli import main
from render.plan.manifest import read_manifest
from render.script.cast import load_cast
from render.synth.validate import Transcriber, word_error_rate

from .pausing import start_paused

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "manuscripts" / "the-lighthouse-keepers.md"
STORY_CAST = ROOT / "configs" / "the-lighthouse-keepers.cast.yaml"
PLAY = ROOT / "manuscripts" / "night-shift.fountain"
PLAY_CAST = ROOT / "configs" / "night-shift.cast.yaml"
SUMMARY = re.compile(r"(\d+) synthesized, (\d+) from cache, (\d+) failed")


def render(*args):
    """`render book ... --quiet` in this process, which has the models loaded already (a separate
    process is used where the test is about the process: its exit code, its stderr, its start-up)."""
    result = CliRunner().invoke(main, ["book", *map(str, args), "--quiet"])
    assert result.exit_code == 0, result.output[-2000:] + repr(result.exception)
    return result


def counts(proc):
    m = SUMMARY.search(proc.stdout)
    assert m, proc.stdout + proc.stderr
    return tuple(int(x) for x in m.groups())


# the paragraphs of the demo story that are rendered: in each chapter, the two that name its lines'
# speakers outright (Mara, Tom and the narrator in One; Ellen and Mara in Two)
KEPT = ('"The glass is falling fast," said Mara.', "Tom set the cups down on the iron table.",
        '"You swung it too fast," said Ellen.', '"You are welcome," said Mara.')


def short_story() -> str:
    """The demo story, both chapters, cut to the paragraphs in KEPT: every speaker still speaks, in
    a third of the words of the first four paragraphs a chapter (`make demo` renders it all; the
    whole story's plan, scene break included, is tests/test_planner.py's)."""
    kept = [para for para in STORY.read_text().split("\n\n")
            if para.startswith("#") or para.startswith(KEPT)]
    assert len(kept) == 3 + len(KEPT), "the demo story changed: choose other paragraphs"
    return "\n\n".join(kept).strip() + "\n"


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    base = tmp_path_factory.mktemp("story")
    src, out, cache = base / STORY.name, base / "out", base / "cache"
    src.write_text(short_story())
    proc = render(src, "--cast", STORY_CAST, "-o", out, "--cache", cache)  # validated
    return {"src": src, "out": out, "cache": cache, "proc": proc}


def test_demo_chapters_are_the_text(story):
    chunks = read_manifest(story["out"] / "manifest.jsonl")
    chapters = json.loads((story["out"] / "chapters.json").read_text())
    assert [c["index"] for c in chapters] == [1, 2]
    asr = Transcriber()
    for ch in chapters:
        expected = " ".join(c.text for c in chunks if c.chapter == ch["index"])
        heard = asr.transcribe(story["out"] / ch["file"])
        wer = word_error_rate(expected, heard)
        assert wer <= 0.10, f"chapter {ch['index']} WER {wer:.3f}\nheard: {heard}"


def test_each_speaker_has_its_cast_voice(story):
    cast = load_cast(STORY_CAST)
    chunks = read_manifest(story["out"] / "manifest.jsonl")
    speakers = {c.speaker for c in chunks}
    assert {"Mara", "Tom", "Ellen", "narrator"} <= speakers
    for c in chunks:
        member = cast.resolve(c.speaker)
        assert c.voice == member.voice, c
        side = json.loads((story["cache"] / "objects" / c.key[:2] / f"{c.key}.json").read_text())
        assert side["voice"] == member.voice and side["speaker"] == c.speaker
    # a few lines whose speaker the text states outright
    said = {c.text: c.speaker for c in chunks}
    assert said["The glass is falling fast,"] == "Mara"
    assert said["You swung it too fast,"] == "Ellen"


def test_rerun_synthesizes_nothing_and_loads_no_model(story):
    """A finished book is only read back: no synthesis, and neither Kokoro nor Whisper is loaded
    (its speed is a figure of bench/bench_speed.py, not a timed test)."""
    proc = subprocess.run([sys.executable, "-m", "render.cli", "-v", "book", str(story["src"]), "--cast",
                           str(STORY_CAST), "-o", str(story["out"]), "--cache", str(story["cache"]), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    synthesized, cached, failed = counts(proc)
    assert (synthesized, failed) == (0, 0) and cached > 0
    assert "loading" not in proc.stderr, proc.stderr


def test_editing_one_paragraph_rerenders_only_its_chunks(story, tmp_path):
    text = story["src"].read_text()
    old = "Tom set the cups down on the iron table."
    assert old in text
    edited = tmp_path / STORY.name
    edited.write_text(text.replace(old, "Tom set the two cups down on the iron table."))
    out = tmp_path / "out"
    shutil.copytree(story["out"], out)
    before = {c.key for c in read_manifest(out / "manifest.jsonl")}
    proc = render(edited, "--cast", STORY_CAST, "-o", out, "--cache", story["cache"])
    after = read_manifest(out / "manifest.jsonl")
    new = [c for c in after if c.key not in before]
    assert new and {(c.chapter, c.block) for c in new} == {(new[0].chapter, new[0].block)}
    assert any("two cups" in c.text for c in new)
    synthesized, cached, failed = counts(proc)
    assert synthesized == len({c.key for c in new}) and failed == 0


# the corridor scene's long first action, Frank's introduction and the exchange about the lifts:
# more of the same kinds of line as the rest
LEFT_OUT = ("An empty hallway. The ceiling lights hum. JUNE, a tired nurse, pushes a cart of clean towels past a row "
            "of closed doors.\n\n",
            "FRANK, a night porter with a bad knee, leans out of a supply room holding a flashlight.\n\n",
            "FRANK\nThe power just went out on the top floor. The lifts are stuck.\n\n",
            "JUNE\n(sighing)\nOf course they are. Is anyone inside?\n\n",
            "FRANK\nNobody. I checked them both twice.\n\n",
            "She parks the cart against the wall and listens. Somewhere above them, a loud alarm begins to beep.\n\n")


def short_play() -> str:
    """The demo screenplay up to the roof scene's heading, less LEFT_OUT: both scenes, and every
    kind of element it has (title page, V.O., O.S., CONT'D, parentheticals, a note, a transition)
    in eight chunks, ~18 s of speech (23 s with the roof's first action)."""
    head, cut, _ = PLAY.read_text().partition("Cold wind.")
    assert cut, "the demo screenplay changed: choose another place to cut it"
    for block in LEFT_OUT:
        assert block in head, f"the demo screenplay changed: {block!r}"
        head = head.replace(block, "")
    return head


def test_screenplay_renders_with_cast_voices(tmp_path):
    out, cache, src = tmp_path / "out", tmp_path / "cache", tmp_path / PLAY.name
    src.write_text(short_play())
    render(src, "--cast", PLAY_CAST, "-o", out, "--cache", cache, "--no-validate")  # not about validation
    cast = load_cast(PLAY_CAST)
    chunks = read_manifest(out / "manifest.jsonl")
    dialogue = [c for c in chunks if c.kind == "dialogue"]
    assert len({c.speaker for c in dialogue}) >= 2
    for c in dialogue:
        assert c.voice == cast.resolve(c.speaker).voice
    assert any("<action>" in c.xml for c in dialogue)  # parentheticals became actions
    assert json.loads((out / "chapters.json").read_text())


SHORT = """# A Short Test

## One

"Is it ready?" asked Ada. "Nearly," said Ben.

## Two

"Now it is ready," said Ben.
"""


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    """A short book rendered in three processes: the first stopped by Ctrl-C after its third stored
    chunk, the second (resuming it) killed with SIGKILL after three more, the third finishing it.
    Each pauses itself after its writes (render/synth/pause.py); the signal comes while it waits."""
    base = tmp_path_factory.mktemp("interrupted")
    src = base / "short.md"
    src.write_text(SHORT)
    out, cache = base / "out", base / "cache"
    args = [sys.executable, "-m", "render.cli", "book", str(src), "-o", str(out), "--cache", str(cache),
            "--no-validate", "--quiet"]
    log = cache / "synth.log"
    runs = []
    for sig in (signal.SIGINT, signal.SIGKILL):
        proc = start_paused(args, ROOT, 3, base / "paused")
        assert proc is not None, "the short book finished before its third chunk was stored"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
        runs.append({"code": proc.returncode, "stderr": stderr,
                     "made": [line.split()[0] for line in log.read_text().splitlines()]})
    # the finishing run is in this process, which has Kokoro loaded already: what it resumes was
    # left by the two processes above
    finish = CliRunner().invoke(main, args[3:])
    assert finish.exit_code == 0, finish.output[-2000:] + repr(finish.exception)
    return {"runs": runs, "finish": finish, "out": out, "log": log}


def _finished_without_redoing_chunks(interrupted, done_before: int) -> None:
    out, finish = interrupted["out"], interrupted["finish"]
    chunks = read_manifest(out / "manifest.jsonl")
    made = Counter(line.split()[0] for line in interrupted["log"].read_text().splitlines()
                   if not line.endswith("retake"))
    assert set(made) == {c.key for c in chunks}
    assert max(made.values()) == 1, "a finished chunk was synthesized twice"
    synthesized, cached, failed = counts(finish)
    assert cached >= done_before and failed == 0
    assert len(json.loads((out / "chapters.json").read_text())) == 2


def test_ctrl_c_then_rerun_finishes_without_redoing_chunks(interrupted):
    first, rerun = interrupted["runs"]
    assert len(first["made"]) == 3
    assert first["code"] == 130 and "run the same command again" in first["stderr"]
    assert "Traceback" not in first["stderr"]
    # the rerun after Ctrl-C kept the three chunks and synthesized three new ones
    assert rerun["made"][:3] == first["made"] and len(set(rerun["made"])) == len(rerun["made"]) == 6
    _finished_without_redoing_chunks(interrupted, 3)


def test_kill_9_then_rerun_finishes_without_redoing_chunks(interrupted):
    _, killed = interrupted["runs"]
    assert killed["code"] == -signal.SIGKILL and len(killed["made"]) == 6
    _finished_without_redoing_chunks(interrupted, 6)


def test_status_and_redo(story):
    status = CliRunner().invoke(main, ["status", str(story["out"]), "--cache", str(story["cache"])])
    assert status.exit_code == 0, status.output
    assert re.search(r"1\. Chapter One.*\s(\d+)/\1\s.*done", status.stdout), status.stdout
    chunks = read_manifest(story["out"] / "manifest.jsonl")
    target = next(c for c in chunks if c.chapter == 2 and c.kind == "dialogue")
    redo = CliRunner().invoke(main, ["redo", str(story["out"]), "--chunk", target.id, "--cache", str(story["cache"]),
                                     "--quiet"])
    assert redo.exit_code == 0, redo.output
    assert counts(redo) == (1, 0, 0)
    chapters = json.loads((story["out"] / "chapters.json").read_text())
    assert [c["index"] for c in chapters] == [1, 2] and all((story["out"] / c["file"]).exists() for c in chapters)
    bad = CliRunner().invoke(main, ["redo", str(story["out"]), "--chunk", "c999-0000", "--cache", str(story["cache"])])
    assert bad.exit_code != 0 and "unknown chunk id" in bad.stderr and "Traceback" not in bad.stderr
    assert isinstance(bad.exception, SystemExit), repr(bad.exception)  # an error message, not an exception raised
