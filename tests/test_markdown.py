"""Markdown is parsed once and its bold, italics and links survive in PDF, DOCX and HTML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from pypdf import PdfReader

from presskit.content.markdown import ListBlock, Paragraph, parse
from presskit.kit.build import build

from .conftest import MINIMAL, pdf_text, write_content

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

PROSE = (
    "'The **bold claim**, an *italic aside* and [our site](https://example.org/news) with `code`.'"
)


def test_parse_keeps_formatting_and_links() -> None:
    prose = parse("A **b** and *i* [l](https://x.org)\n\n- one\n- two")
    paragraph, bullets = prose.blocks
    assert isinstance(paragraph, Paragraph)
    first = paragraph.spans
    assert [s.text for s in first if s.bold] == ["b"]
    assert [s.text for s in first if s.italic] == ["i"]
    assert [s.href for s in first if s.href] == ["https://x.org"]
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert [s.text for run in prose.runs() for s in run] == [
        "A ",
        "b",
        " and ",
        "i",
        " ",
        "l",
        "one",
        "two",
    ]


def test_formatting_survives_in_every_document(content_dir: Path, tmp_path: Path) -> None:
    path = write_content(content_dir, MINIMAL.replace("The lead paragraph.", PROSE))
    outputs = {o.format: o.path for o in build(path, tmp_path).outputs}

    document = docx.Document(str(outputs["docx"]))
    lead = next(p for p in document.paragraphs if p.style.name == "Lead")
    runs = lead._p.iter(f"{W}r")
    formatted = {}
    for run in runs:
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        rpr = run.find(f"{W}rPr")
        formatted[text] = {
            "bold": rpr is not None and rpr.find(f"{W}b") is not None,
            "italic": rpr is not None and rpr.find(f"{W}i") is not None,
            "link": run.getparent().tag == f"{W}hyperlink",
        }
    assert formatted["bold claim"]["bold"]
    assert formatted["italic aside"]["italic"]
    assert formatted["our site"]["link"]
    with zipfile.ZipFile(outputs["docx"]) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert 'Target="https://example.org/news"' in rels

    reader = PdfReader(outputs["pdf"])
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert "https://example.org/news" in uris
    fonts = {str(f) for f in _font_names(reader)}
    assert any("Inter-Bold" in f for f in fonts) and any("Inter-Italic" in f for f in fonts)
    assert "The bold claim, an italic aside and our site with code." in " ".join(
        pdf_text(outputs["pdf"]).split()
    )

    html = outputs["html"].read_text()
    assert "<strong>bold claim</strong>" in html
    assert "<em>italic aside</em>" in html
    assert '<a href="https://example.org/news">our site</a>' in html


def _font_names(reader: PdfReader) -> list[str]:
    names = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.append(font.get_object()["/BaseFont"])
    return names


def test_content_cannot_inject_markup(content_dir: Path, tmp_path: Path) -> None:
    text = MINIMAL.replace("A headline", "'<script>alert(1)</script> & <b>x</b>'").replace(
        "The lead paragraph.", "'<img src=x onerror=alert(1)> {{ 7*7 }}'"
    )
    path = write_content(content_dir, text)
    outputs = {o.format: o.path for o in build(path, tmp_path, ["html", "docx"]).outputs}
    html = next(outputs["html"].parent.glob("*.html")).read_text()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in html
    assert "{{ 7*7 }}" in html  # content is data, never template
    document = docx.Document(str(outputs["docx"]))
    assert any(p.text == "<script>alert(1)</script> & <b>x</b>" for p in document.paragraphs)
