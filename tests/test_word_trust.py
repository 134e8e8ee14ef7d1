"""``presskit import`` of Word files made to hurt: unbounded parts, DOCTYPEs in disguise,
endless inputs; and edits as Word and LibreOffice really write them. Each through the
command, as a user runs it, with the content file left byte for byte when refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from presskit.cli import main
from presskit.loader import load_all
from presskit.render.docx import render_docx
from presskit.view import build_view

FIXTURES = Path(__file__).parent / "fixtures"


def copy_content(folder: Path) -> Path:
    shutil.copytree(FIXTURES, folder, dirs_exist_ok=True)
    return folder / "word-import.yaml"


def word_file(content: Path, language: str, folder: Path) -> Path:
    release = next(r for r in load_all(content) if r.language == language)
    path = folder / f"{content.stem}-{language}.docx"
    path.write_bytes(render_docx(build_view(release)))
    return path


def rewritten(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """``source`` with members replaced (None: removed) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            if name in change:
                continue
            new.writestr(name, old.read(name))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)
    return target


def refused(argv: list[str], content: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = content.read_bytes()
    assert main(argv) == 1
    assert content.read_bytes() == before
    error = capsys.readouterr().err
    assert "Traceback" not in error
    return error


def test_a_small_file_of_forty_megabytes_of_paragraphs_is_refused_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Empty paragraphs compress a thousandfold: the XML part is refused by its size,
    before python-docx would hold fifty bytes of memory for each of its bytes."""
    content = copy_content(tmp_path / "content")
    built = word_file(content, "en", tmp_path)
    with zipfile.ZipFile(built) as archive:
        xml = archive.read("word/document.xml")
    padded = xml.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 7_000_000, 1)
    bomb = rewritten(built, tmp_path / "bomb.docx", {"word/document.xml": padded})
    assert bomb.stat().st_size < 1_000_000
    script = (
        "import resource, sys\n"
        "from presskit.cli import main\n"
        "status = main(['import', sys.argv[1], sys.argv[2]])\n"
        "print(status, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(bomb), str(content)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    status, peak_mb = map(int, result.stdout.split())
    assert status == 1
    assert "word/document.xml is 42 MB of XML" in result.stderr
    assert peak_mb < 400, f"peak {peak_mb} MB"


def test_a_doctype_in_utf16_or_in_a_renamed_part_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")
    built = word_file(content, "en", tmp_path)
    with zipfile.ZipFile(built) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        types = archive.read("[Content_Types].xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels")
        package_rels = archive.read("_rels/.rels").decode("utf-8")
    entity = xml.replace("?>", '?><!DOCTYPE w:document [<!ENTITY x "boom">]>', 1)
    utf16 = entity.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    first = rewritten(built, tmp_path / "utf16.docx", {"word/document.xml": utf16})
    error = refused(["import", str(first), str(content)], content, capsys)
    assert "word/document.xml declares a DOCTYPE; refusing the file" in error
    renamed = rewritten(
        built,
        tmp_path / "renamed.docx",
        {
            "word/document.xml": None,
            "word/_rels/document.xml.rels": None,
            "word/main.bin": entity.encode(),
            "word/_rels/main.bin.rels": rels,
            "[Content_Types].xml": types.replace("/word/document.xml", "/word/main.bin").encode(),
            "_rels/.rels": package_rels.replace("word/document.xml", "word/main.bin").encode(),
        },
    )
    error = refused(["import", str(renamed), str(content)], content, capsys)
    assert "word/main.bin declares a DOCTYPE; refusing the file" in error


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_an_input_that_never_ends_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    content = copy_content(tmp_path / "content")
    if kind == "device":
        source = Path("/dev/zero")
    elif kind == "fifo":
        source = tmp_path / "pipe.docx"
        os.mkfifo(source)
    else:
        source = tmp_path / "folder.docx"
        source.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "presskit", "import", str(source), str(content)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{source}: not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
