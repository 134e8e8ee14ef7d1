"""Each release's downloads in the newsroom: documents, ZIP, invitation, pictures.

A kit lives under ``files/<slug>/`` (the build's own layout: ``<lang>/<slug>.pdf``,
``<lang>/<slug>.docx``, ``<lang>/<slug>-<lang>.ics``, ``<slug>-press-kit.zip``) with the
captioned logos and photos beside it (``logos/``, ``photos/``) and photo thumbnails
(``thumbs/``). It holds only the languages public when it was built: the ZIP, the
documents and the captions written into the pictures alike. Only kits whose
fingerprint or public languages changed are built, in one batch on warm workers; what
a kit was built from is recorded in the site's state folder (never in the published
one), written last, so an interrupted build is redone next time.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit.kit.archive import captioned_pictures
from presskit.newsroom.sources import Source
from presskit.util import atomic
from presskit.util.errors import PresskitError

KIT_FORMATS = ("pdf", "docx", "ics")
THUMBNAIL_PIXELS = 640  # twice the width a thumbnail is shown at on a phone


def kit_dir(files_root: Path, slug: str) -> Path:
    return files_root / slug


def hidden_root(state: Path) -> Path:
    """Where each kit's hidden files (its lock, its revisions) are kept, out of the
    published folder: ``<state>/kits/<slug>/``."""
    return state / "kits"


def kit_record(state: Path, slug: str) -> Path:
    """Where the site's state folder remembers what the kit ``slug`` was built from."""
    return state / "kits" / f"{slug}.json"


def kit_key(source: Source, languages: Sequence[str]) -> str:
    """What a kit is made from: the content's fingerprint and the languages it holds."""
    return f"{source.fingerprint}:{','.join(languages)}"


def is_current(state: Path, site: Path, source: Source, languages: Sequence[str]) -> bool:
    """Whether the kit in ``site`` was built from exactly this content, files, theme
    and set of public languages, and its files are all still there (a site folder
    deleted and built again is built whole, whatever the state remembers)."""
    try:
        record = json.loads(kit_record(state, source.slug).read_text())
        outputs = [site / str(name) for name in record["outputs"]]
        return record["key"] == kit_key(source, languages) and all(
            output.is_file() for output in outputs
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


@dataclass(frozen=True)
class Failure:
    """A kit that could not be built, and why (its earlier files are left as they were)."""

    source: Source
    message: str


def build_kits(
    files_root: Path,
    state: Path,
    wanted: Sequence[tuple[Source, list[str]]],
    progress: Callable[[Source], None] | None = None,
    theme: Path | None = None,
) -> list[Failure]:
    """Build the kit of each source in its public languages, in one batch
    (:func:`presskit.kit.build.build_many`: two warm workers, the next kit loaded while the
    last one is laid out), then write each kit's captioned pictures and record it. A
    kit that fails is returned with its message; the others are built all the same."""
    from presskit.kit.build import build_many

    if not wanted:
        return []
    outcomes = build_many(
        [source.path for source, _ in wanted],
        files_root,
        KIT_FORMATS,
        theme=theme,
        languages_of={source.path: languages for source, languages in wanted},
        partial_zip=True,
        hidden_root=hidden_root(state),
        loaded={source.path: source.releases for source, _ in wanted if source.releases},
    )
    failures = []
    for (source, languages), outcome in zip(wanted, outcomes, strict=True):
        failure = _keep_kit(files_root, state, source, languages, outcome)
        if failure is not None:
            failures.append(failure)
        elif progress is not None:
            progress(source)
    return failures


def _keep_kit(
    files_root: Path, state: Path, source: Source, languages: list[str], outcome: Any
) -> Failure | None:
    """Write a built kit's captioned pictures and record the kit; its failure, if the
    build or the pictures failed."""
    from presskit.kit.build import internal_error

    if outcome.result is None:
        return Failure(source, str(outcome.error))
    folder = kit_dir(files_root, source.slug)
    try:
        pictures = kit_pictures(outcome.result.releases, folder)
    except PresskitError as error:
        return Failure(source, str(error))
    except Exception as error:  # a fault of presskit's: this kit only
        return Failure(source, str(internal_error(source.path, error)))
    atomic.write_all(pictures.items())
    files = [o.path for o in outcome.result.outputs] + list(pictures)
    source.outputs = sorted(p.relative_to(files_root.parent).as_posix() for p in files)
    _record_kit(state, source, languages)
    return None


def _record_kit(state: Path, source: Source, languages: list[str]) -> None:
    """What the kit was built from, and its files: the next build skips it when equal."""
    record = {"key": kit_key(source, languages), "outputs": source.outputs}
    path = kit_record(state, source.slug)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic.write_bytes(path, json.dumps(record, indent=1).encode())


def recorded_outputs(state: Path, slug: str) -> list[str]:
    """The files of a kit built earlier, as recorded (from the site's root)."""
    try:
        return [str(name) for name in json.loads(kit_record(state, slug).read_text())["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def kit_pictures(releases: list[Any], folder: Path) -> dict[Path, bytes]:
    """The captioned logos and photos, and a thumbnail of each photo."""
    pictures = captioned_pictures(releases)
    photos = [(name, data) for name, data in pictures.items() if _has_thumbnail(name)]
    pictures |= {thumbnail_name(name): thumbnail(data) for name, data in photos}
    return {folder / name: data for name, data in pictures.items()}


def _has_thumbnail(name: str) -> bool:
    """Whether the kit's picture ``name`` gets a thumbnail: a photo, unless a vector."""
    return name.startswith("photos/") and not name.endswith(".svg")


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
