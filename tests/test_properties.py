"""Property-based: any text the loader accepts builds PDF, DOCX and HTML, and reads back.

Hypothesis writes content files with arbitrary Unicode in every text field (and lists
of any length within the caps). Each one either fails to load with a ContentError, or
builds all three documents without any other exception; the Word file then carries the
model's text after the documented normalisation (stripped, typeset for the language).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.content.loader import load
from presskit.kit.build import build
from presskit.render.pdf import PdfPool
from presskit.render.view import build_view
from presskit.util.errors import ContentError

from .conftest import examples

# Mostly text the loader accepts (no controls, surrogates or unassigned code points),
# sometimes anything at all: both paths must hold.
_PRINTABLE = st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))
TEXT = st.text(_PRINTABLE, min_size=1, max_size=80)
ANY_TEXT = st.text(min_size=1, max_size=80)
LONG_TEXT = st.text(_PRINTABLE, min_size=1, max_size=400)
BUILT: list[int] = []

releases = st.fixed_dictionaries(
    {
        "languages": st.sampled_from([["en"], ["fr"]]),
        "issuer": st.fixed_dictionaries({"name": TEXT}),
        "headline": TEXT,
        "subheadline": TEXT,
        "dateline": st.fixed_dictionaries({"city": TEXT, "date": st.just("2019-04-03")}),
        "author": st.one_of(TEXT, ANY_TEXT),
        "lead": LONG_TEXT,
        "body": LONG_TEXT,
        "quotes": st.lists(st.fixed_dictionaries({"text": LONG_TEXT, "speaker": TEXT}), max_size=3),
        # Forms of any text around the placeholder; braces in the text are escaped.
        "labels": st.fixed_dictionaries(
            {
                kind: st.builds(
                    lambda text: text.replace("{", "{{").replace("}", "}}") + " {territory}",
                    TEXT,
                )
                for kind in ("capital", "community")
            }
        ),
        "ecosystems": st.lists(
            st.fixed_dictionaries(
                {"kind": st.sampled_from(["capital", "community"]), "territory": TEXT, "area": TEXT}
            ),
            max_size=6,
        ),
        "media_contacts": st.lists(st.fixed_dictionaries({"name": TEXT, "role": TEXT}), max_size=3),
        "end_mark": TEXT,
    }
)

POOL: list[PdfPool] = []


def pool() -> PdfPool:
    """One warm worker for every example (fonts load once)."""
    if not POOL:
        POOL.append(PdfPool(size=1))
    return POOL[0]


@pytest.fixture(scope="module", autouse=True)
def _release_pool() -> Iterator[None]:
    yield
    for workers in POOL:
        workers.close()
    POOL.clear()


def normalised(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=releases)
def test_anything_the_loader_accepts_builds_and_reads_back(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "release.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            release = load(path)
        except ContentError:
            return  # refused with its key path and line: fine
        outputs = {o.format: o.path for o in build(path, Path(folder) / "out", pool=pool()).outputs}
        BUILT.append(1)
        view = build_view(release)
        document = docx.Document(str(outputs["docx"]))
        by_style: dict[str, list[str]] = {}
        for paragraph in document.paragraphs:
            by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
        assert normalised(by_style["Title"][0]) == normalised(view.headline)
        assert normalised(by_style["Subtitle"][0]) == normalised(view.subheadline or "")
        assert normalised(by_style["End Mark"][0]) == normalised(view.end_mark)
        labels = (
            [row.cells[-1].paragraphs[0].text for row in document.tables[0].rows[1:]]
            if view.ecosystems
            else []
        )
        assert [normalised(x) for x in labels] == [normalised(e.label) for e in view.ecosystems]
        assert outputs["pdf"].read_bytes().startswith(b"%PDF")
        assert outputs["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_property_test_built_most_examples() -> None:
    """Guard against a strategy whose examples the loader all refuses."""
    assert len(BUILT) >= 15


@pytest.mark.parametrize(
    "text", ["a\u200bb", "\ufeffa", "e\u0301", "🎉" * 40, "ق" * 80, "x\u00ad" * 5]
)
def test_awkward_unicode_builds(text: str, tmp_path: Path) -> None:
    data = {
        "issuer": {"name": "Org"},
        "headline": text,
        "dateline": {"city": "Lille", "date": "2019-04-03"},
        "lead": text,
    }
    path = tmp_path / "release.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    outputs = {o.format: o.path for o in build(path, tmp_path / "out", pool=pool()).outputs}
    title = next(
        p.text for p in docx.Document(str(outputs["docx"])).paragraphs if p.style.name == "Title"
    )
    assert normalised(title) == normalised(build_view(load(path)).headline)
