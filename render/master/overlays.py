"""An EPUB 3 with Media Overlays: every sentence highlighted in a reader app as it is spoken.

An EPUB 3 source keeps its own XHTML: each sentence gets a <span id>, and a SMIL document per
content document pairs each span with its clip of the chapter audio (MP3, a core media type).
The clip comes from the chapter cues, matched to the source's sentences word by word, so the
two sentence cuts need not agree. Any other source (Markdown, text, Fountain, EPUB 2) gets
XHTML made from the rendered text itself, one document per chapter.
"""

from __future__ import annotations

import html
import os
import posixpath
import subprocess
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from ..errors import RenderError
from ..synth.validate import align, normalize_words
from .export import ffmpeg_exe
from .sentence_ids import Sentence, add_sentence_ids

OPF = "http://www.idpf.org/2007/opf"
ACTIVE_CLASS = "-epub-media-overlay-active"
STYLE = f".{ACTIVE_CLASS} {{ background-color: #fff1a8; }}"
AUDIO_DIR = "readalong/audio"
SMIL_DIR = "readalong/smil"


@dataclass(frozen=True)
class Clip:
    """A sentence's stretch of one chapter's audio."""

    chapter: int  # position in the list of ChapterCues
    begin: float
    end: float


def _clock(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def sentence_clips(sentences: list[str], chapters) -> list[Clip | None]:
    """For each sentence of the text (in reading order), its clip in the audio, or None when
    fewer than half of its words were heard in the rendered chapters."""
    heard, where = [], []  # every cue word, with (chapter pos, cue, word number, words in cue)
    for pos, ch in enumerate(chapters):
        for cue in ch.cues:
            words = normalize_words(cue.text)
            for n, w in enumerate(words):
                heard.append(w)
                where.append((pos, cue, n, len(words)))
    said, owner = [], []
    for k, s in enumerate(sentences):
        for w in normalize_words(s):
            said.append(w)
            owner.append(k)
    pairs, _ = align(said, heard)
    matched: dict[int, list[int]] = {}
    for k, j in zip(owner, pairs):
        if j is not None:
            matched.setdefault(k, []).append(j)
    total = {k: owner.count(k) for k in set(owner)}
    clips: list[Clip | None] = []
    last: tuple[int, float] = (-1, 0.0)
    for k in range(len(sentences)):
        js = matched.get(k, [])
        if not js or len(js) * 2 < total.get(k, 1):
            clips.append(None)
            continue
        pos, cue, n, count = where[js[0]]
        begin = cue.start + (cue.end - cue.start) * n / count
        _, cue2, n2, count2 = where[js[-1]]
        end = cue2.start + (cue2.end - cue2.start) * (n2 + 1) / count2
        if pos == last[0]:
            begin = max(begin, last[1])  # clips of one audio file never overlap
        if end - begin < 0.05:
            clips.append(None)
            continue
        clips.append(Clip(pos, round(begin, 3), round(end, 3)))
        last = (pos, end)
    return clips


def _smil(doc_href: str, pars: list[tuple[str, str, Clip]]) -> bytes:
    """A SMIL document: one <par> per sentence id, each with its text and its audio clip."""
    smil = etree.Element("{http://www.w3.org/ns/SMIL}smil", nsmap={
        None: "http://www.w3.org/ns/SMIL", "epub": "http://www.idpf.org/2007/ops"}, version="3.0")
    body = etree.SubElement(smil, "{http://www.w3.org/ns/SMIL}body")
    for n, (sid, audio_href, clip) in enumerate(pars, 1):
        par = etree.SubElement(body, "{http://www.w3.org/ns/SMIL}par", id=f"par{n}")
        etree.SubElement(par, "{http://www.w3.org/ns/SMIL}text", src=f"{doc_href}#{sid}")
        etree.SubElement(par, "{http://www.w3.org/ns/SMIL}audio", src=audio_href,
                         clipBegin=_clock(clip.begin), clipEnd=_clock(clip.end))
    return etree.tostring(smil, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _mp3(wav: Path, dest: Path) -> None:
    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav), "-ac", "1", "-c:a", "libmp3lame",
                           "-b:a", "64k", str(dest)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RenderError(f"ffmpeg failed making {dest.name} for the read-along EPUB: {proc.stderr.strip()[-300:]}")


def _rel(from_dir: str, to: str) -> str:
    return posixpath.relpath(to, from_dir or ".")


def _add_style(root) -> None:
    heads = root.xpath("//*[local-name()='head']")
    if heads:
        style = etree.SubElement(heads[0], f"{{{root.nsmap.get(None, 'http://www.w3.org/1999/xhtml')}}}style")
        style.text = STYLE


@dataclass
class _Doc:
    """A content document taking part: its path in the zip, its manifest item, its sentences."""

    path: str
    item: object  # the OPF <item> element
    root: object  # parsed XHTML
    sentences: list[Sentence]


def _package_overlays(opf_root, opf_dir: str, docs: list[_Doc], chapters, files: dict[str, bytes],
                      mp3s: dict[int, str]) -> set[int]:
    """Clips for every sentence; SMIL files and metadata added to the package; the chapters used."""
    flat = [s.text for d in docs for s in d.sentences]
    clips = iter(sentence_clips(flat, chapters))
    manifest = opf_root.find(f"{{{OPF}}}manifest")
    metadata = opf_root.find(f"{{{OPF}}}metadata")
    used: set[int] = set()
    total = 0.0
    for n, doc in enumerate(docs, 1):
        doc_clips = [(s.id, next(clips)) for s in doc.sentences]
        pars = [(sid, c) for sid, c in doc_clips if c is not None]
        if not pars:
            continue
        smil_path = posixpath.join(opf_dir, SMIL_DIR, f"doc{n:03d}.smil")
        smil_dir = posixpath.dirname(smil_path)
        doc_href = _rel(smil_dir, doc.path)
        files[smil_path] = _smil(doc_href, [(sid, _rel(smil_dir, posixpath.join(opf_dir, mp3s[c.chapter])), c)
                                            for sid, c in pars])
        used.update(c.chapter for _, c in pars)
        smil_id = f"readalong-smil-{n}"
        etree.SubElement(manifest, f"{{{OPF}}}item", id=smil_id, href=_rel(opf_dir, smil_path),
                         **{"media-type": "application/smil+xml"})
        doc.item.set("media-overlay", smil_id)
        seconds = sum(c.end - c.begin for _, c in pars)
        total += seconds
        dur = etree.SubElement(metadata, f"{{{OPF}}}meta", property="media:duration", refines=f"#{smil_id}")
        dur.text = _clock(seconds)
        _add_style(doc.root)
        files[doc.path] = etree.tostring(doc.root.getroottree(), xml_declaration=True, encoding="utf-8")
    if not used:
        raise RenderError("no sentence of the book's text was found in the rendered audio; "
                          "render the chapters first (render book … --format epub)")
    for pos in sorted(used):
        etree.SubElement(manifest, f"{{{OPF}}}item", id=f"readalong-audio-{pos + 1}", href=mp3s[pos],
                         **{"media-type": "audio/mpeg"})
    dur = etree.SubElement(metadata, f"{{{OPF}}}meta", property="media:duration")
    dur.text = _clock(total)
    active = etree.SubElement(metadata, f"{{{OPF}}}meta", property="media:active-class")
    active.text = ACTIVE_CLASS
    for meta in metadata.findall(f"{{{OPF}}}meta"):
        if meta.get("property") == "dcterms:modified":
            meta.text = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return used


def _write_zip(dest: Path, files: dict[str, bytes]) -> None:
    """mimetype first and stored, the rest deflated; temp file then rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix="." + dest.name + ".", suffix=".part")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
            for name, data in files.items():
                if name != "mimetype":
                    z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _opf_of(files: dict[str, bytes]) -> str | None:
    container = files.get("META-INF/container.xml")
    if container is None:
        return None
    paths = etree.fromstring(container).xpath("//*[local-name()='rootfile']/@full-path")
    return paths[0] if paths and paths[0] in files else None


def _safe_xml(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def _from_epub3(files: dict[str, bytes], opf_path: str, chapters, mp3s: dict[int, str]) -> set[int]:
    """The package's files given sentence ids and overlays (in place); the chapters whose audio it uses."""
    opf_root = _safe_xml(files[opf_path])
    opf_dir = posixpath.dirname(opf_path)
    items = {i.get("id"): i for i in opf_root.iter(f"{{{OPF}}}item")}
    docs = []
    for n, ref in enumerate(opf_root.iter(f"{{{OPF}}}itemref"), 1):
        item = items.get(ref.get("idref"))
        if item is None or item.get("media-type") != "application/xhtml+xml" or \
                "nav" in (item.get("properties") or "").split():
            continue
        path = posixpath.normpath(posixpath.join(opf_dir, item.get("href")))
        if path not in files:
            continue
        try:
            root = _safe_xml(files[path])
        except etree.XMLSyntaxError:
            continue  # not well-formed: left as it is, without overlays
        docs.append(_Doc(path, item, root, add_sentence_ids(root, f"ra{n}s")))
    used = _package_overlays(opf_root, opf_dir, docs, chapters, files, mp3s)
    files[opf_path] = etree.tostring(opf_root.getroottree(), xml_declaration=True, encoding="utf-8")
    return used


_XHTML_DOC = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head><meta charset="utf-8"/><title>{title}</title></head>
<body>
<section epub:type="chapter">
{body}
</section>
</body>
</html>
"""


def _generated(meta: dict, chapters) -> dict[str, bytes]:
    """A new EPUB 3 made from the rendered text: a chapter per document, a span per cue."""
    esc = html.escape
    lang = esc(meta.get("language") or "en")
    title = meta.get("title") or "Untitled"
    files: dict[str, bytes] = {"META-INF/container.xml": (
        '<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile '
        'full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n'
    ).encode()}
    items, spine, nav = [], [], []
    for pos, ch in enumerate(chapters):
        name = f"chapter-{ch.index:03d}.xhtml"
        paras, block, parts = [], None, []
        blocks = {c.id: c.block for c in ch.chunks}
        for n, cue in enumerate(ch.cues):
            if parts and blocks.get(cue.chunk) != block:
                paras.append(parts)
                parts = []
            block = blocks.get(cue.chunk)
            parts.append(f'<span id="c{ch.index}s{n + 1}">{esc(cue.text)}</span>')
        if parts:
            paras.append(parts)
        body = "\n".join(f"<p>{' '.join(p)}</p>" for p in paras)
        files[f"OEBPS/{name}"] = _XHTML_DOC.format(lang=lang, title=esc(ch.title), body=body).encode()
        items.append(f'<item id="ch{ch.index}" href="{name}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="ch{ch.index}"/>')
        nav.append(f'<li><a href="{name}">{esc(ch.title)}</a></li>')
    files["OEBPS/nav.xhtml"] = _XHTML_DOC.format(lang=lang, title="Contents", body=(
        f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{"".join(nav)}</ol></nav>')).encode()
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"render:{title}:{meta.get('source', '')}")
    author = f"<dc:creator>{esc(meta['author'])}</dc:creator>" if meta.get("author") else ""
    files["OEBPS/package.opf"] = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="{OPF}" version="3.0" unique-identifier="uid" xml:lang="{lang}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">urn:uuid:{ident}</dc:identifier><dc:title>{esc(title)}</dc:title>
<dc:language>{lang}</dc:language>{author}<meta property="dcterms:modified">2000-01-01T00:00:00Z</meta>
</metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{"".join(items)}</manifest>
<spine>{"".join(spine)}</spine>
</package>
""".encode()
    return files


def _epub3_source(meta: dict) -> tuple[dict[str, bytes], str] | None:
    """The source's files and OPF path when it is a readable EPUB 3, else None."""
    source = Path(meta.get("source") or "")
    if source.suffix.lower() != ".epub" or not source.is_file():
        return None
    try:
        with zipfile.ZipFile(source) as z:
            files = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
        opf = _opf_of(files)
        if opf is None or not _safe_xml(files[opf]).get("version", "").startswith("3"):
            return None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError):
        return None
    return files, opf


def write_overlay_epub(dest: Path, out: Path, meta: dict, chapters) -> Path:
    """Write OUT/readalong.epub: the text with media overlays and the chapters' audio as MP3."""
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        mp3s, audio = {}, {}
        for pos, ch in enumerate(chapters):
            mp3 = Path(tmp) / f"{ch.index:03d}.mp3"
            _mp3(out / ch.file, mp3)
            audio[pos] = mp3.read_bytes()
            mp3s[pos] = f"{AUDIO_DIR}/{ch.index:03d}.mp3"
        files, opf = _epub3_source(meta) or (_generated(meta, chapters), "OEBPS/package.opf")
        for pos in _from_epub3(files, opf, chapters, mp3s):
            files[posixpath.join(posixpath.dirname(opf), mp3s[pos])] = audio[pos]
        _write_zip(dest, files)
    return dest
