"""What a run is asked to do and what it reports: its options, each chunk's outcome, the summary,
and the engine request a manifest chunk stands for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engines.base import SynthRequest
from ..plan.manifest import Chunk
from .batches import default_batch_seconds


@dataclass(frozen=True)
class RunOptions:
    """How the renderer treats each chunk."""

    validate: bool = True  # transcribe each new take and retry below the threshold
    max_takes: int = 4  # takes per chunk, the first included (3 retries)
    fault_retries: int = 3  # retries of an engine fault (exception, timeout, garbage) per take
    backoff: float = 0.5  # seconds before the first fault retry; doubles each time
    progress: bool = True  # show a tqdm bar on stderr
    wait_for_others: float = 600.0  # seconds to wait on chunks another process is rendering
    batch_seconds: float = field(default_factory=default_batch_seconds)  # 24 s (batches.py)
    prefetch: int = 1  # first takes synthesized ahead beyond the engine's in-flight calls
    # compute each settled chunk's speaker d-vector on an otherwise idle core while synthesis goes
    # on (idle.py), so the consistency pass after it finds them stored; what is left it computes
    embed_speakers: bool = False


@dataclass
class Outcome:
    """What happened to one chunk in this run."""

    id: str
    key: str
    status: str  # cached | synthesized | failed
    flagged: bool = False  # stored, but no take passed validation
    score: float | None = None
    transcript: str | None = None
    error: str | None = None
    seconds: float = 0.0  # audio seconds
    attempts: list = field(default_factory=list)


@dataclass
class RunSummary:
    """Counts and timings of one run over a manifest."""

    outcomes: list[Outcome]
    wall_seconds: float

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def flagged(self) -> int:
        return sum(1 for o in self.outcomes if o.flagged)

    @property
    def audio_seconds(self) -> float:
        return sum(o.seconds for o in self.outcomes)

    def line(self) -> str:
        return (f"{self.count('synthesized')} synthesized, {self.count('cached')} from cache, "
                f"{self.count('failed')} failed, {self.flagged} flagged; "
                f"{self.audio_seconds:.1f} s of audio in {self.wall_seconds:.1f} s")


def request_for(chunk: Chunk) -> SynthRequest:
    """The engine request a manifest chunk stands for."""
    seed = chunk.seed if chunk.seed is not None else int(chunk.key[:8], 16) & 0x7FFFFFFF  # fixed per chunk
    return SynthRequest(xml=chunk.xml, text=chunk.text, voice=chunk.voice, gender=chunk.gender,
                        description=chunk.description, language=chunk.language, speed=chunk.speed,
                        seed=seed, ref_audio=chunk.ref_audio, ref_text=chunk.ref_text,
                        extra=tuple(tuple(pair) for pair in chunk.extra))
