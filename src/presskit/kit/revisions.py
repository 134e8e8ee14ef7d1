"""Revisions: when a version of a release last changed, so that readers and calendars
see a correction, and see nothing when nothing changed.

Each build keeps, beside the kit's lock (``<out>/<slug>/.presskit-revisions.json``,
written with the kit's files and only then), a small record per language: a digest
of what the version shows, its revision number and the moment it was last modified
(UTC, whole seconds). Building again:

- the first time, a version is revision 0, modified when it is published (its
  embargo's end, else midnight UTC on its dateline date): a fresh build of the same
  content gives the same bytes on any day;
- with the same content, the record is kept as it is, so the outputs are the same;
- with changed content, the revision goes up by one and is modified now (or at
  ``SOURCE_DATE_EPOCH`` when set, as reproducible-build tools expect).

The invitation carries the revision as ``SEQUENCE`` and ``DTSTAMP``; the newsroom as
Atom ``updated``, schema.org ``dateModified`` and the sitemap's ``lastmod``.

What a version shows is its views (the release's and the kit document's: every text,
date and link as worded), the bytes of the pictures they show, and whatever the
caller adds (the invitation's facts); not the theme's layout nor presskit's version,
so that an upgrade is no correction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from presskit.content.markdown import Prose
from presskit.content.model import Image, PressRelease

RECORD_NAME = ".presskit-revisions.json"
MAX_RECORD_BYTES = 1_000_000  # a few hundred bytes per language: anything larger is not ours


@dataclass(frozen=True)
class Revision:
    """One version's revision: what it showed, its number, when it last changed."""

    digest: str
    number: int
    modified: dt.datetime
    """UTC, whole seconds."""


def published_at(release: PressRelease) -> dt.datetime:
    """When the version may first be read: its embargo's end, else midnight UTC on its date."""
    until = release.release.embargo_until
    if until is not None:
        return until.astimezone(dt.UTC).replace(microsecond=0)
    return dt.datetime.combine(release.dateline.date, dt.time(), tzinfo=dt.UTC)


def first_revision(release: PressRelease, digest: str) -> Revision:
    """Revision 0, modified when the version is published."""
    return Revision(digest, 0, published_at(release))


def next_revision(
    previous: Revision | None, release: PressRelease, digest: str, now: dt.datetime
) -> Revision:
    """The version's revision for content with ``digest``: the previous one when the
    content is unchanged, the next one (modified ``now``, never before the previous
    one) when it changed, the first when there was none."""
    if previous is None:
        return first_revision(release, digest)
    if previous.digest == digest:
        return previous
    return Revision(digest, previous.number + 1, max(now, previous.modified))


def clock() -> dt.datetime:
    """Now, in UTC and whole seconds; ``SOURCE_DATE_EPOCH`` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def content_digest(shown: object, *extra: bytes) -> str:
    """SHA-256 of what the version shows: its views, their pictures' bytes, ``extra``."""
    text = json.dumps(_canonical(shown), ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(b"".join(b"\0" + part for part in extra))
    return digest.hexdigest()


def _canonical_model(value: BaseModel) -> dict[str, Any]:
    """A model's fields; a picture's file by its digest."""
    fields = {name: _canonical(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Image):
        fields["file"] = _file_digest(value.path)
    return fields


def _canonical_dataclass(value: Any) -> dict[str, Any]:
    """A view's fields; those left out of its repr (the theme's whole wording) are
    not shown as such."""
    return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}


def _canonical(value: Any) -> Any:
    """``value`` as plain JSON data: pictures by their bytes' digest, not their path
    (the same content built from another folder is the same version)."""
    if isinstance(value, Prose):
        pictures = [_file_digest(Path(span.src)) for span in value.images() if span.src]
        return {"markdown": value.source, "pictures": pictures}
    if isinstance(value, BaseModel):
        return _canonical_model(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _canonical_dataclass(value)
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Enum):
        return _canonical(value.value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _file_digest(path: Path) -> str:
    try:
        status = path.stat()
    except OSError:
        return ""  # checked when the content was loaded; a picture gone is reported there
    return _digest_of(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=256)
def _digest_of(path: Path, _mtime: int, _size: int) -> str:
    # Keyed by time and size too, so that a replaced picture is read again.
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def record_path(state_dir: Path) -> Path:
    """The kit's revision record, in the folder of its other hidden files."""
    return state_dir / RECORD_NAME


def read_record(state_dir: Path) -> dict[str, Revision]:
    """Each language's last revision; none when the record is missing or damaged (the
    versions then start again at revision 0)."""
    raw = _read_regular(record_path(state_dir))
    if raw is None:
        return {}
    try:
        versions = json.loads(raw)["versions"]
        return {str(language): _recorded(entry) for language, entry in versions.items()}
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return {}


def _recorded(entry: Any) -> Revision:
    """One language's revision as the record gives it."""
    modified = _utc(dt.datetime.fromisoformat(str(entry["modified"])))
    return Revision(str(entry["digest"]), int(entry["revision"]), modified)


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("no zone")
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _read_regular(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file of reasonable size (not a link, a
    FIFO or a device someone put there), else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        data = file.read(MAX_RECORD_BYTES + 1)
    return data if len(data) <= MAX_RECORD_BYTES else None


def record_bytes(revisions: dict[str, Revision]) -> bytes:
    """The record of ``revisions``, the same bytes for the same revisions."""
    versions = {language: _entry(revision) for language, revision in sorted(revisions.items())}
    return (json.dumps({"versions": versions}, indent=1, sort_keys=True) + "\n").encode()


def _entry(revision: Revision) -> dict[str, object]:
    """One language's revision as the record keeps it."""
    modified = revision.modified.astimezone(dt.UTC).isoformat()
    return {"digest": revision.digest, "revision": revision.number, "modified": modified}
