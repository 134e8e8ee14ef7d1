"""The command line as a user runs it: files written, messages printed, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from presskit import __version__
from presskit.cli import main

from .conftest import MINIMAL, write_content


def test_build_writes_the_three_documents_with_meaningful_names(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_content(content_dir, MINIMAL)
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out)]) == 0
    folder = out / "a-headline" / "en"
    assert sorted(p.name for p in folder.iterdir()) == [
        "a-headline.docx",
        "a-headline.html",
        "a-headline.pdf",
    ]
    assert (out / "a-headline" / "a-headline-press-kit.zip").is_file()
    printed = capsys.readouterr().out
    assert printed.count("wrote ") == 4
    assert "a-headline.pdf" in printed
    assert printed.strip().splitlines()[-1].startswith("built 4 files in ")


def test_format_option_limits_the_outputs(content_dir: Path, tmp_path: Path) -> None:
    path = write_content(content_dir, MINIMAL)
    assert main(["build", str(path), "-o", str(tmp_path), "--format", "docx"]) == 0
    assert [p.name for p in (tmp_path / "a-headline" / "en").iterdir()] == ["a-headline.docx"]


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--format", "pdf,odt"])
    assert caught.value.code == 1
    assert "unknown format odt" in capsys.readouterr().err


def test_a_failed_build_leaves_earlier_outputs_intact(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_content(content_dir, MINIMAL)
    assert main(["build", str(path), "-o", str(tmp_path)]) == 0
    folder = tmp_path / "a-headline" / "en"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # Same slug, but a logo that is missing: the build must fail and write nothing.
    broken = MINIMAL.replace(
        "  name: Example Org\n", "  name: Example Org\n  logo: {file: gone.png, alt: L}\n"
    )
    write_content(content_dir, broken)
    assert main(["build", str(path), "-o", str(tmp_path)]) == 1
    assert "issuer.logo.file: image file 'gone.png' not found" in capsys.readouterr().err
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == before  # same files, same bytes, no temp files left behind


def test_a_render_failure_writes_nothing(
    content_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The Word file is rendered after the PDF: a Word file that fails must stop the
    # whole build before anything, the PDF included, is written.
    from presskit.render import docx as docx_renderer
    from presskit.util.errors import BuildError

    def broken(*args: object) -> bytes:
        raise BuildError("the Word file could not be made")

    monkeypatch.setattr(docx_renderer, "render_docx", broken)
    path = write_content(content_dir, MINIMAL)
    assert main(["build", str(path), "-o", str(tmp_path / "out")]) == 2
    assert "the Word file could not be made" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"presskit {__version__}"
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "--format" in capsys.readouterr().out


def test_python_dash_m_builds_the_current_folders_content(tmp_path: Path) -> None:
    """Run without CONTENT in a folder made by ``presskit new --example``: its
    release.yaml is built."""
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    assert main(["new", str(tmp_path / "kit"), "--example", "-q"]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "presskit", "build", "-o", str(tmp_path), "--format", "html"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path / "kit",
    )
    assert result.returncode == 0, result.stderr
    assert (
        tmp_path
        / "french-tech-hauts-de-france-2019"
        / "en"
        / "french-tech-hauts-de-france-2019.html"
    ).is_file()


def test_an_unwritable_output_folder_is_one_clear_error(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_content(content_dir, MINIMAL)
    assert main(["build", str(path), "-o", "/proc/presskit-cannot-write-here"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("presskit: error: cannot write /proc/presskit-cannot-write-here")
    assert "Traceback" not in err
