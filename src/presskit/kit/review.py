"""``presskit check``: what an editor would flag before a release goes out.

Validation errors stop everything (the loader reports them); the rules here are
warnings, each with its key path and line: a headline too long to scan, no media
contact, an embargo already past, a lead too long, a release over two pages, images
too coarse to print, links without https, or a language the theme has no wording
for. ``--strict`` turns warnings into errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from presskit.assets.resources import ImageInfo, image_info
from presskit.content.loader import load_with_lines
from presskit.content.model import Ecosystem, Person, PressRelease
from presskit.theme.folder import Theme, builtin_theme
from presskit.util import yamlstrict

if TYPE_CHECKING:
    from presskit.render.pdf import Job, PdfPool

HEADLINE_MAX = 100
LEAD_MAX_WORDS = 60
MAX_PAGES = 2
PRINT_PPI = 300
CONTENT_WIDTH_MM = 170  # A4 less the margins
IMAGE_MAX_HEIGHT_MM = 80
PHOTO_PRINT_WIDTH_MM = 100  # a photo as a newspaper would run it: a column or two
# The boxes logos are fitted into (press-release.css, word.yaml): width, height in mm.
LOGO_BOX_MM = {"issuer": (40.0, 16.0), "ecosystem": (18.0, 9.0)}


@dataclass(frozen=True)
class Finding:
    """One thing to look at, where it is, and in which language version."""

    level: str
    line: int
    key_path: str
    message: str
    language: str

    def format(self, file: Path) -> str:
        where = f"{self.key_path}: " if self.key_path else ""
        return f"{file}:{self.line}: {self.level}: {where}{self.message}"


def review(
    path: Path,
    *,
    pages: bool = True,
    today: dt.datetime | None = None,
    theme: Path | None = None,
) -> list[Finding]:
    """Every warning for the content file at ``path`` (which must load), its pages laid
    out with ``theme`` (a theme folder; the built-in theme by default)."""
    releases, document = load_with_lines(path)
    now = today or dt.datetime.now(dt.UTC)
    findings: list[Finding] = []
    for release in releases:
        findings += _text_rules(release, document, now)
        findings += _link_rules(release, document)
    findings += _image_rules(releases[0], document)
    findings += _kit_rules(releases, document)
    findings += _wording_rules(releases, document)
    findings += _glyph_rules(document)
    if pages:
        findings += _page_rules(releases, document, Theme.resolve(theme))
    unique = {(f.line, f.key_path, f.message): f for f in findings}  # same in every language
    return sorted(unique.values(), key=lambda f: (f.line, f.key_path, f.message))


def _wording_rules(releases: list[PressRelease], document: yamlstrict.Document) -> list[Finding]:
    """A language without a strings file builds with English wording: say so."""
    available = set(builtin_theme().strings_languages())
    return [
        _warning_at(document, ("languages", i), _no_wording(r.language), r.language)
        for i, r in enumerate(releases)
        if r.language.split("-")[0] not in available and r.language not in available
    ]


def _no_wording(language: str) -> str:
    from presskit.render.view import theme_strings

    return (
        f"the theme has no wording for '{language}': its documents will say "
        f'"{theme_strings("en")["press_release"]}" and the like in English; add '
        f"templates/strings/{language.split('-')[0]}.yaml (or one in a --theme folder)"
    )


def _at(document: yamlstrict.Document, language: str, *path: str | int) -> tuple[int, str]:
    """Line and key path of a field, down to its translation when it has one."""
    translated = (*path, language)
    if translated in document.lines:
        return document.lines[translated], yamlstrict.format_path(translated)
    return document.line_of(tuple(path)), yamlstrict.format_path(tuple(path))


def _warn(document: yamlstrict.Document, language: str, message: str, *path: str | int) -> Finding:
    line, key = _at(document, language, *path)
    return Finding("warning", line, key, message, language)


Key = tuple[str | int, ...]
_Problem = tuple[str, Key]
"""A warning's message and the key path of the field it is about."""


def _text_rules(
    release: PressRelease, document: yamlstrict.Document, now: dt.datetime
) -> list[Finding]:
    problems = (
        _long_headline(release),
        _long_lead(release),
        _unreachable(release),
        _past_embargo(release, now),
    )
    return [
        _warn(document, release.language, message, *key) for message, key in filter(None, problems)
    ]


def _long_headline(release: PressRelease) -> _Problem | None:
    if len(release.headline) <= HEADLINE_MAX:
        return None
    return (
        f"the headline has {len(release.headline)} characters; keep it under "
        f"{HEADLINE_MAX} so it reads at a glance",
        ("headline",),
    )


def _long_lead(release: PressRelease) -> _Problem | None:
    words = len(release.lead.plain_text().split())
    if words <= LEAD_MAX_WORDS:
        return None
    return (
        f"the lead has {words} words; keep it under {LEAD_MAX_WORDS}: who, what, when, where, why",
        ("lead",),
    )


def _unreachable(release: PressRelease) -> _Problem | None:
    """No media contact, or none a journalist can write to or call."""
    if not release.media_contacts:
        return "no media contact: journalists need someone to call", ("media_contacts",)
    if not any(c.email or c.phone for c in release.media_contacts):
        message = "no media contact has an e-mail address or a phone number"
        return message, ("media_contacts",)
    return None


def _past_embargo(release: PressRelease, now: dt.datetime) -> _Problem | None:
    until = release.release.embargo_until
    if until is None or until > now:
        return None
    return f"the embargo ended on {until:%Y-%m-%d %H:%M %Z}", ("release", "embargo_until")


def _link_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    return [
        _warn(document, release.language, f"{url} is not https: use a secure link", *key)
        for url, key in _links(release)
        if url and url.startswith("http://")
    ]


def _links(release: PressRelease) -> list[tuple[str | None, Key]]:
    """Every address the documents link to, with the field that gives it."""

    def text(url: object) -> str | None:
        return str(url) if url else None

    links: list[tuple[str | None, Key]] = [(text(release.issuer.website), ("issuer", "website"))]
    for name in ("lead", "body"):
        prose = getattr(release, name)
        links += [(href, (name,)) for href in (prose.links() if prose else ())]
    for i, eco in enumerate(release.ecosystems):
        links.append((text(eco.website), ("ecosystems", i, "website")))
    for i, about in enumerate(release.about):
        links.append((text(about.website), ("about", i, "website")))
        links += [(href, ("about", i, "text")) for href in about.text.links()]
    if release.event and release.event.place and release.event.place.map_url:
        links.append((str(release.event.place.map_url), ("event", "place", "map_url")))
    return links


def printed_ppi(pixels_wide: int, pixels_high: int, width_mm: float | None) -> float:
    """Pixels per inch at the width the page prints the image (scaled to fit)."""
    if width_mm is None:  # a prose image: natural size at 96 px/in, within the column
        width_mm = min(CONTENT_WIDTH_MM, pixels_wide / 96 * 25.4)
        height_mm = width_mm * pixels_high / pixels_wide
        if height_mm > IMAGE_MAX_HEIGHT_MM:
            width_mm *= IMAGE_MAX_HEIGHT_MM / height_mm
    return pixels_wide / (width_mm / 25.4)


def _fitted_width_mm(path: Path, place: str) -> float:
    """The width a logo or a kit picture prints at: as large as fits in its box,
    proportions kept."""
    box_width, box_height = _BOXES_MM[place]
    return min(box_width, box_height * image_info(path).ratio)


def _image_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    """Images too coarse for the width the release prints them at."""
    return _coarse_warnings(document, release.language, _printed_images(release))


Printed = list[tuple[Path, float | None, Key]]
"""Images, each with the width it prints at (None: a prose image, at its natural size)
and its field."""


def _coarse_warnings(
    document: yamlstrict.Document, language: str, images: Printed, where: str = ""
) -> list[Finding]:
    """A warning for each image too coarse for the width it prints at."""
    found = ((_too_coarse(path, width, where), key) for path, width, key in images)
    return [_warn(document, language, message, *key) for message, key in found if message]


def _too_coarse(path: Path, width_mm: float | None, where: str) -> str | None:
    """Why the image at ``path`` would print blurred ``width_mm`` wide; None when it
    prints sharp (a vector always does)."""
    info = _bitmap(path)
    ppi = None if info is None else printed_ppi(int(info.width), int(info.height), width_mm)
    if ppi is None or ppi >= PRINT_PPI:
        return None
    return (
        f"{path.name} prints at {ppi:.0f} ppi{where}; print needs {PRINT_PPI}: supply a "
        "larger image"
    )


def _printed_images(release: PressRelease) -> Printed:
    """Each image of the release with the width it prints at and its field."""
    images: Printed = []
    if release.issuer.logo:
        path = release.issuer.logo.path
        images.append((path, _fitted_width_mm(path, "issuer"), ("issuer", "logo", "file")))
    for i, eco in enumerate(release.ecosystems):
        if eco.logo:
            path = eco.logo.path
            images.append(
                (path, _fitted_width_mm(path, "ecosystem"), ("ecosystems", i, "logo", "file"))
            )
    for name in ("lead", "body"):
        prose = getattr(release, name)
        images += [
            (Path(span.src or ""), None, (name,)) for span in (prose.images() if prose else ())
        ]
    for i, photo in enumerate(release.photos):
        images.append((photo.path, PHOTO_PRINT_WIDTH_MM, ("photos", i, "file")))
    return images


def _bitmap(path: Path) -> ImageInfo | None:
    """What ``path`` holds, unless a vector, which prints sharp at any size."""
    info = image_info(path)
    return None if info.format == "SVG" else info


# The boxes the kit document's pictures are fitted into (press-kit.css, word.yaml).
KIT_PICTURE_BOX_MM = {"cover": (170.0, 115.0), "portrait": (32.0, 40.0)}
_BOXES_MM = LOGO_BOX_MM | KIT_PICTURE_BOX_MM


def _kit_rules(releases: list[PressRelease], document: yamlstrict.Document) -> list[Finding]:
    """The press kit document: profiles with nothing to say, figures nobody stands
    behind, pictures too coarse for their printed size."""
    with_kit = [release for release in releases if release.kit is not None]
    found = [finding for release in with_kit for finding in _kit_text_rules(release, document)]
    return found + _kit_picture_rules(releases[0], document)


def _kit_text_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    assert release.kit is not None
    lang = release.language
    found = []
    for i, eco in enumerate(release.ecosystems):
        if eco.profile is None and eco.description is None:
            found.append(_warn(document, lang, _no_profile_text(eco, i), "ecosystems", i))
        for j, figure in enumerate(eco.figures):
            if figure.source is None:
                where = ("ecosystems", i, "figures", j)
                found.append(_unsourced(document, lang, figure.value, *where))
    for j, figure in enumerate(release.kit.key_figures):
        if figure.source is None:
            found.append(_unsourced(document, lang, figure.value, "kit", "key_figures", j))
    return found


def _no_profile_text(eco: Ecosystem, index: int) -> str:
    return (
        f"{eco.display_label} has no profile text: its page of the press kit shows "
        "only its name; add ecosystems[i].profile"
    ).replace("[i]", f"[{index}]")


def _unsourced(
    document: yamlstrict.Document, language: str, value: str, *path: str | int
) -> Finding:
    message = f"the figure {value} has no source: say who published it (source)"
    return _warn(document, language, message, *path)


def _kit_picture_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    """Cover picture and portraits at the size the kit prints them (none without a kit)."""
    pictures: Printed = [
        (path, _fitted_width_mm(path, place), key) for path, place, key in _kit_pictures(release)
    ]
    return _coarse_warnings(document, release.language, pictures, " in the press kit")


def _kit_pictures(release: PressRelease) -> list[tuple[Path, str, Key]]:
    """The kit's cover and every portrait, with the box each is fitted into."""
    if release.kit is None:
        return []
    pictures: list[tuple[Path, str, Key]] = []
    if release.kit.cover is not None:
        pictures.append((release.kit.cover.path, "cover", ("kit", "cover", "file")))
    people: list[tuple[Key, Person]] = [
        (("kit", "people", i), p) for i, p in enumerate(release.kit.people)
    ]
    people += [
        (("ecosystems", i, "people", j), p)
        for i, eco in enumerate(release.ecosystems)
        for j, p in enumerate(eco.people)
    ]
    for path, person in people:
        if person.portrait is not None:
            pictures.append((person.portrait.path, "portrait", (*path, "portrait", "file")))
    return pictures


def _glyph_rules(document: yamlstrict.Document) -> list[Finding]:
    """Characters the shipped fonts cannot draw: the PDF would show an empty box."""
    found = ((path, _undrawable(value)) for path, value in _strings(document.data, ()))
    message = "no shipped font can draw {}; the PDF would show a box"
    return [
        _warning_at(document, path, message.format(shown), "") for path, shown in found if shown
    ]


def _undrawable(text: str) -> str:
    """The first five characters of ``text`` no shipped font covers, named; empty when
    every one is drawn."""
    covered = shipped_characters()
    missing = {c for c in text if ord(c) > 0x7F and ord(c) not in covered and not c.isspace()}
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(missing)[:5])


def _warning_at(document: yamlstrict.Document, key: Key, message: str, language: str) -> Finding:
    """A warning about the field at ``key`` itself."""
    return Finding("warning", document.line_of(key), yamlstrict.format_path(key), message, language)


def _strings(value: object, path: Key) -> Iterator[tuple[Key, str]]:
    """Every string of the content file, with its key path, in the file's order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


@functools.cache
def shipped_characters() -> frozenset[int]:
    """Every code point the theme's fonts cover."""
    from fontTools.ttLib import TTFont

    from presskit.assets.resources import ASSETS_DIR

    points: set[int] = set()
    for path in (ASSETS_DIR / "fonts").glob("*.otf"):
        with TTFont(path, lazy=True) as font:
            points |= set(font.getBestCmap())
    return frozenset(points)


def _page_rules(
    releases: list[PressRelease], document: yamlstrict.Document, theme: Theme
) -> list[Finding]:
    from presskit.render.html import render_html
    from presskit.render.pdf import PdfPool
    from presskit.render.view import build_view

    # Laid out by workers, under the same time and memory limits as a build.
    with PdfPool(size=min(2, len(releases)), profile="plain", theme=theme) as pool:
        jobs = [(r, pool.submit("pdf", render_html(build_view(r)))) for r in releases]
        kit_jobs = [(r, _submit_kit_layout(pool, r, theme)) for r in releases if r.kit is not None]
        counts = [(release, _page_count(job.result())) for release, job in jobs]
        lone = [(release, job.result()) for release, job in kit_jobs]
    found = _lone_heading_findings(lone, document)
    return found + [
        _too_long(release, count, document) for release, count in counts if count > MAX_PAGES
    ]


def _too_long(release: PressRelease, count: int, document: yamlstrict.Document) -> Finding:
    key = ("body",) if release.body else ("lead",)  # where the length comes from
    message = f"the {release.language} release runs to {count} pages"
    return _warning_at(
        document, key, f"{message}; journalists read {MAX_PAGES} at most", release.language
    )


def _submit_kit_layout(pool: PdfPool, release: PressRelease, theme: Theme) -> Job:
    """The kit laid out with the theme's stylesheets (its templates are the built-in
    ones here: a theme's run only in a worker, which this check does not need)."""
    from presskit.render.html import kit_stylesheet, render_kit_html
    from presskit.render.kitview import build_kit_view

    html = render_kit_html(build_kit_view(release, theme), inline_css=False)
    return pool.submit("lone-headings", (html, kit_stylesheet(theme)))


def _lone_heading_findings(
    lone: list[tuple[PressRelease, list[tuple[int, str]]]], document: yamlstrict.Document
) -> list[Finding]:
    """A page of the kit holding only a heading, at the ecosystem or section it heads."""
    found = []
    for release, pages in lone:
        labels = {eco.display_label: i for i, eco in enumerate(release.ecosystems)}
        for number, text in pages:
            index = next((i for label, i in labels.items() if label in text), None)
            key: Key = ("kit",) if index is None else ("ecosystems", index)
            message = (
                f"page {number} of the {release.language} press kit holds only the "
                f"heading “{text}”; shorten what comes before it or split the text"
            )
            found.append(_warning_at(document, key, message, release.language))
    return found


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def as_json(findings: list[Finding], file: Path) -> list[dict[str, object]]:
    """Findings for scripts: one object each, with the file."""
    return [{"file": str(file), **asdict(f)} for f in findings]
