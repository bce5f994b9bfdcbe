import pytest

from render.errors import InputError
from render.script.cast import load_cast


def write(tmp_path, text):
    p = tmp_path / "cast.yaml"
    p.write_text(text)
    return p


def test_loads_members_aliases_and_resolves_case_insensitively(tmp_path):
    p = write(tmp_path, """
narrator: {voice: bm_george, gender: male}
characters:
  - name: Elizabeth Bennet
    aliases: [Lizzy, Miss Bennet]
    gender: F
    voice: "0.6*af_heart+0.4*bf_emma"
    ref_audio: voices/liz.wav
settings: {min_match_ratio: 0.8}
""")
    cast = load_cast(p)
    assert cast.narrator.voice == "bm_george"
    liz = cast.resolve("miss  bennet")
    assert liz.name == "Elizabeth Bennet" and liz.gender == "female" and liz.line == 4
    assert cast.resolve("LIZZY") is liz and cast.resolve("Jane") is None
    assert liz.ref_audio == str(tmp_path / "voices" / "liz.wav")
    assert cast.settings["min_match_ratio"] == 0.8


@pytest.mark.parametrize("text, pattern", [
    ("characters:\n  - name: A\n    voice: [unclosed\n", r"cast.yaml:\d+: invalid YAML"),
    ("characters:\n  - name: A\n    colour: red\n", r"cast.yaml:2: unknown key\(s\) \['colour'\]"),
    ("characters:\n  - voice: af_heart\n", r"needs a 'name'"),
    ("characters:\n  - {name: A, gender: robot}\n", r"gender of 'A'"),
    ("characters:\n  - {name: A, aliases: [Bo]}\n  - {name: B, aliases: [bo]}\n", r"'bo' is used by both"),
    ("- just a list\n", r"must be a mapping"),
    ("characters: {name: A}\n", r"must be a list"),
    ("cast: []\n", r"unknown top-level"),
    ("characters:\n  - {name: A, min_match_ratio: 3}\n", r"between 0 and 1"),
])
def test_bad_cast_files_name_file_line_and_problem(tmp_path, text, pattern):
    with pytest.raises(InputError, match=pattern):
        load_cast(write(tmp_path, text))


def test_missing_cast_file(tmp_path):
    with pytest.raises(InputError, match="cast file not found"):
        load_cast(tmp_path / "nope.yaml")
