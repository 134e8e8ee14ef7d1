"""Build orchestration: content file -> every requested document, written atomically.

All documents are rendered in memory first and written only when every one of them
succeeded, each through a temp file and a rename; a failed build therefore leaves the
previous outputs exactly as they were.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from presskit import atomic
from presskit.errors import BuildError, PresskitError
from presskit.theme import Theme, builtin_theme

if TYPE_CHECKING:
    from presskit.model import PressRelease
    from presskit.render.pdf import PdfRenderer, PdfWorker
    from presskit.view import ReleaseView

FORMATS = ("pdf", "docx", "html")


@dataclass(frozen=True)
class Output:
    """One written document."""

    language: str
    format: str
    path: Path
    size: int


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and how long it took."""

    releases: list[PressRelease]
    outputs: list[Output]
    seconds: float

    @property
    def release(self) -> PressRelease:
        """The release in the content's first language."""
        return self.releases[0]


def output_dir(out_root: Path, slug: str, language: str) -> Path:
    """``<out_root>/<slug>/<language>``, refusing anything that would leave ``out_root``."""
    root = out_root.resolve()
    folder = (root / slug / language).resolve()
    if not folder.is_relative_to(root) or folder.parent.parent != root:
        raise BuildError(f"refusing to write outside {out_root}: {folder}")
    return folder


def render(
    view: ReleaseView,
    formats: Iterable[str],
    pdf_worker: PdfWorker | None = None,
    pdf_profile: str = "pdfa-ua",
    pdf_renderer: PdfRenderer | None = None,
    theme: Theme | None = None,
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

        html = render_html(view, theme)
    if "pdf" in wanted and html is not None and pdf_worker is not None:
        pdf_worker.submit(html)
    if "docx" in wanted:
        from presskit.render.docx import render_docx

        documents["docx"] = render_docx(view, (theme or builtin_theme()).reference_docx)
    if "pdf" in wanted and html is not None:
        if pdf_worker is not None:
            documents["pdf"] = pdf_worker.result()
        else:
            from presskit.render.pdf import PdfRenderer, theme_roots

            renderer = pdf_renderer or PdfRenderer(theme_roots(theme), profile=pdf_profile)
            documents["pdf"] = renderer.render(html)
    if "html" in wanted and html is not None:
        documents["html"] = html.encode("utf-8")
    return documents


def start_pdf_worker(profile: str = "pdfa-ua", theme: Theme | None = None) -> PdfWorker:
    """Fork the PDF worker (a light import: WeasyPrint loads in the child)."""
    from presskit.render.pdf import PROFILES, PdfWorker

    if profile not in PROFILES:
        raise BuildError(f"unknown PDF profile {profile!r}; choose from {', '.join(PROFILES)}")
    return PdfWorker(profile=profile, theme=theme)


def build(
    content: Path,
    out_root: Path,
    formats: Iterable[str] = FORMATS,
    languages: Iterable[str] | None = None,
    pdf_profile: str = "pdfa-ua",
    pdf_renderer: PdfRenderer | None = None,
    theme: Path | None = None,
) -> BuildResult:
    """Load ``content`` and write ``formats`` for each of its languages (or those
    asked for) under ``out_root/<slug>/<language>/``, with the theme of the folder
    ``theme`` over the built-in one."""
    started = time.perf_counter()
    formats = [f for f in FORMATS if f in set(formats)]
    resolved = Theme.resolve(theme)  # once, for every part and every language
    if "docx" in formats:
        from presskit.render.docx import check_reference

        check_reference(resolved.reference_docx)
    # A warm renderer passed in (the preview's) works in this process; otherwise a
    # forked worker renders in parallel with the loading.
    worker = (
        start_pdf_worker(pdf_profile, resolved)
        if "pdf" in formats and pdf_renderer is None
        else None
    )
    try:
        # Imported only now, so that the worker imports WeasyPrint on the other core
        # while this process imports the model and loads the content.
        from presskit.loader import load_all
        from presskit.view import build_view

        every_language = load_all(content, resolved)
        releases = select_languages(content, every_language, languages)
        slug = releases[0].file_stem  # one folder for every language
        rendered = []
        for release in releases:
            folder = output_dir(out_root, slug, release.language)
            documents = render(
                build_view(release, resolved), formats, worker, pdf_profile, pdf_renderer, resolved
            )
            rendered.append((release.language, folder, documents))
    finally:
        if worker is not None:
            worker.close()
    files = [
        (Output(language, fmt, folder / f"{slug}.{fmt}", len(documents[fmt])), documents[fmt])
        for language, folder, documents in rendered
        for fmt in formats
    ]
    if len(releases) == len(every_language) and {"pdf", "docx"} <= set(formats):
        files.append(press_kit(out_root, releases, rendered, resolved))
    try:
        with kit_lock(out_root, slug):
            atomic.write_all((output.path, data) for output, data in files)
    except OSError as error:
        raise BuildError(
            f"cannot write {error.filename or out_root}: {error.strerror or error}; "
            "earlier outputs are unchanged"
        ) from None
    outputs = [output for output, _ in files]
    return BuildResult(releases, outputs, time.perf_counter() - started)


def press_kit(
    out_root: Path,
    releases: list[PressRelease],
    rendered: list[tuple[str, Path, dict[str, bytes]]],
    theme: Theme | None = None,
) -> tuple[Output, bytes]:
    """The ZIP of the whole kit, built when every language's PDF and DOCX are."""
    from presskit import kitzip

    documents = {language: docs for language, _, docs in rendered}
    data = kitzip.archive(kitzip.entries(releases, documents, theme), releases[0])
    slug = releases[0].file_stem
    path = output_dir(out_root, slug, "x").parent / f"{slug}-press-kit.zip"
    return Output("", "zip", path, len(data)), data


@contextlib.contextmanager
def kit_lock(out_root: Path, slug: str) -> Iterator[None]:
    """Hold ``<out_root>/<slug>/.presskit.lock`` while writing: two builds of one kit
    at once would interleave their files; the second one stops and says so."""
    import fcntl

    path = output_dir(out_root, slug, "x").parent / ".presskit.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another presskit is writing {path.parent} right now; its outputs are left "
                "as they are: run again when it has finished"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def select_languages(
    content: Path, releases: list[PressRelease], wanted: Iterable[str] | None
) -> list[PressRelease]:
    """The releases in the languages asked for, in the content's order."""
    if wanted is None:
        return releases
    wanted = list(wanted)
    available = [r.language for r in releases]
    unknown = [code for code in wanted if code not in available]
    if unknown:
        raise PresskitError(
            f"{content}: no {', '.join(repr(c) for c in unknown)} version; "
            f"its languages are {', '.join(available)}"
        )
    return [r for r in releases if r.language in wanted]
