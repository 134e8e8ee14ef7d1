"""Page craft: no page holds only the end mark, a lone heading or one line of a
paragraph, and a French release with twelve ecosystems fits on two A4 pages, in the
PDF and in the Word file as LibreOffice lays it out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from presskit.kit.build import build
from presskit.render.pdf import PdfPool
from presskit.render.view import build_view

from .conftest import AURA, Kit, libreoffice_pdf, squash


def page_texts(pdf: Path) -> list[str]:
    return [pdf_text_page(pdf, n) for n in range(1, len(PdfReader(pdf).pages) + 1)]


def pdf_text_page(pdf: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def last_words(page: str) -> str:
    """The last line of a page's text, page number ("1 / 2") left out."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    lines = [line for line in lines if not line.replace(" ", "").replace("/", "").isdigit()]
    return lines[-1]


def check_pages(pages: list[str], kit: Kit) -> None:
    view = build_view(kit.release)
    assert len(pages) == 2, f"{len(pages)} pages"
    last = squash(pages[-1])
    assert squash(view.end_mark) in last
    assert squash(view.contacts[-1].name) in last  # the end mark is not alone
    headings = [
        view.ecosystems_heading,
        view.contacts_heading,
        view.strings["practical_information"],
    ]
    headings += [view.event.name] if view.event else []
    for page in pages[:-1]:
        assert squash(last_words(page)) not in {squash(h) for h in headings}, last_words(page)


def test_twelve_ecosystems_fit_two_pages_in_the_pdf(aura_kit: Kit) -> None:
    assert len(aura_kit.release.ecosystems) == 12
    check_pages(page_texts(aura_kit.pdf), aura_kit)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_twelve_ecosystems_fit_two_pages_in_word(aura_kit: Kit, tmp_path: Path) -> None:
    check_pages(page_texts(libreoffice_pdf(aura_kit.docx, tmp_path)), aura_kit)


def test_word_keeps_headings_lines_and_end_mark_together(aura_kit: Kit) -> None:
    document = docx.Document(str(aura_kit.docx))
    assert document.styles["Normal"].paragraph_format.widow_control
    for level in range(1, 5):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next
    body = [p for p in document.element.body if p.tag == qn("w:p")]
    before_end = docx.text.paragraph.Paragraph(body[-2], document._body)
    assert document.paragraphs[-1].style.name == "End Mark"
    assert before_end.paragraph_format.keep_with_next
    assert aura_kit.release.media_contacts[-1].name in before_end.text


def test_the_end_mark_never_stands_alone_as_the_story_grows(tmp_path: Path) -> None:
    """Grow the body a sentence at a time across the point where the release needs a
    third page: at every length the end mark keeps the last contact's company."""
    workers = PdfPool(size=1)  # one warm worker: fonts load once
    try:
        page_counts = {grown_release_pages(tmp_path, extra, workers) for extra in range(20, 26)}
    finally:
        workers.close()
    assert page_counts == {2, 3}  # the range crosses the page boundary


def grown_release_pages(tmp_path: Path, extra: int, workers: PdfPool) -> int:
    """Build the fixture with ``extra`` more sentences in its body; check the last
    page and return the page count."""
    anchor = "  mentors, ouvert dès le mois d'avril.\n"
    sentence = (
        "  Une phrase de plus pour allonger le corps du texte, ligne après ligne, jusqu'à la"
        " limite de la page.\n"
    )
    folder = tmp_path / str(extra)
    shutil.copytree(AURA.parent / "logos", folder / "logos")
    path = folder / "release.yaml"
    fixture = AURA.read_text(encoding="utf-8")
    path.write_text(fixture.replace(anchor, anchor + "\n" + sentence * extra), "utf-8")
    result = build(path, folder / "out", ["pdf"], pool=workers)
    pages = page_texts(next(o.path for o in result.outputs if o.format == "pdf"))
    view = build_view(result.releases[0])
    assert squash(view.contacts[-1].name) in squash(pages[-1]), f"{extra}: end mark alone"
    return len(pages)
