"""The CLI: every command has help; user mistakes give one line, a non-zero exit, no traceback."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from render.cli import main

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "manuscripts" / "the-lighthouse-keepers.md"
CAST = ROOT / "configs" / "the-lighthouse-keepers.cast.yaml"


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path", [()] + list(_commands(main)), ids=lambda p: " ".join(p) or "render")
def test_every_command_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    cmd = main
    for part in path:
        cmd = cmd.commands[part]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"


def run_cli(*args):
    """The command in this process (click's runner): its exit code, stdout and stderr, and what it
    raised (SystemExit for an exit code; anything else would have been a traceback)."""
    result = CliRunner().invoke(main, [*map(str, args)])
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr,
                           exception=result.exception)


def assert_one_line_error(proc, *needles):
    assert proc.returncode != 0
    assert isinstance(proc.exception, SystemExit), repr(proc.exception)  # handled, not raised
    err = proc.stderr.strip()
    assert "Traceback" not in err, err
    last = err.splitlines()[-1]
    assert last.startswith("error: "), err
    for needle in needles:
        assert needle in last, last


def test_corrupt_epub(tmp_path):
    bad = tmp_path / "broken.epub"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert_one_line_error(run_cli("plan", bad, "-o", tmp_path / "o"), "broken.epub")


def test_missing_and_unsupported_sources(tmp_path):
    assert_one_line_error(run_cli("plan", tmp_path / "nope.md"), "nope.md")
    odd = tmp_path / "book.docx"
    odd.write_text("x")
    assert_one_line_error(run_cli("plan", odd), "book.docx")


def test_invalid_yaml_in_cast(tmp_path):
    cast = tmp_path / "cast.yaml"
    cast.write_text("narrator: {voice: bm_george\ncharacters:\n  - name: Mara\n")
    assert_one_line_error(run_cli("plan", STORY, "--cast", cast, "-o", tmp_path / "o"), "cast.yaml", "invalid YAML")


def test_unknown_voice_names_file_character_and_choices(tmp_path):
    cast = tmp_path / "cast.yaml"
    cast.write_text(CAST.read_text().replace("bf_isabella", "bf_nobody"))
    proc = run_cli("plan", STORY, "--cast", cast, "-o", tmp_path / "o")
    assert_one_line_error(proc, "cast.yaml", "Ellen", "bf_nobody", "af_heart")


def test_a_mistyped_voice_or_engine_gets_the_closest_name(tmp_path):
    cast = tmp_path / "cast.yaml"
    cast.write_text(CAST.read_text().replace("bf_isabella", "bf_isabela"))
    proc = run_cli("plan", STORY, "--cast", cast, "-o", tmp_path / "o")
    assert_one_line_error(proc, "Ellen", "did you mean 'bf_isabella'?")
    proc = run_cli("plan", STORY, "--engine", "kokoroo", "-o", tmp_path / "o2")
    assert_one_line_error(proc, "unknown engine 'kokoroo' (did you mean 'kokoro'?)")
    far = run_cli("plan", STORY, "--engine", "nope", "-o", tmp_path / "o3")
    assert_one_line_error(far, "unknown engine 'nope';")


def test_unknown_engine_and_status_of_nothing(tmp_path):
    assert_one_line_error(run_cli("plan", STORY, "--engine", "nope", "-o", tmp_path / "o"), "unknown engine")
    assert_one_line_error(run_cli("status", tmp_path), "render book")


def test_stage_commands_on_the_sample_story(tmp_path):
    ingest = run_cli("ingest", STORY)
    assert ingest.returncode == 0 and "2 chapters" in ingest.stdout and "Chapter One" in ingest.stdout
    script = run_cli("script", STORY, "--cast", CAST)
    assert script.returncode == 0
    import json
    lines = [json.loads(x) for x in script.stdout.splitlines()]
    assert {"Mara", "Tom", "Ellen", "narrator"} <= {x["speaker"] for x in lines}
    plan = run_cli("plan", STORY, "--cast", CAST, "-o", tmp_path / "o")
    assert plan.returncode == 0 and "chunks" in plan.stdout
    assert (tmp_path / "o" / "manifest.jsonl").exists() and (tmp_path / "o" / "book.json").exists()
    voices = run_cli("voices")
    assert voices.returncode == 0 and len(voices.stdout.split()) == 28
