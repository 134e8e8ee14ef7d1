"""What ``check`` accepts, every renderer renders; what no renderer can draw is refused
up front, naming the key and the line.

Images that real designers and phones deliver: CMYK JPEG (print artwork), JPEG with
neither JFIF nor Exif marker, SVG logos; and shapes no page can show (a 1x40000000
strip). SVG is XML that could run scripts or fetch files: only plain drawings pass.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pikepdf
import pytest
from PIL import Image

from presskit.content.loader import load
from presskit.kit.build import build
from presskit.util.errors import ContentError

from .conftest import MINIMAL, write_content

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def with_logo(name: str) -> str:
    return MINIMAL.replace(
        "  name: Example Org\n", f"  name: Example Org\n  logo: {{file: {name}, alt: L}}\n"
    )


def problems(folder: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(write_content(folder, text))
    return [p.format("f") for p in caught.value.problems]


def without_app0(data: bytes) -> bytes:
    """The JPEG with its JFIF (APP0) segment cut out, as some cameras write it."""
    assert data[2:4] == b"\xff\xe0"
    length = int.from_bytes(data[4:6], "big")
    return data[:2] + data[4 + length :]


def cmyk_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("CMYK", (300, 100), (0, 200, 200, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


def markerless_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "teal").save(buffer, "JPEG")
    return without_app0(buffer.getvalue())


@pytest.mark.parametrize("make", [cmyk_jpeg, markerless_jpeg], ids=["cmyk", "no-jfif"])
def test_every_jpeg_flavour_renders_in_word_and_pdf(
    content_dir: Path, tmp_path: Path, make: object
) -> None:
    assert callable(make)
    (content_dir / "logo.jpg").write_bytes(make())
    path = write_content(content_dir, with_logo("logo.jpg"))
    outputs = {o.format: o.path for o in build(path, tmp_path, ["pdf", "docx"]).outputs}
    with zipfile.ZipFile(outputs["docx"]) as archive:
        [media] = [n for n in archive.namelist() if n.startswith("word/media/")]
        with Image.open(io.BytesIO(archive.read(media))) as embedded:
            assert embedded.mode == "RGB"
    document = docx.Document(str(outputs["docx"]))
    assert document.inline_shapes[0].width / document.inline_shapes[0].height == pytest.approx(3)
    with pikepdf.open(outputs["pdf"]) as pdf:
        spaces = [
            str(x.get("/ColorSpace"))
            for page in pdf.pages
            for x in page.Resources.get("/XObject", {}).values()
            if x.Subtype == "/Image"
        ]
    assert spaces and "/DeviceCMYK" not in spaces  # PDF/A with an sRGB output intent


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: the shape is refused before
    anything is decoded, so the pixels are never needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "height"), [(1, 40_000_000), (2100, 100), (10, 300)])
def test_extreme_shapes_are_refused_up_front(content_dir: Path, width: int, height: int) -> None:
    (content_dir / "strip.png").write_bytes(png_header(width, height))
    [problem] = problems(content_dir, with_logo("strip.png"))
    assert problem.startswith("f:3: issuer.logo.file: image 'strip.png'")
    assert f"is {width}x{height}: one side is more than 20 times the other" in problem


def test_a_long_wordmark_is_accepted(content_dir: Path) -> None:
    Image.new("RGB", (800, 100), "navy").save(content_dir / "wordmark.png")  # 8:1
    release = load(write_content(content_dir, with_logo("wordmark.png")))
    assert release.issuer.logo is not None


BAD_SVGS = {
    "script": f"<svg {SVG_NS} viewBox='0 0 10 10'><script>alert(1)</script></svg>",
    "handler": f"<svg {SVG_NS} viewBox='0 0 10 10' onload='alert(1)'/>",
    "remote picture": (
        f"<svg {SVG_NS} xmlns:xlink='http://www.w3.org/1999/xlink' viewBox='0 0 10 10'>"
        "<image xlink:href='https://evil.example/x.png' width='10' height='10'/></svg>"
    ),
    "local file": (
        f"<svg {SVG_NS} viewBox='0 0 10 10'><image href='/etc/passwd' width='1' height='1'/></svg>"
    ),
    "css url": (
        f"<svg {SVG_NS} viewBox='0 0 10 10'>"
        "<rect width='10' height='10' style='fill: url(file:///etc/passwd)'/></svg>"
    ),
    "css import": (
        f"<svg {SVG_NS} viewBox='0 0 10 10'><style>@import 'https://evil.example/a.css';</style></svg>"
    ),
    "entities": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
        f"<svg {SVG_NS} viewBox='0 0 10 10'><text>&a;&a;</text></svg>"
    ),
    "foreign object": (
        f"<svg {SVG_NS} viewBox='0 0 10 10'><foreignObject><p>x</p></foreignObject></svg>"
    ),
    "no shape": f"<svg {SVG_NS}><rect width='10' height='10'/></svg>",
    "not svg": "<html><body>hello</body></html>",
    "broken": f"<svg {SVG_NS} viewBox='0 0 10 10'><rect></svg>",
}


@pytest.mark.parametrize("kind", sorted(BAD_SVGS))
def test_unsafe_or_shapeless_svg_is_refused(content_dir: Path, kind: str) -> None:
    (content_dir / "logo.svg").write_text(BAD_SVGS[kind], encoding="utf-8")
    [problem] = problems(content_dir, with_logo("logo.svg"))
    assert problem.startswith("f:3: issuer.logo.file: image 'logo.svg'"), problem


def test_plain_svg_is_a_vector_in_the_pdf_and_a_png_in_word(
    content_dir: Path, tmp_path: Path
) -> None:
    (content_dir / "logo.svg").write_text(
        f"<svg {SVG_NS} viewBox='0 0 200 50'><rect width='200' height='50' fill='#c00'/>"
        "<circle cx='25' cy='25' r='20' fill='url(#g)'/>"
        "<defs><linearGradient id='g'><stop offset='0' stop-color='#fff'/></linearGradient></defs>"
        "</svg>",
        encoding="utf-8",
    )
    path = write_content(content_dir, with_logo("logo.svg"))
    outputs = {o.format: o.path for o in build(path, tmp_path, ["pdf", "docx", "html"]).outputs}
    with pikepdf.open(outputs["pdf"]) as pdf:
        images = [
            x
            for page in pdf.pages
            for x in page.Resources.get("/XObject", {}).values()
            if x.Subtype == "/Image"
        ]
    assert images == []  # drawn as paths, not as a picture
    with zipfile.ZipFile(outputs["docx"]) as archive:
        [media] = [n for n in archive.namelist() if n.startswith("word/media/")]
        with Image.open(io.BytesIO(archive.read(media))) as embedded:
            assert embedded.format == "PNG"
            assert embedded.width / embedded.height == pytest.approx(4, rel=0.02)
    assert "data:image/svg+xml;base64," in outputs["html"].read_text(encoding="utf-8")
