"""Each release's downloads in the newsroom: documents, ZIP, invitation, pictures.

A kit lives under ``files/<slug>/`` (the build's own layout: ``<lang>/<slug>.pdf``,
``<lang>/<slug>.docx``, ``<lang>/<slug>-<lang>.ics``, ``<slug>-press-kit.zip``) with the
captioned logos and photos beside it (``logos/``, ``photos/``) and photo thumbnails
(``thumbs/``). Only kits whose fingerprint changed are built, on warm workers (one
per core, each keeping WeasyPrint and its fonts loaded from one release to the next);
the fingerprint is written last, so an interrupted build is redone next time.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from presskit import atomic
from presskit.errors import BuildError, PresskitError
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


class KitBuilder:
    """Builds kits on warm workers, one per core.

    Started before the content files are loaded when many kits may need building,
    so that the workers import WeasyPrint and load the fonts while this process
    reads the content.
    """

    def __init__(self, expected: int) -> None:
        workers = min(expected, os.cpu_count() or 1)
        self._pool = (
            multiprocessing.get_context("fork").Pool(workers, initializer=_warm_up)
            if workers > 1
            else None
        )

    def __enter__(self) -> KitBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()  # idle by now, or abandoned after an error
            self._pool.join()

    def build(
        self,
        files_root: Path,
        sources: Sequence[Source],
        progress: Callable[[Source], None] | None = None,
    ) -> None:
        """Build the kit of each source."""
        jobs = [(source.path, files_root, source.fingerprint) for source in sources]
        if self._pool is not None and jobs:
            _report(self._pool.imap(_build_one, jobs), sources, progress)
        elif len(jobs) == 1:
            # One kit: the build's own forked worker loads WeasyPrint while this
            # process writes the Word files, as `presskit build` does.
            _report(map(_build_one, jobs), sources, progress)
        elif jobs:
            _warm_up()
            _report(map(_build_one, jobs), sources, progress)


def _report(
    results: Any, sources: Sequence[Source], progress: Callable[[Source], None] | None
) -> None:
    for source, error in zip(sources, results, strict=True):
        if error is not None:
            raise BuildError(f"{source.path}: {error}")
        if progress is not None:
            progress(source)


_RENDERER: Any = None


def _warm_up() -> None:
    """Load WeasyPrint and the fonts once per worker."""
    global _RENDERER
    from presskit.render.pdf import PdfRenderer

    _RENDERER = PdfRenderer()


def _build_one(job: tuple[Path, Path, str]) -> str | None:
    """Build one kit; return None, or the error's message (workers raise nothing)."""
    from presskit.build import build

    content, files_root, fingerprint = job
    try:
        result = build(content, files_root, KIT_FORMATS, pdf_renderer=_RENDERER)
        folder = kit_dir(files_root, result.release.file_stem)
        atomic.write_all(pictures(result.releases, folder).items())
        state = json.dumps({"fingerprint": fingerprint}).encode()
        atomic.write_bytes(folder / STATE_FILE, state)
    except PresskitError as error:
        return str(error)
    return None


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
