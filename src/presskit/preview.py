"""``presskit preview``: the release in a browser, rebuilt whenever its files change.

A small HTTP server on localhost serves the HTML version of the latest successful
build, with links to its PDF and Word files, and a script that polls for changes and
reloads the page. The content file's folder, the theme and the assets are watched
(watchfiles); each change triggers a rebuild. A build error is shown on the page as
well as in the terminal. The PDF is rendered in-process by one warm renderer, so a
rebuild takes a fraction of a second and no process is forked from this threaded one.
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from presskit.errors import PresskitError
from presskit.resources import ASSETS_DIR, TEMPLATES_DIR

POLL_MS = 300
_MIME = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
}
_WATCHED_SUFFIXES = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".otf", ".ttf"}
_RELOADER = """
<div id="presskit-preview" style="position:fixed;bottom:0;left:0;right:0;z-index:9999;
 font:13px/1.4 system-ui,sans-serif;background:#14213d;color:#fff;padding:6px 12px">
 presskit preview · {links}
</div>
<script>
(function () {{
  var seen = {version};
  function poll() {{
    fetch('/__presskit/state').then(function (r) {{ return r.json(); }}).then(function (s) {{
      if (s.version !== seen) {{ location.reload(); }}
    }}).catch(function () {{}}).finally(function () {{ setTimeout(poll, {poll}); }});
  }}
  setTimeout(poll, {poll});
}})();
</script>
"""
_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>presskit: build failed</title></head>
<body style="font:15px/1.5 system-ui,sans-serif;margin:2em;color:#14213d">
<h1 style="color:#d3000f">The build failed</h1>
<pre id="presskit-error" style="white-space:pre-wrap;background:#f4f6f9;padding:1em">{error}</pre>
<p>Fix the content file and save it: this page updates by itself.</p>
</body></html>
"""


@dataclass
class State:
    """What the server shows: the latest build, or the error that replaced it."""

    version: int = 0
    error: str | None = None
    html: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Preview:
    """Builds, serves and rebuilds one content file."""

    def __init__(self, content: Path, out_root: Path, port: int = 0) -> None:
        from presskit.render.pdf import PdfPool

        self.content = content
        self.out_root = out_root
        self.state = State()
        # Warm workers, started fresh by a fork server: this process runs threads.
        self.pool = PdfPool(size=2, method="forkserver")
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def rebuild(self) -> None:
        """Build the kit; on failure keep the last good pages and show the error."""
        from presskit.build import build

        try:
            result = build(self.content, self.out_root, pool=self.pool)
        except PresskitError as error:
            message = str(error)
        except Exception as error:  # a bug, but the preview must keep running
            message = f"internal error: {type(error).__name__}: {error}"
        else:
            pages = {
                o.language: o.path.read_text(encoding="utf-8")
                for o in result.outputs
                if o.format == "html"
            }
            files = {f"{o.language}/{o.path.name}": o.path for o in result.outputs if o.language}
            with self.state.lock:
                self.state.html = pages
                self.state.files = files
                self.state.languages = [r.language for r in result.releases]
                self.state.error = None
                self.state.version += 1
            print(f"rebuilt in {result.seconds:.2f} s", flush=True)
            return
        with self.state.lock:
            self.state.error = message
            self.state.version += 1
        print(message, flush=True)

    def watch(self) -> None:
        """Rebuild on every change to the content's folder, the theme or the assets."""
        from watchfiles import watch

        folders = [self.content.resolve().parent, TEMPLATES_DIR, ASSETS_DIR]
        for changes in watch(*folders, stop_event=self.stop, debounce=150, step=50):
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
        self.rebuild()
        watcher = threading.Thread(target=self.watch, name="presskit-watch", daemon=True)
        watcher.start()
        print(f"preview on {self.url} (Ctrl-C to stop)", flush=True)
        try:
            self.server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop.set()
            self.server.server_close()
            watcher.join(timeout=2)
            print("preview stopped", flush=True)

    # -- HTTP ------------------------------------------------------------------------

    def page(self, language: str | None) -> str:
        with self.state.lock:
            if self.state.error is not None or not self.state.html:
                page = _ERROR_PAGE.format(error=html.escape(self.state.error or "building…"))
                reloader = _RELOADER.format(links="", version=self.state.version, poll=POLL_MS)
                return page.replace("</body>", reloader + "</body>", 1)
            language = language if language in self.state.html else self.state.languages[0]
            links = " · ".join(
                f'<a style="color:#fff" href="/files/{html.escape(name)}">{html.escape(name)}</a>'
                for name in sorted(self.state.files)
                if name.startswith(f"{language}/") and not name.endswith(".html")
            )
            others = " · ".join(
                f'<a style="color:#fff" href="/?lang={code}">{code}</a>'
                for code in self.state.languages
                if code != language
            )
            reloader = _RELOADER.format(
                links=" · ".join(filter(None, [links, others])),
                version=self.state.version,
                poll=POLL_MS,
            )
            page = self.state.html[language]
        return page.replace("</body>", reloader + "</body>", 1)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        preview = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/__presskit/state":
                    with preview.state.lock:
                        body = json.dumps(
                            {"version": preview.state.version, "error": preview.state.error}
                        )
                    self._send(body.encode(), "application/json")
                elif parts.path == "/":
                    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
                    self._send(preview.page(query.get("lang")).encode(), "text/html; charset=utf-8")
                elif parts.path.startswith("/files/"):
                    with preview.state.lock:
                        path = preview.state.files.get(unquote(parts.path.removeprefix("/files/")))
                    if path is None or not path.is_file():
                        self.send_error(HTTPStatus.NOT_FOUND)
                        return
                    kind = (
                        "application/pdf" if path.suffix == ".pdf" else "application/octet-stream"
                    )
                    self._send(path.read_bytes(), kind)
                else:
                    self.send_error(HTTPStatus.NOT_FOUND)

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the terminal shows builds, not every poll

        return Handler
