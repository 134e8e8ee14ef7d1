"""Accessible, archival and reproducible documents, checked on the built files.

veraPDF cannot run here; these tests check, with pikepdf, each property its PDF/UA-1
and PDF/A-2b profiles look at: tagged or artifact content, alternative texts, link
annotations, XMP identification, output intent, interpolation, trailer ID, fonts.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
from pypdf import PdfReader

from presskit.assets.resources import DEFAULT_CONTENT
from presskit.kit.build import build
from presskit.render.view import build_view

from .conftest import Kit
from .kit_fixtures import kit_content

FULL = Path(__file__).parent / "fixtures" / "full.yaml"
AURA = Path(__file__).parent / "fixtures" / "aura-twelve" / "release.yaml"  # SVG, odd logos
TEXT_OR_PAINT = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh"}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The example in both languages, the fuller fixture (quotes, images, table), the
    twelve-ecosystem one (logos of every shape, one SVG), and a German press kit
    document with pictures of every kind; each with its press kit document when it
    has one."""
    out = tmp_path_factory.mktemp("ua")
    paths = [o.path for o in build(DEFAULT_CONTENT, out, ["pdf"]).outputs]
    paths += [o.path for o in build(FULL, out, ["pdf"]).outputs]
    paths += [o.path for o in build(AURA, out, ["pdf"]).outputs]
    # A press kit document with portraits, partners' logos, a gallery and a cover.
    kit = kit_content(out / "hubs", 4)
    paths += [o.path for o in build(kit, out, ["pdf"], ["de"]).outputs]
    return paths


def elements(item: Any) -> Iterator[pikepdf.Dictionary]:
    if isinstance(item, pikepdf.Array):
        for kid in item:
            yield from elements(kid)
    elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") not in ("/MCR", "/OBJR"):
        yield item
        if "/K" in item:
            yield from elements(item.K)


def test_every_page_is_tagged_or_artifact(pdfs: list[Path]) -> None:
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            tree = pdf.Root.StructTreeRoot
            in_tree = {e.objgen for e in elements(tree.K)}
            parents = tree.ParentTree.Nums
            by_key = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
            for page in pdf.pages:
                by_mcid = by_key[int(page.obj.StructParents)]
                depth, mcids = 0, []
                for operands, operator in pikepdf.parse_content_stream(page):
                    op = str(operator)
                    if op in ("BDC", "BMC"):
                        depth += 1
                        if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                            mcids.append(int(operands[1].MCID))
                        else:
                            assert str(operands[0]) == "/Artifact", operands
                    elif op == "EMC":
                        depth -= 1
                    elif op in TEXT_OR_PAINT:
                        assert depth > 0, f"{path.name}: {op} outside marked content"
                for mcid in mcids:
                    assert by_mcid[mcid].objgen in in_tree, f"{path.name}: MCID {mcid} not in tree"


def test_structure_alt_texts_links_and_headings(pdfs: list[Path]) -> None:
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            found = list(elements(pdf.Root.StructTreeRoot.K))
            figures = [e for e in found if e.S == "/Figure"]
            assert figures and all(str(e.get("/Alt", "")).strip() for e in figures)
            levels = [int(str(e.S)[2]) for e in found if re.fullmatch(r"/H[1-6]", str(e.S))]
            assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
            headers = [e for e in found if e.S == "/TH"]
            assert headers and all(e.A.Scope == "/Column" for e in headers)
            assert all(e.ID in pdf.Root.StructTreeRoot.IDTree.Names for e in headers)
            for page in pdf.pages:
                links = [a for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
                if links:
                    assert page.obj.Tabs == "/S"
                for link in links:
                    assert str(link.Contents) and "/StructParent" in link
            assert pdf.Root.Lang in ("en-GB", "fr-FR", "de-DE")
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            assert pdf.Root.MarkInfo.Marked is True


def test_xmp_output_intent_id_images_and_fonts(pdfs: list[Path]) -> None:
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            xmp = pdf.Root.Metadata.read_bytes()
            assert b'pdfaid:part="2"' in xmp and b'pdfaid:conformance="B"' in xmp
            assert b'pdfuaid:part="1"' in xmp
            assert b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/" in xmp
            with pdf.open_metadata() as meta:
                assert meta["dc:title"]
            [intent] = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
            assert len(pdf.trailer.ID) == 2
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                    assert obj.get("/Interpolate") is not True
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                    assert any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_plain_profile_is_untagged(tmp_path: Path) -> None:
    outputs = build(DEFAULT_CONTENT, tmp_path, ["pdf"], ["en"], pdf_profile="plain").outputs
    assert [o.format for o in outputs] == ["pdf", "kit-pdf"]  # the release and its kit
    for output in outputs:
        with pikepdf.open(output.path) as pdf:
            assert "/StructTreeRoot" not in pdf.Root
            assert b"pdfuaid" not in (
                pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b""
            )


def test_docx_headings_in_order_and_images_described(example_kit: Kit) -> None:
    document = docx.Document(str(example_kit.docx))
    levels = [0]  # the Title
    for paragraph in document.paragraphs:
        name = paragraph.style.name
        if name.startswith("Heading "):
            levels.append(int(name.split()[1]))
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    body = document.element.body
    descriptions = [d.get("descr") for d in body.iter(f"{{{WP}}}docPr")]
    assert descriptions and all(descriptions)


EXPORT_BOOKMARKS = '{"ExportBookmarks":{"type":"boolean","value":"true"}}'
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_export_keeps_headings_as_bookmarks(example_kit: Kit, tmp_path: Path) -> None:
    subprocess.run(
        [
            "soffice", "--headless", "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to", "pdf:writer_pdf_Export:" + EXPORT_BOOKMARKS,
            "--outdir", str(tmp_path), str(example_kit.docx),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    outline = PdfReader(tmp_path / (example_kit.docx.stem + ".pdf")).outline
    titles = [item.title for item in _flatten(outline)]
    view = build_view(example_kit.release)
    assert view.event is not None
    for heading in (view.ecosystems_heading, view.event.name, view.contacts_heading):
        assert heading in titles


def _flatten(outline: list[Any]) -> list[Any]:
    items = []
    for item in outline:
        items.extend(_flatten(item) if isinstance(item, list) else [item])
    return items


def test_builds_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(DEFAULT_CONTENT, tmp_path / "one")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 400 * 86400)  # the clock moves
    second = build(DEFAULT_CONTENT, tmp_path / "two")
    # Six documents, the kit document's six and the ZIP.
    assert len(first.outputs) == len(second.outputs) == 13
    for a, b in zip(first.outputs, second.outputs, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name


def test_source_date_epoch_dates_the_word_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1554249600")  # 2019-04-03 00:00 UTC
    outputs = build(DEFAULT_CONTENT, tmp_path, ["docx"], ["en"]).outputs
    assert [o.format for o in outputs] == ["docx", "kit-docx"]
    for output in outputs:
        with zipfile.ZipFile(output.path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2019, 4, 3, 0, 0, 0)}
        props = docx.Document(str(output.path)).core_properties
        assert props.modified is not None and props.modified.year == 2019
