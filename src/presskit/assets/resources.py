"""Where presskit finds its theme and assets, and which files it may read.

Renderers may read only from a short allow-list of folders ("roots"): the theme's
templates, the project's assets and the folder of the content file being built. Every
path is checked after ``resolve()``, so ``../`` tricks and symlinks that leave a root
are refused just like absolute paths elsewhere on disk.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from presskit.assets import svg

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

_ORIENTATION = 0x0112  # Exif tag

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
# An installed wheel carries the data under presskit/_data; a source checkout has it
# at the top of the repository.
_DATA_DIR = _PACKAGE_DIR / "_data"
PROJECT_DIR = _DATA_DIR if _DATA_DIR.is_dir() else _PACKAGE_DIR.parent.parent

TEMPLATES_DIR = PROJECT_DIR / "templates"
ASSETS_DIR = PROJECT_DIR / "assets"
EXAMPLES_DIR = PROJECT_DIR / "examples"
DEFAULT_CONTENT = EXAMPLES_DIR / "french-tech-hauts-de-france-2019.yaml"

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}  # raster formats; SVG besides
FORMAT_NAMES = "PNG, JPEG, GIF, WebP or SVG"
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000
MAX_ASPECT_RATIO = 20  # a long banner logo is 8:1; beyond 20:1 it is a hair on the page
# A picture embedded in an SVG logo is held to the caps of a raster image.
SVG_PICTURE_CAPS = svg.PictureCaps(max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS)


@dataclass(frozen=True)
class Roots:
    """The folders renderers may read from."""

    folders: tuple[Path, ...]

    @classmethod
    def for_content(cls, content_dir: Path) -> Roots:
        """Theme templates, project assets and the content file's own folder."""
        folders = (TEMPLATES_DIR, ASSETS_DIR, content_dir)
        return cls(tuple(f.resolve() for f in folders))

    def contain(self, path: Path) -> bool:
        """Whether ``path`` (symlinks followed) lies inside one of the roots."""
        real = path.resolve()
        return any(real.is_relative_to(root) for root in self.folders)


def check_image(reference: str, base_dir: Path, roots: Roots) -> Path:
    """Resolve an image reference from content; raise ValueError saying what is wrong.

    The reference must be a relative path, inside the roots, to a PNG, JPEG, GIF,
    WebP or SVG file that every renderer can draw. The same message is given whether
    or not a file outside the roots exists.
    """
    if ":" in reference.split("/")[0] or reference.startswith(("/", "\\")):
        raise ValueError(
            f"image {reference!r} must be a path relative to the content file, not a URL "
            "or an absolute path"
        )
    path = base_dir / reference
    if not roots.contain(path):
        raise ValueError(f"image {reference!r} lies outside the content and assets folders")
    if not path.exists():
        raise ValueError(f"image file {reference!r} not found")
    real = path.resolve()
    if not real.is_file():
        raise ValueError(f"image {reference!r} is not a regular file")
    if real.stat().st_size > MAX_IMAGE_BYTES:
        raise ValueError(f"image {reference!r} is larger than {MAX_IMAGE_BYTES // 1_000_000} MB")
    try:
        image_info(real)
    except (ImageProblem, svg.SvgProblem) as problem:
        raise ValueError(f"image {reference!r} {problem}") from None
    return real


class ImageProblem(ValueError):
    """What is wrong with an image file, worded to follow "image 'x.png' "."""


@dataclass(frozen=True)
class ImageInfo:
    """What renderers need to know of a checked image, read once per file."""

    format: str  # PNG, JPEG, GIF, WEBP or SVG
    width: float  # pixels; for SVG, user units of its viewBox
    height: float
    mode: str = ""  # Pillow's mode ("RGB", "CMYK", …); "" for SVG
    jfif_or_exif: bool = True  # JPEG only: whether it carries a JFIF or Exif marker

    @property
    def ratio(self) -> float:
        """Width over height: the proportions every renderer keeps."""
        return self.width / self.height


def image_info(path: Path) -> ImageInfo:
    """Format, size and mode of the image at ``path``, fully decoded once: truncated
    or junk files raise :class:`ImageProblem`. Cached while the file is unchanged."""
    stat = path.stat()
    return _image_info(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _image_info(path: Path, mtime_ns: int, size: int) -> ImageInfo:
    if svg.looks_like_svg(path):
        width, height = svg.check_svg(path.read_bytes(), SVG_PICTURE_CAPS)
        _check_shape(width, height)
        return ImageInfo("SVG", width, height)
    return _raster_info(path)


def _raster_info(path: Path) -> ImageInfo:
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Our own pixel cap says it better than Pillow's warning would, and the
            # damaged Exif Pillow warns about never leaves presskit (photometa).
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return _decoded_info(image)
    except Image.DecompressionBombError:
        raise ImageProblem(
            f"has too many pixels (more than {MAX_IMAGE_PIXELS // 1_000_000} million)"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ImageProblem(f"is not a readable {FORMAT_NAMES} file") from None


def _decoded_info(image: PILImage) -> ImageInfo:
    fmt = str(image.format)
    width, height = image.size
    if fmt not in IMAGE_FORMATS:
        raise ImageProblem(f"is {fmt}; use {FORMAT_NAMES}")
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageProblem(
            f"is {width}x{height} pixels, more than {MAX_IMAGE_PIXELS // 1_000_000} million"
        )
    _check_shape(width, height)
    marked = "jfif" in image.info or "exif" in image.info
    image.load()  # decodes fully: truncated or junk files fail here
    _check_metadata(image)
    return ImageInfo(fmt, width, height, image.mode, marked)


def _check_metadata(image: PILImage) -> None:
    """What renderers read besides the pixels: the colour profile (CMYK pictures are
    converted to sRGB through it) and the Exif orientation (WeasyPrint and
    ``ImageOps.exif_transpose`` turn the picture by it), read as they read them."""
    from PIL import ImageCms

    profile = image.info.get("icc_profile")
    if profile:
        try:
            ImageCms.ImageCmsProfile(io.BytesIO(profile))
        except (OSError, ImageCms.PyCMSError):
            raise ImageProblem(
                "has a damaged colour profile (ICC) that cannot be read; export it again "
                "with its profile, or without one"
            ) from None
    try:
        image.getexif().get(_ORIENTATION)
    except Exception:  # any failure of Pillow's Exif reader on this file
        raise ImageProblem(
            "has damaged Exif metadata that cannot be read; save it again (any editor "
            "rewrites it) or remove its Exif"
        ) from None


def _check_shape(width: float, height: float) -> None:
    """Refuse shapes no page can show, before decoding: a 1x40000000-pixel strip
    would be drawn a hair thin, or overwhelm a renderer asked to fit it in a box."""
    size = f"{_number(width)}x{_number(height)}"
    if min(width, height) <= 0:
        raise ImageProblem(f"is {size}: it has no area")
    if max(width / height, height / width) > MAX_ASPECT_RATIO:
        raise ImageProblem(
            f"is {size}: one side is more than {MAX_ASPECT_RATIO} times the other; "
            "crop it to what should be seen"
        )


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return str(int(value)) if value == int(value) else f"{value:.1f}"
