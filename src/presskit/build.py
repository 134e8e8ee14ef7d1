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
from typing import TYPE_CHECKING

from presskit import atomic
from presskit.errors import BuildError

if TYPE_CHECKING:
    from presskit.model import PressRelease
    from presskit.render.pdf import PdfWorker
    from presskit.view import ReleaseView

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


def render(
    view: ReleaseView, formats: Iterable[str], pdf_worker: PdfWorker | None = None
) -> dict[str, bytes]:
    """Render each requested format to bytes; import each renderer only when needed.

    With a ``pdf_worker`` the PDF is laid out in its process while this one writes
    the Word file.
    """
    wanted = set(formats)
    documents: dict[str, bytes] = {}
    html = None
    if wanted & {"html", "pdf"}:
        from presskit.render.html import render_html

        html = render_html(view)
    if "pdf" in wanted and html is not None and pdf_worker is not None:
        pdf_worker.submit(html)
    if "docx" in wanted:
        from presskit.render.docx import render_docx

        documents["docx"] = render_docx(view)
    if "pdf" in wanted and html is not None:
        if pdf_worker is not None:
            documents["pdf"] = pdf_worker.result()
        else:
            from presskit.render.pdf import PdfRenderer

            documents["pdf"] = PdfRenderer().render(html)
    if "html" in wanted and html is not None:
        documents["html"] = html.encode("utf-8")
    return documents


def start_pdf_worker() -> PdfWorker:
    """Fork the PDF worker (a light import: WeasyPrint loads in the child)."""
    from presskit.render.pdf import PdfWorker

    return PdfWorker()


def build(content: Path, out_root: Path, formats: Iterable[str] = FORMATS) -> BuildResult:
    """Load ``content``, render ``formats`` and write them under ``out_root``."""
    started = time.perf_counter()
    formats = [f for f in FORMATS if f in set(formats)]
    worker = start_pdf_worker() if "pdf" in formats else None
    # Imported only now, so that the worker imports WeasyPrint on the other core
    # while this process imports the model and loads the content.
    from presskit.loader import load
    from presskit.view import build_view

    try:
        release = load(content)
        folder = output_dir(out_root, release)
        documents = render(build_view(release), formats, worker)
    finally:
        if worker is not None:
            worker.close()
    outputs = []
    for fmt in formats:
        path = folder / f"{release.file_stem}.{fmt}"
        try:
            atomic.write_bytes(path, documents[fmt])
        except OSError as error:
            raise BuildError(f"cannot write {path}: {error.strerror or error}") from None
        outputs.append(Output(fmt, path, len(documents[fmt])))
    return BuildResult(release, outputs, time.perf_counter() - started)
