"""The press-kit ZIP and the commands around a build: new, check, schema."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import jsonschema
import pytest

from presskit.assets.resources import DEFAULT_CONTENT, EXAMPLES_DIR
from presskit.cli import main
from presskit.content.schema import content_schema
from presskit.kit.build import build
from presskit.util import yamlstrict

from .conftest import MINIMAL, scan_data, write_content

FULL = Path(__file__).parent / "fixtures" / "full.yaml"


def test_the_press_kit_zip_holds_everything_with_a_manifest(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLES_DIR / "logos", content / "logos")
    shutil.copy(FULL.parent / "photo.jpg", content / "photo.jpg")
    text = DEFAULT_CONTENT.read_text(encoding="utf-8") + (
        "photos:\n"
        "  - file: photo.jpg\n"
        "    alt: {fr: Le hall d'Euratechnologies, en: The Euratechnologies hall}\n"
        "    caption: {fr: Le hall un soir de lancement, en: The hall on a launch night}\n"
        "    credit: © Studio Example\n"
    )
    path = write_content(content, text)
    result = build(path, tmp_path / "out")
    [kit] = [o for o in result.outputs if o.format == "zip"]
    assert kit.path == tmp_path / "out" / "french-tech-hauts-de-france-2019" / (
        "french-tech-hauts-de-france-2019-press-kit.zip"
    )
    with zipfile.ZipFile(kit.path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(
            name.isascii() and ".." not in name and not name.startswith("/") for name in names
        )
        assert "fr/french-tech-hauts-de-france-2019.pdf" in names
        assert "en/french-tech-hauts-de-france-2019.docx" in names
        assert "logos/02-capitale-french-tech-lille.png" in names
        assert scan_data(archive.read("logos/02-capitale-french-tech-lille.png")) == scan_data(
            (EXAMPLES_DIR / "logos" / "french-tech-lille.png").read_bytes()
        )  # the image data as supplied, not re-encoded (its caption is in its metadata)
        [photo] = [n for n in names if n.startswith("photos/") and n.endswith(".jpg")]
        assert photo == "photos/01-le-hall-d-euratechnologies.jpg"
        captions = archive.read("photos/captions-en.txt").decode()
        assert "The hall on a launch night" in captions and "© Studio Example" in captions
        assert "Le hall un soir de lancement" in archive.read("photos/captions-fr.txt").decode()
        manifest = json.loads(archive.read("manifest.json"))
        listed = {entry["name"]: entry for entry in manifest["files"]}
        assert set(listed) == set(names) - {"manifest.json"}
        for name, entry in listed.items():
            data = archive.read(name)
            assert entry["size"] == len(data)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_one_language_builds_no_zip(tmp_path: Path) -> None:
    result = build(DEFAULT_CONTENT, tmp_path, languages=["en"])
    assert [o.format for o in result.outputs] == [
        "pdf", "docx", "html", "kit-pdf", "kit-docx", "kit-html"
    ]  # fmt: skip


def test_new_writes_a_release_that_checks_clean_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "my-release"
    assert main(["new", str(folder)]) == 0
    content = folder / "release.yaml"
    assert content.read_text().startswith("# yaml-language-server: $schema=./presskit.schema.json")
    assert (folder / "assets" / "logo.png").is_file()
    capsys.readouterr()
    assert main(["check", str(content), "--strict"]) == 0
    assert "no problems found" in capsys.readouterr().out
    assert main(["build", str(content), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert capsys.readouterr().out == ""  # --quiet
    assert main(["new", str(folder)]) == 1  # never overwrites a content file


def test_check_warns_with_lines_and_strict_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "c"
    content.mkdir()
    shutil.copy(FULL.parent / "photo.jpg", content / "photo.jpg")
    text = (
        MINIMAL.replace("A headline", "A " + "very " * 30 + "long headline").replace(
            "The lead paragraph.", "'" + "word " * 70 + "[link](http://example.org)'"
        )
        + "release:\n  embargo_until: 2019-04-03 09:00 Europe/Paris\n"
        + "photos:\n  - {file: photo.jpg, alt: A photo, caption: Caption, credit: Me}\n"
    )
    path = write_content(content, text)
    assert main(["check", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0]
        == f"{path}:1: warning: media_contacts: no media contact: journalists need someone to call"
    )
    assert any(f"{path}:3: warning: headline: the headline has 165 characters" in x for x in lines)
    assert any(f"{path}:7: warning: lead: the lead has 71 words" in line for line in lines)
    assert any(
        f"{path}:7: warning: lead: http://example.org is not https" in line for line in lines
    )
    assert any("release.embargo_until: the embargo ended on 2019-04-03" in line for line in lines)
    assert not any("photos[0]" in line for line in lines)  # 1200 px over 10 cm: 305 ppi
    assert lines[-1].endswith("warnings")
    assert main(["check", str(path), "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", str(path), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert {f["key_path"] for f in findings} >= {"headline", "lead", "media_contacts"}
    assert all(f["level"] == "warning" and f["line"] >= 1 for f in findings)


def test_check_reports_images_too_coarse_to_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    content = tmp_path / "c"
    content.mkdir()
    Image.new("RGB", (80, 80), "red").save(content / "tiny.png")
    Image.new("RGB", (800, 600), "blue").save(content / "small-photo.jpg")
    text = (
        MINIMAL.replace(
            "  name: Example Org\n", "  name: Example Org\n  logo: {file: tiny.png, alt: Logo}\n"
        )
        + "photos:\n  - {file: small-photo.jpg, alt: A photo, caption: Caption, credit: Me}\n"
    )
    path = write_content(content, text)
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert (
        f"{path}:3: warning: issuer.logo.file: tiny.png prints at 127 ppi; print needs 300" in out
    )
    assert "photos[0].file: small-photo.jpg prints at 203 ppi" in out


def test_check_stops_at_validation_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_content(tmp_path, "headline: Only this\n")
    assert main(["check", str(path)]) == 1
    assert f"{path}:1: dateline: required, but missing" in capsys.readouterr().err


def test_schema_validates_the_example_and_flags_mistakes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(content_schema()))
    validator = jsonschema.Draft202012Validator(printed)
    for path in (DEFAULT_CONTENT, FULL):
        data = yamlstrict.parse(path.read_text(encoding="utf-8")).data
        assert list(validator.iter_errors(data)) == []
    per_kind = yamlstrict.parse("labels: {hub: {fr: 'Pôle {territory}', en: 'Hub {territory}'}}")
    assert list(validator.iter_errors({**data, **per_kind.data})) == []
    assert printed["properties"]["labels"]["description"].startswith("How each kind of label")
    kind = printed["$defs"]["Ecosystem"]["properties"]["kind"]["description"]
    assert "one of the keys of the release's ``labels``" in kind
    bad = yamlstrict.parse("headline: x\nlead: y\nheadlin: z\nlabels: {'not a word': x}").data
    messages = [error.message for error in validator.iter_errors(bad)]
    assert any("'headlin' was unexpected" in m for m in messages)
    assert any("'issuer' is a required property" in m for m in messages)
    assert ["labels"] in [list(error.path) for error in validator.iter_errors(bad)]
    assert printed["properties"]["headline"]["description"] == "The headline."
    # Inherited fields, and a model whose schema is written inline, are described too.
    image_alt = printed["$defs"]["Image"]["properties"]["alt"]["description"]
    assert printed["$defs"]["Photo"]["properties"]["alt"]["description"] == image_alt
    place = printed["$defs"]["Event"]["properties"]["place"]["anyOf"][0]["anyOf"][1]
    assert all(prop.get("description") for prop in place["properties"].values())


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("build", "check", "new", "schema", "preview", "mail", "send"):
        with pytest.raises(SystemExit) as caught:
            main([command, "--help"])
        assert caught.value.code == 0
        text = capsys.readouterr().out
        assert f"presskit {command}" in text.split("example:")[1]
        assert "--quiet" in text


def test_check_counts_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FULL)]) == 0
    assert (
        f"{FULL}:17: warning: body: the en release runs to 3 pages; journalists read 2 at most"
        in (capsys.readouterr().out)
    )
