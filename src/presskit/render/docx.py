"""The press release as an editable Word file (python-docx).

The document starts from ``templates/reference.docx`` and uses its styles by name
only (Title, Subtitle, Heading 1-4, Lead, Quote, List Bullet, Ecosystems table, ...),
so a designer restyles the output by editing that file in Word. Prose comes from the
same parsed Markdown tree as the HTML, through :mod:`presskit.render.prose`: bold,
italics and links become Word runs and real ``w:hyperlink`` elements, lists keep their
nesting and their own numbering.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section, _Footer, _Header
from docx.shared import Mm, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.parfmt import ParagraphFormat

from presskit.content.model import Image
from presskit.render.pictures import WORD_LAYOUT, Box, WordLayout, add_picture_file, word_layout
from presskit.render.prose import add_link, add_prose, add_spans
from presskit.render.view import AboutView, ContactView, EcosystemView, Link, ReleaseView
from presskit.theme.folder import builtin_theme
from presskit.util.errors import BuildError
from presskit.util.reproducible import build_date, zip_bytes

REFERENCE_DOCX = builtin_theme().reference_docx
REQUIRED_STYLES = (
    # paragraph styles
    "Normal", "Title", "Subtitle", "Lead", "Quote", "Quote Attribution", "Issuer",
    "Document Kind", "Release Line", "Dateline", "Small Print", "Practical Information",
    "Practical Information Note", "Ecosystem Label", "End Mark", "Header", "Footer",
    *(f"Heading {level}" for level in range(1, 7)),
    *(f"List {kind}{n}" for kind in ("Bullet", "Number", "Continue") for n in ("", " 2", " 3")),
    # character styles
    "Hyperlink", "Header Issuer", "Header Release Line", "Dateline Text", "Fact Label",
    "Contact Name", "Inline Code",
    # table style
    "Ecosystems",
)  # fmt: skip
"""Every style the renderer uses by name; a reference file must define them all."""
COLUMN_SHARES = {"ecosystem": 8, "website": 3}
"""How the ecosystem table shares the text width (less the logo column, as wide as
the theme's logo box) between its columns."""

# The w:rPr children that the schema puts after w:lang (Word rejects other orders).
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def render_docx(
    view: ReleaseView, reference: Path = REFERENCE_DOCX, layout_file: Path = WORD_LAYOUT
) -> bytes:
    """Build the Word document for ``view`` with the theme's styles (``reference``)
    and layout values (``layout_file``), and return its bytes."""
    document = open_document(view, reference)
    add_page_furniture(document, document.sections[0], view.issuer, view.release_line)
    add_masthead_and_story(document, view, word_layout(layout_file))
    return finish_document(document, view, "release")


def open_document(view: ReleaseView, reference: Path) -> Document:
    """The checked reference document in the release's language, with its properties."""
    document = _open_checked(reference)
    set_language(document, view.language_tag)
    set_properties(document, view)
    return document


def _open_checked(reference: Path) -> Document:
    """The reference document, checked (DOCTYPE and styles: once per version)."""
    version = check_reference(reference)
    document = _open(reference)
    resolve_style_names_once(document, _style_ids(version))
    return document


def add_masthead_and_story(document: Document, view: ReleaseView, layout: WordLayout) -> None:
    """The release's masthead and story (its own Word file, a kit section)."""
    add_masthead(document, view, layout)
    add_story(document, view, layout)


def finish_document(document: Document, view: ReleaseView, kind: str) -> bytes:
    """Every run in the language, the package tidied and marked as ours, as bytes."""
    tag_every_run(document, view.language_tag)
    tidy_package(document, view.language_tag)
    mark_provenance(document, view.language_tag, view.source, kind)
    return package_bytes(document, document_date(view))


def open_reference(reference: Path) -> Document:
    """Open the reference document, refusing XML with a DOCTYPE (entity tricks)."""
    with _usable_template(reference), zipfile.ZipFile(reference) as archive:
        _refuse_doctype(archive, reference)
    return _open(reference)


@contextmanager
def _usable_template(reference: Path) -> Iterator[None]:
    """A file that cannot be read as a Word file refused with a :class:`BuildError`."""
    try:
        yield
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise BuildError(f"{reference}: not a usable Word template ({error})") from None


def _refuse_doctype(archive: zipfile.ZipFile, reference: Path) -> None:
    """Refuse a template whose XML declares a DOCTYPE (entity tricks)."""
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in archive.read(name).upper():
            raise BuildError(f"{reference}: {name} declares a DOCTYPE; refusing the template")


def _open(reference: Path) -> Document:
    """The reference document without its sample content (already checked)."""
    with _usable_template(reference):
        document = docx.Document(str(reference))
    _drop_sample_content(document.element.body)
    return document


def _drop_sample_content(body: BaseOxmlElement) -> None:
    """Keep the styles and page set-up (the body's ``w:sectPr``), drop sample content."""
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


StyleIds = dict[tuple[str, Any], "str | None"]


def resolve_style_names_once(document: Document, resolved: StyleIds) -> None:
    """Look each style name up once per version of the reference file (``resolved``
    holds the answers). python-docx finds a style by name by scanning every style of
    the file, twice, each time a paragraph, run or table is given one: with a long
    table, or many kits, that was most of a Word file's time."""
    part: Any = document.part
    lookup: Callable[[Any, Any], str | None] = part.get_style_id

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in resolved:
            resolved[key] = lookup(style_or_name, style_type)
        return resolved[key]

    part.get_style_id = get_style_id


@cache
def _style_ids(version: tuple[Path, int, int]) -> StyleIds:
    return {}


def check_reference(reference: Path) -> tuple[Path, int, int]:
    """Refuse, before anything is rendered, a reference file that is not a usable Word
    file or lacks any of the :data:`REQUIRED_STYLES`; return the version checked."""
    try:
        status = reference.stat()
    except OSError as error:
        raise BuildError(
            f"{reference}: cannot read the Word styles file ({error.strerror})"
        ) from None
    _check_reference_version(reference, status.st_mtime_ns, status.st_size)
    return reference, status.st_mtime_ns, status.st_size


@cache
def _check_reference_version(reference: Path, mtime_ns: int, size: int) -> None:
    """Checked once per version of the file: the preview rebuilds on every change."""
    refuse_missing_styles(open_reference(reference), reference)


def refuse_missing_styles(document: Document, reference: Path) -> None:
    names = {style.name for style in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise BuildError(
            f"{reference}: the Word styles file lacks {len(missing)} style"
            f"{'s' if len(missing) != 1 else ''} presskit uses: {', '.join(missing)}; "
            "add them (by these names) or start from the built-in templates/reference.docx"
        )


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>presskit</Application></Properties>"
)


def tidy_package(document: Document, tag: str) -> None:
    """Drop what the reference file carries over from its own editing: a thumbnail of
    another document, application statistics, a theme language of its own."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel_id)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = _APP_XML.encode("utf-8")
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)


PROVENANCE_PROPERTY = "presskit"
_CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_PROPS_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)


def mark_provenance(
    document: Document, tag: str, source: dict[str, Any] | None = None, kind: str = "release"
) -> None:
    """Custom document properties (docProps/custom.xml), invisible to readers and kept
    by Word and LibreOffice (through ODF too): ``presskit`` = "VERSION LANGUAGE", how
    ``presskit import`` knows a file it built and its language; and, in numbered
    properties of at most 250 characters each (Word keeps no longer text property),
    what it was built from (:func:`source_record`)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from presskit import __version__

    values = [(PROVENANCE_PROPERTY, f"{__version__} {tag}"), (KIND_PROPERTY, kind)]
    record = source_record(source) if source else ""
    values += [
        (f"{SOURCE_PROPERTY}-{n:03d}", record[i : i + 250])
        for n, i in enumerate(range(0, len(record), 250), start=1)
    ]
    xml = _custom_properties_xml(values)
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_PROPS_CT, xml.encode(), package)
    package.relate_to(part, _CUSTOM_PROPS_RT)


def _custom_properties_xml(values: list[tuple[str, str]]) -> str:
    """docProps/custom.xml holding ``values`` as text properties."""
    from xml.sax.saxutils import escape

    properties = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f'name="{name}"><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(values, start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes">{properties}</Properties>'
    )


SOURCE_PROPERTY = "presskit-source"
KIND_PROPERTY = "presskit-document"
"""``release`` or ``kit`` (the press kit document): which one a Word file is."""


def source_record(source: dict[str, Any]) -> str:
    """What a Word file is built from (this language's content, as the content file
    gives it: the text the document shows anyway), as compressed JSON in base64:
    ``presskit import`` compares the edits with it, so that a change made in the
    content file since is never undone."""
    import base64
    import json
    import zlib

    data = json.dumps(source, ensure_ascii=False, sort_keys=True, default=str).encode()
    return base64.b64encode(zlib.compress(data, 9)).decode("ascii")


def tag_every_run(document: Document, tag: str) -> None:
    """Tag every run of the body and of each section's own header and footer with the
    language, so spelling and screen readers use it even where text is pasted into
    another document."""
    for part in _story_parts(document):
        for run in part.iter(qn("w:r")):
            rpr = run.get_or_add_rPr()
            if rpr.find(qn("w:lang")) is None:
                rpr.insert_element_before(_lang_element(tag), *_RPR_AFTER_LANG)


def _story_parts(document: Document) -> Iterator[BaseOxmlElement]:
    """The body, then each section's header and footer unless it repeats the previous."""
    yield document.element.body
    for section in document.sections:
        parts = (section.header, section.footer)
        yield from (part._element for part in parts if not part.is_linked_to_previous)


def _lang_element(tag: str) -> BaseOxmlElement:
    return oxml("w:lang", {"w:val": tag, "w:eastAsia": tag, "w:bidi": tag})


def oxml(tag: str, attrs: dict[str, str], *children: BaseOxmlElement) -> BaseOxmlElement:
    """A ``tag`` element with ``attrs`` (by prefixed name, in order) and ``children``."""
    element = OxmlElement(tag, {qn(name): value for name, value in attrs.items()})
    element.extend(children)
    return element


def set_language(document: Document, tag: str) -> None:
    """Tag the default run properties (and so every style) with the language."""
    _set_lang(_default_run_properties(document.styles.element), tag)
    for style in document.styles:
        if (style_rpr := style.element.find(qn("w:rPr"))) is not None:
            _set_lang(style_rpr, tag)


def _default_run_properties(styles: Any) -> Any:
    """``w:docDefaults/w:rPrDefault/w:rPr``, each added first where missing (its place)."""
    defaults = _child(styles, "w:docDefaults")
    return _child(_child(defaults, "w:rPrDefault"), "w:rPr")


def _child(parent: Any, tag: str) -> Any:
    """``parent``'s ``tag`` child, added as its first child when it has none."""
    if (child := parent.find(qn(tag))) is None:
        child = OxmlElement(tag)
        parent.insert(0, child)
    return child


def _set_lang(rpr: Any, tag: str) -> None:
    """Run properties with ``tag`` as their only language."""
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert_element_before(_lang_element(tag), *_RPR_AFTER_LANG)


def set_properties(document: Document, view: ReleaseView) -> None:
    """Title, author, subject, keywords and language in the core properties."""
    props = document.core_properties
    props.title = _fit(view.title)
    props.author = _fit(view.author)
    props.subject = _fit(view.subject)
    props.keywords = _fit(", ".join(view.keywords))
    props.language = view.language_tag
    props.category = view.kind
    props.comments = ""
    props.last_modified_by = "presskit"
    props.revision = 1
    props.created = props.modified = document_date(view)


CORE_PROPERTY_LIMIT = 255  # characters, in python-docx and in Word


def _fit(text: str) -> str:
    """Shorten a core property to what the format allows, at a word, with an ellipsis."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[-40:] else cut).rstrip(" ,;") + "…"


def document_date(view: ReleaseView) -> dt.datetime:
    """The date the package and its properties carry (see :mod:`presskit.util.reproducible`)."""
    return build_date(view.issued)


def package_bytes(document: Document, when: dt.datetime) -> bytes:
    """The package python-docx would save (the same parts, in the same order), zipped
    with every member dated ``when`` (python-docx dates them by the clock, which
    would make two builds of one content differ). Written once, instead of saved,
    read back and zipped a second time."""
    from docx.opc.pkgwriter import PackageWriter

    writer: Any = PackageWriter  # its steps, with our collector as the ZIP
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    members = _Members()
    writer._write_content_types_stream(members, package.parts)
    writer._write_pkg_rels(members, package.rels)
    writer._write_parts(members, package.parts)
    return zip_bytes(members.members, when)


class _Members:
    """Collects what python-docx's package writer would put in the ZIP."""

    def __init__(self) -> None:
        self.members: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members.append((pack_uri.membername, blob))


def add_page_furniture(document: Document, section: Section, issuer: str, line: str) -> None:
    """The section's own header, with ``issuer`` and ``line`` (the release line, a kit
    section's title), and footer, with "PAGE / NUMPAGES"."""
    _add_header_text(_own_paragraph(section.header, document.styles["Header"]), issuer, line)
    _add_page_numbers(_own_paragraph(section.footer, document.styles["Footer"]))


def _own_paragraph(part: _Header | _Footer, style: ParagraphStyle) -> Paragraph:
    """The first paragraph of a header or footer of the section's own, in ``style``."""
    part.is_linked_to_previous = False
    paragraph: Paragraph = part.paragraphs[0]
    paragraph.style = style
    return paragraph


def _add_header_text(paragraph: Paragraph, issuer: str, line: str) -> None:
    """``issuer``, then ``line`` at the style's right tab stop (at the text edge)."""
    paragraph.add_run(issuer, style="Header Issuer")
    paragraph.add_run("\t")
    paragraph.add_run(line, style="Header Release Line")


def _add_page_numbers(paragraph: Paragraph) -> None:
    """The page number, "N / M", at the style's right tab stop."""
    paragraph.add_run("\t")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" / ")
    add_field(paragraph, "NUMPAGES", "1")


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update on display."""
    text = OxmlElement("w:t")
    text.text = placeholder
    field = oxml("w:fldSimple", {"w:instr": f" {instruction} "}, oxml("w:r", {}, text))
    paragraph._p.append(field)


def add_masthead(document: Document, view: ReleaseView, layout: WordLayout) -> None:
    """Logo, issuer, document kind and release line, as on the PDF."""
    if view.issuer_logo:
        add_picture(document, view.issuer_logo, layout.boxes["issuer_logo"])
    document.add_paragraph(view.issuer, style="Issuer")
    document.add_paragraph(view.kind, style="Document Kind")
    if view.issuer_website:
        add_link(document.add_paragraph(style="Small Print"), view.issuer_website)
    document.add_paragraph(view.release_line, style="Release Line")


def add_story(document: Document, view: ReleaseView, layout: WordLayout) -> None:
    """Headline to end mark, in the same order as the PDF."""
    images = layout.boxes["prose_image"]
    add_headlines(document, view)
    add_prose(document, view.lead, "Lead", image_box=images)
    if view.body:
        add_prose(document, view.body, image_box=images)
    for quote in view.quotes:
        add_prose(document, quote.text, "Quote", heading_base=2, image_box=images)
        document.add_paragraph(quote.attribution, style="Quote Attribution")
    if view.ecosystems:
        add_ecosystems(document, view, layout)
    if view.event:
        add_event(document, view, images)
    for about in view.about:
        add_about(document, about, images)
    if view.contacts:
        add_contacts(document, view)
    keep_with_end_mark(document)
    document.add_paragraph(view.end_mark, style="End Mark")
    if view.photos:
        add_photo_list(document, view, layout)


def add_headlines(document: Document, view: ReleaseView) -> None:
    """Headline, subheadline, and the dateline with its byline."""
    document.add_paragraph(view.headline, style="Title")
    if view.subheadline:
        document.add_paragraph(view.subheadline, style="Subtitle")
    meta = document.add_paragraph(style="Dateline")
    meta.add_run(view.dateline, style="Dateline Text")
    if view.byline:
        meta.add_run(view.strings["link_separator"] + view.byline)


def add_about(document: Document, about: AboutView, image_box: Box) -> None:
    document.add_heading(about.heading, level=1)
    add_prose(document, about.text, heading_base=2, image_box=image_box)
    if about.website:
        add_link(document.add_paragraph(), about.website)


def add_contacts(document: Document, view: ReleaseView) -> None:
    """The media contacts, one paragraph each: name, details, then a link a line."""
    document.add_heading(view.contacts_heading, level=1)
    for contact in view.contacts:
        add_contact(document, contact)


def add_contact(document: Document, contact: ContactView) -> None:
    """One contact's paragraph, never split: name, details, then a link a line (the
    release's contacts and the kit's back page alike)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_together = True
    paragraph.add_run(contact.name, style="Contact Name")
    if contact.details:
        paragraph.add_run().add_break()
        paragraph.add_run(contact.details)
    for link in contact.links:
        paragraph.add_run().add_break()
        add_link(paragraph, link)


def add_photo_list(document: Document, view: ReleaseView, layout: WordLayout) -> None:
    """After the end mark, as in the PDF: each photo small, its caption, credit and
    where the full file is."""
    document.add_heading(view.strings["photos"], level=1)
    for photo in view.photos:
        add_picture(document, photo.image, layout.boxes["photo"])
        # One line per paragraph: a paragraph of derived lines is one unit to the importer.
        document.add_paragraph().add_run(photo.caption).bold = True
        for line in (photo.credit, photo.where):
            document.add_paragraph(line)


def add_picture(document: Document, image: Image, box: Box) -> Paragraph:
    """A paragraph of its own holding ``image``, fitted in ``box``."""
    paragraph = document.add_paragraph()
    add_picture_file(paragraph, image.path, image.alt, box)
    return paragraph


def keep_with_end_mark(document: Document) -> None:
    """The end mark never stands alone on a page: Word has no "keep with previous", so
    the paragraph before it, or each paragraph of a table's last row, keeps with it."""
    if len(body := document.element.body) > 1:
        last = body[-2]
        keep_with_next(last if last.tag == qn("w:p") else last[-1])


def keep_with_next(element: BaseOxmlElement) -> None:
    """Every paragraph in ``element`` (a paragraph, a table row) keeps with the next."""
    for paragraph in element.iter(qn("w:p")):
        ParagraphFormat(paragraph).keep_with_next = True


def add_ecosystems(document: Document, view: ReleaseView, layout: WordLayout) -> None:
    """The ecosystems as a table: logo, derived label and territory, website."""
    document.add_heading(view.ecosystems_heading, level=1)
    if view.ecosystems_intro:
        document.add_paragraph(view.ecosystems_intro).paragraph_format.keep_with_next = True
    columns = view.ecosystem_columns
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Ecosystems"]
    compact = len(view.ecosystems) >= layout.compact_from
    logo_box = layout.boxes["ecosystem_logo_compact" if compact else "ecosystem_logo"]
    header = table.rows[0]
    mark_header_row(header._tr)
    for cell, column in zip(header.cells, columns, strict=True):
        cell.text = view.strings[column]
    for eco in view.ecosystems:
        cells = table.add_row().cells
        for cell, column in zip(cells, columns, strict=True):
            fill_ecosystem_column(cell, column, eco, view, (logo_box, layout.boxes["prose_image"]))
    set_column_widths(table, column_widths(document, columns, logo_column_width(table, logo_box)))
    keep_table_together(table)


def fill_ecosystem_column(
    cell: _Cell, column: str, eco: EcosystemView, view: ReleaseView, boxes: tuple[Box, Box]
) -> None:
    """One cell of an ecosystem's row: its logo, its label and text, or its website."""
    logo_box, image_box = boxes
    if column == "logo" and eco.logo:
        add_picture_file(cell.paragraphs[0], eco.logo.path, eco.logo.alt, logo_box)
    elif column == "ecosystem":
        fill_ecosystem_cell(cell, eco, view.strings, image_box)
    elif column == "website" and eco.website:
        add_link(cell.paragraphs[0], eco.website)


def column_widths(document: Document, columns: list[str], logo_width: int) -> list[int]:
    """The logo column as wide as its box; the others share the rest of the text
    width (the page's width less its margins)."""
    section = document.sections[-1]
    margins = (section.left_margin or 0) + (section.right_margin or 0)
    text_width = (section.page_width or 0) - margins
    shared = text_width - (logo_width if "logo" in columns else 0)
    total = sum(COLUMN_SHARES.get(c, 0) for c in columns)
    return [logo_width if c == "logo" else shared * COLUMN_SHARES[c] // total for c in columns]


def logo_column_width(table: Table, box: Box) -> int:
    """The theme's logo box plus the table style's cell padding."""
    return box.width + _cell_padding(table)


def _cell_padding(table: Table) -> int:
    """Left plus right cell margins of the table's style, in EMU (Word's default
    0.19 cm each when the style says nothing)."""
    style = table.style.element if table.style is not None else None
    margins = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}") if style is not None else None
    return sum(_cell_margin(margins, side) for side in ("left", "right"))


def _cell_margin(margins: BaseOxmlElement | None, side: str) -> int:
    """One side's margin in ``margins`` (``w:tblCellMar``), in EMU; 0.19 cm if none."""
    edge = margins.find(qn(f"w:{side}")) if margins is not None else None
    return Twips(int(edge.get(qn("w:w")))) if edge is not None else Mm(1.9)


def fill_ecosystem_cell(
    cell: _Cell, eco: EcosystemView, strings: dict[str, str], images: Box
) -> None:
    """Label, then area, description and contact in small print."""
    first = cell.paragraphs[0]
    first.style = "Ecosystem Label"
    first.add_run(eco.label)
    if eco.area:
        cell.add_paragraph(eco.area, style="Small Print")
    if eco.description:
        add_prose(cell, eco.description, "Small Print", heading_base=3, image_box=images)
    if eco.contact:
        paragraph = cell.add_paragraph(style="Small Print")
        contact = filter(None, [eco.contact.name, eco.contact.details])
        paragraph.add_run(strings["list_separator"].join(contact))
        add_links(paragraph, eco.contact.links, strings["link_separator"])


def add_links(paragraph: Paragraph, links: Iterable[Link], separator: str) -> None:
    """Each link after ``separator``."""
    for link in links:
        paragraph.add_run(separator)
        add_link(paragraph, link)


def mark_header_row(tr: CT_Row) -> None:
    """Repeat the row at the top of each page, and announce it as a header row."""
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def set_column_widths(table: Table, widths: list[int]) -> None:
    """Fixed widths on the grid (read by LibreOffice) and on each cell (read by Word)."""
    table.autofit = False
    for line in [table.columns, *(row.cells for row in table.rows)]:
        for column_or_cell, width in zip(line, widths, strict=True):
            column_or_cell.width = width


def keep_table_together(table: Table) -> None:
    """Keep each row whole and the header row with the first data row; the table
    itself may break between rows (its header repeats on the next page)."""
    for row in table.rows:
        row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # before tblHeader
    keep_with_next(table.rows[0]._tr)


def add_event(document: Document, view: ReleaseView, images: Box) -> None:
    """Event name, description and the practical-information box."""
    assert view.event is not None
    document.add_heading(view.event.name, level=1)
    if view.event.description:
        add_prose(document, view.event.description, heading_base=2, image_box=images)
    document.add_heading(view.strings["practical_information"], level=2)
    for fact in view.event.facts:
        paragraph = document.add_paragraph(style="Practical Information")
        paragraph.add_run(view.colon(fact.label) + " ", style="Fact Label")
        if fact.prose:
            add_spans(paragraph, fact.prose.spans(), images)
        else:
            paragraph.add_run(fact.value or "")
        if fact.link:
            paragraph.add_run(view.strings["link_separator"])
            add_link(paragraph, fact.link)
    if view.event.note:
        document.add_paragraph(view.event.note, style="Practical Information Note")
