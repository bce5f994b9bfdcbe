"""TTS engines: one protocol (base.Engine), one registry, built-ins kokoro/scenema/openai."""

from .base import Audio, Engine, SynthRequest, VoiceSet, create, engine_names, option_class, register, voice_set

__all__ = ["Audio", "Engine", "SynthRequest", "VoiceSet", "create", "engine_names", "option_class", "register",
           "voice_set"]
