"""The event invitation: ``<slug>-<lang>.ics``, an iCalendar (RFC 5545) file.

Written when the release announces an event whose day is known: a timed event when
the date has a start time (with a ``VTIMEZONE`` for the event's zone), a whole-day
event otherwise. A month, "early/mid/late" a month or "to be defined" gives no file:
an invitation to a day nobody knows would be wrong in every calendar.

The event's zone is the model's :attr:`~presskit.content.model.PressRelease.event_zone` (its
``timezone``, the embargo's, its city's, its language's country's; a timed event with
none is refused when the content is loaded). Wording comes from the view, so the
invitation says what the documents say.

Calendars match a published event by ``UID`` and order its versions by ``SEQUENCE``
and ``DTSTAMP`` (RFC 5546): the UID is a ``tag:`` URI under the issuer's own domain
(:mod:`presskit.kit.identity`), the same in every language and build; SEQUENCE and
DTSTAMP are the version's :class:`~presskit.kit.revisions.Revision`, which moves only
when the content does, so unchanged content gives the same bytes. ``METHOD:PUBLISH``
needs an ``ORGANIZER``: the issuer (its name) at the first media contact's e-mail
address, else at the press e-mails' sender; content with no address at all gives a
plain calendar file without ``METHOD`` (RFC 5545), which calendars import alike.
"""

from __future__ import annotations

import datetime as dt
from email.policy import default as email_policy
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from presskit.content.model import DatePrecision, Event, PressRelease
from presskit.kit.identity import tag_uri
from presskit.kit.revisions import Revision, first_revision
from presskit.render.view import ReleaseView


def invite_name(slug: str, language: str) -> str:
    """``<slug>-<lang>.ics``, with the kit's slug (the first language's)."""
    return f"{slug}-{language}.ics"


def has_invite(release: PressRelease) -> bool:
    """Whether the release announces an event known to the day."""
    event = release.event
    return event is not None and event.date.precision is DatePrecision.DAY


def event_uid(release: PressRelease, slug: str | None = None) -> str:
    """The event's UID: the same for every build and language of one kit (pass the
    first language's release and the kit's slug), and unique to its issuer."""
    return tag_uri(release, f"{slug or release.file_stem}/event")


def organizer(release: PressRelease) -> str | None:
    """The ``mailto:`` address invitations come from: the first media contact's
    e-mail, else the press e-mails' sender; None when the content gives neither."""
    emails = [str(contact.email) for contact in release.media_contacts if contact.email]
    address = emails[0] if emails else _sender_address(release)
    return None if address is None else _mailto(address)


def _sender_address(release: PressRelease) -> str | None:
    """The address the press e-mails are sent from, when the content gives one."""
    if release.mail is None:
        return None
    parsed = email_policy.header_factory("From", release.mail.sender)
    return next((address.addr_spec for address in getattr(parsed, "addresses", ())), None)


def _mailto(address: str) -> str:
    # RFC 6068: what a URI cannot carry as it is (an address in another script) is
    # percent-encoded; the characters an address commonly holds are kept.
    return "mailto:" + quote(address, safe="@!$'*+-._~=")


def render_ics(
    release: PressRelease,
    view: ReleaseView,
    *,
    uid: str | None = None,
    revision: Revision | None = None,
) -> bytes | None:
    """The invitation's bytes, or None when the event has no known day. ``uid`` is
    the kit's (:func:`event_uid` of its first language); ``revision`` the version's,
    by default its first (SEQUENCE 0, dated when it is published)."""
    event = release.event
    if event is None or view.event is None or not has_invite(release):
        return None
    sender = organizer(release)
    calendar = _calendar(publish=sender is not None)
    entry = _entry(release, uid or event_uid(release), revision or first_revision(release, ""))
    _add_organizer(entry, sender, release.issuer.name)
    start, end = _start_and_end(release, event)
    entry.add("dtstart", start)
    if end is not None:
        entry.add("dtend", end)
    entry.add("summary", view.event.name)
    entry.add("description", description(view))
    _add_place(entry, release, event)
    calendar.add_component(entry)
    if isinstance(start, dt.datetime) and "TZID" in entry["dtstart"].params:
        _add_zone(calendar, start)  # a zone written as Z (UTC) needs none
    return bytes(calendar.to_ical())


def _calendar(publish: bool) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//presskit//event invitation//EN")
    calendar.add("version", "2.0")
    if publish:  # RFC 5546: PUBLISH needs an ORGANIZER
        calendar.add("method", "PUBLISH")
    return calendar


def _entry(release: PressRelease, uid: str, revision: Revision) -> Any:
    """The VEVENT, with its identity: the kit's UID, this version's stamp and number."""
    from icalendar import Event as CalendarEvent

    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", revision.modified)
    entry.add("sequence", revision.number)
    return entry


def _add_organizer(entry: Any, sender: str | None, name: str) -> None:
    from icalendar import vCalAddress

    if sender is not None:
        address = vCalAddress(sender)
        address.params["cn"] = name
        entry.add("organizer", address)


def _add_place(entry: Any, release: PressRelease, event: Event) -> None:
    """The place in one line, and a link: the map's, else the issuer's website."""
    if event.place is not None:
        location = ", ".join(
            filter(None, [event.place.name, event.place.address, event.place.city])
        )
        entry.add("location", location)
    url = (event.place.map_url if event.place else None) or release.issuer.website
    if url is not None:
        entry.add("url", str(url))


def _start_and_end(
    release: PressRelease, event: Event
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """A zoned start (and end when given) for a timed event; the day and the next for
    a whole-day one (DTEND is exclusive)."""
    day = event.date.as_date()
    if event.date.time is None:
        return day, day + dt.timedelta(days=1)
    zone = release.event_zone
    assert zone is not None  # the model refuses a timed event without one
    start = dt.datetime.combine(day, event.date.time, tzinfo=zone)
    end = dt.datetime.combine(day, event.end, tzinfo=zone) if event.end else None
    return start, end


def _add_zone(calendar: object, start: dt.datetime) -> None:
    """The VTIMEZONE for the start's zone, over the event's year only: small, and the
    same bytes on every build."""
    from icalendar import Calendar, Timezone

    assert isinstance(calendar, Calendar) and isinstance(start.tzinfo, ZoneInfo)
    first = dt.date(start.year - 1, 1, 1)
    last = dt.date(start.year + 1, 12, 31)
    zone = Timezone.from_tzinfo(start.tzinfo, start.tzinfo.key, first, last)
    calendar.subcomponents.insert(0, zone)


def description(view: ReleaseView) -> str:
    """Plain text: the release's headline, the event's description and its facts
    (when, where, who, how to attend), worded as in the documents."""
    from presskit.render.prose import prose_text

    assert view.event is not None
    parts = [view.headline]
    if view.event.description is not None:
        parts.append(prose_text(view.event.description))
    facts = []
    for fact in view.event.facts:
        value = prose_text(fact.prose) if fact.prose is not None else fact.value or ""
        if fact.link is not None:
            value = f"{value} <{fact.link.href}>"
        facts.append(f"{view.colon(fact.label)} {value}")
    parts.append("\n".join(facts))
    if view.event.note:
        parts.append(view.event.note)
    return "\n\n".join(parts)
