"""The send journal: what the server accepted, so a rerun never sends anything twice.

One JSON line per event, written before the next step:

- ``attempt`` just before the message's data goes to the server;
- ``sent`` once the server accepted it (250);
- ``refused`` when the server refused it for good (5xx);
- ``deferred`` when it could not be sent this time (4xx, connection lost before the
  data) and may be tried again.

Only ``attempt`` is synced to disk before going on: it is what keeps a message from
being sent twice. Every record is flushed to the system at once, which survives a
crash or Ctrl-C; if a power cut lost a later ``sent``, the message would show as
uncertain, which is reported and never resent.

On a rerun, ``sent`` and ``refused`` messages are skipped. An ``attempt`` with no
outcome means the connection died while the server had the data: the server may have
accepted it, so it is reported as uncertain and never resent automatically.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


@dataclass(frozen=True)
class Entry:
    """The last known state of one message."""

    state: str
    detail: str = ""
    version: str = ""


class Journal:
    """Append-only, synced record of each message's fate, keyed by release and address
    (the composer's ``key``), with the version of what was sent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.states: dict[str, Entry] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash: the attempt before it stands
                previous = self.states.get(record["id"])
                version = record.get("version") or (previous.version if previous else "")
                self.states[record["id"]] = Entry(
                    record["state"], record.get("detail", ""), version
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = path.open("a", encoding="utf-8")

    def state(self, key: str) -> str | None:
        """``sent``, ``refused``, ``uncertain``, ``deferred`` or None (never tried)."""
        entry = self.states.get(key)
        if entry is None:
            return None
        return "uncertain" if entry.state == "attempt" else entry.state

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
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._file.flush()
        if state == "attempt":
            os.fsync(self._file.fileno())
        self.states[key] = Entry(state, detail, version or self.version(key))

    def close(self) -> None:
        self._file.close()
