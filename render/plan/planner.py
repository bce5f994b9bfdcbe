"""From a Script and its voices to the list of chunks (the manifest's content)."""

from __future__ import annotations

from ..book import SCENE_BREAK, Book
from ..master.settings import MasterSettings
from ..script.model import HEADING, Script
from ..speak.build import PromptSpec, build_prompt, clean_text
from ..text.lexicon import Lexicon
from ..text.normalize import normalize_text
from .chunker import MAX_SECONDS, chunk_text, estimate_seconds
from .manifest import Chunk, content_key
from .voices import VoiceChoice


def _scene_break_between(book: Book, chapter_pos: int, a: int, b: int) -> bool:
    blocks = book.chapters[chapter_pos].blocks
    return any(blk.kind == SCENE_BREAK for blk in blocks[a + 1:b])


def plan_chunks(book: Book, script: Script, voices: dict[str, VoiceChoice], engine, *,
                max_seconds: float = MAX_SECONDS, min_match_ratio: float = 0.9,
                seed: int | None = None, chapters: set[int] | None = None, normalize: bool = True,
                lexicon: Lexicon | None = None, settings: MasterSettings = MasterSettings()) -> list[Chunk]:
    """Cut every line into ≤ max_seconds chunks with prompts, pauses (by context) and content keys.

    Each line is normalized for its language (numbers, abbreviations, ...) before it is cut,
    and the lexicon is applied to each chunk; the prompt, the key and the text validation
    compares against are those words. Pauses and whether chapter titles are read come from settings.
    """
    out: list[Chunk] = []
    pauses = settings.pauses
    fingerprint = engine.fingerprint()
    language = script.language or "en"
    lexicon = lexicon or Lexicon()
    phonemes = bool(getattr(engine, "phoneme_markup", False))  # Kokoro reads [word](/phonemes/)
    for pos, chapter in enumerate(script.chapters):
        if chapters and chapter.index not in chapters:
            continue
        index = 0
        prev = None
        for n_line, line in enumerate(chapter.lines):
            if n_line == 0 and line.kind == HEADING and not settings.speak_titles:
                continue  # the chapter title, which the script always puts first
            choice = voices[line.speaker]
            actions = (line.action,) if line.action else ()
            said = clean_text(line.text)  # control characters out before any rule reads the text
            said = normalize_text(said, language, heading=line.kind == HEADING) if normalize else said
            for n, text in enumerate(chunk_text(said, max_seconds, choice.speed)):
                text = clean_text(lexicon.apply(text, phonemes)[0])  # exactly the prompt's text
                if not text:
                    continue
                if prev is None:
                    pause = 0.0
                elif prev.kind == HEADING and line.kind != HEADING:
                    pause = pauses.heading
                elif n > 0:
                    pause = pauses.sentence
                elif line.block != prev.block:
                    pause = (pauses.scene if pos < len(book.chapters)
                             and _scene_break_between(book, pos, prev.block, line.block) else pauses.paragraph)
                elif line.speaker != prev.speaker:
                    pause = pauses.speaker
                else:
                    pause = pauses.sentence
                xml = build_prompt(PromptSpec(
                    voice=choice.description, gender=choice.gender, text=text, scene=line.scene,
                    language=script.language or "en", actions=actions if n == 0 else (),
                ))
                key = content_key(
                    engine=engine.name, engine_version=engine.version, fingerprint=fingerprint,
                    xml=xml, voice=choice.voice, speed=choice.speed, seed=seed,
                    sample_rate=engine.sample_rate, language=script.language or "en",
                    ref_audio=choice.ref_audio, ref_text=choice.ref_text, extra=choice.extra,
                )
                out.append(Chunk(
                    id=f"c{chapter.index:03d}-{index:04d}", chapter=chapter.index, index=index,
                    block=line.block, speaker=line.speaker, kind=line.kind, text=text, xml=xml,
                    voice=choice.voice, gender=choice.gender, description=choice.description,
                    language=script.language or "en", speed=choice.speed, seed=seed,
                    est_seconds=round(estimate_seconds(text, choice.speed), 2), pause_before=pause,
                    key=key, engine=engine.name,
                    min_match_ratio=choice.min_match_ratio or min_match_ratio,
                    ref_audio=choice.ref_audio, ref_text=choice.ref_text, extra=choice.extra,
                ))
                index += 1
                prev = line
    return out
