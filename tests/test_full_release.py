"""A release using every optional part (tests/fixtures/full.yaml), read back."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from presskit.kit.build import build
from presskit.render.view import build_view

from .conftest import docx_text, load_text, pdf_text, squash

FIXTURE = Path(__file__).parent / "fixtures" / "full.yaml"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    result = build(FIXTURE, tmp_path_factory.mktemp("full"))
    return {o.format: o.path for o in result.outputs}


def test_every_part_is_in_both_documents(full: dict[str, Path]) -> None:
    from presskit.content.loader import load

    view = build_view(load(FIXTURE))
    expected = [view.release_line, view.headline, view.subheadline or "", view.dateline]
    expected += [q.attribution for q in view.quotes] + [q.text.plain_text() for q in view.quotes]
    expected += [e.label for e in view.ecosystems] + [e.area or "" for e in view.ecosystems]
    contacts = [e.contact for e in view.ecosystems if e.contact]
    expected += [c.name for c in contacts] + [link.text for c in contacts for link in c.links]
    expected += [f.link.text for f in view.event.facts if f.link] if view.event else []
    assert view.issuer_website is not None
    expected.append(view.issuer_website.text)
    assert view.event is not None
    expected += [f.value or "" for f in view.event.facts if f.value]
    expected += [a.heading for a in view.about]
    expected += [c.name for c in view.contacts] + [
        link.text for c in view.contacts for link in c.links
    ]
    pdf, word = squash(pdf_text(full["pdf"])), squash(docx_text(full["docx"]))
    for text in filter(None, expected):
        assert squash(text) in pdf, f"PDF lacks {text!r}"
        assert squash(text) in word, f"DOCX lacks {text!r}"


def test_contacts_websites_and_maps_are_links_everywhere(full: dict[str, Path]) -> None:
    targets = {
        "mailto:ana@example.org",
        "tel:+33320000000",
        "https://example.org/map",
        "https://example.org/",
    }
    pdf_uris = {
        a.get_object()["/A"]["/URI"]
        for page in PdfReader(full["pdf"]).pages
        for a in page.get("/Annots", [])
    }
    assert targets <= pdf_uris
    import zipfile

    with zipfile.ZipFile(full["docx"]) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    for target in targets:
        assert f'Target="{target}"' in rels
    html = full["html"].read_text(encoding="utf-8")
    for target in targets:
        assert f'href="{target}"' in html


def test_embargo_line_heads_every_page(full: dict[str, Path]) -> None:
    reader = PdfReader(full["pdf"])
    for page in reader.pages:
        assert "EMBARGOED UNTIL 1 DECEMBER 2026, 07:00 CET" in " ".join(page.extract_text().split())
    header = docx.Document(str(full["docx"])).sections[0].header.paragraphs[0]
    assert "Embargoed until 1 December 2026, 07:00 CET" in header.text
    assert header.runs[-1].style.font.all_caps  # shown in capitals, as in the PDF


def test_lists_images_and_quotes_use_native_word_styles(full: dict[str, Path]) -> None:
    document = docx.Document(str(full["docx"]))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("List Bullet") == 3
    assert styles.count("List Number 2") == 2
    assert styles.count("Quote") == 3  # one Markdown block quote, two quotations
    # "## What changes" is the body's top heading: the level of the document's sections.
    assert "Heading 1" in styles[: styles.index("Quote")]
    descriptions = [d.get("descr") for d in document.element.body.iter(f"{WP}docPr")]
    assert "A diagram of the new programme" in descriptions


def test_html_keeps_the_structure(full: dict[str, Path]) -> None:
    html = full["html"].read_text(encoding="utf-8")
    assert "<ol><li>a nested numbered item;</li>" in html
    assert '<img src="data:image/jpeg;base64,' in html
    assert 'alt="A diagram of the new programme"' in html
    assert '<a href="mailto:events@example.org">events@example.org</a>' in html


def test_empty_value_means_not_given(content_dir: Path) -> None:
    from .conftest import MINIMAL

    release = load_text(content_dir, MINIMAL + "subheadline:\nquotes:\nend_mark:\n")
    assert release.subheadline is None and release.quotes == [] and release.end_mark == "###"
