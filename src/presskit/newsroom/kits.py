"""Each release's downloads in the newsroom: documents, ZIP, invitation, pictures.

A kit lives under ``files/<slug>/`` (the build's own layout: ``<lang>/<slug>.pdf``,
``<lang>/<slug>.docx``, ``<lang>/<slug>-<lang>.ics``, ``<slug>-press-kit.zip``) with the
captioned logos and photos beside it (``logos/``, ``photos/``) and photo thumbnails
(``thumbs/``). Only kits whose fingerprint changed are built, in one batch on warm
workers; the fingerprint is written last, so an interrupted build is redone next time.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from presskit import atomic
from presskit.errors import BuildError
from presskit.newsroom.sources import Source

KIT_FORMATS = ("pdf", "docx", "ics")
STATE_FILE = ".presskit-kit.json"
THUMBNAIL_PIXELS = 640  # twice the width a thumbnail is shown at on a phone


def kit_dir(files_root: Path, slug: str) -> Path:
    return files_root / slug


def is_current(files_root: Path, source: Source) -> bool:
    """Whether the kit on disk was built from exactly this content, files and theme."""
    state = kit_dir(files_root, source.slug) / STATE_FILE
    try:
        return bool(json.loads(state.read_text())["fingerprint"] == source.fingerprint)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def build_kits(
    files_root: Path, sources: Sequence[Source], progress: Callable[[Source], None] | None = None
) -> None:
    """Build the kit of each source in one batch (:func:`presskit.build.build_many`:
    two warm PDF workers, the next kit loaded while the last one is laid out), then
    write each kit's captioned pictures and its fingerprint."""
    from presskit.build import build_many

    if not sources:
        return
    outcomes = build_many([source.path for source in sources], files_root, KIT_FORMATS)
    for source, outcome in zip(sources, outcomes, strict=True):
        if outcome.result is None:
            raise BuildError(f"{source.path}: {outcome.error}")
        folder = kit_dir(files_root, source.slug)
        atomic.write_all(pictures(outcome.result.releases, folder).items())
        state = json.dumps({"fingerprint": source.fingerprint}).encode()
        atomic.write_bytes(folder / STATE_FILE, state)
        if progress is not None:
            progress(source)


def pictures(releases: list[Any], folder: Path) -> dict[Path, bytes]:
    """The captioned logos and photos, and a thumbnail of each photo."""
    from presskit.kitzip import captioned_pictures

    files: dict[Path, bytes] = {}
    for name, data in captioned_pictures(releases).items():
        files[folder / name] = data
        if name.startswith("photos/") and not name.endswith(".svg"):  # a vector needs none
            files[folder / thumbnail_name(name)] = thumbnail(data)
    return files


def thumbnail_name(photo_name: str) -> str:
    """``photos/01-x.png`` -> ``thumbs/01-x.jpg``."""
    return "thumbs/" + Path(photo_name).with_suffix(".jpg").name


def thumbnail(data: bytes) -> bytes:
    """A small JPEG of the photo for the page (the photo itself is the download)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        small = ImageOps.exif_transpose(image).convert("RGB")
        small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
