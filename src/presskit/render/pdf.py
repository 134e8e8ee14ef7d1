"""The press release as a PDF: the HTML page laid out by WeasyPrint.

WeasyPrint reads resources only through :class:`SafeFetcher`, which allows ``data:``
URIs and regular files inside the theme and asset folders (checked after resolving
symlinks and ``..``), and nothing else: no other file, no network. Anything else stops
the render with an error naming the reference. WeasyPrint is imported only here, and
only when a PDF is asked for, since importing it takes most of a small build's time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import unquote, urlsplit

from presskit.assets.resources import TEMPLATES_DIR, Roots
from presskit.render import engine
from presskit.render.pictures import PICTURE_SCHEME
from presskit.theme.folder import Theme, builtin_theme
from presskit.util import diskcache
from presskit.util.errors import BuildError, ResourceError

if TYPE_CHECKING:
    from weasyprint import CSS

MAX_RESOURCE_BYTES = 20_000_000
FONTS_CSS = TEMPLATES_DIR / "fonts.css"


class _CapturedErrors(logging.Handler):
    """Collects WeasyPrint's ERROR log records, which it otherwise only logs, and its
    warnings too when ``PRESSKIT_STRICT_RENDER`` is set (the test suite sets it)."""

    def __init__(self) -> None:
        strict = bool(os.environ.get("PRESSKIT_STRICT_RENDER"))
        super().__init__(logging.WARNING if strict else logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno < logging.ERROR and message.startswith(".notdef glyph"):
            return  # a character no font has: valid content, flagged by `presskit check`
        self.messages.append(f"{record.levelname.lower()}: {message}")


@contextlib.contextmanager
def _captured_errors() -> Iterator[_CapturedErrors]:
    """WeasyPrint's errors (and warnings, when strict) collected while the block runs."""
    logger = logging.getLogger("weasyprint")
    errors = _CapturedErrors()
    logger.addHandler(errors)
    try:
        yield errors
    finally:
        logger.removeHandler(errors)


def _fetcher_class() -> type:
    engine.import_weasyprint()
    from weasyprint.urls import URLFetcher

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """A URL fetcher that only reads allowed local files and ``data:`` URIs."""

        def __init__(self, roots: Roots) -> None:
            super().__init__(
                allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True
            )
            self.roots = roots
            self.pictures: dict[str, tuple[bytes, str]] = {}

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            return _fetch_allowed(url, self.roots, self.pictures)

    return SafeFetcher


def _fetch_allowed(url: str, roots: Roots, pictures: dict[str, tuple[bytes, str]]) -> Any:
    """A picture sent with the page, or a theme or asset file of at most
    :data:`MAX_RESOURCE_BYTES`; anything else refused."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse

    if url.startswith(PICTURE_SCHEME):  # sent with the page: see render()
        if url not in pictures:
            raise FatalURLFetchingError(f"refused to fetch {url!r}: not of this page")
        data, mime = pictures[url]
        return URLFetcherResponse(url, data, headers={"Content-Type": mime})
    path = _local_path(url, roots)
    if path is None:
        raise FatalURLFetchingError(
            f"refused to fetch {url!r}: only theme and asset files may be used"
        )
    with path.open("rb") as file:
        body = file.read(MAX_RESOURCE_BYTES + 1)
    if len(body) > MAX_RESOURCE_BYTES:
        raise FatalURLFetchingError(
            f"refused to fetch {url!r}: larger than {MAX_RESOURCE_BYTES} bytes"
        )
    return URLFetcherResponse(path.as_uri(), body, headers={"Content-Type": _mime(path)})


def _local_path(url: str, roots: Roots) -> Path | None:
    """The file a ``file:`` URL names, resolved, if it is one inside ``roots``."""
    from urllib.request import url2pathname

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(unquote(parts.path)))
    if not (path.is_absolute() and roots.contain(path)):
        return None
    real = path.resolve()
    return real if real.is_file() else None


_MIME_TYPES = {
    ".css": "text/css",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


def _mime(path: Path) -> str:
    return _MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")


def theme_roots(theme: Theme | None = None) -> Roots:
    """The folders the PDF renderer may read: the theme(s) and the assets."""
    return Roots(tuple(folder.resolve() for folder in (theme or builtin_theme()).roots))


_LANG = re.compile(r"<html[^>]*?\slang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)", re.IGNORECASE)


def page_language(html: str) -> str:
    """The ``lang`` of the page's ``<html>`` element, or ``""``."""
    match = _LANG.search(html, 0, 4096)
    return match.group(1) if match else ""


PROFILES = ("pdfa-ua", "plain")
"""``pdfa-ua``: one file that is PDF/A-2b and PDF/UA-1 (tagged, archival); ``plain``:
an untagged PDF, for the rare reader that cannot take the other."""


def _checked_profile(profile: str) -> str:
    """``profile``, if it is one of :data:`PROFILES`."""
    if profile not in PROFILES:
        raise BuildError(f"unknown PDF profile {profile!r}; choose from {', '.join(PROFILES)}")
    return profile


class PdfRenderer:
    """Renders HTML pages to PDF, keeping fonts and stylesheets loaded between calls."""

    def __init__(self, roots: Roots | None = None, profile: str = "pdfa-ua") -> None:
        self.profile = _checked_profile(profile)
        engine.import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        if profile == "pdfa-ua":  # pikepdf: imported now, not after the first layout
            import presskit.render.conformance  # noqa: F401
        self.fetcher = _fetcher_class()(roots or theme_roots())
        self.font_config = FontConfiguration()
        self._fonts_css: CSS | None = None
        self._page_css: dict[str, CSS] = {}
        self._image_cache: dict[str, Any] = {}  # decoded images, reused across renders

    def _stylesheets(self, page_css: str | None = None) -> list[CSS]:
        from weasyprint import CSS

        if self._fonts_css is None:
            self._fonts_css = CSS(
                filename=str(FONTS_CSS), url_fetcher=self.fetcher, font_config=self.font_config
            )
        if page_css is None:
            return [self._fonts_css]
        return [self._fonts_css, self._page_stylesheet(page_css)]

    def _page_stylesheet(self, text: str) -> CSS:
        """The page's stylesheet parsed once and kept while it is unchanged. Given as a
        user stylesheet after the fonts, it cascades as it would inlined: the page has
        no other stylesheet for it to be weighed against (the PDF is the same, byte
        for byte), and parsing it was a tenth of each page's layout time."""
        from weasyprint import CSS

        if text not in self._page_css:
            if len(self._page_css) >= 4:  # a theme being edited: keep the latest few
                self._page_css.pop(next(iter(self._page_css)))
            self._page_css[text] = CSS(
                string=text,
                base_url=TEMPLATES_DIR.as_uri() + "/",
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
        return self._page_css[text]

    def render(
        self,
        html: str,
        page_css: str | None = None,
        pictures: dict[str, tuple[bytes, str]] | None = None,
    ) -> bytes:
        """Lay out ``html`` and return the PDF bytes; raise on any resource error.

        ``page_css`` is the page's stylesheet when ``html`` does not inline it;
        ``pictures`` the pictures it names by reference (each one decoded once, however
        many times the page shows it, and kept decoded while it is unchanged)."""
        self.fetcher.pictures = pictures or {}
        engine.preload_hyphenation(page_language(html))
        with _captured_errors() as errors:
            pdf = self._write_pdf(html, page_css)
        if errors.messages:
            raise BuildError("the PDF renderer reported: " + "; ".join(errors.messages))
        if pdf is None:
            raise BuildError("the PDF renderer returned nothing")
        return self._finished(bytes(pdf))

    def _finished(self, pdf: bytes) -> bytes:
        if self.profile != "pdfa-ua":
            return pdf
        from presskit.render.conformance import finish

        return finish(pdf)

    def _write_pdf(self, html: str, page_css: str | None) -> bytes | None:
        """WeasyPrint's PDF of the page; its failures as presskit's errors."""
        from weasyprint.urls import FatalURLFetchingError

        try:
            pdf: bytes | None = self._document(html).write_pdf(
                stylesheets=self._stylesheets(page_css),
                font_config=self.font_config,
                cache=self._image_cache,
                **self._profile_options(),
            )
            return pdf
        except FatalURLFetchingError as error:
            cause = error.__cause__ or error
            raise ResourceError(str(cause)) from None
        except (RecursionError, ZeroDivisionError, OverflowError) as error:
            raise BuildError(f"the PDF layout failed ({type(error).__name__}: {error})") from None

    def lone_headings(self, html: str, page_css: str | None = None) -> list[tuple[int, str]]:
        """The pages whose content, running header and footer aside, is only headings
        (a heading left at the foot of a page, its text on the next), as (page number,
        their text). Text in a heading element or a ``<header>`` counts as heading."""
        engine.preload_hyphenation(page_language(html))
        document = self._document(html).render(
            stylesheets=self._stylesheets(page_css), font_config=self.font_config
        )
        found = []
        for number, page in enumerate(document.pages, start=1):
            parts = [
                part
                for child in page._page_box.children
                if type(child).__name__ != "MarginBox"
                for part in _contents(child, heading=False)
            ]
            if parts and all(heading for heading, _ in parts):
                found.append((number, " ".join(text for _, text in parts if text).strip()))
        return found

    def _document(self, html: str) -> Any:
        """WeasyPrint's document of ``html``, which reads its resources through the fetcher."""
        from weasyprint import HTML

        return HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=self.fetcher)

    def _profile_options(self) -> dict[str, Any]:
        if self.profile == "pdfa-ua":
            # Streams are left uncompressed here: pikepdf compresses them (and packs
            # objects into object streams) when it finishes the file, in less time.
            return {"pdf_variant": "pdf/a-2b", "pdf_tags": True, "uncompressed_pdf": True}
        return {}


_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "header"}


def _contents(box: Any, heading: bool) -> list[tuple[bool, str]]:
    """The text and pictures laid out in ``box``: (inside a heading?, text)."""
    heading = heading or getattr(box, "element_tag", None) in _HEADING_TAGS
    kind = type(box).__name__
    if kind == "TextBox":
        return [(heading, box.text)] if box.text.strip() else []
    if kind in ("InlineReplacedBox", "BlockReplacedBox"):
        return [(heading, "")]
    return [part for child in getattr(box, "children", ()) for part in _contents(child, heading)]


class PdfWorker:
    """Renders pages in a child process, one at a time, in the order submitted.

    The child is a fork of a :class:`Zygote`, which imports WeasyPrint and loads the
    fonts (most of a cold build's time) on the second core while the parent validates
    the content and writes the HTML and Word files: the pool's zygote, or one of the
    worker's own when it is started alone (``profile``, ``theme`` and ``method`` are
    then the zygote's). The child also keeps a runaway layout or theme from taking
    the command down with it: it runs under a memory cap and is stopped when a page
    takes longer than ``timeout``.
    """

    def __init__(
        self,
        timeout: float = 120.0,
        profile: str = "pdfa-ua",
        theme: Theme | None = None,
        method: str = "fork",
        zygote: Zygote | None = None,
    ) -> None:
        self._timeout = timeout
        self._pending = 0
        self._own_zygote: Zygote | None = None
        if zygote is None:
            zygote = self._own_zygote = Zygote(profile, theme, method)
        self._process: ForkedProcess
        self._connection, self._process = zygote.fork()

    def submit(self, html: str) -> None:
        """Send ``html`` to the child, which starts laying it out at once."""
        self.send("pdf", html)

    def send(self, kind: str, payload: Any) -> None:
        """Queue a job: ``pdf`` (an HTML page, or a page and its stylesheet when the
        page does not inline it) or ``html`` (a view and a theme folder, rendered by
        the theme's templates under the child's limits)."""
        try:
            self._connection.send((kind, payload))
        except (BrokenPipeError, ConnectionResetError, OSError):
            raise BuildError("the PDF renderer stopped unexpectedly") from None
        self._pending += 1

    @property
    def pending(self) -> int:
        return self._pending

    def alive(self) -> bool:
        return bool(self._process.is_alive())

    def result(self) -> Any:
        """Wait for the oldest job's result, or raise its error; a job past its time
        stops the child."""
        try:
            if not self._connection.poll(self._timeout):
                self._stop()
                raise BuildError(f"the PDF took longer than {self._timeout:.0f} s to lay out")
            status, payload = self._connection.recv()
        except (EOFError, ConnectionResetError, OSError):
            self._stop()
            raise BuildError(self._death()) from None
        finally:
            self._pending -= 1
        if status == "ok":
            return payload
        raise (ResourceError if status == "resource" else BuildError)(payload)

    def _death(self) -> str:
        # Its exit status is the zygote's to collect: the likely causes, not the one.
        return (
            "the PDF renderer stopped unexpectedly (killed, or the page needed more "
            f"than {MEMORY_LIMIT_MB} MB)"
        )

    def _stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()

    def close(self) -> None:
        """Stop the child: at once if some of its work is no longer wanted."""
        with contextlib.suppress(OSError):
            # Not only the end of input: a sibling forked later holds a copy of our end.
            self._connection.send(("stop", None))
        self._connection.close()
        if self._own_zygote is not None:
            self._own_zygote.close()  # which stops and collects the child
        # Otherwise told to stop, and it ends with its zygote when the pool closes.


class Zygote:
    """A warm process that forks a pool's workers.

    It imports WeasyPrint, loads the fonts and freezes the collector once; each
    worker is then a fork of it, ready at once and sharing its memory: the second
    language's worker costs a fork, not a second start-up (half a second of CPU), and
    a worker replaced after a failure is as quick. The zygote renders nothing itself,
    so no page can take it down; it ends when the pool closes or this process dies,
    and its workers end with it (``PR_SET_PDEATHSIG``).

    Each worker's socket is made here and its other end passed to the zygote
    (``SCM_RIGHTS``), so pages can be sent to a worker before the zygote has even
    finished starting; the zygote answers each fork with the worker's process id.
    """

    def __init__(self, profile: str, theme: Theme | None, method: str) -> None:
        import multiprocessing

        # Warned about here, if need be: the zygote and its workers stay silent.
        diskcache.check_folder()
        context: Any = multiprocessing.get_context(method)
        self._control, child_end = context.Pipe()
        self._process = context.Process(
            target=_zygote,
            args=(child_end, self._control if method == "fork" else None, profile, theme),
            daemon=True,
        )
        self._process.start()
        child_end.close()
        self._unanswered: deque[ForkedProcess] = deque()

    def fork(self) -> tuple[Any, ForkedProcess]:
        """A new worker: its connection, usable at once, and its process."""
        import socket
        from multiprocessing.connection import Connection
        from multiprocessing.reduction import send_handle

        ours, theirs = socket.socketpair()
        try:
            self._control.send("fork")
            send_handle(self._control, theirs.fileno(), self._process.pid)
        except OSError:
            ours.close()
            raise BuildError("the PDF renderer stopped unexpectedly") from None
        finally:
            theirs.close()
        process = ForkedProcess(self)
        self._unanswered.append(process)
        return Connection(ours.detach()), process

    def answer(self, process: ForkedProcess) -> None:
        """Read the zygote's answers up to ``process``'s id: 0 if the zygote died
        first, or did not answer within its start-up time (then it is stopped)."""
        while process.pid is None:
            waiting = self._unanswered.popleft()
            try:
                if not self._control.poll(STARTUP_SECONDS):
                    self.close()
                waiting.pid = int(self._control.recv())
            except (EOFError, OSError):
                waiting.pid = 0

    def close(self) -> None:
        """Stop the zygote, which stops and collects every worker it forked."""
        with contextlib.suppress(OSError):
            self._control.close()
        self._process.join(timeout=5)
        if self._process.is_alive():  # still starting, or stuck: no waiting for it
            self._process.kill()
            self._process.join()


class ForkedProcess:
    """A worker forked by a :class:`Zygote`: the part of :class:`multiprocessing.Process`
    a :class:`PdfWorker` uses. Its exit status is its parent's (the zygote's) to
    collect."""

    def __init__(self, zygote: Zygote) -> None:
        self.zygote = zygote
        self.pid: int | None = None

    def is_alive(self) -> bool:
        self.zygote.answer(self)
        return _exists(self.pid) if self.pid else False

    def kill(self) -> None:
        self.zygote.answer(self)
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, 9)

    def join(self, timeout: float | None = None) -> None:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_alive() and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.005)


def _exists(pid: int) -> bool:
    """Whether process ``pid`` still exists."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 0)
        return True
    return False


class Job:
    """A page submitted to a :class:`PdfPool`; :meth:`result` waits for it."""

    def __init__(self, pool: PdfPool, kind: str, payload: Any) -> None:
        self.pool, self.kind, self.payload = pool, kind, payload
        self.done = False
        self.value: Any = None
        self.error: BuildError | ResourceError | None = None

    def result(self) -> Any:
        """The job's value (PDF bytes, or an HTML string), or its error raised."""
        self.pool.wait(self)
        if self.error is not None:
            raise self.error
        return self.value


class PdfPool:
    """A few warm :class:`PdfWorker` processes sharing the pages of one or many kits.

    The workers are forked from one :class:`Zygote`. Each page goes to the worker with
    the fewest pages waiting, so the two languages of a kit are laid out at the same
    time on two cores. A worker that dies or runs past its time fails only the page it
    was on: the pages queued behind it go to a fresh worker.
    """

    def __init__(
        self,
        size: int = 2,
        profile: str = "pdfa-ua",
        theme: Theme | None = None,
        timeout: float | None = None,
        method: str = "fork",
    ) -> None:
        self._zygote_options = (_checked_profile(profile), theme, method)
        self._zygote = Zygote(*self._zygote_options)
        self._timeout = RENDER_SECONDS if timeout is None else timeout
        self._workers = [self._start() for _ in range(max(1, size))]
        self._queues: list[deque[Job]] = [deque() for _ in self._workers]

    def _start(self) -> PdfWorker:
        try:
            return PdfWorker(timeout=self._timeout, zygote=self._zygote)
        except BuildError:  # the zygote itself has gone (killed): start another
            self._zygote.close()
            self._zygote = Zygote(*self._zygote_options)
            return PdfWorker(timeout=self._timeout, zygote=self._zygote)

    def submit(self, kind: str, payload: Any) -> Job:
        """Queue a job on the least busy worker; return at once."""
        job = Job(self, kind, payload)
        index = min(range(len(self._workers)), key=lambda i: len(self._queues[i]))
        self._enqueue(index, job)
        return job

    def _enqueue(self, index: int, job: Job) -> None:
        try:
            self._workers[index].send(job.kind, job.payload)
        except BuildError:
            self._replace(index)
            self._workers[index].send(job.kind, job.payload)
        self._queues[index].append(job)

    def wait(self, job: Job) -> None:
        """Read results in order until ``job``'s has come."""
        while not job.done:
            index = next(i for i, queue in enumerate(self._queues) if job in queue)
            first = self._queues[index].popleft()
            try:
                first.value = self._workers[index].result()
            except (BuildError, ResourceError) as error:
                first.error = error
                if not self._workers[index].alive():
                    self._requeue_behind(index)
            first.done = True

    def _requeue_behind(self, index: int) -> None:
        """The worker died on the job at the head of its queue: start a new one and
        give it the jobs that were waiting behind."""
        waiting = list(self._queues[index])
        self._queues[index].clear()
        self._replace(index)
        for job in waiting:
            self._enqueue(index, job)

    def _replace(self, index: int) -> None:
        self._workers[index].close()
        self._workers[index] = self._start()

    def close(self) -> None:
        """Stop every worker, and the zygote."""
        for worker in self._workers:
            worker.close()
        self._zygote.close()

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


MEMORY_LIMIT_MB = int(os.environ.get("PRESSKIT_RENDER_MEMORY_MB", "3072"))
RENDER_SECONDS = float(os.environ.get("PRESSKIT_RENDER_SECONDS", "120"))
STARTUP_SECONDS = 60.0  # the zygote's start-up, beyond which it is taken for stuck


def _limit_memory() -> None:
    """Cap the worker's address space: a runaway layout fails instead of swapping. The
    cap is counted from what the process already maps (forked from its parent, it
    maps all of the parent's, shared and never copied), so that a page gets the same
    room beside a small command as beside a large one."""
    import resource

    limit = _mapped_bytes() + MEMORY_LIMIT_MB * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _mapped_bytes() -> int:
    """The process's address space now (``/proc/self/statm``), 0 where unknown."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    return 0


def _tie_to_parent() -> None:
    """Ctrl-C is the parent's to handle (it reports and stops us); if the parent dies
    (SIGTERM, SIGKILL), we go too instead of finishing a page nobody will read."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _warm_renderer(profile: str, theme: Theme | None) -> PdfRenderer:
    """WeasyPrint imported and the fonts loaded, under the worker's limits."""
    _tie_to_parent()
    _limit_memory()
    # WeasyPrint's start-up objects live as long as the process: rare collections
    # while they are made, then out of every later one (see render/engine.py).
    engine.freeze_after_startup()
    renderer = PdfRenderer(theme_roots(theme), profile=profile)
    renderer._stylesheets()  # load the fonts while the parent loads the content
    engine.startup_done()
    return renderer


def _zygote(control: Any, parent_end: Any, profile: str, theme: Theme | None) -> None:
    """Child side of :class:`Zygote`: warm up, then fork a worker for each request.
    At the end (the pool closed), its workers are stopped and waited for, so that
    their CPU time is counted in the parent's, as a direct child's would be."""
    import signal

    if parent_end is not None:
        parent_end.close()
    renderer = _warm_renderer(profile, theme)
    workers: set[int] = set()
    signal.signal(signal.SIGCHLD, lambda *_: _reap(workers, block=False))
    try:
        _fork_on_request(control, renderer, workers)
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _reap(workers, block=True)


def _fork_on_request(control: Any, renderer: PdfRenderer, workers: set[int]) -> None:
    """Fork a worker for each connection the pool sends, until it says stop."""
    zygote = os.getpid()
    while (handle := _next_request(control)) is not None:
        pid = os.fork()
        if pid == 0:
            _be_worker(control, handle, renderer, zygote)
        workers.add(pid)
        os.close(handle)
        try:
            control.send(pid)
        except OSError:
            return


def _next_request(control: Any) -> int | None:
    """The handle of the next worker's connection; None when the pool is done."""
    from multiprocessing.reduction import recv_handle

    try:
        if control.recv() != "fork":
            return None
        handle: int = recv_handle(control)
        return handle
    except (EOFError, OSError):
        return None


def _be_worker(control: Any, handle: int, renderer: PdfRenderer, zygote: int) -> NoReturn:
    """The forked worker: serve pages on its connection, then leave at once."""
    import signal
    from multiprocessing.connection import Connection

    try:
        control.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _tie_to_parent()  # to the zygote, which is tied to the parent
        if os.getppid() == zygote:  # else the zygote died before the tie
            _serve_pages(Connection(handle), renderer)
    finally:
        os._exit(0)


def _reap(workers: set[int], block: bool) -> None:
    """Collect the workers that have ended (all of them, if ``block``)."""
    while workers:
        try:
            pid, _status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            workers.clear()
            return
        if pid == 0:
            return
        workers.discard(pid)


def _serve_pages(connection: Any, renderer: PdfRenderer) -> None:
    """Render pages until told to stop or the parent goes."""
    for kind, payload in _requests(_page_source(connection)):
        if not _sent(connection, _run_job(renderer, kind, payload)) or kind == "unreadable":
            return  # the parent is gone, or nothing follows a page too large to receive


def _requests(take: Callable[[], tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """Each request taken, until told to stop or the parent goes."""
    with contextlib.suppress(EOFError, OSError):
        while (request := take())[0] != "stop":
            yield request


def _sent(connection: Any, reply: tuple[str, Any]) -> bool:
    """Whether ``reply`` was sent: the parent may be gone, or have given up on us."""
    with contextlib.suppress(OSError):
        connection.send(reply)
        return True
    return False


def _page_source(connection: Any) -> Callable[[], tuple[str, Any]]:
    """Where the next request is taken from. The pages are received by a thread of
    their own, always ready to read: a parent sending a large page while this worker
    sends back a large PDF would otherwise wait on each other forever, each pipe full
    in one direction."""
    import queue
    import threading

    inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    threading.stack_size(1 << 18)  # the reader needs little, under the memory cap
    try:
        threading.Thread(target=_receive, args=(connection, inbox), daemon=True).start()
    except RuntimeError:  # no room left for a thread under the cap: read in turn
        return connection.recv  # type: ignore[no-any-return]
    return inbox.get


def _receive(connection: Any, inbox: Any) -> None:
    """Put every request in ``inbox``, until the last one."""
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            message = ("stop", None)
        except MemoryError:  # a page too large for the memory cap to even receive
            message = ("unreadable", None)
        inbox.put(message)
        if message[0] in ("stop", "unreadable"):
            return


def _run_job(renderer: PdfRenderer, kind: str, payload: Any) -> tuple[str, Any]:
    """One request's reply: ``("ok", result)``, or the kind of failure and its words."""
    if kind == "unreadable":  # a page too large for the memory cap to even receive
        return ("build", f"the page needed more than {MEMORY_LIMIT_MB} MB")
    what = "the theme's templates" if kind in ("html", "kit-html") else "the PDF"
    try:
        return ("ok", _job_result(renderer, kind, payload))
    except ResourceError as error:
        return ("resource", str(error))
    except BuildError as error:
        return ("build", str(error))
    except MemoryError:
        return ("build", f"{what} needed more than {MEMORY_LIMIT_MB} MB")
    except Exception as error:  # report, so the parent can say what failed
        return ("build", f"{what} failed: {type(error).__name__}: {error}")


def _job_result(renderer: PdfRenderer, kind: str, payload: Any) -> Any:
    if kind in ("html", "kit-html"):
        return _theme_page(kind, *payload)
    if kind == "lone-headings":
        return renderer.lone_headings(*payload)
    return renderer.render(*_pdf_request(payload))


def _theme_page(kind: str, view: Any, theme: Theme | None) -> str:
    """The release's page (``html``) or the kit's (``kit-html``), by the theme's templates."""
    from presskit.render.html import render_html, render_kit_html

    render = render_html if kind == "html" else render_kit_html
    return render(view, theme)


def _pdf_request(payload: Any) -> tuple[Any, ...]:
    """A ``pdf`` job's page, its stylesheet and its pictures (the last two may be left out)."""
    if isinstance(payload, tuple):
        return (*payload, None)[:3]
    return (payload, None, None)
