"""The user's cache folder: what presskit can recompute, kept between commands.

``$PRESSKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/presskit``, else
``~/.cache/presskit``. Everything in it is derived from files presskit reads (parsed
hyphenation patterns, compiled C declarations and templates, images scaled for the
page) and keyed by what it was derived from, so a stale entry is never read; deleting
the folder only costs the next command the time to make them again. Writes are atomic
and best effort: a read-only or full disk costs time, never a build.

Some entries are code (compiled declarations and templates) or pickles, which run when
loaded: the folder is trusted only as OpenSSH's ``StrictModes`` trusts a home folder.
The cache folder must be a real folder (not a symbolic link), owned by the user and
writable by no one else, inside folders that no other user can rename it out of
(owned by the user or by root, and writable by others only with the sticky bit, as
``/tmp`` is); each entry must be a regular file, opened without following a link,
owned by the user and writable by no one else. A folder that fails is not used at all
(one warning, then the command runs as if there were no cache), and an entry that fails
is made again: nothing another user could have written is ever loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from presskit.trust import distrust, untrusted

MAX_ENTRY_BYTES = 64 * 1024 * 1024  # far beyond any entry: a scaled photo, patterns


def cache_dir() -> Path:
    """Where presskit keeps what it can recompute (see the module docstring)."""
    explicit = os.environ.get("PRESSKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "presskit"


def key(parts: Iterable[object]) -> str:
    """A short digest of ``parts`` (their ``repr``), for a cache file's name."""
    text = "\n".join(repr(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


_DIGEST = 32  # bytes of SHA-256 before an entry's data


def read_entry(path: Path) -> bytes | None:
    """The data of an entry written by :func:`write_entry`, or None when there is no
    entry, a damaged one (its digest does not match), or one that is not safely ours
    (see the module docstring): made again, never used."""
    stored = read_bytes(path)
    if stored is None:
        return None
    digest, data = stored[:_DIGEST], stored[_DIGEST:]
    return data if hashlib.sha256(data).digest() == digest else None


def write_entry(path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` with its digest, best effort (see :func:`write_bytes`)."""
    write_bytes(path, hashlib.sha256(data).digest() + data)


def read_bytes(path: Path) -> bytes | None:
    """The bytes of the cache file ``path``, when the cache folder is trusted and the
    file is a regular file of the user's that no one else can write; else None."""
    if not _trusted_folder(path.parent):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or untrusted(info) or info.st_size > MAX_ENTRY_BYTES:
            return None
        return file.read(MAX_ENTRY_BYTES + 1)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; give up
    quietly if the folder cannot be written or is not trusted. Not
    :func:`presskit.atomic.write_bytes`: a cache entry needs no sync to disk, and its
    rename must not hold Ctrl-C back as the rename of a kit's files does."""
    if not _make_folder(path.parent):
        return
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)


def usable_folder(folder: Path) -> Path | None:
    """``folder`` (inside the cache folder), made if need be, when it can be trusted;
    None otherwise. For a library that reads and writes a folder itself."""
    return folder if _make_folder(folder) else None


def check_folder() -> bool:
    """Decide now whether the cache folder can be trusted (saying so once if not): a
    process about to fork its workers calls this first, so that they inherit the
    answer instead of each saying it again."""
    return _root_trusted(str(cache_dir()))


# -- trust -------------------------------------------------------------------------------


def _trusted_folder(folder: Path) -> bool:
    """Whether ``folder`` lies in a trusted cache folder and is itself trusted."""
    root = cache_dir()
    if not _root_trusted(str(root)):
        return False
    try:
        relative = folder.relative_to(root)
    except ValueError:
        return False
    current = root
    for part in relative.parts:
        current = current / part
        try:
            info = os.lstat(current)
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode) or untrusted(info):
            return False
    return True


def _make_folder(folder: Path) -> bool:
    """Make ``folder`` (private to the user) in the cache folder; whether it is trusted."""
    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _root_trusted(str(root)):
            return False
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    return _trusted_folder(folder)


_verdicts: dict[str, bool] = {}


def _root_trusted(root: str) -> bool:
    """Decided once per process (and inherited by its forks) for a folder that exists;
    a distrusted one is said once, on standard error. A folder not made yet is made
    by presskit, private, when an entry is first written."""
    if root in _verdicts:
        return _verdicts[root]
    if not os.path.lexists(root):
        return True
    reason = distrust(Path(root))
    if reason is not None:
        print(
            f"presskit: not using the cache folder {root}: {reason}; working without it",
            file=sys.stderr,
        )
    _verdicts[root] = reason is None
    return reason is None
