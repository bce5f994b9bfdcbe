"""Sentence-level timing of a stitched chapter, and WebVTT subtitles from it.

Each chunk's place in the chapter comes from chapters.json (`chunk_starts`); inside that window
the cue starts where speech starts and ends where it stops, measured on the chapter audio itself
(so trimming, pauses or room tone added when mastering move nothing). A chunk of several
sentences is cut at the silence nearest to where Whisper heard the next sentence's first word
(or, without word timings, where its share of the characters puts it).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..atomic import atomic_write_text
from ..plan.chunker import split_sentences
from ..plan.manifest import Chunk
from ..synth.validate import align, normalize_words

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimingOptions:
    """How speech and silence are told apart in a chapter track."""

    hop: float = 0.005  # seconds per analysis frame (the timing resolution)
    below_peak_db: float = 40.0  # a frame this far under the window's loud level is silence
    floor_db: float = -60.0  # ...and so is any frame under this level (room tone)
    min_gap: float = 0.06  # shortest silence that can separate two sentences (seconds)
    snap: float = 0.6  # a sentence boundary moves to a silence at most this far away (seconds)


@dataclass(frozen=True)
class Cue:
    """One sentence (or sentence piece) of a chapter, where it sounds in the chapter audio."""

    start: float  # seconds from the start of the chapter track
    end: float
    text: str  # the words spoken
    speaker: str  # the chunk's speaker ("narrator" or a character name)
    chunk: str  # the chunk id, e.g. c001-0004
    flagged: bool = False  # the chunk's take did not pass validation


@dataclass(frozen=True)
class Word:
    """A word Whisper heard, with its times in the chapter track."""

    text: str
    start: float
    end: float


def frame_levels(samples: np.ndarray, rate: int, hop: float) -> np.ndarray:
    """RMS level in dBFS of each hop-long frame."""
    n = max(1, int(round(rate * hop)))
    frames = samples[: len(samples) // n * n].astype(np.float64).reshape(-1, n)
    return 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-12)


def _speech_mask(levels: np.ndarray, opts: TimingOptions) -> np.ndarray:
    if levels.size == 0:
        return np.zeros(0, bool)
    loud = float(np.percentile(levels, 95))
    return levels > max(loud - opts.below_peak_db, opts.floor_db)


def _gaps(speech: np.ndarray, min_frames: int) -> list[tuple[int, int]]:
    """Silent runs of at least min_frames strictly inside the speech, as [start, end) frames."""
    gaps, i, n = [], 0, speech.size
    while i < n:
        if speech[i]:
            i += 1
            continue
        j = i
        while j < n and not speech[j]:
            j += 1
        if i > 0 and j < n and j - i >= min_frames:
            gaps.append((i, j))
        i = j
    return gaps


def _sentence_targets(sentences: list[str], onset: float, offset: float,
                      heard_starts: list[float | None]) -> list[float]:
    """Where each sentence after the first should start: Whisper's time, else a character share."""
    total = sum(len(s) for s in sentences) or 1
    out, done = [], 0
    for k in range(1, len(sentences)):
        done += len(sentences[k - 1])
        guess = heard_starts[k] if heard_starts[k] is not None else onset + (offset - onset) * done / total
        out.append(guess)
    return out


def chunk_cues(chunk: Chunk, window: tuple[float, float], levels: np.ndarray, opts: TimingOptions,
               heard_starts: list[float | None] | None = None, flagged: bool = False) -> list[Cue]:
    """The cues of one chunk whose audio lies in window (seconds) of a track with these frame levels."""
    sentences = split_sentences(chunk.text) or [chunk.text]
    a = max(0, int(round(window[0] / opts.hop)))
    b = min(levels.size, max(a, int(round(window[1] / opts.hop))))
    speech = _speech_mask(levels[a:b], opts)
    voiced = np.flatnonzero(speech)
    if voiced.size == 0:  # nothing audible: the whole window
        onset, offset, gaps = window[0], window[1], []
    else:
        onset, offset = (a + voiced[0]) * opts.hop, (a + voiced[-1] + 1) * opts.hop
        first = a + voiced[0]
        gaps = [((first + i) * opts.hop, (first + j) * opts.hop)
                for i, j in _gaps(speech[voiced[0]: voiced[-1] + 1], int(opts.min_gap / opts.hop))]
    heard = heard_starts or [None] * len(sentences)
    bounds = [(onset, None)]
    free = list(gaps)
    for target in _sentence_targets(sentences, onset, offset, heard):
        target = min(max(target, bounds[-1][0]), offset)
        best = min(free, key=lambda g: max(g[0] - target, target - g[1], 0.0), default=None)
        if best is not None and max(best[0] - target, target - best[1], 0.0) <= opts.snap:
            free = [g for g in free if g[0] > best[0]]
            bounds[-1] = (bounds[-1][0], best[0])
            bounds.append((best[1], None))
        else:
            bounds[-1] = (bounds[-1][0], target)
            bounds.append((target, None))
    bounds[-1] = (bounds[-1][0], offset)
    return [Cue(round(float(s), 3), round(float(e), 3), text, chunk.speaker, chunk.id, flagged)
            for (s, e), text in zip(bounds, sentences)]


def _heard_starts(chunks: list[Chunk], words: list[Word]) -> dict[str, list[float | None]]:
    """For every chunk, the time Whisper heard each of its sentences begin: its first word's start,
    else the end of the last word heard before it in the same chunk; None where neither was heard."""
    expected, owner = [], []  # owner: (chunk id, sentence number, word number in the sentence)
    for c in chunks:
        for k, sentence in enumerate(split_sentences(c.text) or [c.text]):
            for n, w in enumerate(normalize_words(sentence)):
                expected.append(w)
                owner.append((c.id, k, n))
    heard, spans = [], []
    for w in words:
        for piece in normalize_words(w.text):
            heard.append(piece)
            spans.append((w.start, w.end))
    pairs, _ = align(expected, heard)
    out = {c.id: [None] * len(split_sentences(c.text) or [c.text]) for c in chunks}
    last_end: dict[tuple[str, int], float] = {}  # (chunk, sentence) -> end of its last heard word
    for (cid, k, n), j in zip(owner, pairs):
        if j is None:
            continue
        if n == 0:
            out[cid][k] = spans[j][0]
        last_end[(cid, k)] = spans[j][1]
    for cid, starts in out.items():
        for k in range(1, len(starts)):
            if starts[k] is None and (cid, k - 1) in last_end:
                starts[k] = last_end[(cid, k - 1)]
    return out


def chapter_cues(chunks: list[Chunk], starts: list[float], samples: np.ndarray, rate: int,
                 words: list[Word] | None = None, flagged: set[str] = frozenset(),
                 opts: TimingOptions = TimingOptions(), ends: list[float] | None = None) -> list[Cue]:
    """Every sentence cue of a chapter from its chunks, their start (and, when known, end) times
    and the stitched audio; without ends a chunk's window runs to the next chunk's start."""
    if len(starts) != len(chunks):
        raise ValueError(f"{len(chunks)} chunks but {len(starts)} chunk starts")
    if ends is not None and len(ends) != len(chunks):
        ends = None
    levels = frame_levels(samples, rate, opts.hop)
    track_end = len(samples) / rate
    heard = _heard_starts(chunks, words) if words else {}
    cues: list[Cue] = []
    for i, chunk in enumerate(chunks):
        end = starts[i + 1] if i + 1 < len(starts) else track_end
        if ends is not None:  # the room tone or a breath in the pause after a chunk is not its speech
            end = min(end, ends[i])
        cues += chunk_cues(chunk, (starts[i], end), levels, opts, heard.get(chunk.id), chunk.id in flagged)
    return cues


def transcribe_words(path: Path, language: str) -> list[Word]:
    """Whisper's words with times for a whole chapter track (the validation model)."""
    from ..synth.validate import Transcriber

    return [Word(t, s, e) for t, s, e in Transcriber(language).words(path)]


def cached_words(wav: Path, digest: str, language: str) -> list[Word]:
    """Word timings of a chapter WAV, kept beside it (`.words.json`) until its audio changes."""
    side = wav.with_suffix(".words.json")
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
        if data.get("digest") == digest:
            return [Word(**w) for w in data["words"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    words = transcribe_words(wav, language)
    atomic_write_text(side, json.dumps({"digest": digest, "words": [asdict(w) for w in words]}))
    return words


def _timestamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def voice_name(speaker: str) -> str:
    """The name a cue's <v> tag gives a speaker."""
    name = "Narrator" if speaker == "narrator" else speaker
    return " ".join(name.replace(">", " ").split()) or "Narrator"


def vtt_text(cues: list[Cue], title: str = "") -> str:
    """A WebVTT file: one cue per sentence, the speaker as its <v> voice."""
    head = "WEBVTT" + (f" - {' '.join(title.split())}" if title.strip() else "")
    lines = [head, ""]
    for n, cue in enumerate(cues, 1):
        lines += [f"{cue.chunk}-{n}", f"{_timestamp(cue.start)} --> {_timestamp(max(cue.end, cue.start + 0.001))}",
                  f"<v {_escape(voice_name(cue.speaker))}>{_escape(cue.text)}", ""]
    return "\n".join(lines)


def write_vtt(path: Path, cues: list[Cue], title: str = "") -> None:
    """Write the chapter's WebVTT atomically."""
    atomic_write_text(path, vtt_text(cues, title))


def cues_digest(cues: list[Cue]) -> str:
    """A short fingerprint of a chapter's cues (for knowing when derived files are stale)."""
    return hashlib.sha256(json.dumps([asdict(c) for c in cues]).encode()).hexdigest()[:16]
