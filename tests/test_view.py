"""Wording derived from the model: labels, dates by precision, release line."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.content.loader import load_all
from presskit.render.view import build_view, theme_strings
from presskit.util.errors import ContentError, Problem

from .conftest import MINIMAL, load_text, write_content

EVENT = """\
event:
  name: Afterwork
  date: {date}
  place: {place}
  timezone: Europe/Paris
"""


@pytest.mark.parametrize(
    ("date", "place", "when", "where", "note"),
    [
        (
            "early 2019-05",
            "to be defined",
            "Early May 2019",
            "To be defined",
            "Exact date to be defined",
        ),
        (
            "mid 2019-05",
            "Euratechnologies",
            "Mid-May 2019",
            "Euratechnologies",
            "Exact date to be defined",
        ),
        ("late 2019-05", "TBD", "Late May 2019", "To be defined", "Exact date to be defined"),
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
    from presskit.util.errors import ContentError

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
    from presskit.util.errors import ContentError

    with pytest.raises(ContentError) as caught:
        load_text(content_dir, MINIMAL + "release:\n  embargo_until: 2019-04-03 09:00\n")
    assert "release.embargo_until: add a time zone, e.g. 2019-04-03 09:00 Europe/Paris" in str(
        caught.value
    )


def test_a_time_the_clocks_skip_is_refused(content_dir: Path) -> None:
    from presskit.util.errors import ContentError

    with pytest.raises(ContentError) as caught:
        load_text(
            content_dir, MINIMAL + "release:\n  embargo_until: 2019-03-31 02:30 Europe/Paris\n"
        )
    assert "2019-03-31 02:30 does not exist in Europe/Paris: the clocks go forward then" in str(
        caught.value
    )


def test_ecosystem_labels_are_formed_from_the_contents_forms(content_dir: Path) -> None:
    text = MINIMAL + (
        "labels:\n"
        "  edih: European Digital Innovation Hub {territory}\n"
        "  node: '{territory} node of the {area} network'\n"
        "ecosystems:\n"
        "  - {kind: edih, territory: Leeds City Region, area: Yorkshire}\n"
        "  - {kind: node, territory: Bristol, area: South West}\n"
        "  - {territory: Cardiff, label: Cardiff Digital Partnership}\n"
    )
    release = load_text(content_dir, text)
    view = build_view(release)
    forms, ecosystems = release.labels, release.ecosystems
    assert [e.label for e in view.ecosystems] == [
        forms["edih"].format(territory=ecosystems[0].territory),
        forms["node"].format(territory=ecosystems[1].territory, area=ecosystems[1].area),
        ecosystems[2].label,
    ]
    assert view.ecosystems_heading == theme_strings("en")["ecosystems"]
    assert view.ecosystem_columns == ["ecosystem"]


def test_the_heading_is_content_when_given(content_dir: Path) -> None:
    text = MINIMAL + (
        "languages: [fr, en]\n"
        "labels: {hub: {fr: 'Pôle {territory}', en: '{territory} Hub'}}\n"
        "ecosystems_heading: {fr: Nos pôles, en: Our hubs}\n"
        "ecosystems: [{kind: hub, territory: Lille}]\n"
    )
    path = write_content(content_dir, text)
    french, english = load_all(path)
    assert build_view(french).ecosystems_heading == "Nos pôles"
    assert build_view(english).ecosystems_heading == "Our hubs"
    assert french.ecosystems[0].display_label == "Pôle Lille"
    assert english.ecosystems[0].display_label == "Lille Hub"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("Hub {name}", "unknown placeholder {name}; a label form may use {territory}, {area}"),
        ("Hub {}", "unknown placeholder {}; a label form may use {territory}, {area}"),
        ("Hub {0}", "unknown placeholder {0}; a label form may use {territory}, {area}"),
        ("Hub {territory.__class__}", "unknown placeholder {territory.__class__}"),
        ("Hub {territory[0]}", "unknown placeholder {territory[0]}"),
        ("Hub {territory:>99}", "write the placeholder as {territory}, without ':' or '!'"),
        ("Hub {territory!r}", "write the placeholder as {territory}, without ':' or '!'"),
        ("Hub {territory", "not a label form (expected '}' before end of string)"),
    ],
)
def test_label_forms_are_only_substitutions(content_dir: Path, form: str, message: str) -> None:
    text = MINIMAL + f"labels:\n  hub: '{form}'\necosystems: [{{kind: hub, territory: X}}]\n"
    with pytest.raises(ContentError) as caught:
        load_text(content_dir, text)
    assert f"release.yaml:9: labels.hub: {message}" in str(caught.value)


def test_unknown_kind_names_its_line_and_the_defined_kinds(content_dir: Path) -> None:
    text = MINIMAL + (
        "labels: {edih: 'EDIH {territory}', cluster: '{territory} Cluster'}\n"
        "ecosystems:\n"
        "  - {kind: edih, territory: Leeds}\n"
        "  - {kind: hub, territory: York}\n"
        "  - {kind: cluster, territory: Hull, area: }\n"
        "  - {territory: Bath}\n"
    )
    with pytest.raises(ContentError) as caught:
        load_text(content_dir, text)
    assert caught.value.problems == [
        Problem(
            11,
            "ecosystems[1].kind",
            "unknown kind 'hub': the content's labels define: edih, cluster",
        ),
        Problem(13, "ecosystems[3]", "give a kind (a key of labels) or the ecosystem's own label"),
    ]


def test_a_form_using_the_area_needs_one(content_dir: Path) -> None:
    text = MINIMAL + (
        "labels: {node: '{territory} ({area})'}\n"
        "ecosystems:\n"
        "  - {kind: node, territory: Leeds, area: Yorkshire}\n"
        "  - {kind: node, territory: York}\n"
    )
    with pytest.raises(ContentError) as caught:
        load_text(content_dir, text)
    assert [p.format("r") for p in caught.value.problems] == [
        "r:11: ecosystems[1].area: required: the 'node' label form uses {area}"
    ]
