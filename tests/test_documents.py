"""The built example, read back as a reader would: PDF text and metadata, DOCX structure."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from presskit.content.model import PressRelease
from presskit.render.view import build_view

from .conftest import Kit, docx_text, libreoffice_pdf, pdf_text, squash


def shown_texts(kit: Kit) -> list[str]:
    """Every field the documents must show, taken from the model through the view."""
    view = build_view(kit.release)
    texts = [view.headline, view.subheadline or "", view.release_line, view.dateline]
    texts += [e.label for e in view.ecosystems]
    texts += [e.area for e in view.ecosystems if e.area]
    assert view.event is not None
    texts += [view.event.name, view.event.note or ""]
    texts += [f.value or "" for f in view.event.facts]
    texts += [c.name for c in view.contacts] + [c.details or "" for c in view.contacts]
    texts += [a.heading for a in view.about] + [a.text.plain_text() for a in view.about]
    texts += [view.lead.plain_text(), view.end_mark]
    return [t for t in texts if t]


def test_pdf_and_docx_both_show_every_field(example_kit: Kit) -> None:
    pdf = squash(pdf_text(example_kit.pdf))
    word = squash(docx_text(example_kit.docx))
    for text in shown_texts(example_kit):
        assert squash(text) in pdf, f"PDF lacks {text!r}"
        assert squash(text) in word, f"DOCX lacks {text!r}"


def formed_labels(release: PressRelease) -> list[str]:
    """Each ecosystem's label, formed here from the content's own forms."""
    return [
        e.label or release.labels[e.kind or ""].format(territory=e.territory, area=e.area)
        for e in release.ecosystems
    ]


def test_labels_are_formed_and_event_is_worded(example_kit: Kit) -> None:
    text = pdf_text(example_kit.pdf)
    view = build_view(example_kit.release)
    assert view.ecosystems_heading == example_kit.release.ecosystems_heading
    assert squash(view.ecosystems_heading) in squash(text)
    for label in formed_labels(example_kit.release):
        assert label in text
    assert "Early May 2019" in text
    assert "Exact date to be defined" in text
    assert "Date and place to be defined" not in text  # "Where: To be defined" says it
    assert "For immediate release".upper() in text.upper()
    assert "3 April 2019" in text


def test_pdf_is_a4_one_or_two_pages_with_page_numbers(example_kit: Kit) -> None:
    reader = PdfReader(example_kit.pdf)
    assert 1 <= len(reader.pages) <= 2
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
        assert f"{number} / {len(reader.pages)}" in page.extract_text()
    if len(reader.pages) > 1:
        assert "FOR IMMEDIATE RELEASE" in reader.pages[1].extract_text()


def test_pdf_metadata_language_and_bookmarks(example_kit: Kit) -> None:
    reader = PdfReader(example_kit.pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Labelling French Tech Capital & Communities"
    assert meta.author == "Judith Stiekema"
    assert meta.subject == "A winning situation for the startup ecosystem in Hauts-de-France"
    assert "Hauts-de-France" in str(meta.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "Labelling French Tech Capital & Communities"
    flat = [i.title for i in _flatten(reader.outline)]
    view = build_view(example_kit.release)
    assert view.ecosystems_heading in flat and view.contacts_heading in flat


def _flatten(outline: list) -> list:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items


def test_pdf_embeds_only_the_shipped_fonts(example_kit: Kit) -> None:
    output = subprocess.run(
        ["pdffonts", str(example_kit.pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = output.splitlines()[2:]
    assert rows, "no fonts found"
    for row in rows:
        assert row.split("+", 1)[1].startswith("Inter"), row
        assert " yes yes " in row, f"font not embedded as a subset: {row}"


def test_pdf_links_are_clickable(example_kit: Kit) -> None:
    reader = PdfReader(example_kit.pdf)
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/Subtype") == "/Link"
    ]
    assert "https://lafrenchtech.com/" in uris


def test_docx_uses_the_reference_styles(example_kit: Kit) -> None:
    document = docx.Document(str(example_kit.docx))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Lead", "Release Line"} <= styles
    assert document.paragraphs[[p.style.name for p in document.paragraphs].index("Title")].text == (
        "Labelling French Tech Capital & Communities"
    )
    table = document.tables[0]
    assert table.style.name == "Ecosystems"
    assert (
        table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    assert table.rows[1].cells[-1].text.startswith(formed_labels(example_kit.release)[0])


def test_docx_header_footer_and_properties(example_kit: Kit) -> None:
    document = docx.Document(str(example_kit.docx))
    section = document.sections[0]
    header = section.header.paragraphs[0]
    view = build_view(example_kit.release)
    assert header.text == f"{view.issuer}\t{view.release_line}"
    # Upper case and bold are the reference file's styles, not typed into the text.
    styles = {run.text: run.style for run in header.runs if run.text.strip()}
    assert styles[view.release_line].name == "Header Release Line"
    assert styles[view.release_line].font.all_caps and styles[view.release_line].font.bold
    assert styles[view.issuer].font.all_caps
    footer_xml = section.footer._element.xml
    assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml
    props = document.core_properties
    assert props.title == "Labelling French Tech Capital & Communities"
    assert props.author == "Judith Stiekema"
    assert props.subject.startswith("A winning situation")
    assert "French Tech" in props.keywords
    assert props.language == "en-GB"
    styles_xml = document.styles.element.xml
    assert 'w:lang w:val="en-GB"' in styles_xml


def test_docx_logos_have_alt_text(example_kit: Kit) -> None:
    document = docx.Document(str(example_kit.docx))
    doc_prs = document.element.body.findall(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    )
    assert len(doc_prs) == 6  # the issuer and five ecosystems
    alts = [d.get("descr") for d in doc_prs]
    assert all(alts)
    assert [e.logo.alt for e in example_kit.release.ecosystems if e.logo] == alts[1:]


def test_docx_links_are_real_hyperlinks(example_kit: Kit) -> None:
    with zipfile.ZipFile(example_kit.docx) as archive:
        xml = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "<w:hyperlink" in xml
    assert 'Target="https://lafrenchtech.com/" TargetMode="External"' in rels


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_docx_converts_with_libreoffice(example_kit: Kit, tmp_path: Path) -> None:
    converted = libreoffice_pdf(example_kit.docx, tmp_path)
    text = pdf_text(converted)
    assert "Labelling French Tech Capital" in text
    assert formed_labels(example_kit.release)[-1] in text
    assert re.search(r"\b1\s*/\s*[12]\b", text)  # PAGE / NUMPAGES were computed


def test_html_is_escaped_and_self_contained(example_kit: Kit) -> None:
    html = example_kit.html.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert "Capital &amp; Communities" in html
    assert "file:" not in html
    assert 'src="data:image/png;base64,' in html
