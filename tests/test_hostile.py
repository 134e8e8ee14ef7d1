"""Hostile content and faults: nothing leaks, nothing is lost, nothing crashes."""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from presskit.cli import main
from presskit.content.loader import load
from presskit.kit.build import build, kit_lock
from presskit.util import atomic
from presskit.util.errors import ContentError, PresskitError

from .conftest import MINIMAL, write_content


def problems(folder: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(write_content(folder, text))
    return [p.format("f") for p in caught.value.problems]


# -- images ------------------------------------------------------------------------


def logo(folder: Path, name: str) -> str:
    return MINIMAL.replace(
        "  name: Example Org\n", f"  name: Example Org\n  logo: {{file: {name}, alt: L}}\n"
    )


def test_a_decompression_bomb_is_refused_without_decoding_it(content_dir: Path) -> None:
    Image.new("1", (20000, 20000)).save(content_dir / "bomb.png")  # a few KB on disk
    assert (content_dir / "bomb.png").stat().st_size < 100_000
    [problem] = problems(content_dir, logo(content_dir, "bomb.png"))
    assert "image 'bomb.png' has too many pixels (more than 40 million)" in problem


def test_truncated_and_fake_images_are_refused(content_dir: Path) -> None:
    good = (content_dir / "logos" / "french-tech-lille.png").read_bytes()
    (content_dir / "cut.png").write_bytes(good[: len(good) // 2])
    (content_dir / "fake.gif").write_bytes(b"GIF89a" + b"junk" * 100)
    for name in ("cut.png", "fake.gif"):
        [problem] = problems(content_dir, logo(content_dir, name))
        assert f"image '{name}' is not a readable PNG, JPEG, GIF, WebP or SVG file" in problem


def test_webp_becomes_png_for_word(content_dir: Path, tmp_path: Path) -> None:
    Image.new("RGB", (300, 300), "green").save(content_dir / "logo.webp")
    path = write_content(content_dir, logo(content_dir, "logo.webp"))
    outputs = {o.format: o.path for o in build(path, tmp_path, ["docx"]).outputs}
    with zipfile.ZipFile(outputs["docx"]) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert media and all(name.endswith(".png") for name in media)


# -- text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"a\\u202eb"', "U+202E at position 2"),  # a bidi override
        ('"a\\x00b"', "U+0000 at position 2"),
    ],
)
def test_unrepresentable_characters_are_refused_by_position(
    content_dir: Path, value: str, message: str
) -> None:
    [problem] = problems(content_dir, MINIMAL.replace("A headline", value))
    assert (
        problem.startswith("f:3: headline: contains the control character") and message in problem
    )


def test_a_lone_surrogate_is_refused(content_dir: Path) -> None:
    """Written as an escape, libyaml refuses it while reading the file, at its line."""
    [problem] = problems(content_dir, MINIMAL.replace("A headline", '"a\\ud800b"'))
    assert problem == (
        "f:3: YAML syntax: while parsing a quoted scalar found invalid Unicode character "
        "escape code"
    )


def test_caps_on_length_and_nesting(content_dir: Path) -> None:
    [problem] = problems(content_dir, MINIMAL.replace("A headline", "x" * 300))
    assert problem == "f:3: headline: too long: at most 250 characters (this one has 300)"
    [problem] = problems(
        content_dir, MINIMAL.replace("The lead paragraph.", "'" + "a" * 20_001 + "'")
    )
    assert "lead: too long: at most 20000 characters" in problem
    nested = "'" + "".join(">" * 8) + " deep'"
    [problem] = problems(content_dir, MINIMAL.replace("The lead paragraph.", nested))
    assert "quotes nested deeper than 3 levels" in problem


def test_long_words_and_metadata_never_crash(content_dir: Path, tmp_path: Path) -> None:
    word = "Supercalifragilistic" * 12
    text = (
        MINIMAL.replace("The lead paragraph.", word)
        + "keywords: ["
        + ", ".join(f"keyword number {i}" for i in range(40))
        + "]\n"
    )
    outputs = {o.format: o.path for o in build(write_content(content_dir, text), tmp_path).outputs}
    props = docx.Document(str(outputs["docx"])).core_properties
    assert len(props.keywords) <= 255 and props.keywords.endswith("…")


# -- names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("../../etc/x", "etc-x"),
        ("/abs", "abs"),
        ("é" * 200, "e" * 60),
        ("CON", "con-release"),
        ("!!!", "press-release"),
    ],
)
def test_names_from_content_are_safe(
    content_dir: Path, tmp_path: Path, headline: str, slug: str
) -> None:
    release = load(write_content(content_dir, MINIMAL.replace("A headline", repr(headline))))
    assert release.file_stem == slug
    assert slug.isascii() and len(slug.encode()) <= 60


# -- recipients --------------------------------------------------------------------


def test_old_spreadsheets_blank_lines_and_formulas(tmp_path: Path) -> None:
    from presskit.mail.recipients import load_recipients

    path = tmp_path / "r.csv"
    path.write_bytes(
        "email;name;outlet\r\n"
        'ana@example.org;Anaïs Lévêque;=HYPERLINK("http://evil")\r\n'
        "\r\n;;\r\n"
        "bob@example.org;Bob;Le Monde\r\n".encode("cp1252")
    )
    ana, bob = load_recipients(path)
    assert ana.name == "Anaïs Lévêque"  # decoded from cp1252
    assert ana.outlet == '=HYPERLINK("http://evil")'  # kept as text, never evaluated
    assert bob.row == 5


# -- faults ------------------------------------------------------------------------


def test_disk_full_while_writing_leaves_earlier_outputs(
    content_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_content(content_dir, MINIMAL)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_content(content_dir, MINIMAL.replace("The lead paragraph.", "A new lead."))
    real = atomic._stage
    calls = []

    def full_disk(target: Path, data: bytes) -> str:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(target, data)

    monkeypatch.setattr(atomic, "_stage", full_disk)
    assert main(["build", str(path), "-o", str(out)]) == 2
    assert "No space left on device; earlier outputs are unchanged" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # same files, same bytes, no temp file left


def test_ctrl_c_during_a_build(
    content_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from presskit.render import docx as docx_renderer

    def interrupted(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(docx_renderer, "render_docx", interrupted)
    path = write_content(content_dir, MINIMAL)
    assert main(["build", str(path), "-o", str(tmp_path / "out")]) == 130
    assert "interrupted; earlier outputs are unchanged" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_two_builds_of_one_kit_at_once(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_content(content_dir, MINIMAL)
    with kit_lock(tmp_path, "a-headline"):  # another presskit is writing
        assert main(["build", str(path), "-o", str(tmp_path)]) == 2
    assert "another presskit is writing" in capsys.readouterr().err
    assert main(["build", str(path), "-o", str(tmp_path)]) == 0


def test_a_render_past_its_time_is_stopped() -> None:
    from presskit.render.pdf import PdfWorker
    from presskit.util.errors import BuildError

    worker = PdfWorker(timeout=0.01)
    try:
        worker.submit("<!DOCTYPE html><html lang=en><title>t</title><p>" + "x " * 50_000)
        with pytest.raises(BuildError, match="took longer than 0 s"):
            worker.result()
    finally:
        worker.close()


# -- templates ---------------------------------------------------------------------


def test_user_templates_are_sandboxed_and_strict(content_dir: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    template = theme / "press-release.html.j2"
    path = write_content(content_dir, MINIMAL)
    template.write_text(
        "<html lang=en><title>t</title>\n<p>{{ v.headline }}</p>\n<p>{{ v.nope }}</p>"
    )
    with pytest.raises(PresskitError) as caught:
        build(path, tmp_path / "out", ["html"], theme=theme)
    assert "template press-release.html.j2, line 3:" in str(caught.value)
    assert "nope" in str(caught.value)
    template.write_text("{{ v.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(PresskitError) as caught:
        build(path, tmp_path / "out", ["html"], theme=theme)
    assert "not allowed in a template" in str(caught.value) or "unsafe" in str(caught.value)
    template.write_text("<html lang=en><title>t</title><p class=mine>{{ v.headline }}</p></html>")
    [output] = build(path, tmp_path / "out", ["html"], theme=theme).outputs
    assert "<p class=mine>A headline</p>" in output.path.read_text()
