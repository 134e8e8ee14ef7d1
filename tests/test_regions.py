"""A language's default region is data (``templates/regions.yaml``): it tags the
documents and sets the locale of their dates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from presskit.assets.resources import TEMPLATES_DIR
from presskit.cli import main
from presskit.content.model import babel_locale

from .conftest import MINIMAL, load_text, write_content

TABLE: dict[str, str] = yaml.safe_load((TEMPLATES_DIR / "regions.yaml").read_text("utf-8"))


def with_language(language: str) -> str:
    return MINIMAL.replace("issuer:", f"languages: [{language}]\nissuer:")


@pytest.mark.parametrize("language", sorted(TABLE))
def test_every_listed_language_takes_its_region(content_dir: Path, language: str) -> None:
    release = load_text(content_dir, with_language(language))
    assert release.language_tag == TABLE[language]
    assert release.locale == babel_locale(TABLE[language])


@pytest.mark.parametrize("language", ["en-US", "pt", "fr-CA"])
def test_a_region_written_or_a_language_not_listed_stays_as_written(
    content_dir: Path, language: str
) -> None:
    assert language not in TABLE
    assert load_text(content_dir, with_language(language)).language_tag == language


def test_the_region_tags_the_page(content_dir: Path, tmp_path: Path) -> None:
    language = next(code for code in sorted(TABLE) if code not in ("en", "fr"))
    path = write_content(content_dir, with_language(language))
    assert main(["build", str(path), "-o", str(tmp_path), "--format", "html", "-q"]) == 0
    (page,) = tmp_path.rglob("*.html")
    assert f'<html lang="{TABLE[language]}">' in page.read_text("utf-8")
