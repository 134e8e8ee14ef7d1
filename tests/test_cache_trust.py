"""The cache folder is used only when it is the user's alone (issue 19).

A cache folder others can write (another user's, a shared 1777 one, a group-writable
one, a symbolic link) is where an attacker plants what the next build loads: compiled
templates are code, a pickle runs code as it is loaded, cffi's generated module was
imported. Each test plants, under the exact names a build uses (taken from a build
with a trusted cache), entries that write a marker file when they are run, then runs
``presskit build`` as a user would, and asserts: no marker, exit 0, one warning naming
the folder and why, and the same bytes as a build with a trusted cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import AURA

NOBODY = 65534
OUTPUTS = (".pdf", ".docx", ".html", ".ics", ".zip")


def run_build(out: Path, **cache: str) -> subprocess.CompletedProcess[str]:
    """``presskit build`` of the twelve-ecosystem fixture, in a fresh process, with the
    cache folder given by ``cache`` (PRESSKIT_CACHE_DIR or XDG_CACHE_HOME)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PRESSKIT_CACHE_DIR", "XDG_CACHE_HOME")
    }
    return subprocess.run(
        [sys.executable, "-m", "presskit", "build", "-q", str(AURA), "-o", str(out)],
        capture_output=True, text=True, timeout=300, cwd=out.parent,
        env={**environment, **cache},
    )  # fmt: skip


def outputs(folder: Path) -> dict[Path, bytes]:
    return {
        path.relative_to(folder): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.suffix in OUTPUTS
    }


def entries(cache: Path) -> dict[Path, os.stat_result]:
    return {path.relative_to(cache): path.stat() for path in cache.rglob("*") if path.is_file()}


def identities(cache: Path) -> dict[Path, tuple[int, int]]:
    """Each entry's inode and modification time: the same after a build that read
    it, new after one that made it again (written aside, then renamed)."""
    return {name: (stat.st_ino, stat.st_mtime_ns) for name, stat in entries(cache).items()}


@dataclass
class Trusted:
    """A build with a private cache folder: its outputs and its entries."""

    cache: Path
    outputs: dict[Path, bytes]
    entries: dict[Path, bytes]  # name below the cache folder: stored bytes


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Trusted:
    folder = tmp_path_factory.mktemp("trusted")
    cache = folder / "made" / "by" / "presskit"  # none of these exists yet
    done = run_build(folder / "out", PRESSKIT_CACHE_DIR=str(cache))
    assert (done.returncode, done.stderr) == (0, "")
    kept = {name: (cache / name).read_bytes() for name in entries(cache)}
    assert {name.parts[0] for name in kept} == {"templates", "cffi", "hyphenation", "images"}
    return Trusted(cache, outputs(folder / "out"), kept)


# -- what an attacker plants -----------------------------------------------------------


def with_digest(data: bytes) -> bytes:
    """An entry as presskit stores it: the SHA-256 of the data, then the data."""
    return hashlib.sha256(data).digest() + data


class Planted:
    """Runs, when unpickled, the code it was given: what pickle.loads does with it."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self) -> tuple[Callable[[str], object], tuple[str]]:
        return exec, (self.code,)


def marking(markers: Path, vector: str) -> str:
    """Python that leaves a file named ``vector`` in ``markers`` when run."""
    return f"import pathlib\npathlib.Path({str(markers / vector)!r}).write_text('ran')\n"


def malicious(name: Path, stored: bytes, markers: Path) -> bytes:
    """What to plant in place of the entry ``name`` (whose trusted bytes are
    ``stored``) so that running or unpickling it leaves a marker."""
    kind = name.parts[0]
    if kind == "templates":
        # A compiled template: the source's checksum, then marshalled code, which Jinja
        # runs to define the template. This one marks, then defines the real one.
        checksum, _, code = stored[32:].partition(b"\n")
        source = marking(markers, "template") + f"exec(__import__('marshal').loads({code!r}))\n"
        return with_digest(checksum + b"\n" + marshal.dumps(compile(source, "t", "exec")))
    if kind == "cffi":  # the module cffi generates, as it used to be imported
        return with_digest(marking(markers, "cffi").encode() + b"import _cffi_backend\n")
    if kind == "hyphenation":  # Pyphen's patterns, as they used to be pickled
        return with_digest(pickle.dumps(Planted(marking(markers, "pickle"))))
    # A scaled logo: another picture, which would change the documents if used.
    return with_digest((Path(__file__).parent / "fixtures" / "logo.png").read_bytes())


def plant(
    cache: Path, trusted: Trusted, markers: Path, owner: int | None = None
) -> dict[Path, bytes]:
    """The trusted cache's entries, each replaced by a malicious one, in ``cache``
    (made if missing), its folders and entries given to ``owner`` if set."""
    markers.mkdir(exist_ok=True)
    planted = {name: malicious(name, stored, markers) for name, stored in trusted.entries.items()}
    for name, data in planted.items():
        (cache / name).parent.mkdir(parents=True, exist_ok=True)
        (cache / name).write_bytes(data)
    if owner is not None:
        for path in [cache, *cache.rglob("*")]:
            os.chown(path, owner, owner)
    return planted


def contents(cache: Path) -> dict[Path, bytes]:
    return {name: (cache / name).read_bytes() for name in entries(cache)}


def assert_refused(
    done: subprocess.CompletedProcess[str], out: Path, trusted: Trusted, warning: str
) -> None:
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"presskit: warning: {warning}"]
    assert outputs(out) == trusted.outputs


# -- the tests -------------------------------------------------------------------------


def test_a_trusted_cache_is_private_and_reused(trusted: Trusted, tmp_path: Path) -> None:
    """The cache folder and its missing parents are made private; a second build
    reads every entry (none is made again: same file, same inode) and writes the
    same bytes."""
    made = trusted.cache.parent.parent
    subfolders = [path for path in trusted.cache.iterdir() if path.is_dir()]
    for folder in (made, made / "by", trusted.cache, *subfolders):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert {stat.st_mode & 0o777 for stat in entries(trusted.cache).values()} == {0o600}
    before = identities(trusted.cache)
    done = run_build(tmp_path / "out", PRESSKIT_CACHE_DIR=str(trusted.cache))
    assert (done.returncode, done.stderr) == (0, "")
    assert identities(trusted.cache) == before
    assert outputs(tmp_path / "out") == trusted.outputs


def test_planted_entries_in_a_private_folder_run_only_as_compiled_templates(
    trusted: Trusted, tmp_path: Path
) -> None:
    """The control for the tests below: in a folder that is the user's alone, the
    planted template is run (the names and format are right, and the tests below
    could fail), while the planted pickle and cffi module are not, even there: the
    patterns and the C declarations are kept as data, never loaded as code."""
    cache, markers = tmp_path / "cache", tmp_path / "markers"
    planted = plant(cache, trusted, markers)
    cache.chmod(0o700)
    done = run_build(tmp_path / "out", PRESSKIT_CACHE_DIR=str(cache))
    assert (done.returncode, done.stderr) == (0, "")
    assert sorted(path.name for path in markers.iterdir()) == ["template"]
    for name, data in contents(cache).items():  # the two not data were made again
        replaced = name.parts[0] in ("cffi", "hyphenation")
        assert (data != planted[name]) == replaced, name


SETUPS = {
    "world-writable (1777)": (0o1777, "it is writable by other users (mode 1777)"),
    "writable by its group": (0o770, "it is writable by other users (mode 770)"),
}


@pytest.mark.parametrize("setup", SETUPS, ids=list(SETUPS))
def test_a_cache_folder_others_can_write_is_not_used(
    setup: str, trusted: Trusted, tmp_path: Path
) -> None:
    cache, markers = tmp_path / "shared", tmp_path / "markers"
    mode, reason = SETUPS[setup]
    planted = plant(cache, trusted, markers)
    cache.chmod(mode)
    done = run_build(tmp_path / "out", PRESSKIT_CACHE_DIR=str(cache))
    assert list(markers.iterdir()) == []
    assert_refused(done, tmp_path / "out", trusted, f"not using the cache folder {cache}: {reason}")
    assert contents(cache) == planted  # nothing written there either


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
@pytest.mark.parametrize("variable", ["PRESSKIT_CACHE_DIR", "XDG_CACHE_HOME"])
def test_another_users_cache_folder_is_not_used(
    variable: str, trusted: Trusted, tmp_path: Path
) -> None:
    """The attack of the issue: a shared 1777 folder, another user's presskit folder
    in it, with a planted compiled template, pickle and cffi module."""
    shared, markers = tmp_path / "shared", tmp_path / "markers"
    shared.mkdir(mode=0o1777)
    shared.chmod(0o1777)
    cache = shared if variable == "PRESSKIT_CACHE_DIR" else shared / "presskit"
    planted = plant(cache, trusted, markers, owner=NOBODY)
    cache.chmod(0o1777)
    done = run_build(tmp_path / "out", **{variable: str(shared)})
    assert list(markers.iterdir()) == []
    reason = f"it is owned by uid {NOBODY} and writable by other users (mode 1777)"
    assert_refused(done, tmp_path / "out", trusted, f"not using the cache folder {cache}: {reason}")
    assert contents(cache) == planted


def test_a_cache_folder_reached_through_a_symlink_is_not_used(
    trusted: Trusted, tmp_path: Path
) -> None:
    target, markers, link = tmp_path / "elsewhere", tmp_path / "markers", tmp_path / "cache"
    plant(target, trusted, markers)
    target.chmod(0o700)  # private, but whoever made the link chose where it points
    link.symlink_to(target)
    done = run_build(tmp_path / "out", PRESSKIT_CACHE_DIR=str(link))
    assert list(markers.iterdir()) == []
    warning = f"not using the cache folder {link}: it is a symlink"
    assert_refused(done, tmp_path / "out", trusted, warning)


def test_a_folder_inside_the_cache_others_can_write_is_not_used(
    trusted: Trusted, tmp_path: Path
) -> None:
    """Each folder is checked from the cache folder down: a writable templates folder
    is left alone (warned about), the rest of the cache is used."""
    cache, markers = tmp_path / "cache", tmp_path / "markers"
    plant(cache, trusted, markers)
    for name, stored in trusted.entries.items():  # all but the templates are sound
        if name.parts[0] != "templates":
            (cache / name).write_bytes(stored)
    cache.chmod(0o700)
    (cache / "templates").chmod(0o777)
    before = identities(cache)
    done = run_build(tmp_path / "out", PRESSKIT_CACHE_DIR=str(cache))
    assert list(markers.iterdir()) == []
    folder = cache / "templates"
    assert_refused(
        done, tmp_path / "out", trusted,
        f"not using the cache folder {folder}: it is writable by other users (mode 777)",
    )  # fmt: skip
    assert identities(cache) == before  # the rest was read, not made again


def test_entries_others_can_write_or_symlinks_are_ignored_and_replaced(
    trusted: Trusted, tmp_path: Path
) -> None:
    """In a private folder, an entry writable by others, or a symbolic link to a
    planted file, is neither followed nor run: made again, replaced by a private
    one, without a word (the folder is the user's: they or presskit left it)."""
    cache, markers, outside = tmp_path / "cache", tmp_path / "markers", tmp_path / "outside"
    planted = plant(cache, trusted, markers)
    cache.chmod(0o700)
    outside.mkdir()
    for name in trusted.entries:
        if name.parts[0] == "templates":  # a link to the planted template
            (outside / name.name).write_bytes((cache / name).read_bytes())
            (cache / name).unlink()
            (cache / name).symlink_to(outside / name.name)
        else:
            (cache / name).chmod(0o666)
    done = run_build(tmp_path / "out", PRESSKIT_CACHE_DIR=str(cache))
    assert list(markers.iterdir()) == []
    assert (done.returncode, done.stderr) == (0, "")
    assert outputs(tmp_path / "out") == trusted.outputs
    for name, stat in entries(cache).items():
        assert not (cache / name).is_symlink()
        assert stat.st_mode & 0o777 == 0o600
        assert (cache / name).read_bytes() != planted[name]


@pytest.mark.parametrize("language", ["ca", "de"])
def test_patterns_kept_as_data_hyphenate_as_pyphens_own(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patterns read back from the cache (no pickle) are Pyphen's, nonstandard
    hyphens included (Catalan's ``l·l``: a change, an index and a cut)."""
    import pyphen

    from presskit.render import engine

    cache = tmp_path / "cache"
    monkeypatch.setenv("PRESSKIT_CACHE_DIR", str(cache))
    source = Path(str(pyphen.LANGUAGES[pyphen.language_fallback(language)]))
    own = table(pyphen.HyphDict(source))
    monkeypatch.setattr(pyphen, "hdcache", {})
    engine.preload_hyphenation(language)  # parsed, and kept
    kept = identities(cache)
    assert [name.parts[0] for name in kept] == ["hyphenation"]
    monkeypatch.setattr(pyphen, "hdcache", {})
    engine.preload_hyphenation(language)  # read back: the entry is not made again
    assert identities(cache) == kept
    assert table(pyphen.hdcache[source]) == own
    alternatives = [data for _, values in own.values() for _, data in values if data]
    assert bool(alternatives) == (language == "ca")


def table(dictionary: Any) -> dict[str, tuple[int, list[tuple[int, object]]]]:
    """A HyphDict's patterns, each value with its nonstandard hyphen's data."""
    return {
        tag: (start, [(int(value), getattr(value, "data", None)) for value in values])
        for tag, (start, values) in dictionary.patterns.items()
    } | {"": (dictionary.maxlen, [])}


FORKSERVER_POOL = """
from presskit.render.pdf import PdfPool
page = "<!DOCTYPE html><html lang=en><title>t</title><p>{}</p></html>"
with PdfPool(size=2, method="forkserver") as pool:  # as the preview starts its pool
    assert all(job.result().startswith(b"%PDF") for job in
               [pool.submit("pdf", page.format(n)) for n in range(2)])
"""


def test_workers_from_a_fork_server_do_not_warn_again(tmp_path: Path) -> None:
    """The preview's workers start from a fork server, without the parent's memory:
    the parent warns, they stay silent."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    done = subprocess.run(
        [sys.executable, "-c", FORKSERVER_POOL], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PRESSKIT_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    reason = "it is writable by other users (mode 777)"
    assert done.stderr.splitlines() == [
        f"presskit: warning: not using the cache folder {cache}: {reason}"
    ]
    assert list(cache.iterdir()) == []
