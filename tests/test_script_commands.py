"""`render attribute` and `render cast init`: JSON lines, a cast file load_cast reads back."""

from __future__ import annotations

import json

from click.testing import CliRunner

from render.engines import voice_set
from render.script.castfile import cast_yaml, suggest_voices
from render.script.cast import load_cast
from render.script.characters import Character
from render.script.commands import attribute, cast
from render.script.model import NARRATOR

STORY = """CHAPTER I.

Wren came down to the harbour before dawn.

"The Swallow is still out," said Wren.

"Then we keep the light burning," said Ash. "All night if we must."

"All night," Wren said.

"I will fetch the oil," said Ash.

"Bring the long coat too," said Wren.
"""

CAST = """narrator: {voice: bm_fable}
characters:
  - name: Wren Hollis
    aliases: [Wren]
    gender: female
"""


def test_attribute_writes_json_lines_to_stdout(tmp_path):
    src = tmp_path / "story.txt"
    src.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(attribute, [str(src)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["speaker"] for r in records][:2] == ["Wren", "Ash"]
    for r in records:
        assert STORY[r["start"]:r["end"]] == r["text"]


def test_attribute_with_cast_and_output_file(tmp_path):
    src, cast_file, out = tmp_path / "story.txt", tmp_path / "cast.yaml", tmp_path / "out" / "q.jsonl"
    src.write_text(STORY, encoding="utf-8")
    cast_file.write_text(CAST, encoding="utf-8")
    result = CliRunner().invoke(attribute, [str(src), "--cast", str(cast_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["speaker"] == "Wren Hollis" and records[1]["speaker"] == "Ash"


def test_attribute_bad_source_raises_a_render_error(tmp_path):
    from render.errors import RenderError

    result = CliRunner().invoke(attribute, [str(tmp_path / "missing.txt")])
    assert result.exit_code != 0 and isinstance(result.exception, RenderError)


def test_cast_init_writes_a_cast_file_load_cast_reads(tmp_path):
    src, out = tmp_path / "story.txt", tmp_path / "cast.yaml"
    src.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(cast, ["init", str(src), "-o", str(out), "--min-quotes", "1"])
    assert result.exit_code == 0, result.output
    loaded = load_cast(out)
    names = [m.name for m in loaded.characters]
    assert names[:2] == ["Wren", "Ash"]
    voices = [m.voice for m in loaded.members()]
    assert all(voices) and len(set(voices)) == len(voices)
    assert "# 3 quotes" in out.read_text(encoding="utf-8")


def test_commands_have_help():
    assert "JSON line" in CliRunner().invoke(attribute, ["--help"]).output
    assert "init" in CliRunner().invoke(cast, ["--help"]).output
    assert "voice" in CliRunner().invoke(cast, ["init", "--help"]).output


def test_suggested_voices_are_distinct_and_match_gender():
    chars = [Character(f"W{i}", gender="female", quotes=10) for i in range(20)] + \
            [Character(f"M{i}", gender="male", quotes=10) for i in range(3)] + \
            [Character("Rare", gender="male", quotes=1), Character("N", quotes=5)]
    voices = suggest_voices(chars, min_quotes=3)
    FEMALE_VOICES, MALE_VOICES = voice_set("kokoro").female, voice_set("kokoro").male
    assert "Rare" not in voices and voices[NARRATOR]
    assert len(set(voices.values())) == len(voices)
    assert all(voices[f"M{i}"] in MALE_VOICES for i in range(3))
    assert voices["W0"] in FEMALE_VOICES and "*" in voices["W19"]  # blends once the pool runs out


def test_cast_yaml_quotes_awkward_names(tmp_path):
    chars = [Character('Mr. "Bones" O\'Hara', {"Bones: the elder"}, "male", quotes=4)]
    path = tmp_path / "c.yaml"
    path.write_text(cast_yaml(chars, suggest_voices(chars)), encoding="utf-8")
    member = load_cast(path).characters[0]
    assert member.name == 'Mr. "Bones" O\'Hara' and member.aliases == ["Bones: the elder"]


def test_cast_init_never_writes_neutral_and_takes_the_engines_voices(tmp_path):
    chars = [Character("Wren", gender="female", quotes=5), Character("Sam", quotes=4),
             Character("Quiet", quotes=1)]
    for engine in ("kokoro", "openai", "scenema"):
        voices = suggest_voices(chars, engine=engine)
        text = cast_yaml(chars, voices, engine=engine)
        assert "neutral" not in text
        path = tmp_path / f"{engine}.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load_cast(path)
        known = set(voice_set(engine).female) | set(voice_set(engine).male) | {voice_set(engine).narrator}
        assert all(m.voice in known for m in loaded.members() if m.voice)
        sam = next(m for m in loaded.characters if m.name == "Sam")
        assert sam.gender == voice_set(engine).gender_of(sam.voice)  # a neutral character takes its voice's
        assert loaded.narrator.gender in ("male", "female")
