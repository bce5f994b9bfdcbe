"""Read-along outputs: sentence timing, WebVTT, listen.html, the media-overlay EPUB."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from lxml import etree

from render.cli import main
from render.master.listen import listen_page, page_data
from render.master.overlays import sentence_clips
from render.master.readalong import ChapterCues, parse_formats
from render.master.sentence_ids import add_sentence_ids
from render.master.subtitles import Cue, chapter_cues, vtt_text
from render.plan.manifest import Chunk

ROOT = Path(__file__).resolve().parents[1]
RATE = 24000


def _chunk(cid: str, text: str, speaker: str = "narrator", block: int = 0) -> Chunk:
    return Chunk(id=cid, chapter=1, index=int(cid[-4:]), block=block, speaker=speaker, kind="narration",
                 text=text, xml="", voice="af_heart", gender="female", description="", language="en",
                 speed=1.0, seed=None, est_seconds=1.0, pause_before=0.0, key=cid, engine="kokoro",
                 min_match_ratio=0.9)


def _track(parts: list[tuple[str, float]]) -> np.ndarray:
    """Tones ('s') and silences ('-') of the given lengths, as one mono track."""
    out = []
    for kind, seconds in parts:
        n = int(seconds * RATE)
        t = np.arange(n) / RATE
        out.append(0.3 * np.sin(2 * np.pi * 220 * t) if kind == "s" else np.zeros(n))
    return np.concatenate(out).astype(np.float32)


# ---------------------------------------------------------------- fast: no models

def test_cues_start_and_end_where_the_sound_does():
    # chunk 1: 0.1 s lead silence, two sentences split by a 0.3 s pause and a shorter comma pause
    track = _track([("-", 0.6), ("s", 0.8), ("-", 0.12), ("s", 0.5), ("-", 0.35), ("s", 1.0),
                    ("-", 0.9), ("s", 0.7), ("-", 1.0)])
    chunks = [_chunk("c001-0000", "Row the boat, gently now. Down the stream we go."),
              _chunk("c001-0001", "Merrily.", speaker="Mara")]
    cues = chapter_cues(chunks, [0.5, 3.77], track, RATE)
    got = [(c.text, c.start, c.end, c.speaker) for c in cues]
    expected = [("Row the boat, gently now.", 0.6, 2.02), ("Down the stream we go.", 2.37, 3.37),
                ("Merrily.", 4.27, 4.97)]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, s, e, _), (_, es, ee) in zip(got, expected):
        assert abs(s - es) <= 0.01 and abs(e - ee) <= 0.01, got
    assert got[-1][3] == "Mara"


def test_chunk_ends_keep_a_breath_in_the_pause_out_of_the_cue():
    # chunk 1 speaks 0.6-1.4, then a soft breath at 1.9-2.0 before chunk 2 starts at 2.3
    track = _track([("-", 0.6), ("s", 0.8), ("-", 0.5), ("s", 0.1), ("-", 0.3), ("s", 0.7), ("-", 0.5)])
    chunks = [_chunk("c001-0000", "Row the boat."), _chunk("c001-0001", "Merrily.")]
    assert abs(chapter_cues(chunks, [0.5, 2.25], track, RATE)[0].end - 2.0) < 0.01  # without ends
    cues = chapter_cues(chunks, [0.5, 2.25], track, RATE, ends=[1.45, 3.05])
    assert abs(cues[0].end - 1.4) < 0.01 and abs(cues[1].start - 2.3) < 0.01


def test_whisper_start_times_choose_the_sentence_pause_over_a_comma_pause():
    # a long sentence said fast, then a short one said slowly with a comma pause in it: the
    # character share points at the comma pause, the first word Whisper heard at the right one
    track = _track([("-", 0.5), ("s", 0.8), ("-", 0.3), ("s", 2.0), ("-", 0.3), ("s", 0.6), ("-", 0.5)])
    chunk = _chunk("c001-0000", "Row row row your boat gently down the stream merrily merrily. Throw your teacher, and go.")
    from render.master.subtitles import Word

    words = [Word(w, s, s + 0.1) for w, s in (("Row", 0.5), ("row", 0.6), ("row", 0.7), ("your", 0.8),
                                               ("boat", 0.9), ("gently", 1.0), ("down", 1.05), ("the", 1.1),
                                               ("stream", 1.15), ("merrily", 1.2), ("merrily.", 1.25),
                                               ("Throw", 1.65), ("your", 2.2), ("teacher,", 3.0), ("and", 3.95),
                                               ("go.", 4.2))]
    blind = chapter_cues([chunk], [0.5], track, RATE)
    heard = chapter_cues([chunk], [0.5], track, RATE, words=words)
    assert abs(blind[1].start - 3.9) < 0.01  # by characters alone: the comma pause
    assert abs(heard[0].end - 1.3) < 0.01 and abs(heard[1].start - 1.6) < 0.01
    assert abs(heard[1].end - 4.5) < 0.01


def test_vtt_has_speaker_voices_and_escapes_text():
    cues = [Cue(0.5, 1.25, "Fish & <chips>", "narrator", "c001-0000"),
            Cue(3661.0, 3662.5, "Is the lamp lit?", "Mara", "c001-0001", flagged=True)]
    text = vtt_text(cues, "One")
    assert text.startswith("WEBVTT - One\n\n")
    assert "00:00:00.500 --> 00:00:01.250\n<v Narrator>Fish &amp; &lt;chips&gt;\n" in text
    assert "01:01:01.000 --> 01:01:02.500\n<v Mara>Is the lamp lit?\n" in text


def test_sentence_ids_keep_the_markup_and_the_text():
    src = ('<html xmlns="http://www.w3.org/1999/xhtml"><body><nav><p>Skip me. Me too.</p></nav>'
           '<p>He said <em>no. Never.</em> Then he left. <a href="#n">Note</a> \u201cGo,\u201d she said.</p>'
           '<div><p id="ra1s1">Dr. Who came.</p></div></body></html>')
    root = etree.fromstring(src)
    before = "".join(root.itertext())
    sentences = add_sentence_ids(root, "ra1s")
    assert "".join(root.itertext()) == before
    assert [s.text for s in sentences] == ["He said no. Never.", "Then he left.", "Note \u201cGo,\u201d she said.",
                                          "Dr. Who came."]
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)) == 5  # the existing id is kept and never reused
    em = root.xpath("//*[local-name()='em']")[0]
    assert em.getparent().get("id") == sentences[0].id and em.text == "no. Never."


def test_source_sentences_get_clips_however_the_cues_were_cut():
    cues = [Cue(1.0, 1.5, "Hello,", "Tom", "c001-0001"), Cue(1.8, 2.4, "said he.", "narrator", "c001-0002"),
            Cue(3.0, 4.0, "Go away now.", "Tom", "c001-0003")]
    ch = ChapterCues(1, "One", "chapters/001.wav", 5.0, [], cues)
    clips = sentence_clips(["\u201cHello,\u201d said he.", "\u201cGo away now.\u201d", "Not in the audio."], [ch])
    assert (clips[0].begin, clips[0].end) == (1.0, 2.4)
    assert (clips[1].begin, clips[1].end) == (3.0, 4.0)
    assert clips[2] is None


def test_listen_page_keeps_text_inert_and_marks_flags():
    cue = Cue(0.5, 1.0, "</script><b>x</b>", "Mara", "c001-0000", flagged=True)
    ch = ChapterCues(1, "One & Two", "chapters/001-one.wav", 2.0, [_chunk("c001-0000", "x", "Mara", block=3)], [cue])
    page = listen_page({"title": "T <i>", "language": "en"}, [ch])
    assert "</script><b>" not in page and "T &lt;i&gt;" in page
    data = json.loads(re.search(r'id="book-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["chapters"][0]["cues"][0] == {"s": 0.5, "e": 1.0, "t": "</script><b>x</b>", "sp": "Mara",
                                               "c": "c001-0000", "b": 3, "f": True,
                                               "h": False}
    assert data == page_data({"title": "T <i>"}, [ch])
    assert "https://" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_formats_are_parsed_and_checked():
    assert parse_formats(["vtt,epub", "html", "vtt"]) == ("vtt", "epub", "html")
    assert parse_formats("m4b") == ("m4b",)
    res = CliRunner().invoke(main, ["book", "x.md", "--format", "vtt,pdf"])
    assert res.exit_code == 2 and "pdf: choose from wav, mp3, m4b, vtt, epub, html" in res.output
    helptext = CliRunner().invoke(main, ["book", "--help"]).output
    assert "--format vtt,epub" in helptext and "listen.html" in helptext


# ---------------------------------------------------------------- slow: real Kokoro, Whisper, tools

STORY = """# The Ferry

## One

Mara stepped onto the deck. The wind was cold.

"Is the lamp lit?" asked Mara.

"It is," said Tom. "Go below and rest."
"""


def _render(*args):
    """A render command in this process (the models it needs are loaded once for the whole run)."""
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, result.output[-2000:] + repr(result.exception)
    return result


@pytest.fixture(scope="module")
def ferry(tmp_path_factory):
    base = tmp_path_factory.mktemp("ferry")
    (base / "ferry.md").write_text(STORY, encoding="utf-8")
    _render("book", base / "ferry.md", "-o", base / "out", "--cache", base / "cache", "--no-validate",
            "--quiet", "--format", "vtt,html,epub")
    return base


@pytest.fixture(scope="module")
def boat(tmp_path_factory):
    from tests.conftest import shared

    source = shared("epub", "pirmd_epub", "Row-Your-Boat-3.0.epub")
    base = tmp_path_factory.mktemp("boat")
    _render("book", source, "-o", base / "out", "--cache", base / "cache", "--no-validate", "--quiet",
            "--format", "vtt", "--format", "epub")
    return base


def _cues(out: Path) -> list[tuple[dict, list[dict], np.ndarray, int]]:
    """Per chapter: its chapters.json entry, its cues parsed back from the VTT, its audio."""
    import soundfile as sf

    result = []
    for ch in json.loads((out / "chapters.json").read_text()):
        vtt = (out / ch["file"]).with_suffix(".vtt").read_text(encoding="utf-8")
        cues = []
        for m in re.finditer(r"(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})\n<v ([^>]+)>(.*)", vtt):
            h1, m1, s1, h2, m2, s2, voice, text = m.groups()
            cues.append({"start": int(h1) * 3600 + int(m1) * 60 + float(s1),
                         "end": int(h2) * 3600 + int(m2) * 60 + float(s2), "voice": voice, "text": text})
        audio, rate = sf.read(str(out / ch["file"]), dtype="float32")
        result.append((ch, cues, audio, rate))
    return result


def _transitions(audio: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Speech onsets and offsets in a track (seconds), by this test's own level detector over the
    whole track: 5 ms frames, silence 40 dB under the track's loud level (or under -65 dBFS),
    silences shorter than 40 ms ignored (stops inside words)."""
    hop = int(rate * 0.005)
    frames = audio[: len(audio) // hop * hop].reshape(-1, hop).astype(np.float64)
    db = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-12)
    speech = db > max(np.percentile(db, 95) - 40, -65)
    speech[:] = _fill_short(speech, 8)
    edges = np.flatnonzero(np.diff(speech.astype(int)))
    onsets = [(i + 1) * 0.005 for i in edges if speech[i + 1]]
    offsets = [(i + 1) * 0.005 for i in edges if not speech[i + 1]]
    return np.array(onsets), np.array(offsets)


def _fill_short(speech: np.ndarray, frames: int) -> np.ndarray:
    """Silences shorter than frames count as speech (stops inside words)."""
    out, i = speech.copy(), 0
    while i < len(out):
        if out[i]:
            i += 1
            continue
        j = i
        while j < len(out) and not out[j]:
            j += 1
        if 0 < i and j < len(out) and j - i < frames:
            out[i:j] = True
        i = j
    return out


@pytest.mark.slow
@pytest.mark.parametrize("book", ["ferry", "boat"])
def test_cue_times_within_50_ms_of_the_stitched_audio(book, request):
    out = request.getfixturevalue(book) / "out"
    worst = 0.0
    for ch, cues, audio, rate in _cues(out):
        onsets, offsets = _transitions(audio, rate)
        assert len(cues) >= len(ch["chunk_starts"]) >= 4
        for cue in cues:
            start_err = np.min(np.abs(onsets - cue["start"]))
            end_err = np.min(np.abs(offsets - cue["end"]))
            worst = max(worst, start_err, end_err)
            assert start_err <= 0.05 and end_err <= 0.05, (cue, start_err, end_err)
        for a, b in zip(cues, cues[1:]):
            assert a["end"] <= b["start"]
    print(f"{book}: worst cue boundary {worst * 1000:.0f} ms from a speech onset/offset")


@pytest.mark.slow
@pytest.mark.parametrize("book", ["ferry", "boat"])
def test_each_cue_holds_the_words_whisper_heard_there(book, request):
    """Whisper's words, each given to the cue nearest to it, are that cue's words: the cues cut
    the speech where its sentences change (Whisper's own times are ±0.5 s, so no finer check)."""
    from render.synth.validate import Transcriber, match_ratio

    out = request.getfixturevalue(book) / "out"
    for ch, cues, _, _ in _cues(out):
        words = Transcriber().words(out / ch["file"])  # the test's own transcript, not the cached one
        heard = [[] for _ in cues]
        for w, s, e in words:
            mid = (s + e) / 2
            nearest = min(range(len(cues)), key=lambda k: max(cues[k]["start"] - mid, mid - cues[k]["end"], 0))
            heard[nearest].append(w)
        ratios = [match_ratio(c["text"], " ".join(h)) for c, h in zip(cues, heard)]
        assert min(ratios) >= 0.6 and sum(ratios) / len(ratios) >= 0.9, list(zip(cues, heard, ratios))


@pytest.mark.slow
def test_cue_voices_name_the_speakers(ferry):
    vtt = next((ferry / "out" / "chapters").glob("*.vtt")).read_text(encoding="utf-8")
    assert "<v Mara>Is the lamp lit?" in vtt
    assert "<v Tom>It is," in vtt and "<v Tom>Go below and rest." in vtt
    assert "<v Narrator>asked Mara." in vtt


def _epubcheck(path: Path) -> subprocess.CompletedProcess:
    import shutil

    jar = Path("/usr/share/java/epubcheck.jar")
    if not jar.exists() or shutil.which("java") is None:
        pytest.skip("epubcheck is not installed (make sysdeps installs Debian's epubcheck and Java)")
    proc = subprocess.run(["java", "-jar", str(jar), str(path)], capture_output=True, text=True, timeout=600)
    print(proc.stdout + proc.stderr)
    return proc


@pytest.mark.slow
@pytest.mark.parametrize("book", ["ferry", "boat"])
def test_epubcheck_reports_no_errors(book, request):
    proc = _epubcheck(request.getfixturevalue(book) / "out" / "readalong.epub")
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    assert "0 fatals / 0 errors" in text or "No errors or warnings detected" in text, text
    assert "ERROR(" not in text and "FATAL(" not in text


@pytest.mark.slow
def test_epub_source_keeps_its_xhtml_and_every_par_points_at_a_sentence(boat):
    import zipfile

    with zipfile.ZipFile(boat / "out" / "readalong.epub") as z:
        doc = z.read("content.xhtml").decode()
        smil = etree.fromstring(z.read("readalong/smil/doc001.smil"))
        assert z.namelist()[0] == "mimetype"
    root = etree.fromstring(doc.encode())
    assert doc.count("<br/>") == 12 and "Copyright (c) FYIcenter.com" in doc
    ids = set(root.xpath("//@id"))
    pars = smil.xpath("//*[local-name()='par']")
    assert len(pars) == 7
    for par in pars:
        src = par.xpath("*[local-name()='text']/@src")[0]
        assert src.startswith("../../content.xhtml#") and src.split("#")[1] in ids
        audio = par.xpath("*[local-name()='audio']")[0]
        assert audio.get("src") == "../audio/001.mp3"
    span = root.xpath("//*[@id='ra1s3']")[0]
    assert " ".join("".join(span.itertext()).split()) == "Merrily, merrily, merrily, merrily, Life is but a dream."


@pytest.mark.slow
def test_redo_refreshes_the_read_along_files(ferry):
    out = ferry / "out"
    vtt = next((out / "chapters").glob("*.vtt"))
    vtt.unlink()
    (out / "listen.html").unlink()
    _render("redo", out, "--chunk", "c001-0003", "--cache", ferry / "cache", "--no-validate", "--quiet")
    assert "<v Narrator>asked Mara." in vtt.read_text(encoding="utf-8")
    assert (out / "listen.html").exists() and (out / "readalong.epub").exists()


@pytest.mark.slow
def test_listen_page_in_headless_chromium(ferry):
    from tests.chromium import Chromium, ChromiumUnavailable

    out = ferry / "out"
    try:
        browser = Chromium()
    except ChromiumUnavailable as exc:
        pytest.skip(f"headless Chromium cannot run here: {exc}")
    artifacts = ROOT / "out" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    try:
        browser.open((out / "listen.html").as_uri())
        _, cues, _, _ = _cues(out)[0]
        target = next(c for c in cues if c["text"] == "Go below and rest.")
        probe = (target["start"] + target["end"]) / 2
        state = browser.evaluate(f"""new Promise(done => {{
            const p = document.getElementById("player");
            p.addEventListener("seeked", () => {{
                const a = document.querySelectorAll(".s.active");
                done({{time: p.currentTime, count: a.length, text: a[0] && a[0].textContent,
                       speaker: a[0] && a[0].dataset.speaker, colour: a[0] && getComputedStyle(a[0]).color,
                       background: a[0] && getComputedStyle(a[0]).backgroundColor,
                       narrator: getComputedStyle(document.querySelector(".s[data-speaker=narrator]")).color,
                       error: p.error && p.error.code, duration: p.duration}});
            }}, {{once: true}});
            p.currentTime = {probe};
        }})""")
        browser.screenshot(artifacts / "listen-highlight.png")
        assert state["error"] is None and state["duration"] > 5  # the WAV loaded from the file
        assert abs(state["time"] - probe) < 0.01
        assert state["count"] == 1 and state["text"] == "Go below and rest." and state["speaker"] == "Tom"
        assert state["colour"] != state["narrator"] and state["background"] == "rgb(255, 241, 168)"
        # a click on another sentence jumps the audio to its cue (and plays: the position is read when
        # the seek starts, since playback may already have moved it on by the time the seek completes)
        first = next(c for c in cues if c["text"] == "Is the lamp lit?")
        jumped = browser.evaluate("""new Promise(done => {
            const p = document.getElementById("player");
            let target = null;
            p.addEventListener("seeking", () => { target = p.currentTime; }, {once: true});
            p.addEventListener("seeked", () => done([target,
                document.querySelector(".s.active").textContent]), {once: true});
            [...document.querySelectorAll(".s")].find(s => s.textContent === "Is the lamp lit?").click();
        })""")
        assert abs(jumped[0] - first["start"]) < 0.01 and jumped[1] == "Is the lamp lit?"
    finally:
        browser.close()
    print(f"screenshot: {artifacts / 'listen-highlight.png'}")


@pytest.mark.slow
def test_listen_page_marks_flagged_chunks_in_chromium(ferry, tmp_path):
    from tests.chromium import Chromium, ChromiumUnavailable
    from render.master.listen import write_listen_page
    from render.master.readalong import book_cues
    from render.plan.manifest import read_manifest
    from render.synth.cache import Cache

    out = ferry / "out"
    chapters = book_cues(out, Cache(ferry / "cache"), json.loads((out / "chapters.json").read_text()),
                         read_manifest(out / "manifest.jsonl"))
    ch = chapters[0]
    already = {c.text for c in ch.cues if c.flagged}  # what the real validation flagged, if anything
    i = next(n for n in range(3, len(ch.cues)) if not ch.cues[n].flagged)
    ch.cues[i] = dataclasses.replace(ch.cues[i], flagged=True)  # as a failed validation would leave it
    page = write_listen_page(out / "listen-flagged.html", {"title": "Ferry"}, chapters)
    try:
        browser = Chromium()
    except ChromiumUnavailable as exc:
        pytest.skip(f"headless Chromium cannot run here: {exc}")
    try:
        browser.open(page.as_uri())
        marks = browser.evaluate("""[...document.querySelectorAll(".s.flagged")].map(s =>
            [s.textContent, getComputedStyle(s, "::after").content, s.title])""")
    finally:
        browser.close()
    assert sorted(m[0] for m in marks) == sorted(already | {ch.cues[i].text})
    assert all(m[1] == '"\u2691"' for m in marks)
    assert ch.cues[i].chunk in next(m[2] for m in marks if m[0] == ch.cues[i].text)


@pytest.mark.slow
def test_an_illustrated_epub3_keeps_valid_markup_with_overlays(tmp_path):
    """The packaging on a real multi-document EPUB 3 (Alice, with images, CSS, cover and nav):
    every sentence of chapters 1-3 gets an id and a clip; epubcheck stays clean. Cues are laid out
    by sentence length on silent chapter audio here: the timing is tested above, not here."""
    import soundfile as sf

    from render.master.overlays import write_overlay_epub
    from render.pipeline import load_source
    from render.plan.chunker import split_sentences
    from tests.conftest import shared

    source = shared("epub", "epubjs", "alice_epub3.epub")
    book = load_source(source)
    chapters = []
    for ch in book.chapters[:3]:
        t, cues = 0.5, []
        for text in [ch.title] + [b.text for b in ch.blocks]:  # the title is read first, as planned
            for s in split_sentences(text):
                cues.append(Cue(round(t, 3), round(t + len(s) / 60, 3), s, "narrator", f"c{ch.index:03d}-0000"))
                t += len(s) / 60 + 0.1  # short clips keep the MP3s small: timing is not tested here
        wav = tmp_path / "chapters" / f"{ch.index:03d}.wav"
        wav.parent.mkdir(exist_ok=True)
        sf.write(wav, np.zeros(int((t + 1) * 8000), np.float32), 8000)
        chapters.append(ChapterCues(ch.index, ch.title, f"chapters/{ch.index:03d}.wav", t + 1, [], cues))
    meta = {"title": book.title, "source": str(source), "language": book.language}
    epub = write_overlay_epub(tmp_path / "readalong.epub", tmp_path, meta, chapters)
    import zipfile

    with zipfile.ZipFile(epub) as z:
        smils = sorted(n for n in z.namelist() if n.endswith(".smil"))
        pars = sum(z.read(n).count(b"<par ") for n in smils)
        spans = sum(z.read(f"OPS/chapter_00{k}.xhtml").count(b'<span id="ra') for k in (1, 2, 3))
        assert "OPS/images/cover_th.jpg" in z.namelist() and "OPS/css/stylesheet.css" in z.namelist()
    # unread text (an illustration's caption) gets an id but no clip
    assert len(smils) == 3 and spans - 3 <= pars <= spans
    proc = _epubcheck(epub)
    assert proc.returncode == 0 and "ERROR(" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_cast_settings_ask_for_read_along_formats(tmp_path):
    from render.pipeline import BookOptions, plan_book

    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    (tmp_path / "cast.yaml").write_text("settings: {formats: [vtt, epub]}\n", encoding="utf-8")
    plan = plan_book(tmp_path / "story.md", BookOptions(cast=tmp_path / "cast.yaml", out=tmp_path / "out",
                                                        formats=("wav", "html")))
    assert plan.formats == ("wav", "html", "vtt", "epub")
    assert json.loads((tmp_path / "out" / "book.json").read_text())["formats"] == ["wav", "html", "vtt", "epub"]


def test_a_misheard_first_word_falls_back_to_the_end_of_the_sentence_before():
    track = _track([("-", 0.5), ("s", 0.8), ("-", 0.3), ("s", 2.0), ("-", 0.3), ("s", 0.6), ("-", 0.5)])
    chunk = _chunk("c001-0000", "Row row row your boat gently down the stream merrily merrily. Throw your teacher, and go.")
    from render.master.subtitles import Word

    # "Throw" heard as "Crow": the second sentence starts after "merrily." ends (1.3 s)
    first = "Row row row your boat gently down the stream merrily merrily.".split()
    words = [Word(w, 0.5 + 0.07 * n, 0.57 + 0.07 * n) for n, w in enumerate(first)] + [
        Word("Crow", 1.65, 1.8), Word("your", 2.2, 2.3), Word("teacher,", 2.5, 3.0), Word("go.", 4.2, 4.3)]
    cues = chapter_cues([chunk], [0.5], track, RATE, words=words)
    assert abs(cues[0].end - 1.3) < 0.01 and abs(cues[1].start - 1.6) < 0.01
