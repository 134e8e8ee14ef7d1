"""A --theme folder holding only some parts: the rest comes from the built-in theme."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from presskit.assets.resources import TEMPLATES_DIR
from presskit.cli import main
from presskit.kit.build import build
from presskit.render.docx import REQUIRED_STYLES
from presskit.render.view import build_view, theme_strings
from presskit.theme import wording
from presskit.theme.folder import Theme
from presskit.util.errors import BuildError

from .conftest import MINIMAL, docx_text, pdf_text, squash, write_content


def test_a_theme_with_one_strings_file_changes_one_word(content_dir: Path, tmp_path: Path) -> None:
    theme_dir = tmp_path / "theme"
    (theme_dir / "strings").mkdir(parents=True)
    (theme_dir / "strings" / "en.yaml").write_text("press_release: News release\n", "utf-8")
    path = write_content(content_dir, MINIMAL)
    result = build(path, tmp_path / "out", ["pdf", "docx"], theme=theme_dir)
    paths = {o.format: o.path for o in result.outputs}
    theme = Theme.resolve(theme_dir)
    view = build_view(result.release, theme)
    built_in = theme_strings("en")
    assert view.kind == "News release" != built_in["press_release"]
    assert view.release_line == built_in["immediate_release"]  # the rest, built in
    for text in (pdf_text(paths["pdf"]), docx_text(paths["docx"])):
        assert squash("News release") in squash(text)
        assert squash(built_in["press_release"]) not in squash(text)
        assert squash(built_in["immediate_release"]) in squash(text)
    assert theme.stylesheet == TEMPLATES_DIR / "press-release.css"
    assert theme.reference_docx == TEMPLATES_DIR / "reference.docx"


def test_a_reference_docx_lacking_styles_is_refused_by_name(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theme_dir = tmp_path / "theme"
    theme_dir.mkdir()
    reference = docx.Document(str(TEMPLATES_DIR / "reference.docx"))
    dropped = ["Fact Label", "Ecosystem Label"]
    for name in dropped:
        element = reference.styles[name].element
        element.getparent().remove(element)
    reference.save(str(theme_dir / "reference.docx"))
    path = write_content(content_dir, MINIMAL)
    out = tmp_path / "out"
    code = main(["build", str(path), "-o", str(out), "--theme", str(theme_dir)])
    error = capsys.readouterr().err
    assert code == 2
    assert f"{theme_dir / 'reference.docx'}: the Word styles file lacks 2 styles" in error
    assert "presskit uses: Practical Information Note" not in error
    assert f"uses: {', '.join(n for n in REQUIRED_STYLES if n in dropped)};" in error
    assert "Traceback" not in error and "KeyError" not in error
    assert not out.exists()


def test_a_reference_docx_that_is_not_one_is_refused(content_dir: Path, tmp_path: Path) -> None:
    theme_dir = tmp_path / "theme"
    theme_dir.mkdir()
    (theme_dir / "reference.docx").write_bytes(b"not a zip")
    path = write_content(content_dir, MINIMAL)
    with pytest.raises(BuildError, match="not a usable Word template"):
        build(path, tmp_path / "out", theme=theme_dir)
    assert not (tmp_path / "out").exists()


def test_a_theme_stylesheet_and_strings_for_another_language(
    content_dir: Path, tmp_path: Path
) -> None:
    theme_dir = tmp_path / "theme"
    (theme_dir / "strings").mkdir(parents=True)
    (theme_dir / "strings" / "es.yaml").write_text(
        "press_release: Nota de prensa\nundefined_words: [por definir]\n", "utf-8"
    )
    (theme_dir / "press-release.css").write_text("body { color: black }\n", "utf-8")
    text = MINIMAL + "languages: [es]\nevent: {name: Jornada, date: por definir}\n"
    path = write_content(content_dir, text)
    result = build(path, tmp_path / "out", ["html"], theme=theme_dir)
    html = result.outputs[0].path.read_text("utf-8")
    assert "Nota de prensa" in html
    assert "body { color: black }" in html
    assert result.release.event is not None and not result.release.event.date.defined


def test_a_missing_theme_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = str(TEMPLATES_DIR.parent / "examples" / "french-tech-hauts-de-france-2019.yaml")
    assert main(["build", example, "-o", str(tmp_path), "--theme", str(tmp_path / "nope")]) != 0
    assert f"theme folder {tmp_path / 'nope'} not found" in capsys.readouterr().err


def test_a_broken_strings_file_in_a_theme_is_named(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theme_dir = tmp_path / "theme"
    (theme_dir / "strings").mkdir(parents=True)
    strings_file = theme_dir / "strings" / "en.yaml"
    strings_file.write_text("press_release: [News, release]\n", "utf-8")
    path = write_content(content_dir, MINIMAL)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out), "--theme", str(theme_dir)]) != 0
    error = capsys.readouterr().err
    assert f"{strings_file.resolve()}: press_release: write the text on one line" in error
    assert "Traceback" not in error
    assert not out.exists()


def test_an_edited_strings_file_is_read_again(tmp_path: Path) -> None:
    """The preview rebuilds on every change: an edited word must show at once."""
    theme_dir = tmp_path / "theme"
    (theme_dir / "strings").mkdir(parents=True)
    strings_file = theme_dir / "strings" / "en.yaml"
    strings_file.write_text("press_release: News release\n", "utf-8")
    theme = Theme.resolve(theme_dir)
    assert theme_strings("en", theme)["press_release"] == "News release"
    strings_file.write_text("press_release: Media release\nundefined_words: [pending]\n", "utf-8")
    os.utime(strings_file, ns=(1, 1))  # a different time, however fast the test runs
    assert theme_strings("en", theme)["press_release"] == "Media release"
    assert "pending" in wording.date_words(("en",), theme).undefined


def test_style_ids_are_those_of_each_themes_reference_docx(
    content_dir: Path, tmp_path: Path
) -> None:
    """The Word renderer remembers which style id each name has, per reference file:
    two references in one process, one whose "Lead" style has another id, each get
    their own."""
    theme_dir = tmp_path / "theme"
    theme_dir.mkdir()
    reference = docx.Document(str(TEMPLATES_DIR / "reference.docx"))
    reference.styles["Lead"].style_id = "ThemeLead"
    reference.save(str(theme_dir / "reference.docx"))
    path = write_content(content_dir, MINIMAL)
    ids = {}
    for name, theme in (("built-in", None), ("theme", theme_dir), ("built-in again", None)):
        result = build(path, tmp_path / name, ["docx"], theme=theme)
        document = docx.Document(str(result.outputs[0].path))
        [lead] = [p for p in document.paragraphs if p.text == "The lead paragraph."]
        ids[name] = lead._p.pPr.pStyle.val
    assert ids == {"built-in": "Lead", "theme": "ThemeLead", "built-in again": "Lead"}
