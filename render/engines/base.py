"""The engine protocol and the registry every backend (built-in or plugin) joins."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

from ..errors import InputError, did_you_mean


@dataclass(frozen=True)
class SynthRequest:
    """Everything an engine needs to voice one chunk."""

    xml: str  # the chunk's <speak> prompt (the contract with engines)
    text: str  # the spoken text alone, as the prompt's text nodes join
    voice: str  # engine voice id: a Kokoro name or blend, a server voice name
    gender: str = "neutral"  # "male" | "female" | "neutral"
    description: str = ""  # free-text voice description, for expressive engines
    language: str = "en"  # BCP-47-ish language code
    speed: float = 1.0  # 1.0 = the engine's natural pace
    seed: int | None = None  # for engines that sample; None = engine default
    ref_audio: str | None = None  # path to a reference clip, for cloning engines
    ref_text: str | None = None  # the words spoken in ref_audio
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # engine-specific knobs


@dataclass
class Audio:
    """Mono float32 samples in [-1, 1] at sample_rate."""

    samples: np.ndarray
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.sample_rate)


class Engine(Protocol):
    """What the renderer needs from a TTS backend."""

    name: str  # registry name, e.g. "kokoro"
    version: str  # changes whenever the same request could sound different
    sample_rate: int  # the rate synthesize() returns
    deterministic: bool  # True when the same request always gives the same samples

    def fingerprint(self) -> str:
        """Identity of the model weights/server, part of every cache key."""

    def check_voice(self, voice: str) -> None:
        """Raise InputError unless the voice id is usable by this engine."""

    def voices(self) -> list[str]:
        """Voice ids this engine offers (may be empty for open-ended servers)."""

    def default_voices(self, gender: str) -> list[str]:
        """Voices to hand out, in order, to characters the cast does not name."""

    def synthesize(self, request: SynthRequest) -> Audio:
        """Voice one chunk; raise EngineError on failure."""


def voice_pool(gender: str, female: list[str], male: list[str], neutral: list[str] = ()) -> list[str]:
    """Default voices for a gender, in hand-out order: that gender's voices then the neutral ones;
    for an unknown gender the neutral ones, then female and male alternating."""
    if gender == "female":
        return [*female, *neutral]
    if gender == "male":
        return [*male, *neutral]
    return [*neutral, *(v for pair in zip(female, male) for v in pair)]


@dataclass(frozen=True)
class VoiceSet:
    """The voices an engine hands out, known without starting it (for `render cast init`)."""

    female: tuple[str, ...] = ()  # female voices, best first
    male: tuple[str, ...] = ()  # male voices, best first
    narrator: str | None = None  # the narrator's default voice
    blends: bool = False  # "0.6*a+0.4*b" mixes two voices (suggested when a gender's voices run out)

    def gender_of(self, voice: str | None) -> str | None:
        """"female" or "male" when the voice (or a blend's first voice) is in one of the lists, or is
        a description that starts by saying so ("Male, 50s. ..."); else None."""
        first = (voice or "").split("+")[0].split("*")[-1].strip()
        if first in self.female:
            return "female"
        if first in self.male:
            return "male"
        word = (voice or "").strip().split(",")[0].split(".")[0].strip().lower()
        return word if word in ("female", "male") else None


_REGISTRY: dict[str, Callable[..., Engine]] = {}
_VOICES: dict[str, VoiceSet] = {}
_LOADED = False  # built-ins and plugins imported


def register(name: str, factory: Callable[..., Engine], voices: VoiceSet | None = None) -> None:
    """Add an engine factory under a name (built-ins and plugins alike), with its voices if known."""
    _REGISTRY[name] = factory
    _VOICES[name] = voices or VoiceSet()


def voice_set(name: str) -> VoiceSet:
    """The voices a registered engine hands out."""
    _load_builtins()
    if name not in _REGISTRY:
        raise InputError(f"unknown engine {name!r}{did_you_mean(name, _REGISTRY)}; choose one of: {', '.join(sorted(_REGISTRY))}")
    return _VOICES[name]


def option_class(name: str):
    """The options dataclass of a registered engine (its `options_class`), or None."""
    _load_builtins()
    return getattr(_REGISTRY.get(name), "options_class", None)


def engine_names() -> list[str]:
    """Registered engine names."""
    _load_builtins()
    return sorted(_REGISTRY)


def create(name: str, **options) -> Engine:
    """Instantiate a registered engine by name."""
    _load_builtins()
    if name not in _REGISTRY:
        raise InputError(f"unknown engine {name!r}{did_you_mean(name, _REGISTRY)}; choose one of: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name](**options)


def _load_builtins() -> None:
    """Import built-in engines so they register themselves; then entry-point plugins."""
    global _LOADED
    if _LOADED:  # not `if _REGISTRY`: importing one engine module registers it before the rest
        return
    _LOADED = True
    import importlib

    importlib.import_module(f"{__package__}.kokoro")  # the default engine must import
    for mod in ("scenema", "openai"):
        try:
            __import__(f"{__package__}.{mod}")
        except ImportError:
            pass
    try:
        from importlib.metadata import entry_points

        for ep in entry_points(group="render.engines"):
            register(ep.name, ep.load())
    except Exception:  # a broken third-party plugin must not break the built-ins
        pass
