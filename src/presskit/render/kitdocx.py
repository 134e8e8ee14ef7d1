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
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from presskit.render.docx import (
    _RPR_AFTER_LANG,
    REFERENCE_DOCX,
    _lang_element,
    _open,
    _style_ids,
    add_contact,
    add_field,
    add_masthead,
    add_story,
    check_reference,
    document_date,
    mark_provenance,
    package_bytes,
    resolve_style_names_once,
    set_language,
    set_properties,
    tidy_package,
)
from presskit.render.kitview import FigureView, KitView, PersonView, ProfileView, Section
from presskit.render.pictures import WORD_LAYOUT, WordLayout, add_picture_file, word_layout
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
    tag_every_run(document, view.language_tag)
    tidy_package(document, view.language_tag)
    mark_provenance(document, view.language_tag, view.release.source, kind="kit")
    update_fields_on_open(document)
    return package_bytes(document, document_date(view.release))


def _kit_document(view: KitView, reference: Path) -> Document:
    """The reference document, checked, in the kit's language, with its properties."""
    version = check_reference(reference)
    document = _open(reference)
    refuse_missing_kit_styles(document, reference)
    resolve_style_names_once(document, _style_ids(version))
    set_language(document, view.language_tag)
    set_properties(document, view.release)
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
        logo = view.issuer_logo
        add_picture_file(document.add_paragraph(), logo.path, logo.alt, layout.boxes["cover_logo"])
    document.add_paragraph(view.kind, style="Document Kind")
    document.add_paragraph(view.cover_title, style="Title")
    if view.cover_subtitle:
        document.add_paragraph(view.cover_subtitle, style="Subtitle")
    meta = document.add_paragraph(style="Dateline")
    meta.add_run(view.issuer, style="Dateline Text")
    meta.add_run(view.release.strings["link_separator"] + view.cover_date)
    if view.cover_picture is not None:
        picture = view.cover_picture
        box = layout.boxes["cover_picture"]
        add_picture_file(document.add_paragraph(), picture.path, picture.alt, box)
        document.add_paragraph(view.cover_credit or "", style="Caption")


def start_section(document: Document, view: KitView, title: str) -> None:
    """A new section on a new page, its header naming the issuer and ``title``, its
    footer the page number, "N / M"."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = document.styles["Header"]
    paragraph.add_run(view.issuer, style="Header Issuer")
    paragraph.add_run("\t")
    paragraph.add_run(title, style="Header Release Line")
    footer = section.footer
    footer.is_linked_to_previous = False
    line = footer.paragraphs[0]
    line.style = document.styles["Footer"]
    line.add_run("\t")
    add_field(line, "PAGE", "1")
    line.add_run(" / ")
    add_field(line, "NUMPAGES", "1")


class Bookmarks:
    """Word bookmarks (``_Toc…``, the names Word gives its own contents entries) for
    the headings the contents link to, by the view's anchor."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def name(self, anchor: str) -> str:
        return self.names.setdefault(anchor, f"_Toc{len(self.names) + 1:08d}")

    def mark(self, paragraph: Paragraph, anchor: str) -> None:
        name = self.name(anchor)
        number = str(list(self.names).index(anchor) + 1)
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), number)
        runs = paragraph._p.findall(qn("w:r"))
        if runs:
            runs[0].addprevious(start)
            runs[-1].addnext(end)
        else:
            paragraph._p.append(start)
            paragraph._p.append(end)


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
            _field_char(paragraph, "begin", dirty=True)
            _instruction(paragraph, TOC_FIELD)
            _field_char(paragraph, "separate")
        _toc_entry(paragraph, bookmarks.name(anchor), title, pages.get(anchor))
        if index == len(entries) - 1:
            _field_char(paragraph, "end")


def _toc_entries(sections: list[Section]) -> Iterator[tuple[int, str, str]]:
    for section in sections:
        yield 1, section.id, section.title
        for anchor, label in section.entries:
            yield 2, anchor, label


def _toc_entry(paragraph: Paragraph, bookmark: str, title: str, page: int | None) -> None:
    """``title<tab>page``, linked to the heading, the page a PAGEREF field."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(_text_run(title))
    tab = OxmlElement("w:r")
    tab.append(OxmlElement("w:tab"))
    link.append(tab)
    for part in (
        _char_run("begin"),
        _instruction_run(f" PAGEREF {bookmark} \\h "),
        _char_run("separate"),
        _text_run(str(page) if page is not None else ""),
        _char_run("end"),
    ):
        link.append(part)
    paragraph._p.append(link)


def _text_run(text: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    element = OxmlElement("w:t")
    element.text = text
    element.set(qn("xml:space"), "preserve")
    run.append(element)
    return run


def _char_run(kind: str, dirty: bool = False) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run.append(char)
    return run


def _instruction_run(text: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    run.append(instruction)
    return run


def _field_char(paragraph: Paragraph, kind: str, dirty: bool = False) -> None:
    paragraph._p.append(_char_run(kind, dirty))


def _instruction(paragraph: Paragraph, text: str) -> None:
    paragraph._p.append(_instruction_run(text))


def update_fields_on_open(document: Document) -> None:
    """Ask Word to update the fields (the contents' page numbers) when it opens the
    file, as its own "Update table" would."""
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # Word refuses settings out of schema order: updateFields goes before these.
    following = next((c for c in settings if _local_name(c.tag) in _AFTER_UPDATE_FIELDS), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)


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
    """The release as in its own Word file, its headings one level down (under the
    section's Heading 1)."""
    body = document.element.body
    first_new = len(body) - 1  # before the section's sectPr
    add_masthead(document, view.release, layout)
    add_story(document, view.release, layout)
    for element in list(body)[first_new:]:
        for style in element.iter(qn("w:pStyle")):
            level = _heading_level(document, style.get(qn("w:val")))
            if level is not None and level < 6:
                style.set(qn("w:val"), _style_id(document, f"Heading {level + 1}"))


def _heading_level(document: Document, style_id: str | None) -> int | None:
    for level in range(1, 7):
        if style_id == _style_id(document, f"Heading {level}"):
            return level
    return None


def _style_id(document: Document, name: str) -> str:
    return str(document.styles[name].style_id)


def add_figure(document: Document, figure: FigureView) -> None:
    document.add_paragraph(figure.value, style="Key Figure")
    document.add_paragraph(figure.label, style="Key Figure Label")
    if figure.source:
        paragraph = document.add_paragraph(style="Small Print")
        if figure.source_link is not None:
            add_link(paragraph, Link(figure.source, figure.source_link.href))
        else:
            paragraph.add_run(figure.source)


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
        opening = document.add_paragraph()
        add_picture_file(opening, profile.logo.path, profile.logo.alt, layout.boxes["profile_logo"])
        opening.paragraph_format.keep_with_next = True
    title = document.add_paragraph(profile.label, style="Profile Title")
    bookmarks.mark(title, profile.id)
    opening = opening or title
    if profile.starts_page and profile is not view.profiles[0]:
        opening.paragraph_format.page_break_before = True


def _add_profile_contact(document: Document, view: KitView, contact: ContactView) -> None:
    """The contact on one line: name, details, links."""
    strings = view.strings
    paragraph = _fact(document, view, strings["contact"], contact.name)
    if contact.details:
        paragraph.add_run(strings["list_separator"] + contact.details)
    for link in contact.links:
        paragraph.add_run(strings["link_separator"])
        add_link(paragraph, link)


def _fact(document: Document, view: KitView, label: str, value: str | None) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(view.release.colon(label) + " ", style="Fact Label")
    if value:
        paragraph.add_run(value)
    return paragraph


def add_person(document: Document, person: PersonView, layout: WordLayout, box: str) -> None:
    if person.portrait:
        picture = document.add_paragraph()
        add_picture_file(picture, person.portrait.path, person.portrait.alt, layout.boxes[box])
        picture.paragraph_format.keep_with_next = True
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
            picture = document.add_paragraph()
            box = layout.boxes["partner_logo"]
            add_picture_file(picture, partner.logo.path, partner.logo.alt, box)
            picture.paragraph_format.keep_with_next = True
        paragraph = document.add_paragraph(style="Ecosystem Label")
        if partner.website:
            add_link(paragraph, Link(partner.name, partner.website.href))
        else:
            paragraph.add_run(partner.name)


def add_gallery(document: Document, view: KitView, layout: WordLayout) -> None:
    for photo in view.photos:
        picture = document.add_paragraph()
        box = layout.boxes["gallery_photo"]
        add_picture_file(picture, photo.image.path, photo.image.alt, box)
        picture.paragraph_format.keep_with_next = True
        caption = document.add_paragraph(style="Caption")
        caption.add_run(photo.caption).bold = True
        caption.add_run().add_break()
        caption.add_run(photo.credit)


def add_back_page(document: Document, view: KitView, layout: WordLayout) -> None:
    for contact in view.contacts:
        add_contact(document, contact)
    if view.issuer_logo:
        logo = view.issuer_logo
        add_picture_file(document.add_paragraph(), logo.path, logo.alt, layout.boxes["issuer_logo"])
    document.add_paragraph(view.issuer, style="Issuer")
    if view.release.issuer_website:
        add_link(document.add_paragraph(style="Small Print"), view.release.issuer_website)


def tag_every_run(document: Document, tag: str) -> None:
    """Every run of the body and of every section's header and footer tagged with the
    language (see :func:`presskit.render.docx.tag_runs`)."""
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    for part in parts:
        for run in part.iter(qn("w:r")):
            rpr = run.get_or_add_rPr()
            if rpr.find(qn("w:lang")) is None:
                rpr.insert_element_before(_lang_element(tag), *_RPR_AFTER_LANG)
