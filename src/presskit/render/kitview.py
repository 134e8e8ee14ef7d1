"""What the press kit document (dossier de presse) shows, worded once for every renderer.

:func:`build_kit_view` turns a release that has a ``kit`` section into a
:class:`KitView`: the cover, the contents, the release itself (its
:class:`~presskit.render.view.ReleaseView`), the key figures, one profile per labelled
ecosystem, the background, the people, the partners, the photos and the contacts. The
HTML (and so the PDF) and the Word kit both lay out this one view, in the order of
:attr:`KitView.sections`, so their contents and their text are the same.

Profiles start a page each; a *short* profile (no figures, no people, a text of at
most :data:`SHORT_PROFILE_WORDS` words) shares its page with the short profile after it,
two at most to a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from babel.dates import format_date
from slugify import slugify

from presskit.content.markdown import Prose
from presskit.content.model import (
    Credited,
    Ecosystem,
    Image,
    KeyFigure,
    KitSections,
    KnownDate,
    Milestone,
    Partner,
    Person,
    PressRelease,
)
from presskit.render.view import (
    ContactView,
    Link,
    PhotoView,
    ReleaseView,
    Typesetter,
    build_view,
    contact_view,
    long_date,
    optional_web_link,
    web_link,
)
from presskit.theme.folder import Theme

SHORT_PROFILE_WORDS = 120
"""A profile without figures or people, whose text has at most this many words, is
short: it may share its page with the next short one."""


@dataclass(frozen=True)
class FigureView:
    """A key figure: the number, what it counts, and its source."""

    value: str
    label: str
    source: str | None
    source_link: Link | None


@dataclass(frozen=True)
class PersonView:
    """A person: name, a line of role and organisation, a bio and a portrait."""

    name: str
    details: str | None
    bio: Prose | None
    portrait: Image | None
    credit: str | None


@dataclass(frozen=True)
class ProfileView:
    """One labelled ecosystem's page."""

    id: str
    label: str
    area: str | None
    logo: Image | None
    founded: str | None
    text: Prose | None
    figures: list[FigureView]
    people: list[PersonView]
    contact: ContactView | None
    website: Link | None
    short: bool
    starts_page: bool
    """False for a short profile that follows a short one on its page."""


@dataclass(frozen=True)
class MilestoneView:
    """One dated step of the timeline."""

    date: str
    text: str


@dataclass(frozen=True)
class PartnerView:
    """A partner organisation with its logo."""

    name: str
    logo: Image | None
    website: Link | None


@dataclass(frozen=True)
class Section:
    """One section of the kit, in reading order: what the contents list."""

    kind: str
    """``release``, ``key_figures``, ``profiles``, ``background``, ``people``,
    ``partners``, ``photos`` or ``contacts``: which part of the view it shows."""
    id: str
    title: str
    entries: list[tuple[str, str]] = field(default_factory=list)
    """The profiles of the ``profiles`` section, as (id, label)."""

    @property
    def anchors(self) -> list[str]:
        """This section's anchor, then its entries'."""
        return [self.id, *(anchor for anchor, _ in self.entries)]


@dataclass(frozen=True)
class KitView:
    """Everything the kit document shows, in reading order, in one language."""

    language: str
    language_tag: str
    title: str
    """The document's title (metadata): "Press kit – <cover title>"."""
    kind: str
    file_word: str
    """The kit's file name in the language: ``press-kit``, ``dossier-de-presse``."""
    issuer: str
    issuer_logo: Image | None
    cover_title: str
    cover_subtitle: str | None
    cover_date: str
    cover_picture: Image | None
    cover_credit: str | None
    release: ReleaseView
    sections: list[Section]
    key_figures: list[FigureView]
    profiles_heading: str
    profiles: list[ProfileView]
    background_text: Prose | None
    timeline: list[MilestoneView]
    people: list[PersonView]
    partners: list[PartnerView]
    photos: list[PhotoView]
    contacts_heading: str
    contacts: list[ContactView]
    strings: dict[str, str] = field(repr=False)

    @property
    def contents_heading(self) -> str:
        return self.strings["kit_contents"]

    @property
    def timeline_heading(self) -> str:
        return self.strings["kit_timeline"]


def has_kit(release: PressRelease) -> bool:
    """Whether the content asks for a kit document (it has a ``kit`` section)."""
    return release.kit is not None


def build_kit_view(
    release: PressRelease, theme: Theme | None = None, view: ReleaseView | None = None
) -> KitView:
    """Word the kit document of ``release`` (which has a ``kit`` section): the cover,
    then the chapters, then what the release view already words (photos, contacts)."""
    kit = release.kit
    assert kit is not None, "build_kit_view needs a release with a kit section"
    view = view or build_view(release, theme)
    ts = Typesetter(release.language, theme)
    chapters = _chapters(release, kit, view.strings, ts)
    return KitView(
        **_cover(release, kit, view, ts),
        release=view,
        sections=_sections(view, chapters, _background_heading(kit, view.strings, ts)),
        profiles_heading=view.ecosystems_heading,
        **chapters,
        photos=view.photos,
        contacts_heading=view.strings["kit_contacts"],
        contacts=view.contacts,
        strings=view.strings,
    )


class _Chapters(TypedDict):
    """The kit's own chapters, between the release and the photos."""

    key_figures: list[FigureView]
    profiles: list[ProfileView]
    background_text: Prose | None
    timeline: list[MilestoneView]
    people: list[PersonView]
    partners: list[PartnerView]


def _cover(
    release: PressRelease, kit: KitSections, view: ReleaseView, ts: Typesetter
) -> dict[str, Any]:
    """The cover page, and the document's title and file name."""
    words = view.strings
    cover_title = ts.text(kit.title) if kit.title else view.headline
    return {
        "language": view.language,
        "language_tag": view.language_tag,
        "title": f"{words['kit_document']} – {cover_title}",
        "kind": words["kit_document"],
        "file_word": file_word(words),
        "issuer": view.issuer,
        "issuer_logo": view.issuer_logo,
        "cover_title": cover_title,
        "cover_subtitle": view.subheadline,
        "cover_date": long_date(release.dateline.date, release.locale, words),
        "cover_picture": kit.cover,
        "cover_credit": _credit(kit.cover, words, ts),
    }


def _chapters(
    release: PressRelease, kit: KitSections, words: dict[str, str], ts: Typesetter
) -> _Chapters:
    separator = words["list_separator"]
    background = kit.background
    return _Chapters(
        key_figures=[_figure(f, words, ts) for f in kit.key_figures],
        profiles=_profiles(release, words, ts, separator),
        background_text=ts.optional_prose(background.text) if background else None,
        timeline=[
            _milestone(m, release.locale, words, ts)
            for m in (background.timeline if background else [])
        ],
        people=[_person(p, ts, separator) for p in kit.people],
        partners=[_partner(p, ts) for p in kit.partners],
    )


def _milestone(
    milestone: Milestone, locale: str, words: dict[str, str], ts: Typesetter
) -> MilestoneView:
    return MilestoneView(known_date(milestone.date, locale, words), ts.text(milestone.text))


def _partner(partner: Partner, ts: Typesetter) -> PartnerView:
    return PartnerView(ts.text(partner.name), partner.logo, optional_web_link(partner.website))


def _background_heading(kit: KitSections, words: dict[str, str], ts: Typesetter) -> str:
    background = kit.background
    return ts.text((background.heading if background else None) or words["kit_background"])


def kit_stem(slug: str, words: dict[str, str]) -> str:
    """``<slug>-<kit_file>``: ``launch-2027-press-kit``, ``launch-2027-dossier-de-presse``:
    the kit document's file name in the language of ``words``."""
    return f"{slug}-{file_word(words)}"


def file_word(words: dict[str, str]) -> str:
    return slugify(words["kit_file"]) or "press-kit"


def contents_anchors(view: KitView) -> list[str]:
    """The anchors of the contents' entries, in order: each section, and after the
    profiles section each profile (the PDF's bookmarks are the same, in this order)."""
    return [anchor for section in view.sections for anchor in section.anchors]


def _sections(view: ReleaseView, chapters: _Chapters, background: str) -> list[Section]:
    """The sections present, in reading order, each with a unique anchor."""
    words = view.strings
    entries = [(p.id, p.label) for p in chapters["profiles"]]
    wanted: list[tuple[str, str, bool]] = [
        ("release", view.kind, True),
        ("key_figures", words["kit_key_figures"], bool(chapters["key_figures"])),
        ("profiles", view.ecosystems_heading, bool(entries)),
        ("background", background, bool(chapters["background_text"] or chapters["timeline"])),
        ("people", words["kit_people"], bool(chapters["people"])),
        ("partners", words["kit_partners"], bool(chapters["partners"])),
        ("photos", words["kit_photos"], bool(view.photos)),
        ("contacts", words["kit_contacts"], bool(view.contacts)),
    ]
    return [
        Section(kind, f"kit-{kind.replace('_', '-')}", title, entries if kind == "profiles" else [])
        for kind, title, present in wanted
        if present
    ]


def _profiles(
    release: PressRelease, words: dict[str, str], ts: Typesetter, separator: str
) -> list[ProfileView]:
    """One profile per ecosystem, with unique anchors and the page-sharing rule."""
    used: set[str] = set()
    profiles: list[ProfileView] = []
    open_pair = False  # the previous profile is short and started its page
    for ecosystem in release.ecosystems:
        short = _is_short(ecosystem)
        starts_page = not (short and open_pair)
        open_pair = short and starts_page
        profiles.append(
            _profile(ecosystem, release, words, ts, separator, used, short, starts_page)
        )
    return profiles


def _is_short(ecosystem: Ecosystem) -> bool:
    text = ecosystem.profile or ecosystem.description
    words = len(text.plain_text().split()) if text is not None else 0
    return not ecosystem.figures and not ecosystem.people and words <= SHORT_PROFILE_WORDS


def _profile(
    ecosystem: Ecosystem,
    release: PressRelease,
    words: dict[str, str],
    ts: Typesetter,
    separator: str,
    used: set[str],
    short: bool,
    starts_page: bool,
) -> ProfileView:
    label = ts.text(ecosystem.display_label)
    return ProfileView(
        id=_unique_id("profile-" + (slugify(ecosystem.display_label) or "ecosystem"), used),
        label=label,
        area=ts.optional(ecosystem.area),
        logo=ecosystem.logo,
        founded=known_date(ecosystem.founded, release.locale, words) if ecosystem.founded else None,
        text=ts.optional_prose(ecosystem.profile or ecosystem.description),
        figures=[_figure(f, words, ts) for f in ecosystem.figures],
        people=[_person(p, ts, separator) for p in ecosystem.people],
        contact=contact_view(ecosystem.contact, ts, separator) if ecosystem.contact else None,
        website=web_link(str(ecosystem.website)) if ecosystem.website else None,
        short=short,
        starts_page=starts_page,
    )


def _unique_id(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    used.add(candidate)
    return candidate


def _figure(figure: KeyFigure, words: dict[str, str], ts: Typesetter) -> FigureView:
    source = _source_line(figure.source, words, ts) if figure.source else None
    link = optional_web_link(figure.source_url)
    return FigureView(ts.text(figure.value), ts.text(figure.label), source, link)


def _source_line(source: str, words: dict[str, str], ts: Typesetter) -> str:
    """ "Source: INSEE"."""
    return ts.text(f"{words['label_colon'].format(label=words['kit_source'])} {source}")


def _person(person: Person, ts: Typesetter, separator: str) -> PersonView:
    details = separator.join(filter(None, [person.role, person.organisation])) or None
    portrait = person.portrait
    return PersonView(
        ts.text(person.name),
        ts.optional(details),
        ts.optional_prose(person.bio),
        portrait,
        ts.text(portrait.credit) if portrait else None,
    )


def _credit(picture: Credited | None, words: dict[str, str], ts: Typesetter) -> str | None:
    if picture is None:
        return None
    return ts.text(words["kit_cover_credit"].format(credit=picture.credit))


def known_date(date: KnownDate, locale: str, words: dict[str, str]) -> str:
    """A date worded to its precision: "2013", "December 2018", "3 April 2019"."""
    if date.day is not None:
        return long_date(date.as_date(), locale, words)
    pattern = words["month_format" if date.month is not None else "year_format"]
    return format_date(date.as_date(), pattern, locale=locale)
