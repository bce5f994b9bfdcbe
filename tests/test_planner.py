"""The planner's pauses by context, on the whole demo story (no models: planning only)."""

from __future__ import annotations

from pathlib import Path

from render.master.settings import Pauses
from render.pipeline import BookOptions, plan_book

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "manuscripts" / "the-lighthouse-keepers.md"
STORY_CAST = ROOT / "configs" / "the-lighthouse-keepers.cast.yaml"


def test_demo_story_pauses_by_context(tmp_path):
    plan = plan_book(STORY, BookOptions(cast=STORY_CAST, out=tmp_path / "out", cache=tmp_path / "cache",
                                        progress=False))
    pause = {c.text.split()[0] + " " + c.text.split()[1]: c.pause_before for c in plan.chunks
             if c.pause_before >= Pauses().heading}
    # after each spoken chapter title, and before the first paragraph after the scene break (* * *)
    assert pause == {"The lighthouse": Pauses().heading, "The lower": Pauses().scene,
                     "The Swallow": Pauses().heading}
    by_text = {c.text: c.pause_before for c in plan.chunks}
    assert by_text["The glass is falling fast,"] == Pauses().paragraph
    assert by_text["said Mara. She did not turn away from the window."] == Pauses().speaker
    assert by_text["She knew every stair in the tower and every sound the wind could make against the door."] \
        == Pauses().sentence  # a long paragraph cut in two
    assert plan.chunks[0].pause_before == 0.0
    assert {c.pause_before for c in plan.chunks} == {0.0, Pauses().sentence, Pauses().speaker,
                                                     Pauses().paragraph, Pauses().scene, Pauses().heading}
