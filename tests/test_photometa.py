"""Delivered photos and logos carry their caption, credit, copyright and alt text
(read back by exiftool, in IPTC and XMP), with their image data byte-identical."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image as PILImage

from presskit.content.loader import load_all
from presskit.content.model import PressRelease
from presskit.kit import archive as kitzip

from .conftest import scan_data, write_content

FIXTURES = Path(__file__).parent / "fixtures"

CONTENT = """\
languages: [fr, en]
issuer:
  name: Réseau Sud
  logo: {file: logo.png, alt: {fr: Logo du Réseau Sud, en: Réseau Sud logo}}
headline: {fr: Un réseau de douze membres, en: A network of twelve members}
dateline: {city: Marseille, date: 2027-05-04}
lead: {fr: Le réseau grandit., en: The network grows.}
labels: {member: "Réseau Sud {territory}"}
ecosystems:
  - kind: member
    territory: Provence
    logo: {file: emblem.gif, alt: {fr: Emblème Provence, en: Provence emblem}}
photos:
  - file: photo.jpg
    alt: {fr: Les douze fondateurs devant le port, en: The twelve founders by the harbour}
    caption: {fr: "Les fondateurs, le 4 mai, à Marseille", en: "The founders in Marseille on 4 May"}
    credit: © Inès Ørsted / Agence Sud
  - file: logo.png
    alt: {fr: Le logo en grand, en: "The logo, large"}
    caption: {fr: Le logo, en: The logo}
    credit: Réseau Sud
"""


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> list[PressRelease]:
    folder = tmp_path_factory.mktemp("content")
    for name in ("logo.png", "photo.jpg"):
        shutil.copy(FIXTURES / name, folder / name)
    PILImage.new("P", (40, 20), 3).save(folder / "emblem.gif")
    return load_all(write_content(folder, CONTENT))


@pytest.fixture(scope="module")
def delivered(releases: list[PressRelease], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pictures of the kit, as the ZIP's entries, written out for exiftool."""
    folder = tmp_path_factory.mktemp("kit")
    for name, data in kitzip.entries(releases, {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def exiftool(path: Path) -> dict[str, object]:
    out = subprocess.run(
        ["exiftool", "-json", "-G1", "-a", "-charset", "iptc=utf8", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, object] = json.loads(out)[0]
    return result


def pixels(data: bytes) -> bytes:
    with PILImage.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


def test_every_photo_carries_caption_credit_copyright_and_alt(
    releases: list[PressRelease], delivered: Path
) -> None:
    first, english = releases
    names = kitzip.photo_names(first)
    assert len(names) == len(first.photos) == 2
    for name, photo, photo_en in zip(names, first.photos, english.photos, strict=True):
        tags = exiftool(delivered / name)
        credit = photo.credit
        notice = credit if credit.startswith("©") else f"© {credit}"
        assert tags["IPTC:Caption-Abstract"] == photo.caption
        assert tags["IPTC:Credit"] == credit
        assert tags["IPTC:CopyrightNotice"] == notice
        assert tags["IPTC:By-line"] == credit.removeprefix("©").strip()
        assert tags["XMP-dc:Description"] == photo.caption
        assert tags["XMP-dc:Description-en"] == photo_en.caption
        assert tags["XMP-dc:Description-fr"] == photo.caption
        assert tags["XMP-photoshop:Credit"] == credit
        assert tags["XMP-dc:Rights"] == notice
        assert tags["XMP-iptcCore:AltTextAccessibility"] == photo.alt
        assert tags["XMP-iptcCore:AltTextAccessibility-en"] == photo_en.alt


def test_logos_carry_their_alt_text_and_owner(
    releases: list[PressRelease], delivered: Path
) -> None:
    first = releases[0]
    (issuer_logo,) = [n for n, (owner, _) in kitzip.logo_names(first).items() if n.endswith(".png")]
    tags = exiftool(delivered / issuer_logo)
    assert first.issuer.logo is not None
    assert tags["IPTC:Caption-Abstract"] == first.issuer.logo.alt
    assert tags["IPTC:Credit"] == tags["XMP-photoshop:Credit"] == first.issuer.name
    assert tags["XMP-dc:Rights"] == f"© {first.issuer.name}"
    assert tags["XMP-iptcCore:AltTextAccessibility-en"] == releases[1].issuer.logo.alt  # type: ignore[union-attr]


def test_image_data_is_byte_identical(releases: list[PressRelease], delivered: Path) -> None:
    first = releases[0]
    sources = {name: logo.path for name, (_, logo) in kitzip.logo_names(first).items()}
    sources |= {
        name: photo.path
        for name, photo in zip(kitzip.photo_names(first), first.photos, strict=True)
    }
    assert any(n.endswith(".jpg") for n in sources) and any(n.endswith(".png") for n in sources)
    for name, source in sources.items():
        original, shipped = source.read_bytes(), (delivered / name).read_bytes()
        assert pixels(shipped) == pixels(original), name
        if name.endswith(".gif"):
            assert shipped == original  # GIF carries no metadata Exiv2 can write
        else:
            assert shipped != original  # the metadata was written…
            assert scan_data(shipped) == scan_data(original), name  # …around the same data


def test_manifest_lists_the_captioned_files(delivered: Path) -> None:
    import hashlib

    manifest = json.loads((delivered / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (delivered / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_pdf_and_word_end_with_the_photo_list(tmp_path: Path) -> None:
    import docx

    from presskit.kit.build import build
    from presskit.render.view import build_view

    from .conftest import docx_text, pdf_text, squash

    content = FIXTURES / "tiers-lieux-occitanie.yaml"
    result = build(content, tmp_path, ["pdf", "docx"])
    for release in result.releases:
        view = build_view(release)
        assert len(view.photos) == len(release.photos) > 0
        paths = {o.format: o.path for o in result.outputs if o.language == release.language}
        pdf, word = squash(pdf_text(paths["pdf"])), squash(docx_text(paths["docx"]))
        for text in (pdf, word):
            heading = text.rindex(squash(view.strings["photos"]))
            assert heading > text.index(squash(view.end_mark))  # after the end mark
            for photo in view.photos:
                for line in (photo.caption, photo.credit, photo.where):
                    assert squash(line) in text[heading:], line
        described = [
            shape._inline.docPr.get("descr")
            for shape in docx.Document(str(paths["docx"])).inline_shapes
        ]
        assert [p.alt for p in release.photos] == described[-len(release.photos) :]


def test_a_logo_shared_by_many_members_is_taken_apart_once_and_captioned_for_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve members showing one logo file: the ZIP holds twelve copies, each with its
    member's name as credit, and the file's own metadata was read once, not twelve
    times (a PNG's Exif is read by decoding the whole picture)."""
    from presskit.render import photometa

    shutil.copy(FIXTURES / "logo.png", tmp_path / "logo.png")
    shared = "    logo: {file: logo.png, alt: {fr: Logo du membre, en: Member logo}}\n"
    members = "".join(f"  - kind: member\n    territory: Vallée {n}\n{shared}" for n in range(12))
    text = CONTENT.split("ecosystems:\n")[0] + "ecosystems:\n" + members
    loaded = load_all(write_content(tmp_path, text))
    photometa._STRIPPED.clear()
    taken_apart: list[int] = []
    real_strip = photometa._strip

    def counted(data: bytes) -> photometa._Stripped:
        taken_apart.append(len(data))
        return real_strip(data)

    monkeypatch.setattr(photometa, "_strip", counted)
    pictures = kitzip.captioned_pictures(loaded)
    members_logos = [
        (owner, pictures[name])
        for name, (owner, _) in kitzip.logo_names(loaded[0]).items()
        if "ecosystem" in name or owner != loaded[0].issuer.name
    ]
    assert len(members_logos) == 12
    assert len(taken_apart) == 1  # the issuer and the twelve members show the same file
    for owner, data in members_logos:
        shipped = tmp_path / "shipped.png"
        shipped.write_bytes(data)
        assert exiftool(shipped)["XMP-photoshop:Credit"] == owner
