"""The newsroom's pages: a page per release and language, an index per language, the
Atom feeds and the sitemap, rendered from the views (Jinja2, autoescaped, sandboxed).

Every link between pages and to the downloads is relative, so the site works from
``file://``, from a sub-folder of another site and from any static host. Absolute
addresses appear only where a format requires them (the sitemap, the feed's self
link, OpenGraph), and only when a base URL is given. Pages load nothing from any
other host: a ``Content-Security-Policy`` says so to the browser.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from babel import Locale
from babel.numbers import format_decimal
from jinja2 import Environment
from markupsafe import Markup

from presskit import __version__
from presskit.content.model import Image, Photo, PressRelease, babel_locale
from presskit.kit import identity
from presskit.kit.archive import logo_names, photo_names
from presskit.newsroom.kits import kit_dir, thumbnail_name
from presskit.newsroom.sources import Source
from presskit.render.kitview import KitView, build_kit_view, has_kit, kit_stem
from presskit.render.view import ReleaseView, Typesetter, build_view, long_date, theme_strings
from presskit.theme.folder import Theme, builtin_theme

FILES = "files"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Download:
    """A file offered for download, with its size worded for the reader."""

    label: str
    href: str
    size: str
    mime: str
    facts: str = ""
    """Its format and size, worded: "PDF · 182 KB"."""


@dataclass(frozen=True)
class Picture:
    """A logo or photo: the captioned file, its thumbnail, what it shows, its credit."""

    href: str
    src: str
    alt: str
    caption: str | None
    credit: str
    download: str
    facts: str = ""
    """Its pixel size, format and file size, worded: "3000 × 2000 px · JPEG · 1.2 MB"."""
    shown: str = ""
    """The file shown on the page (``src``), from the site's root."""


@dataclass(frozen=True)
class Organisation:
    """Who the newsroom is, in the header of every page: its name, its logo (a file
    of a kit in the site, linked from the page; None without one), and the list of
    releases the name links to."""

    name: str
    logo: str | None
    home: str


@dataclass(frozen=True)
class NavLink:
    """A language in the header's language menu."""

    tag: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True)
class Card:
    """A release in a list: its date, headline, lead and picture, linking to its page."""

    href: str
    tag: str
    headline: str
    date_iso: str
    date_text: str
    issuer: str
    release_line: str | None
    lead: str
    picture: str | None
    picture_alt: str
    picture_kind: str
    """``photo`` (cropped to fill) or ``logo`` (shown whole): see site.css."""

    @classmethod
    def of(cls, site: Site, entry: Entry, page: str) -> Card:
        picture = site.url(entry.picture, page) if entry.picture else None
        return cls(site.url(entry.path, page), entry.tag, entry.headline, entry.date_iso,
                   entry.date_text, entry.issuer, entry.release_line, entry.lead,
                   picture, entry.picture_alt, entry.picture_kind)  # fmt: skip


@dataclass(frozen=True)
class Alternate:
    """The same release in another language."""

    language: str
    tag: str
    name: str
    href: str
    address: str = ""
    """Its absolute address when the site has a base URL (for ``hreflang`` links, which
    search engines read only as absolute URLs), else ``href``."""


@dataclass(frozen=True)
class Entry:
    """What the lists, the feed and the sitemap show of a release in one language; kept
    in the site's state, so that an unchanged release need not be loaded again."""

    slug: str
    language: str
    tag: str
    path: str
    headline: str
    subheadline: str | None
    issuer: str
    author: str
    subject: str
    date_iso: str
    date_text: str
    published: str
    release_line: str | None
    content: str
    alternates: list[str]
    id: str = ""
    """Its Atom id: a ``tag:`` URI under the issuer's own domain (globally unique)."""
    authority: str = ""
    """Who issues it (a domain, or the issuer's name), for the feed's own id."""
    modified: str = ""
    """When the version last changed (its revision); empty in an older site's state."""
    lead: str = ""
    """The lead as plain text, for the release's card in the lists."""
    picture: str = ""
    """The card's picture, from the site's root: the first photo's thumbnail, else the
    issuer's logo; empty when the release has neither."""
    picture_alt: str = ""
    picture_kind: str = ""
    issuer_logo: str = ""
    """The issuer's logo in the site, from its root (empty when it has none)."""

    @property
    def published_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.published)

    @property
    def modified_at(self) -> dt.datetime:
        """When the version last changed: Atom ``updated``, the sitemap's ``lastmod``."""
        return dt.datetime.fromisoformat(self.modified) if self.modified else self.published_at

    @classmethod
    def of(cls, page: ReleasePage, base_url: str | None = None) -> Entry:
        from presskit.render.prose import prose_html

        view, release = page.view, page.release
        content = str(prose_html(view.lead)) + (str(prose_html(view.body)) if view.body else "")
        return cls(
            slug=page.source.slug,
            language=release.language,
            tag=release.language_tag,
            path=page.path,
            headline=view.headline,
            subheadline=view.subheadline,
            issuer=view.issuer,
            author=view.author,
            subject=view.subject,
            date_iso=release.dateline.date.isoformat(),
            date_text=long_date(release.dateline.date, release.locale, view.strings),
            published=page.published.isoformat(),
            release_line=view.release_line if view.embargo_until else None,
            content=content,
            alternates=[a.tag for a in page.alternates],
            id=identity.tag_uri(
                release, f"release/{page.source.slug}/{release.language}", base_url
            ),
            authority=identity.authority(release, base_url) or release.issuer.name,
            modified=page.last_modified.isoformat(),
            lead=view.lead.plain_text(),
            issuer_logo=page.issuer_logo_path or "",
            **card_picture(page),
        )


def card_picture(page: ReleasePage) -> dict[str, str]:
    """A release's picture in the lists: its first photo, else its issuer's logo (whose
    name the card shows beside it: no text alternative to repeat it)."""
    if page.photos:
        photo = page.photos[0]
        return {"picture": photo.shown, "picture_alt": photo.alt, "picture_kind": "photo"}
    if page.issuer_logo_path:
        return {"picture": page.issuer_logo_path, "picture_alt": "", "picture_kind": "logo"}
    return {}


@dataclass
class ReleasePage:
    """One release in one language, with everything its page shows."""

    source: Source
    release: PressRelease
    view: ReleaseView
    path: str
    published: dt.datetime
    downloads: list[Download] = field(default_factory=list)
    photos: list[Picture] = field(default_factory=list)
    logos: list[Picture] = field(default_factory=list)
    issuer_logo: str | None = None
    issuer_logo_path: str | None = None
    """The issuer's logo from the site's root (``issuer_logo`` is it from the page)."""
    ecosystem_logos: list[str | None] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)
    kit_href: str | None = None
    """The release's press kit page, when it has one."""
    modified: dt.datetime | None = None
    """When the version last changed, from its kit's revision record."""

    @property
    def last_modified(self) -> dt.datetime:
        """When the version last changed, never before it was published."""
        return max(self.modified or self.published, self.published)


@dataclass
class KitPage:
    """A release's press kit document in one language, as a page of its own: its files
    first, then its contents, each profile under an anchor a journalist can link to."""

    release_page: ReleasePage
    view: KitView
    path: str
    downloads: list[Download] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)
    release_href: str = ""


@dataclass(frozen=True)
class Site:
    """Where the site lives and what it shows."""

    root: Path
    base_url: str | None
    theme: Theme = field(default_factory=builtin_theme)
    """The theme of the kits, whose ``site/`` part (templates, ``site.css``) and strings
    the pages use."""

    def url(self, path: str, page: str) -> str:
        """``path`` (from the site's root) as linked from ``page``: relative, always."""
        depth = page.count("/")
        return "../" * depth + path

    def absolute(self, path: str) -> str | None:
        return f"{self.base_url}{path}" if self.base_url else None

    def words(self, language: str) -> dict[str, str]:
        """The theme's strings for ``language``, typeset for it."""
        return theme_strings(language, self.theme)


@cache
def environment(theme: Theme) -> Environment:
    """The site's templates, the theme's own first: sandboxed, autoescaped, undefined
    names are errors."""
    from presskit.render.html import content_environment, image_data_uri

    env = content_environment([*theme.site_dirs, *theme.template_dirs])
    env.globals["csp"] = CSP
    env.globals["image_src"] = image_data_uri  # pictures the kit has no file of
    return env


PAGE_TEMPLATES = ("home.html.j2", "index.html.j2", "release.html.j2", "kit.html.j2")


def check_templates(theme: Theme) -> None:
    """Compile the site's page templates (and what they include) before anything is
    built: a mistake in a theme's template stops the build before a kit is written."""
    from jinja2 import TemplateError

    from presskit.render.html import template_failure

    for name in PAGE_TEMPLATES:
        try:
            environment(theme).get_template(name)
        except TemplateError as error:
            raise template_failure(error, name) from None


def release_pages(site: Site, sources: list[Source]) -> list[ReleasePage]:
    """A page for each release and language, its downloads read from the kit on disk."""
    return [page for source in sources for page in _versions(site, source)]


def _versions(site: Site, source: Source) -> list[ReleasePage]:
    """The pages of a release's public languages: nothing else is shown or linked."""
    shown = [r for r in source.releases or [] if r.language in source.shown]
    versions = [_release_page(site, source, release) for release in shown]
    for page in versions:
        _fill(site, page, versions)
    return versions


def _release_page(site: Site, source: Source, release: PressRelease) -> ReleasePage:
    """A release's page in one language, before its files and links are filled in."""
    path = f"{release.language}/{source.slug}.html"
    view = build_view(release, site.theme)
    return ReleasePage(source, release, view, path, source.published[release.language])


def revision_date(site: Site, page: ReleasePage) -> dt.datetime | None:
    """When the kit's build last saw this version change (:mod:`presskit.kit.revisions`),
    or None when the kit has no record of it."""
    from presskit.kit.build import kit_state_dir
    from presskit.kit.revisions import read_record
    from presskit.newsroom.kits import hidden_root
    from presskit.util import statedir

    state = statedir.folder_for("sites", site.root)
    record = read_record(kit_state_dir(hidden_root(state), page.source.slug))
    revision = record.get(page.release.language)
    return revision.modified if revision is not None else None


WORD_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class KitFiles:
    """A release's kit in the site as one page sees it: each file's link, and its
    format and size worded in the page's language."""

    site: Site
    slug: str
    page: str
    words: dict[str, str]
    locale: str

    @property
    def folder(self) -> Path:
        return kit_dir(self.site.root / FILES, self.slug)

    def path(self, name: str) -> str:
        """The kit's file ``name`` from the site's root."""
        return f"{FILES}/{self.slug}/{name}"

    def link(self, name: str) -> str:
        return self.site.url(self.path(name), self.page)

    def size(self, name: str) -> str:
        return human_size((self.folder / name).stat().st_size, self.words, self.locale)

    def download(self, label_key: str, name: str, mime: str, format_key: str) -> Download:
        size = self.size(name)
        facts = self.words["site_file_facts"].format(format=self.words[format_key], size=size)
        return Download(self.words[label_key], self.link(name), size, mime, facts)

    def offered(self, files: list[tuple[str, str, str, str]]) -> list[Download]:
        """A download for each file of ``files`` (label, name, type, format) the kit has."""
        return [self.download(*file) for file in files if (self.folder / file[1]).is_file()]

    def thumbnail_or_photo(self, name: str) -> str:
        """The photo's thumbnail in the kit, else the photo itself (a vector has none)."""
        thumb = thumbnail_name(name)
        return thumb if (self.folder / thumb).is_file() else name

    def picture_facts(self, name: str) -> str:
        """A picture's pixel size, format and file size (a vector's format and size)."""
        size, path = self.size(name), self.folder / name
        pixels = pixel_size(path)
        if pixels is None:
            return self.words["site_file_facts"].format(format=path.suffix[1:].upper(), size=size)
        (width, height), kind = pixels
        return self.words["site_picture_facts"].format(
            width=format_decimal(width, locale=self.locale),
            height=format_decimal(height, locale=self.locale),
            format=kind,
            size=size,
        )


def pixel_size(path: Path) -> tuple[tuple[int, int], str] | None:
    """A picture's width and height as it is shown (its EXIF orientation applied) and
    its format, or None for a file Pillow does not read as pixels (SVG)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
            turned = image.getexif().get(0x0112) in (5, 6, 7, 8)  # a quarter turn
            return ((height, width) if turned else (width, height)), image.format or ""
    except UnidentifiedImageError:
        return None


def _fill(site: Site, page: ReleasePage, versions: list[ReleasePage]) -> None:
    """What a release page shows beyond its release: its files, its language versions
    and when it last changed."""
    _fill_files(site, page)
    page.alternates = [_alternate(site, other.release, other.path, page.path) for other in versions]
    page.modified = revision_date(site, page)


def _fill_files(site: Site, page: ReleasePage) -> None:
    """The page's downloads, photos and logos, as the kit on disk holds them."""
    files = KitFiles(site, page.source.slug, page.path, page.view.strings, page.release.locale)
    page.downloads = files.offered(release_files(page.source.slug, page.release.language))
    _fill_pictures(files, page)


def _fill_pictures(files: KitFiles, page: ReleasePage) -> None:
    """The page's photos and logos, named as the kit's first public language (as built)."""
    shown = [r for r in page.source.releases or [] if r.language in page.source.shown]
    first = shown[0] if shown else page.release
    page.photos = _photos(files, first, page.release)
    _logos(files, page, first)


def _alternate(site: Site, release: PressRelease, path: str, page: str) -> Alternate:
    """The version of ``release`` at ``path`` (a language version), as linked from ``page``."""
    link = site.url(path, page)
    tag, name = release.language_tag, language_name(release.language)
    return Alternate(release.language, tag, name, link, site.absolute(path) or link)


def release_files(slug: str, lang: str) -> list[tuple[str, str, str, str]]:
    """The release's documents in the kit: label, file, type and format (theme keys)."""
    return [
        ("site_pdf", f"{lang}/{slug}.pdf", "application/pdf", "site_format_pdf"),
        ("site_docx", f"{lang}/{slug}.docx", WORD_MIME, "site_format_docx"),
        ("site_ics", f"{lang}/{slug}-{lang}.ics", "text/calendar", "site_format_ics"),
        ("site_zip", f"{slug}-press-kit.zip", "application/zip", "site_format_zip"),
    ]


def _photos(files: KitFiles, first: PressRelease, release: PressRelease) -> list[Picture]:
    """Each photo, named as in the kit's first language, worded in this one."""
    ts = Typesetter(release.language, files.site.theme)
    photos = zip(photo_names(first), release.photos, strict=True)
    return [_photo(files, ts, name, photo) for name, photo in photos]


def _photo(files: KitFiles, ts: Typesetter, name: str, photo: Photo) -> Picture:
    """A photo to download, shown by its thumbnail."""
    shown = files.thumbnail_or_photo(name)
    return Picture(files.link(name), files.link(shown), ts.text(photo.alt), ts.text(photo.caption),
                   ts.text(photo.credit), files.words["site_download"], files.picture_facts(name),
                   files.path(shown))  # fmt: skip


def _logos(files: KitFiles, page: ReleasePage, first: PressRelease) -> None:
    """The issuer's logo, each ecosystem's (None where it has none), and all of them
    as downloads."""
    release = page.release
    owners = [release.issuer.logo, *(e.logo for e in release.ecosystems)]
    names = iter(logo_names(first).items())
    # the file's name (and owner) from the kit's first language, the alt text this one's
    found = [None if logo is None else (*next(names), logo) for logo in owners]
    ts = Typesetter(release.language, files.site.theme)
    kept = filter(None, found)
    page.logos = [_logo(files, ts, name, owner, logo) for name, (owner, _), logo in kept]
    issuer, *ecosystems = [entry[0] if entry else None for entry in found]
    page.issuer_logo = files.link(issuer) if issuer else None
    page.issuer_logo_path = files.path(issuer) if issuer else None
    page.ecosystem_logos = [files.link(name) if name else None for name in ecosystems]


def _logo(files: KitFiles, ts: Typesetter, name: str, owner: str, logo: Image) -> Picture:
    """A logo to download, captioned with its owner's name."""
    return Picture(files.link(name), files.link(name), ts.text(logo.alt), ts.text(owner),
                   ts.text(owner), files.words["site_download"], files.picture_facts(name),
                   files.path(name))  # fmt: skip


def kit_pages(site: Site, pages: list[ReleasePage]) -> list[KitPage]:
    """A press kit page for each release page whose content has a kit section, linked from it."""
    kits = [_kit_page(site, page) for page in pages if has_kit(page.release)]
    for kit in kits:
        kit.alternates = _kit_alternates(site, kit, kits)
    return kits


def _kit_page(site: Site, page: ReleasePage) -> KitPage:
    """The press kit page of ``page``, each linking to the other."""
    view = build_kit_view(page.release, site.theme, view=page.view)
    stem = kit_stem(page.source.slug, view.strings)
    kit = KitPage(page, view, f"{page.release.language}/{stem}.html")
    page.kit_href = site.url(kit.path, page.path)
    kit.release_href = site.url(page.path, kit.path)
    kit.downloads = _kit_downloads(site, kit, stem)
    return kit


def _kit_alternates(site: Site, kit: KitPage, kits: list[KitPage]) -> list[Alternate]:
    """The kit page in each language of its release, as linked from ``kit``."""
    source = kit.release_page.source
    same = [other for other in kits if other.release_page.source is source]
    return [_alternate(site, other.release_page.release, other.path, kit.path) for other in same]


def _kit_downloads(site: Site, kit: KitPage, stem: str) -> list[Download]:
    """The kit document's PDF and Word file, then the release's own files."""
    page = kit.release_page
    release = page.release
    files = KitFiles(site, page.source.slug, kit.path, kit.view.strings, release.locale)
    lang = release.language
    own = files.offered([
        ("site_kit_pdf", f"{lang}/{stem}.pdf", "application/pdf", "site_format_pdf"),
        ("site_kit_docx", f"{lang}/{stem}.docx", WORD_MIME, "site_format_docx"),
    ])  # fmt: skip
    # the kit page sits beside the release page: the same links, worded in its language
    return own + files.offered(release_files(page.source.slug, lang))


def human_size(size: int, words: dict[str, str], locale: str) -> str:
    """``182 KB``, ``1.2 MB`` (``1,2 Mo``): the number written as the language does."""
    if size < 1024 * 1024:
        return words["site_size_kb"].format(
            size=format_decimal(max(1, round(size / 1024)), locale=locale)
        )
    return words["site_size_mb"].format(
        size=format_decimal(size / 1024 / 1024, "0.0", locale=locale)
    )


def language_name(code: str) -> str:
    """The language named in itself: "English", "Français"."""
    name = Locale.parse(babel_locale(code)).get_display_name(babel_locale(code)) or code
    return name[:1].upper() + name[1:]


def render_release(site: Site, page: ReleasePage) -> bytes:
    """The release's page."""
    view = page.view
    return _render(
        "release.html.j2",
        site,
        page.path,
        v=view,
        page=page,
        words=view.strings,
        org=Organisation(view.issuer, page.issuer_logo, "index.html"),
        nav=nav_links(page.alternates, view.language),
        json_ld=json_ld(site, page),
        og=open_graph(site, page),
    )


def render_kit(site: Site, kit: KitPage) -> bytes:
    """A release's press kit page."""
    page = kit.release_page
    return _render(
        "kit.html.j2",
        site,
        kit.path,
        k=kit.view,
        kit=kit,
        page=page,
        words=kit.view.strings,
        org=Organisation(kit.view.issuer, page.issuer_logo, "index.html"),
        nav=nav_links(kit.alternates, kit.view.language),
    )


def nav_links(alternates: list[Alternate], current: str) -> list[NavLink]:
    return [NavLink(a.tag, a.name, a.href, a.language == current) for a in alternates]


def organisation(site: Site, entries: list[Entry], page: str, home: str) -> Organisation:
    """The newsroom's organisation on a list: the issuer of its newest release (the
    organisation as it presents itself now, its latest logo)."""
    newest = newest_first(entries)[0]
    logo = site.url(newest.issuer_logo, page) if newest.issuer_logo else None
    return Organisation(newest.issuer, logo, home)


def render_index(site: Site, language: str, entries: list[Entry], languages: list[str]) -> bytes:
    """The language's list of releases, newest first, as cards."""
    path = f"{language}/index.html"
    links = language_links(site, path, languages)
    return _render(
        "index.html.j2",
        site,
        path,
        language=language,
        tag=entries[0].tag if entries else language,
        words=site.words(language),
        org=organisation(site, entries, path, "index.html"),
        nav=[NavLink(x["code"], x["name"], x["href"], x["code"] == language) for x in links],
        cards=[Card.of(site, e, path) for e in newest_first(entries)],
        languages=links,
    )


def render_home(site: Site, languages: list[str], entries: list[Entry]) -> bytes:
    """The site's front page: each language's newest releases, and its list."""
    first = languages[0]
    path = "index.html"
    lists = [
        (link, [Card.of(site, e, path) for e in newest_first(entries) if e.language == code])
        for code, link in zip(languages, language_links(site, path, languages), strict=True)
    ]
    return _render(
        "home.html.j2",
        site,
        path,
        language=first,
        words=site.words(first),
        org=organisation(site, entries, path, path),
        nav=[],
        languages=[link for link, _ in lists],
        lists=[(link, site.words(link["code"]), cards) for link, cards in lists],
    )


def language_links(site: Site, page: str, languages: list[str]) -> list[dict[str, str]]:
    return [
        {
            "code": code,
            "name": language_name(code),
            "title": site.words(code)["site_releases"],
            "href": site.url(f"{code}/index.html", page),
            # hreflang links are read by search engines only as absolute addresses
            "address": site.absolute(f"{code}/index.html") or site.url(f"{code}/index.html", page),
        }
        for code in languages
    ]


def newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.published_at, e.date_iso, e.path), reverse=True)


def _render(template: str, site: Site, path: str, **context: Any) -> bytes:
    from jinja2 import TemplateError

    from presskit.render.html import template_failure

    try:
        html = (
            environment(site.theme)
            .get_template(template)
            .render(
                root=site.url("", path),
                stylesheet=site.url("style.css", path),
                canonical=site.absolute(path),
                generator=f"presskit {__version__}",
                **context,
            )
        )
    except TemplateError as error:  # a sandbox refusal (SecurityError) included
        raise template_failure(error, template) from None
    return html.encode("utf-8")


def json_ld(site: Site, page: ReleasePage) -> Markup:
    """schema.org NewsArticle data, safe inside a <script> element."""
    release, view = page.release, page.view
    author: dict[str, Any] = (
        {"@type": "Person", "name": release.author}
        if release.author
        else {"@type": "Organization", "name": release.issuer.name}
    )
    publisher: dict[str, Any] = {"@type": "Organization", "name": release.issuer.name}
    if release.issuer.website:
        publisher["url"] = str(release.issuer.website)
    if page.issuer_logo:
        publisher["logo"] = {"@type": "ImageObject", "url": _file_url(site, page.issuer_logo)}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": view.headline,
        "description": view.subject,
        "inLanguage": release.language_tag,
        "datePublished": page.published.isoformat(),
        "dateModified": page.last_modified.isoformat(),
        "author": author,
        "publisher": publisher,
        "url": site.absolute(page.path) or page.path.rsplit("/", 1)[-1],
    }
    if page.photos:
        data["image"] = [_file_url(site, p.href) for p in page.photos]
    if release.keywords:
        data["keywords"] = list(release.keywords)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _file_url(site: Site, href: str) -> str:
    """A download's absolute address when the site has a base URL, else as linked."""
    path = href.lstrip("./")
    return site.absolute(path) or href


def open_graph(site: Site, page: ReleasePage) -> dict[str, str]:
    """OpenGraph and Twitter card properties (absolute addresses need a base URL)."""
    view = page.view
    tags = {
        "og:type": "article",
        "og:title": view.headline,
        "og:description": view.subject,
        "og:locale": page.release.locale,
        "og:site_name": view.strings["site_title"],
        "article:published_time": page.published.isoformat(),
        "article:modified_time": page.last_modified.isoformat(),
        "twitter:card": "summary_large_image" if page.photos else "summary",
        "twitter:title": view.headline,
        "twitter:description": view.subject,
    }
    if site.base_url:
        tags["og:url"] = f"{site.base_url}{page.path}"
        picture = page.photos[0] if page.photos else (page.logos[0] if page.logos else None)
        if picture is not None:
            tags["og:image"] = _file_url(site, picture.href)
            tags["og:image:alt"] = picture.alt
            tags["twitter:image"] = tags["og:image"]
            tags["twitter:image:alt"] = picture.alt
    return tags


def render_feed(site: Site, language: str, entries: list[Entry]) -> bytes:
    """The language's Atom feed, newest first; ids that never change."""
    from feedgen.feed import FeedGenerator

    words = site.words(language)
    ordered = newest_first(entries)
    feed = FeedGenerator()
    feed.id(feed_id(site, language, entries))
    feed.title(f"{words['site_title']} – {words['site_releases']}")
    feed.language(ordered[0].tag)
    feed.generator("presskit", __version__)
    feed.updated(max(entry.modified_at for entry in ordered))  # the latest change
    index = site.absolute(f"{language}/index.html")
    feed.link(href=index or "index.html", rel="alternate", type="text/html")
    if site.base_url:
        feed.link(href=f"{site.base_url}{language}/feed.atom", rel="self")
    for entry in reversed(ordered):  # feedgen puts the last added first
        item = feed.add_entry()
        item.id(entry.id or _urn(f"release/{entry.slug}/{language}"))
        item.title(entry.headline)
        item.link(href=site.absolute(entry.path) or entry.path.rsplit("/", 1)[-1])
        item.published(entry.published_at)
        item.updated(entry.modified_at)
        item.author({"name": entry.author})
        item.summary(entry.subject)
        item.content(entry.content, type="html")
    return bytes(feed.atom_str(pretty=True))


def feed_id(site: Site, language: str, entries: list[Entry]) -> str:
    """The feed's id, the same at every build and unlike any other newsroom's: from the
    site's address when it has one, else from who issues its releases."""
    owner = site.base_url or "\n".join(sorted({e.authority for e in entries}))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'presskit:feed:{owner}:{language}')}"


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'presskit:newsroom:{name}')}"


def render_sitemap(site: Site, entries: list[Entry], languages: list[str]) -> bytes | None:
    """``sitemap.xml`` with each page's language versions; needs the base URL."""
    if not site.base_url:
        return None
    base = site.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for language in languages:
        lines.append(f"<url><loc>{xml_escape(f'{base}{language}/index.html')}</loc></url>")
    versions: dict[str, list[Entry]] = {}
    for entry in entries:
        versions.setdefault(entry.slug, []).append(entry)
    for entry in sorted(entries, key=lambda e: e.path):
        lines += _sitemap_url(base, entry, versions[entry.slug])
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sitemap_url(base: str, entry: Entry, versions: list[Entry]) -> list[str]:
    """A page's ``<url>``: its address, its last change, each of its language versions."""
    loc = f"<url><loc>{xml_escape(base + entry.path)}</loc>"
    lastmod = f"<lastmod>{entry.modified_at.isoformat()}</lastmod>"  # W3C datetime
    return [loc, lastmod, *(_hreflang(base, other) for other in versions), "</url>"]


def _hreflang(base: str, version: Entry) -> str:
    """A link to a language version of the page, for search engines."""
    return (
        f'<xhtml:link rel="alternate" hreflang="{xml_escape(version.tag)}"'
        f' href="{xml_escape(base + version.path)}"/>'
    )
