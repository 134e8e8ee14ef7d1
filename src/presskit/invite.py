"""The event invitation: ``<slug>-<lang>.ics``, an iCalendar (RFC 5545) file.

Written when the release announces an event whose day is known: a timed event when
the date has a start time (with a ``VTIMEZONE`` for the event's zone), a whole-day
event otherwise. A month, "early/mid/late" a month or "to be defined" gives no file:
an invitation to a day nobody knows would be wrong in every calendar.

The event's zone is ``event.timezone``, else the embargo's zone when it is named,
else UTC (``presskit check`` warns about the last case). Wording comes from the view,
so the invitation says what the documents say; the ``UID`` is derived from the slug,
so a rebuilt or corrected invitation updates the calendar entry instead of adding a
second one, and ``DTSTAMP`` is the build date, so the bytes are reproducible.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from presskit.model import DatePrecision, Event, PressRelease
from presskit.view import ReleaseView

_UTC = ZoneInfo("UTC")


def invite_name(slug: str, language: str) -> str:
    """``<slug>-<lang>.ics``, with the kit's slug (the first language's)."""
    return f"{slug}-{language}.ics"


def has_invite(release: PressRelease) -> bool:
    """Whether the release announces an event known to the day."""
    event = release.event
    return event is not None and event.date.precision is DatePrecision.DAY


def event_zone(release: PressRelease) -> tuple[ZoneInfo, bool]:
    """The zone of the event's times, and whether the content says it (not UTC by
    default)."""
    event = release.event
    if event is not None and event.zone is not None:
        return event.zone, True
    embargo = release.release.embargo_until
    if embargo is not None and isinstance(embargo.tzinfo, ZoneInfo):
        return embargo.tzinfo, True
    return _UTC, False


def event_uid(release: PressRelease) -> str:
    """The same for every build and language of one release's event."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, f'presskit:{release.file_stem}:event')}@presskit"


def render_ics(release: PressRelease, view: ReleaseView) -> bytes | None:
    """The invitation's bytes, or None when the event has no known day."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    from presskit.reproducible import build_date

    event = release.event
    if event is None or view.event is None or not has_invite(release):
        return None
    calendar = Calendar()
    calendar.add("prodid", "-//presskit//event invitation//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", event_uid(release))
    entry.add("dtstamp", build_date(release.dateline.date))
    start, end = _start_and_end(release, event)
    entry.add("dtstart", start)
    if end is not None:
        entry.add("dtend", end)
    entry.add("summary", view.event.name)
    entry.add("description", description(view))
    if event.place is not None:
        location = ", ".join(
            filter(None, [event.place.name, event.place.address, event.place.city])
        )
        entry.add("location", location)
    url = (event.place.map_url if event.place else None) or release.issuer.website
    if url is not None:
        entry.add("url", str(url))
    calendar.add_component(entry)
    if isinstance(start, dt.datetime) and start.tzinfo is not _UTC:
        _add_zone(calendar, start)
    return bytes(calendar.to_ical())


def _start_and_end(
    release: PressRelease, event: Event
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """A zoned start (and end when given) for a timed event; the day and the next for
    a whole-day one (DTEND is exclusive)."""
    day = event.date.as_date()
    if event.date.time is None:
        return day, day + dt.timedelta(days=1)
    zone, _ = event_zone(release)
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
