"""What the documents show, worded once for every renderer.

:func:`build_view` turns the model into display text in the release's language: the
release line, the dateline, dates from their precision ("early May 2019", "Date and
place to be defined"), headings such as "About …". The HTML and Word renderers both
lay out this one :class:`ReleaseView`, so the two documents carry the same text and
neither invents any. Theme wording lives in ``templates/strings/<lang>.yaml``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from babel.dates import format_date, format_datetime, format_time

from presskit.content.markdown import Prose, Spans
from presskit.content.model import (
    About,
    Contact,
    DatePrecision,
    Ecosystem,
    Event,
    EventDate,
    Image,
    PressRelease,
)
from presskit.content.typography import typeset, typeset_text
from presskit.theme import wording
from presskit.theme.folder import Theme


@dataclass(frozen=True)
class Link:
    """A link shown with readable text."""

    text: str
    href: str


@dataclass(frozen=True)
class ContactView:
    """One media contact: name, a line of role and organisation, and links."""

    name: str
    details: str | None
    links: list[Link]


@dataclass(frozen=True)
class EcosystemView:
    """One labelled ecosystem as shown in the ecosystems block."""

    label: str
    area: str | None
    description: Prose | None
    website: Link | None
    logo: Image | None
    contact: ContactView | None


@dataclass(frozen=True)
class QuoteView:
    """A quotation and its attribution line."""

    text: Prose
    attribution: str


@dataclass(frozen=True)
class Fact:
    """One row of the practical-information box."""

    label: str
    value: str | None = None
    prose: Prose | None = None
    link: Link | None = None


@dataclass(frozen=True)
class EventView:
    """The event section: its name, description and practical information."""

    name: str
    description: Prose | None
    facts: list[Fact]
    note: str | None


@dataclass(frozen=True)
class AboutView:
    """One "About …" boilerplate."""

    heading: str
    text: Prose
    website: Link | None


@dataclass(frozen=True)
class PhotoView:
    """A photo in the closing "Photos" list: a thumbnail, its caption and credit, and
    where to find the full file."""

    image: Image
    caption: str
    credit: str
    where: str


@dataclass(frozen=True)
class ReleaseView:
    """Everything a document shows, in reading order, worded in one language."""

    language: str
    language_tag: str
    title: str
    kind: str
    release_line: str
    issuer: str
    issuer_logo: Image | None
    issuer_website: Link | None
    headline: str
    subheadline: str | None
    dateline: str
    byline: str | None
    lead: Prose
    body: Prose | None
    quotes: list[QuoteView]
    ecosystems_heading: str
    ecosystems_intro: str | None
    ecosystems: list[EcosystemView]
    ecosystem_columns: list[str]
    event: EventView | None
    about: list[AboutView]
    contacts_heading: str
    contacts: list[ContactView]
    end_mark: str
    author: str
    subject: str
    keywords: list[str]
    issued: dt.date
    embargo_until: str | None
    strings: dict[str, str] = field(repr=False)
    photos: list[PhotoView] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict, repr=False)
    """The version as the content file gives it (see :attr:`PressRelease.source`):
    recorded in the Word file, so that an import knows what the file was built from."""

    def colon(self, label: str) -> str:
        """``label`` followed by a colon, spaced as the language wants ("Quand :")."""
        return self.strings["label_colon"].format(label=label)


def theme_strings(language: str, theme: Theme | None = None) -> dict[str, str]:
    """The theme wording for ``language`` (see :mod:`presskit.theme.wording`), typeset for it;
    read again when a strings file changes."""
    return _typeset_strings(language, theme, wording.version(language, theme))


@cache
def _typeset_strings(language: str, theme: Theme | None, _: wording.Version) -> dict[str, str]:
    # Formats for Babel are patterns, not text: leave them as written.
    return {
        key: value if key.endswith("_format") else typeset_text(value, language, theme)
        for key, value in wording.strings(language, theme).items()
    }


def build_view(release: PressRelease, theme: Theme | None = None) -> ReleaseView:
    """``release`` worded and typeset in its language, with ``theme``'s (or built-in) words."""
    words = theme_strings(release.language, theme)
    ts = Typesetter(release.language, theme)
    # top to bottom; a field given by two parts is refused (a repeated keyword)
    return ReleaseView(
        **_masthead(release, words, ts),
        **_story(release, words, ts),
        **_ecosystems_part(release, words, ts),
        **_closing(release, words, ts),
        **_document_facts(release, words, ts),
    )


def _masthead(release: PressRelease, words: dict[str, str], ts: Typesetter) -> dict[str, Any]:
    """The top of the page: kind, release line, issuer, headline, dateline, byline."""
    return {
        "kind": words["press_release"],
        "release_line": release_line(release, words),
        "issuer": ts.text(release.issuer.name),
        "issuer_logo": release.issuer.logo,
        "issuer_website": optional_web_link(release.issuer.website),
        "headline": ts.text(release.headline),
        "subheadline": ts.optional(release.subheadline),
        "dateline": dateline_text(release, words, ts),
        "byline": byline(release, words, ts),
    }


def byline(release: PressRelease, words: dict[str, str], ts: Typesetter) -> str | None:
    """ "By Camille Dupont", when the content names an author."""
    return words["byline"].format(author=ts.text(release.author)) if release.author else None


def _story(release: PressRelease, words: dict[str, str], ts: Typesetter) -> dict[str, Any]:
    """The text: lead, body and quotes."""
    separator = words["list_separator"]
    return {
        "lead": ts.prose(release.lead),
        "body": ts.optional_prose(release.body),
        "quotes": [
            QuoteView(ts.prose(q.text), ts.text(separator.join(filter(None, [q.speaker, q.role]))))
            for q in release.quotes
        ],
    }


def _ecosystems_part(
    release: PressRelease, words: dict[str, str], ts: Typesetter
) -> dict[str, Any]:
    """The labelled ecosystems block: heading, introduction, rows and columns."""
    return {
        "ecosystems_heading": ts.text(release.ecosystems_heading or words["ecosystems"]),
        "ecosystems_intro": ts.optional(release.ecosystems_intro),
        "ecosystems": [ecosystem_view(e, ts, words["list_separator"]) for e in release.ecosystems],
        "ecosystem_columns": ecosystem_columns(release),
    }


def _closing(release: PressRelease, words: dict[str, str], ts: Typesetter) -> dict[str, Any]:
    """After the story: the event, the "About …" texts, contacts, end mark and photos."""
    return {
        "event": event_view(release, words, ts),
        "about": [about_view(a, words, ts) for a in release.about],
        "contacts_heading": contacts_heading(release, words),
        "contacts": [contact_view(c, ts, words["list_separator"]) for c in release.media_contacts],
        "end_mark": release.end_mark,
        "photos": photo_views(release, words, ts),
    }


def contacts_heading(release: PressRelease, words: dict[str, str]) -> str:
    """ "Media contact", or "Media contacts" for several."""
    return words["media_contacts" if len(release.media_contacts) > 1 else "media_contact"]


def _document_facts(release: PressRelease, words: dict[str, str], ts: Typesetter) -> dict[str, Any]:
    """What the document says about itself: language, title and metadata, the embargo
    for its properties, the theme wording and the source version it was built from."""
    return {
        "language": release.language,
        "language_tag": release.language_tag,
        "title": ts.text(release.headline),
        "author": release.author or release.issuer.name,
        "subject": ts.text(release.summary),
        "keywords": list(release.keywords),
        "issued": release.dateline.date,
        "embargo_until": embargo_when(release, words),
        "strings": words,
        "source": release.source,
    }


def dateline_text(release: PressRelease, words: dict[str, str], ts: Typesetter) -> str:
    """ "Lille, 3 April 2019": the city and the long date, in the language's pattern."""
    return words["dateline"].format(
        city=ts.text(release.dateline.city),
        date=long_date(release.dateline.date, release.locale, words),
    )


def ecosystem_view(ecosystem: Ecosystem, ts: Typesetter, separator: str) -> EcosystemView:
    """One row of the ecosystems block."""
    return EcosystemView(
        label=ts.text(ecosystem.display_label),
        area=ts.optional(ecosystem.area),
        description=ts.optional_prose(ecosystem.description),
        website=optional_web_link(ecosystem.website),
        logo=ecosystem.logo,
        contact=contact_view(ecosystem.contact, ts, separator) if ecosystem.contact else None,
    )


def about_view(about: About, words: dict[str, str], ts: Typesetter) -> AboutView:
    return AboutView(
        words["about"].format(name=ts.text(about.name)),
        ts.prose(about.text),
        optional_web_link(about.website),
    )


def photo_views(release: PressRelease, words: dict[str, str], ts: Typesetter) -> list[PhotoView]:
    """The photos offered with the kit, numbered as in the ZIP's ``photos/`` folder."""
    kit = f"{release.file_stem}-press-kit.zip"
    return [
        PhotoView(
            photo,
            ts.text(photo.caption),
            ts.text(f"{words['label_colon'].format(label=words['credit'])} {photo.credit}"),
            ts.text(words["photo_where"].format(number=f"{number:02d}", kit=kit)),
        )
        for number, photo in enumerate(release.photos, start=1)
    ]


@dataclass(frozen=True)
class Typesetter:
    """Applies one language's typography to display text and parsed prose."""

    language: str
    theme: Theme | None = None
    """The theme whose typography rules apply (the built-in theme's by default)."""

    def text(self, value: str) -> str:
        return typeset_text(value, self.language, self.theme)

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def prose(self, prose: Prose) -> Prose:
        """The same tree with typeset spans; code spans and URLs are left alone."""
        return prose.map_runs(self._spans)

    def _spans(self, spans: Spans) -> Spans:
        """One paragraph's spans, typeset together so quotes pair across runs."""
        texts = typeset(
            [span.text for span in spans],
            self.language,
            [span.code or span.kind == "break" for span in spans],
            self.theme,
        )
        return tuple(
            dataclasses.replace(span, text=text) for span, text in zip(spans, texts, strict=True)
        )

    def optional_prose(self, prose: Prose | None) -> Prose | None:
        return None if prose is None else self.prose(prose)


def ecosystem_columns(release: PressRelease) -> list[str]:
    """The ecosystem table's columns: logo and website only when some have one."""
    logo = ["logo"] if any(e.logo for e in release.ecosystems) else []
    website = ["website"] if any(e.website for e in release.ecosystems) else []
    return [*logo, "ecosystem", *website]


def release_line(release: PressRelease, words: dict[str, str]) -> str:
    """ "For immediate release", or the embargo with its date, time and zone."""
    when = embargo_when(release, words)
    if when is None:
        return words["immediate_release"]
    return words["embargoed_until"].format(when=when)


def embargo_when(release: PressRelease, words: dict[str, str]) -> str | None:
    """The embargo's end as a reader reads it ("3 April 2019, 09:00 CEST"), or None."""
    until = release.release.embargo_until
    if until is None:
        return None
    locale = release.locale
    day = long_date(until.date(), locale, words)
    time = format_datetime(until, words["time_format"], tzinfo=until.tzinfo, locale=locale)
    moment = words["embargo_moment"].format(date=day, time=time, zone=zone_name(until, locale))
    return typeset_text(moment, release.language)


def zone_name(moment: dt.datetime, locale: str) -> str:
    """The zone as the language names it: "CEST" in British English, "heure d’été
    d’Europe centrale" in French; a bare offset ("UTC+02:00") when it has no name."""
    for pattern in ("zzz", "zzzz"):
        name = format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale)
        if not name.startswith(("+", "-", "GMT", "UTC")):
            return name if pattern == "zzz" else f"({name})"
    return format_datetime(moment, "OOOO", tzinfo=moment.tzinfo, locale=locale)


def day_format(day: dt.date, words: dict[str, str], name: str) -> str:
    """The strings' pattern ``<name>_format``, or its first-of-the-month variant (French
    writes an ordinal: "1er mai")."""
    if day.day == 1:  # a theme may leave the variant out: the plain pattern then
        return words.get(f"{name}_first_of_month_format", words[f"{name}_format"])
    return words[f"{name}_format"]


def long_date(value: dt.date, locale: str, words: dict[str, str]) -> str:
    """``3 April 2019`` / ``1er avril 2019`` / ``3. April 2019``."""
    return format_date(value, day_format(value, words, "date"), locale=locale)


def event_date_text(
    date: EventDate, locale: str, words: dict[str, str], end: dt.time | None = None
) -> str | None:
    """The event date worded from its precision (with the end time when known); None
    when not defined."""
    if not date.defined:
        return None
    day = date.as_date()
    if date.precision is DatePrecision.DAY:
        text = format_date(day, day_format(day, words, "event_day"), locale=locale)
        if date.time is not None:
            text = _with_times(text, date.time, end, locale, words)
        return _capitalise(text)
    month = format_date(day, words["month_format"], locale=locale)
    key = _PART_OF_MONTH.get(date.precision)
    return _capitalise(words[key].format(month=month) if key else month)


_PART_OF_MONTH = {
    DatePrecision.EARLY_MONTH: "early_month",
    DatePrecision.MID_MONTH: "mid_month",
    DatePrecision.LATE_MONTH: "late_month",
}
"""The strings key of each approximate precision: "early May"."""


def _with_times(
    day: str, start: dt.time, end: dt.time | None, locale: str, words: dict[str, str]
) -> str:
    """The day with its start time, or its start and end times."""
    time = format_time(start, words["time_format"], locale=locale)
    if end is None:
        return words["day_and_time"].format(date=day, time=time)
    until = format_time(end, words["time_format"], locale=locale)
    return words["day_and_time_range"].format(date=day, start=time, end=until)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def event_view(release: PressRelease, words: dict[str, str], ts: Typesetter) -> EventView | None:
    """The event section, with "date and place to be defined" when neither is known."""
    event = release.event
    if event is None:
        return None
    return EventView(
        ts.text(event.name),
        ts.optional_prose(event.description),
        event_facts(event, release.locale, words, ts),
        undefined_note(event, words),
    )


def event_facts(event: Event, locale: str, words: dict[str, str], ts: Typesetter) -> list[Fact]:
    """When and where (or "to be defined"), then the audience and how to register."""
    when = event_date_text(event.date, locale, words, event.end)
    facts = [
        Fact(words["when"], when or words["date_undefined"]),
        Fact(words["where"], _place_text(event, words, ts) or words["place_undefined"],
             link=_map_link(event, words)),
    ]  # fmt: skip
    if event.audience:
        facts.append(Fact(words["audience"], ts.text(event.audience)))
    if event.rsvp:
        facts.append(Fact(words["rsvp"], prose=ts.prose(event.rsvp)))
    return facts


def _place_text(event: Event, words: dict[str, str], ts: Typesetter) -> str | None:
    if not event.place:
        return None
    parts = [event.place.name, event.place.address, event.place.city]
    return ts.text(words["list_separator"].join(filter(None, parts)))


def _map_link(event: Event, words: dict[str, str]) -> Link | None:
    if event.place and event.place.map_url:
        return Link(words["map"], str(event.place.map_url))
    return None


def undefined_note(event: Event, words: dict[str, str]) -> str | None:
    """What the rows cannot say: an approximate date ("early May") still has its exact
    day to be defined. A row that reads "To be defined" says so itself, so the note
    never repeats it (no "Date and place to be defined" under "Where: To be defined")."""
    approximate = event.date.defined and event.date.precision is not DatePrecision.DAY
    return words["date_to_be_defined"] if approximate else None


def optional_web_link(url: object | None) -> Link | None:
    """:func:`web_link` of an optional address (a pydantic URL or a string)."""
    return web_link(str(url)) if url else None


def web_link(url: str) -> Link:
    """A link whose text is the address without scheme or trailing slash."""
    text = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return Link(text, url)


def contact_view(contact: Contact, ts: Typesetter | None, separator: str = ", ") -> ContactView:
    """A media contact with mailto: and tel: links (left as written)."""
    details = separator.join(filter(None, [contact.role, contact.organisation])) or None
    if ts is not None:
        return ContactView(ts.text(contact.name), ts.optional(details), _links(contact))
    return ContactView(contact.name, details, _links(contact))


def _links(contact: Contact) -> list[Link]:
    """The contact's e-mail address and phone number, as links."""
    links = [Link(str(contact.email), f"mailto:{contact.email}")] if contact.email else []
    if contact.phone:
        links.append(_phone_link(contact.phone))
    return links


def _phone_link(phone: str) -> Link:
    """A tel: link whose text never breaks across lines."""
    number = "".join(c for c in phone if c.isdigit() or c == "+")
    return Link(phone.replace(" ", "\u00a0"), f"tel:{number}")
