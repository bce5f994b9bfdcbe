"""What checking a chunk costs, part by part, on chunks already in the cache.

Give it a rendered book (`render book ... --no-validate` is enough: the chunks' audio is what
is checked). It cuts the plan into the runner's validation groups, hears each group the way
the runner does, and reports CPU-s per chunk (getrusage of this process: every thread, so
CTranslate2's and ONNX Runtime's workers count) for each part of the check:

- asr: WAV encoding + decoding (the in-memory WAV the runner hands Whisper), Whisper's mel
  features, its encoder, its decoder (with any temperature fallbacks), and the rest (tokens,
  segments, resampling); how many 30 s windows were encoded;
- speaker: resampling to 16 kHz, the d-vector's log-mel frames, the ONNX encoder.

Each variant named on the command line (or all) is run `--repeats` times, interleaved (A B C
... C B A ...), and its median is printed with the word scores it reached (mean match ratio,
pooled WER over the chunks, chunks below the threshold), so a cheaper variant that hears
worse shows it. Usage:

    .venv/bin/python bench/bench_check_cost.py OUT_DIR --cache CACHE_DIR [--repeats 3] [VARIANT ...]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from render.engines.audio import resample  # noqa: E402
from render.engines.base import Audio  # noqa: E402
from render.plan.manifest import read_manifest  # noqa: E402
from render.synth.batches import GAP, validation_groups  # noqa: E402
from render.synth.cache import Cache, encode_wav  # noqa: E402
from render.synth.validate import match_ratio, normalize_words, split_scores, word_error_rate  # noqa: E402


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Meter:
    """CPU-s per named part, by wrapping the functions that do each part."""

    def __init__(self):
        self.parts: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def wrap(self, owner, attr: str, part: str):
        original = getattr(owner, attr)

        def timed(*args, **kwargs):
            t0 = cpu()
            try:
                return original(*args, **kwargs)
            finally:
                self.parts[part] = self.parts.get(part, 0.0) + cpu() - t0
                self.counts[part] = self.counts.get(part, 0) + 1

        setattr(owner, attr, timed)
        return original


@contextmanager
def patched(meter: Meter, targets):
    saved = []
    try:
        for owner, attr, part in targets:
            saved.append((owner, attr, meter.wrap(owner, attr, part)))
        yield meter
    finally:
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)


def load_groups(out: Path, cache: Cache, batch_seconds: float):
    chunks = read_manifest(out / "manifest.jsonl")
    groups = []
    for group in validation_groups(chunks, batch_seconds):
        takes = [(c, cache.load(c.key)) for c in group if cache.meta(c.key) is not None]
        if takes:
            groups.append(takes)
    return groups


def joined(takes) -> Audio:
    """The group's takes in a row with GAP s of silence after each (as batches.batch_verdicts)."""
    rate = takes[0][1].sample_rate
    gap = np.zeros(int(GAP * rate), np.float32)
    parts = []
    for _, audio in takes:
        parts += [resample(audio.samples, audio.sample_rate, rate), gap]
    return Audio(np.concatenate(parts), rate)


# ---------------------------------------------------------------- ASR variants
def whisper(threads: int):
    from faster_whisper import WhisperModel

    from render import assets

    key = ("model", threads)
    if key not in _MODELS:
        _MODELS[key] = WhisperModel(str(assets.whisper_model_path("en")), device="cpu", compute_type="int8",
                                    cpu_threads=threads)
    return _MODELS[key]


_MODELS: dict = {}


def hear_today(audio: Audio, threads: int = 2, **options) -> str:
    """As Transcriber.transcribe via transcribe_audio: an in-memory WAV, decoded by PyAV."""
    model = whisper(threads)
    segments, _ = model.transcribe(io.BytesIO(encode_wav(audio)), language="en", beam_size=1, vad_filter=False,
                                   condition_on_previous_text=False, **options)
    return " ".join(s.text.strip() for s in segments).strip()


def hear_array(audio: Audio, threads: int = 2, **options) -> str:
    """The samples resampled to 16 kHz in numpy and handed over as an array (no WAV, no PyAV)."""
    model = whisper(threads)
    x = resample(audio.samples, audio.sample_rate, 16000)
    segments, _ = model.transcribe(x, language="en", beam_size=1, vad_filter=False,
                                   condition_on_previous_text=False, **options)
    return " ".join(s.text.strip() for s in segments).strip()


def split_at_quiet(x: np.ndarray, limit: int, rate: int = 16000) -> list[np.ndarray]:
    """x cut into parts of at most `limit` samples, each cut in the quietest 10 ms frame that
    keeps the parts within the limit (the gaps between a batch's takes are silent)."""
    if len(x) <= limit:
        return [x]
    hop = rate // 100
    energy = np.convolve(np.square(x[: len(x) // hop * hop]).reshape(-1, hop).mean(axis=1), np.ones(20) / 20, "same")
    lo, hi = (len(x) - limit) // hop + 1, min(limit // hop, len(energy))
    cut = (lo + int(np.argmin(energy[lo:hi]))) * hop
    return [x[:cut]] + split_at_quiet(x[cut:], limit, rate)


def hear_short(audio: Audio, margin: float = 1.0, threads: int = 2, least: float = 0.0) -> str:
    """The encoder on the audio's own length (+ margin s of padding), not a 30 s window."""
    import ctranslate2
    from faster_whisper.audio import decode_audio
    from faster_whisper.tokenizer import Tokenizer

    model = whisper(threads)
    x = decode_audio(io.BytesIO(encode_wav(audio)), sampling_rate=16000)
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    prompt = list(tokenizer.sot_sequence) + [tokenizer.no_timestamps]
    texts = []
    for part in split_at_quiet(x, 30 * 16000 - int(margin * 16000) - 320):
        feats = model.feature_extractor(part)[:, :-1]
        frames = min(3000, max(int(least * 100), feats.shape[1] + int(margin * 100)))
        frames += frames % 2
        feats = np.pad(feats, ((0, 0), (0, frames - feats.shape[1])))
        enc = model.encode(feats)
        res = model.generate_short(enc, prompt) if hasattr(model, "generate_short") else model.model.generate(
            enc, [prompt], beam_size=1, max_length=448, return_scores=True, return_no_speech_prob=True,
            suppress_blank=True, suppress_tokens=[-1])[0]
        texts.append(tokenizer.decode(res.sequences_ids[0]).strip())
    return " ".join(texts).strip()


def hear_fitted(audio: Audio) -> str:
    """What the runner's batch check does now (AsrCheck.hear: Transcriber.transcribe_fitted)."""
    from render.synth.validate import Transcriber, transcribe_audio

    return transcribe_audio(Transcriber("en"), audio, fitted=True)


def fitted_least(least: float):
    def hear(audio: Audio) -> str:
        from render.synth import validate

        saved, validate.FIT_LEAST = validate.FIT_LEAST, least
        try:
            return hear_fitted(audio)
        finally:
            validate.FIT_LEAST = saved
    return hear


def hear_fitted_one_thread(audio: Audio) -> str:
    """hear_fitted with Whisper on one CTranslate2 thread (cpu_threads=1)."""
    from render.synth.validate import Transcriber

    saved = Transcriber._models.get(True)
    Transcriber._models[True] = whisper(1)
    try:
        return hear_fitted(audio)
    finally:
        Transcriber._models[True] = saved


VARIANTS = {
    "fitted": hear_fitted,
    "fitted-t1": hear_fitted_one_thread,
    "fitted-least10": fitted_least(10.0),
    "fitted-least15": fitted_least(15.0),
    "short0": lambda a: hear_short(a, margin=0.0),
    "short1": lambda a: hear_short(a, margin=1.0),
    "short2": lambda a: hear_short(a, margin=2.0),
    "short3-10": lambda a: hear_short(a, margin=3.0, least=10),
    "short3-15": lambda a: hear_short(a, margin=3.0, least=15),
    "short3-20": lambda a: hear_short(a, margin=3.0, least=20),
    "short3": lambda a: hear_short(a, margin=3.0),
    "short4": lambda a: hear_short(a, margin=4.0),
    "short5": lambda a: hear_short(a, margin=5.0),
    "today": lambda a: hear_today(a),
    "array": lambda a: hear_array(a),
    "notimestamps": lambda a: hear_today(a, without_timestamps=True),
    "array-notimestamps": lambda a: hear_array(a, without_timestamps=True),
    "threads1": lambda a: hear_today(a, threads=1),
    "array-notimestamps-t1": lambda a: hear_array(a, threads=1, without_timestamps=True),
}


def asr_pass(name: str, groups, meter: Meter) -> tuple[float, list[tuple[str, str]]]:
    """One pass of a variant over every group: total CPU-s, and (expected, heard) per chunk."""
    import faster_whisper.transcribe as ft
    from faster_whisper.feature_extractor import FeatureExtractor

    targets = [(ft, "decode_audio", "wav decode (PyAV)"), (FeatureExtractor, "__call__", "mel"),
               (ft.WhisperModel, "encode", "encoder"), (ft.WhisperModel, "generate_with_fallback", "decoder"),
               (sys.modules[__name__], "encode_wav", "wav encode")]
    pairs = []
    with patched(meter, targets):
        t0 = cpu()
        for takes in groups:
            heard = VARIANTS[name](joined(takes))
            for (c, _), (score, words) in zip(takes, split_scores([c.text for c, _ in takes], heard)):
                pairs.append((c.text, words))
        total = cpu() - t0
    return total, pairs


def spoil(groups, kind: str):
    """The groups with one take in each made wrong: `words` (another group's take under this
    take's text), `truncated` (its first half), `silence` (as long, all zeros). Returns the
    groups and the index of the spoiled take in each."""
    out, where = [], []
    for n, takes in enumerate(groups):
        i = max(range(len(takes)), key=lambda k: len(takes[k][1].samples))  # the longest take
        c, a = takes[i]
        if kind == "words":
            other = groups[(n + len(groups) // 2) % len(groups)]
            bad = max((t[1] for t in other), key=lambda x: len(x.samples))
        elif kind == "truncated":
            bad = Audio(a.samples[: len(a.samples) // 2], a.sample_rate)
        else:
            bad = Audio(np.zeros_like(a.samples), a.sample_rate)
        out.append(takes[:i] + [(c, bad)] + takes[i + 1:])
        where.append(i)
    return out, where


def caught(name: str, groups, threshold: float = 0.9) -> str:
    """How many spoiled takes each kind of spoiling leaves below the threshold in their batch."""
    parts = []
    for kind in ("words", "truncated", "silence"):
        spoiled, where = spoil(groups, kind)
        fails = 0
        for takes, i in zip(spoiled, where):
            heard = VARIANTS[name](joined(takes))
            score, _ = split_scores([c.text for c, _ in takes], heard)[i]
            fails += score < threshold
        parts.append(f"{kind} {fails}/{len(spoiled)}")
    return ", ".join(parts)


# ---------------------------------------------------------------- speaker
def speaker_pass(groups, meter: Meter) -> float:
    from render.synth import speaker as sp

    targets = [(sp, "resample", "resample 16k"), (sp, "log_mel", "log-mel"), (sp, "windows", "windows")]
    session = sp.SpeakerEncoder._load()
    with patched(meter, targets):
        t0 = cpu()
        for takes in groups:
            for _, audio in takes:
                x = sp.resample(audio.samples, audio.sample_rate, sp.RATE)
                feats = sp.windows(sp.log_mel(x))
                t1 = cpu()
                session.run(None, {"mel_window": feats})
                meter.parts["onnx"] = meter.parts.get("onnx", 0.0) + cpu() - t1
        return cpu() - t0


def scores(pairs, threshold: float = 0.9) -> dict:
    words = sum(max(1, len(normalize_words(e))) for e, _ in pairs)
    errors = sum(word_error_rate(e, h) * max(1, len(normalize_words(e))) for e, h in pairs)
    ratios = [match_ratio(e, h) for e, h in pairs]
    return {"match_mean": round(statistics.mean(ratios), 4), "wer": round(errors / words, 4),
            "below": sum(r < threshold for r in ratios)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-seconds", type=float, default=24.0)
    ap.add_argument("--alone", action="store_true", help="hear every chunk alone (a failed batch's path)")
    ap.add_argument("--bad", action="store_true", help="also count deliberately wrong takes each variant catches")
    ap.add_argument("--json", type=Path, help="write every pass's figures here")
    ap.add_argument("variants", nargs="*", default=["today", "speaker"])
    args = ap.parse_intermixed_args()
    groups = load_groups(args.out, Cache(args.cache), args.batch_seconds)
    if args.alone:
        groups = [[take] for g in groups for take in g]
    n = sum(len(g) for g in groups)
    audio = sum(len(a.samples) / a.sample_rate for g in groups for _, a in g)
    print(f"{n} chunks, {audio:.1f} s of audio, {len(groups)} groups of <= {args.batch_seconds:g} s "
          f"(joined {min(len(joined(g).samples) / joined(g).sample_rate for g in groups):.1f}-"
          f"{max(len(joined(g).samples) / joined(g).sample_rate for g in groups):.1f} s); "
          f"load {os.getloadavg()[0]:.1f}")
    from render.synth.validate import Transcriber

    Transcriber("en").load()
    for name in args.variants:  # load every model once before measuring
        if name != "speaker":
            asr_pass(name, groups[:1], Meter())
    speaker_pass(groups[:1], Meter())
    runs: dict[str, list] = {name: [] for name in args.variants}
    for r in range(args.repeats):
        order = args.variants if r % 2 == 0 else list(reversed(args.variants))
        for name in order:
            meter = Meter()
            w0 = time.monotonic()
            if name == "speaker":
                total, extra = speaker_pass(groups, meter), {}
            else:
                total, pairs = asr_pass(name, groups, meter)
                extra = scores(pairs)
            runs[name].append({"cpu": total, "wall": time.monotonic() - w0, "parts": dict(meter.parts),
                               "counts": dict(meter.counts), "load": os.getloadavg()[0], **extra})
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    print("CPU-s per chunk, median of", args.repeats)
    for name, passes in runs.items():
        med = statistics.median(p["cpu"] for p in passes) / n
        parts = {k: statistics.median(p["parts"].get(k, 0.0) for p in passes) / n for k in passes[0]["parts"]}
        rest = med - sum(parts.values())
        shown = ", ".join(f"{k} {v:.4f}" for k, v in parts.items())
        every = " / ".join(f"{p['cpu'] / n:.4f}" for p in passes)
        quality = (f"; match {passes[0]['match_mean']}, WER {passes[0]['wer']:.4f}, below 0.9: {passes[0]['below']}"
                   if "wer" in passes[0] else "")
        windows, decodes = passes[0]["counts"].get("encoder"), passes[0]["counts"].get("decoder")
        print(f"{name:24s} {med:.4f} ({every}): {shown}, rest {rest:.4f}"
              + (f"; {windows} encoder windows, {decodes} decodes" if windows else "") + quality)
    if args.bad:
        for name in args.variants:
            if name != "speaker":
                print(f"{name:24s} wrong takes failing their batch: {caught(name, groups)}")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
