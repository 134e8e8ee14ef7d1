"""A Word document read as the sequence of paragraphs presskit wrote, with their runs.

Each paragraph (in the body or a table cell, in reading order) becomes a :class:`Unit`:
its style name and its inline :class:`Piece` values (text with bold, italic, code and
link target; line breaks; pictures). Formatting is read from the run and from its
character style, so a bold phrase made in Word with Ctrl+B or the "Strong" style reads
the same.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree

from presskit.content.markdown import Span

# Fonts that mark a run as code (the Word renderer writes code in the "Inline Code"
# character style, Courier New in the default reference file).
MONOSPACE_FONTS = {"courier new", "courier", "consolas", "liberation mono", "dejavu sans mono"}
_FALSE = {"0", "false", "off", "none"}


# A run read from Word is the same value as a run of prose: text with its formatting,
# a line break, or a picture (its alt text as ``text``; ``src`` unused here).
Piece = Span


@dataclass(frozen=True)
class Unit:
    """One paragraph: its position, style and content."""

    number: int
    style: str
    pieces: tuple[Piece, ...]
    where: str = ""
    restated: str = ""
    """"bold" or "italic" when every run restated the paragraph style's own (as
    LibreOffice writes with tracked changes, or Word's "keep source formatting"): read
    as the style's, not as emphasis of the whole paragraph."""

    @property
    def text(self) -> str:
        return "".join(
            p.text if p.kind == "text" else "\n" if p.kind == "break" else "" for p in self.pieces
        )

    @property
    def has_image(self) -> bool:
        return any(p.kind == "image" for p in self.pieces)

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.has_image

    @property
    def position(self) -> str:
        return f"paragraph {self.number}" + (f" ({self.where})" if self.where else "")


def read_units(document: Document, keep_empty: bool = False) -> list[Unit]:
    """The document's paragraphs in reading order, empty ones left out unless asked."""
    reader = _Reader(document)
    units = reader.walk(document.element.body, "")
    return [unit for unit in units if keep_empty or not unit.empty]


def _run_text(child: etree._Element) -> str | None:
    """The text a run's element stands for: its text, a tab, a non-breaking hyphen."""
    if child.tag == qn("w:t"):
        return child.text or None
    return _RUN_CHARACTERS.get(child.tag)


_RUN_CHARACTERS = {qn("w:tab"): "\t", qn("w:noBreakHyphen"): "\u2011"}


def _run_piece(child: etree._Element, formatted: Piece) -> Piece | None:
    """What a run's child shows: its text, formatted as ``formatted``; a break; a picture."""
    text = _run_text(child)
    return _run_object(child) if text is None else dataclasses.replace(formatted, text=text)


def _run_object(child: etree._Element) -> Piece | None:
    """A line break, or a picture (by its alt text)."""
    if child.tag in (qn("w:br"), qn("w:cr")):
        if child.get(qn("w:type")) in (None, "textWrapping"):
            return Piece("\n", kind="break")
        return None
    if child.tag in (qn("w:drawing"), qn("w:pict")):
        return Piece(next((d.get("descr") or "" for d in child.iter(_DOC_PR)), ""), kind="image")
    return None


class _Reader:
    def __init__(self, document: Document) -> None:
        self.part = document.part
        self.count = 0
        self.paragraph_styles: dict[str, str] = {}
        self.character_styles: dict[str, tuple[bool, bool, bool]] = {}
        self.default_paragraph_style = "Normal"
        self.default_id = ""
        self.styles_by_id: dict[str, Any] = {}
        self.style_fonts: dict[str, tuple[bool, bool]] = {}
        for style in document.styles:
            if style.type == WD_STYLE_TYPE.PARAGRAPH:
                self._add_paragraph_style(style)
            elif style.type == WD_STYLE_TYPE.CHARACTER:
                self._add_character_style(style)

    def _add_paragraph_style(self, style: Any) -> None:
        self.paragraph_styles[style.style_id] = style.name or style.style_id
        self.styles_by_id[style.style_id] = style
        if style.element.get(qn("w:default")) in ("1", "true"):
            self.default_paragraph_style = style.name or style.style_id
            self.default_id = style.style_id

    def _add_character_style(self, style: Any) -> None:
        font = style.font
        code = (font.name or "").lower() in MONOSPACE_FONTS  # "Inline Code"
        self.character_styles[style.style_id] = (bool(font.bold), bool(font.italic), code)

    def walk(self, element: etree._Element, where: str) -> Iterator[Unit]:
        tables = 0
        for child in element:
            if child.tag == qn("w:p"):
                yield self.paragraph(child, where)
            elif child.tag == qn("w:tbl"):
                tables += 1
                yield from self.table(child, tables, where)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                yield from self.walk(child, where)

    def paragraph(self, paragraph: etree._Element, where: str) -> Unit:
        self.count += 1
        pieces, restated = self.style_emphasis(paragraph, tuple(self.pieces(paragraph)))
        return Unit(self.count, self.style_of(paragraph), pieces, where, restated)

    def table(self, table: etree._Element, number: int, where: str) -> Iterator[Unit]:
        for r, row in enumerate(table.iter(qn("w:tr")), start=1):
            if next(row.iterancestors(qn("w:tbl"))) is not table:
                continue  # rows of a nested table are read with that table
            for c, cell in enumerate(row.findall(qn("w:tc")), start=1):
                place = f"table {number}, row {r}, column {c}"
                yield from self.walk(cell, f"{where}, {place}" if where else place)

    def style_emphasis(
        self, paragraph: etree._Element, pieces: tuple[Piece, ...]
    ) -> tuple[tuple[Piece, ...], str]:
        """``pieces`` without bold (italic) that every run restates from a bold (an
        italic) paragraph style: the style's own, not emphasis; and which it was."""
        bold, italic = self.style_formatting(_value(paragraph, _PARAGRAPH_STYLE) or "")
        text = [p for p in pieces if p.kind == "text" and p.text.strip()]
        restated = []
        if bold and text and all(p.bold for p in text):
            pieces = tuple(dataclasses.replace(p, bold=False) for p in pieces)
            restated.append("bold")
        if italic and text and all(p.italic for p in text):
            pieces = tuple(dataclasses.replace(p, italic=False) for p in pieces)
            restated.append("italic")
        return pieces, " and ".join(restated)

    def style_formatting(self, style_id: str) -> tuple[bool, bool]:
        """A paragraph style's own bold and italic, through its base styles."""
        if style_id not in self.style_fonts:
            style = self.styles_by_id.get(style_id) or self.styles_by_id.get(self.default_id)
            self.style_fonts[style_id] = _inherited_emphasis(style)
        return self.style_fonts[style_id]

    def style_of(self, paragraph: etree._Element) -> str:
        ident = _value(paragraph, _PARAGRAPH_STYLE)
        if ident is None:
            return self.default_paragraph_style
        return self.paragraph_styles.get(ident, ident)

    def pieces(self, paragraph: etree._Element) -> Iterator[Piece]:
        field = _Field()
        yield from self.inline(paragraph, None, field)

    def inline(self, element: etree._Element, href: str | None, field: _Field) -> Iterator[Piece]:
        for child in element:
            if child.tag == qn("w:r"):
                yield from self.run(child, href or field.href, field)
            elif child.tag in _LINKS or child.tag in _TRANSPARENT:
                yield from self.inline(child, self.link_around(child, href), field)

    def link_around(self, child: etree._Element, href: str | None) -> str | None:
        """The link around what ``child`` holds: its own (a hyperlink, a simple field), or
        ``href``, the one around ``child``."""
        if child.tag == qn("w:hyperlink"):
            return self.link_target(child)
        if child.tag == qn("w:fldSimple"):
            return _hyperlink_instruction(child.get(qn("w:instr")))
        return href

    def link_target(self, hyperlink: etree._Element) -> str | None:
        rel_id = hyperlink.get(qn("r:id"))
        if rel_id and rel_id in self.part.rels:
            return str(self.part.rels[rel_id].target_ref)
        anchor = hyperlink.get(qn("w:anchor"))
        return f"#{anchor}" if anchor else None

    def run(self, run: etree._Element, href: str | None, field: _Field) -> Iterator[Piece]:
        formatted = Piece("", *self.formatting(run.find(qn("w:rPr"))), href)
        shown = (_run_piece(child, formatted) for child in run if not field.read(child))
        yield from (piece for piece in shown if piece is not None)

    def formatting(self, rpr: etree._Element | None) -> tuple[bool, bool, bool]:
        if rpr is None:
            return _PLAIN
        bold, italic, code = self.character_styles.get(_value(rpr, qn("w:rStyle")) or "", _PLAIN)
        code = code or (_value(rpr, qn("w:rFonts"), "w:ascii") or "").lower() in MONOSPACE_FONTS
        return _toggle(rpr.find(qn("w:b")), bold), _toggle(rpr.find(qn("w:i")), italic), code


_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_PARAGRAPH_STYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"
_PLAIN = (False, False, False)
_LINKS = (qn("w:hyperlink"), qn("w:fldSimple"))
_TRANSPARENT = {
    qn(f"w:{name}") for name in ("ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent")
}


def _inherited_emphasis(style: Any) -> tuple[bool, bool]:
    """A style's bold and italic: its own, else those of the nearest base style that sets them."""
    bold = italic = None
    seen = []  # the styles' XML elements, kept alive: a proxy's id() can be reused once freed
    while style is not None and style.element not in seen and (bold is None or italic is None):
        seen.append(style.element)
        bold = style.font.bold if bold is None else bold
        italic = style.font.italic if italic is None else italic
        style = style.base_style
    return bool(bold), bool(italic)


def _value(parent: etree._Element, path: str, name: str = "w:val") -> str | None:
    """The attribute ``name`` of the element at ``path`` under ``parent``: None when
    there is no such element, "" when it lacks the attribute."""
    element = parent.find(path)
    return None if element is None else element.get(qn(name)) or ""


def _toggle(element: etree._Element | None, inherited: bool) -> bool:
    if element is None:
        return inherited
    return (element.get(qn("w:val")) or "true").lower() not in _FALSE


class _Field:
    """State of a complex field (``w:fldChar``): Word may write a link as a
    HYPERLINK field instead of a ``w:hyperlink`` element."""

    def __init__(self) -> None:
        self.instruction = ""
        self.in_instruction = False
        self.href: str | None = None

    def read(self, child: etree._Element) -> bool:
        """Whether a run's ``child`` is field code (its marks, its instruction), read here."""
        if child.tag == qn("w:fldChar"):
            self.step(child.get(qn("w:fldCharType")))
        elif child.tag == qn("w:instrText"):
            self.instruction += child.text or ""
        return child.tag in _FIELD_CODE or self.in_instruction

    def step(self, kind: str | None) -> None:
        if kind == "begin":
            self.instruction = ""
        if kind in ("begin", "separate", "end"):
            self.in_instruction = kind == "begin"
            self.href = _hyperlink_instruction(self.instruction) if kind == "separate" else None


_FIELD_CODE = (qn("w:fldChar"), qn("w:instrText"))


def _hyperlink_instruction(instruction: str | None) -> str | None:
    match = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction or "")
    return match.group(1) if match else None
