import pytest

from render.synth.validate import match_ratio, normalize_words, split_scores, word_error_rate


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


def test_misheard_names_count_but_other_words_do_not():
    assert match_ratio("said Mara.", "Said Marrow.") == 1.0
    assert match_ratio("said Mara.", "said banana") == 0.5
    assert match_ratio("Tom said.", "Tom said he") == 1.0  # one trailing hallucinated word is forgiven
    assert match_ratio("Tom said.", "Tom said he did") == pytest.approx(2 / 4)
    assert match_ratio("The storm came in.", "The came in.") == 0.75


def test_split_scores_gives_each_text_its_own_score():
    texts = ["Tom said.", "The glass is falling fast,", "said Mara."]
    scores = split_scores(texts, "Tom said the glass is falling fast said Marrow")
    assert [s for s, _ in scores] == [1.0, 1.0, 1.0]
    scores = split_scores(texts, "Tom said the glass is fast said Mara")
    assert [s for s, _ in scores] == [1.0, 0.8, 1.0]
    assert scores[1][1] == "the glass is fast"
    scores = split_scores(texts, "Tom said the glass is falling fast")
    assert scores[2] == (0.0, "")


def test_words_joined_or_split_by_the_recognizer_count():
    assert match_ratio("Is the lamp lit?", "is the lamplit.") == 1.0
    assert match_ratio("The lamplit room.", "the lamp lit room") == 1.0
    assert match_ratio("Is the lamp lit?", "is the lamp") == 0.75
