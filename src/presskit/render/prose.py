"""Parsed Markdown prose rendered to HTML, Word and plain text, from one place.

Each renderer is a small visitor over the tree of :mod:`presskit.content.markdown`: blocks
(paragraphs, headings, lists whose items hold blocks, quotes holding blocks) and their
inline spans. The HTML page, the PDF, the Word file and both bodies of the press
e-mail all call these visitors, so a list item with two paragraphs or a list inside a
quote comes out with the same structure everywhere.

Word has no nesting of paragraphs: a list is a run of paragraphs in the theme's list
styles (``List Bullet``, ``List Number 2``, …; an item's further paragraphs in ``List
Continue``), a list inside a quote keeps the ``Quote`` style and takes the list's
numbering, and every numbered list gets a numbering instance of its own
(``w:num`` with a ``w:startOverride``) so that a second list starts again at 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from markupsafe import Markup, escape

from presskit.content.markdown import (
    Block,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Prose,
    Quote,
    Span,
    Spans,
)
from presskit.render.pictures import Box, add_picture_file, data_uri, word_layout
from presskit.render.view import Link

if TYPE_CHECKING:  # python-docx is imported by the Word functions only, not for HTML
    from docx.parts.document import DocumentPart
    from docx.text.paragraph import Paragraph as WordParagraph
    from docx.text.run import Run

MAX_HEADING = 6

# --------------------------------------------------------------------------- HTML


def prose_html(prose: Prose, heading_base: int = 2) -> Markup:
    """The prose as HTML; its own headings start at ``heading_base`` (h2 in the story,
    under the h1 headline; h3 inside a section). All text is escaped."""
    return Markup("".join(_html_block(block, heading_base, bare=False) for block in prose.blocks))


def prose_inline_html(prose: Prose) -> Markup:
    """The prose's paragraphs run together on one line (a practical-information row)."""
    return Markup(" ".join(_html_spans(run) for run in prose.runs()))


def _html_block(block: Block, heading_base: int, *, bare: bool) -> str:
    if isinstance(block, Paragraph):
        # A tight list's items hold their text bare, as CommonMark renders them.
        return _html_spans(block.spans) if bare else f"<p>{_html_spans(block.spans)}</p>"
    if isinstance(block, Heading):
        level = min(heading_base + block.rank, MAX_HEADING)
        return f"<h{level}>{_html_spans(block.spans)}</h{level}>"
    if isinstance(block, Quote):
        inner = "".join(_html_block(b, heading_base, bare=False) for b in block.blocks)
        return f"<blockquote>{inner}</blockquote>"
    return _html_list(block, heading_base)


def _html_list(block: ListBlock, heading_base: int) -> str:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    items = "".join(_html_item(item, heading_base, block.tight) for item in block.items)
    return f"<{tag}{start}>{items}</{tag}>"


def _html_item(item: ListItem, heading_base: int, tight: bool) -> str:
    inner = "".join(_html_block(block, heading_base, bare=tight) for block in item.blocks)
    return f"<li>{inner}</li>"


def _html_spans(spans: Spans) -> str:
    return "".join(_html_span(span) for span in spans)


def _html_span(span: Span) -> str:
    if span.kind == "break":
        return "<br>"
    if span.kind == "image":
        return _html_image(span)
    return _html_text(span)


def _html_image(span: Span) -> str:
    """The picture inline, as a data URI (the loader made each reference a checked path)."""
    src = span.src or ""
    if Path(src).is_absolute() and Path(src).is_file():
        src = data_uri(Path(src))
    return f'<img src="{escape(src)}" alt="{escape(span.text)}">'


def _html_text(span: Span) -> str:
    """Escaped text in its code, emphasis and link elements, innermost first."""
    html = str(escape(span.text))
    for wanted, tag in ((span.code, "code"), (span.italic, "em"), (span.bold, "strong")):
        html = f"<{tag}>{html}</{tag}>" if wanted else html
    return f'<a href="{escape(span.href)}">{html}</a>' if span.href else html


# --------------------------------------------------------------------- plain text


def prose_text(prose: Prose, quoted: bool = False) -> str:
    """Plain text: links as "text <url>", lists with "-" or "1." and their items'
    further lines indented under the text, quotes with "> "."""
    text = _text_blocks(prose.blocks, tight=False)
    return _prefix(text, "> ") if quoted else text


def _text_blocks(blocks: tuple[Block, ...], *, tight: bool) -> str:
    return ("\n" if tight else "\n\n").join(_text_block(block) for block in blocks)


def _text_block(block: Block) -> str:
    if isinstance(block, Paragraph | Heading):
        return _text_spans(block.spans)
    if isinstance(block, Quote):
        return _prefix(_text_blocks(block.blocks, tight=False), "> ")
    return _text_list(block)


def _text_list(block: ListBlock) -> str:
    numbered = enumerate(block.items, start=block.start)
    items = (_text_item(block, number, item) for number, item in numbered)
    return ("\n" if block.tight else "\n\n").join(items)


def _text_item(block: ListBlock, number: int, item: ListItem) -> str:
    """The item after its marker ("-", "1."), its further lines indented to its text."""
    marker = f"{number}. " if block.ordered else "- "
    return marker + _indent(_text_blocks(item.blocks, tight=block.tight), " " * len(marker))


def _indent(text: str, padding: str) -> str:
    """Every line but the first indented (the first follows the list marker)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [padding + line if line else line for line in rest])


def _prefix(text: str, mark: str) -> str:
    return "\n".join((mark + line).rstrip() for line in text.split("\n"))


def _text_spans(spans: Spans) -> str:
    return "".join(_text_span(span) for span in spans)


def _text_span(span: Span) -> str:
    """A break as a new line, an image as its text in brackets, a link as "text <url>"."""
    if span.kind != "text":
        return "\n" if span.kind == "break" else f"[{span.text}]"
    bare = not span.href or span.href.removeprefix("mailto:") == span.text
    return span.text if bare else f"{span.text} <{span.href}>"


# ---------------------------------------------------------------------------- Word


class WordContainer(Protocol):
    """Where Word paragraphs go: the document body or a table cell."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> WordParagraph: ...


@dataclass(frozen=True)
class _Place:
    """Where a block sits: the style of plain paragraphs, list depth, inside a quote."""

    style: str | None
    heading_base: int
    image_box: Box | None
    depth: int = 0
    quoted: bool = False


def add_prose(
    container: WordContainer,
    prose: Prose,
    style: str | None = None,
    heading_base: int = 1,
    image_box: Box | None = None,
) -> None:
    """Word paragraphs for the prose; plain paragraphs take ``style``, its headings
    start at ``heading_base`` (1 in the story, 2 in a section); its images fit in
    ``image_box`` (the built-in theme's box for prose images by default)."""
    for block in prose.blocks:
        _word_block(container, block, _Place(style, heading_base, image_box))


def _word_block(container: WordContainer, block: Block, place: _Place) -> None:
    if isinstance(block, Paragraph):
        add_spans(container.add_paragraph(style=place.style), block.spans, place.image_box)
    elif isinstance(block, Heading):
        level = min(place.heading_base + block.rank, MAX_HEADING)
        add_spans(container.add_paragraph(style=f"Heading {level}"), block.spans, place.image_box)
    elif isinstance(block, Quote):
        inner = replace(place, style="Quote", quoted=True)
        for child in block.blocks:
            _word_block(container, child, inner)
    else:
        _word_list(container, block, place)


def _word_list(container: WordContainer, block: ListBlock, place: _Place) -> None:
    depth = min(place.depth + 1, 3)
    # Inside a quote, the numbering one level in: its indent then falls inside the
    # quote's own instead of hanging out to the left of it.
    list_style = _numbered_style(block.ordered, min(depth + 1, 3) if place.quoted else depth)
    continued = "Quote" if place.quoted else ("List Continue" + _suffix(depth))
    number_id: int | None = None
    for item in block.items:
        for index, child in enumerate(item.blocks):
            if index == 0 and isinstance(child, Paragraph):
                item_style = "Quote" if place.quoted else list_style
                paragraph = container.add_paragraph(style=item_style)
                number_id = _numbered_item(paragraph, block, place, list_style, number_id)
                add_spans(paragraph, child.spans, place.image_box)
            else:
                _word_block(container, child, replace(place, style=continued, depth=depth))


def _numbered_item(
    paragraph: WordParagraph,
    block: ListBlock,
    place: _Place,
    list_style: str,
    number_id: int | None,
) -> int | None:
    """Number an ordered (or quoted) list's item, the list's numbering made at its
    first item; the numbering's id."""
    if not (block.ordered or place.quoted):
        return number_id
    if number_id is None:
        number_id = _numbering_for(paragraph, list_style, block)
    _number(paragraph, number_id)
    return number_id


def _numbered_style(ordered: bool, depth: int) -> str:
    return ("List Number" if ordered else "List Bullet") + _suffix(depth)


def _suffix(depth: int) -> str:
    return "" if depth == 1 else f" {depth}"


def _numbering_for(paragraph: WordParagraph, list_style: str, block: ListBlock) -> int | None:
    """The numbering of ``list_style``: for a numbered list, a new instance starting at
    the list's first number (Word and LibreOffice would otherwise go on counting from
    the previous list of the same style); None if the style is not numbered."""
    style_id = _style_number_id(paragraph, list_style)
    if style_id is None or not block.ordered:
        return style_id
    numbering = _document_part(paragraph).numbering_part.numbering_definitions._numbering
    shared = numbering.num_having_numId(style_id)
    num = numbering.add_num(shared.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(block.start)
    return int(num.numId)


def _style_number_id(paragraph: WordParagraph, list_style: str) -> int | None:
    styles = _document_part(paragraph).document.styles
    if list_style not in styles:
        return None
    ppr = styles[list_style].element.pPr
    if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
        return None
    return int(ppr.numPr.numId.val)


def _document_part(paragraph: WordParagraph) -> DocumentPart:
    from docx.parts.document import DocumentPart

    part = paragraph.part
    assert isinstance(part, DocumentPart), "prose goes in the body or its tables"
    return part


def _number(paragraph: WordParagraph, number_id: int | None) -> None:
    if number_id is None:
        return
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = number_id


def add_spans(
    paragraph: WordParagraph, spans: Spans | Iterator[Span], image_box: Box | None = None
) -> None:
    """Runs for each span: bold, italic, code, breaks, images and hyperlinks."""
    for span in spans:
        if span.kind == "break":
            paragraph.add_run().add_break()
        elif span.kind == "image":
            box = image_box or word_layout().boxes["prose_image"]
            add_picture_file(paragraph, Path(span.src or ""), span.text, box)
        elif span.href:
            add_link(paragraph, Link(span.text, span.href), span)
        else:
            format_run(paragraph.add_run(span.text), span)


def format_run(run: Run, span: Span) -> None:
    if span.bold:
        run.bold = True
    if span.italic:
        run.italic = True
    if span.code:
        run.style = "Inline Code"


def add_link(paragraph: WordParagraph, link: Link, span: Span | None = None) -> None:
    """A real ``w:hyperlink`` to an external target, in the Hyperlink style."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.run import Run

    rel_id = paragraph.part.relate_to(link.href, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel_id)
    hyperlink.set(qn("w:history"), "1")
    run = Run(OxmlElement("w:r"), paragraph)
    run.text = link.text
    run.style = "Hyperlink"
    if span is not None:
        format_run(run, span)
    hyperlink.append(run._r)
    paragraph._p.append(hyperlink)
