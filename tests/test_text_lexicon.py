"""The pronunciation lexicon: parsing, whole-word and case rules, content keys, re-rendering."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from render.cli import main
from render.errors import InputError
from render.pipeline import BookOptions, plan_book
from render.synth.validate import normalize_words
from render.text.lexicon import Lexicon, load_lexicon, parse_lexicon, plain

STORY = """# Tales

## Chapter 1

Hermione walked to Reading with Tom.

Nothing else happened here, reading or not.

Tomato soup was served at St John's.
"""


def lex(data):
    return parse_lexicon(data, "test.yaml")


def test_respelling_phonemes_and_case_rules():
    lx = lex({"Hermione": "her-MY-oh-nee", "Reading": {"say": "Redding"},
              "tom": {"phonemes": "tˈɑm"}, "St John": {"say": "Sinjun", "case": "any"}})
    text, used = lx.apply("Hermione went to Reading, reading a book; Tom and TOM, not Tomato. st john's")
    # 'Reading' has a capital, so it is exact; 'tom' is lowercase, so any case; phonemes only for Kokoro
    assert text == "her-MY-oh-nee went to Redding, reading a book; Tom and TOM, not Tomato. Sinjun's"
    assert {e.word for e in used} == {"Hermione", "Reading", "St John"}
    text, used = lx.apply("Tom and TOM, not Tomato.", phonemes=True)
    assert text == "[Tom](/tˈɑm/) and [TOM](/tˈɑm/), not Tomato."
    assert plain(text) == "Tom and TOM, not Tomato."


def test_longest_entry_first_and_no_match_inside_markup():
    lx = lex({"John": {"phonemes": "ʤˈɑn"}, "St John": {"phonemes": "sˈɪnʤən"}})
    text, _ = lx.apply("St John met John.", phonemes=True)
    assert text == "[St John](/sˈɪnʤən/) met [John](/ʤˈɑn/)."


def test_validation_reads_markup_as_the_word():
    assert normalize_words("[Holmes](/hˈOmz/) smiled.") == ["holmes", "smiled"]


@pytest.mark.parametrize("body, message", [
    ("Hermione: [a, b]\n", "test.lexicon.yaml:1: 'Hermione' needs a respelling"),
    ("ok: fine\nHermione: {sound: x}\n", "test.lexicon.yaml:2: 'Hermione' has unknown key(s) ['sound']"),
    ("Tom: {phonemes: 't/m'}\n", "phonemes of 'Tom' must be misaki phonemes"),
    ("Tom: {say: Thom, case: upper}\n", "case of 'Tom' must be 'exact' or 'any'"),
    ("Tom: {case: any}\n", "'Tom' needs 'say' (a respelling) or 'phonemes'"),
    ("- just\n- a list\n", "a lexicon is a mapping"),
    ("Tom: [unclosed\n", "test.lexicon.yaml:2: not valid YAML"),
])
def test_bad_lexicon_files_give_one_line(tmp_path, body, message):
    path = tmp_path / "test.lexicon.yaml"
    path.write_text(body)
    with pytest.raises(InputError) as err:
        load_lexicon(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def _plan(tmp_path, lexicon=None, cast=None):
    src = tmp_path / "tales.md"
    if not src.exists():
        src.write_text(STORY)
    return plan_book(src, BookOptions(out=tmp_path / "out", lexicon=lexicon, cast=cast), write=False).chunks


def test_an_entry_changes_only_the_chunks_that_use_it(tmp_path):
    before = _plan(tmp_path)
    lexicon = tmp_path / "names.yaml"
    lexicon.write_text("Hermione: {phonemes: hɜɹmˈIəni}\n")
    after = _plan(tmp_path, lexicon)
    changed = [(a.id, b.text) for a, b in zip(before, after) if a.key != b.key]
    assert changed == [(after[1].id, "[Hermione](/hɜɹmˈIəni/) walked to Reading with Tom.")]
    assert [c.text for c in before] == [plain(c.text) for c in after]


def test_lexicon_sources_merge_cast_then_book_then_option(tmp_path):
    cast = tmp_path / "cast.yaml"
    cast.write_text("narrator: {voice: am_michael}\nlexicon: {Tom: Thomas, Hermione: Hermy}\n")
    (tmp_path / "tales.lexicon.yaml").write_text("Hermione: Her-my-oh-nee\n")
    extra = tmp_path / "extra.yaml"
    extra.write_text("Reading: Redding\n")
    texts = [c.text for c in _plan(tmp_path, extra, cast)]
    assert "Her-my-oh-nee walked to Redding with Thomas." in texts


def test_speak_shows_the_words_and_help(tmp_path):
    src = tmp_path / "tales.md"
    src.write_text(STORY.replace("with Tom.", "with Tom at 9:45 on 14 March 1851."))
    runner = CliRunner()
    result = runner.invoke(main, ["speak", str(src), "--chapter", "1"])
    assert result.exit_code == 0, result.output
    assert "with Tom at nine forty-five on the fourteenth of March eighteen fifty-one." in result.output
    assert re.search(r"^c001-0001\s+narrator\s+Hermione", result.output, re.M)
    raw = runner.invoke(main, ["speak", str(src), "--no-normalize", "--json"])
    assert "9:45 on 14 March 1851" in raw.output
    for args in (["speak", "--help"], ["lexicon", "--help"], ["lexicon", "suggest", "--help"]):
        help_ = runner.invoke(main, args)
        assert help_.exit_code == 0 and "Usage:" in help_.output


@pytest.mark.slow
def test_lexicon_suggest_lists_unknown_names_with_phonemes(tmp_path):
    src = tmp_path / "tales.md"
    src.write_text("# T\n\n## One\n\n" + "Zorblax met Hermione in Quill. " * 3 + "\n")
    out = CliRunner().invoke(main, ["lexicon", "suggest", str(src)])  # in this process: G2P loaded once
    assert out.exit_code == 0, out.output
    lines = {ln.split(":")[0].strip('"'): ln for ln in out.stdout.splitlines() if not ln.startswith("#")}
    assert "not in the G2P dictionary" in lines["Zorblax"] and "3x" in lines["Zorblax"]
    assert "proper noun" in lines["Hermione"] and "{phonemes:" in lines["Hermione"]
    parsed = parse_lexicon(__import__("yaml").safe_load(out.stdout), "suggested")
    assert isinstance(parsed, Lexicon) and len(parsed.entries) == len(lines)


@pytest.mark.slow
def test_changing_an_entry_rerenders_only_chunks_with_the_word(tmp_path):
    """Real Kokoro, no validation: only the chunk containing the word is synthesized again."""
    src = tmp_path / "tales.md"
    src.write_text("# T\n\n## One\n\nHermione smiled.\n\nThe rain stopped.\n")
    lexicon = tmp_path / "names.yaml"
    cache = tmp_path / "cache"

    def render():
        proc = CliRunner().invoke(main, ["book", str(src), "-o", str(tmp_path / "out"), "--cache", str(cache),
                                         "--lexicon", str(lexicon), "--no-validate", "--quiet"])
        assert proc.exit_code == 0, proc.output[-2000:]
        return tuple(int(x) for x in re.search(r"(\d+) synthesized, (\d+) from cache", proc.stdout).groups())

    lexicon.write_text("Hermione: {phonemes: hɜɹmˈIəni}\n")
    first = render()
    assert first[0] >= 3  # heading and two paragraphs
    lexicon.write_text("Hermione: {phonemes: hˈɜɹmiOn}\n")
    assert render() == (1, first[0] - 1)
