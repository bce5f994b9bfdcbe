"""The closest-name hint that follows an unknown voice, engine, option or key."""

from render.errors import did_you_mean


def test_a_near_miss_names_the_closest_choice():
    assert did_you_mean("af_hart", ["af_heart", "am_adam", "bf_emma"]) == " (did you mean 'af_heart'?)"
    assert did_you_mean("paragrph", {"paragraph", "sentence"}) == " (did you mean 'paragraph'?)"


def test_nothing_close_gives_no_hint():
    assert did_you_mean("colour", ["g2p", "threads", "workers"]) == ""
    assert did_you_mean("x", []) == ""
