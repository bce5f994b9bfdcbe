"""Kokoro's model with its ConvIntegers as MatMulIntegers on int8 weights: same audio, or the original."""

import numpy as np
import pytest

from render import assets
from render.engines import kokoro_graph
from render.engines.kokoro_graph import fast_model, rewrite


def _session(source):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(source, sess_options=opts, providers=["CPUExecutionProvider"])


def test_without_vnni_or_when_switched_off_the_original_model_is_used(tmp_path, monkeypatch):
    source = tmp_path / "model.onnx"
    source.write_bytes(b"not looked at")
    monkeypatch.setattr(kokoro_graph, "has_vnni", lambda: False)
    assert fast_model(source) == source
    monkeypatch.setattr(kokoro_graph, "has_vnni", lambda: True)
    monkeypatch.setenv("RENDER_KOKORO_S8MM", "0")
    assert fast_model(source) == source
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]


def test_a_model_that_cannot_be_rewritten_leaves_the_original_in_use(tmp_path, monkeypatch, caplog):
    source = tmp_path / "model.onnx"
    source.write_bytes(b"\xff\xff not a protobuf")
    monkeypatch.setattr(kokoro_graph, "has_vnni", lambda: True)
    monkeypatch.delenv("RENDER_KOKORO_S8MM", raising=False)
    assert fast_model(source) == source
    assert "could not be made" in caplog.text


@pytest.mark.slow
def test_the_rewritten_model_makes_the_same_audio_sample_for_sample(tmp_path):
    """Every stride-1 1-D ConvInteger is replaced, and the model's output is the same bytes, for
    two voices and two lengths (the integer products are the same on a VNNI CPU)."""
    if not kokoro_graph.has_vnni():
        pytest.skip("no VNNI on this CPU: the rewritten model is not used here")
    source = assets.kokoro_model_path()
    data, replaced = rewrite(source.read_bytes())
    assert replaced == 84  # of 87: three are strided (the F0/N convs and the first noise conv)
    dest = tmp_path / "rewritten.onnx"
    dest.write_bytes(data)
    original, rewritten = _session(str(source)), _session(str(dest))
    voices = np.load(assets.voices_path())
    for tokens, voice in [(list(range(16, 46)), "af_heart"), (list(range(10, 70)), "bm_fable")]:
        feed = {"tokens": np.array([[0, *tokens, 0]], np.int64),
                "style": voices[voice][len(tokens)].astype(np.float32),
                "speed": np.array([1.0], np.float32)}
        a = original.run(None, feed)[0]
        b = rewritten.run(None, feed)[0]
        assert a.shape == b.shape and a.size > 24000 // 2
        assert np.array_equal(a, b)
    assert fast_model(source).name == source.name.removesuffix(".onnx") + kokoro_graph.SUFFIX
