"""The send journal: the truth about every message of a batch, and the lock on it.

One JSON line per event, written before the next step:

- ``attempt`` just before the message's data goes to the server (synced to disk);
- ``sent`` once the server accepted it (250);
- ``refused`` when the server refused it for good (5xx), with its answer;
- ``deferred`` when it could not be sent this time (4xx, connection lost before the
  data) and may be tried again;
- ``answered`` when the server answered a message's data with a failure, so the
  ``attempt`` before it is settled;
- ``resolved`` when the user settled an uncertain or refused message with
  ``--resolve ADDRESS=delivered|resend``.

An ``attempt`` with no outcome after it means the process or the connection died
while the server may have had the data (a kill -9, a power cut, a dropped line): the
message is *uncertain*. It is reported by every run, keeps the exit status non-zero and
is never resent, until the user says what happened. Every record is flushed at once;
a power cut could lose a ``sent`` after its ``attempt``, which makes the message
uncertain, never resent.

:class:`BatchLock` makes one ``presskit send`` at a time per batch: the second one
stops at once, naming the first (its PID and start time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from presskit.util.errors import PresskitError

STATES = {"attempt", "sent", "refused", "deferred", "answered", "resolved"}
RESOLUTIONS = ("delivered", "resend")


class JournalError(PresskitError):
    """The journal cannot be read or written; its file and line are named."""


class BatchBusy(PresskitError):
    """Another ``presskit send`` holds the batch."""


@dataclass(frozen=True)
class Entry:
    """The last known state of one message."""

    state: str
    detail: str = ""
    version: str = ""


class Journal:
    """Append-only record of each message's fate, keyed by release and address (the
    composer's ``key``), with the version of what was sent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.states: dict[str, Entry] = {}
        ends_cleanly = True
        if path.exists():
            ends_cleanly = self._read(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not ends_cleanly:
                _drop_cut_record(path)
            self._file: IO[str] = path.open("a", encoding="utf-8")
        except OSError as error:
            raise JournalError(f"cannot write the journal {path}: {error.strerror}") from None

    def _read(self, path: Path) -> bool:
        """Load every record; return whether the file ends with a whole line."""
        text = _text_of(path)
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = _record(line)
            except (ValueError, KeyError, TypeError) as error:
                if number == len(lines):
                    return False  # the last record, cut short by a crash: its attempt stands
                raise _damaged(path, number, error) from None
            self._apply(
                record["id"], record["state"], record.get("detail", ""), record.get("version", "")
            )
        return text == "" or text.endswith("\n")

    def _apply(self, key: str, state: str, detail: str, version: str) -> None:
        previous = self.states.get(key)
        self.states[key] = Entry(state, detail, version or (previous.version if previous else ""))

    def state(self, key: str) -> str | None:
        """``sent``, ``refused``, ``uncertain``, ``deferred`` or None (to be sent)."""
        entry = self.states.get(key)
        if entry is None or entry.state == "answered":
            return None
        if entry.state == "attempt":
            return "uncertain"
        if entry.state == "resolved":
            return "sent" if entry.detail == "delivered" else None
        return entry.state

    def detail(self, key: str) -> str:
        """The server's answer for a refused or deferred message."""
        entry = self.states.get(key)
        return entry.detail if entry else ""

    def version(self, key: str) -> str:
        """The version of the message last attempted or sent under ``key``."""
        entry = self.states.get(key)
        return entry.version if entry else ""

    def record(
        self, key: str, state: str, recipient: str, detail: str = "", version: str = ""
    ) -> None:
        """Write one event; an ``attempt`` is made durable before going on."""
        line: dict[str, Any] = {"time": round(time.time(), 3), "id": key, "to": recipient}
        line |= {"state": state}
        if detail:
            line["detail"] = detail
        if version:
            line["version"] = version
        try:
            self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
            self._file.flush()
            # Written, perhaps not yet durable: from here on, the file may say it.
            self._apply(key, state, detail, version)
            if state == "attempt":
                os.fsync(self._file.fileno())
        except OSError as error:
            raise JournalError(
                f"cannot write the journal {self.path}: {error.strerror or error}"
            ) from None

    def close(self) -> None:
        with contextlib.suppress(OSError):  # what could be written was
            self._file.close()


def _text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise JournalError(f"cannot read the journal {path}: {error.strerror}") from None


def _drop_cut_record(path: Path) -> None:
    """A record cut short by a crash never took effect (an attempt is synced before its
    data goes out): drop it, keep every whole line."""
    with path.open("r+b") as damaged:
        data = damaged.read()
        damaged.truncate(data.rfind(b"\n") + 1)


def _record(line: str) -> dict[str, Any]:
    """One line of the journal, with a text ``id`` and a known ``state``."""
    record: dict[str, Any] = json.loads(line)
    if not isinstance(record["id"], str) or record["state"] not in STATES:
        raise ValueError(f"unknown state {record['state']!r}")
    return record


def _damaged(path: Path, number: int, error: Exception) -> JournalError:
    return JournalError(
        f"{path}:{number}: the journal is damaged ({_why(error)}); it was not "
        "written by presskit as it stands. Restore it, or move it away to "
        "start the batch afresh (every recipient would be sent to again)"
    )


def _why(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"no {error.args[0]!r} in the record"
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON: {error.msg}"
    return str(error)


class BatchLock:
    """An exclusive lock on a batch's mail folder for the whole of a send.

    ``flock`` is released by the kernel when its holder dies, however it dies, so a
    lock is never stale; the holder's PID and start time, written into the lock file,
    only name it to a second sender (and whether that process still runs).
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / "send.lock"
        self._fd: int | None = None

    def acquire(self) -> BatchLock:
        fd = self._open()
        self._lock(fd)
        _label(fd)
        self._fd = fd
        return self

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise JournalError(f"cannot lock {self.path}: {error.strerror}") from None

    def _lock(self, fd: int) -> None:
        """Take the lock, or close ``fd`` and say who holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise BatchBusy(
                f"another presskit send is sending this batch ({holder}); nothing was sent "
                f"by this one. Wait for it to finish, then run send again to see the whole "
                f"batch (lock: {self.path})"
            ) from None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None


def _label(fd: int) -> None:
    """The holder's PID and start time, written into the lock file to name it."""
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    with contextlib.suppress(OSError):  # the lock holds without its label
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started": started}).encode(), 0)


def _holder(fd: int) -> str:
    """ "PID 1234, started 2026-01-14 07:00:02 UTC", from the lock file."""
    try:
        label = json.loads(os.pread(fd, 4096, 0) or b"{}")
        pid, started = int(label["pid"]), str(label["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return "its PID is not recorded"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return f"PID {pid}, started {started}, has ended; a process it started holds the lock"
    except PermissionError:
        pass  # alive, another user's
    return f"PID {pid}, started {started}"
