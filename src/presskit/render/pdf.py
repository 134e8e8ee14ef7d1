"""The press release as a PDF: the HTML page laid out by WeasyPrint.

WeasyPrint reads resources only through :class:`SafeFetcher`, which allows ``data:``
URIs and regular files inside the theme and asset folders (checked after resolving
symlinks and ``..``), and nothing else: no other file, no network. Anything else stops
the render with an error naming the reference. WeasyPrint is imported only here, and
only when a PDF is asked for, since importing it takes most of a small build's time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from presskit.errors import BuildError, ResourceError
from presskit.resources import TEMPLATES_DIR, Roots
from presskit.theme import Theme, builtin_theme

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


def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """A URL fetcher that only reads allowed local files and ``data:`` URIs."""

        def __init__(self, roots: Roots) -> None:
            super().__init__(
                allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True
            )
            self.roots = roots

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = self._local_path(url)
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

        def _local_path(self, url: str) -> Path | None:
            from urllib.request import url2pathname

            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return None
            path = Path(url2pathname(unquote(parts.path)))
            if not (path.is_absolute() and self.roots.contain(path)):
                return None
            real = path.resolve()
            return real if real.is_file() else None

    return SafeFetcher


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".otf": "font/otf",
        ".ttf": "font/ttf",
        ".woff2": "font/woff2",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".svg": "image/svg+xml",
    }.get(path.suffix.lower(), "application/octet-stream")


def theme_roots(theme: Theme | None = None) -> Roots:
    """The folders the PDF renderer may read: the theme(s) and the assets."""
    return Roots(tuple(folder.resolve() for folder in (theme or builtin_theme()).roots))


PROFILES = ("pdfa-ua", "plain")
"""``pdfa-ua``: one file that is PDF/A-2b and PDF/UA-1 (tagged, archival); ``plain``:
an untagged PDF, for the rare reader that cannot take the other."""


class PdfRenderer:
    """Renders HTML pages to PDF, keeping fonts and stylesheets loaded between calls."""

    def __init__(self, roots: Roots | None = None, profile: str = "pdfa-ua") -> None:
        if profile not in PROFILES:
            raise BuildError(f"unknown PDF profile {profile!r}; choose from {', '.join(PROFILES)}")
        self.profile = profile
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = _fetcher_class()(roots or theme_roots())
        self.font_config = FontConfiguration()
        self._fonts_css: CSS | None = None
        self._image_cache: dict[str, Any] = {}  # decoded images, reused across renders

    def _stylesheets(self) -> list[CSS]:
        from weasyprint import CSS

        if self._fonts_css is None:
            self._fonts_css = CSS(
                filename=str(FONTS_CSS), url_fetcher=self.fetcher, font_config=self.font_config
            )
        return [self._fonts_css]

    def render(self, html: str) -> bytes:
        """Lay out ``html`` and return the PDF bytes; raise on any resource error."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        logger = logging.getLogger("weasyprint")
        errors = _CapturedErrors()
        logger.addHandler(errors)
        try:
            document = HTML(
                string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=self.fetcher
            )
            pdf = document.write_pdf(
                stylesheets=self._stylesheets(),
                font_config=self.font_config,
                cache=self._image_cache,
                **self._profile_options(),
            )
        except FatalURLFetchingError as error:
            cause = error.__cause__ or error
            raise ResourceError(str(cause)) from None
        except (RecursionError, ZeroDivisionError, OverflowError) as error:
            raise BuildError(f"the PDF layout failed ({type(error).__name__}: {error})") from None
        finally:
            logger.removeHandler(errors)
        if errors.messages:
            raise BuildError("the PDF renderer reported: " + "; ".join(errors.messages))
        if pdf is None:
            raise BuildError("the PDF renderer returned nothing")
        if self.profile == "pdfa-ua":
            from presskit.render.conformance import finish

            return finish(bytes(pdf))
        return bytes(pdf)

    def _profile_options(self) -> dict[str, Any]:
        if self.profile == "pdfa-ua":
            # Streams are left uncompressed here: pikepdf compresses them (and packs
            # objects into object streams) when it finishes the file, in less time.
            return {"pdf_variant": "pdf/a-2b", "pdf_tags": True, "uncompressed_pdf": True}
        return {}


class PdfWorker:
    """Renders PDFs in a forked process, one page at a time.

    Started before the content is even loaded, the child imports WeasyPrint and
    loads the fonts (most of a build's time) on the second core while the parent
    validates the content and writes the HTML and Word files. The child also keeps a
    runaway layout from taking the command down with it: it can be timed out.
    """

    def __init__(
        self, timeout: float = 120.0, profile: str = "pdfa-ua", theme: Theme | None = None
    ) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._timeout = timeout
        self._connection, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_end, self._connection, profile, theme), daemon=True
        )
        self._process.start()
        child_end.close()
        self._pending = 0

    def submit(self, html: str) -> None:
        """Send ``html`` to the child, which starts laying it out at once."""
        try:
            self._connection.send(html)
        except (BrokenPipeError, ConnectionResetError):
            raise BuildError("the PDF renderer stopped unexpectedly") from None
        self._pending += 1

    def result(self) -> bytes:
        """Wait for the PDF of the oldest page submitted, or raise the child's error."""
        try:
            if not self._connection.poll(self._timeout):
                raise BuildError(f"the PDF took longer than {self._timeout:.0f} s to lay out")
            status, payload = self._connection.recv()
        except (EOFError, ConnectionResetError):
            raise BuildError("the PDF renderer stopped unexpectedly") from None
        self._pending -= 1
        if status == "ok":
            return bytes(payload)
        raise (ResourceError if status == "resource" else BuildError)(payload)

    def close(self) -> None:
        """Stop the child: at once if some of its work is no longer wanted."""
        self._connection.close()  # the child sees the end of input and exits
        if self._pending == 0:
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


MEMORY_LIMIT_MB = int(os.environ.get("PRESSKIT_RENDER_MEMORY_MB", "3072"))


def _limit_memory() -> None:
    """Cap the worker's address space: a runaway layout fails instead of swapping."""
    import resource

    limit = MEMORY_LIMIT_MB * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(connection: Any, parent_end: Any, profile: str, theme: Theme | None) -> None:
    """Child side of :class:`PdfWorker`: warm up, then render pages until told to stop."""
    parent_end.close()  # else our copy keeps the pipe open and we never see its end
    _limit_memory()
    renderer = PdfRenderer(theme_roots(theme), profile=profile)
    renderer._stylesheets()  # load the fonts while the parent loads the content
    while True:
        try:
            html = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", renderer.render(html)))
        except ResourceError as error:
            connection.send(("resource", str(error)))
        except BuildError as error:
            connection.send(("build", str(error)))
        except MemoryError:
            connection.send(("build", f"the PDF needed more than {MEMORY_LIMIT_MB} MB to lay out"))
        except Exception as error:  # report, so the parent can say what failed
            connection.send(("build", f"the PDF renderer failed: {type(error).__name__}: {error}"))
