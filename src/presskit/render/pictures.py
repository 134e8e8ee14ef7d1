"""Pictures as each renderer can take them, always at their own proportions.

A logo of any shape (4:1, 1:3, square, SVG) is fitted inside a box, as large as the
box allows, never stretched or cropped. The boxes are theme data: CSS
(``max-width``/``max-height``) for the HTML page and the PDF, and
``word.yaml`` of the theme for the Word file. This module also turns what the
loader accepted into what each renderer reads: ``data:`` URIs for HTML (SVG as is,
so the PDF draws a vector; CMYK JPEG converted to sRGB, as PDF/A wants), and for
Word PNG, GIF or a JPEG that python-docx recognises (SVG rasterised by CairoSVG,
WebP converted, CMYK or marker-less JPEG re-encoded in sRGB).
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import PIL
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps
from yaml import YAMLError

from presskit.assets import svg
from presskit.assets.resources import TEMPLATES_DIR, ImageInfo, image_info
from presskit.render import photometa
from presskit.util import diskcache, yamlstrict
from presskit.util.errors import BuildError

if TYPE_CHECKING:  # python-docx is imported by the Word functions only, not for HTML
    from docx.opc.part import Part
    from docx.oxml.shape import CT_Inline
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

WORD_LAYOUT = TEMPLATES_DIR / "word.yaml"  # the built-in theme's
PICTURE_PLACES = ("issuer_logo", "ecosystem_logo", "ecosystem_logo_compact", "prose_image")
WORD_DPI = 300  # how finely an SVG is rasterised for Word: print resolution
_MIME = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "SVG": "image/svg+xml",
}
_EMU_PER_INCH = 914400
_EMU_PER_MM = 36000


@dataclass(frozen=True)
class Box:
    """The largest a picture may be drawn, in EMU (Word's unit)."""

    width: int
    height: int

    def fit(self, ratio: float) -> tuple[int, int]:
        """Width and height of a picture of proportions ``ratio`` (width / height),
        as large as fits in the box."""
        if self.width / self.height > ratio:
            return max(1, round(self.height * ratio)), self.height
        return self.width, max(1, round(self.width / ratio))


@dataclass(frozen=True)
class WordLayout:
    """The theme's Word layout values (``word.yaml``): picture boxes by place
    (``issuer_logo``, ``ecosystem_logo``, ``ecosystem_logo_compact``, ``prose_image``)
    and the number of ecosystems from which their table is compact."""

    boxes: dict[str, Box]
    compact_from: int


def word_layout(path: Path = WORD_LAYOUT) -> WordLayout:
    """The layout in ``path``, read once while the file is unchanged; a theme file
    missing a value is named in the error."""
    try:
        stat = path.stat()
    except OSError as error:
        raise BuildError(f"{path}: not a usable Word layout ({error.strerror})") from None
    return _word_layout(path, stat.st_mtime_ns, stat.st_size)


@cache
def _word_layout(path: Path, mtime_ns: int, size: int) -> WordLayout:
    try:
        return _layout(yamlstrict.parse(path.read_text(encoding="utf-8")).data)
    except (OSError, KeyError, TypeError, ValueError, AttributeError, YAMLError) as error:
        # KeyError's text is the missing key; the others say what is wrong.
        raise BuildError(f"{path}: not a usable Word layout (missing or wrong: {error})") from None


def _layout(data: dict[str, Any]) -> WordLayout:
    """The layout ``word.yaml``'s data describes; a KeyError names what it lacks."""
    boxes = _with_every_place(_boxes(data["pictures"]))
    boxes |= {place: box for place, box in _kit_boxes(data).items() if place not in boxes}
    return WordLayout(boxes, int(data["ecosystems"]["compact_from"]))


def _with_every_place(boxes: dict[str, Box]) -> dict[str, Box]:
    """``boxes``, if they include each of :data:`PICTURE_PLACES` (else a KeyError)."""
    missing = sorted(set(PICTURE_PLACES) - set(boxes))
    if missing:
        raise KeyError(", ".join(missing))
    return boxes


def _kit_boxes(data: dict[str, Any]) -> dict[str, Box]:
    """The kit document's boxes: the theme's own, completed by the built-in ones (a
    theme written before the kit document need not give them)."""
    own = data.get("kit_pictures") or {}
    return _boxes(_builtin_kit_pictures() | own)


def _boxes(sizes: dict[str, Any]) -> dict[str, Box]:
    """Boxes by place, from their width and height in millimetres."""
    return {
        str(place): Box(_emu(size["width"]), _emu(size["height"])) for place, size in sizes.items()
    }


@cache
def _builtin_kit_pictures() -> dict[str, Any]:
    data = yamlstrict.parse(WORD_LAYOUT.read_text(encoding="utf-8")).data
    return dict(data["kit_pictures"])


def _emu(millimetres: object) -> int:
    """As python-docx's ``Mm`` counts (truncated), without importing it for HTML."""
    return int(float(millimetres) * _EMU_PER_MM)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- HTML


def data_uri(path: Path, max_pixels: int | None = None) -> str:
    """The checked image as a ``data:`` URI; raster images scaled down to
    ``max_pixels`` on their longer side (logos need no more than print resolution)."""
    return _data_uri(path, max_pixels, image_info(path))


@cache
def _data_uri(path: Path, max_pixels: int | None, info: ImageInfo) -> str:
    # ``info`` is part of the key: a file changed on disk is read again.
    data, mime = page_picture(path, max_pixels)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


PICTURE_SCHEME = "presskit-picture:"
"""Pictures of a page sent to the PDF renderer apart: the page names each once by this
scheme and its digest, however many times it shows it (a logo in 200 rows)."""


def page_picture(path: Path, max_pixels: int | None = None) -> tuple[bytes, str]:
    """The checked image as a page shows it (raster images scaled to ``max_pixels``),
    and its MIME type."""
    return _page_picture(path, max_pixels, image_info(path))


@cache
def _page_picture(path: Path, max_pixels: int | None, info: ImageInfo) -> tuple[bytes, str]:
    data = public_bytes(path) if info.format == "SVG" else _html_raster(path, info, max_pixels)
    return data, _MIME[info.format]


def picture_reference(
    pictures: dict[str, tuple[bytes, str]], path: Path, max_pixels: int | None = None
) -> str:
    """A ``presskit-picture:`` address for the image, its bytes kept in ``pictures``
    (the same picture, the same address: decoded once by the renderer)."""
    import hashlib

    data, mime = page_picture(path, max_pixels)
    address = PICTURE_SCHEME + hashlib.sha256(data).hexdigest()
    pictures[address] = (data, mime)
    return address


def _html_raster(path: Path, info: ImageInfo, max_pixels: int | None) -> bytes:
    small = max_pixels is None or max(info.width, info.height) <= max_pixels
    plain = info.format != "JPEG" or info.mode in ("RGB", "L")
    if (small and plain) or info.format not in ("PNG", "JPEG"):
        return public_bytes(path)
    # Scaling a logo down costs a decode, a resample and an encode (tens of ms each
    # time the kit is built): the result is kept, keyed by the file as it is now.
    stat = path.stat()
    source = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, max_pixels, "turned")
    cached = diskcache.cache_dir() / "images" / diskcache.key([*source, PIL.__version__])
    data = diskcache.read_entry(cached)
    if data is None:
        data = _scaled(path, info, max_pixels, plain)
        diskcache.write_entry(cached, data)
    return data


def _scaled(path: Path, info: ImageInfo, max_pixels: int | None, plain: bool) -> bytes:
    """Scaled down (or converted to sRGB), encoded again: no metadata is carried
    over, so the picture is turned by its Exif orientation first and keeps its colour
    profile."""
    with _quietly_open(path) as image:
        profile = image.info.get("icc_profile") if plain else None
        picture = ImageOps.exif_transpose(image)  # info (its profile) copied along
        picture = _srgb(picture) if not plain else picture
        if max_pixels is not None:
            picture.thumbnail((max_pixels, max_pixels), PILImage.Resampling.LANCZOS)
        return _encode(picture, info.format, profile)


# ---------------------------------------------------------------------------- Word


def add_picture_file(paragraph: Paragraph, path: Path, alt: str, box: Box) -> None:
    """An inline picture fitted in ``box``, with its alternative text (``wp:docPr/@descr``)."""
    info = image_info(path)
    width, height = box.fit(info.ratio)
    inline = _add_inline(paragraph.add_run(), word_image(path, info, width), width, height)
    _describe(inline, alt, path.name)


def _add_inline(run: Run, image: io.BytesIO | str, width: int, height: int) -> CT_Inline:
    """What Run.add_picture does, but numbering the shape from a counter: python-docx
    finds the next free id by reading every id of the document, for each picture."""
    from docx.oxml.shape import CT_Inline
    from docx.shared import Emu

    relationship, picture = run.part.get_or_add_image(image)
    inline = CT_Inline.new_pic_inline(
        _next_shape_id(run.part), relationship, picture.filename, Emu(width), Emu(height)
    )
    run._r.add_drawing(inline)
    return inline


def _describe(inline: CT_Inline, alt: str, file_name: str) -> None:
    """The picture's alternative text, and its name: the text's start, or the file's."""
    inline.docPr.set("descr", alt)
    inline.docPr.set("name", alt[:64] or file_name)


_shape_ids: WeakKeyDictionary[Part, int] = WeakKeyDictionary()


def _next_shape_id(part: Part) -> int:
    """The id python-docx's ``next_id`` would give (one more than the highest in the
    part), counted on from the first picture of each part."""
    shape_id = _shape_ids.get(part) or part.next_id  # type: ignore[attr-defined]
    _shape_ids[part] = shape_id + 1
    return int(shape_id)


def word_image(path: Path, info: ImageInfo, width: int) -> io.BytesIO | str:
    """The image as python-docx can embed it; ``width`` (EMU) sets an SVG's pixels."""
    if info.format == "SVG":
        pixels = max(1, round(width / _EMU_PER_INCH * WORD_DPI))
        return io.BytesIO(svg.to_png(public_bytes(path), pixels))
    return io.BytesIO(_docx_ready(path, info) or _encoded_for_docx(path, info))


def _docx_ready(path: Path, info: ImageInfo) -> bytes | None:
    """The public copy of a PNG, GIF or sRGB JPEG, if python-docx reads its header."""
    if info.format in ("PNG", "GIF") or (info.format == "JPEG" and info.mode in ("RGB", "L")):
        data = public_bytes(path)
        return data if _docx_reads(data) else None
    return None


def _encoded_for_docx(path: Path, info: ImageInfo) -> bytes:
    """Encoded again: a JPEG (CMYK, or without the JFIF/Exif marker python-docx looks
    for) in sRGB, another format as PNG."""
    with _quietly_open(path) as image:
        return _encode(_srgb(image), "JPEG") if info.format == "JPEG" else _encode(image, "PNG")


def _docx_reads(data: bytes) -> bool:
    """Whether python-docx reads the picture's header (a JPEG's JFIF or Exif
    marker, its Exif resolution): when it cannot, the picture is encoded again."""
    from docx.image.image import Image as DocxImage

    try:
        DocxImage.from_blob(data)
    except Exception:  # any failure of python-docx's header reader
        return False
    return True


# ------------------------------------------------------------------ public copies


def public_bytes(path: Path) -> bytes:
    """The checked picture as it may leave presskit (:func:`photometa.public_copy`:
    no GPS, serial numbers or owner names), made once while the file is unchanged."""
    stat = path.stat()
    return _public_bytes(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _public_bytes(path: Path, mtime_ns: int, size: int) -> bytes:
    return photometa.public_copy(path.read_bytes())


# ------------------------------------------------------------------------- shared


@contextmanager
def _quietly_open(path: Path) -> Iterator[PILImage.Image]:
    """The checked picture opened by Pillow, its warnings about damaged Exif silenced:
    what is encoded again carries no Exif."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with PILImage.open(path) as image:
            yield image


def _srgb(image: PILImage.Image) -> PILImage.Image:
    """The picture in sRGB: through its own colour profile when it has one."""
    if image.mode in ("RGB", "L"):
        return image
    converted = _by_own_profile(image)
    return image.convert("RGB") if converted is None else converted


def _by_own_profile(image: PILImage.Image) -> PILImage.Image | None:
    """The picture converted to sRGB through its own colour profile; None without one,
    or with a broken one (refused by ``check``: the plain conversion is near)."""
    profile = image.info.get("icc_profile")
    if not profile:
        return None
    with suppress(ImageCms.PyCMSError, OSError):
        own = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(
            image, own, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    return None


def _encode(image: PILImage.Image, fmt: str, profile: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    quality = {"quality": 92} if fmt == "JPEG" else {}
    options: dict[str, object] = {"icc_profile": profile} if profile else {}
    image.save(buffer, format=fmt, **quality, **options)
    return buffer.getvalue()
