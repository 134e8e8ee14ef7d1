"""One process at a time: an advisory lock held for a block, refused at once when
another process holds it.

``flock`` is released by the kernel when its holder dies, however it dies, so a lock
left by a killed build never blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def held_alone(path: Path, busy: Exception) -> Iterator[None]:
    """Hold the lock file ``path`` (made if missing) for the block; raise ``busy``
    without waiting when another process holds it."""
    with path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
