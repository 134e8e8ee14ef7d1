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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from presskit.assets.resources import image_info
from presskit.content.loader import load_with_lines
from presskit.content.model import Person, PressRelease
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
    from presskit.render.view import theme_strings

    available = set(builtin_theme().strings_languages())
    return [
        Finding(
            "warning",
            document.line_of(("languages", i)),
            f"languages[{i}]",
            f"the theme has no wording for '{r.language}': its documents will say "
            f'"{theme_strings("en")["press_release"]}" and the like in English; add '
            f"templates/strings/{r.language.split('-')[0]}.yaml (or one in a --theme folder)",
            r.language,
        )
        for i, r in enumerate(releases)
        if r.language.split("-")[0] not in available and r.language not in available
    ]


def _at(document: yamlstrict.Document, language: str, *path: str | int) -> tuple[int, str]:
    """Line and key path of a field, down to its translation when it has one."""
    translated = (*path, language)
    if translated in document.lines:
        return document.lines[translated], yamlstrict.format_path(translated)
    return document.line_of(tuple(path)), yamlstrict.format_path(tuple(path))


def _warn(document: yamlstrict.Document, language: str, message: str, *path: str | int) -> Finding:
    line, key = _at(document, language, *path)
    return Finding("warning", line, key, message, language)


def _text_rules(
    release: PressRelease, document: yamlstrict.Document, now: dt.datetime
) -> list[Finding]:
    lang = release.language
    found = []
    if len(release.headline) > HEADLINE_MAX:
        found.append(
            _warn(
                document,
                lang,
                f"the headline has {len(release.headline)} characters; keep it under "
                f"{HEADLINE_MAX} so it reads at a glance",
                "headline",
            )
        )
    words = len(release.lead.plain_text().split())
    if words > LEAD_MAX_WORDS:
        found.append(
            _warn(
                document,
                lang,
                f"the lead has {words} words; keep it under {LEAD_MAX_WORDS}: who, what, when, "
                "where, why",
                "lead",
            )
        )
    if not release.media_contacts:
        found.append(
            _warn(
                document,
                lang,
                "no media contact: journalists need someone to call",
                "media_contacts",
            )
        )
    elif not any(c.email or c.phone for c in release.media_contacts):
        found.append(
            _warn(
                document,
                lang,
                "no media contact has an e-mail address or a phone number",
                "media_contacts",
            )
        )
    until = release.release.embargo_until
    if until is not None and until <= now:
        found.append(
            _warn(
                document,
                lang,
                f"the embargo ended on {until:%Y-%m-%d %H:%M %Z}",
                "release",
                "embargo_until",
            )
        )
    return found


def _link_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    lang = release.language
    found = []

    def check(url: str | None, *path: str | int) -> None:
        if url and url.startswith("http://"):
            found.append(_warn(document, lang, f"{url} is not https: use a secure link", *path))

    check(str(release.issuer.website) if release.issuer.website else None, "issuer", "website")
    for name in ("lead", "body"):
        prose = getattr(release, name)
        for href in prose.links() if prose else ():
            check(href, name)
    for i, eco in enumerate(release.ecosystems):
        check(str(eco.website) if eco.website else None, "ecosystems", i, "website")
    for i, about in enumerate(release.about):
        check(str(about.website) if about.website else None, "about", i, "website")
        for href in about.text.links():
            check(href, "about", i, "text")
    if release.event and release.event.place and release.event.place.map_url:
        check(str(release.event.place.map_url), "event", "place", "map_url")
    return found


def printed_ppi(pixels_wide: int, pixels_high: int, width_mm: float | None) -> float:
    """Pixels per inch at the width the page prints the image (scaled to fit)."""
    if width_mm is None:  # a prose image: natural size at 96 px/in, within the column
        width_mm = min(CONTENT_WIDTH_MM, pixels_wide / 96 * 25.4)
        height_mm = width_mm * pixels_high / pixels_wide
        if height_mm > IMAGE_MAX_HEIGHT_MM:
            width_mm *= IMAGE_MAX_HEIGHT_MM / height_mm
    return pixels_wide / (width_mm / 25.4)


def _logo_width_mm(path: Path, place: str) -> float:
    """The width a logo prints at: as large as fits in its box, proportions kept."""
    box_width, box_height = LOGO_BOX_MM[place]
    return min(box_width, box_height * image_info(path).ratio)


def _image_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    lang = release.language
    images: list[tuple[Path, float | None, tuple[str | int, ...]]] = []
    if release.issuer.logo:
        path = release.issuer.logo.path
        images.append((path, _logo_width_mm(path, "issuer"), ("issuer", "logo", "file")))
    for i, eco in enumerate(release.ecosystems):
        if eco.logo:
            path = eco.logo.path
            width = _logo_width_mm(path, "ecosystem")
            images.append((path, width, ("ecosystems", i, "logo", "file")))
    for name in ("lead", "body"):
        prose = getattr(release, name)
        for span in prose.images() if prose else ():
            images.append((Path(span.src or ""), None, (name,)))
    for i, photo in enumerate(release.photos):
        images.append((photo.path, PHOTO_PRINT_WIDTH_MM, ("photos", i, "file")))
    found = []
    for path, width_mm, key in images:
        info = image_info(path)
        if info.format == "SVG":
            continue  # a vector prints sharp at any size
        ppi = printed_ppi(int(info.width), int(info.height), width_mm)
        if ppi < PRINT_PPI:
            found.append(
                _warn(
                    document,
                    lang,
                    f"{path.name} prints at {ppi:.0f} ppi; print needs {PRINT_PPI}: supply a "
                    "larger image",
                    *key,
                )
            )
    return found


# The boxes the kit document's pictures are fitted into (press-kit.css, word.yaml).
KIT_PICTURE_BOX_MM = {"cover": (170.0, 115.0), "portrait": (32.0, 40.0)}


def _kit_rules(releases: list[PressRelease], document: yamlstrict.Document) -> list[Finding]:
    """The press kit document: profiles with nothing to say, figures nobody stands
    behind, pictures too coarse for their printed size."""
    found: list[Finding] = []
    for release in releases:
        if release.kit is None:
            continue
        found += _kit_text_rules(release, document)
    first = releases[0]
    if first.kit is not None:
        found += _kit_picture_rules(first, document)
    return found


def _kit_text_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    assert release.kit is not None
    lang = release.language
    found = []
    for i, eco in enumerate(release.ecosystems):
        if eco.profile is None and eco.description is None:
            message = (
                f"{eco.display_label} has no profile text: its page of the press kit shows "
                "only its name; add ecosystems[i].profile"
            ).replace("[i]", f"[{i}]")
            found.append(_warn(document, lang, message, "ecosystems", i))
        for j, figure in enumerate(eco.figures):
            if figure.source is None:
                where = ("ecosystems", i, "figures", j)
                found.append(_unsourced(document, lang, figure.value, *where))
    for j, figure in enumerate(release.kit.key_figures):
        if figure.source is None:
            found.append(_unsourced(document, lang, figure.value, "kit", "key_figures", j))
    return found


def _unsourced(
    document: yamlstrict.Document, language: str, value: str, *path: str | int
) -> Finding:
    message = f"the figure {value} has no source: say who published it (source)"
    return _warn(document, language, message, *path)


def _kit_picture_rules(release: PressRelease, document: yamlstrict.Document) -> list[Finding]:
    """Cover picture and portraits at the size the kit prints them."""
    assert release.kit is not None
    pictures: list[tuple[Path, str, tuple[str | int, ...]]] = []
    if release.kit.cover is not None:
        pictures.append((release.kit.cover.path, "cover", ("kit", "cover", "file")))
    people: list[tuple[tuple[str | int, ...], Person]] = [
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
    found = []
    for picture, place, key in pictures:
        info = image_info(picture)
        if info.format == "SVG":
            continue
        width, height = KIT_PICTURE_BOX_MM[place]
        ppi = printed_ppi(int(info.width), int(info.height), min(width, height * info.ratio))
        if ppi < PRINT_PPI:
            message = (
                f"{picture.name} prints at {ppi:.0f} ppi in the press kit; print needs "
                f"{PRINT_PPI}: supply a larger image"
            )
            found.append(_warn(document, release.language, message, *key))
    return found


def _glyph_rules(document: yamlstrict.Document) -> list[Finding]:
    """Characters the shipped fonts cannot draw: the PDF would show an empty box."""
    covered = shipped_characters()
    found = []

    def visit(value: object, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))
        elif isinstance(value, str):
            missing = sorted(
                {c for c in value if ord(c) > 0x7F and ord(c) not in covered and not c.isspace()}
            )
            if missing:
                shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:5])
                found.append(
                    Finding(
                        "warning",
                        document.line_of(path),
                        yamlstrict.format_path(path),
                        f"no shipped font can draw {shown}; the PDF would show a box",
                        "",
                    )
                )

    visit(document.data, ())
    return found


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
    for release, count in counts:
        if count > MAX_PAGES:
            key = ("body",) if release.body else ("lead",)  # where the length comes from
            found.append(
                Finding(
                    "warning",
                    document.line_of(key),
                    yamlstrict.format_path(key),
                    f"the {release.language} release runs to {count} pages; journalists read "
                    f"{MAX_PAGES} at most",
                    release.language,
                )
            )
    return found


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
            key: tuple[str | int, ...] = ("kit",) if index is None else ("ecosystems", index)
            found.append(
                Finding(
                    "warning",
                    document.line_of(key),
                    yamlstrict.format_path(key),
                    f"page {number} of the {release.language} press kit holds only the "
                    f"heading “{text}”; shorten what comes before it or split the text",
                    release.language,
                )
            )
    return found


def _page_count(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def as_json(findings: list[Finding], file: Path) -> list[dict[str, object]]:
    """Findings for scripts: one object each, with the file."""
    return [{"file": str(file), **asdict(f)} for f in findings]
