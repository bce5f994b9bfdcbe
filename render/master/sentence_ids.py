"""Giving every sentence of an XHTML content document its own <span id>, markup otherwise kept."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..plan.chunker import sentence_spans

XHTML = "http://www.w3.org/1999/xhtml"
# Elements whose text is read as one run (a paragraph); only the innermost of them are split.
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "div", "td", "th",
           "figcaption", "caption", "pre", "section", "article", "aside", "header", "footer", "address"}
# Never read aloud, so never given sentence ids.
_SKIP = {"head", "script", "style", "nav", "svg", "math", "audio", "video", "object", "rt", "rp",
         "template", "noscript", "table-of-contents"}


@dataclass(frozen=True)
class Sentence:
    """A sentence of a content document that now has an id."""

    id: str
    text: str


def _local(el) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(t for t in node.itertext())


def _leaf_blocks(body):
    """Innermost block elements with text, in document order, outside never-read parts."""
    for el in body.iter():
        if not isinstance(el.tag, str) or _local(el) not in _BLOCKS:
            continue
        if any(_local(a) in _SKIP for a in el.iterancestors()):
            continue
        if any(_local(d) in _BLOCKS or _local(d) in _SKIP for d in el.iterdescendants() if isinstance(d.tag, str)):
            continue
        if _text(el).strip():
            yield el


def _pieces(block) -> list:
    """The block's content as a flat list of strings and child elements (tails split off)."""
    pieces = [block.text] if block.text else []
    for child in list(block):
        tail, child.tail = child.tail, None
        block.remove(child)
        pieces.append(child)
        if tail:
            pieces.append(tail)
    block.text = None
    return pieces


def _cut(pieces: list, cuts: list[int]) -> list[tuple[int, object]]:
    """Strings split at every cut offset inside them; each piece with its start offset."""
    out, pos = [], 0
    for p in pieces:
        length = len(_text(p))
        if isinstance(p, str):
            prev = 0
            for c in [c - pos for c in cuts if pos < c < pos + length] + [length]:
                if c > prev:
                    out.append((pos + prev, p[prev:c]))
                prev = c
        else:
            out.append((pos, p))
        pos += length
    return out


def _wrap(block, next_id) -> list[Sentence]:
    """Put each sentence of one block in a span with a fresh id; returns them in order."""
    pieces = _pieces(block)
    full = "".join(_text(p) for p in pieces)
    spans = sentence_spans(full)
    cut = _cut(pieces, sorted({x for span in spans for x in span}))
    span_el, last, owner_of, out = None, None, None, []
    for start, piece in cut:
        owner = next((k for k, (a, b) in enumerate(spans) if a <= start < b), None)
        if owner is None or (span_el is not None and owner == owner_of):
            target = span_el if owner is not None else None
        else:
            sid = next_id()
            span_el = etree.SubElement(block, f"{{{XHTML}}}span", id=sid)
            owner_of, last, target = owner, span_el, span_el
            out.append(Sentence(sid, ""))
        if target is None:  # between sentences: stays directly in the block
            span_el, owner_of = None, None
            if isinstance(piece, str):
                if last is None:
                    block.text = (block.text or "") + piece
                else:
                    last.tail = (last.tail or "") + piece
            else:
                block.append(piece)
                last = piece
            continue
        if isinstance(piece, str):
            if len(target):
                target[-1].tail = (target[-1].tail or "") + piece
            else:
                target.text = (target.text or "") + piece
        else:
            target.append(piece)
    return [Sentence(s.id, " ".join(_text(block.xpath(f".//*[@id='{s.id}']")[0]).split())) for s in out]


def add_sentence_ids(root, prefix: str) -> list[Sentence]:
    """Wrap every sentence under <body> in <span id="{prefix}N">; the sentences in reading order."""
    taken = {v for v in root.xpath("//@id")}
    counter = [0]

    def next_id() -> str:
        while True:
            counter[0] += 1
            sid = f"{prefix}{counter[0]}"
            if sid not in taken:
                taken.add(sid)
                return sid

    bodies = [el for el in root.iter() if isinstance(el.tag, str) and _local(el) == "body"]
    if not bodies:
        return []
    sentences: list[Sentence] = []
    for block in list(_leaf_blocks(bodies[0])):
        sentences += _wrap(block, next_id)
    return sentences
