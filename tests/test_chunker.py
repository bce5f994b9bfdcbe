from render.plan.chunker import CHARS_PER_SECOND, chunk_text, estimate_seconds, split_sentences


def test_sentences_respect_abbreviations_initials_and_quotes():
    text = 'Mr. Holmes met J. R. Smith. "Are you sure?" asked she. Yes! It was 3.5 miles… Then home.'
    assert split_sentences(text) == [
        "Mr. Holmes met J. R. Smith.", '"Are you sure?" asked she.', "Yes!", "It was 3.5 miles…", "Then home."]


def test_chunks_stay_under_the_limit_and_keep_every_word():
    words = ("The keeper climbed the stairs, one by one, counting under her breath; the fog was thick "
             "and the lamp was low. ") * 12
    long_sentence = "and then " * 60 + "it ended."
    text = words + long_sentence
    chunks = chunk_text(text, max_seconds=15)
    assert " ".join(chunks) == " ".join(text.split())
    assert all(estimate_seconds(c) <= 15.0 + 1e-9 for c in chunks)
    # joined with single spaces they give the text back, so no cut fell inside a word
    source_words = text.split()
    assert sum(len(c.split()) for c in chunks) == len(source_words)


def test_short_text_is_one_chunk_and_sentence_cuts_are_preferred():
    assert chunk_text("Hello there. Bye.") == ["Hello there. Bye."]
    first = "A" * 10 + " sentence one ends here."
    text = " ".join([first] * 20)
    chunks = chunk_text(text, max_seconds=5)
    assert all(c.endswith(".") for c in chunks)
    assert max(len(c) for c in chunks) <= 5 * CHARS_PER_SECOND


def test_estimate_scales_with_speed():
    assert estimate_seconds("x" * 170, speed=2.0) == estimate_seconds("x" * 170) / 2
