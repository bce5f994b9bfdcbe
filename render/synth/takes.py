"""The declared fallbacks a chunk goes through when a take fails validation."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np

from ..engines.audio import audio_problem
from ..engines.base import Audio, SynthRequest
from ..plan.chunker import split_sentences
from ..speak.build import PromptSpec, build_prompt
from ..speak.parse import parse_prompt

Take = tuple[str, Callable[[], Audio]]  # (strategy name, produce the audio)


def with_text(request: SynthRequest, text: str, keep_actions: bool = True) -> SynthRequest:
    """The same request speaking other text (the prompt rebuilt around it)."""
    p = parse_prompt(request.xml)
    xml = build_prompt(PromptSpec(voice=p.voice, gender=p.gender, text=text, scene=p.scene,
                                  language=p.language, shot=p.shot,
                                  actions=p.actions if keep_actions else (), sounds=p.sounds))
    return replace(request, xml=xml, text=text)


def _split_take(engine, request: SynthRequest, gap: float = 0.2) -> Audio:
    parts = []
    sentences = split_sentences(request.text)
    for n, sentence in enumerate(sentences):
        audio = engine.synthesize(with_text(request, sentence, keep_actions=n == 0))
        parts.append(audio.samples)
        if n < len(sentences) - 1:
            parts.append(np.zeros(int(gap * audio.sample_rate), np.float32))
    return Audio(np.concatenate(parts), audio.sample_rate)


def plan_takes(engine, request: SynthRequest, max_takes: int) -> list[Take]:
    """First the planned take, then fallbacks that really change the audio."""
    takes: list[Take] = [("as-planned", lambda: engine.synthesize(request))]
    if engine.deterministic:
        if len(split_sentences(request.text)) > 1:
            takes.append(("split-sentences", lambda: _split_take(engine, request)))
        variant = getattr(engine, "variant", None)
        if variant is not None:
            takes.append(("espeak-g2p", lambda: variant(g2p="espeak").synthesize(request)))
        takes.append(("slower", lambda: engine.synthesize(replace(request, speed=request.speed * 0.9))))
    else:
        base = request.seed if request.seed is not None else 0
        for i in range(1, max_takes):
            # a new seed and a slightly slower pace: seeded engines drop words when rushed
            req = replace(request, seed=base + 1000 * i, speed=request.speed * (1 - 0.04 * i))
            takes.append((f"reseed-{i}", lambda req=req: engine.synthesize(req)))
    return takes[:max_takes]


def check_audio(audio: Audio, text: str) -> str | None:
    """Why this engine output is unusable, or None when it looks like speech."""
    return audio_problem(audio.samples, audio.sample_rate, text)
