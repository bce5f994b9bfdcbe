"""bench/conversation_signals.py: the turn classes and their tallies (no data needed)."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT


def _module():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("conversation_signals", ROOT / "bench" / "conversation_signals.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _para(gap, gold, speaker, rule="turn-taking", kind="Implicit"):
    return {"gap": gap, "quotes": [{"seg": 0, "gold": gold, "speaker": speaker, "rule": rule,
                                    "type": kind, "ok": gold == speaker}]}


def test_turn_classes():
    cs = _module()
    paras = [_para(99, "A", "A", "explicit-verb-after", "Explicit"), _para(0, "B", "B"),
             _para(0, "A", "A"), _para(1, "A", "B"), _para(0, "C", "A"), _para(0, "C", "C")]
    assert [cs.turn_class(paras, i) for i in range(6)] == [None, None, "alt", "same", "AA", "same"]
    paras[4] = _para(0, "C", "C")
    paras[3] = _para(0, "B", "B")
    assert cs.turn_class(paras, 4) == "new"
    paras[1]["quotes"][0]["gold"] = None
    assert cs.turn_class(paras, 2) is None


def test_tally_counts_turns_and_rules():
    cs = _module()
    paras = [_para(99, "A", "A", "explicit-verb-after", "Explicit"), _para(0, "B", "B"),
             _para(0, "A", "A"), _para(1, "A", "B")]
    classes, rules = cs.tally({"book": paras})
    assert classes == {(0, 0, "alt"): [1, 1], (1, 0, "same"): [1, 0]}
    assert rules == {("turn-taking", 0): [2, 2], ("turn-taking", 1): [1, 0]}


def test_without_data_exits_cleanly(monkeypatch, capsys):
    cs = _module()
    monkeypatch.setattr(cs, "find_data", lambda: None)
    assert cs.main([]) == 0
    assert "not found" in capsys.readouterr().out
