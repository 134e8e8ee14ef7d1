"""The user's cache folder: what presskit can recompute, kept between commands.

``$PRESSKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/presskit``, else
``~/.cache/presskit``. Everything in it is derived from files presskit reads (parsed
hyphenation patterns, compiled C declarations and templates, images scaled for the
page) and keyed by what it was derived from, so a stale entry is never read; deleting
the folder only costs the next command the time to make them again. Writes are atomic
and best effort: a read-only or full disk costs time, never a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


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
    entry, or a damaged one (its digest does not match: made again, never used)."""
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    digest, data = stored[:_DIGEST], stored[_DIGEST:]
    return data if hashlib.sha256(data).digest() == digest else None


def write_entry(path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` with its digest, best effort (see :func:`write_bytes`)."""
    write_bytes(path, hashlib.sha256(data).digest() + data)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; give up
    quietly if the folder cannot be written. Not :func:`presskit.atomic.write_bytes`:
    a cache entry needs no sync to disk, and its rename must not hold Ctrl-C back
    as the rename of a kit's files does."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)
