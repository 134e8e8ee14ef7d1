"""Build orchestration: content file -> every requested document, written atomically.

All documents are rendered in memory first and written only when every one of them
succeeded, each through a temp file and a rename; a failed build therefore leaves the
previous outputs exactly as they were.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from presskit import atomic
from presskit.errors import BuildError
from presskit.loader import load
from presskit.model import PressRelease
from presskit.view import ReleaseView, build_view

FORMATS = ("pdf", "docx", "html")


@dataclass(frozen=True)
class Output:
    """One written document."""

    format: str
    path: Path
    size: int


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and how long it took."""

    release: PressRelease
    outputs: list[Output]
    seconds: float


def output_dir(out_root: Path, release: PressRelease) -> Path:
    """``<out_root>/<slug>/<lang>``, refusing anything that would leave ``out_root``."""
    root = out_root.resolve()
    folder = (root / release.file_stem / release.language).resolve()
    if not folder.is_relative_to(root) or folder == root:
        raise BuildError(f"refusing to write outside {out_root}: {folder}")
    return folder


def render(view: ReleaseView, formats: Iterable[str]) -> dict[str, bytes]:
    """Render each requested format to bytes; import each renderer only when needed."""
    wanted = set(formats)
    documents: dict[str, bytes] = {}
    html = None
    if wanted & {"html", "pdf"}:
        from presskit.render.html import render_html

        html = render_html(view)
    if "pdf" in wanted and html is not None:
        from presskit.render.pdf import PdfRenderer

        documents["pdf"] = PdfRenderer().render(html, view)
    if "docx" in wanted:
        from presskit.render.docx import render_docx

        documents["docx"] = render_docx(view)
    if "html" in wanted and html is not None:
        documents["html"] = html.encode("utf-8")
    return documents


def build(content: Path, out_root: Path, formats: Iterable[str] = FORMATS) -> BuildResult:
    """Load ``content``, render ``formats`` and write them under ``out_root``."""
    started = time.perf_counter()
    formats = [f for f in FORMATS if f in set(formats)]
    release = load(content)
    folder = output_dir(out_root, release)
    documents = render(build_view(release), formats)
    outputs = []
    for fmt in formats:
        path = folder / f"{release.file_stem}.{fmt}"
        try:
            atomic.write_bytes(path, documents[fmt])
        except OSError as error:
            raise BuildError(f"cannot write {path}: {error.strerror or error}") from None
        outputs.append(Output(fmt, path, len(documents[fmt])))
    return BuildResult(release, outputs, time.perf_counter() - started)
