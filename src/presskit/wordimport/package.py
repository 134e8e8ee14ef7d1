"""Opening an edited Word file: provenance, comments and tracked changes.

A file is accepted only when it carries the ``presskit`` custom property the Word
renderer writes (see :func:`presskit.render.docx.mark_provenance`): it names the
language the file was built in. Tracked changes are counted (and refused unless the
caller accepts them, which this module does the way Word's "Accept all" would);
comments are listed with the passage they refer to, never imported.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from presskit.render.docx import KIND_PROPERTY, PROVENANCE_PROPERTY, SOURCE_PROPERTY
from presskit.util.errors import PresskitError

MAX_DOCX_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 200_000_000  # a few kilobytes can unpack to gigabytes
MAX_XML_PART_BYTES = 8_000_000
"""An XML part larger than this is refused before it is parsed: python-docx holds some
fifty bytes of memory per byte of XML, and a press kit's main part is well under a
megabyte (fifty ecosystem profiles: about 600 KB)."""
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_COMMENTS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


class ImportRefused(PresskitError):
    """The Word file cannot be imported; the content file was left untouched."""


@dataclass(frozen=True)
class Comment:
    """A Word comment: who wrote it, what it says, the passage it is anchored to."""

    author: str
    text: str
    passage: str


@dataclass(frozen=True)
class PendingChanges:
    """Tracked changes not yet accepted or rejected."""

    insertions: int
    deletions: int
    formatting: int
    places: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.insertions + self.deletions + self.formatting


@dataclass
class WordFile:
    """An opened Word file presskit built: its document and the language it is in."""

    path: Path
    document: Document
    language_tag: str
    comments: list[Comment]
    changes: PendingChanges
    source: dict[str, Any] | None = None
    """What it was built from (the content's values in its language), when recorded."""
    kind: str = "release"
    """``release``, or ``kit`` for the press kit document."""


def open_word_file(path: Path) -> WordFile:
    """Open ``path``; refuse what is not a Word file presskit built, and anything that
    would cost unbounded time or memory, before python-docx parses it."""
    data = _read(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(path, archive)
            custom = _member(archive, "docProps/custom.xml")

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise ImportRefused(f"{path}: not a readable Word (.docx) file ({error})") from None
    tag = _provenance(custom)
    if tag is None:
        raise ImportRefused(
            f"{path}: this Word file was not built by presskit (it lacks the '"
            f"{PROVENANCE_PROPERTY}' document property); only files from 'presskit build' "
            "can be imported"
        )
    body = document.element.body
    found = WordFile(path, document, tag, list(comments(document)), pending_changes(body))
    found.source = recorded_source(custom)
    found.kind = _property(custom, KIND_PROPERTY) or "release"
    return found


def _property(custom: bytes | None, name: str) -> str | None:
    """A custom document property's text, or None."""
    if custom is None:
        return None
    root = etree.fromstring(custom, etree.XMLParser(resolve_entities=False, no_network=True))
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == name:
            return "".join(prop.itertext()).strip()
    return None


MAX_SOURCE_BYTES = 2_000_000  # a content file is at most 1 MB: its record, less


def recorded_source(custom: bytes | None) -> dict[str, Any] | None:
    """The record of what the file was built from (see
    :func:`presskit.render.docx.source_record`), joined from its numbered document
    properties; None when there is none, or a damaged one."""
    import base64
    import json
    import zlib

    if custom is None:
        return None
    root = etree.fromstring(custom, etree.XMLParser(resolve_entities=False, no_network=True))
    parts = sorted(
        (prop.get("name") or "", "".join(prop.itertext()).strip())
        for prop in root.iter(f"{{{_CUSTOM_NS}}}property")
        if (prop.get("name") or "").startswith(f"{SOURCE_PROPERTY}-")
    )
    if not parts:
        return None
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(base64.b64decode("".join(v for _, v in parts)), MAX_SOURCE_BYTES)
        if inflater.unconsumed_tail:
            return None
        source = json.loads(data)
    except (ValueError, zlib.error):
        return None
    return source if isinstance(source, dict) else None


def _read(path: Path) -> bytes:
    """The file's bytes: a regular file only (a FIFO or ``/dev/zero`` would never end),
    opened without blocking, at most :data:`MAX_DOCX_BYTES` read."""
    from presskit.content.loader import read_input
    from presskit.util.errors import ContentError

    try:
        return read_input(path, MAX_DOCX_BYTES)
    except ContentError as error:
        reason = error.problems[0].message if error.problems else "cannot read the file"
        raise ImportRefused(f"{path}: {reason}; nothing was written") from None


_XML_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")


def _check_members(path: Path, archive: zipfile.ZipFile) -> None:
    """Every member is bounded, and every one that is XML, whatever its name or its
    encoding (a main part renamed ``.bin``, UTF-16), is refused if it declares a
    DOCTYPE (entities: what it says may differ from what python-docx reads)."""
    members = archive.infolist()
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            f"{path}: unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB; refusing the file"
        )
    for info in members:
        with archive.open(info) as member:
            head = member.read(4)
        if not head.startswith(_XML_START):
            continue  # a picture, a font: not parsed as XML
        if info.file_size > MAX_XML_PART_BYTES:
            raise ImportRefused(
                f"{path}: its part {info.filename} is {info.file_size // 1_000_000} MB of XML "
                f"(a Word file of a press release holds well under "
                f"{MAX_XML_PART_BYTES // 1_000_000} MB); refusing the file"
            )
        if _declares_doctype(archive.read(info)):
            raise ImportRefused(f"{path}: {info.filename} declares a DOCTYPE; refusing the file")


def _declares_doctype(data: bytes) -> bool:
    """Whether XML ``data`` (any encoding lxml detects) has a DOCTYPE; the parser
    reads it without loading a DTD, resolving an entity or touching the network."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError:
        return b"<!DOCTYPE" in data.upper() or b"<\x00!\x00D\x00O\x00C" in data.upper()
    return bool(tree.docinfo.doctype) or tree.docinfo.internalDTD is not None


def _member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    return archive.read(name) if name in archive.namelist() else None


def _provenance(custom: bytes | None) -> str | None:
    """The language tag in the ``presskit`` property ("VERSION TAG"), or None."""
    if custom is None:
        return None
    root = etree.fromstring(custom, etree.XMLParser(resolve_entities=False, no_network=True))
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == PROVENANCE_PROPERTY:
            words = "".join(prop.itertext()).split()
            return words[-1] if len(words) >= 2 else None
    return None


# -- tracked changes ------------------------------------------------------------------

_INSERTS = (qn("w:ins"), qn("w:moveTo"))
_DELETES = (qn("w:del"), qn("w:moveFrom"))
_FORMATTING = tuple(
    qn(f"w:{name}")
    for name in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
                 "tcPrChange", "tblGridChange", "numberingChange")
)  # fmt: skip


def pending_changes(body: etree._Element) -> PendingChanges:
    """Count the tracked insertions, deletions and formatting changes, and say where."""
    counts = {"ins": 0, "del": 0, "fmt": 0}
    places: dict[int, str] = {}
    paragraphs = list(body.iter(qn("w:p")))
    index = {id(p): i for i, p in enumerate(paragraphs, start=1)}
    for element in body.iter(*_INSERTS, *_DELETES, *_FORMATTING):
        key = "ins" if element.tag in _INSERTS else "del" if element.tag in _DELETES else "fmt"
        counts[key] += 1
        paragraph = next((a for a in element.iterancestors(qn("w:p"))), None)
        if paragraph is not None:
            number = index[id(paragraph)]
            places.setdefault(number, _snippet(_visible_text(paragraph)))
    where = [f"paragraph {n}: “{text}”" for n, text in sorted(places.items())]
    return PendingChanges(counts["ins"], counts["del"], counts["fmt"], where)


def accept_all_changes(body: etree._Element) -> None:
    """Read the document as Word's "Accept all changes" would leave it."""
    for mark in list(body.iter(*_DELETES)):
        if mark.getparent() is not None and mark.getparent().tag == qn("w:rPr"):
            if mark.getparent().getparent() is not None and (
                mark.getparent().getparent().tag == qn("w:pPr")
            ):
                _join_with_next(mark.getparent().getparent().getparent())
            mark.getparent().remove(mark)
        elif mark.getparent() is not None:
            mark.getparent().remove(mark)
    for mark in list(body.iter(*_INSERTS)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag == qn("w:rPr"):
            parent.remove(mark)
            continue
        position = parent.index(mark)
        for child in reversed(list(mark)):
            parent.insert(position, child)
        parent.remove(mark)
    for change in list(body.iter(*_FORMATTING)):
        change.getparent().remove(change)


def _join_with_next(paragraph: etree._Element | None) -> None:
    """A deleted paragraph mark: this paragraph's text flows into the next one."""
    if paragraph is None or paragraph.tag != qn("w:p"):
        return
    following = paragraph.getnext()
    if following is None or following.tag != qn("w:p"):
        return
    content = [child for child in paragraph if child.tag != qn("w:pPr")]
    ppr = following.find(qn("w:pPr"))
    position = 0 if ppr is None else following.index(ppr) + 1
    for child in reversed(content):
        following.insert(position, child)
    paragraph.getparent().remove(paragraph)


# -- comments -------------------------------------------------------------------------


def comments(document: Document) -> Iterator[Comment]:
    """Every comment with its author, its text and the passage it marks."""
    part = next(
        (rel.target_part for rel in document.part.rels.values() if rel.reltype == _COMMENTS_RT),
        None,
    )
    if part is None:
        return
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    passages = _commented_passages(document.element.body)
    for comment in root.iter(qn("w:comment")):
        text = "\n".join(_visible_text(p) for p in comment.iter(qn("w:p"))).strip()
        yield Comment(
            author=comment.get(qn("w:author")) or "",
            text=text,
            passage=passages.get(comment.get(qn("w:id")) or "", "").strip(),
        )


def _commented_passages(body: etree._Element) -> dict[str, str]:
    """Comment id -> the text between its range start and end."""
    open_ids: list[str] = []
    passages: dict[str, str] = {}
    for element in body.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:t")):
        if element.tag == qn("w:commentRangeStart"):
            open_ids.append(element.get(qn("w:id")) or "")
        elif element.tag == qn("w:commentRangeEnd"):
            ident = element.get(qn("w:id")) or ""
            if ident in open_ids:
                open_ids.remove(ident)
        else:
            for ident in open_ids:
                passages[ident] = passages.get(ident, "") + (element.text or "")
    return passages


def _visible_text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"), qn("w:delText")))


def _snippet(text: str, size: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"
