"""TTS engines: one protocol (base.Engine), one registry, built-ins kokoro/scenema/openai."""

from .base import Audio, Engine, SynthRequest, create, engine_names, register

__all__ = ["Audio", "Engine", "SynthRequest", "create", "engine_names", "register"]
