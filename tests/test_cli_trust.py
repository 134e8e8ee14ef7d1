"""Commands run as a user runs them, in a folder: without a content file they take the
folder's own, and never the built-in example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from presskit.cli import main


def run(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presskit", *argv],
        capture_output=True, text=True, cwd=folder, timeout=300,
    )  # fmt: skip


def test_build_in_a_new_folder_builds_that_folders_release(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "kit"), "-q"]) == 0
    result = run(tmp_path / "kit", "build", "--format", "html")
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in (tmp_path / "kit" / "output").rglob("*.html"))
    assert built == ["example-organisation-opens-its-new-innovation-hub.html"]
    assert "french-tech" not in result.stdout


@pytest.mark.parametrize(
    "argv",
    [["build"], ["check"], ["preview"], ["site"], ["import", "edited.docx", "--dry-run"]],
)
def test_a_command_without_content_in_an_empty_folder_refuses_clearly(
    tmp_path: Path, argv: list[str]
) -> None:
    (tmp_path / "edited.docx").write_bytes(b"not used")
    result = run(tmp_path, *argv)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no content file given, and this folder has none (release.yaml)" in result.stderr
    assert not (tmp_path / "output").exists() and not (tmp_path / "site").exists()


def test_several_content_files_are_named_not_guessed(tmp_path: Path) -> None:
    for name in ("spring.yaml", "autumn.yaml"):
        (tmp_path / name).write_text("headline: x\n")
    result = run(tmp_path, "check")
    assert result.returncode == 1
    assert "this folder holds several content files (autumn.yaml, spring.yaml)" in result.stderr


def test_import_without_content_uses_the_folders_release(tmp_path: Path) -> None:
    """The Word file built from the folder's release comes back into it, not into the
    installed example."""
    assert main(["new", str(tmp_path / "kit"), "-q"]) == 0
    folder = tmp_path / "kit"
    assert run(folder, "build", "--format", "docx", "--lang", "en").returncode == 0
    [word] = (folder / "output").rglob("*innovation-hub.docx")
    result = run(folder, "import", str(word), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "no changes to import into release.yaml (en)" in result.stdout


def test_new_example_copies_the_built_in_example_to_build(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "ex"), "--example", "-q"]) == 0
    assert (tmp_path / "ex" / "release.yaml").is_file()
    assert (tmp_path / "ex" / "logos").is_dir()
    assert run(tmp_path / "ex", "check").returncode == 0


RENAME_THEN_SIGNAL = """
import os, signal, sys
from pathlib import Path
from presskit.util import atomic

folder, number = Path(sys.argv[1]), int(sys.argv[2])
if sys.argv[3:] == ["ignored"]:  # as nohup (SIGHUP) or a background job (SIGINT) starts us
    signal.signal(number, signal.SIG_IGN)
else:  # as a terminal starts us, whatever this test's own shell ignores (a background
    # job of a script ignores SIGINT and SIGQUIT, and its children inherit that)
    signal.signal(number, signal.SIG_DFL)
files = [(folder / f"{name}.bin", name.encode()) for name in ("a", "b", "c")]
real_replace = os.replace

def replace_then_signal(source, target):
    real_replace(source, target)
    if target.name == "a.bin":
        os.kill(os.getpid(), number)  # the terminal closes, or kill -QUIT, mid-renames

atomic.os.replace = replace_then_signal
atomic.write_all(files)
print("went on after the renames")
"""


@pytest.mark.parametrize("name", ["SIGHUP", "SIGQUIT", "SIGTERM"])
def test_a_signal_during_the_renames_lets_the_set_finish_then_acts(
    tmp_path: Path, name: str
) -> None:
    import signal

    for label in ("a", "b", "c"):
        (tmp_path / f"{label}.bin").write_bytes(b"old")
    number = int(getattr(signal, name))
    result = subprocess.run(
        [sys.executable, "-c", RENAME_THEN_SIGNAL, str(tmp_path), str(number)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == -number  # it ended by that signal, as asked
    assert "went on" not in result.stdout
    assert [(tmp_path / f"{x}.bin").read_bytes() for x in "abc"] == [b"a", b"b", b"c"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_batch_build_names_the_kit_a_fault_stopped_and_builds_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug inside one kit of ``presskit build a.yaml b.yaml`` (here a renderer
    raising KeyError) names that content file in one line; the other kit is built."""
    import presskit.kit.build

    from .conftest import MINIMAL, write_content

    good = write_content(tmp_path, MINIMAL.replace("A headline", "Harbour opens"), "good.yaml")
    bad = write_content(tmp_path, MINIMAL.replace("A headline", "Quay closes"), "bad.yaml")
    original = presskit.kit.build.invitation

    def faulty(release: object, view: object, *rest: object) -> dict[str, bytes]:
        if getattr(release, "headline", "") == "Quay closes":
            raise KeyError("a bug")
        return original(release, view, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(presskit.kit.build, "invitation", faulty)
    out = tmp_path / "out"
    assert main(["build", str(good), str(bad), "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert f"{bad}: presskit failed (KeyError: 'a bug')" in error
    assert "Traceback" not in error
    assert (out / "harbour-opens" / "en" / "harbour-opens.pdf").is_file()
    assert not (out / "quay-closes").exists()


@pytest.mark.parametrize("name", ["SIGINT", "SIGHUP"])
def test_a_signal_the_process_ignores_stays_ignored_during_the_renames(
    tmp_path: Path, name: str
) -> None:
    """A background job ignores Ctrl-C, a nohup job the terminal's hang-up: holding
    the signal during the renames must not make it act there and nowhere else."""
    import signal

    for label in ("a", "b", "c"):
        (tmp_path / f"{label}.bin").write_bytes(b"old")
    number = int(getattr(signal, name))
    result = subprocess.run(
        [sys.executable, "-c", RENAME_THEN_SIGNAL, str(tmp_path), str(number), "ignored"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "went on after the renames" in result.stdout
    assert [(tmp_path / f"{x}.bin").read_bytes() for x in "abc"] == [b"a", b"b", b"c"]


IN_A_BACKGROUND_JOB = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)  # what a shell does for `command &`
os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[1:]])
"""


def test_the_ctrl_c_tests_hold_in_a_background_job() -> None:
    """Run from a shell that ignores Ctrl-C (`make test &`), the tests that press it,
    in-process and on a presskit they start, still see it act."""
    repository = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", IN_A_BACKGROUND_JOB, "-q", "-p", "no:cacheprovider",
         "tests/test_workers.py::test_ctrl_c_during_the_renames_lets_the_set_finish",
         "tests/test_workers.py::test_ctrl_c_of_the_terminal_reaches_the_workers_silently"],
        capture_output=True, text=True, cwd=repository, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout


FERRY = """\
issuer:
  name: Tidewater Ferries
headline: {headline}
dateline:
  city: Plymouth
  date: 2024-11-18
lead: Crossings to the islands run through the night from the spring.
"""


@pytest.mark.parametrize("verbose", [False, True])
def test_a_fault_in_one_kit_of_a_batch_names_it_and_the_others_are_built(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    verbose: bool,
) -> None:
    """A bug raising KeyError inside one kit's render: that content file is named once,
    in one line (its traceback only with --verbose); the other kits are built; exit 2."""
    import presskit.render.view

    folder = tmp_path / "releases"
    folder.mkdir()
    names = {"timetable": "Night crossings from April", "fleet": "Two electric ferries"}
    for stem, headline in names.items():
        (folder / f"{stem}.yaml").write_text(FERRY.format(headline=headline), encoding="utf-8")
    real_build_view = presskit.render.view.build_view

    def faulty(release: object, *rest: object) -> object:
        if getattr(release, "headline", None) == names["fleet"]:
            raise KeyError("hull_count")  # a renderer's bug, not bad content
        return real_build_view(release, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(presskit.render.view, "build_view", faulty)
    out = tmp_path / "out"
    argv = ["build", str(folder), "-o", str(out), "--format", "html"]
    assert main(argv + (["--verbose"] if verbose else [])) == 2
    error = capsys.readouterr().err
    broken = folder / "fleet.yaml"
    assert f"presskit: error: {broken}: presskit failed (KeyError: 'hull_count')\n" in error
    assert error.count(str(broken)) == 1
    assert ("Traceback" in error) == verbose
    built = sorted(p.name for p in out.rglob("*.html"))
    assert built == ["night-crossings-from-april.html"]
