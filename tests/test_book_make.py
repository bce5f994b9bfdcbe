"""A tiny EPUB rendered for real through its generated Makefile: chapters on two cores, the M4B
opened with ffprobe (chapters, cover, tags), tagged chapter MP3s, the same audio as `render book`,
only an edited chapter re-rendered, and `render redo` re-exporting (slow: real Kokoro)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from render.cli import main
from render.master.export import ffmpeg_exe
from render.plan.makefile import MakefileSpec, makefile_text

CHAPTERS = [
    ("The First Door", ['Ann opened the door. "Is anyone here?" she asked.', '"Only me," said Ben.']),
    ("The Second Door", ["The second door was locked, so Ann knocked twice and then waited."]),
]


def _xhtml(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p.replace('&', '&amp;')}</p>" for p in paragraphs)
    return ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>")


def make_epub(path: Path, chapters, cover: Path) -> Path:
    """A minimal EPUB 3 with a nav, a cover image, a date and a description."""
    items = "".join(f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
                    for i in range(len(chapters)))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    nav = "".join(f'<li><a href="c{i}.xhtml">{t}</a></li>' for i, (t, _) in enumerate(chapters))
    opf = ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">tiny-1</dc:identifier>'
           "<dc:title>Two Doors</dc:title><dc:creator>Ada Writer</dc:creator><dc:language>en</dc:language>"
           "<dc:date>1903-05-01</dc:date><dc:description>&lt;p&gt;Two &lt;b&gt;short&lt;/b&gt; doors.&lt;/p&gt;"
           "</dc:description></metadata><manifest>"
           '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
           '<item id="cover" href="images/front.jpg" media-type="image/jpeg" properties="cover-image"/>'
           f"{items}</manifest><spine>{spine}</spine></package>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile '
                   'full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
        z.writestr("OEBPS/content.opf", opf)
        z.writestr("OEBPS/nav.xhtml", '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" '
                   'xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol>'
                   f"{nav}</ol></nav></body></html>")
        z.write(cover, "OEBPS/images/front.jpg")
        for i, (title, paragraphs) in enumerate(chapters):
            z.writestr(f"OEBPS/c{i}.xhtml", _xhtml(title, paragraphs))
    return path


def run(*args, cwd=None):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=1800)


def ffprobe(path: Path) -> dict:
    proc = run("ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_makefile_targets_aliases_and_dependencies(tmp_path):
    spec = MakefileSpec(out=tmp_path / "out", source=tmp_path / "my book.md", cast=tmp_path / "cast.yaml",
                        cache=tmp_path / "cache", chapters=[(1, "All"), (2, "The Storm Lamp"), (3, "The Storm Lamp")],
                        synth_args=["--no-validate"], export_args=["--format", "m4b"], fixes=tmp_path / "fixes.yaml")
    text = makefile_text(spec)
    assert "all: chapter-01 chapter-02 chapter-03" in text
    assert "chapter-02: chapters/002-the-storm-lamp.wav" in text
    assert "chapters/002-the-storm-lamp.wav: plan/002.stamp" in text
    assert "the-storm-lamp: chapter-02\n" in text and "the-storm-lamp: chapter-03" not in text  # first one wins
    assert "\nall: chapter-01" in text and "all: chapter-01\n" not in text.replace("all: chapter-01 ", "")
    assert f"Makefile: {tmp_path}/my\\ book.md {tmp_path}/cast.yaml $(wildcard {tmp_path}/fixes.yaml)" in text
    assert "book: all" in text and "check: book" in text and "clean:" in text
    assert "$(RENDER) chapter $(OUT) 3 $(SYNTH)" in text and "SYNTH := --cache" in text


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    if not shutil.which("ffprobe"):
        pytest.skip("ffprobe not installed (`make sysdeps` installs Debian's ffmpeg, which has it)")
    if not shutil.which("make"):
        pytest.skip("GNU make not installed")
    base = tmp_path_factory.mktemp("book")
    cover = base / "cover.jpg"
    proc = run(ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=64x64", "-frames:v", "1", cover)
    assert proc.returncode == 0, proc.stderr
    epub = make_epub(base / "two-doors.epub", CHAPTERS, cover)
    out, cache = base / "out", base / "cache"
    planned = CliRunner().invoke(main, [str(a) for a in ("makefile", epub, "-o", out, "--cache", cache,
                                                         "--no-validate", "--format", "m4b", "--format", "mp3")])
    assert planned.exit_code == 0, planned.output
    proc = run("make", "-j2", "-C", out, "all", "book", "check")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {"base": base, "epub": epub, "out": out, "cache": cache, "make": proc, "cover": cover}


@pytest.mark.slow
def test_make_renders_every_chapter_and_checks_them(made):
    out = made["out"]
    chapters = json.loads((out / "chapters.json").read_text())
    assert [c["title"] for c in chapters] == ["The First Door", "The Second Door"]
    assert "4/4 chapter files pass ACX" in made["make"].stdout  # two WAVs, two MP3s
    assert made["make"].stdout.count(" mp3 ") == 2
    for c in chapters:
        assert len(c["chunk_starts"]) == len(c["chunk_ends"]) == len(c["chunk_ids"]) == c["chunks"]
        assert c["chunk_starts"][0] == pytest.approx(0.75, abs=0.011)  # the head room tone, then the spoken title
        assert all(a < b for a, b in zip(c["chunk_ends"], c["chunk_starts"][1:]))


@pytest.mark.slow
def test_m4b_has_chapters_cover_and_tags(made):
    info = ffprobe(made["out"] / "book.m4b")
    chapters = json.loads((made["out"] / "chapters.json").read_text())
    assert [c["tags"]["title"] for c in info["chapters"]] == ["The First Door", "The Second Door"]
    assert float(info["chapters"][0]["start_time"]) == 0
    assert float(info["chapters"][1]["start_time"]) == pytest.approx(chapters[0]["seconds"], abs=0.05)
    tags = info["format"]["tags"]
    assert tags["title"] == "Two Doors" and tags["artist"] == "Ada Writer" and tags["date"] == "1903"
    assert tags["description"] == "Two short doors." and tags["genre"] == "Audiobook"
    assert "(kokoro)" in tags["composer"] and "Narrated by" in tags["comment"]
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert audio[0]["codec_name"] == "aac" and audio[0]["tags"]["language"] == "eng"
    covers = [s for s in info["streams"] if s["codec_type"] == "video"]
    assert covers and covers[0]["disposition"]["attached_pic"] == 1
    assert (made["out"] / "cover.jpg").read_bytes() == made["cover"].read_bytes()


@pytest.mark.slow
def test_one_tagged_192k_mp3_per_chapter(made):
    files = sorted((made["out"] / "mp3").glob("*.mp3"))
    assert [f.name for f in files] == ["001-the-first-door.mp3", "002-the-second-door.mp3"]
    for n, f in enumerate(files, 1):
        info = ffprobe(f)
        audio = [s for s in info["streams"] if s["codec_type"] == "audio"][0]
        assert audio["codec_name"] == "mp3" and audio["sample_rate"] == "44100" and audio["bit_rate"] == "192000"
        tags = info["format"]["tags"]
        assert tags["track"] == f"{n}/2" and tags["album"] == "Two Doors" and tags["artist"] == "Ada Writer"
        assert any(s["codec_type"] == "video" for s in info["streams"])  # the cover


@pytest.mark.slow
def test_render_book_gives_the_same_chapters_byte_for_byte(made):
    other = made["base"] / "other"
    # in this process: the chapters make rendered (each a process of its own) are compared with it
    proc = CliRunner().invoke(main, [str(a) for a in ("book", made["epub"], "-o", other, "--cache", made["cache"],
                                                      "--no-validate", "--format", "m4b", "-q")])
    assert proc.exit_code == 0, proc.output
    assert "0 synthesized" in proc.stdout
    mine = json.loads((made["out"] / "chapters.json").read_text())
    theirs = json.loads((other / "chapters.json").read_text())
    assert mine == theirs
    for c in mine:
        assert (made["out"] / c["file"]).read_bytes() == (other / c["file"]).read_bytes()
    a, b = ffprobe(made["out"] / "book.m4b"), ffprobe(other / "book.m4b")
    assert a["chapters"] == b["chapters"]
    drop = {"encoder"}
    assert {k: v for k, v in a["format"]["tags"].items() if k not in drop} == \
        {k: v for k, v in b["format"]["tags"].items() if k not in drop}


@pytest.mark.slow
def test_an_edit_re_renders_only_its_chapter_and_redo_re_exports(made):
    out = made["out"]
    edited = [CHAPTERS[0], ("The Second Door", ["The second door was locked, so Ann knocked once and then waited."])]
    make_epub(made["epub"], edited, made["cover"])
    proc = run("make", "-C", out, "all")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"chapter {out} 2" in proc.stdout and f"chapter {out} 1" not in proc.stdout
    (out / "book.m4b").unlink()
    shutil.rmtree(out / "mp3")
    redo = CliRunner().invoke(main, ["redo", str(out), "--chunk", "c002-0001", "--cache", str(made["cache"]),
                                     "--no-validate", "-q"])  # in this process: Kokoro is loaded once
    assert redo.exit_code == 0, redo.output
    assert (out / "book.m4b").exists() and len(list((out / "mp3").glob("*.mp3"))) == 2
