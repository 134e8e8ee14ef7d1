"""The event invitation (.ics), read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from presskit.cli import main
from presskit.kit.build import build
from presskit.kit.invite import invite_name
from presskit.kit.review import review
from presskit.render.view import build_view

from .conftest import Kit, write_content

CONTENT = """\
languages: [en]
slug: network-launch
issuer: {name: Northern Network, website: "https://network.example.ca"}
headline: Twelve members join the Northern Network
dateline: {city: Montréal, date: 2027-03-01}
lead: The Northern Network grows.
event:
  name: Launch morning
  description: A morning with **every** member.
  date: 2027-03-18 09:30
  end: "12:00"
  timezone: America/Toronto
  place: {name: Maison du réseau, address: 1 rue du Port, city: Montréal, map_url: "https://map.example.ca/m"}
  rsvp: Reply to [events@example.ca](mailto:events@example.ca).
mail: {from: Press <press@example.ca>}
"""


def calendar_event(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def ics_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.ics"))


def test_timed_event_imports_back_with_its_zone(tmp_path: Path) -> None:
    content = write_content(tmp_path, CONTENT)
    result = build(content, tmp_path / "out", ["ics"])
    release = result.release
    assert release.event is not None and release.event.date.time and release.event.end
    view = build_view(release)
    assert view.event is not None
    (path,) = [o.path for o in result.outputs if o.format == "ics"]
    assert path.name == invite_name(release.file_stem, release.language) == "network-launch-en.ics"
    event = calendar_event(path.read_bytes())
    zone = ZoneInfo(str(release.event.timezone))
    start = event.decoded("dtstart")
    assert start == dt.datetime.combine(release.event.date.as_date(), release.event.date.time, zone)
    assert str(start.tzinfo) == str(release.event.timezone)  # a named zone, not an offset
    assert event.decoded("dtend") == dt.datetime.combine(start.date(), release.event.end, zone)
    assert str(event["summary"]) == view.event.name
    place = release.event.place
    assert place is not None
    assert str(event["location"]) == f"{place.name}, {place.address}, {place.city}"
    assert str(event["url"]) == str(place.map_url)
    description = str(event["description"])
    assert "**" not in description and "every" in description
    assert "events@example.ca" in description
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == [release.event.timezone]


def test_invitation_is_reproducible_with_a_stable_uid(tmp_path: Path) -> None:
    content = write_content(tmp_path, CONTENT)
    first = ics_files(build(content, tmp_path / "a", ["ics"]).outputs[0].path.parents[2])
    corrected = write_content(
        tmp_path, CONTENT.replace("A morning", "A long morning"), "corrected.yaml"
    )
    second = ics_files(build(corrected, tmp_path / "b", ["ics"]).outputs[0].path.parents[2])
    again = ics_files(build(content, tmp_path / "c", ["ics"]).outputs[0].path.parents[2])
    assert first[0].read_bytes() == again[0].read_bytes()
    uids = {str(calendar_event(p.read_bytes())["uid"]) for p in (first[0], second[0])}
    assert len(uids) == 1  # a correction updates the calendar entry


def test_a_known_day_without_time_is_a_whole_day_event(tmp_path: Path) -> None:
    text = CONTENT.replace("date: 2027-03-18 09:30", "date: 2027-03-18").replace(
        '  end: "12:00"\n', ""
    )
    result = build(write_content(tmp_path, text), tmp_path / "out", ["ics"])
    (path,) = [o.path for o in result.outputs if o.format == "ics"]
    event = calendar_event(path.read_bytes())
    assert event.decoded("dtstart") == dt.date(2027, 3, 18)
    assert event.decoded("dtend") == dt.date(2027, 3, 19)


@pytest.mark.parametrize("date", ["2027-03", "early 2027-03", "late 2027-03", "to be defined"])
def test_no_invitation_while_the_day_is_unknown(tmp_path: Path, date: str) -> None:
    text = CONTENT.replace("2027-03-18 09:30", date).replace('  end: "12:00"\n', "")
    result = build(write_content(tmp_path, text), tmp_path / "out", ["ics"])
    assert [o for o in result.outputs if o.format == "ics"] == []


def test_none_for_the_built_in_example(example_kit: Kit) -> None:
    assert example_kit.release.event is not None
    assert ics_files(example_kit.pdf.parents[1]) == []


def test_zone_falls_back_to_the_embargo(tmp_path: Path) -> None:
    """Without event.timezone, the embargo's named zone; without either (and no city
    or country to tell), the build refuses: see test_event_trust.py."""
    no_zone = CONTENT.replace("  timezone: America/Toronto\n", "")
    embargoed = no_zone.replace(
        "headline:", "release: {embargo_until: 2027-03-01 08:00 Asia/Tokyo}\nheadline:"
    )
    path = write_content(tmp_path, embargoed, "embargoed.yaml")
    result = build(path, tmp_path / "out", ["ics"])
    ics = next(o.path for o in result.outputs if o.format == "ics")
    assert str(calendar_event(ics.read_bytes()).decoded("dtstart").tzinfo) == "Asia/Tokyo"
    assert not [f for f in review(path, pages=False) if "zone" in f.message]


def test_bad_zone_and_end_are_reported(tmp_path: Path) -> None:
    bad = CONTENT.replace("America/Toronto", "Europe/Atlantis").replace('"12:00"', '"08:00"')
    status = main(["check", str(write_content(tmp_path, bad))])
    assert status == 1


def test_invitation_in_the_zip_and_every_e_mail(tmp_path: Path) -> None:
    content = write_content(tmp_path, CONTENT)
    recipients = tmp_path / "to.csv"
    recipients.write_text("email,name\nana@example.org,Ana\nkurt@example.de,Kurt\n")
    out = tmp_path / "out"
    assert main(["mail", str(content), "--to", str(recipients), "-o", str(out), "-q"]) == 0
    ics = (out / "network-launch" / "en" / "network-launch-en.ics").read_bytes()
    with zipfile.ZipFile(out / "network-launch" / "network-launch-press-kit.zip") as kit:
        assert kit.read("en/network-launch-en.ics") == ics
    drafts = sorted((out / "network-launch" / "mail").glob("*.eml"))
    assert len(drafts) == 2
    for draft in drafts:
        message = BytesParser(policy=policy.default).parsebytes(draft.read_bytes())
        calendars = [
            part
            for part in message.iter_attachments()
            if part.get_content_type() == "text/calendar"
        ]
        assert len(calendars) == 1
        assert calendars[0].get_content() == ics.decode()
