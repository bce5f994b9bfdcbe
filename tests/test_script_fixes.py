"""Stable quote IDs, the fixes file, `render review`, and calibrated confidence."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from render.cli import main
from render.errors import InputError
from render.script import attribute_quotes
from render.script.confidence import fit, predict
from render.script.fixes import Fixes, fixes_path, load_fixes, save_fixes
from render.script.ids import base_id, looks_like_id, normalize_quote, quote_ids

from .test_script_attribution import WREN_JILL_ASH, prose_book

EXCHANGE = ('"Is the boat ready?" said Wren.\n\n"Since noon," said Ash.\n\n"Then we go."\n\n'
            '"Not yet."\n\n"Why not?"\n')

CAST = """narrator: {voice: bm_fable}
characters:
  - {name: Wren Hollis, aliases: [Wren], gender: female}
  - {name: Jill Hollis, aliases: [Jill], gender: female}
  - {name: Ash Marlow, aliases: [Ash], gender: male}
"""


def ids_and_texts(text: str, cast=WREN_JILL_ASH, fixes=None) -> dict[str, str]:
    return {r["text"]: r["id"] for r in attribute_quotes(prose_book(text), cast, fixes)}


# --- IDs -----------------------------------------------------------------------------------------


def test_ids_come_from_chapter_and_words_and_number_repeats():
    assert quote_ids([(1, "Yes."), (1, "No."), (1, "yes!"), (2, "Yes.")]) == [
        base_id(1, "Yes"), base_id(1, "No"), base_id(1, "Yes") + "-2", base_id(2, "Yes")]
    assert normalize_quote("  The\n tide, _Wren_ --  is IN! ") == "the tide wren is in"
    assert all(looks_like_id(i) for i in quote_ids([(3, "Yes."), (3, "Yes.")]))
    assert not looks_like_id("c003-0013")


def test_ids_do_not_change_when_other_paragraphs_are_edited():
    before = ids_and_texts(EXCHANGE)
    edited = ('The fog came in.\n\n"Is the boat ready at last?" said Wren.\n\n"Since noon," said Ash.\n\n'
              'Nobody moved.\n\n"Then we go."\n\n"Not yet."\n\n"Why not?"\n')
    after = ids_and_texts(edited)
    for text in ("Since noon,", "Then we go.", "Not yet.", "Why not?"):
        assert after[text] == before[text]
    assert after["Is the boat ready at last?"] != before["Is the boat ready?"]


def test_ids_do_not_change_with_the_rules_or_the_cast():
    with_cast = [r["id"] for r in attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH)]
    without = [r["id"] for r in attribute_quotes(prose_book(EXCHANGE), None)]
    assert with_cast == without and len(set(with_cast)) == 5


# --- fixes ---------------------------------------------------------------------------------------


def test_a_fix_decides_its_quote_and_the_turns_after_it_follow():
    recs = attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH)
    assert [r["speaker"] for r in recs] == ["Wren Hollis", "Ash Marlow", "Wren Hollis", "Ash Marlow",
                                            "Wren Hollis"]
    fixed = attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH, Fixes(None, {recs[2]["id"]: "Jill"}))
    assert (fixed[2]["speaker"], fixed[2]["rule"], fixed[2]["confidence"]) == ("Jill Hollis", "fix", 1.0)
    assert fixed[4]["speaker"] == "Jill Hollis"  # A, B, A: the turn after next follows the fix


def test_fix_naming_an_unknown_quote_or_character_says_the_closest(tmp_path):
    good = ids_and_texts(EXCHANGE)["Then we go."]
    typo = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(InputError, match=f"no quote {typo} .*closest: {good}"):
        attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH, Fixes(tmp_path / "f.yaml", {typo: "Jill"}))
    with pytest.raises(InputError, match="no character called 'Jil'.*closest: Jill"):
        attribute_quotes(prose_book(EXCHANGE), WREN_JILL_ASH, Fixes(tmp_path / "f.yaml", {good: "Jil"}))


def test_fixes_file_round_trips_and_names_its_line_on_error(tmp_path):
    path = fixes_path(tmp_path / "novel.epub")
    assert path.name == "novel.fixes.yaml" and load_fixes(path).lines == {}
    save_fixes(Fixes(path, {"q001-0123abcd": "Wren Hollis", "q002-89abcdef-2": "narrator"}),
               {"q001-0123abcd": 'Is the "boat"\nready?'})
    back = load_fixes(path)
    assert back.lines == {"q001-0123abcd": "Wren Hollis", "q002-89abcdef-2": "narrator"}
    assert back.where == {"q001-0123abcd": 3, "q002-89abcdef-2": 4}
    path.write_text("lines:\n  q001-0123abcd: [Wren]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"novel.fixes.yaml:2: the speaker of q001-0123abcd must be a name"):
        load_fixes(path)


# --- review and the CLI --------------------------------------------------------------------------


def test_review_lists_least_confident_first_with_id_context_runner_up_and_rule(tmp_path):
    src, cast = tmp_path / "story.txt", tmp_path / "cast.yaml"
    src.write_text(EXCHANGE, encoding="utf-8")
    cast.write_text(CAST, encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(src), "--cast", str(cast), "-n", "3", "--json"])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.output.splitlines()]
    assert len(items) == 3
    assert [i["confidence"] for i in items] == sorted(i["confidence"] for i in items)
    assert all(i["rule"] == "turn-taking" and i["runner_up"] and i["runner_up"] != i["speaker"] for i in items)
    assert all(looks_like_id(i["id"]) and i["before"] for i in items)
    text = CliRunner().invoke(main, ["review", str(src), "--cast", str(cast), "-n", "1"]).output
    assert f"render fix OUT {items[0]['id']} --speaker" in text


def test_review_leaves_out_fixed_quotes(tmp_path):
    src = tmp_path / "story.txt"
    src.write_text(EXCHANGE, encoding="utf-8")
    first = json.loads(CliRunner().invoke(main, ["review", str(src), "-n", "1", "--json"]).output)
    save_fixes(Fixes(fixes_path(src), {first["id"]: first["runner_up"]}))
    again = CliRunner().invoke(main, ["review", str(src), "-n", "50", "--json"]).output
    assert first["id"] not in again


def test_fix_of_a_folder_that_is_not_a_render_output_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["fix", str(tmp_path), "q001-0123abcd", "--speaker", "Wren"])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "render book" in result.output


@pytest.mark.parametrize("command", ["review", "fix"])
def test_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


# --- calibration ---------------------------------------------------------------------------------


def test_fit_recovers_probabilities_and_is_monotone():
    import random

    rng = random.Random(7)
    rows, labels = [], []
    for _ in range(4000):
        x = rng.random()
        rows.append({"x": x, "rule:a": 1.0} if rng.random() < 0.5 else {"x": x})
        labels.append(rng.random() < 0.3 + 0.6 * x)  # true probability, linear in x
    model = fit(rows, labels)
    for x in (0.1, 0.5, 0.9):
        assert abs(predict({"x": x}, model) - (0.3 + 0.6 * x)) < 0.06
    scores = [predict({"x": x / 20}, model) for x in range(21)]
    assert scores == sorted(scores)


def test_confidence_on_a_development_novel_matches_accuracy_and_ranks_errors_low(tmp_path):
    from .conftest import shared
    from .test_script_pdnc import _eval_module

    folder = shared("pdnc", "DaisyMiller")
    ev = _eval_module()
    from render.ingest import load_book
    from render.script.cast import load_cast

    chars, quotes = ev.load_gold(folder)
    ev.write_cast(chars, tmp_path / "cast.yaml")
    records = attribute_quotes(load_book(folder / "novel_text.txt"), load_cast(tmp_path / "cast.yaml"))
    scored = [(r["confidence"] if r["speaker"] else 0.0, ok) for r, ok in
              ev.evaluate(records, quotes, ev.AliasTable(chars))["scored"] if r is not None]
    mean_conf = sum(c for c, _ in scored) / len(scored)
    accuracy = sum(ok for _, ok in scored) / len(scored)
    assert abs(mean_conf - accuracy) < 0.05
    ranked = sorted(scored, key=lambda x: x[0])
    low, high = ranked[:len(ranked) // 5], ranked[len(ranked) // 5:]
    error_rate = [sum(not ok for _, ok in part) / len(part) for part in (low, high)]
    assert error_rate[0] > 3 * error_rate[1]
