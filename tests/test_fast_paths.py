"""Shortcuts taken for planning speed: where a cheap test says a rule cannot match, the rule's own
regex finds nothing either (so skipping it leaves the text as the rule would)."""

from __future__ import annotations

import random

from render.text import normalize as N


def _texts(words: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seps = [" ", "", "  ", "\n", ", ", ". ", ".", "\u00a0"]
    return ["".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 12))) for _ in range(n)]


_WORDS = ["etc.", "&c", "e.g.", "E. g.", "i.e.", "viz.", "v.", "vs.", "cf.", "a.m.", "P. M.", "A.D.", "B. C.",
          "pp.", "p.", "No.", "nos.", "Vol.", "vols.", "Ch.", "chap.", "Fig.", "c.", "ca.", "circa.", "12", "1850",
          "Chapter", "CHAPTER", "chapter", "Book", "letter", "WAR", "Henry", "George", "Louis", "Charlemagne",
          "I", "IV", "xi", "VIII", "XIV", "iii", "said", "house", "the", "İ", "ı", "ſ", "leſſon", "LESSON", "café",
          "x", "up", "Mr", "Dr", "Who", "Mrs"]


def test_abbreviations_are_tried_wherever_one_can_match():
    skipped = 0
    for text in _texts(_WORDS, 4000, seed=1):
        if not N._may_abbreviate(text):
            skipped += 1
            for pattern, _, _ in N._PHRASES + N._BEFORE_NUMBER:
                assert pattern.search(text) is None, (pattern.pattern, text)
    assert skipped > 400  # the test says no often enough to matter


def test_every_abbreviation_rule_is_in_the_samples():
    # _may_abbreviate's word list (_DOT_WORDS) is written by hand beside the rules: a rule added
    # without a sample here would go unchecked by the test above, so each must match a sample
    texts = _texts(_WORDS, 4000, seed=1)
    for pattern, _, _ in N._PHRASES + N._BEFORE_NUMBER:
        assert any(pattern.search(t) for t in texts), f"add an example of {pattern.pattern!r} to _WORDS"


def test_roman_numeral_rules_are_tried_wherever_one_can_match():
    skipped = [0, 0]
    for text in _texts(_WORDS, 4000, seed=2):
        if not N._roman_after(text, N._KEYWORD_ENDS, any_case=True):
            skipped[0] += 1
            assert N._KEYWORD_ROMAN.search(text) is None, text
        if not N._roman_after(text, N._REGNAL_ENDS, any_case=False):
            skipped[1] += 1
            assert N._REGNAL.search(text) is None, text
    assert min(skipped) > 400


def test_titles_are_tried_wherever_one_can_match():
    for text in _texts(_WORDS, 2000, seed=3):
        if N._TITLE_QUICK.search(text) is None:
            assert N._TITLE.search(text) is None, text


def test_content_key_is_the_hash_of_the_whole_records_json():
    import hashlib
    import json

    from render.plan.manifest import content_key

    canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    rng = random.Random(4)
    for i in range(600):
        kw = dict(engine=rng.choice(["kokoro", 'x"é']), engine_version="1", fingerprint=rng.choice(["f", "g"]),
                  xml=rng.choice(['<s>"é\\\n\u2028</s>', "<s>a &amp; b</s>", ""]) + str(i % 7),
                  voice=rng.choice(["af_heart", "vé"]), speed=rng.choice([1, 1.0, 0.95, 1.23456789]),
                  seed=rng.choice([None, 0, 7]), sample_rate=rng.choice([24000, 44100]), language="en",
                  ref_text=rng.choice([None, "hé"]),
                  extra=rng.choice([(), (("a", 1),), (("a", 1.0),), (("a", True),), (("b", [1, {"z": 1, "a": 2}]),)]))
        record = {k: v for k, v in kw.items() if k != "extra"} | {"speed": round(float(kw["speed"]), 4),
                                                                  "ref_audio": None}
        if kw["extra"]:
            record["extra"] = [list(pair) for pair in kw["extra"]]
        want = hashlib.sha256(canonical.encode(record).encode("utf-8")).hexdigest()
        assert content_key(**kw) == want, kw


def test_gutenberg_end_is_looked_for_wherever_a_marker_can_be():
    from render.ingest import gutenberg

    markers = ["*** END OF THE PROJECT GUTENBERG EBOOK", "End of the Project Gutenberg EBook", "end of project gutenberg",
               "***START: FULL LICENSE", "THE FULL PROJECT GUTENBERG LICENCE", "***END OF THIS PROJECT GUTENBERG"]
    words = ["the", "End", "of", "Project", "x", "*", "LICENSE", "\n"]
    rng = random.Random(6)
    found = 0
    for text in _texts(words, 3000, seed=6):
        if rng.random() < 0.3:
            cut = rng.randint(0, len(text))
            text = text[:cut] + rng.choice(["", "\n", " "]) + rng.choice(markers) + text[cut:]
        found += gutenberg.is_end(text)
        assert gutenberg.is_end(text) == bool(gutenberg.END_RE.search(text)), text
    assert found > 300


def test_collapse_by_split_is_collapse_by_regex():
    import re

    from render.ingest.prose import collapse as ingest_collapse
    from render.script.normalize import collapse

    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert len(spaces) > 20  # the Unicode white space, not only ASCII
    words = ["a", "Bé", "x.y", "", "\u200b", "\ufeff"] + spaces
    for text in _texts(words, 3000, seed=7):
        want = re.sub(r"\s+", " ", text).strip()
        assert collapse(text) == want and ingest_collapse(text) == want, repr(text)


def test_word_before_a_dot_is_the_regexs_group():
    import re

    from render.plan.chunker import _word_before

    words = ["Mr", "e.g", "U.S.A", "x", "_a", "é", "1.5", "(", "'", "—", ""]
    for text in _texts(words, 3000, seed=8):
        text += "."
        start = random.Random(len(text)).randint(0, len(text) - 1)
        m = re.search(r"([\w.]+)\.$", text[start:])
        assert _word_before(text, start, len(text) - 1) == (m.group(1) if m else ""), (text, start)
