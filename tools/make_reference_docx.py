"""Build templates/reference.docx, the Word file whose styles the DOCX renderer uses.

A designer may instead restyle templates/reference.docx in Word or LibreOffice and
save it: presskit only uses the styles by name (Title, Subtitle, Heading 1-3, Quote,
List Bullet, Lead, Release Line, Ecosystems table, ...). This script is the record of
the default theme and a way to regenerate it: ``python tools/make_reference_docx.py``.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
FONT = "Arial"
INK = RGBColor(0x14, 0x21, 0x3D)
ACCENT = RGBColor(0xD3, 0x00, 0x0F)
MUTED = RGBColor(0x5B, 0x65, 0x73)
RULE = "D9DDE3"
# The w:pPr children that the schema puts after w:pBdr.
PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def plain_font(
    style: BaseStyle, size: float, *, bold: bool = False, colour: RGBColor = INK
) -> None:
    """Set a style's font, dropping theme fonts that would override the name."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    style.font.name = FONT  # type: ignore[attr-defined]
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    style.font.bold = bold  # type: ignore[attr-defined]
    style.font.color.rgb = colour  # type: ignore[attr-defined]


def border(ppr_owner: BaseStyle, side: str, colour: str, size_eighths: int, space: int = 4) -> None:
    """Add a paragraph border on ``side`` (left, bottom, ...)."""
    ppr = ppr_owner.element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # Word rejects pPr children out of schema order, so insert, never append.
        ppr.insert_element_before(borders, *PPR_AFTER_PBDR)
    for old in borders.findall(qn(f"w:{side}")):
        borders.remove(old)
    edge = OxmlElement(f"w:{side}")
    # pBdr children go top, left, bottom, right, between, bar.
    order = ["top", "left", "bottom", "right", "between", "bar"]
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), colour)
    later = [qn(f"w:{name}") for name in order[order.index(side) + 1 :]]
    following = next((child for child in borders if child.tag in later), None)
    if following is None:
        borders.append(edge)
    else:
        following.addprevious(edge)


def right_tab_only(style: BaseStyle, position: int) -> None:
    """Replace the style's tab stops with one right-aligned stop at the text edge."""
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:tabs")):
        ppr.remove(old)
    style.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)  # type: ignore[attr-defined]


def remove_borders(style: BaseStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)


def paragraph_style(document: docx.document.Document, name: str, base: str = "Normal") -> BaseStyle:
    styles = document.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base]
    style.quick_style = True  # type: ignore[attr-defined]
    return style


def spacing(style: BaseStyle, before: float, after: float, line: float | None = None) -> None:
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def ecosystems_table_style(document: docx.document.Document) -> None:
    """A table style with a small-caps header row and hairlines between rows."""
    style = document.styles.add_style("Ecosystems", WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    element = style.element
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("bottom", "insideH"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), RULE)
        borders.append(edge)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 60), ("left", 60), ("bottom", 60), ("right", 60)):  # schema order
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(width))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tblpr.append(margins)
    element.append(tblpr)
    header = OxmlElement("w:tblStylePr")
    header.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    for tag, value in (("w:b", None), ("w:caps", None), ("w:color", "5B6573"), ("w:sz", "14")):
        child = OxmlElement(tag)
        if value:
            child.set(qn("w:val"), value)
        rpr.append(child)
    header.append(rpr)
    tcpr = OxmlElement("w:tcPr")
    tcborders = OxmlElement("w:tcBorders")
    edge = OxmlElement("w:bottom")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), "6")
    edge.set(qn("w:space"), "0")
    edge.set(qn("w:color"), "14213D")
    tcborders.append(edge)
    tcpr.append(tcborders)
    header.append(tcpr)
    element.append(header)


def character_style(document: docx.document.Document, name: str) -> BaseStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.quick_style = True  # type: ignore[attr-defined]
    return style


def character_styles(document: docx.document.Document) -> None:
    """The styles of words within a paragraph: running-header parts, labels, code."""
    issuer = character_style(document, "Header Issuer")
    issuer.font.all_caps = True  # type: ignore[attr-defined]
    release = character_style(document, "Header Release Line")
    release.font.all_caps = True  # type: ignore[attr-defined]
    release.font.bold = True  # type: ignore[attr-defined]
    for name in ("Dateline Text", "Fact Label", "Contact Name"):
        character_style(document, name).font.bold = True  # type: ignore[attr-defined]
    code = character_style(document, "Inline Code")
    code.font.name = "Courier New"  # type: ignore[attr-defined]


def dotted_right_tab(style: BaseStyle, position: int) -> None:
    """One right-aligned tab stop at the text edge, led by dots (contents entries)."""
    from docx.enum.text import WD_TAB_LEADER

    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:tabs")):
        ppr.remove(old)
    style.paragraph_format.tab_stops.add_tab_stop(  # type: ignore[attr-defined]
        position, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )


def kit_styles(document: docx.document.Document) -> None:
    """The press kit document's styles: contents, profile titles, key figures, people."""
    styles = document.styles
    toc_heading = paragraph_style(document, "TOC Heading", "Heading 1")
    plain_font(toc_heading, 20, bold=True)
    toc_heading.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")  # not an entry of the contents it heads
    outline.set(qn("w:val"), "9")
    toc_heading.element.pPr.append(outline)
    for name, size, bold, indent in (("TOC 1", 11, True, 0), ("TOC 2", 10, False, 6)):
        entry = paragraph_style(document, name)
        plain_font(entry, size, bold=bold)
        entry.paragraph_format.left_indent = Mm(indent)  # type: ignore[attr-defined]
        spacing(entry, 4 if name == "TOC 1" else 0, 3)
        dotted_right_tab(entry, Mm(170))
    profile = paragraph_style(document, "Profile Title", "Heading 2")
    plain_font(profile, 16, bold=True)
    profile.font.all_caps = False  # type: ignore[attr-defined]
    profile.paragraph_format.left_indent = Mm(0)  # type: ignore[attr-defined]
    remove_borders(profile)
    spacing(profile, 6, 6)
    profile.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    figure = paragraph_style(document, "Key Figure")
    plain_font(figure, 26, bold=True, colour=ACCENT)
    spacing(figure, 10, 0, 1.0)
    figure.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    border(figure, "top", "D3000F", 16, 4)
    label = paragraph_style(document, "Key Figure Label")
    plain_font(label, 10, bold=True)
    spacing(label, 2, 2)
    label.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    person = paragraph_style(document, "Person Name")
    plain_font(person, 11, bold=True)
    spacing(person, 8, 0)
    person.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    caption = styles["Caption"]
    plain_font(caption, 8, colour=MUTED)
    caption.font.italic = False  # type: ignore[attr-defined]
    spacing(caption, 2, 8)


def build() -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(10)

    styles = document.styles
    plain_font(styles["Normal"], 10)
    spacing(styles["Normal"], 0, 6, 1.15)
    # Never one line of a paragraph alone at the foot or the head of a page.
    styles["Normal"].paragraph_format.widow_control = True  # type: ignore[attr-defined]

    title = styles["Title"]
    plain_font(title, 22, bold=True)
    remove_borders(title)
    spacing(title, 6, 4, 1.0)
    subtitle = styles["Subtitle"]
    plain_font(subtitle, 13, colour=MUTED)
    subtitle.font.italic = False  # type: ignore[attr-defined]
    spacing(subtitle, 0, 6)
    for name, size, before in (("Heading 1", 13, 14), ("Heading 3", 10.5, 8), ("Heading 4", 10, 6)):
        plain_font(styles[name], size, bold=True)
        spacing(styles[name], before, 4)
        styles[name].font.italic = False  # type: ignore[attr-defined]
        styles[name].paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    heading2 = styles["Heading 2"]
    plain_font(heading2, 8, bold=True, colour=ACCENT)
    heading2.font.all_caps = True  # type: ignore[attr-defined]
    heading2.paragraph_format.left_indent = Mm(4)  # type: ignore[attr-defined]
    border(heading2, "left", "D3000F", 16, 8)
    spacing(heading2, 8, 2)
    heading2.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]

    quote = styles["Quote"]
    plain_font(quote, 10.5)
    quote.font.italic = True  # type: ignore[attr-defined]
    quote.paragraph_format.left_indent = Mm(6)  # type: ignore[attr-defined]
    quote.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    border(quote, "left", "D3000F", 12, 8)
    for name in (
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Number",
        "List Number 2",
        "List Number 3",
    ):
        plain_font(styles[name], 10)
        spacing(styles[name], 0, 3)
    for name in ("Header", "Footer"):
        plain_font(styles[name], 7.5, colour=MUTED)
        right_tab_only(styles[name], Mm(170))

    lead = paragraph_style(document, "Lead")
    plain_font(lead, 11.5, bold=True)
    lead.paragraph_format.left_indent = Mm(4)  # type: ignore[attr-defined]
    border(lead, "left", "D3000F", 16, 8)
    spacing(lead, 4, 8, 1.15)

    issuer = paragraph_style(document, "Issuer")
    plain_font(issuer, 11, bold=True)
    spacing(issuer, 0, 0)
    kind = paragraph_style(document, "Document Kind")
    plain_font(kind, 8, bold=True, colour=ACCENT)
    kind.font.all_caps = True  # type: ignore[attr-defined]
    spacing(kind, 0, 0)
    release = paragraph_style(document, "Release Line")
    plain_font(release, 8, bold=True)
    release.font.all_caps = True  # type: ignore[attr-defined]
    border(release, "bottom", "D3000F", 16, 6)
    spacing(release, 4, 10)
    dateline = paragraph_style(document, "Dateline")
    plain_font(dateline, 9, colour=MUTED)
    spacing(dateline, 0, 8)
    attribution = paragraph_style(document, "Quote Attribution")
    plain_font(attribution, 9, bold=True, colour=MUTED)
    attribution.paragraph_format.left_indent = Mm(6)  # type: ignore[attr-defined]
    spacing(attribution, 0, 8)
    small = paragraph_style(document, "Small Print")
    plain_font(small, 8.5, colour=MUTED)
    spacing(small, 0, 0)
    fact = paragraph_style(document, "Practical Information")
    plain_font(fact, 10)
    fact.paragraph_format.left_indent = Mm(4)  # type: ignore[attr-defined]
    border(fact, "left", "D3000F", 16, 8)
    spacing(fact, 0, 2)
    end = paragraph_style(document, "End Mark")
    plain_font(end, 10, bold=True, colour=MUTED)
    end.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    spacing(end, 18, 0)

    note = paragraph_style(document, "Practical Information Note", "Practical Information")
    note.font.italic = True  # type: ignore[attr-defined]
    eco_label = paragraph_style(document, "Ecosystem Label")
    plain_font(eco_label, 10, bold=True)
    spacing(eco_label, 0, 0)

    kit_styles(document)

    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = ACCENT  # type: ignore[attr-defined]
    link.font.underline = True  # type: ignore[attr-defined]
    character_styles(document)
    ecosystems_table_style(document)
    return document


def main() -> None:
    document = build()
    document.core_properties.author = "presskit"
    document.core_properties.title = "presskit reference styles"
    document.save(str(OUT))


if __name__ == "__main__":
    main()
