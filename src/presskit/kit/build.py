"""Build orchestration: content file -> every requested document, written atomically.

All documents are rendered in memory first and written only when every one of them
succeeded, each through a temp file and a rename; a failed build therefore leaves the
previous outputs exactly as they were.

The PDFs are laid out by worker processes (:class:`~presskit.render.pdf.PdfPool`),
started before the content is loaded so that WeasyPrint starts on the other core; the
languages of a kit are laid out side by side, while this process renders the Word
files and the invitations. :func:`build_many` keeps the workers warm across many kits.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presskit.render import engine
from presskit.theme.folder import Theme, builtin_theme
from presskit.util import atomic
from presskit.util.errors import BuildError, PresskitError

if TYPE_CHECKING:
    from presskit.content.model import PressRelease
    from presskit.kit.revisions import Revision
    from presskit.render.kitview import KitView
    from presskit.render.pdf import Job, PdfPool
    from presskit.render.view import ReleaseView

FORMATS = ("pdf", "docx", "html", "ics")


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
    revisions: dict[str, Revision] = field(default_factory=dict)
    """Each built language's revision (:mod:`presskit.kit.revisions`)."""

    @property
    def release(self) -> PressRelease:
        """The release in the content's first language."""
        return self.releases[0]


def output_dir(out_root: Path, slug: str, language: str) -> Path:
    """``<out_root>/<slug>/<language>``, refusing anything that would leave ``out_root``."""
    folder = (out_root / slug / language).resolve()
    if folder.parent.parent != out_root.resolve():
        raise BuildError(f"refusing to write outside {out_root}: {folder}")
    return folder


def render(
    view: ReleaseView,
    formats: Iterable[str],
    pool: PdfPool | None = None,
    theme: Theme | None = None,
) -> dict[str, bytes]:
    """Render one language's documents to bytes (the PDF through ``pool``, which is
    needed for a PDF or a theme)."""
    page = start_page(view, formats, pool, theme)
    page.render_docx()
    return page.documents()


@dataclass
class Page:
    """One language of a kit on its way: HTML rendered, PDF queued, Word to follow."""

    view: ReleaseView
    formats: set[str]
    html: str | None
    pdf: Job | None
    theme: Theme | None = None
    docx: bytes | None = None

    def render_docx(self) -> None:
        if "docx" in self.formats:
            from presskit.render.docx import render_docx

            parts = self.theme or builtin_theme()
            self.docx = render_docx(self.view, parts.reference_docx, parts.word_layout)

    def documents(self) -> dict[str, bytes]:
        """Every requested format's bytes, waiting for the PDF if it is not back yet."""
        pdf = bytes(self.pdf.result()) if self.pdf is not None else None
        found = {"pdf": pdf, "docx": self.docx, "html": _html_bytes(self.formats, self.html)}
        return {fmt: data for fmt, data in found.items() if data is not None}


def _html_bytes(formats: set[str], html: str | None) -> bytes | None:
    """The page's HTML as a document, when it is asked for."""
    return html.encode("utf-8") if "html" in formats and html is not None else None


def invitation(
    release: PressRelease, view: ReleaseView, uid: str, revision: Revision
) -> dict[str, bytes]:
    """``{"ics": bytes}`` when the release announces an event known to the day."""
    from presskit.kit.invite import render_ics

    ics = render_ics(release, view, uid=uid, revision=revision)
    return {"ics": ics} if ics is not None else {}


KIT_FORMATS = {"pdf": "kit-pdf", "docx": "kit-docx", "html": "kit-html"}
"""The kit document's outputs, by the format asked for."""


@dataclass
class KitPage:
    """One language's press kit document on its way: HTML rendered, PDF queued; its
    Word file follows the PDF, whose pages its contents give."""

    view: KitView
    formats: set[str]
    html: str | None
    pdf: Job | None
    theme: Theme | None = None

    def documents(self) -> dict[str, bytes]:
        """``kit-pdf``, ``kit-docx``, ``kit-html``: those of the formats asked for."""
        pdf = bytes(self.pdf.result()) if self.pdf is not None else None
        docx = self._docx(pdf) if "docx" in self.formats else None
        found = {"kit-pdf": pdf, "kit-docx": docx, "kit-html": _html_bytes(self.formats, self.html)}
        return {fmt: data for fmt, data in found.items() if data is not None}

    def _docx(self, pdf: bytes | None) -> bytes:
        from presskit.render.kitdocx import render_kit_docx

        parts = self.theme or builtin_theme()
        pages = _contents_pages(self.view, pdf)
        return render_kit_docx(self.view, pages, parts.reference_docx, parts.word_layout)


def _contents_pages(view: KitView, pdf: bytes | None) -> dict[str, int]:
    """The PDF's page of each entry of the kit's contents, read from its bookmarks; none
    when they do not match the contents."""
    from presskit.render.kitview import contents_anchors
    from presskit.render.outline import outline_pages

    anchors = contents_anchors(view)
    numbers = outline_pages(pdf) if pdf is not None else []
    if len(numbers) != len(anchors):
        return {}
    return {a: n for a, n in zip(anchors, numbers, strict=True) if n is not None}


def start_kit_page(
    release: PressRelease,
    view: ReleaseView,
    formats: Iterable[str],
    pool: PdfPool | None,
    theme: Theme | None,
) -> KitPage | None:
    """The kit document of ``release`` started like its release (:func:`start_page`),
    or None when the content has no kit section."""
    from presskit.render.kitview import build_kit_view, has_kit

    wanted = set(formats) & set(KIT_FORMATS)
    if not wanted or not has_kit(release):
        return None
    kit_view = build_kit_view(release, theme, view)
    from presskit.render.html import kit_stylesheet, render_kit_html

    html, job = _queue_pdf(
        wanted, pool, theme, ("kit-html", kit_view), render_kit_html, kit_stylesheet
    )
    return KitPage(kit_view, wanted, html, job, theme)


def _queue_pdf(
    wanted: set[str],
    pool: PdfPool | None,
    theme: Theme | None,
    themed: tuple[str, Any],
    render: Callable[..., str],
    stylesheet: Callable[[Theme | None], str],
) -> tuple[str | None, Job | None]:
    """The page's HTML, and its PDF queued on a worker (``None`` for what is not
    wanted). A theme's templates are someone else's code: they run in a worker (the
    ``themed`` job and its view), under its time and memory limits."""
    html: str | None = None
    pdf_page: str | tuple[str, str, dict[str, tuple[bytes, str]]] | None = None
    if wanted & {"html", "pdf"}:
        if theme is not None and theme.folder is not None:
            if pool is None:
                raise BuildError("a theme is rendered by a worker: none was started")
            job_name, view = themed
            html = pdf_page = str(pool.submit(job_name, (view, theme)).result())
        else:
            html = render(themed[1], theme)
            # The PDF's worker keeps the stylesheet parsed: the page goes without it, and
            # with each of its pictures once, named by reference (not a data: URI a row).
            pictures: dict[str, tuple[bytes, str]] = {}
            page = render(themed[1], theme, inline_css=False, pictures=pictures)
            pdf_page = (page, stylesheet(theme), pictures)
    if "pdf" not in wanted or pdf_page is None:
        return html, None
    if pool is None:
        raise BuildError("a PDF is rendered by a worker: none was started")
    return html, pool.submit("pdf", pdf_page)


def start_page(
    view: ReleaseView, formats: Iterable[str], pool: PdfPool | None, theme: Theme | None
) -> Page:
    """Render the HTML and queue the PDF, returning at once.

    The built-in templates are presskit's own and run here; a theme's templates are
    someone else's code and run in a worker, under its time and memory limits.
    """
    from presskit.render.html import page_stylesheet, render_html

    wanted = set(formats)
    html, job = _queue_pdf(wanted, pool, theme, ("html", view), render_html, page_stylesheet)
    return Page(view, wanted, html, job, theme)


def start_pool(
    formats: Iterable[str],
    profile: str = "pdfa-ua",
    theme: Theme | None = None,
    size: int = 2,
    method: str = "fork",
) -> PdfPool | None:
    """Fork the workers a build needs (a light import: WeasyPrint loads in them),
    or return None when neither a PDF nor a user's theme is asked for."""
    if "pdf" not in set(formats) and (theme is None or theme.folder is None):
        return None
    from presskit.render.pdf import PdfPool

    return PdfPool(size=size, profile=profile, theme=theme, method=method)


@dataclass
class Kit:
    """A content file loaded and its pages started: what :func:`finish` writes."""

    content: Path
    releases: list[PressRelease]
    complete: bool  # every language of the content (or a partial ZIP is wanted)
    pages: list[tuple[Path, Page]]
    started: float
    theme: Theme | None = None
    kit_pages: list[KitPage | None] | None = None
    """Each language's press kit document (None for a content without one)."""
    slug: str = ""
    """The kit's folder and file stem: the content's first language's, whichever
    languages are built."""


def prepare(
    content: Path,
    out_root: Path,
    formats: list[str],
    languages: Iterable[str] | None,
    pool: PdfPool | None,
    theme: Theme,
    every_language: list[PressRelease] | None = None,
) -> Kit:
    """Load ``content`` (unless its releases are given), render every language's HTML,
    queue every PDF, then render the Word files while the workers lay out the PDFs."""
    started = time.perf_counter()
    # Imported only now, so that the workers import WeasyPrint on the other core
    # while this process imports the model and loads the content.
    from presskit.content.loader import load_all
    from presskit.render.view import build_view

    if every_language is None:
        every_language = load_all(content, theme)
    engine.startup_done()
    releases = select_languages(content, every_language, languages)
    slug = every_language[0].file_stem  # one folder for every language
    views = [build_view(r, theme) for r in releases]
    pages = [
        (output_dir(out_root, slug, r.language), start_page(view, formats, pool, theme))
        for r, view in zip(releases, views, strict=True)
    ]
    kit_pages = [
        start_kit_page(r, view, formats, pool, theme)
        for r, view in zip(releases, views, strict=True)
    ]
    _while_laid_out(pages, formats, theme)
    complete = len(releases) == len(every_language)
    return Kit(content, releases, complete, pages, started, theme, kit_pages, slug)


def _while_laid_out(pages: list[tuple[Path, Page]], formats: list[str], theme: Theme) -> None:
    """The PDFs are on their way: the Word files are made while they are laid out."""
    _check_reference(formats, theme)
    for _, page in pages:
        page.render_docx()


Rendered = list[tuple[str, Path, dict[str, bytes]]]
"""Each language's folder and documents, by format."""


def finish(
    kit: Kit, out_root: Path, formats: list[str], hidden_root: Path | None = None
) -> BuildResult:
    """Wait for the kit's PDFs, then write all its files at once (holding the kit's
    lock, in ``hidden_root``: ``out_root`` by default)."""
    slug = kit.slug
    revised = revise(kit, kit_state_dir(hidden_root or out_root, slug))
    rendered = _rendered(kit, formats, revised)
    kit_files = kit_documents(kit, slug)
    files = _release_files(rendered, formats, slug) + kit_files
    if kit.complete and {"pdf", "docx"} <= set(formats):
        with_kit = _with_kit_documents(rendered, kit_files)
        files.append(press_kit(out_root, kit.releases, with_kit, kit.theme, slug))
    _write_kit_files(files, revised, out_root, hidden_root or out_root, slug)
    outputs = [output for output, _ in files]
    return BuildResult(kit.releases, outputs, time.perf_counter() - kit.started, revised.found)


def _with_kit_documents(rendered: Rendered, kit_files: list[tuple[Output, bytes]]) -> Rendered:
    """Each language's documents with its press kit document's, for the ZIP."""
    return [
        (language, folder, docs | {o.format: d for o, d in kit_files if o.language == language})
        for language, folder, docs in rendered
    ]


def _rendered(kit: Kit, formats: list[str], revised: Revised) -> Rendered:
    """Every language's documents, once its PDF is laid out. The invitations first:
    they need no PDF, so they are made while it is laid out."""
    invitations = [
        invitation(release, page.view, revised.uid, revised.found[release.language])
        if "ics" in formats
        else {}
        for release, (_, page) in zip(kit.releases, kit.pages, strict=True)
    ]
    return [
        (page.view.language, folder, page.documents() | ics)
        for (folder, page), ics in zip(kit.pages, invitations, strict=True)
    ]


def _release_files(rendered: Rendered, formats: list[str], slug: str) -> list[tuple[Output, bytes]]:
    """Each language's ``<slug>.<format>`` files, then its invitation, if any."""
    from presskit.kit.invite import invite_name

    files = [
        _file(language, fmt, folder / f"{slug}.{fmt}", docs[fmt])
        for language, folder, docs in rendered
        for fmt in formats
        if fmt != "ics"
    ]
    return files + [
        _file(language, "ics", folder / invite_name(slug, language), docs["ics"])
        for language, folder, docs in rendered
        if "ics" in docs
    ]


def _file(language: str, fmt: str, path: Path, data: bytes) -> tuple[Output, bytes]:
    """A file to write, with what the build reports of it."""
    return Output(language, fmt, path, len(data)), data


def _write_kit_files(
    files: list[tuple[Output, bytes]],
    revised: Revised,
    out_root: Path,
    hidden_root: Path,
    slug: str,
) -> None:
    """Every file and the revisions' record, at once, under the kit's lock."""
    try:
        with kit_lock(hidden_root, slug):
            revised.confirm()
            for folder in {output.path.parent for output, _ in files} | {revised.folder}:
                atomic.remove_stale_temps(folder)
            atomic.write_all([*((output.path, data) for output, data in files), revised.record()])
    except OSError as error:
        raise BuildError(
            f"cannot write {error.filename or out_root}: {error.strerror or error}; "
            "earlier outputs are unchanged"
        ) from None


@dataclass(frozen=True)
class Revised:
    """A kit's revisions as this build finds them (:mod:`presskit.kit.revisions`)."""

    folder: Path
    known: dict[str, Revision]
    """The record as read before rendering."""
    found: dict[str, Revision]
    """Each built language's revision."""
    uid: str
    """The kit's event UID, the same in every language."""

    def confirm(self) -> None:
        """Under the kit's lock: refuse to write when another build recorded other
        revisions since they were read (this build's would then repeat a number)."""
        from presskit.kit.revisions import read_record

        if read_record(self.folder) != self.known:
            raise BuildError(
                f"another presskit built {self.folder} meanwhile; its outputs are left as "
                "they are: run again"
            )

    def record(self) -> tuple[Path, bytes]:
        """The record to write with the kit's files (languages not built keep theirs)."""
        from presskit.kit.revisions import record_bytes, record_path

        return record_path(self.folder), record_bytes(self.known | self.found)


def revise(kit: Kit, folder: Path) -> Revised:
    """Each version's revision: the recorded one when what it shows is unchanged, the
    next one when it changed, the first when there is none."""
    from presskit.kit import revisions
    from presskit.kit.invite import event_uid, render_ics

    known = revisions.read_record(folder)
    now = revisions.clock()
    uid = event_uid(kit.releases[0], kit.slug)
    found = {}
    kit_pages = kit.kit_pages or [None] * len(kit.pages)
    for release, (_, page), kit_page in zip(kit.releases, kit.pages, kit_pages, strict=True):
        # The invitation at revision 0 stands for what only it shows (zone, organiser).
        facts = render_ics(release, page.view, uid=uid) or b""
        shown = (page.view, kit_page.view if kit_page is not None else None)
        digest = revisions.content_digest(shown, facts)
        found[release.language] = revisions.next_revision(
            known.get(release.language), release, digest, now
        )
    return Revised(folder, known, found, uid)


def kit_documents(kit: Kit, slug: str) -> list[tuple[Output, bytes]]:
    """Each language's press kit document (``<slug>-<kit_file>.pdf``, …), beside its
    release."""
    from presskit.render.kitview import kit_stem

    files = []
    for (folder, _), kit_page in zip(kit.pages, kit.kit_pages or [], strict=False):
        if kit_page is None:
            continue
        stem = kit_stem(slug, kit_page.view.strings)
        for fmt, data in kit_page.documents().items():
            path = folder / f"{stem}.{fmt.removeprefix('kit-')}"
            files.append(_file(kit_page.view.language, fmt, path, data))
    return files


def _checked(formats: Iterable[str], theme: Path | None) -> tuple[list[str], Theme]:
    """The formats in their usual order, and the theme resolved once for every part
    and every language (a light step: the workers are forked right after it)."""
    return [f for f in FORMATS if f in set(formats)], Theme.resolve(theme)


def _check_reference(formats: list[str], theme: Theme) -> None:
    """The theme's Word styles, checked when a Word file is asked for, before any is
    rendered (this imports the Word renderer: done once the PDFs are queued)."""
    if "docx" in formats:
        from presskit.render.docx import check_reference

        check_reference(theme.reference_docx)


def build(
    content: Path,
    out_root: Path,
    formats: Iterable[str] = FORMATS,
    languages: Iterable[str] | None = None,
    pdf_profile: str = "pdfa-ua",
    pool: PdfPool | None = None,
    theme: Path | None = None,
    *,
    hidden_root: Path | None = None,
) -> BuildResult:
    """Load ``content`` and write ``formats`` for each of its languages (or those
    asked for) under ``out_root/<slug>/<language>/``; the kit's lock (and any other
    record not to publish) under ``hidden_root/<slug>/`` (``out_root`` by default).

    A warm ``pool`` passed in (the preview's) is used as it is; otherwise workers
    are forked for this build, one per language asked for (two when not told).
    """
    formats, resolved = _checked(formats, theme)
    wanted = None if languages is None else list(languages)
    own = pool is None
    if own:
        size = 2 if wanted is None else max(1, min(2, len(set(wanted))))
        pool = start_pool(formats, pdf_profile, resolved, size)
    try:
        kit = prepare(content, out_root, formats, wanted, pool, resolved)
        return finish(kit, out_root, formats, hidden_root)
    finally:
        if own and pool is not None:
            pool.close()


@dataclass(frozen=True)
class KitOutcome:
    """One content file of :func:`build_many`: its result, or the error that stopped it."""

    content: Path
    result: BuildResult | None
    error: PresskitError | None


def build_many(
    contents: Iterable[Path],
    out_root: Path,
    formats: Iterable[str] = FORMATS,
    languages: Iterable[str] | None = None,
    pdf_profile: str = "pdfa-ua",
    theme: Path | None = None,
    *,
    languages_of: Mapping[Path, list[str]] | None = None,
    partial_zip: bool = False,
    hidden_root: Path | None = None,
    loaded: Mapping[Path, list[PressRelease]] | None = None,
) -> list[KitOutcome]:
    """Build many kits in this process with two warm workers, in the given order.

    ``languages_of`` gives some contents languages of their own (the newsroom's public
    ones), with a ZIP of just those when ``partial_zip``; ``hidden_root`` is where the
    kits' locks go (the output folder's ``<slug>/`` by default); ``loaded`` gives the
    releases of contents the caller has loaded already (with the same theme), which are
    not read and validated again.

    While the workers lay out one kit's PDFs, this process loads the next content and
    renders its HTML and Word files. A kit that fails (bad content, a render error, a
    slug another kit of the batch already took) is reported in its outcome; the
    others are built all the same.
    """
    formats, resolved = _checked(formats, theme)
    wanted = None if languages is None else list(languages)
    pool = start_pool(formats, pdf_profile, resolved)
    batch = _Batch(out_root, formats, pool, resolved, partial_zip, hidden_root, loaded or {})
    try:
        return batch.build_all(
            (content, wanted if languages_of is None else languages_of.get(content, wanted))
            for content in contents
        )
    finally:
        if pool is not None:
            pool.close()


@dataclass
class _Batch:
    """What every kit of a :func:`build_many` batch shares: where and how it is
    written, the warm workers, and the slugs already taken."""

    out_root: Path
    formats: list[str]
    pool: PdfPool | None
    theme: Theme
    partial_zip: bool
    hidden_root: Path | None
    loaded: Mapping[Path, list[PressRelease]]
    """The releases of contents the caller has loaded already."""
    slugs: dict[str, Path] = field(default_factory=dict)

    def build_all(self, wanted: Iterable[tuple[Path, list[str] | None]]) -> list[KitOutcome]:
        """Each content's kit in the given languages, in order: one kit is prepared
        while the one before is finished."""
        outcomes: dict[int, KitOutcome] = {}
        waiting: tuple[int, Kit] | None = None
        for index, (content, languages) in enumerate(wanted):
            prepared = self.prepare(content, languages)
            if waiting is not None:
                outcomes[waiting[0]] = self.finish(waiting[1])
            waiting = None
            if isinstance(prepared, KitOutcome):
                outcomes[index] = prepared
            else:
                waiting = (index, prepared)
        if waiting is not None:
            outcomes[waiting[0]] = self.finish(waiting[1])
        return [outcomes[index] for index in sorted(outcomes)]

    def prepare(self, content: Path, languages: list[str] | None) -> Kit | KitOutcome:
        """The kit of ``content`` on its way, or the outcome of its failure."""
        try:
            releases = self.loaded.get(content)
            kit = prepare(
                content, self.out_root, self.formats, languages, self.pool, self.theme, releases
            )
            kit.complete = kit.complete or self.partial_zip
            _claim_slug(self.slugs, kit)
            return kit
        except Exception as error:  # a fault of presskit's too: this kit only
            return _failed(content, error)

    def finish(self, kit: Kit) -> KitOutcome:
        """The kit written, or the outcome of its failure."""
        try:
            result = finish(kit, self.out_root, self.formats, self.hidden_root)
        except Exception as error:  # a fault of presskit's too: this kit only
            return _failed(kit.content, error)
        return KitOutcome(kit.content, result, None)


def _failed(content: Path, error: Exception) -> KitOutcome:
    """The outcome of a kit that failed; an error not presskit's own kind is a fault of its."""
    failure = error if isinstance(error, PresskitError) else internal_error(content, error)
    return KitOutcome(content, None, failure)


class InternalBuildError(BuildError):
    """A fault of presskit's own (a bug) met while building one kit of a batch."""


def internal_error(content: Path, error: Exception) -> BuildError:
    """An unexpected failure while building ``content``, as one line naming it; the
    fault stays attached (``__cause__``) for ``--verbose`` to show its traceback."""
    failure = InternalBuildError(f"{content}: presskit failed ({type(error).__name__}: {error})")
    failure.__cause__ = error
    return failure


def _claim_slug(slugs: dict[str, Path], kit: Kit) -> None:
    slug = kit.releases[0].file_stem
    if slug in slugs:
        for _, page in kit.pages:  # already queued: collect, so nothing is left behind
            with contextlib.suppress(PresskitError):
                page.documents()
        raise BuildError(
            f"{kit.content}: its slug {slug!r} is already used by {slugs[slug]} in this "
            "batch; give one of them another slug"
        )
    slugs[slug] = kit.content


def press_kit(
    out_root: Path,
    releases: list[PressRelease],
    rendered: list[tuple[str, Path, dict[str, bytes]]],
    theme: Theme | None = None,
    slug: str | None = None,
) -> tuple[Output, bytes]:
    """The ZIP of the whole kit, built when every language's PDF and DOCX are."""
    from presskit.kit import archive as kitzip

    documents = {language: docs for language, _, docs in rendered}
    slug = slug or releases[0].file_stem
    data = kitzip.archive(kitzip.entries(releases, documents, theme, slug), releases[0])
    return _file("", "zip", kit_state_dir(out_root, slug) / f"{slug}-press-kit.zip", data)


def kit_state_dir(root: Path, slug: str) -> Path:
    """The folder of a kit's hidden files (its lock, its revisions): ``<root>/<slug>/``,
    ``root`` being the build's hidden root (its output folder unless told)."""
    return output_dir(root, slug, "x").parent


@contextlib.contextmanager
def kit_lock(root: Path, slug: str) -> Iterator[None]:
    """Hold ``<root>/<slug>/.presskit.lock`` while writing: two builds of one kit at
    once would interleave their files; the second one stops and says so."""
    from presskit.util.locks import held_alone

    path = kit_state_dir(root, slug) / ".presskit.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    busy = BuildError(
        f"another presskit is writing {path.parent} right now; its outputs are left "
        "as they are: run again when it has finished"
    )
    with held_alone(path, busy):
        yield


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
