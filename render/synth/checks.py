"""The ordered checks a take must pass before it is accepted: ASR first, then any others.

A check is any object with a `name` and a `check(chunk, audio) -> CheckResult`. The runner
runs every check on every take it judges, in order, and records each result in the take's
attempt record under `checks[name]`. A take is accepted when all checks pass; when one
fails, the chunk goes through the engine's declared fallbacks (takes.plan_takes), every
fallback take is judged by all checks, and the best take is kept (see `rank`) and flagged
if none passes. A check must be deterministic in (chunk, audio): a resumed run or a second
process judging the same take must reach the same verdict, or output would differ.

ASR validation (AsrCheck) is the first check. It alone is also run in plan-fixed batches on
first takes (one Whisper call per validation group, runner.validation_groups), because
Whisper pads every call to 30 s; a take that fails its batch is heard again alone before
its fallbacks are tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

from ..engines.base import Audio
from ..plan.manifest import Chunk
from .validate import Transcriber, match_ratio, transcribe_audio


# Hear a batch with the encoder over its own length (Transcriber.transcribe_fitted). Measured
# (README, Performance: bench/bench_check_cost.py) on Alice ch. 1 and the demo story, 184 chunks:
# 18-29 % less of Whisper's CPU a chunk, the same word errors (38 of 3,040 words either way),
# one chunk below 0.9 -> none, every wrong take still failing its batch. Off by default: with it
# on, the whole validated chapter peaked at 1,070-1,125 MB (/usr/bin/time -v, one render each,
# quiet, session 11) against 984 MB with it off and 977 MB before the session's changes; CTranslate2
# keeps buffers for each window length it has seen. The 1 GB target outweighs ~1.5 % of CPU.
FIT_BATCHES = False


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict on one take."""

    score: float  # 0..1, higher is better; a take's combined score is the mean over its checks
    passed: bool  # False sends the chunk through the declared fallbacks
    details: dict = field(default_factory=dict)  # recorded with the take, e.g. {"transcript": ...}


class TakeCheck(Protocol):
    """What the runner needs from a check (speaker consistency, say)."""

    name: str  # key of its results in a take's record["checks"]; "asr" is taken

    def check(self, chunk: Chunk, audio: Audio) -> CheckResult:
        """Judge one take of one chunk; deterministic in (chunk, audio)."""


class AsrCheck:
    """Whisper hears the take; the share of expected words heard must reach the chunk's threshold."""

    name = "asr"

    def __init__(self):
        self._by_language: dict[str, Transcriber] = {}

    def transcriber(self, language: str) -> Transcriber:
        """The loaded Whisper for a language (tiny.en for English, else the multilingual base)."""
        english = language.lower().startswith("en")
        key = "en" if english else language
        if key not in self._by_language:
            self._by_language[key] = Transcriber(key)
        return self._by_language[key]

    def hear(self, audio: Audio, language: str) -> str:
        """The words Whisper hears in a batch of takes (Whisper's 30 s windows, or its encoder
        over the batch's own length when FIT_BATCHES: Transcriber.transcribe_fitted)."""
        return transcribe_audio(self.transcriber(language), audio, fitted=FIT_BATCHES)

    def check(self, chunk: Chunk, audio: Audio) -> CheckResult:
        heard = transcribe_audio(self.transcriber(chunk.language), audio)  # alone: Whisper's usual 30 s window
        score = round(match_ratio(chunk.text, heard), 4)
        return CheckResult(score, score >= chunk.min_match_ratio, {"transcript": heard})


def record_result(record: dict, name: str, result: CheckResult) -> None:
    """Write one check's verdict into a take's attempt record (ASR also at the top level, as before)."""
    record.setdefault("checks", {})[name] = {"score": result.score, "passed": result.passed, **result.details}
    if name == "asr":
        record.update(score=result.score, transcript=result.details.get("transcript", ""))
    checks = record["checks"].values()
    record["passed"] = all(c["passed"] for c in checks)
    record["combined"] = round(sum(c["score"] for c in checks) / len(record["checks"]), 4)


def rank(record: dict) -> tuple:
    """Best-take order: a take passing every check first, then the higher combined score."""
    return (bool(record.get("passed")), record.get("combined", -1.0))


def run_checks(checks: Sequence[TakeCheck], chunk: Chunk, audio: Audio, record: dict, skip=()) -> None:
    """Judge a take by every check not in skip (those already recorded), in order."""
    for check in checks:
        if check.name not in skip:
            record_result(record, check.name, check.check(chunk, audio))
