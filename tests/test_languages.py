"""French and English kits from one content file."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from presskit.content.typography import NNBSP
from presskit.kit.build import build
from presskit.util.errors import ContentError

from .conftest import MINIMAL, Kit, docx_text, load_text, pdf_text, write_content


def test_the_example_builds_french_then_english(example_kits: dict[str, Kit]) -> None:
    assert list(example_kits) == ["fr", "en"]
    for language, kit in example_kits.items():
        assert kit.pdf.parent.name == language
        assert kit.pdf.name == "french-tech-hauts-de-france-2019.pdf"


@pytest.mark.parametrize("document", ["pdf", "docx"])
def test_french_wording(french_kit: Kit, document: str) -> None:
    text = pdf_text(french_kit.pdf) if document == "pdf" else docx_text(french_kit.docx)
    flat = " ".join(text.split())
    assert "Lille, le 3 avril 2019" in flat
    assert "pour diffusion immédiate" in flat.lower()
    assert "Contact presse" in flat
    assert "Communiqué de presse".lower() in flat.lower()
    assert "Début mai 2019" in flat
    assert "Date exacte à définir" in flat
    assert "Date et lieu à définir" not in flat  # "Où : À définir" says it already
    assert "À propos de La French Tech" in flat
    assert "Labellisation Capitale & Communautés French Tech" in flat


@pytest.mark.parametrize("document", ["pdf", "docx", "html"])
def test_french_typography_in_every_document(french_kit: Kit, document: str) -> None:
    if document == "pdf":
        text = pypdf_text(french_kit.pdf)  # pdftotext turns U+202F into a plain space
    elif document == "docx":
        text = docx_text(french_kit.docx)
    else:
        text = french_kit.html.read_text(encoding="utf-8")
    assert f"«{NNBSP}Communauté French Tech{NNBSP}»" in text
    assert "sont\u00a0:" in text
    assert "l’écosystème" in text and "l'écosystème" not in text


def test_no_typography_inside_urls(content_dir: Path, tmp_path: Path) -> None:
    text = MINIMAL.replace("issuer:", "languages: [fr]\nissuer:").replace(
        "The lead paragraph.",
        "'Voir [le programme](https://example.org/p?a=1;b=2) ou https://example.org/x?y=z !'",
    )
    outputs = {o.format: o.path for o in build(write_content(content_dir, text), tmp_path).outputs}
    pdf = pypdf_text(outputs["pdf"])
    assert "https://example.org/x?y=z" in pdf
    assert f"https://example.org/x?y=z{NNBSP}!" in pdf
    uris = [a.get_object()["/A"]["/URI"] for a in PdfReader(outputs["pdf"]).pages[0]["/Annots"]]
    assert "https://example.org/p?a=1;b=2" in uris
    with zipfile.ZipFile(outputs["docx"]) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert 'Target="https://example.org/p?a=1;b=2"' in rels
    assert NNBSP not in re.sub(r"https?://\S+", "", rels)
    html = outputs["html"].read_text(encoding="utf-8")
    assert 'href="https://example.org/p?a=1;b=2"' in html


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_english_has_english_typography_only(example_kit: Kit) -> None:
    for text in (pypdf_text(example_kit.pdf), docx_text(example_kit.docx)):
        assert NNBSP not in text
        assert "“French Tech Community”" in text
        flat = " ".join(text.split())
        assert "Lille, 3 April 2019" in flat
        assert "Media contact" in flat
        assert "Early May 2019" in flat


def test_english_output_does_not_depend_on_the_other_languages(
    example_kit: Kit, tmp_path: Path
) -> None:
    """Adding French to the content leaves the English documents as they were: an
    English-only copy of the example builds the very same English HTML."""
    from presskit.assets.resources import DEFAULT_CONTENT, EXAMPLES_DIR

    english_only = tmp_path / "content" / DEFAULT_CONTENT.name
    english_only.parent.mkdir()
    shutil.copytree(EXAMPLES_DIR / "logos", english_only.parent / "logos")
    text = DEFAULT_CONTENT.read_text(encoding="utf-8").replace(
        "languages: [fr, en]", "languages: [en]"
    )
    english_only.write_text(_drop_french(text), encoding="utf-8")
    alone = build(english_only, tmp_path / "out", ["html"])
    assert alone.outputs[0].path.read_bytes() == example_kit.html.read_bytes()


def _drop_french(text: str) -> str:
    """Remove every ``fr:`` translation (and its indented block) from the YAML text."""
    kept, skipping = [], None
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip())
        if skipping is not None and (indent > skipping or not line.strip()):
            continue
        skipping = None
        if line.lstrip().startswith("fr:"):
            skipping = indent
            continue
        kept.append(line)
    return "".join(kept)


def test_language_tags(example_kits: dict[str, Kit]) -> None:
    for language, tag in (("fr", "fr-FR"), ("en", "en-GB")):
        kit = example_kits[language]
        assert f'<html lang="{tag}">' in kit.html.read_text(encoding="utf-8")
        assert PdfReader(kit.pdf).trailer["/Root"]["/Lang"] == tag
        document = docx.Document(str(kit.docx))
        assert document.core_properties.language == tag
        with zipfile.ZipFile(kit.docx) as archive:
            body = archive.read("word/document.xml").decode()
            styles = archive.read("word/styles.xml").decode()
        runs = body.count("<w:r>") + body.count("<w:r ")
        assert body.count(f'<w:lang w:val="{tag}"') == runs
        assert f'<w:lang w:val="{tag}"' in styles
        other = "en-GB" if tag == "fr-FR" else "fr-FR"
        assert other not in body and other not in styles


def test_missing_translations_are_each_reported(content_dir: Path) -> None:
    text = """\
languages: [fr, en]
issuer: {name: Org}
headline:
  fr: Un titre
  en: A headline
subheadline: {fr: Sous-titre}
dateline: {city: Lille, date: 2019-04-03}
lead:
  en: The lead.
  de: Die Einleitung.
"""
    with pytest.raises(ContentError) as caught:
        load_text(content_dir, text)
    assert [p.format("f") for p in caught.value.problems] == [
        "f:6: subheadline: the 'en' translation is missing",
        "f:8: lead: the 'fr' translation is missing",
        "f:10: lead.de: 'de' is not one of the content's languages (fr, en)",
    ]


def test_errors_in_one_translation_name_it(content_dir: Path) -> None:
    text = MINIMAL.replace("issuer:", "languages: [fr, en]\nissuer:").replace(
        "headline: A headline", 'headline:\n  fr: Un titre\n  en: "Two\\nlines"'
    )
    with pytest.raises(ContentError) as caught:
        load_text(content_dir, text)
    assert [p.format("f") for p in caught.value.problems] == [
        "f:6: headline.en: must fit on one line"
    ]


def test_lang_option_builds_one_language(tmp_path: Path) -> None:
    from presskit.assets.resources import DEFAULT_CONTENT
    from presskit.cli import main

    example = str(DEFAULT_CONTENT)
    assert main(["build", example, "-o", str(tmp_path), "--lang", "fr", "--format", "html"]) == 0
    folder = tmp_path / "french-tech-hauts-de-france-2019"
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == ["fr"]
    assert main(["build", example, "-o", str(tmp_path), "--lang", "de"]) == 1
