"""Property-based: importing the Word file presskit built changes nothing.

For any content the loader accepts (the strategies of the build property test), and
for every language of it, ``import(build(content))`` finds no change, reports nothing
and leaves the content file byte for byte as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.errors import ContentError
from presskit.loader import load_all
from presskit.render.docx import render_docx
from presskit.view import build_view
from presskit.wordimport.importer import import_word

from .test_properties import releases

IMPORTED: list[int] = []


def bilingual(data: dict[str, object]) -> dict[str, object]:
    """Give some values per language, as real content does."""
    data = dict(data)
    data["languages"] = ["en", "fr"]
    for key in ("headline", "lead"):
        data[key] = {"en": data[key], "fr": data[key]}
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=releases, two_languages=st.booleans())
def test_importing_what_presskit_built_changes_nothing(
    data: dict[str, object], two_languages: bool
) -> None:
    data = {**data, "author": data["headline"]}  # refusals are the other test's business
    if two_languages:
        data = bilingual(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "release.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        before = path.read_bytes()
        try:
            built = load_all(path)
        except ContentError:
            return
        for release in built:
            word = Path(folder) / f"{release.language}.docx"
            word.write_bytes(render_docx(build_view(release)))
            report = import_word(word, path)
            assert report.changes == [], report.changes
            assert report.notes == [], report.notes
        assert path.read_bytes() == before
        IMPORTED.append(1)


def test_the_property_test_imported_most_examples() -> None:
    assert len(IMPORTED) >= 12, len(IMPORTED)
