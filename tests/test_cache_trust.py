"""The cache folder holds code and pickles: nothing in it is used unless it is safely
the user's own. Planted entries are tried as an attacker sharing the machine would,
through ``presskit build`` run as a user runs it."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import write_content

CONTENT = """\
languages: [en]
issuer: {name: Harbour Arts Trust}
headline: Twelve studios open on the quay
dateline: {city: Bristol, date: 2026-05-04}
lead: The trust opens twelve artists' studios to the public.
"""
NOBODY = 65534


def build(content: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presskit", "build", str(content), "-o", str(out), "-q"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PRESSKIT_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(values)
    return env


def outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".pdf", ".docx")
    }


def plant(cache: Path, marker: Path) -> int:
    """Replace every entry of a filled cache with a payload that creates ``marker``
    when loaded (code for the compiled declarations, a pickle elsewhere), with a valid
    digest, so that only the folder's trust can keep it out."""
    planted = 0
    for entry in cache.rglob("*"):
        if not entry.is_file():
            continue
        if entry.suffix == ".py":
            payload = f"open({str(marker)!r}, 'w').write('ran')\n".encode()
        else:
            payload = pickle.dumps(_Plant(str(marker)))
        entry.write_bytes(hashlib.sha256(payload).digest() + payload)
        planted += 1
    return planted


class _Plant:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


@pytest.fixture
def reference(tmp_path: Path) -> tuple[Path, dict[str, bytes], Path]:
    """The content, what it builds with a trusted cache, and that cache, filled."""
    content = write_content(tmp_path, CONTENT)
    cache = tmp_path / "trusted"
    first = build(content, tmp_path / "ref", environment(PRESSKIT_CACHE_DIR=str(cache)))
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert (cache.stat().st_mode & 0o777) == 0o700
    assert any(cache.rglob("*.py")) and any((cache / "hyphenation").iterdir())
    return content, outputs(tmp_path / "ref"), cache


def test_a_trusted_cache_is_used_and_changes_no_byte(
    tmp_path: Path, reference: tuple[Path, dict[str, bytes], Path]
) -> None:
    content, expected, cache = reference
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    again = build(content, tmp_path / "again", environment(PRESSKIT_CACHE_DIR=str(cache)))
    assert again.returncode == 0 and again.stderr == ""
    assert outputs(tmp_path / "again") == expected
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("how", ["world-writable", "group-writable", "symlink", "other-user"])
@pytest.mark.parametrize("variable", ["PRESSKIT_CACHE_DIR", "XDG_CACHE_HOME"])
def test_a_cache_others_can_write_is_never_loaded(
    tmp_path: Path, reference: tuple[Path, dict[str, bytes], Path], how: str, variable: str
) -> None:
    content, expected, trusted = reference
    marker = tmp_path / "marker"
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    base = shared / "base"
    cache = base if variable == "PRESSKIT_CACHE_DIR" else base / "presskit"
    if how == "symlink":
        shutil.copytree(trusted, tmp_path / "elsewhere")
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.symlink_to(tmp_path / "elsewhere")
        assert plant(tmp_path / "elsewhere", marker) > 3
    else:
        shutil.copytree(trusted, cache)
        assert plant(cache, marker) > 3
        if how == "other-user":
            if os.geteuid() != 0:
                pytest.skip("making a folder another user's needs root")
            for path in [cache, *cache.rglob("*")]:
                os.chown(path, NOBODY, NOBODY)
            cache.chmod(0o1777)
        else:
            cache.chmod(0o777 if how == "world-writable" else 0o770)
    value = str(cache if variable == "PRESSKIT_CACHE_DIR" else base)
    result = build(content, tmp_path / "out", environment(**{variable: value}))
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a planted cache entry was loaded"
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"presskit: not using the cache folder {cache}: ")
    assert outputs(tmp_path / "out") == expected


def test_a_planted_entry_in_a_trusted_cache_is_made_again(
    tmp_path: Path, reference: tuple[Path, dict[str, bytes], Path]
) -> None:
    """An entry that is not a regular file of the user's (another user's file, a
    symbolic link) is not loaded; the cache folder itself stays in use."""
    if os.geteuid() != 0:
        pytest.skip("making a file another user's needs root")
    content, expected, cache = reference
    marker = tmp_path / "marker"
    assert plant(cache, marker) > 3
    entries = [p for p in cache.rglob("*") if p.is_file()]
    for index, entry in enumerate(entries):
        if index % 2:
            os.chown(entry, NOBODY, NOBODY)
        else:
            target = tmp_path / f"target-{index}"
            entry.rename(target)
            entry.symlink_to(target)
    result = build(content, tmp_path / "out", environment(PRESSKIT_CACHE_DIR=str(cache)))
    assert result.returncode == 0 and result.stderr == ""
    assert not marker.exists()
    assert outputs(tmp_path / "out") == expected


def test_a_cache_folder_below_another_users_folder_is_not_used(
    tmp_path: Path, reference: tuple[Path, dict[str, bytes], Path]
) -> None:
    """Our own folder, inside a folder another user owns: they could swap it."""
    if os.geteuid() != 0:
        pytest.skip("making a folder another user's needs root")
    content, expected, trusted = reference
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    cache = theirs / "cache"
    shutil.copytree(trusted, cache)
    marker = tmp_path / "marker"
    plant(cache, marker)
    os.chown(theirs, NOBODY, NOBODY)
    result = build(content, tmp_path / "out", environment(PRESSKIT_CACHE_DIR=str(cache)))
    assert result.returncode == 0
    assert not marker.exists()
    assert "belongs to another user" in result.stderr
    assert outputs(tmp_path / "out") == expected
