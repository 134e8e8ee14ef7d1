"""Logos of any shape keep their proportions in the PDF and the Word file.

The fixture ``aura-twelve`` has logos of 3:1, 4:1, 6:1, 1:3, 1:2, 3:4, square and one
SVG. The drawn proportions are read back from the files themselves: the PDF's
transformation matrix where each image (or the SVG's drawing) is painted, and the
``wp:extent`` of each picture in the DOCX.
"""

from __future__ import annotations

import math
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from presskit.assets.resources import TEMPLATES_DIR, image_info
from presskit.content.model import Image, PressRelease
from presskit.kit.build import build
from presskit.render.pictures import word_layout
from presskit.util.errors import BuildError

from .conftest import MINIMAL, Kit, write_content

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


@pytest.fixture(scope="module")
def aura(aura_kit: Kit) -> tuple[PressRelease, dict[str, Path]]:
    return aura_kit.release, {"pdf": aura_kit.pdf, "docx": aura_kit.docx}


def logos(release: PressRelease) -> list[Image]:
    found = [release.issuer.logo] + [e.logo for e in release.ecosystems]
    return [logo for logo in found if logo is not None]


def test_fixture_has_logos_of_every_shape(aura: tuple[PressRelease, dict[str, Path]]) -> None:
    ratios = [image_info(logo.path).ratio for logo in logos(aura[0])]
    assert max(ratios) >= 4 and min(ratios) <= 1 / 3 and 1.0 in ratios
    assert any(image_info(logo.path).format == "SVG" for logo in logos(aura[0]))


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _drawn_size(ctm: Matrix, width: float, height: float) -> tuple[float, float]:
    """Length on the page of a ``width`` x ``height`` box drawn under ``ctm``."""
    a, b, c, d, _, _ = ctm
    return math.hypot(a * width, b * width), math.hypot(c * height, d * height)


def _painted(pdf: Path) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(image pixel ratio, drawn ratio) of each image painted, and (user-space ratio,
    drawn ratio) of each rectangle path."""
    images, rects = [], []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            xobjects = page.Resources.get("/XObject", {})
            stack, ctm = [], IDENTITY
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q":
                    ctm = stack.pop()
                elif op == "cm":
                    ctm = _multiply(tuple(float(x) for x in operands), ctm)  # type: ignore[arg-type]
                elif op == "Do":
                    xobject = xobjects[str(operands[0])]
                    if xobject.Subtype == "/Image":
                        w, h = _drawn_size(ctm, 1, 1)
                        images.append((int(xobject.Width) / int(xobject.Height), w / h))
                elif op == "re":
                    rw, rh = abs(float(operands[2])), abs(float(operands[3]))
                    if rw and rh:
                        w, h = _drawn_size(ctm, rw, rh)
                        rects.append((rw / rh, w / h))
    return images, rects


def test_pdf_draws_every_logo_at_its_own_proportions(
    aura: tuple[PressRelease, dict[str, Path]],
) -> None:
    release, outputs = aura
    images, rects = _painted(outputs["pdf"])
    rasters = [logo for logo in logos(release) if image_info(logo.path).format != "SVG"]
    assert len(images) == len(rasters)
    # The pixel grid may have been scaled down, never reshaped: each image is drawn at
    # the proportions of its pixels, which are the file's.
    file_ratios = sorted(image_info(logo.path).ratio for logo in rasters)
    assert sorted(pixels for pixels, _ in images) == pytest.approx(file_ratios, rel=0.02)
    for pixels, drawn in images:
        assert drawn == pytest.approx(pixels, rel=0.01)
    # The SVG stays a vector: its 80x30 bar is drawn 8:3, not squeezed.
    bars = [drawn for user, drawn in rects if user == pytest.approx(80 / 30)]
    assert bars and all(drawn == pytest.approx(80 / 30, rel=0.01) for drawn in bars)


def test_word_pictures_keep_the_file_proportions(
    aura: tuple[PressRelease, dict[str, Path]],
) -> None:
    release, outputs = aura
    document = docx.Document(str(outputs["docx"]))
    drawn = {}
    for inline in document.element.body.iter(qn("wp:inline")):
        extent = inline.find(qn("wp:extent"))
        drawn[inline.find(qn("wp:docPr")).get("descr")] = int(extent.get("cx")) / int(
            extent.get("cy")
        )
    for logo in logos(release):
        assert drawn[logo.alt] == pytest.approx(image_info(logo.path).ratio, rel=0.01), logo.file


def test_a_theme_word_layout_sets_the_word_boxes(content_dir: Path, tmp_path: Path) -> None:
    from PIL import Image as PILImage

    PILImage.new("RGB", (400, 100), "navy").save(content_dir / "wide.png")  # 4:1
    text = MINIMAL.replace(
        "  name: Example Org\n", "  name: Example Org\n  logo: {file: wide.png, alt: Wide}\n"
    )
    built_in = word_layout().boxes["issuer_logo"]
    theme_dir = tmp_path / "theme"
    theme_dir.mkdir()
    layout = (TEMPLATES_DIR / "word.yaml").read_text(encoding="utf-8")
    (theme_dir / "word.yaml").write_text(
        layout.replace(
            "issuer_logo: {width: 40, height: 16}", "issuer_logo: {width: 20, height: 16}"
        ),
        encoding="utf-8",
    )
    path = write_content(content_dir, text)
    [docx_path] = [o.path for o in build(path, tmp_path / "out", ["docx"], theme=theme_dir).outputs]
    [shape] = docx.Document(str(docx_path)).inline_shapes
    assert built_in.fit(4.0)[0] == built_in.width  # the built-in box would draw it 40 mm wide
    assert (shape.width, shape.height) == (Mm(20), Mm(5))  # the theme's box: 20 mm wide, 4:1
    (theme_dir / "word.yaml").write_text("pictures: {}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"word\.yaml: not a usable Word layout"):
        build(path, tmp_path / "out2", ["docx"], theme=theme_dir)


def test_word_boxes_count_millimetres_as_python_docx_does() -> None:
    """The theme's boxes are read without python-docx (HTML needs none), and must
    give the same EMU as its ``Mm``, which truncates: 16.7 mm is 601199, not 601200."""
    from docx.shared import Mm

    from presskit.render.pictures import _emu

    for value in (16.7, 14.3, 6.5, 40, 0.1, 33.33, 12.345, 99.99):
        assert _emu(value) == Mm(value)
