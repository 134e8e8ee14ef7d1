"""Small rules on content that a careless or hostile file meets: language codes,
control characters, files that are not files, slugs, invisible or multi-line lines."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from presskit.content.loader import MAX_INPUT_BYTES, load, load_all, read_input
from presskit.content.model import SLUG_MAX
from presskit.util.errors import ContentError
from presskit.util.yamlstrict import MAX_BYTES

from .conftest import MINIMAL, load_text, write_content


def problems(folder: Path, text: str) -> list[str]:
    path = write_content(folder, text)
    with pytest.raises(ContentError) as caught:
        load(path)
    return [p.format(path.name) for p in caught.value.problems]


def test_a_language_listed_twice_in_another_case_is_refused(content_dir: Path) -> None:
    assert problems(content_dir, MINIMAL + "languages: [en, EN]\n") == [
        "release.yaml:8: languages[1]: 'EN' is the same language as 'en' (languages[0])"
    ]
    assert problems(content_dir, MINIMAL + "languages:\n  - fr\n  - en\n  - fr\n") == [
        "release.yaml:11: languages[2]: 'fr' is listed twice"
    ]


def test_locale_spellings_of_a_language_are_its_tag(content_dir: Path) -> None:
    text = MINIMAL.replace("A headline", "{en_GB: A headline, fr_fr: Un titre}")
    releases = load_all(write_content(content_dir, text + "languages: [en_GB, FR_fr]\n"))
    assert [r.language for r in releases] == ["en-GB", "fr-FR"]
    assert [r.headline for r in releases] == ["A headline", "Un titre"]
    assert [r.locale for r in releases] == ["en_GB", "fr_FR"]


def test_a_translation_given_twice_in_two_spellings_is_refused(content_dir: Path) -> None:
    text = MINIMAL.replace("A headline", "{en: A headline, EN: Another}")
    assert problems(content_dir, text) == [
        "release.yaml:3: headline.EN: 'EN' is the same language as 'en'"
    ]


def test_a_raw_control_character_is_reported_at_its_line(content_dir: Path) -> None:
    text = MINIMAL + "author: Jo\x01Smith\n"
    assert problems(content_dir, text) == [
        "release.yaml:8: the control character U+0001 is not allowed in a content file; remove it"
    ]


def test_a_fifo_is_refused_without_waiting(content_dir: Path) -> None:
    fifo = content_dir / "release.yaml"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        with pytest.raises(ContentError) as caught:
            load(fifo)
        outcome.append(str(caught.value))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO waited for a writer")
    assert "release.yaml:1: not a regular file" in outcome[0]


def test_devices_and_folders_are_refused(content_dir: Path) -> None:
    for path in (Path("/dev/zero"), content_dir):
        with pytest.raises(ContentError, match="not a regular file"):
            load(path)


def test_a_huge_file_is_refused_after_reading_only_its_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(MAX_INPUT_BYTES * 3)  # sparse: large on paper, cheap on disk
    with pytest.raises(ContentError, match=f"larger than {MAX_INPUT_BYTES // 1000} kB"):
        read_input(big)
    with pytest.raises(ContentError, match=f"larger than {MAX_BYTES // 1000} kB"):
        load(big)
    exact = tmp_path / "exact.csv"
    exact.write_bytes(b"x" * 1000)
    assert read_input(exact, limit=1000) == b"x" * 1000


def test_an_explicit_slug_has_the_derived_ones_limit(content_dir: Path) -> None:
    fits = "a" * SLUG_MAX
    assert load_text(content_dir, MINIMAL + f"slug: {fits}\n").file_stem == fits
    assert problems(content_dir, MINIMAL + f"slug: {fits}b\n") == [
        f"release.yaml:8: slug: too long: at most {SLUG_MAX} characters "
        f"(this one has {SLUG_MAX + 1})"
    ]


@pytest.mark.parametrize(
    "headline",
    ["\\u200b", "\\u200b\\u200d\\u2060", "\\ufeff\\u00ad", "\\u3164", "\\u200b\\u00a0\\u200b"],
)
def test_a_headline_of_invisible_characters_is_empty(content_dir: Path, headline: str) -> None:
    text = MINIMAL.replace("A headline", f'"{headline}"')
    assert problems(content_dir, text) == [
        "release.yaml:3: headline: must not be empty (it holds only invisible characters)"
    ]


def test_invisible_prose_is_empty_too(content_dir: Path) -> None:
    text = MINIMAL.replace("The lead paragraph.", '"\\u200b\\u200b"')
    assert problems(content_dir, text) == [
        "release.yaml:7: lead: must not be empty (it holds only invisible characters)"
    ]


@pytest.mark.parametrize("code", ["2028", "2029"])
def test_a_line_or_paragraph_separator_in_a_one_line_field(content_dir: Path, code: str) -> None:
    text = MINIMAL.replace("A headline", f'"A\\u{code}headline"')
    assert problems(content_dir, text) == [
        f"release.yaml:3: headline: must fit on one line (it holds the separator U+{code})"
    ]
    assert load_text(content_dir, MINIMAL.replace("A headline", '"A\\u200bheadline"'))
