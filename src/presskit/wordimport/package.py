"""Opening an edited Word file: provenance, comments and tracked changes.

A file is accepted only when it carries the ``presskit`` custom property the Word
renderer writes (see :func:`presskit.render.docx.mark_provenance`): it names the
language the file was built in. Tracked changes are counted (and refused unless the
caller accepts them, which this module does the way Word's "Accept all" would);
comments are listed with the passage they refer to, never imported.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
import zlib
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
    document, custom = _parsed(path, _read(path))
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


def _parsed(path: Path, data: bytes) -> tuple[Document, bytes | None]:
    """The document, parsed once its members are checked, and its custom properties."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(path, archive)
            custom = _member(archive, "docProps/custom.xml")
        return docx.Document(io.BytesIO(data)), custom
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise ImportRefused(f"{path}: not a readable Word (.docx) file ({error})") from None


def _property(custom: bytes | None, name: str) -> str | None:
    """A custom document property's text, or None."""
    return next((text for found, text in _properties(custom) if found == name), None)


def _properties(custom: bytes | None) -> list[tuple[str, str]]:
    """The custom document properties, in order: (name, text)."""
    found = _xml(custom).iter(f"{{{_CUSTOM_NS}}}property") if custom is not None else []
    return [(prop.get("name") or "", "".join(prop.itertext()).strip()) for prop in found]


def _xml(data: bytes) -> etree._Element:
    """``data`` parsed without resolving entities or touching the network."""
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


MAX_SOURCE_BYTES = 2_000_000  # a content file is at most 1 MB: its record, less


def recorded_source(custom: bytes | None) -> dict[str, Any] | None:
    """The record of what the file was built from (see
    :func:`presskit.render.docx.source_record`), joined from its numbered document
    properties; None when there is none, or a damaged one."""
    source = _decoded("".join(text for _, text in _source_parts(custom)))
    return source if isinstance(source, dict) else None


def _decoded(encoded: str) -> Any:
    """The JSON value in ``encoded`` (base64 of zlib); None when damaged or too large."""
    try:
        data = _inflated(encoded)
        return None if data is None else json.loads(data)
    except (ValueError, zlib.error):
        return None


def _inflated(encoded: str) -> bytes | None:
    """The bytes base64- and zlib-encoded in ``encoded``; None past MAX_SOURCE_BYTES."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(base64.b64decode(encoded), MAX_SOURCE_BYTES)
    return None if inflater.unconsumed_tail else data


def _source_parts(custom: bytes | None) -> list[tuple[str, str]]:
    """The numbered source properties, in order: (name, text)."""
    prefix = f"{SOURCE_PROPERTY}-"
    return sorted((name, text) for name, text in _properties(custom) if name.startswith(prefix))


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
    words = (_property(custom, PROVENANCE_PROPERTY) or "").split()
    return words[-1] if len(words) >= 2 else None


# -- tracked changes ------------------------------------------------------------------

_INSERTS = (qn("w:ins"), qn("w:moveTo"))
_DELETES = (qn("w:del"), qn("w:moveFrom"))
_FORMATTING = tuple(
    qn(f"w:{name}")
    for name in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
                 "tcPrChange", "tblGridChange", "numberingChange")
)  # fmt: skip
_TRACKED = (_INSERTS, _DELETES, _FORMATTING)


def pending_changes(body: etree._Element) -> PendingChanges:
    """Count the tracked insertions, deletions and formatting changes, and say where."""
    marks = list(body.iter(*_INSERTS, *_DELETES, *_FORMATTING))
    insertions, deletions, formatting = (sum(m.tag in tags for m in marks) for tags in _TRACKED)
    return PendingChanges(insertions, deletions, formatting, _places(body, marks))


def _places(body: etree._Element, marks: list[etree._Element]) -> list[str]:
    """The paragraphs ``marks`` are in, in order: each numbered, with its text in short."""
    numbers = {paragraph: n for n, paragraph in enumerate(body.iter(qn("w:p")), start=1)}
    found = (next(mark.iterancestors(qn("w:p")), None) for mark in marks)
    marked = {numbers[paragraph]: paragraph for paragraph in found if paragraph is not None}
    return [f"paragraph {n}: “{_snippet(_visible_text(p))}”" for n, p in sorted(marked.items())]


def accept_all_changes(body: etree._Element) -> None:
    """Read the document as Word's "Accept all changes" would leave it."""
    for mark in list(body.iter(*_DELETES)):
        _accept_deletion(mark)
    for mark in list(body.iter(*_INSERTS)):
        _accept_insertion(mark)
    for change in list(body.iter(*_FORMATTING)):
        change.getparent().remove(change)


def _accept_deletion(mark: etree._Element) -> None:
    """The deleted text goes; a deleted paragraph mark joins its paragraph with the
    next."""
    parent = mark.getparent()
    if parent is None:
        return
    if parent.tag == qn("w:rPr"):
        grandparent = parent.getparent()
        if grandparent is not None and grandparent.tag == qn("w:pPr"):
            _join_with_next(grandparent.getparent())
    mark.getparent().remove(mark)  # its parent once the paragraphs are joined


def _accept_insertion(mark: etree._Element) -> None:
    """The inserted text stays, unmarked; an inserted paragraph mark is a plain one."""
    parent = mark.getparent()
    if parent is None:
        return
    if parent.tag == qn("w:rPr"):
        parent.remove(mark)
        return
    position = parent.index(mark)
    for child in reversed(list(mark)):
        parent.insert(position, child)
    parent.remove(mark)


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
    found = _comment_elements(document)
    passages = _commented_passages(document.element.body) if found else {}
    yield from (_comment(comment, passages) for comment in found)


def _comment_elements(document: Document) -> list[etree._Element]:
    """The comments of the document's comments part; none without one."""
    rels = document.part.rels.values()
    part = next((rel.target_part for rel in rels if rel.reltype == _COMMENTS_RT), None)
    return [] if part is None else list(_xml(part.blob).iter(qn("w:comment")))


def _comment(comment: etree._Element, passages: dict[str, str]) -> Comment:
    """A comment element read, with the passage it marks."""
    text = "\n".join(_visible_text(p) for p in comment.iter(qn("w:p"))).strip()
    passage = passages.get(comment.get(qn("w:id")) or "", "").strip()
    return Comment(author=comment.get(qn("w:author")) or "", text=text, passage=passage)


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
