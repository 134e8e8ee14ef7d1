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


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it is not there (or cannot be read)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; give up
    quietly if the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)
