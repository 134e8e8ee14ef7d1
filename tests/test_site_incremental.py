"""A newsroom brought up to date loads only the content files that changed.

A site of years of releases is rebuilt after each correction: every unchanged release
must come from the site's record (its fingerprint, languages and list entries), never
be read, validated and viewed again. Languages are listed out of alphabetical order,
as a content file may list them, since the record is written with sorted keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.content import loader
from presskit.newsroom import build_site

from .test_site_trust import NOW, PAST, write_release


def releases(folder: Path, count: int) -> list[Path]:
    """``count`` releases in English, then German: the content's order, not sorted."""
    plan = {"en": (None, PAST), "de": (None, PAST)}
    return [write_release(folder, plan, slug=f"hall-{n}") for n in range(count)]


def test_a_rerun_loads_only_the_release_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contents = releases(tmp_path / "releases", 3)
    site = tmp_path / "site"
    first = build_site([tmp_path / "releases"], site, now=NOW)
    assert sorted(first.built) == sorted(f"harbour-hall-{n}" for n in range(3))
    loaded: list[Path] = []
    real_load_all = loader.load_all

    def load_all(path: Path, *args: object, **kwargs: object) -> object:
        loaded.append(path)
        return real_load_all(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_all", load_all)
    unchanged = build_site([tmp_path / "releases"], site, now=NOW)
    assert loaded == [] and unchanged.built == [] and unchanged.written == []
    edited = contents[1]
    edited.write_text(edited.read_text().replace("opens twelve", "opens thirteen"))
    again = build_site([tmp_path / "releases"], site, now=NOW)
    assert loaded == [edited.resolve()]
    assert again.built == ["harbour-hall-1"]
    page = next(site.glob("en/harbour-hall-1*.html"))
    assert "opens thirteen" in page.read_text(encoding="utf-8")


def test_a_folder_of_release_folders_is_a_newsroom_as_for_build(tmp_path: Path) -> None:
    """``presskit site DIR`` reads the ``release.yaml`` of each sub-folder (the layout
    ``presskit new`` makes) beside the folder's own files, as ``presskit build DIR``."""
    plan = {"en": (None, PAST)}
    write_release(tmp_path / "releases", plan, slug="loose")
    nested = write_release(tmp_path / "releases" / "opening", plan, slug="nested")
    nested.rename(nested.with_name("release.yaml"))
    result = build_site([tmp_path / "releases"], tmp_path / "site", now=NOW)
    assert sorted(result.built) == ["harbour-loose", "harbour-nested"]
