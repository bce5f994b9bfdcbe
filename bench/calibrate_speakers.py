"""Calibrate the speaker-consistency threshold on real Kokoro speech.

Synthesizes a few sentences of varied length in each of the 28 English Kokoro voices and in
blends, embeds every clip, and measures what the consistency check will see: a chunk against
its own voice's anchor (the centroid of K other chunks of that voice) versus a chunk against
another voice's anchor. Prints both distributions, the closest voice pairs and the threshold
the two distributions allow. Clips are kept in --work so a rerun only re-embeds.

    .venv/bin/python bench/calibrate_speakers.py [--work DIR] [--k 3] [--voices N] [--json F]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from render import assets  # noqa: E402
from render.engines.base import SynthRequest  # noqa: E402
from render.engines.kokoro import KokoroEngine  # noqa: E402
from render.speak.build import PromptSpec, build_prompt  # noqa: E402
from render.synth.consistency import anchor_of  # noqa: E402
from render.synth.speaker import SpeakerEncoder  # noqa: E402

SENTENCES = [
    "I told you already, the boat will not come back before the storm.",
    "Yes.",
    "She walked down to the harbour, where the lamps were already lit and the gulls had gone quiet.",
    "Why would anyone keep a light burning on an island that nobody visits any more?",
    "Well, that settles it then.",
]
BLENDS = ["0.6*af_heart+0.4*af_bella", "0.6*af_nicole+0.4*af_sky", "0.6*am_michael+0.4*am_fenrir",
          "0.6*bm_george+0.4*bm_lewis", "0.5*af_sarah+0.5*bf_emma", "0.5*am_adam+0.5*bm_daniel"]


def clip(engine, work: Path, voice: str, i: int, text: str) -> tuple[np.ndarray, int, float]:
    """Samples, rate and synthesis CPU seconds (0 when the clip was already on disk)."""
    path = work / f"{voice.replace('*', 'x').replace('+', '_')}-{i}.wav"
    if path.exists():
        samples, rate = sf.read(path, dtype="float32")
        return samples, rate, 0.0
    xml = build_prompt(PromptSpec(voice="calibration", gender="neutral", text=text))
    t0 = time.process_time()
    audio = engine.synthesize(SynthRequest(xml=xml, text=text, voice=voice))
    took = time.process_time() - t0
    sf.write(path, audio.samples, audio.sample_rate)
    return audio.samples, audio.sample_rate, took


def quantiles(xs) -> str:
    xs = np.asarray(xs)
    q = np.percentile(xs, [0, 1, 5, 50, 95, 99, 100])
    return ("n=%d min %.3f p1 %.3f p5 %.3f median %.3f p95 %.3f p99 %.3f max %.3f" % (len(xs), *q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("cache/calibration"))
    ap.add_argument("--k", type=int, default=3, help="chunks in an anchor centroid")
    ap.add_argument("--min-anchor", type=float, default=1.5, help="shortest clip (s) used in an anchor")
    ap.add_argument("--min-judged", type=float, default=1.0, help="shortest clip (s) judged")
    ap.add_argument("--voices", type=int, default=0, help="use only the first N voices (0 = all)")
    ap.add_argument("--json", type=Path, help="write the measured figures here")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    engine = KokoroEngine()
    voices = assets.voice_names()
    if args.voices:
        voices = voices[:args.voices]
    everyone = voices + ([] if args.voices else BLENDS)
    emb: dict[str, list[np.ndarray]] = {}
    seconds: dict[str, list[float]] = {}
    synth_s = audio_s = embed_s = embed_wall = 0.0
    for v in everyone:
        emb[v], seconds[v] = [], []
        for i, text in enumerate(SENTENCES):
            samples, rate, took = clip(engine, args.work, v, i, text)
            synth_s += took
            audio_s += len(samples) / rate
            seconds[v].append(len(samples) / rate)
            t0, w0 = time.process_time(), time.monotonic()
            emb[v].append(SpeakerEncoder.embed_samples(samples, rate))
            embed_s += time.process_time() - t0
            embed_wall += time.monotonic() - w0
        print(f"{v}: {len(SENTENCES)} clips", file=sys.stderr)
    n = len(SENTENCES)
    same, diff = [], []  # (similarity, clip seconds)
    by_pair: dict[tuple[str, str], list[float]] = {}
    for v in everyone:
        # every choice of K anchor clips among the long enough ones; each other clip of the voice
        # is compared with that anchor, and so is each clip of every other voice (an impostor)
        usable = [j for j in range(n) if seconds[v][j] >= args.min_anchor]
        for combo in itertools.combinations(usable, min(args.k, len(usable))):
            anchor = anchor_of([emb[v][j] for j in combo])
            same += [(float(emb[v][j] @ anchor), seconds[v][j]) for j in range(n) if j not in combo]
            for w in everyone:
                if w == v:
                    continue
                sims = [(float(e @ anchor), seconds[w][j]) for j, e in enumerate(emb[w])]
                diff += sims
                by_pair.setdefault(tuple(sorted((v, w))), []).extend(x for x, _ in sims)
    judged = lambda rows: np.array([x for x, sec in rows if sec >= args.min_judged])  # noqa: E731
    short = lambda rows: np.array([x for x, sec in rows if sec < args.min_judged])  # noqa: E731
    same_a, diff_a = judged(same), judged(diff)
    pairs = sorted(((float(np.percentile(s, 95)), p) for p, s in by_pair.items()), reverse=True)
    # the threshold: the highest step of 0.05 under which no same-voice clip falls (a false flag
    # costs a listener's time on every book; the price, near-twin voices missed, is printed below)
    steps = [round(t, 2) for t in np.arange(0.50, 0.96, 0.05)]
    threshold = max([t for t in steps if not np.any(same_a < t)], default=steps[0])
    miss = float(np.mean(diff_a >= threshold))
    false_alarm = float(np.mean(same_a < threshold))
    print(f"anchor = centroid of K={args.k} clips of >= {args.min_anchor} s; {len(everyone)} voices "
          f"({len(voices)} plain, {len(everyone) - len(voices)} blends)")
    print(f"clips of >= {args.min_judged} s (judged):")
    print("  same voice (clip vs own anchor):        " + quantiles(same_a))
    print("  different voice (clip vs other anchor): " + quantiles(diff_a))
    print(f"clips under {args.min_judged} s (recorded, not judged):")
    print("  same voice:      " + quantiles(short(same)))
    print("  different voice: " + quantiles(short(diff)))
    print("closest voice pairs (95th percentile of clip-vs-anchor similarity):")
    for s_, (a, b) in pairs[:8]:
        print(f"  {s_:.3f}  {a} / {b}")
    print(f"threshold {threshold:.2f}: false alarms {false_alarm:.2%} of same-voice comparisons, "
          f"missed {miss:.2%} of different-voice comparisons")
    for t in (0.6, 0.65, 0.7, 0.75, 0.8):
        print(f"  at {t:.2f}: false alarms {np.mean(same_a < t):.2%}, missed {np.mean(diff_a >= t):.2%}")
    print(f"cost: embedding {embed_s:.2f} CPU s ({embed_wall:.1f} s wall) for {audio_s:.1f} s of audio "
          f"({embed_s / max(audio_s, 1e-9):.4f} CPU s per audio s)"
          + (f"; synthesis {synth_s:.1f} CPU s, ratio {embed_s / synth_s:.1%}" if synth_s else ""))
    if args.json:
        args.json.write_text(json.dumps({
            "k": args.k, "voices": everyone, "threshold": threshold, "false_alarm": false_alarm,
            "miss": miss, "same": sorted(same_a.tolist()),
            "different_p": list(np.percentile(diff_a, [0, 1, 5, 50, 95, 99, 100])),
            "closest": [[s, a, b] for s, (a, b) in pairs[:20]],
        }, indent=1))


if __name__ == "__main__":
    main()
