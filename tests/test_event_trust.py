"""The event a release announces, as calendars, readers and crawlers see it (issue 19):
the 1st of a month in every language, practical information worded once, an
invitation with its organiser, a unique UID and the right zone (or a clear refusal),
and revision dates that move when the content changes and only then.

Every test runs the command as a user would (``presskit.cli.main``) on content unlike
the built-in example (a German-English network of workshops, a Spanish and a Canadian
release), and reads the real outputs back: the .ics with icalendar, the PDF with pypdf,
the Word file with python-docx, the feed with feedparser.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import feedparser
import icalendar
import pytest
from babel.dates import format_date
from PIL import Image
from pypdf import PdfReader

from presskit.cli import main
from presskit.content.loader import load_all
from presskit.kit.identity import tag_uri
from presskit.render.view import build_view, theme_strings

from .conftest import write_content

NETWORK = """\
# A German-English release of a network of workshops, dated in Berlin.
languages: [de, en]
slug: werkstatt-netz
issuer:
  name: Werkstatt-Netz Berlin-Brandenburg
  website: https://werkstatt-netz.example.de
headline:
  de: Zwölf offene Werkstätten gründen ein Netz
  en: Twelve open workshops found a network
dateline: {city: Berlin, date: 2025-05-05}
lead:
  de: Zwölf offene Werkstätten aus Berlin und Brandenburg teilen ab heute Maschinen und Wissen.
  en: Twelve open workshops in Berlin and Brandenburg share machines and know-how from today.
event:
  name: {de: Gründungsabend, en: Founding evening}
  date: 2025-06-12 18:30
  end: "21:00"
  place: {name: Alte Kesselhalle, address: Uferstraße 8, city: Berlin}
media_contacts:
  - {name: Jonas Weber, role: Pressesprecher, email: presse@werkstatt-netz.example.de}
  - {name: Mia Scholz, email: mia@werkstatt-netz.example.de}
"""

BASE = "https://news.werkstatt-netz.example.de/"

SOLO = """\
# One text for every language: a workshop opening in a harbour town.
languages: {languages}
issuer: {{name: Harbour Makers, website: "https://harbour-makers.example.org"}}
headline: Harbour Makers open a shared workshop
dateline: {{city: {city}, date: 2025-05-05}}
lead: Harbour Makers open a shared workshop for the town's makers.
event:
  name: Opening evening
  date: 2025-06-12 18:30
  place: {{name: Pier Hall, city: {city}}}
media_contacts:
  - {{name: Ana Ruiz, email: press@harbour-makers.example.org}}
"""


def build(content: Path, out: Path, *formats: str) -> int:
    return main(["build", str(content), "-o", str(out), "-q", "--format", ",".join(formats)])


def read_event(path: Path) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return event


def invitations(out: Path) -> dict[str, Path]:
    """language -> .ics, from the build's folder."""
    return {path.parent.name: path for path in sorted(out.rglob("*.ics"))}


def line_of(text: str, start: str) -> int:
    """The 1-based line of ``text`` that starts with ``start`` (indent ignored)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


# -- the zone ------------------------------------------------------------------------


def test_timed_event_takes_the_zone_of_the_dateline_city(tmp_path: Path) -> None:
    content = write_content(tmp_path, NETWORK)
    assert build(content, tmp_path / "out", "ics") == 0
    releases = load_all(content)
    files = invitations(tmp_path / "out")
    assert set(files) == {r.language for r in releases}
    for release in releases:
        event = read_event(files[release.language])
        assert release.event is not None and release.event.date.time and release.event.end
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert str(start.tzinfo) == "Europe/Berlin"  # the zone of "Berlin", by name
        assert start.replace(tzinfo=None) == dt.datetime.combine(
            release.event.date.as_date(), release.event.date.time
        )  # 18:30 local, not 18:30Z
        assert start.utcoffset() == dt.timedelta(hours=2)  # summer time in June
        assert end.time() == release.event.end
        calendar = icalendar.Calendar.from_ical(files[release.language].read_bytes())
        assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
        assert "TZID=Europe/Berlin" in files[release.language].read_text()


@pytest.mark.parametrize(
    ("languages", "city", "zone"),
    [
        ("[fr]", "Bruxelles", "Europe/Brussels"),  # CLDR's French exemplar city
        ("[de, en]", "Zürich", "Europe/Zurich"),
        ("[en]", "zurich", "Europe/Zurich"),  # case and accents do not matter
        ("[en]", "New York", "America/New_York"),
        ("[fr]", "Roubaix", "Europe/Paris"),  # not in CLDR: France has one zone
        ("[it]", "Bergamo", "Europe/Rome"),  # no strings file: Italy has one zone
    ],
)
def test_zone_from_city_or_the_language_s_only_country_zone(
    tmp_path: Path, languages: str, city: str, zone: str
) -> None:
    content = write_content(tmp_path, SOLO.format(languages=languages, city=city))
    assert build(content, tmp_path / "out", "ics") == 0
    files = invitations(tmp_path / "out")
    assert len(files) == languages.count(",") + 1
    for path in files.values():
        assert str(read_event(path).decoded("dtstart").tzinfo) == zone


def test_the_event_s_own_city_comes_before_the_dateline_s(tmp_path: Path) -> None:
    text = NETWORK.replace("city: Berlin}", "city: Lisbon}")
    assert build(write_content(tmp_path, text), tmp_path / "out", "ics") == 0
    for path in invitations(tmp_path / "out").values():
        assert str(read_event(path).decoded("dtstart").tzinfo) == "Europe/Lisbon"


def test_event_timezone_and_embargo_zone_come_first(tmp_path: Path) -> None:
    zoned = NETWORK.replace('  end: "21:00"\n', '  end: "21:00"\n  timezone: Asia/Tokyo\n')
    assert build(write_content(tmp_path, zoned, "a.yaml"), tmp_path / "a", "ics") == 0
    embargoed = NETWORK.replace(
        "headline:", "release: {embargo_until: 2025-05-05 08:00 America/Toronto}\nheadline:"
    )
    assert build(write_content(tmp_path, embargoed, "b.yaml"), tmp_path / "b", "ics") == 0
    for out, zone in ((tmp_path / "a", "Asia/Tokyo"), (tmp_path / "b", "America/Toronto")):
        for path in invitations(out).values():
            assert str(read_event(path).decoded("dtstart").tzinfo) == zone


@pytest.mark.parametrize(
    ("languages", "city"),
    [("[es]", "Villarriba del Monte"), ("[fr-CA, en]", "Rivière-aux-Saules"), ("[en]", "Riverton")],
)
def test_a_timed_event_without_a_known_zone_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], languages: str, city: str
) -> None:
    """Spain, Canada and (for English) the United States have several zones, and
    these towns are in no table: every command refuses at event.date's line, names
    the town, and writes nothing."""
    text = SOLO.format(languages=languages, city=city)
    content = write_content(tmp_path, text)
    where = f"{content}:{line_of(text, 'date: 2025-06-12')}: event.date: "
    expected = "a timed event needs its time zone: add event.timezone (e.g. Europe/Paris)"
    for command in (
        ["build", str(content), "-o", str(tmp_path / "out"), "-q"],
        ["check", str(content)],
        ["site", str(content), "-o", str(tmp_path / "site"), "-q"],
    ):
        assert main(command) == 1
        error = capsys.readouterr().err
        assert f"{where}{expected}" in error, error
        assert f"'{city}'" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists() and not (tmp_path / "site").exists()
    fixed = text.replace("18:30\n", "18:30\n  timezone: America/Chicago\n")
    assert build(write_content(tmp_path, fixed), tmp_path / "out", "ics") == 0
    for path in invitations(tmp_path / "out").values():
        assert str(read_event(path).decoded("dtstart").tzinfo) == "America/Chicago"


def test_a_day_without_time_needs_no_zone(tmp_path: Path) -> None:
    text = SOLO.format(languages="[en]", city="Riverton").replace(" 18:30", "")
    assert build(write_content(tmp_path, text), tmp_path / "out", "ics") == 0
    for path in invitations(tmp_path / "out").values():
        assert read_event(path).decoded("dtstart") == dt.date(2025, 6, 12)


# -- organiser and UID -------------------------------------------------------------


def test_invitation_has_an_organizer_and_a_uid_of_its_issuer(tmp_path: Path) -> None:
    content = write_content(tmp_path, NETWORK)
    assert build(content, tmp_path / "out", "ics") == 0
    releases = load_all(content)
    first = releases[0]
    uids = set()
    for release in releases:
        path = invitations(tmp_path / "out")[release.language]
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(calendar["method"]) == "PUBLISH"
        event = read_event(path)
        contact = next(c for c in release.media_contacts if c.email)
        assert str(event["organizer"]) == f"mailto:{contact.email}"
        assert event["organizer"].params["CN"] == release.issuer.name
        uids.add(str(event["uid"]))
    # One event: one UID in every language, minted under the issuer's own domain.
    assert uids == {tag_uri(first, f"{first.file_stem}/event")}
    assert first.issuer.website is not None and first.issuer.website.host in uids.pop()


def test_an_issuer_name_with_quotes_commas_and_colons_reads_back(tmp_path: Path) -> None:
    """The organiser's name is a parameter value: quoted, with RFC 6868's escapes for
    double quotes, it reads back as written."""
    name = 'Harbour "Makers", Quay: South; Ñandú'
    text = SOLO.format(languages="[en]", city="London").replace(
        "{name: Harbour Makers,", "{name: '" + name.replace("'", "''") + "',"
    )
    assert build(write_content(tmp_path, text), tmp_path / "out", "ics") == 0
    (path,) = invitations(tmp_path / "out").values()
    assert read_event(path)["organizer"].params["CN"] == name


def test_two_issuers_with_the_same_slug_do_not_share_a_uid(tmp_path: Path) -> None:
    other = NETWORK.replace("werkstatt-netz.example.de", "makers-union.example.at")
    assert build(write_content(tmp_path, NETWORK, "a.yaml"), tmp_path / "a", "ics") == 0
    assert build(write_content(tmp_path, other, "b.yaml"), tmp_path / "b", "ics") == 0
    ours, theirs = (invitations(tmp_path / name)["en"] for name in ("a", "b"))
    assert ours.name == theirs.name  # the same slug ...
    assert read_event(ours)["uid"] != read_event(theirs)["uid"]  # ... yet two events


def test_organizer_falls_back_to_the_mail_sender_then_no_method(tmp_path: Path) -> None:
    no_contacts = NETWORK[: NETWORK.index("media_contacts:")]
    sender = no_contacts + """mail: {from: '"Werkstatt-Netz, Presse" <presse@wn.example.de>'}\n"""
    assert build(write_content(tmp_path, sender, "a.yaml"), tmp_path / "a", "ics") == 0
    for path in invitations(tmp_path / "a").values():
        assert str(read_event(path)["organizer"]) == "mailto:presse@wn.example.de"
    # No address anywhere: a plain RFC 5545 calendar file, without METHOD:PUBLISH
    # (which would need an ORGANIZER); calendars import it all the same.
    assert build(write_content(tmp_path, no_contacts, "b.yaml"), tmp_path / "b", "ics") == 0
    for path in invitations(tmp_path / "b").values():
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert "method" not in calendar and "organizer" not in read_event(path)
        assert read_event(path)["uid"]


# -- the 1st of a month --------------------------------------------------------------

PROGRAMME = """\
languages: [{language}]
issuer:
  name: Northwind Maker Spaces
  website: https://northwind.example.org
headline: Twelve maker spaces open their doors
dateline:
  city: Leeds
  date: 2027-02-01
lead: The network opens every space to the public for a day.
event:
  name: Open day
  date: "{date}"
  timezone: Europe/London
media_contacts:
  - name: Ada Quill
    email: press@northwind.example.org
"""


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
@pytest.mark.parametrize("date", ["2027-03-01", "2027-03-01 18:30"])
def test_an_event_on_the_first_of_a_month_builds_in_every_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, date: str
) -> None:
    content = write_content(tmp_path, PROGRAMME.format(language=language, date=date))
    assert main(["check", str(content)]) == 0
    assert main(["build", str(content), "-o", str(tmp_path / "out"), "--format", "html"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    (release,) = load_all(content)
    event = build_view(release).event
    assert event is not None
    when = event.facts[0].value
    assert when is not None and "2027" in when
    html = next((tmp_path / "out").rglob("*.html")).read_text(encoding="utf-8")
    assert when in html.replace("&#39;", "'")


FIRST = """\
languages: [{lang}]
issuer: {{name: Río Abierto, website: "https://rio-abierto.example.org"}}
headline: Río Abierto opens its doors
dateline: {{city: {city}, date: 2025-03-01}}
lead: Río Abierto opens its doors to the press.
event:
  name: Open day
  date: {date}
  place: {{name: Casa del Río, city: {city}}}
"""
CITIES = {"en": "London", "fr": "Paris", "de": "Berlin", "es": "Madrid"}


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es"])
def test_the_first_of_the_month_in_the_page_and_the_invitation(tmp_path: Path, lang: str) -> None:
    """The strings' first-of-the-month pattern is the one used (French writes the 1st
    as an ordinal), and the invitation is on that day, in the city's zone."""
    text = FIRST.format(lang=lang, city=CITIES[lang], date="2025-06-01 18:30")
    content = write_content(tmp_path, text)
    assert build(content, tmp_path / "out", "html", "ics") == 0
    (release,) = load_all(content)
    words = theme_strings(lang)
    day = format_date(
        dt.date(2025, 6, 1), words["event_day_first_of_month_format"], locale=release.locale
    )
    page = (tmp_path / "out" / release.file_stem / lang / f"{release.file_stem}.html").read_text()
    assert day[:1].upper() + day[1:] in page
    if lang == "fr":
        assert "1er juin 2025" in page
    (ics,) = invitations(tmp_path / "out").values()
    start = read_event(ics).decoded("dtstart")
    assert start.day == 1 and start.hour == 18
    assert start.tzinfo is not None and CITIES[lang] in str(start.tzinfo).replace("_", " ")


def test_a_newsroom_with_an_event_on_the_first(tmp_path: Path) -> None:
    text = FIRST.format(lang="fr", city="Paris", date="2025-06-01 18:30")
    content = write_content(tmp_path, text)
    assert main(["site", str(content), "-o", str(tmp_path / "site"), "-q"]) == 0
    (page,) = (tmp_path / "site" / "fr").glob("rio-*.html")
    assert "1er juin 2025" in page.read_text()


# -- practical information ---------------------------------------------------------


def pdf_words(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def docx_words(path: Path) -> str:
    return " ".join(" ".join(p.text for p in docx.Document(str(path)).paragraphs).split())


@pytest.mark.parametrize(
    ("date", "place"),
    [
        ("early 2025-06", "to be defined"),  # what the issue saw
        ("to be defined", "to be defined"),
        ("2025-06", "{name: Alte Kesselhalle, city: Berlin}"),
    ],
)
def test_practical_information_says_once_what_is_unknown(
    tmp_path: Path, date: str, place: str
) -> None:
    """Each row says what is known or "To be defined"; the note under them only adds
    what no row says (an approximate date's exact day), never "date and place"."""
    text = re.sub(r"  date: .*\n  end: .*\n", f"  date: {date}\n", NETWORK)
    text = re.sub(r"  place: .*\n", f"  place: {place}\n", text)
    content = write_content(tmp_path, text)
    assert build(content, tmp_path / "out", "pdf", "docx") == 0
    for release in load_all(content):
        view = build_view(release)
        words = theme_strings(release.language)
        assert view.event is not None
        stem = tmp_path / "out" / release.file_stem / release.language / release.file_stem
        documents = {
            "PDF": pdf_words(stem.with_suffix(".pdf")),
            "Word": docx_words(stem.with_suffix(".docx")),
        }
        values = [fact.value for fact in view.event.facts]
        undefined_rows = values.count(words["date_undefined"])
        approximate = date != "to be defined"
        assert (view.event.note == words["date_to_be_defined"]) is approximate
        for name, shown in documents.items():
            for value in filter(None, values):
                assert value in shown, (name, value)
            assert shown.count(words["date_undefined"]) == undefined_rows, name
            assert shown.count(words["date_to_be_defined"]) == int(approximate), name
            assert words["place_to_be_defined"] not in shown, name


# -- revisions -----------------------------------------------------------------------


def moment(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp())


def test_invitation_moves_with_the_content_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = write_content(tmp_path, NETWORK)
    out = tmp_path / "out"
    assert build(content, out, "ics", "html") == 0
    first = {lang: path.read_bytes() for lang, path in invitations(out).items()}
    dateline = dt.datetime(2025, 5, 5, tzinfo=dt.UTC)  # published: midnight UTC on its date
    for data in first.values():
        event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
        assert event["sequence"] == 0 and event.decoded("dtstamp") == dateline

    # The same content again (a comment added, a format more): the same bytes.
    write_content(tmp_path, "# checked by the press office\n" + NETWORK)
    assert build(content, out, "ics", "html", "pdf") == 0
    assert {lang: p.read_bytes() for lang, p in invitations(out).items()} == first

    # The lead corrected in English only: the English invitation is revision 1, dated
    # when it was corrected; the German one is as it was.
    corrected_at = "2025-05-06T14:30:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(moment(corrected_at)))
    write_content(tmp_path, NETWORK.replace("share machines", "share their machines"))
    assert build(content, out, "ics", "html") == 0
    second = {lang: path.read_bytes() for lang, path in invitations(out).items()}
    assert second["de"] == first["de"]
    english = read_event(invitations(out)["en"])
    assert english["sequence"] == 1
    assert english.decoded("dtstamp") == dt.datetime.fromisoformat(corrected_at)
    assert english["uid"] == read_event(invitations(out)["de"])["uid"]

    # Built again later, unchanged: still revision 1, the same bytes.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(moment("2025-05-09T09:00:00+00:00")))
    assert build(content, out, "ics", "html") == 0
    assert {lang: p.read_bytes() for lang, p in invitations(out).items()} == second

    # The zone is part of what the invitation shows: changing it is a correction too.
    zoned = NETWORK.replace("share machines", "share their machines").replace(
        '  end: "21:00"\n', '  end: "21:00"\n  timezone: Europe/Vienna\n'
    )
    write_content(tmp_path, zoned)
    assert build(content, out, "ics") == 0
    assert read_event(invitations(out)["de"])["sequence"] == 1
    assert read_event(invitations(out)["en"])["sequence"] == 2


@pytest.mark.parametrize("damage", ["truncated", "fifo", "link to /dev/zero", "huge"])
def test_a_damaged_record_starts_again_without_an_error(tmp_path: Path, damage: str) -> None:
    """The record is presskit's own file in the output folder: garbled, replaced by a
    FIFO (which would block a reader), a link to an endless device or an oversized
    file, it is set aside and the versions start again at revision 0, at once."""
    content = write_content(tmp_path, NETWORK)
    out = tmp_path / "out"
    assert build(content, out, "ics") == 0
    (record,) = (out / "werkstatt-netz").glob(".presskit-revisions.json")
    before = {lang: path.read_bytes() for lang, path in invitations(out).items()}
    record.unlink()
    if damage == "truncated":
        record.write_text('{"versions": {"de": {"digest": 1, "revision": "x"')
    elif damage == "fifo":
        os.mkfifo(record)
    elif damage == "link to /dev/zero":
        record.symlink_to("/dev/zero")
    else:
        record.write_bytes(b" " * 2_000_000)
    assert build(content, out, "ics") == 0
    assert {lang: p.read_bytes() for lang, p in invitations(out).items()} == before
    assert record.is_file() and not record.is_symlink()
    assert json.loads(record.read_text())["versions"]["de"]["revision"] == 0


def logo(path: Path, colour: str) -> None:
    Image.new("RGB", (600, 200), colour).save(path)


def test_the_same_content_from_another_folder_is_the_same_version(tmp_path: Path) -> None:
    """What a version shows is compared, not where its files are: the content and its
    picture moved to another folder build the same revision."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        logo(tmp_path / folder / "logo.png", "teal")
    text = NETWORK.replace(
        "  website: https://werkstatt-netz.example.de\n",
        "  website: https://werkstatt-netz.example.de\n"
        "  logo: {file: logo.png, alt: Werkstatt-Netz}\n",
    )
    out = tmp_path / "out"
    assert build(write_content(tmp_path / "a", text), out, "ics") == 0
    before = {lang: path.read_bytes() for lang, path in invitations(out).items()}
    assert build(write_content(tmp_path / "b", text), out, "ics") == 0
    assert {lang: p.read_bytes() for lang, p in invitations(out).items()} == before
    # The picture itself is part of what is shown: another logo is a correction.
    logo(tmp_path / "b" / "logo.png", "orange")
    assert build(tmp_path / "b" / "release.yaml", out, "ics") == 0
    assert read_event(invitations(out)["en"])["sequence"] == 1


def newsroom(tmp_path: Path, content: Path) -> dict[str, bytes]:
    site = tmp_path / "site"
    assert main(["site", str(content), "-o", str(site), "--base-url", BASE, "-q"]) == 0
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.suffix in {".atom", ".xml", ".html", ".ics"}
    }


def feed_entry(files: dict[str, bytes], language: str) -> feedparser.FeedParserDict:
    (entry,) = feedparser.parse(files[f"{language}/feed.atom"]).entries
    return entry


def json_ld(files: dict[str, bytes], page: str) -> dict[str, str]:
    script = re.search(rb'<script type="application/ld\+json">(.*?)</script>', files[page], re.S)
    assert script is not None
    data: dict[str, str] = json.loads(script.group(1))
    return data


def lastmod(files: dict[str, bytes], page: str) -> str:
    names = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for url in ET.fromstring(files["sitemap.xml"]).findall("s:url", names):
        if url.findtext("s:loc", namespaces=names) == BASE + page:
            return str(url.findtext("s:lastmod", namespaces=names))
    raise AssertionError(f"{page} not in the sitemap")


def test_newsroom_dates_move_with_the_content_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = write_content(tmp_path, NETWORK)
    first = newsroom(tmp_path, content)
    page = "en/werkstatt-netz.html"
    published = "2025-05-05T00:00:00+00:00"
    assert json_ld(first, page)["dateModified"] == json_ld(first, page)["datePublished"]
    assert feed_entry(first, "en").updated == feed_entry(first, "en").published

    # Rebuilt unchanged: every page, feed, sitemap and invitation the same bytes.
    assert newsroom(tmp_path, content) == first
    # The content file touched without a visible change (the kit is built again).
    write_content(tmp_path, NETWORK + "# reviewed\n")
    assert newsroom(tmp_path, content) == first

    corrected_at = "2025-05-07T10:15:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(moment(corrected_at)))
    write_content(tmp_path, NETWORK.replace("share machines", "share their machines"))
    second = newsroom(tmp_path, content)
    corrected = dt.datetime.fromisoformat(corrected_at)
    entry = feed_entry(second, "en")
    assert dt.datetime.fromisoformat(entry.updated) == corrected
    assert dt.datetime.fromisoformat(entry.published) == dt.datetime.fromisoformat(published)
    feed = feedparser.parse(second["en/feed.atom"]).feed
    assert dt.datetime.fromisoformat(feed.updated) == corrected
    assert dt.datetime.fromisoformat(json_ld(second, page)["dateModified"]) == corrected
    assert json_ld(second, page)["datePublished"] == published
    assert dt.datetime.fromisoformat(lastmod(second, page)) == corrected
    # The German version did not change: its dates stay.
    assert feed_entry(second, "de").updated == feed_entry(first, "de").updated
    assert lastmod(second, "de/werkstatt-netz.html") == lastmod(first, "de/werkstatt-netz.html")
    ics = icalendar.Calendar.from_ical(second["files/werkstatt-netz/en/werkstatt-netz-en.ics"])
    assert ics.walk("VEVENT")[0]["sequence"] == 1

    # Later, unchanged: nothing moves.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(moment("2025-05-20T08:00:00+00:00")))
    assert newsroom(tmp_path, content) == second
