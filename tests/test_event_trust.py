"""The event and its invitation, tried as a user would: dates on the first of a month in
every language, the practical information worded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.cli import main
from presskit.loader import load_all
from presskit.view import build_view
from tests.conftest import write_content

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
