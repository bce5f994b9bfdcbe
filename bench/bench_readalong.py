"""How close the read-along cues sit to the rendered speech, on a book rendered with --format vtt.

    python bench/bench_readalong.py OUT

Prints, per chapter and overall: cue boundaries against speech onsets/offsets found by the
test suite's own level detector (ms), and cue starts against the start of the first word
Whisper (tiny.en, word timestamps, a fresh transcription) heard in that sentence -- what the
cues would be if Whisper's word times were used as they are.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render.synth.validate import Transcriber, align, normalize_words  # noqa: E402
from tests.test_readalong import _cues, _transitions  # noqa: E402


def _stats(errors_ms: list[float]) -> str:
    a = np.abs(np.array(errors_ms))
    if not a.size:
        return "n/a"
    return f"median {np.median(a):.0f} ms, p95 {np.percentile(a, 95):.0f} ms, max {a.max():.0f} ms (n={a.size})"


def main(out: Path) -> None:
    level, whisper = [], []
    for ch, cues, audio, rate in _cues(out):
        onsets, offsets = _transitions(audio, rate)
        for cue in cues:
            level.append(1000 * np.min(np.abs(onsets - cue["start"])))
            level.append(1000 * np.min(np.abs(offsets - cue["end"])))
        words = Transcriber().words(out / ch["file"])
        heard = [(p, s) for w, s, _ in words for p in normalize_words(w)]
        said, first = [], []
        for n, cue in enumerate(cues):
            for k, w in enumerate(normalize_words(cue["text"])):
                said.append(w)
                first.append(n if k == 0 else None)
        pairs, _ = align(said, [p for p, _ in heard])
        chapter_whisper = [1000 * (heard[j][1] - cues[n]["start"]) for n, j in zip(first, pairs)
                           if n is not None and j is not None]
        whisper += chapter_whisper
        print(f"chapter {ch['index']}: {len(cues)} cues over {ch['seconds']:.1f} s; "
              f"Whisper word start - cue start: mean {np.mean(chapter_whisper):+.0f} ms")
    print(f"cue boundary vs level detector onset/offset: {_stats(level)}")
    print(f"cue start vs Whisper's first-word start:      {_stats(whisper)}")
    print(f"boundaries within 50 ms of the audio: {np.mean(np.array(level) <= 50) * 100:.1f} %")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "chapters.json").exists():
        sys.exit("usage: python bench/bench_readalong.py OUT   (a book rendered with --format vtt)")
    main(Path(sys.argv[1]))
