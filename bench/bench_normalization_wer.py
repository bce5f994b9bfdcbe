"""Word error rate of rendered speech against the book, with and without text normalization.

Renders chapter 1 of each source with Kokoro (no validation), transcribes every chunk with the
bundled Whisper tiny.en and writes OUT/<name>.json (chunk texts and transcripts). The score
step compares, per book, everything heard with the book's words as normalization writes them
(the same reference for both runs, so "before" and "after" are comparable):

    .venv/bin/python bench/bench_normalization_wer.py render  OUT/after  SOURCE[:MAXWORDS] ...
    .venv/bin/python bench/bench_normalization_wer.py render  OUT/before --no-normalize SOURCE ...
    .venv/bin/python bench/bench_normalization_wer.py score   OUT/before OUT/after

MAXWORDS keeps only the first chunks of a long chapter (about that many words).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def render(out: Path, sources: list[str], normalize: bool, cache: Path) -> None:
    from render.pipeline import BookOptions, plan_book, render_chunks
    from render.synth.cache import Cache
    from render.synth.validate import Transcriber

    out.mkdir(parents=True, exist_ok=True)
    transcriber = Transcriber("en")
    for spec in sources:
        path, _, limit = spec.partition(":")
        opts = dict(chapters=(1,), validate=False, progress=False, out=out / (Path(path).stem + "-plan"))
        cast = Path(path).with_suffix("").name
        cast_file = Path("configs") / f"{cast}.cast.yaml"
        if cast_file.exists():
            opts["cast"] = cast_file
        try:
            options = BookOptions(**opts, normalize=normalize)
        except TypeError:  # a build without the normalize option renders as it always did
            options = BookOptions(**opts)
        plan = plan_book(path, options)
        chunks = plan.chunks
        if limit:
            kept, words = [], 0
            for c in chunks:
                if words >= int(limit):
                    break
                kept.append(c)
                words += len(c.text.split())
            chunks = kept
        t0 = time.monotonic()
        cache_obj = Cache(cache)
        summary = render_chunks(chunks, plan.engine, cache_obj, options)
        rows = []
        for c in chunks:
            heard = transcriber.transcribe(cache_obj.object_path(c.key))
            rows.append({"id": c.id, "text": c.text, "heard": heard})
        record = {"source": path, "normalize": normalize, "chunks": rows,
                  "wall_seconds": round(time.monotonic() - t0, 1), "audio_seconds": summary.audio_seconds}
        (out / (Path(path).stem + ".json")).write_text(json.dumps(record, indent=1, ensure_ascii=False))
        print(f"{path}: {len(rows)} chunks, {summary.audio_seconds:.0f} s of audio", flush=True)


def score(runs: list[Path]) -> None:
    from render.synth.validate import normalize_words, word_error_rate
    from render.text.normalize import normalize_text

    for run in runs:
        for f in sorted(run.glob("*.json")):
            data = json.loads(f.read_text())
            # the reference: the book's words as the normalizer writes them (the same for both runs)
            reference = " ".join(normalize_text(c["text"], "en") for c in data["chunks"])
            heard = " ".join(c["heard"] for c in data["chunks"])
            wer = word_error_rate(reference, heard)
            print(f"{run.name:10} {f.stem:32} words {len(normalize_words(reference)):6}  WER {100 * wer:5.2f} %")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render", help="render chapter 1 of each source and transcribe it")
    r.add_argument("out", type=Path)
    r.add_argument("sources", nargs="+")
    r.add_argument("--no-normalize", action="store_true")
    r.add_argument("--cache", type=Path, default=Path("/tmp/render-wer-cache"))
    s = sub.add_parser("score", help="WER of rendered runs")
    s.add_argument("runs", nargs="+", type=Path)
    args = ap.parse_args()
    if args.cmd == "render":
        render(args.out, args.sources, not args.no_normalize, args.cache)
    else:
        score(args.runs)


if __name__ == "__main__":
    main()
