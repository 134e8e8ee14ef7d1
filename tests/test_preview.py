"""``presskit preview`` in a real browser: Debian's Chromium, driven headless."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import MINIMAL, interruptible, write_content
from .smtp_server import free_port

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium and chromium-driver are not installed (make test installs them)",
)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'chromium'}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def preview(content_dir: Path, tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    content = write_content(content_dir, MINIMAL)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "preview", str(content), "-o", str(tmp_path / "out"),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=interruptible,
    )  # fmt: skip
    assert process.stdout is not None
    url = None
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if match := re.search(r"preview on (http://127\.0\.0\.1:\d+/)", line):
            url = match.group(1)
    assert url == f"http://127.0.0.1:{port}/", "the preview did not start"
    try:
        yield url, content, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def wait_for(condition: object, seconds: float) -> float:
    """Seconds until ``condition()`` held; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if condition():  # type: ignore[operator]
                return time.monotonic() - started
        except Exception:  # the page may be reloading
            pass
        time.sleep(0.05)
    raise AssertionError(f"not seen within {seconds} s")


def test_edit_reload_error_and_stop(
    browser: object, preview: tuple[str, Path, subprocess.Popen[str]]
) -> None:
    from selenium.webdriver.common.by import By

    url, content, process = preview
    driver = browser
    driver.get(url)  # type: ignore[attr-defined]
    headline = lambda: driver.find_element(By.CSS_SELECTOR, "h1").text  # type: ignore[attr-defined]  # noqa: E731
    assert headline() == "A headline"
    links = [
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "#presskit-preview a")
    ]  # type: ignore[attr-defined]
    assert any(href.endswith(".pdf") for href in links) and any(
        href.endswith(".docx") for href in links
    )

    content.write_text(MINIMAL.replace("A headline", "A fresher headline"), encoding="utf-8")
    waited = wait_for(lambda: headline() == "A fresher headline", 2.0)
    assert waited < 2.0

    content.write_text(
        MINIMAL.replace("  date: 2019-04-03", "  date: 2019-02-30"), encoding="utf-8"
    )
    error = lambda: driver.find_element(By.ID, "presskit-error").text  # type: ignore[attr-defined]  # noqa: E731
    wait_for(lambda: "dateline.date: not a valid date" in error(), 2.0)
    assert f"{content}:6:" in error()

    content.write_text(MINIMAL, encoding="utf-8")
    wait_for(lambda: headline() == "A headline", 2.0)

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert process.stdout is not None and "preview stopped" in process.stdout.read()


def test_the_pdf_follows_the_page(
    browser: object, preview: tuple[str, Path, subprocess.Popen[str]]
) -> None:
    import io
    import urllib.request

    from pypdf import PdfReader
    from selenium.webdriver.common.by import By

    url, content, _ = preview
    driver = browser
    driver.get(url)  # type: ignore[attr-defined]
    state = lambda: driver.execute_script("return window.presskit")  # type: ignore[attr-defined]  # noqa: E731
    first = state()["version"]
    content.write_text(MINIMAL.replace("A headline", "Pushed, not polled"), encoding="utf-8")
    wait_for(lambda: state()["version"] > first, 5.0)
    assert driver.find_element(By.CSS_SELECTOR, "h1").text == "Pushed, not polled"  # type: ignore[attr-defined]
    wait_for(lambda: state()["pdfVersion"] >= state()["version"], 10.0)
    [pdf_link] = [
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "#presskit-preview a")  # type: ignore[attr-defined]
        if ".pdf" in a.get_attribute("href")
    ]
    with urllib.request.urlopen(pdf_link) as response:
        text = PdfReader(io.BytesIO(response.read())).pages[0].extract_text()
    assert "Pushed, not polled" in text


def test_only_local_host_names_are_served(
    preview: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    import http.client
    from urllib.parse import urlsplit

    url, _, _ = preview
    port = urlsplit(url).port
    for host, status in (
        ("evil.example", 421), (f"evil.example:{port}", 421), ("127.0.0.1", 421),
        (f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200),
    ):  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("GET", "/", skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == status, host
        assert (b"A headline" in body) == (status == 200)


def test_pages_that_go_away_leave_no_traceback(
    preview: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    import socket
    from urllib.parse import urlsplit

    url, content, process = preview
    port = urlsplit(url).port
    assert port is not None
    for path in ("/__presskit/events?lang=en", "/"):
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                sock.recv(10)  # the answer has started: hang up in the middle
    content.write_text(MINIMAL.replace("A headline", "Nobody listens"), encoding="utf-8")
    time.sleep(3)  # a rebuild, whose events meet the closed streams
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert process.stdout is not None
    output = process.stdout.read()
    assert "Traceback" not in output and "Exception" not in output
    assert "preview stopped" in output


def test_only_what_changed_is_rebuilt(content_dir: Path, tmp_path: Path) -> None:
    from presskit.preview.server import Preview

    bilingual = MINIMAL.replace("issuer:", "languages: [fr, en]\nissuer:").replace(
        "lead: The lead paragraph.", "lead: {fr: Le chapeau., en: The lead paragraph.}"
    )
    content = write_content(content_dir, bilingual)
    preview = Preview(content, tmp_path / "out")
    laid_out: list[tuple[str, str, object]] = []
    submit = preview.pool.submit
    preview.pool.submit = lambda kind, page: laid_out.append(page) or submit(kind, page)  # type: ignore[method-assign]
    try:
        preview.rebuild()
        assert preview.state.error is None and len(laid_out) == 2
        english_docx = preview.state.files["en/a-headline.docx"]
        content.write_text(bilingual.replace("Le chapeau.", "Un autre chapeau."), "utf-8")
        preview.rebuild()
        assert preview.state.error is None
        page, stylesheet, _ = laid_out[-1]  # the page, the stylesheet apart, its pictures
        assert len(laid_out) == 3 and 'lang="fr' in page  # the French page only
        assert "<style>" in page and stylesheet not in page and "@page" in stylesheet
        assert preview.state.files["en/a-headline.docx"] == english_docx
        assert b"Un autre chapeau" in preview.state.files["fr/a-headline.html"]
    finally:
        preview.close()


def _get(url: str, host: str | None = None) -> tuple[int, dict[str, str]]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", parts.path or "/", headers={"Host": host or parts.netloc})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def test_no_page_may_frame_the_preview(preview: tuple[str, Path, subprocess.Popen[str]]) -> None:
    """Every answer forbids framing (clickjacking an embargoed release): the page, a
    file, a missing file and a refused host alike."""
    url, _, _ = preview
    for address, host in ((url, None), (url + "files/nope.pdf", None), (url, "evil.example")):
        status, headers = _get(address, host)
        assert status in (200, 404, 421)
        assert headers["content-security-policy"] == "frame-ancestors 'none'"
        assert headers["x-frame-options"] == "DENY"


@pytest.fixture
def idle_preview(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    content = write_content(content_dir, MINIMAL)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "preview", str(content), "-o", str(tmp_path / "out"),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**__import__("os").environ, "PRESSKIT_PREVIEW_IDLE_SECONDS": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    while "preview on" not in process.stdout.readline():
        assert process.poll() is None, "the preview did not start"
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Threads:")).split()[1])


def test_idle_connections_are_dropped_and_bounded(
    idle_preview: tuple[str, subprocess.Popen[str]],
) -> None:
    """Connections that send nothing are closed by the server after its idle time,
    and however many are opened, the threads they hold stay bounded; the page is
    served all the same afterwards."""
    import socket

    url, process = idle_preview
    port = int(url.rsplit(":", 1)[1].strip("/"))
    before = _threads(process.pid)
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(40)]
    try:
        time.sleep(0.5)
        assert _threads(process.pid) <= before + 32 + 2
        for sock in sockets:
            assert sock.recv(1) == b""  # closed by the server (full, or idle)
    finally:
        for sock in sockets:
            sock.close()
    status, _ = _get(url)
    assert status == 200
