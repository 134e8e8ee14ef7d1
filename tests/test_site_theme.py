"""A theme restyles the newsroom as it does the documents: its ``site/`` templates and
``site.css``, its strings, and the kits' own parts, each missing part taken from the
built-in theme; a mistake in its templates is named with the template and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.assets.resources import TEMPLATES_DIR
from presskit.cli import main
from presskit.newsroom import build_site
from presskit.util.errors import PresskitError

from .test_site_trust import NOW, PAST, write_release

MARK = "Quayside Bulletin"


def theme_folder(folder: Path) -> Path:
    """A theme with its own newsroom stylesheet and one word of its own."""
    (folder / "site").mkdir(parents=True)
    css = (TEMPLATES_DIR / "site" / "site.css").read_text(encoding="utf-8")
    (folder / "site" / "site.css").write_text(css + "\n/* quayside */\n", encoding="utf-8")
    (folder / "strings").mkdir()
    (folder / "strings" / "en.yaml").write_text(f"site_releases: {MARK}\n", encoding="utf-8")
    return folder


def test_a_theme_restyles_the_newsroom_and_a_change_of_it_is_seen(tmp_path: Path) -> None:
    write_release(tmp_path / "releases", {"en": (None, PAST)}, slug="quay")
    theme = theme_folder(tmp_path / "theme")
    site = tmp_path / "site"
    build_site([tmp_path / "releases"], site, now=NOW, theme=theme)
    assert (site / "style.css").read_bytes() == (theme / "site" / "site.css").read_bytes()
    assert MARK in (site / "en" / "index.html").read_text(encoding="utf-8")
    (theme / "strings" / "en.yaml").write_text("site_releases: Harbour wire\n", encoding="utf-8")
    again = build_site([tmp_path / "releases"], site, now=NOW, theme=theme)
    assert again.built == ["harbour-quay"]  # the theme's words are the kits' words too
    assert "Harbour wire" in (site / "en" / "index.html").read_text(encoding="utf-8")
    plain = build_site([tmp_path / "releases"], site, now=NOW)
    assert plain.built == ["harbour-quay"]
    assert (site / "style.css").read_bytes() == (TEMPLATES_DIR / "site" / "site.css").read_bytes()


def test_a_mistake_in_a_newsroom_template_names_the_template_and_line(tmp_path: Path) -> None:
    write_release(tmp_path / "releases", {"en": (None, PAST)}, slug="quay")
    theme = theme_folder(tmp_path / "theme")
    (theme / "site" / "index.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block body %}\n{{ no_such_name.x }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(PresskitError, match=r"template index\.html\.j2, line 3"):
        build_site([tmp_path / "releases"], tmp_path / "site", now=NOW, theme=theme)


def test_the_command_line_takes_the_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_release(tmp_path / "releases", {"en": (None, PAST)}, slug="quay")
    theme = theme_folder(tmp_path / "theme")
    monkeypatch.setenv("PRESSKIT_STATE_DIR", str(tmp_path / "state"))
    site = tmp_path / "site"
    args = ["site", str(tmp_path / "releases"), "-o", str(site), "--theme", str(theme), "-q"]
    assert main(args) == 0
    assert MARK in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_a_syntax_mistake_in_a_newsroom_template_leaves_the_site_as_it_was(
    tmp_path: Path,
) -> None:
    """Found before any kit is built: the published folder is not touched."""
    release = write_release(tmp_path / "releases", {"en": (None, PAST)}, slug="quay")
    site = tmp_path / "site"
    build_site([tmp_path / "releases"], site, now=NOW)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    release.write_text(release.read_text().replace("opens twelve", "opens thirteen"))
    theme = theme_folder(tmp_path / "theme")
    (theme / "site" / "kit.html.j2").write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(PresskitError, match=r"template kit\.html\.j2, line 1"):
        build_site([tmp_path / "releases"], site, now=NOW, theme=theme)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
