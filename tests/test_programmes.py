"""Releases unlike the built-in example, built to PDF and Word and read back: an
English release of another programme (tests/fixtures/edih) and a German one
(tests/fixtures/german). Expected text comes from the content, the view or the
strings files, never from the example."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.dates import format_date

from presskit.assets.resources import TEMPLATES_DIR
from presskit.content.model import DatePrecision, PressRelease
from presskit.content.typography import typeset_text
from presskit.kit.build import build
from presskit.kit.review import review
from presskit.render.view import ReleaseView, build_view, theme_strings
from presskit.util import yamlstrict
from presskit.util.errors import ContentError

from .conftest import MINIMAL, docx_text, load_text, pdf_text, squash

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Built:
    release: PressRelease
    view: ReleaseView
    pdf: str
    docx: str
    kit: Path


def build_fixture(name: str, out: Path) -> Built:
    result = build(FIXTURES / name / "release.yaml", out)
    paths = {o.format: o.path for o in result.outputs}
    view = build_view(result.release)
    return Built(
        result.release, view, pdf_text(paths["pdf"]), docx_text(paths["docx"]), paths["zip"]
    )


@pytest.fixture(scope="module")
def edih(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture("edih", tmp_path_factory.mktemp("edih"))


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_fixture("german", tmp_path_factory.mktemp("german"))


def in_both(built: Built, text: str) -> None:
    assert squash(text) in squash(built.pdf), f"PDF lacks {text!r}"
    assert squash(text) in squash(built.docx), f"DOCX lacks {text!r}"


def test_another_programme_forms_its_own_labels(edih: Built) -> None:
    release = edih.release
    assert len(release.ecosystems) == 3
    expected = [
        e.label or release.labels[e.kind or ""].format(territory=e.territory, area=e.area)
        for e in release.ecosystems
    ]
    assert [e.label for e in edih.view.ecosystems] == [typeset_text(x, "en") for x in expected]
    for label in edih.view.ecosystems:
        in_both(edih, label.label)
    assert release.ecosystems[2].label is not None  # one hub gives its own label
    assert release.ecosystems_heading is not None
    assert edih.view.ecosystems_heading == release.ecosystems_heading
    in_both(edih, release.ecosystems_heading)
    for word in ("French Tech", "Communauté", "Capitale"):
        assert word not in edih.pdf and word not in edih.docx


def test_another_programme_is_worded_in_english(edih: Built) -> None:
    words = theme_strings("en")
    in_both(edih, words["press_release"])
    in_both(edih, words["place_undefined"])
    event = edih.release.event
    assert event is not None and event.place is None  # "TBC" is an English "to be defined"
    assert event.date.precision is DatePrecision.MID_MONTH
    month = format_date(event.date.as_date(), words["month_format"], locale="en_GB")
    in_both(edih, words["mid_month"].format(month=month).capitalize())


def test_the_kit_captions_are_typeset_and_worded(edih: Built) -> None:
    with zipfile.ZipFile(edih.kit) as kit:
        captions = kit.read("photos/captions-en.txt").decode("utf-8")
    words = theme_strings("en")
    photo = edih.release.photos[0]
    assert "'" in photo.caption + photo.credit  # written with straight apostrophes
    assert typeset_text(photo.caption, "en") in captions
    credit = words["label_colon"].format(label=words["credit"])
    assert f"{credit} {typeset_text(photo.credit, 'en')}" in captions
    assert "'" not in captions


def test_a_german_release_reads_in_german(german: Built) -> None:
    written = yamlstrict.parse((TEMPLATES_DIR / "strings" / "de.yaml").read_text("utf-8")).data
    assert german.view.kind == written["press_release"]
    in_both(german, written["press_release"])
    in_both(german, written["immediate_release"])
    in_both(german, written["ecosystems"])  # the content gives no heading of its own
    dateline = german.release.dateline
    babel_date = format_date(dateline.date, written["date_first_of_month_format"], locale="de_DE")
    assert babel_date in german.view.dateline
    in_both(german, babel_date)
    event = german.release.event
    assert event is not None and event.place is None  # "noch offen"
    assert event.date.precision is DatePrecision.EARLY_MONTH  # "anfang 2026-11"
    month = format_date(event.date.as_date(), written["month_format"], locale="de_DE")
    in_both(german, written["early_month"].format(month=month))
    for e, shown in zip(german.release.ecosystems, german.view.ecosystems, strict=True):
        assert shown.label == german.release.labels[e.kind or ""].format(
            territory=e.territory, area=e.area
        )
        in_both(german, shown.label)


def test_date_words_are_those_of_the_contents_languages(content_dir: Path) -> None:
    event = "event: {name: Tag, date: anfang 2026-11, place: noch offen}\n"
    with pytest.raises(ContentError) as caught:
        load_text(content_dir, MINIMAL + event)
    english = theme_strings("en")
    assert "event.date: write a date as 2019-05-07" in str(caught.value)
    assert "'to be defined'" in str(caught.value)
    german = load_text(content_dir, MINIMAL + "languages: [de]\n" + event)
    assert german.event is not None and german.event.place is None
    assert german.event.date.precision is DatePrecision.EARLY_MONTH
    both = load_text(
        content_dir, MINIMAL + "languages: [fr, de]\n" + event.replace("anfang", "début")
    )
    assert both.event is not None and both.event.date.precision is DatePrecision.EARLY_MONTH
    assert english["early_month"] == "early {month}"


def test_a_language_without_wording_reads_as_english(content_dir: Path, tmp_path: Path) -> None:
    path = content_dir / "release.yaml"
    path.write_text(MINIMAL + "languages: [es]\n", encoding="utf-8")
    result = build(path, tmp_path / "out", ["docx"])
    view = build_view(result.release)
    english = theme_strings("en")
    assert view.kind == english["press_release"]
    assert view.release_line == english["immediate_release"]
    assert view.language_tag == "es-ES"
    spanish_date = format_date(result.release.dateline.date, english["date_format"], locale="es_ES")
    assert spanish_date in view.dateline  # the words are English, the date Spanish
    assert squash(view.kind) in squash(docx_text(result.outputs[0].path))
    [warning] = [f for f in review(path, pages=False) if f.key_path == "languages[0]"]
    assert "the theme has no wording for 'es'" in warning.message
    assert f'"{english["press_release"]}"' in warning.message


def test_no_programme_is_named_in_python() -> None:
    """The example's programme lives in its YAML; no module names it."""
    source = Path(__file__).resolve().parent.parent / "src"
    naming = [
        str(path.relative_to(source))
        for path in sorted(source.rglob("*.py"))
        if "french tech" in path.read_text(encoding="utf-8").casefold()
    ]
    assert naming == []
