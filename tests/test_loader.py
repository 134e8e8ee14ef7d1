"""The loader: one test per class of bad input, each asserting the message users see."""

from __future__ import annotations

from pathlib import Path

import pytest

from presskit.content.loader import load
from presskit.util.errors import ContentError

from .conftest import MINIMAL, load_text, write_content


def problems(folder: Path, text: str) -> list[str]:
    path = write_content(folder, text)
    with pytest.raises(ContentError) as caught:
        load(path)
    return [p.format(path.name) for p in caught.value.problems]


def test_minimal_release_without_quotes_or_event_is_valid(content_dir: Path) -> None:
    release = load_text(content_dir, MINIMAL)
    assert release.quotes == [] and release.event is None and release.ecosystems == []
    assert release.file_stem == "a-headline"
    assert not release.release.embargoed


def test_tags_are_refused(content_dir: Path) -> None:
    text = MINIMAL + "author: !!python/object/apply:os.system ['echo hacked']\n"
    assert problems(content_dir, text) == [
        "release.yaml:8: tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed "
        "in content files; to start a value with '!', put it in quotes",
        "release.yaml:8: author: must be text",
    ]
    # A tag on a plain value costs only the tag: the value is kept as written.
    assert problems(content_dir, MINIMAL + "author: !!str Someone\n") == [
        "release.yaml:8: tags (tag:yaml.org,2002:str) are not allowed in content files; "
        "to start a value with '!', put it in quotes"
    ]


def test_anchors_and_aliases_are_refused(content_dir: Path) -> None:
    text = MINIMAL + "keywords: &k [a, b]\nsubheadline: *k\n"
    assert problems(content_dir, text) == [
        "release.yaml:8: anchors (&k) are not allowed in content files",
        "release.yaml:9: aliases (*k) are not allowed in content files",
    ]


def test_duplicate_keys_name_both_lines(content_dir: Path) -> None:
    text = MINIMAL + "headline: Another headline\n"
    assert problems(content_dir, text) == [
        "release.yaml:8: headline: duplicate key 'headline' (first written on line 3)"
    ]


def test_yaml_11_values_stay_strings(content_dir: Path) -> None:
    text = MINIMAL.replace("A headline", "NO") + (
        "subheadline: on\nauthor: 012\nend_mark: 1:20\nkeywords: [off, 1.10, yes]\n"
        "labels: {community: 'Community {territory}'}\n"
        "ecosystems:\n  - kind: community\n    territory: NO\n"
    )
    release = load_text(content_dir, text)
    assert release.headline == "NO"
    assert release.subheadline == "on"
    assert release.author == "012"
    assert release.end_mark == "1:20"
    assert release.keywords == ["off", "1.10", "yes"]
    assert release.ecosystems[0].display_label == "Community NO"


def test_missing_logo_is_a_problem_at_its_key(content_dir: Path) -> None:
    text = MINIMAL.replace(
        "  name: Example Org\n",
        "  name: Example Org\n  logo:\n    file: logos/nope.png\n    alt: Logo\n",
    )
    assert problems(content_dir, text) == [
        "release.yaml:4: issuer.logo.file: image file 'logos/nope.png' not found"
    ]


def test_image_that_is_not_an_image(content_dir: Path) -> None:
    (content_dir / "junk.png").write_bytes(b"GIF89a" + b"\x00" * 64)
    text = MINIMAL.replace(
        "  name: Example Org\n", "  name: Example Org\n  logo: {file: junk.png, alt: Logo}\n"
    )
    assert problems(content_dir, text) == [
        "release.yaml:3: issuer.logo.file: image 'junk.png' is not a readable PNG, JPEG, GIF, "
        "WebP or SVG file"
    ]


def test_every_problem_is_reported_at_once(content_dir: Path) -> None:
    text = """\
issuer: {name: Example Org}
headline: A headline
headline: Twice
dateline: {city: Lille, date: 2019-02-30}
lead: Fine.
ecosystems:
  - kind: capitol
    territry: Lille
media_contacts:
  - name: Jo
    email: not-an-address
event:
  name: Afterwork
  date: sometime
"""
    assert problems(content_dir, text) == [
        "release.yaml:3: headline: duplicate key 'headline' (first written on line 2)",
        "release.yaml:4: dateline.date: not a valid date (day value is outside expected range); "
        "write it as YYYY-MM-DD",
        "release.yaml:7: ecosystems[0].kind: unknown kind 'capitol': the content defines no "
        "labels: add e.g. labels: {hub: 'Digital Innovation Hub {territory}'}, or give this "
        "ecosystem its own label",
        "release.yaml:7: ecosystems[0].territory: required, but missing",
        "release.yaml:8: ecosystems[0].territry: unknown key 'territry'; did you mean 'territory'?",
        "release.yaml:11: media_contacts[0].email: not an e-mail address: An email address "
        "must have an @-sign.",
        "release.yaml:14: event.date: write a date as 2019-05-07, 2019-05-07 18:30, 2019-05, "
        "early 2019-05 (or mid, late), or 'to be defined'",
    ]


def test_required_keys_are_named(content_dir: Path) -> None:
    assert problems(content_dir, "headline: Only this\n") == [
        "release.yaml:1: dateline: required, but missing",
        "release.yaml:1: issuer: required, but missing",
        "release.yaml:1: lead: required, but missing",
    ]


def test_yaml_syntax_error_gives_its_line(content_dir: Path) -> None:
    found = problems(content_dir, MINIMAL + "author: x\nsubheadline: 'unclosed\n")
    assert len(found) == 1
    assert found[0].startswith("release.yaml:9: YAML syntax: ")
    assert "quoted scalar" in found[0]


def test_not_utf8(content_dir: Path) -> None:
    path = content_dir / "release.yaml"
    path.write_bytes(MINIMAL.encode() + "author: Ren\xe9\n".encode("latin-1"))
    with pytest.raises(ContentError) as caught:
        load(path)
    assert [p.format("f") for p in caught.value.problems] == ["f:8: the file is not UTF-8 text"]


def test_deep_nesting_and_huge_files_are_refused(content_dir: Path) -> None:
    found = problems(content_dir, "lead: " + "[" * 500 + "\n")
    assert len(found) == 1 and "nesting deeper than 40 levels" in found[0]
    found = problems(content_dir, MINIMAL + "body: |\n" + "  x\n" * 400_000)
    assert found == ["release.yaml:1: the file is larger than 1000 kB"]


def test_control_characters_are_named_with_their_position(content_dir: Path) -> None:
    found = problems(content_dir, MINIMAL.replace("A headline", '"A\\x1bheadline"'))
    assert found == [
        "release.yaml:3: headline: contains the control character U+001B at position 2; remove it"
    ]
    release = load_text(content_dir, MINIMAL.replace("The lead paragraph.", '"One\\x0bTwo"'))
    assert release.lead.plain_text() == "One Two"  # a vertical tab is a line break


def test_unsafe_links_are_refused(content_dir: Path) -> None:
    text = MINIMAL.replace("The lead paragraph.", "See [this](javascript:alert(1)).")
    assert problems(content_dir, text) == [
        "release.yaml:7: lead: link target 'javascript:alert(1)' is not allowed: use http, "
        "https, mailto or tel"
    ]


def test_cli_reports_problems_and_exits_1(content_dir: Path, tmp_path: Path, capsys) -> None:
    from presskit.cli import main

    path = write_content(content_dir, "headline: Only this\n")
    assert main(["build", str(path), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"{path}:1: dateline: required, but missing"
    assert "3 problems found; nothing was written." in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
