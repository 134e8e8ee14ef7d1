"""The press kit document as an editable Word file (python-docx).

It lays out the same :class:`~presskit.render.kitview.KitView` as the HTML and PDF, in the
same order, with the theme's ``reference.docx`` styles: the cover in a section of its
own (no header, no page number), then one section per kit section, each with its
title in the running header (a section per part: every client shows it, where a
STYLEREF field is not read alike by all). Section titles are Heading 1 and profile
titles "Profile Title" (a Heading 2); the release's own headings move one level down.

The contents are a real TOC field over those two styles: filled in, entry by entry
with links and the page numbers of the PDF (the same pages, section by section), so
that they read right before any update, and marked for Word to update when the file is
opened (``w:updateFields``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from presskit.content.model import Image
from presskit.render.docx import (
    REFERENCE_DOCX,
    add_contact,
    add_links,
    add_masthead_and_story,
    add_page_furniture,
    add_picture,
    finish_document,
    open_document,
    oxml,
)
from presskit.render.kitview import FigureView, KitView, PersonView, ProfileView, Section
from presskit.render.pictures import WORD_LAYOUT, Box, WordLayout, word_layout
from presskit.render.prose import add_link, add_prose
from presskit.render.view import ContactView, Link
from presskit.util.errors import BuildError

KIT_STYLES = (
    "TOC Heading", "TOC 1", "TOC 2", "Profile Title", "Key Figure", "Key Figure Label",
    "Person Name", "Caption",
)  # fmt: skip
"""The styles the kit document uses besides the release's (:data:`REQUIRED_STYLES`)."""
TOC_FIELD = ' TOC \\h \\z \\t "Heading 1,1,Profile Title,2" '
"""Contents over the section titles (level 1) and the profile titles (level 2)."""


def render_kit_docx(
    view: KitView,
    pages: Mapping[str, int] | None = None,
    reference: Path = REFERENCE_DOCX,
    layout_file: Path = WORD_LAYOUT,
) -> bytes:
    """The kit document's Word file; ``pages`` gives the page of each section and
    profile (by anchor) for the contents, as the PDF lays them out."""
    layout = word_layout(layout_file)
    document = _kit_document(view, reference)
    add_cover(document, view, layout)
    bookmarks = Bookmarks()
    add_contents(document, view, pages or {}, bookmarks)
    for section in view.sections:
        start_section(document, view, section.title)
        heading = document.add_heading(section.title, level=1)
        bookmarks.mark(heading, section.id)
        add_section_body(document, view, section, layout, bookmarks)
    update_fields_on_open(document)
    return finish_document(document, view.release, "kit")


def _kit_document(view: KitView, reference: Path) -> Document:
    """The reference document, checked, in the kit's language, with its properties."""
    document = open_document(view.release, reference)
    refuse_missing_kit_styles(document, reference)
    document.core_properties.title = view.title[:255]
    document.core_properties.category = view.kind
    return document


def refuse_missing_kit_styles(document: Document, reference: Path) -> None:
    names = {style.name for style in document.styles}
    missing = [name for name in KIT_STYLES if name not in names]
    if missing:
        raise BuildError(
            f"{reference}: the press kit document needs the Word style"
            f"{'s' if len(missing) != 1 else ''} {', '.join(missing)}, which this styles "
            "file lacks; add them (by these names) or start from the built-in "
            "templates/reference.docx"
        )


# -- sections and their furniture -----------------------------------------------------


def add_cover(document: Document, view: KitView, layout: WordLayout) -> None:
    """The first section: logo, kind, title, subtitle, issuer and date, picture. Its
    header and footer stay empty (the next sections have their own)."""
    if view.issuer_logo:
        add_picture(document, view.issuer_logo, layout.boxes["cover_logo"])
    document.add_paragraph(view.kind, style="Document Kind")
    document.add_paragraph(view.cover_title, style="Title")
    if view.cover_subtitle:
        document.add_paragraph(view.cover_subtitle, style="Subtitle")
    meta = document.add_paragraph(style="Dateline")
    meta.add_run(view.issuer, style="Dateline Text")
    meta.add_run(view.release.strings["link_separator"] + view.cover_date)
    if view.cover_picture is not None:
        add_picture(document, view.cover_picture, layout.boxes["cover_picture"])
        document.add_paragraph(view.cover_credit or "", style="Caption")


def start_section(document: Document, view: KitView, title: str) -> None:
    """A new section on a new page, its header naming the issuer and ``title``, its
    footer the page number, "N / M"."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    add_page_furniture(document, section, view.issuer, title)


class Bookmarks:
    """Word bookmarks (``_Toc…``, the names Word gives its own contents entries) for
    the headings the contents link to, by the view's anchor."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def name(self, anchor: str) -> str:
        return self.names.setdefault(anchor, f"_Toc{len(self.names) + 1:08d}")

    def mark(self, paragraph: Paragraph, anchor: str) -> None:
        """Bookmark the text of ``paragraph``, the heading of ``anchor``."""
        name = self.name(anchor)
        number = str(list(self.names).index(anchor) + 1)
        start = oxml("w:bookmarkStart", {"w:id": number, "w:name": name})
        _around_runs(paragraph, start, oxml("w:bookmarkEnd", {"w:id": number}))


def _around_runs(paragraph: Paragraph, start: BaseOxmlElement, end: BaseOxmlElement) -> None:
    """``start`` before the paragraph's first run, ``end`` after its last (or both last)."""
    paragraph._p.extend([start, end])
    if runs := paragraph._p.findall(qn("w:r")):
        runs[0].addprevious(start)
        runs[-1].addnext(end)


def add_contents(
    document: Document, view: KitView, pages: Mapping[str, int], bookmarks: Bookmarks
) -> None:
    """The contents page: a TOC field whose result is already the list of entries."""
    start_section(document, view, view.contents_heading)
    document.add_paragraph(view.contents_heading, style="TOC Heading")
    entries = list(_toc_entries(view.sections))
    for index, (level, anchor, title) in enumerate(entries):
        paragraph = document.add_paragraph(style=f"TOC {level}")
        if index == 0:
            paragraph._p.extend(_field_start(TOC_FIELD, dirty=True))
        _toc_entry(paragraph, bookmarks.name(anchor), title, pages.get(anchor))
        if index == len(entries) - 1:
            paragraph._p.append(_char_run("end"))


def _toc_entries(sections: list[Section]) -> Iterator[tuple[int, str, str]]:
    for section in sections:
        yield 1, section.id, section.title
        for anchor, label in section.entries:
            yield 2, anchor, label


def _toc_entry(paragraph: Paragraph, bookmark: str, title: str, page: int | None) -> None:
    """``title<tab>page``, linked to the heading, the page a PAGEREF field."""
    tab = oxml("w:r", {}, oxml("w:tab", {}))
    attrs = {"w:anchor": bookmark, "w:history": "1"}
    link = oxml("w:hyperlink", attrs, _text_run(title), tab, *_page_field(bookmark, page))
    paragraph._p.append(link)


def _page_field(bookmark: str, page: int | None) -> list[BaseOxmlElement]:
    """A PAGEREF field to ``bookmark``, ``page`` its result until Word updates it."""
    number = _text_run(str(page) if page is not None else "")
    return [*_field_start(f" PAGEREF {bookmark} \\h "), number, _char_run("end")]


def _field_start(instruction: str, dirty: bool = False) -> list[BaseOxmlElement]:
    """A field's runs up to its result: begin (``dirty``: to update), instruction, separate."""
    return [_char_run("begin", dirty), _text_run(instruction, "w:instrText"), _char_run("separate")]


def _text_run(text: str, tag: str = "w:t") -> BaseOxmlElement:
    """A run of ``text`` (in ``tag``: ``w:instrText`` for a field's instruction), its
    spaces kept."""
    element = oxml(tag, {"xml:space": "preserve"})
    element.text = text
    return oxml("w:r", {}, element)


def _char_run(kind: str, dirty: bool = False) -> BaseOxmlElement:
    """A run holding a field character: ``kind`` begin, separate or end."""
    attrs = {"w:fldCharType": kind} | ({"w:dirty": "true"} if dirty else {})
    return oxml("w:r", {}, oxml("w:fldChar", attrs))


def update_fields_on_open(document: Document) -> None:
    """Have Word update the fields (the contents' page numbers) when it opens the file."""
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    settings.insert(_update_fields_place(settings), oxml("w:updateFields", {"w:val": "true"}))


def _update_fields_place(settings: BaseOxmlElement) -> int:
    """Before the first setting the schema puts after updateFields (Word refuses others)."""
    goes_after = [_local_name(child.tag) in _AFTER_UPDATE_FIELDS for child in settings]
    return goes_after.index(True) if any(goes_after) else len(goes_after)


_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
    "listSeparator",
}  # fmt: skip


def _local_name(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


# -- what each section shows -----------------------------------------------------------


def add_section_body(
    document: Document,
    view: KitView,
    section: Section,
    layout: WordLayout,
    bookmarks: Bookmarks,
) -> None:
    if section.kind == "release":
        add_release(document, view, layout)
    elif section.kind == "key_figures":
        for figure in view.key_figures:
            add_figure(document, figure)
    elif section.kind == "profiles":
        for profile in view.profiles:
            add_profile(document, view, profile, layout, bookmarks)
    elif section.kind == "background":
        add_background(document, view)
    elif section.kind == "people":
        for person in view.people:
            add_person(document, person, layout, "portrait")
    elif section.kind == "partners":
        add_partners(document, view, layout)
    elif section.kind == "photos":
        add_gallery(document, view, layout)
    elif section.kind == "contacts":
        add_back_page(document, view, layout)


def add_release(document: Document, view: KitView, layout: WordLayout) -> None:
    """The release as in its own Word file, its headings one level down (under the section's)."""
    body = document.element.body
    first_new = len(body) - 1  # before the section's sectPr
    add_masthead_and_story(document, view.release, layout)
    _demote_headings(document, list(body)[first_new:])


def _demote_headings(document: Document, elements: list[BaseOxmlElement]) -> None:
    """Each ``Heading n`` paragraph in ``elements`` becomes ``Heading n+1`` (6 stays 6)."""
    lower = dict(pairwise(_style_id(document, f"Heading {level}") for level in range(1, 7)))
    for element in elements:
        for style in element.iter(qn("w:pStyle")):
            if (style_id := style.get(qn("w:val"))) in lower:
                style.set(qn("w:val"), lower[style_id])


def _style_id(document: Document, name: str) -> str:
    return str(document.styles[name].style_id)


def add_figure(document: Document, figure: FigureView) -> None:
    document.add_paragraph(figure.value, style="Key Figure")
    document.add_paragraph(figure.label, style="Key Figure Label")
    if figure.source:
        _add_text(document.add_paragraph(style="Small Print"), figure.source, figure.source_link)


def _add_text(paragraph: Paragraph, text: str, target: Link | None) -> None:
    """``text``, a link to ``target``'s address if there is one."""
    if target is not None:
        add_link(paragraph, Link(text, target.href))
    else:
        paragraph.add_run(text)


def add_profile(
    document: Document,
    view: KitView,
    profile: ProfileView,
    layout: WordLayout,
    bookmarks: Bookmarks,
) -> None:
    """Logo, title, area, facts, text, figures, people and contact of one ecosystem."""
    _add_profile_opening(document, view, profile, layout, bookmarks)
    strings = view.strings
    if profile.area:
        document.add_paragraph(profile.area, style="Small Print")
    if profile.founded:
        _fact(document, view, strings["kit_founded"], profile.founded)
    if profile.website:
        paragraph = _fact(document, view, strings["website"], None)
        add_link(paragraph, profile.website)
    if profile.text:
        add_prose(document, profile.text, heading_base=3, image_box=layout.boxes["prose_image"])
    if profile.figures:
        _add_profile_figures(document, strings["kit_profile_figures"], profile.figures)
    if profile.people:
        _add_profile_people(document, strings["kit_profile_people"], profile.people, layout)
    if profile.contact:
        _add_profile_contact(document, view, profile.contact)


def _add_profile_figures(document: Document, heading: str, figures: list[FigureView]) -> None:
    document.add_heading(heading, level=3)
    for figure in figures:
        add_figure(document, figure)


def _add_profile_people(
    document: Document, heading: str, people: list[PersonView], layout: WordLayout
) -> None:
    document.add_heading(heading, level=3)
    for person in people:
        add_person(document, person, layout, "portrait_small")


def _add_profile_opening(
    document: Document,
    view: KitView,
    profile: ProfileView,
    layout: WordLayout,
    bookmarks: Bookmarks,
) -> None:
    """The logo and the bookmarked title; a new page before them, unless the profile
    is the first or shares the page of the one before."""
    opening: Paragraph | None = None
    if profile.logo:
        opening = _add_kept_picture(document, profile.logo, layout.boxes["profile_logo"])
    title = document.add_paragraph(profile.label, style="Profile Title")
    bookmarks.mark(title, profile.id)
    opening = opening or title
    if profile.starts_page and profile is not view.profiles[0]:
        opening.paragraph_format.page_break_before = True


def _add_profile_contact(document: Document, view: KitView, contact: ContactView) -> None:
    """The contact on one line: name, details, links."""
    paragraph = _fact(document, view, view.strings["contact"], contact.name)
    if contact.details:
        paragraph.add_run(view.strings["list_separator"] + contact.details)
    add_links(paragraph, contact.links, view.strings["link_separator"])


def _fact(document: Document, view: KitView, label: str, value: str | None) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(view.release.colon(label) + " ", style="Fact Label")
    if value:
        paragraph.add_run(value)
    return paragraph


def add_person(document: Document, person: PersonView, layout: WordLayout, box: str) -> None:
    if person.portrait:
        _add_kept_picture(document, person.portrait, layout.boxes[box])
        document.add_paragraph(person.credit or "", style="Caption")
    document.add_paragraph(person.name, style="Person Name")
    if person.details:
        document.add_paragraph(person.details, style="Small Print")
    if person.bio:
        add_prose(document, person.bio, heading_base=4, image_box=layout.boxes["prose_image"])


def add_background(document: Document, view: KitView) -> None:
    if view.background_text:
        add_prose(document, view.background_text, heading_base=2)
    if view.timeline:
        document.add_heading(view.timeline_heading, level=2)
        for step in view.timeline:
            paragraph = document.add_paragraph(style="Practical Information")
            paragraph.add_run(step.date, style="Fact Label")
            paragraph.add_run().add_break()
            paragraph.add_run(step.text)


def add_partners(document: Document, view: KitView, layout: WordLayout) -> None:
    for partner in view.partners:
        if partner.logo:
            _add_kept_picture(document, partner.logo, layout.boxes["partner_logo"])
        paragraph = document.add_paragraph(style="Ecosystem Label")
        _add_text(paragraph, partner.name, partner.website)


def add_gallery(document: Document, view: KitView, layout: WordLayout) -> None:
    for photo in view.photos:
        _add_kept_picture(document, photo.image, layout.boxes["gallery_photo"])
        caption = document.add_paragraph(style="Caption")
        caption.add_run(photo.caption).bold = True
        caption.add_run().add_break()
        caption.add_run(photo.credit)


def add_back_page(document: Document, view: KitView, layout: WordLayout) -> None:
    for contact in view.contacts:
        add_contact(document, contact)
    if view.issuer_logo:
        add_picture(document, view.issuer_logo, layout.boxes["issuer_logo"])
    document.add_paragraph(view.issuer, style="Issuer")
    if view.release.issuer_website:
        add_link(document.add_paragraph(style="Small Print"), view.release.issuer_website)


def _add_kept_picture(document: Document, image: Image, box: Box) -> Paragraph:
    """``image`` in a paragraph kept on the page of the next (its caption, its name)."""
    picture = add_picture(document, image, box)
    picture.paragraph_format.keep_with_next = True
    return picture
