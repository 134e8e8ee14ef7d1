"""The user's cache folder: what presskit can recompute, kept between commands.

``$PRESSKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/presskit``, else
``~/.cache/presskit``. Everything in it is derived from files presskit reads (parsed
hyphenation patterns, compiled C declarations and templates, images scaled for the
page) and keyed by what it was derived from, so a stale entry is never read; deleting
the folder only costs the next command the time to make them again. Writes are atomic
and best effort: a read-only or full disk costs time, never a build.

**Only a folder that is the user's alone is used**, as OpenSSH's ``StrictModes``: what
is read from it ends up in the documents, and compiled templates are code. The cache
folder and each folder below it must be a real folder (not a symbolic link), owned by
the user running presskit and writable by no one else (neither its group nor the
world); otherwise a warning names it and why, once per process, and the command runs
without it (the same files, a little slower). Each entry is opened without following
a symbolic link and read only if it is a regular file, owned by the user and writable
by no one else, and its SHA-256 matches. Folders are walked down from the cache folder
through open descriptors (``openat``), so nothing can be swapped in between the check
and the read. Folders presskit creates (the cache folder, its missing parents, its
subfolders) are private (0700), entries 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path


def cache_dir() -> Path:
    """Where presskit keeps what it can recompute (see the module docstring)."""
    if explicit := os.environ.get("PRESSKIT_CACHE_DIR"):
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "presskit"


def key(parts: Iterable[object]) -> str:
    """A short digest of ``parts`` (their ``repr``), for a cache file's name."""
    text = "\n".join(repr(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def check_folder() -> bool:
    """Whether the cache folder can be used (a missing one can: it is made private),
    warning once when not. Called before a process starts its workers, which never
    warn: the warning is given once, by the process the user started."""
    folder = _open_root(create=False)
    if folder is None:
        return not os.path.lexists(cache_dir())
    os.close(folder)
    return True


_DIGEST = 32  # bytes of SHA-256 before an entry's data
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # the largest, German hyphenation patterns: 3 MB

_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# Non-blocking: a FIFO planted as an entry must not hold the read forever.
_ENTRY_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def read_entry(path: Path) -> bytes | None:
    """The data of an entry written by :func:`write_entry`, or None when there is no
    entry, a damaged one (its digest does not match: made again, never used), or one
    that is not the user's alone (see the module docstring)."""
    parts = _parts(path)
    folder = None if parts is None else _open_folder(parts[:-1], create=False)
    if parts is None or folder is None:
        return None
    try:
        descriptor = os.open(parts[-1], _ENTRY_FLAGS, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    stored = _read_trusted(descriptor)
    if stored is None:
        return None
    digest, data = stored[:_DIGEST], stored[_DIGEST:]
    return data if hashlib.sha256(data).digest() == digest else None


def _read_trusted(descriptor: int) -> bytes | None:
    """The open entry's bytes (and the descriptor closed): None unless it is a regular
    file of at most :data:`MAX_ENTRY_BYTES`, the user's alone."""
    with open(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_ENTRY_BYTES:
            return None
        if _distrust(status):
            return None  # not the user's alone: made again, and replaced
        try:
            return file.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None


def write_entry(path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` with its digest, through a private temporary file
    and a rename; give up quietly if the folder cannot be written or is not the
    user's alone. Not :func:`presskit.util.atomic.write_bytes`: a cache entry needs no
    sync to disk, and its rename must not hold Ctrl-C back as the rename of a kit's
    files does."""
    parts = _parts(path)
    folder = None if parts is None else _open_folder(parts[:-1], create=True)
    if parts is None or folder is None:
        return
    temporary = f".{parts[-1]}.{secrets.token_hex(6)}.tmp"
    try:
        descriptor = os.open(temporary, _NEW_FILE_FLAGS, 0o600, dir_fd=folder)
        with open(descriptor, "wb") as file:
            file.write(hashlib.sha256(data).digest() + data)
        os.replace(temporary, parts[-1], src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
    finally:
        os.close(folder)


# -------------------------------------------------------------- checking the folders


_warned: set[str] = set()


def _parts(path: Path) -> tuple[str, ...] | None:
    """``path``'s names below the cache folder (folders, then the entry), or None if
    it is not an entry of the cache folder."""
    try:
        parts = path.relative_to(cache_dir()).parts
    except ValueError:
        return None
    if not parts or any(part in (".", "..") for part in parts):
        return None
    return parts


def _open_root(create: bool) -> int | None:
    """A descriptor of the cache folder if it is the user's alone; None otherwise
    (missing, not a folder, or untrusted: then with a warning)."""
    if not hasattr(os, "geteuid"):
        return None  # no owners to check: no cache
    root = cache_dir()
    if create:
        _make_private_folders(root)
    try:
        descriptor = os.open(root, _FOLDER_FLAGS)
    except OSError:
        if os.path.islink(root):
            _warn_once(root, "it is a symlink")
        return None
    return _trusted(descriptor, root)


def _open_folder(names: tuple[str, ...], create: bool) -> int | None:
    """A descriptor of the folder ``names`` below the cache folder, each folder on
    the way checked as the cache folder is; made (private) if ``create``."""
    folder = _open_root(create)
    where = cache_dir()
    for name in names:
        if folder is None:
            return None
        where = where / name
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o700, dir_fd=folder)
            child: int | None = os.open(name, _FOLDER_FLAGS, dir_fd=folder)
        except OSError:
            child = None
            with contextlib.suppress(OSError):
                if stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
                    _warn_once(where, "it is a symlink")
        finally:
            os.close(folder)
        folder = None if child is None else _trusted(child, where)
    return folder


def _trusted(descriptor: int, where: Path) -> int | None:
    """``descriptor`` if the folder it is open on is the user's alone; else None,
    with a warning naming it."""
    reason = _distrust(os.fstat(descriptor))
    if reason is None:
        return descriptor
    os.close(descriptor)
    _warn_once(where, reason)
    return None


def _distrust(status: os.stat_result) -> str | None:
    """Why a folder or an entry with this status is not the user's alone, if so."""
    reasons = []
    if status.st_uid != os.geteuid():
        reasons.append(f"owned by uid {status.st_uid}")
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        reasons.append(f"writable by other users (mode {stat.S_IMODE(status.st_mode):o})")
    return f"it is {' and '.join(reasons)}" if reasons else None


def _make_private_folders(root: Path) -> None:
    """Make the cache folder and its missing parents, each readable by the user
    alone (``mkdir -p`` would make the parents with the default mode)."""
    missing = []
    folder = root.absolute()
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        except OSError:
            return


def _warn_once(where: Path, reason: str) -> None:
    if str(where) in _warned or _started_by_multiprocessing():
        return
    _warned.add(str(where))
    print(f"presskit: warning: not using the cache folder {where}: {reason}", file=sys.stderr)


def _started_by_multiprocessing() -> bool:
    """Whether this is a process multiprocessing started (the PDF zygote, its workers):
    its parent checked the folder first (:func:`check_folder`) and warned, if need be;
    a forked child knows it, one from a fork server or spawned does not."""
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is not None and multiprocessing.parent_process() is not None
