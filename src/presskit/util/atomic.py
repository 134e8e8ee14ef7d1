"""Atomic file writes: readers see the old file or the new one, never half of one.

:func:`write_all` extends this to a set of files: each is first written and synced
to a temporary file beside its target, and only when all of them are on disk are
they renamed into place, so a full disk or a failing folder halfway leaves every
earlier file as it was. Ctrl-C, SIGTERM, SIGHUP or SIGQUIT arriving during the renames
(a few microseconds) is held back until the last one is done, so the set switches as a
whole: the interruption then surfaces as :class:`InterruptedAfterWriting`, which
says the new files are all in place. A signal the process ignores stays ignored.
Temporary files left by a process killed outright (SIGKILL, power loss) are removed
by the next write into the same folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

TEMP_SUFFIX = ".tmp"


class InterruptedAfterWriting(KeyboardInterrupt):
    """Ctrl-C came while the new files were being put in place; they all are."""


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temp file in the same folder."""
    write_all([(path, data)])


def write_all(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file, or none: stage them all, then rename them all.

    The caller must be the only writer of these folders (presskit holds a lock per
    kit): leftover temporary files of earlier, killed writers are removed first.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(path, data), path))
        with signals_held():
            for temp, path in staged:
                os.replace(temp, path)  # same folder, so same file system: atomic
    except BaseException:
        for temp, _ in staged:
            _remove(temp)
        raise


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete the temporary files a killed writer left in ``folder``; return them."""
    removed = []
    with contextlib.suppress(OSError):
        for path in folder.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and the signals that end a process (SIGTERM, SIGHUP when
    the terminal goes, SIGQUIT) back for the duration (main thread only: elsewhere
    Python delivers them to the main thread anyway), then act on them: Ctrl-C as
    :class:`InterruptedAfterWriting`, the others as they would have acted."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = _hold(received)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    _act_on(received)


def _hold(received: list[int]) -> dict[int, Any]:
    """Record the held signals in ``received`` instead of acting on them; their
    handlers until now, by number.

    A signal the process was started ignoring (SIGINT in a background job, SIGHUP
    under nohup) stays ignored: holding it would make it act where it never would.
    A handler installed outside Python (None) is not ours to replace either."""

    def remember(number: int, frame: FrameType | None) -> None:
        received.append(number)

    return {
        number: signal.signal(number, remember)
        for number in _HELD
        if signal.getsignal(number) not in (signal.SIG_IGN, None)
    }


def _act_on(received: list[int]) -> None:
    """The held signals, each as it would have acted (its own handler back); Ctrl-C
    as :class:`InterruptedAfterWriting`."""
    for number in _ENDING:
        if number in received:
            signal.raise_signal(number)  # with its own handler back: as if it came now
    if signal.SIGINT in received:
        raise InterruptedAfterWriting()


_ENDING = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
_HELD = (signal.SIGINT, *_ENDING)


def _stage(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        _remove(temp)
        raise
    return temp


def _remove(temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)
