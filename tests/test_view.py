"""Wording derived from the model: labels, dates by precision, release line."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.view import build_view

from .conftest import MINIMAL, load_text

EVENT = """\
event:
  name: Afterwork
  date: {date}
  place: {place}
"""


@pytest.mark.parametrize(
    ("date", "place", "when", "where", "note"),
    [
        (
            "early 2019-05",
            "to be defined",
            "Early May 2019",
            "To be defined",
            "Date and place to be defined",
        ),
        (
            "mid 2019-05",
            "Euratechnologies",
            "Mid-May 2019",
            "Euratechnologies",
            "Exact date to be defined",
        ),
        ("late 2019-05", "TBD", "Late May 2019", "To be defined", "Date and place to be defined"),
        ("2019-05", "Euratechnologies", "May 2019", "Euratechnologies", "Exact date to be defined"),
        (
            "2019-05-07",
            "to be defined",
            "Tuesday 7 May 2019",
            "To be defined",
            None,
        ),
        (
            "2019-05-07 18:30",
            "Euratechnologies",
            "Tuesday 7 May 2019, 18:30",
            "Euratechnologies",
            None,
        ),
        ("to be defined", "to be defined", "To be defined", "To be defined", None),
    ],
)
def test_event_dates_are_worded_from_their_precision(
    content_dir: Path, date: str, place: str, when: str, where: str, note: str | None
) -> None:
    release = load_text(content_dir, MINIMAL + EVENT.format(date=date, place=place))
    event = build_view(release).event
    assert event is not None
    facts = {f.label: f.value for f in event.facts}
    assert facts == {"When": when, "Where": where}
    assert event.note == note


def test_impossible_day_is_refused(content_dir: Path) -> None:
    from presskit.errors import ContentError

    with pytest.raises(ContentError) as caught:
        load_text(content_dir, MINIMAL + EVENT.format(date="2019-02-30", place="x"))
    assert "event.date: Value error, 2019-02-30 is not a real date" not in str(caught.value)
    assert "event.date: 2019-02-30 is not a real date" in str(caught.value)


@pytest.mark.parametrize(
    ("embargo", "line"),
    [
        (None, "For immediate release"),
        ("2019-04-03 09:00 Europe/Paris", "Embargoed until 3 April 2019, 09:00 CEST"),
        ("2019-12-03T09:00+01:00", "Embargoed until 3 December 2019, 09:00 GMT+01:00"),
    ],
)
def test_release_line(content_dir: Path, embargo: str | None, line: str) -> None:
    extra = f"release:\n  embargo_until: {embargo}\n" if embargo else ""
    view = build_view(load_text(content_dir, MINIMAL + extra))
    assert view.release_line == line


def test_embargo_needs_a_time_zone(content_dir: Path) -> None:
    from presskit.errors import ContentError

    with pytest.raises(ContentError) as caught:
        load_text(content_dir, MINIMAL + "release:\n  embargo_until: 2019-04-03 09:00\n")
    assert "release.embargo_until: add a time zone, e.g. 2019-04-03 09:00 Europe/Paris" in str(
        caught.value
    )


def test_a_time_the_clocks_skip_is_refused(content_dir: Path) -> None:
    from presskit.errors import ContentError

    with pytest.raises(ContentError) as caught:
        load_text(
            content_dir, MINIMAL + "release:\n  embargo_until: 2019-03-31 02:30 Europe/Paris\n"
        )
    assert "2019-03-31 02:30 does not exist in Europe/Paris: the clocks go forward then" in str(
        caught.value
    )


def test_ecosystem_labels_are_derived(content_dir: Path) -> None:
    text = MINIMAL + (
        "ecosystems:\n"
        "  - {kind: capital, territory: Lille, area: région Hauts-de-France}\n"
        "  - {kind: community, territory: Artois}\n"
        "  - {kind: community, territory: Bordeaux, programme: Green Tech}\n"
    )
    view = build_view(load_text(content_dir, text))
    assert [e.label for e in view.ecosystems] == [
        "Capitale French Tech Lille",
        "Communauté French Tech Artois",
        "Communauté Green Tech Bordeaux",
    ]
    assert view.ecosystem_columns == ["ecosystem"]
