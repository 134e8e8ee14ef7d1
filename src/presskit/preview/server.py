"""``presskit preview``: the release in a browser, updated as soon as a file is saved.

A small HTTP server on localhost serves the HTML version of the latest successful
build, with links to its PDF and Word files. The content file's folder, the theme and
the assets are watched (watchfiles). On a change, the content is loaded and each
language's HTML rendered, and the page is told at once (Server-Sent Events, no
polling): it swaps in the new page without reloading. The PDF of the language being
viewed is laid out next by a warm worker and the page told again; then the other
languages, the Word files and the ZIP, and everything is written to the output folder
as a build would. Only what changed is redone: a PDF whose HTML is unchanged, or a
Word file whose view is unchanged, is reused.

The server answers only requests addressed to ``127.0.0.1:PORT`` or ``localhost:PORT``
(421 otherwise), so that a web page cannot read an embargoed release through DNS
rebinding. The PDF workers are started by a fork server: this process runs threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from presskit.assets.resources import ASSETS_DIR, TEMPLATES_DIR
from presskit.util.errors import PresskitError

if TYPE_CHECKING:
    from presskit.content.model import PressRelease
    from presskit.render.pdf import Job, PdfPool
    from presskit.render.view import ReleaseView

KEEPALIVE_SECONDS = 15.0
_MIME = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
    ".html": "text/html; charset=utf-8",
}
_WATCHED_SUFFIXES = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".otf", ".ttf"}


@dataclass
class State:
    """What the server shows: the latest pages and files, or the error that replaced
    them. ``changed`` wakes the event streams."""

    version: int = 0
    error: str | None = None
    html: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    slug: str = ""
    pdf_versions: dict[str, int] = field(default_factory=dict)
    viewed: str | None = None
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)


@dataclass
class _Reuse:
    """What the last rebuild made, to skip what has not changed."""

    pdf: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (language, HTML hash)
    docx: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (language, view hash)
    laying_out: dict[str, tuple[str, str]] = field(default_factory=dict)  # language: PDF key


class _Ready:
    """A PDF that needs no layout: the one made from the same HTML last time."""

    def __init__(self, value: bytes) -> None:
        self.value = value

    def result(self) -> bytes:
        return self.value


class Preview:
    """Builds, serves and rebuilds one content file."""

    def __init__(self, content: Path, out_root: Path, port: int = 0) -> None:
        from presskit.render.pdf import PdfPool

        self.content = content
        self.out_root = out_root
        self.state = State()
        self.reuse = _Reuse()
        self.pool: PdfPool = PdfPool(size=2, method="forkserver")
        self.server = _Server(("127.0.0.1", port), self._handler())
        self.stop = threading.Event()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # -- rebuilding --------------------------------------------------------------------

    def rebuild(self) -> None:
        """Rebuild the kit; on failure keep the last good files and show the error."""
        started = time.perf_counter()
        try:
            self._rebuild(started)
        except PresskitError as error:
            self._publish_error(str(error))
        except Exception as error:  # a bug, but the preview must keep running
            self._publish_error(f"internal error: {type(error).__name__}: {error}")

    def _rebuild(self, started: float) -> None:
        from presskit.content.loader import load_all
        from presskit.render.html import render_html
        from presskit.render.view import build_view

        releases = load_all(self.content)
        views = [build_view(release) for release in releases]
        pages = {view.language: render_html(view) for view in views}
        self._publish_pages(pages, [r.language for r in releases], releases[0].file_stem)
        jobs = self._lay_out_pdfs(releases[0], views, pages)
        self._write_kit(releases, views, pages, jobs, started)
        print(f"rebuilt in {time.perf_counter() - started:.2f} s", flush=True)

    def _lay_out_pdfs(
        self, release: PressRelease, views: list[ReleaseView], pages: dict[str, str]
    ) -> dict[str, Job | _Ready]:
        """Each language's PDF, published as soon as it is laid out. The viewed
        language's alone first, with a core to itself (the browser has the other,
        showing the new page); then the other languages together."""
        viewed, *others = self._viewed_first([view.language for view in views])
        by_language = {view.language: view for view in views}
        jobs = {viewed: self._pdf(by_language[viewed], pages[viewed])}
        self._publish_pdf(release, viewed, bytes(jobs[viewed].result()))
        jobs |= {code: self._pdf(by_language[code], pages[code]) for code in others}
        for language in others:
            self._publish_pdf(release, language, bytes(jobs[language].result()))
        return jobs

    def _write_kit(
        self,
        releases: list[PressRelease],
        views: list[ReleaseView],
        pages: dict[str, str],
        jobs: dict[str, Job | _Ready],
        started: float,
    ) -> None:
        """Every file of the kit written to the output folder, as a build would."""
        from presskit.kit.build import Kit, Page, finish, output_dir, start_kit_page

        slug = releases[0].file_stem
        kit_pages = [
            (
                output_dir(self.out_root, slug, view.language),
                Page(view, {"pdf", "docx", "html"}, pages[view.language],
                     jobs[view.language], docx=self._docx(view)),  # type: ignore[arg-type]
            )
            for view in views
        ]  # fmt: skip
        # The press kit documents last: the release's PDFs are already shown.
        kit_documents = [
            start_kit_page(release, view, ["pdf", "docx", "html"], self.pool, None)
            for release, view in zip(releases, views, strict=True)
        ]
        kit = Kit(self.content, releases, True, kit_pages, started, None, kit_documents, slug)
        result = finish(kit, self.out_root, ["pdf", "docx", "html"])
        self._publish_files(result.outputs)

    def _pdf(self, view: ReleaseView, page: str) -> Job | _Ready:
        from presskit.render.html import page_stylesheet, render_html

        language = view.language
        key = (language, hashlib.sha256(page.encode("utf-8")).hexdigest())
        if key in self.reuse.pdf:
            return _Ready(self.reuse.pdf[key])
        # As a build does: the page without its stylesheet, which the worker keeps parsed.
        pictures: dict[str, tuple[bytes, str]] = {}
        page_only = render_html(view, inline_css=False, pictures=pictures)
        job = self.pool.submit("pdf", (page_only, page_stylesheet(), pictures))
        self.reuse.pdf = {k: v for k, v in self.reuse.pdf.items() if k[0] != language}
        self.reuse.laying_out[language] = key
        return job

    def _docx(self, view: ReleaseView) -> bytes:
        from presskit.render.docx import render_docx

        key = (view.language, hashlib.sha256(pickle.dumps(view)).hexdigest())
        if key not in self.reuse.docx:
            self.reuse.docx = {k: v for k, v in self.reuse.docx.items() if k[0] != view.language}
            self.reuse.docx[key] = render_docx(view)
        return self.reuse.docx[key]

    def _viewed_first(self, languages: list[str]) -> list[str]:
        viewed = self.state.viewed
        return sorted(languages, key=lambda code: code != viewed)

    # -- publishing --------------------------------------------------------------------

    @contextlib.contextmanager
    def _changing(self) -> Iterator[State]:
        """The state, locked while it changes; then the event streams are woken."""
        with self.state.changed:
            yield self.state
            self.state.changed.notify_all()

    def _publish_pages(self, pages: dict[str, str], languages: list[str], slug: str) -> None:
        with self._changing() as state:
            state.html, state.languages, state.slug = pages, languages, slug
            state.error = None
            state.version += 1

    def _publish_pdf(self, release: PressRelease, language: str, pdf: bytes) -> None:
        if language in self.reuse.laying_out:
            self.reuse.pdf[self.reuse.laying_out.pop(language)] = pdf
        with self._changing() as state:
            state.files[f"{language}/{release.file_stem}.pdf"] = pdf
            state.pdf_versions[language] = state.version

    def _publish_files(self, outputs: list[Any]) -> None:
        files = {f"{o.language}/{o.path.name}": o.path.read_bytes() for o in outputs if o.language}
        with self._changing() as state:
            state.files = files

    def _publish_error(self, message: str) -> None:
        with self._changing() as state:
            state.error = message
            state.version += 1
        print(message, flush=True)

    # -- watching and serving ----------------------------------------------------------

    def watch(self) -> None:
        """Rebuild on every change to the content's folder, the theme or the assets."""
        from watchfiles import watch

        folders = [self.content.resolve().parent, TEMPLATES_DIR, ASSETS_DIR]
        for changes in watch(*folders, stop_event=self.stop, debounce=400, step=15):
            if any(self._matters(Path(path)) for _, path in changes):
                self.rebuild()

    def _matters(self, path: Path) -> bool:
        """Content, images and theme files; not our own outputs, logs or editor swap files."""
        path = path.resolve()
        if path.is_relative_to(self.out_root.resolve()) or path.name.startswith("."):
            return False
        if path == self.content.resolve() or path.is_relative_to(TEMPLATES_DIR.resolve()):
            return True
        return path.suffix.lower() in _WATCHED_SUFFIXES

    def serve(self) -> None:
        """Build once, then serve and watch until Ctrl-C."""
        from presskit.render import engine

        self.rebuild()
        engine.startup_done()  # everything imported: collections at the running pace
        watcher = threading.Thread(target=self.watch, name="presskit-watch", daemon=True)
        watcher.start()
        print(f"preview on {self.url} (Ctrl-C to stop)", flush=True)
        try:
            self.server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self.close(watcher)
            print("preview stopped", flush=True)

    def close(self, watcher: threading.Thread | None = None) -> None:
        self.stop.set()
        with self._changing() as state:
            state.closed = True
        self.server.server_close()
        if watcher is not None:
            watcher.join(timeout=2)
        self.pool.close()

    # -- HTTP --------------------------------------------------------------------------

    def page(self, language: str | None) -> str:
        with self.state.changed:
            text, language, links = self._page_in(language)
            version, pdf = self.state.version, self.state.pdf_versions.get(language, 0)
        bar = _chrome("bar.html.j2", links=links, lang=language, version=version, pdf=pdf)
        return text.replace("</body>", bar + "</body>", 1)

    def _page_in(self, language: str | None) -> tuple[str, str, list[tuple[str, str]]]:
        """The page to show, its language and its links (none on the error page)."""
        if self.state.error is not None or not self.state.html:
            return self._error_page(), language or "", []
        shown = language if language in self.state.html else self.state.languages[0]
        return self.state.html[shown], shown, self._links(shown)

    def _error_page(self) -> str:
        """The last build's error, or "building…" until the first build is done."""
        return _chrome("error.html.j2", error=self.state.error or "building…")

    def _links(self, language: str) -> list[tuple[str, str]]:
        """The files being made (which may not all be ready yet), then the other
        languages: ``(href, text)``."""
        names = [f"{language}/{self.state.slug}.{fmt}" for fmt in ("docx", "pdf")]
        files = [(f"/files/{quote(name)}", name) for name in names]
        others = [(f"/?lang={quote(code)}", code) for code in self.state.languages]
        return files + [link for link in others if link[1] != language]

    def events(self, language: str | None, write: Any) -> None:
        """Stream ``html`` and ``pdf`` events to one page until it goes away."""
        seen_version, seen_pdf = -1, -1
        with self.state.changed:
            if language:
                self.state.viewed = language
        write(b"retry: 300\n\n")
        while (now := self._next_versions(language, (seen_version, seen_pdf))) is not None:
            version, pdf = now
            message = b": still here\n\n"  # a comment: finds out if the page has gone
            if version != seen_version:
                message = _event("html", {"version": version})
                seen_version = version
            elif pdf != seen_pdf:
                message = _event("pdf", {"version": pdf, "language": language})
                seen_pdf = pdf
            write(message)

    def _next_versions(self, language: str | None, seen: tuple[int, int]) -> tuple[int, int] | None:
        """The page's and the language's PDF's versions once either changes (or after
        :data:`KEEPALIVE_SECONDS`); None when the preview closes."""
        with self.state.changed:
            self.state.changed.wait_for(
                lambda: self.state.closed or self._versions(language) != seen,
                timeout=KEEPALIVE_SECONDS,
            )
            return None if self.state.closed else self._versions(language)

    def _versions(self, language: str | None) -> tuple[int, int]:
        return self.state.version, self.state.pdf_versions.get(language or "", -1)

    def file(self, name: str) -> bytes | None:
        """The file ``name`` (``LANG/FILE``) of the latest build, if there is one."""
        with self.state.changed:
            return self.state.files.get(name)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class, bound to this preview. A connection that sends
        nothing, or reads nothing, is dropped after ``IDLE_SECONDS``: an idle or slow
        client cannot hold a thread for ever."""
        return type("Handler", (_Handler,), {"preview": self, "timeout": IDLE_SECONDS})


class _Handler(BaseHTTPRequestHandler):
    """Answers the page, its event stream and the built files; nothing else."""

    preview: Preview

    def end_headers(self) -> None:
        # No other page may frame the preview (an embargoed release under a
        # transparent layer of some other site: clickjacking), or sniff types.
        for name, value in _SECURITY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        if not self._addressed_to_us():
            # Another name for this address: a page of another site (DNS rebinding).
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST)
            return
        parts = urlsplit(self.path)
        language = parse_qs(parts.query).get("lang", [None])[0]
        if parts.path == "/__presskit/events":
            self._stream(language)
        elif parts.path == "/":
            self._send(self.preview.page(language).encode(), _MIME[".html"])
        elif parts.path.startswith("/files/"):
            self._send_file(unquote(parts.path.removeprefix("/files/")))
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _addressed_to_us(self) -> bool:
        port = self.preview.port
        allowed = {f"127.0.0.1:{port}", f"localhost:{port}"}
        return self.headers.get("Host", "").lower() in allowed

    def _send_file(self, name: str) -> None:
        body = self.preview.file(name)
        if body is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._send(body, _MIME.get(Path(name).suffix, "application/octet-stream"))

    def _stream(self, language: str | None) -> None:
        self._start("text/event-stream")
        self.preview.events(language, self._write_now)

    def _write_now(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _send(self, body: bytes, kind: str) -> None:
        self._start(kind, ("Content-Length", str(len(body))))
        self.wfile.write(body)

    def _start(self, kind: str, *headers: tuple[str, str]) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        for name, value in (*headers, ("Cache-Control", "no-store")):
            self.send_header(name, value)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows builds, not every request


@cache
def _chrome_environment() -> Environment:
    """The preview's own pages and bar (``templates/preview``): escaped, strict."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "preview"),
        autoescape=True,
        undefined=StrictUndefined,
    )


def _chrome(template: str, **values: Any) -> str:
    return _chrome_environment().get_template(template).render(**values)


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


_SECURITY_HEADERS = (
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)
IDLE_SECONDS = float(os.environ.get("PRESSKIT_PREVIEW_IDLE_SECONDS", "30"))
MAX_CONNECTIONS = 32
"""Connections served at once (a few tabs need a handful); more are closed at once."""


class _Server(ThreadingHTTPServer):
    """The HTTP server: a thread per connection, at most :data:`MAX_CONNECTIONS` at
    once, quiet when a browser closes a tab or a connection."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: this one is closed
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the page went away: nothing to report
        super().handle_error(request, client_address)
