"""What expressive servers get: Scenema's gender, seeds and per-speaker options; OpenAI's instructions."""

from __future__ import annotations

import yaml

from render.engines import create
from render.engines.base import SynthRequest
from render.pipeline import BookOptions, plan_book, render_book
from render.speak.parse import parse_prompt
from tests.loopback import SpeechServer

STORY = """# Lamps

## One

"Is the lamp lit?" asked Nell. "Not yet," said Owen.

The wind rose over the cliff.
"""

CAST = """narrator: {gender: neutral}
characters:
  - name: Nell
    description: "Female, 20s. Quick and bright."
    engine_options: {pace: 1.8, skip_vc: true}
  - {name: Owen, gender: neutral, description: "An old lighthouse keeper, he speaks slowly."}
"""


def run(tmp_path, server, cache="cache", validate=False, options=None, cast=CAST, engine="scenema"):
    (tmp_path / "lamps.md").write_text(STORY)
    (tmp_path / "cast.yaml").write_text(cast)
    (tmp_path / "engine.yaml").write_text(yaml.safe_dump({"options": options or {}}))
    opts = BookOptions(cast=tmp_path / "cast.yaml", out=tmp_path / "out", cache=tmp_path / cache, engine=engine,
                       servers=(server.url,), config=tmp_path / "engine.yaml", validate=validate, progress=False)
    return opts, (render_book(tmp_path / "lamps.md", opts) if not validate else None)


def test_scenema_gets_male_or_female_seeds_and_per_speaker_options(tmp_path):
    server = SpeechServer("scenema")  # refuses any gender but male/female, as the API documents
    try:
        _, result = run(tmp_path, server, options={"vc_steps": 30})
        assert result.summary.count("failed") == 0 and server.answered == result.summary.count("synthesized")
        by_text = {}
        for body in server.bodies:
            assert 'gender="male"' in body["prompt"] or 'gender="female"' in body["prompt"]
            assert body["vc_steps"] == 30 and body["validate"] is True  # we don't validate: the server does
            by_text[parse_prompt(body["prompt"]).text] = body
        nell, owen = by_text["Is the lamp lit?"], by_text["Not yet,"]
        assert 'gender="female"' in nell["prompt"] and nell["pace"] == 1.8 and nell["skip_vc"] is True
        assert 'gender="male"' in owen["prompt"] and owen["pace"] == 1.5 and owen["skip_vc"] is False
        first = {b["prompt"]: b["seed"] for b in server.bodies}
        _, again = run(tmp_path, server, cache="cache2", options={"vc_steps": 30})
        assert again.summary.count("synthesized") == len(first)
        assert {b["prompt"]: b["seed"] for b in server.bodies[len(first):]} == first  # fixed per chunk
        assert len(set(first.values())) == len(first)
    finally:
        server.stop()


def test_scenema_is_told_not_to_validate_when_we_do(tmp_path):
    server = SpeechServer("scenema")
    try:
        opts, _ = run(tmp_path, server, validate=True)
        assert plan_book(tmp_path / "lamps.md", opts).engine.engine.options.validate is False
        (tmp_path / "engine.yaml").write_text(yaml.safe_dump({"options": {"validate": True}}))
        assert plan_book(tmp_path / "lamps.md", opts).engine.engine.options.validate is True  # unless told to
    finally:
        server.stop()


def test_unknown_per_speaker_option_is_one_line(tmp_path):
    server = SpeechServer("scenema")
    try:
        cast = CAST.replace("{pace: 1.8, skip_vc: true}", "{pace: 1.8, colour: red}")
        opts, _ = run(tmp_path, server, validate=True, cast=cast)
        try:
            plan_book(tmp_path / "lamps.md", opts)
        except Exception as exc:  # checked below
            message = str(exc)
        assert "cast.yaml:3: engine_options of 'Nell': scenema has no per-speaker option colour; valid: pace" in message
    finally:
        server.stop()


def test_neutral_gender_mapping():
    engine = create("scenema", base_url="http://127.0.0.1:9", neutral_gender="female")
    assert engine.gender("neutral", "Male, 40s. Warm.") == "male"
    assert engine.gender("neutral", "A woman of fifty, calm.") == "female"
    assert engine.gender("neutral", "Calm and even.") == "female"  # the setting
    assert engine.gender("male", "Female, 20s.") == "male"  # a known gender is kept
    engine.close()


def test_openai_instructions_carry_description_and_action():
    server = SpeechServer("openai")
    try:
        xml = '<speak voice="v" gender="female"><action>Whispering, afraid</action>Hide the lamp.</speak>'
        req = SynthRequest(xml=xml, text="Hide the lamp.", voice="nova", description="Female, 20s. Quick.")
        plain = create("openai", base_url=server.url)
        told = create("openai", base_url=server.url, instructions="true")
        plain.synthesize(req)
        told.synthesize(req)
        assert "instructions" not in server.bodies[0]
        assert server.bodies[1]["instructions"] == "Female, 20s. Quick. Whispering, afraid."
        assert told.version != plain.version  # a different request, a different cache key
        plain.close()
        told.close()
    finally:
        server.stop()


def test_scenema_prompt_carries_the_chosen_voice_description(tmp_path):
    server = SpeechServer("scenema")
    try:
        cast = 'narrator: {voice: "Male, 70s. Gravel and smoke.", gender: male}\ncharacters:\n' \
               '  - {name: Nell, gender: female}\n  - {name: Owen, gender: male, description: "Male, 30s. Dry."}\n'
        opts, _ = run(tmp_path, server, validate=True, cast=cast)
        chunks = plan_book(tmp_path / "lamps.md", opts).chunks
        voices = {c.speaker: parse_prompt(c.xml).voice for c in chunks}
        assert voices["narrator"] == "Male, 70s. Gravel and smoke."  # the cast's voice
        assert voices["Owen"] == "Male, 30s. Dry."  # a description wins
        assert voices["Nell"].startswith("Female,")  # the engine's default voice, a description
    finally:
        server.stop()
