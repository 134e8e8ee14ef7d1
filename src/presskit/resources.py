"""Where presskit finds its theme and assets, and which files it may read.

Renderers may read only from a short allow-list of folders ("roots"): the theme's
templates, the project's assets and the folder of the content file being built. Every
path is checked after ``resolve()``, so ``../`` tricks and symlinks that leave a root
are refused just like absolute paths elsewhere on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
# An installed wheel carries the data under presskit/_data; a source checkout has it
# at the top of the repository.
_DATA_DIR = _PACKAGE_DIR / "_data"
PROJECT_DIR = _DATA_DIR if _DATA_DIR.is_dir() else _PACKAGE_DIR.parent.parent

TEMPLATES_DIR = PROJECT_DIR / "templates"
ASSETS_DIR = PROJECT_DIR / "assets"
EXAMPLES_DIR = PROJECT_DIR / "examples"
DEFAULT_CONTENT = EXAMPLES_DIR / "french-tech-hauts-de-france-2019.yaml"

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000


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

    The reference must be a relative path to a PNG, JPEG, GIF or WebP file inside the
    roots. The same message is given whether or not a file outside the roots exists.
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
    _check_image_data(real, reference)
    return real


def _check_image_data(path: Path, reference: str) -> None:
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Our own pixel cap below says it better than Pillow's warning would.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            fmt = image.format
            width, height = image.size
            if fmt not in IMAGE_FORMATS:
                raise ValueError(f"image {reference!r} is {fmt}; use PNG, JPEG, GIF or WebP")
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError(
                    f"image {reference!r} is {width}x{height} pixels, more than "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} million"
                )
            image.load()  # decodes fully: truncated or junk files fail here
    except Image.DecompressionBombError:
        raise ValueError(
            f"image {reference!r} has too many pixels (more than "
            f"{MAX_IMAGE_PIXELS // 1_000_000} million)"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(
            f"image {reference!r} is not a readable PNG, JPEG, GIF or WebP file"
        ) from error
