"""`render voices preview`: one short line per character, real Kokoro; Scenema previews ask for
voice_design (checked against a loopback server)."""

from __future__ import annotations

import pytest
import soundfile as sf
from click.testing import CliRunner

from render.cli import main
from render.synth.preview import file_name, pick_line
from tests.loopback import SpeechServer

STORY = """# One

"The boat is late again tonight, and the wind is rising," said Mara.

"It always is when the wind turns east," said Tom.
"""
CAST = """narrator: {voice: bm_george, gender: male}
characters:
  - {name: Mara, gender: female, voice: af_heart, description: "Female, 30s. Dry and steady."}
  - {name: Tom, gender: male, voice: "0.6*am_michael+0.4*bm_lewis"}
"""


def test_lines_are_short_but_say_something():
    assert pick_line(["Yes.", "I told you the boat would be late again tonight.", "No."]) == \
        "I told you the boat would be late again tonight."
    assert pick_line(["Yes.", "No."]) is None
    assert file_name("Mr. O'Hara / the elder") == "Mr.-O-Hara-the-elder.wav"


def test_preview_help():
    result = CliRunner().invoke(main, ["voices", "preview", "--help"])
    assert result.exit_code == 0 and "previews/<character>.wav" in result.output and "--cast" in result.output


@pytest.mark.slow
def test_preview_with_kokoro_renders_one_line_each(tmp_path):
    (tmp_path / "s.md").write_text(STORY)
    (tmp_path / "c.yaml").write_text(CAST)
    result = CliRunner().invoke(main, ["voices", "preview", "--cast", str(tmp_path / "c.yaml"), str(tmp_path / "s.md"),
                                       "-o", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    for name in ("narrator", "Mara", "Tom"):
        info = sf.info(tmp_path / "out" / "previews" / f"{name}.wav")
        assert 0.5 < info.duration < 15
    assert "0.6*am_michael+0.4*bm_lewis" in result.output and "Dry and steady" in result.output
    assert "'It always is when the wind turns east,'" in result.output  # Tom's own line
    assert "a neutral line" in result.output  # the narrator says nothing long enough here


def test_preview_with_scenema_uses_voice_design(tmp_path):
    server = SpeechServer("scenema")
    try:
        (tmp_path / "c.yaml").write_text(CAST)
        result = CliRunner().invoke(main, ["voices", "preview", "--cast", str(tmp_path / "c.yaml"), "--engine",
                                           "scenema", "--engine-option", f"base_url={server.url}",
                                           "-o", str(tmp_path / "o")])
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert len(server.bodies) == 3 and {b["mode"] for b in server.bodies} == {"voice_design"}
    assert any('voice="Female, 30s. Dry and steady."' in b["prompt"] for b in server.bodies)
    assert (tmp_path / "o" / "previews" / "Mara.wav").exists()
