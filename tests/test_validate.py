import pytest

from render.synth.validate import match_ratio, normalize_words, word_error_rate


def test_contractions_and_punctuation_normalize():
    assert normalize_words("I can't, won't, didn't") == ["i", "can", "not", "will", "not", "did", "not"]
    assert normalize_words("It's Mara's lamp—“mine”!") == ["it", "is", "maras", "lamp", "mine"]
    assert normalize_words("it is Maras lamp mine") == normalize_words("It's Mara's lamp—“mine”!")


def test_numbers_are_written_out():
    assert normalize_words("42 apples") == ["forty", "two", "apples"]
    assert normalize_words("the 3rd day") == ["the", "third", "day"]
    assert normalize_words("1,000") == ["one", "thousand"]


def test_match_ratio_and_wer():
    text = "The glass is falling fast, said Mara."
    assert match_ratio(text, "the glass is falling fast said mara") == 1.0
    assert match_ratio(text, "the glass is fast said mara") == pytest.approx(6 / 7)
    assert match_ratio(text, "") == 0.0
    assert word_error_rate(text, "the glass is falling fast said mara") == 0.0
    assert word_error_rate(text, "a glass is falling said mara") == pytest.approx(2 / 7)
