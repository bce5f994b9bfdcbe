"""Attribution on the development novels (skipped when ../shared is absent) and the eval script."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, shared


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_attribution", ROOT / "bench" / "eval_attribution.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_attribution", module)
    spec.loader.exec_module(module)
    return module


def test_eval_script_without_data_exits_cleanly(monkeypatch, capsys, tmp_path):
    ev = _eval_module()
    monkeypatch.setattr(ev, "find_data", lambda: None)
    assert ev.main([]) == 0
    assert "not found" in capsys.readouterr().out


def test_alice_with_its_cast(tmp_path):
    folder = shared("pdnc", "AlicesAdventuresInWonderland")
    ev = _eval_module()
    from render.ingest import load_book
    from render.script import attribute_quotes
    from render.script.cast import load_cast

    chars, quotes = ev.load_gold(folder)
    ev.write_cast(chars, tmp_path / "alice.yaml")
    records = attribute_quotes(load_book(folder / "novel_text.txt"), load_cast(tmp_path / "alice.yaml"))
    result = ev.evaluate(records, quotes, ev.AliasTable(chars))
    assert result["recall"] >= 0.97 and result["precision"] >= 0.93
    assert result["accuracy"] >= 0.88 and result["types"]["Explicit"] >= 0.95


def test_first_person_narrator_found_without_a_cast():
    folder = shared("pdnc", "TheSignOfTheFour")
    from render.ingest import load_book
    from render.script import discover_cast

    chars = {c.name: c for c in discover_cast(load_book(folder / "novel_text.txt"))}
    assert "I" in chars["Watson"].aliases
    assert chars["Sherlock Holmes"].gender == "male"


def test_the_lenient_second_figure_accepts_unambiguous_forms_the_alias_list_lacks():
    ev = _eval_module()
    table = ev.AliasTable([
        {"name": "Horace Talbot", "aliases": ["Horace Talbot", "Old Horace"], "gender": "male"},
        {"name": "Charles Musgrove", "aliases": ["Charles Musgrove"], "gender": "male"},
        {"name": "Charles Hayter", "aliases": ["Charles Hayter"], "gender": "male"},
        {"name": "The Nawab Badahur", "aliases": ["Nawab Badahur"], "gender": "male"}])
    assert not table.accepts("Horace Talbot", "Horace") and table.accepts_form("Horace Talbot", "Horace")
    assert table.accepts_form("The Nawab Badahur", "Nawab Bahadur")  # the book's spelling
    assert not table.accepts_form("Charles Musgrove", "Charles")  # a Charles Hayter too
    assert not table.accepts_form("Horace Talbot", "Charles Hayter")
