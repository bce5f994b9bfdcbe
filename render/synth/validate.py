"""ASR validation: transcribe a chunk with faster-whisper and score it against its text."""

from __future__ import annotations

import difflib
import io
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import assets

log = logging.getLogger(__name__)

_CONTRACTIONS = {
    "n't": " not", "'re": " are", "'ll": " will", "'ve": " have", "'m": " am", "'d": " would",
}
_SPECIAL = {"won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
            "ain't": "is not", "let's": "let us", "o'clock": "oclock", "ok": "okay"}
for _pronoun in ("it", "that", "there", "here", "what", "who", "he", "she", "where", "how"):
    _SPECIAL[_pronoun + "'s"] = _pronoun + " is"
_PHONEME_MARKUP = re.compile(r"\[([^\]]+)\]\(/[^)]*/\)")
FIT_MARGIN = 3.0  # s of padding after the audio in a fitted window (less: tiny.en drops the last words)
FIT_LEAST = 20.0  # s: the shortest fitted window (shorter: tiny.en repeats itself on short clips)
FIT_FROM = 10.0  # s: shorter audio is heard the usual way (a chapter's last batch; a take alone)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?")


def _number_words(match: re.Match) -> str:
    from num2words import num2words

    tok = match.group()
    ordinal = tok[-2:] in ("st", "nd", "rd", "th")
    core = tok[:-2] if ordinal else tok
    core = core.replace(",", "")
    try:
        if ordinal:
            return " " + num2words(int(core), to="ordinal") + " "
        if "." in core:
            return " " + num2words(float(core)) + " "
        return " " + num2words(int(core)) + " "
    except (ValueError, OverflowError):
        return " " + tok + " "


def normalize_words(text: str) -> list[str]:
    """Lower-case words with numbers written out, contractions expanded, punctuation dropped."""
    text = _PHONEME_MARKUP.sub(r"\1", text)  # a lexicon's [Holmes](/hˈOmz/) is the word Holmes
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    text = _NUMBER.sub(_number_words, text)
    words = []
    for raw in re.split(r"[\s\-—–/]+", text):
        word = raw.strip(".,;:!?\"'()[]{}…*_“”«»")
        if not word:
            continue
        if word in _SPECIAL:
            words.extend(_SPECIAL[word].split())
            continue
        for suffix, full in _CONTRACTIONS.items():
            if word.endswith(suffix) and len(word) > len(suffix):
                word = word[: -len(suffix)] + full
                break
        if word.endswith("'s"):
            word = word[:-2] + "s"
        words.extend(w for w in re.sub(r"[^\w\s]", "", word).split() if w)
    return words


def similar(a: str, b: str) -> bool:
    """Whether two words are the same word misheard (names: 'mara'/'marrow'), not another word."""
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < 3:
        return False
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio() >= 0.6


def align(a: list[str], b: list[str]) -> tuple[list[int | None], int]:
    """For each expected word, the index of the heard word it matches (or None); and the count
    of heard words left over. Exact runs first; inside replaced runs, similar words pair up."""
    pairs: list[int | None] = [None] * len(a)
    used = 0
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(a1 - a0):
                pairs[a0 + k] = b0 + k
            used += a1 - a0
        elif tag == "replace":
            j, i = b0, a0
            while i < a1:
                for jj in range(j, b1):
                    if i + 1 < a1 and a[i] + a[i + 1] == b[jj]:  # "lamp lit" heard as "lamplit"
                        pairs[i] = pairs[i + 1] = jj
                        j, used, i = jj + 1, used + 1, i + 1
                        break
                    if jj + 1 < b1 and b[jj] + b[jj + 1] == a[i]:  # "lamplit" heard as "lamp lit"
                        pairs[i], j, used = jj, jj + 2, used + 2
                        break
                    if similar(a[i], b[jj]):
                        pairs[i], j = jj, jj + 1
                        used += 1
                        break
                i += 1
    return pairs, len(b) - used


def _score(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    pairs, extra = align(a, b)
    matched = sum(p is not None for p in pairs)
    last = max((p for p in pairs if p is not None), default=-1)
    if extra and len(b) - 1 - last == 1:
        extra -= 1  # Whisper often adds one word after the end of a short clip ("... said he")
    return matched / max(len(a), matched + extra)


def match_ratio(expected: str, heard: str) -> float:
    """Expected words heard (misheard names count) over the longer of expected / heard."""
    return _score(normalize_words(expected), normalize_words(heard))


def word_error_rate(expected: str, heard: str) -> float:
    """Word-level Levenshtein distance over the expected word count."""
    a, b = normalize_words(expected), normalize_words(heard)
    if not a:
        return 0.0 if not b else 1.0
    prev = list(range(len(b) + 1))
    for i, wa in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, wb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (wa != wb))
        prev = cur
    return prev[-1] / len(a)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one take."""

    score: float  # word match ratio, 0..1
    transcript: str
    passed: bool


class Transcriber:
    """faster-whisper on the CPU (int8), loaded once and shared."""

    _lock = threading.Lock()
    _models: dict = {}

    def __init__(self, language: str = "en"):
        self.language = language

    def load(self) -> None:
        """Load the model now (it is otherwise loaded by the first transcription)."""
        self._model()

    def _model(self):
        english = self.language.lower().startswith("en")  # tiny.en, else the multilingual base
        with self._lock:
            if english not in self._models:
                path = assets.whisper_model_path(self.language)  # located and checked once
                log.info("loading Whisper from %s", path)
                # CTranslate2's OpenMP threads must sleep, not spin, between calls, or they
                # steal the cores Kokoro synthesizes on
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                from faster_whisper import WhisperModel

                self._models[english] = WhisperModel(str(path), device="cpu", compute_type="int8",
                                                     cpu_threads=2)
            return self._models[english]

    @classmethod
    def release(cls) -> None:
        """Let go of every loaded Whisper model (the next transcription loads it again)."""
        with cls._lock:
            cls._models.clear()

    def transcribe(self, audio) -> str:
        """The words heard in an audio file (a path or a binary file object) or in 16 kHz samples."""
        lang = self.language.split("-")[0].lower() or "en"
        segments, _ = self._model().transcribe(
            audio if hasattr(audio, "read") or hasattr(audio, "dtype") else str(audio), language=lang, beam_size=1, vad_filter=False,
            condition_on_previous_text=False,
        )
        return " ".join(s.text.strip() for s in segments).strip()

    def transcribe_fitted(self, audio) -> str:
        """The words heard in audio (a path or a binary file object) by the encoder run over the
        audio's own length, not a 30 s window.

        Whisper pads every call to 30 s, and its encoder's cost is in proportion to the frames it
        is given, padding included; given the audio plus FIT_MARGIN s of padding (at least
        FIT_LEAST s: shorter windows make tiny.en repeat itself), a batch of 15-25 s costs that
        much (audio under FIT_FROM s is heard the usual way), and a batch over 30 s is cut at its
        quietest point into two such windows instead of two 30 s ones. Each window is decoded greedily, with timestamps. Where a window's text
        looks like a repetition loop or is unsure (the thresholds faster-whisper falls back on),
        or stops before the window's speech ends, the whole audio is heard the usual way
        (transcribe) instead."""
        from faster_whisper.audio import decode_audio

        model = self._model()
        samples = decode_audio(audio if hasattr(audio, "read") else str(audio), sampling_rate=16000)
        if len(samples) < FIT_FROM * 16000:
            return self.transcribe(samples)
        texts = []
        for part in split_quiet(samples, int((30.0 - FIT_MARGIN) * 16000)):
            text = self._fitted_window(model, part)
            if text is None:
                return self.transcribe(samples)
            texts.append(text)
        return " ".join(t for t in texts if t).strip()

    def _fitted_window(self, model, samples) -> str | None:
        """One window's text, or None when it must be heard the usual way."""
        import numpy as np
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

        features = model.feature_extractor(samples)[:, :-1]  # as faster-whisper: the last frame is padding
        content = features.shape[1]
        frames = min(3000, max(int(FIT_LEAST * 100), content + int(FIT_MARGIN * 100)))
        frames += frames % 2  # the encoder's convolutions halve the frames
        features = np.pad(features[:, :frames], ((0, 0), (0, frames - min(frames, content))))
        lang = self.language.split("-")[0].lower() or "en"
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=lang)
        # with timestamps, as the usual path: without them tiny.en may stop after the first
        # sentence of a batch (measured: 5 words heard of a 17 s batch of nine takes)
        result = model.model.generate(model.encode(features), [list(tokenizer.sot_sequence)], beam_size=1,
                                      max_length=model.max_length, return_scores=True, suppress_blank=True,
                                      suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
                                      max_initial_timestamp_index=50)[0]  # 1 s, faster-whisper's default
        tokens = result.sequences_ids[0]
        text = tokenizer.decode(tokens).strip()  # the text tokens alone
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)  # as faster-whisper, length penalty 1
        if get_compression_ratio(text) > 2.4 or avg_logprob < -1.0:
            return None
        stamps = [t for t in tokens if t >= tokenizer.timestamp_begin]
        single_ending = len(tokens) >= 2 and tokens[-2] < tokenizer.timestamp_begin <= tokens[-1]
        heard_to = (stamps[-1] - tokenizer.timestamp_begin) * 0.02 if stamps else 0.0
        if not single_ending and heard_to < content / 100 - 1.0:
            return None  # the decoder stopped before the end: the usual path goes on from there
        return text

    def words(self, audio_path: str | Path) -> list[tuple[str, float, float]]:
        """Each word heard in an audio file of any length, with its start and end in seconds."""
        lang = self.language.split("-")[0].lower() or "en"
        segments, _ = self._model().transcribe(
            str(audio_path), language=lang, beam_size=1, vad_filter=False,
            condition_on_previous_text=False, word_timestamps=True,
        )
        return [(w.word.strip(), float(w.start), float(w.end)) for s in segments for w in (s.words or [])]


def transcribe_audio(transcriber: Transcriber, audio, fitted: bool = False) -> str:
    """The words heard in in-memory audio (as a WAV in memory: no temporary file); fitted: with
    the encoder over the audio's own length (Transcriber.transcribe_fitted)."""
    from .cache import encode_wav

    wav = io.BytesIO(encode_wav(audio))
    return transcriber.transcribe_fitted(wav) if fitted else transcriber.transcribe(wav)


def split_quiet(samples, limit: int, rate: int = 16000) -> list:
    """samples cut into parts of at most `limit` samples, each cut in the quietest 200 ms that
    keeps the parts within the limit (a batch's takes have silence between them), of those the
    one nearest the middle."""
    import numpy as np

    if len(samples) <= limit:
        return [samples]
    hop = rate // 100
    frames = len(samples) // hop
    energy = np.square(np.asarray(samples[: frames * hop], dtype=np.float64)).reshape(frames, hop).mean(axis=1)
    energy = np.convolve(energy, np.ones(20) / 20, mode="same")
    lo, hi = -(-(len(samples) - limit) // hop), min(limit // hop, frames - 1)
    if lo > hi:  # no cut leaves both parts within the limit: cut at the limit
        cut = limit
    else:
        window = energy[lo:hi + 1]
        quiet = np.flatnonzero(window <= window.min() + 1e-9)  # the quietest frames, silence if any
        middle = len(samples) / 2 / hop - lo
        cut = (lo + int(quiet[np.argmin(np.abs(quiet - middle))])) * hop  # the one nearest the middle
    return [samples[:cut], *split_quiet(samples[cut:], limit, rate)]


def split_scores(expected: list[str], heard: str) -> list[tuple[float, str]]:
    """Score each of several texts spoken in a row against one transcript of them all.

    The transcript is aligned word by word to the joined texts; each heard word belongs to the
    text whose words it matched or sits among, and each text is then scored like match_ratio.
    """
    parts = [normalize_words(t) for t in expected]
    joined = [w for p in parts for w in p]
    owner = [i for i, p in enumerate(parts) for _ in p]
    heard_words = normalize_words(heard)
    pairs, _ = align(joined, heard_words)
    # each heard word goes to the text of the nearest matched expected word before it
    belongs = [0] * len(heard_words)
    anchor = {j: owner[i] for i, j in enumerate(pairs) if j is not None}
    current = 0
    for j in range(len(heard_words)):
        current = anchor.get(j, current)
        belongs[j] = current
    out = []
    for i, p in enumerate(parts):
        mine = [heard_words[j] for j in range(len(heard_words)) if belongs[j] == i]
        out.append((round(_score(p, mine), 4), " ".join(mine)))
    return out
