"""Reproducible outputs: the same content gives the same bytes, on any day.

Archives (the Word package, the press-kit ZIP) are dated by ``SOURCE_DATE_EPOCH`` when
it is set, as reproducible-build tools expect, else by the release's own date; never
by the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable


def build_date(issued: dt.date) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set, else midnight UTC on the release's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(issued, dt.time(), tzinfo=dt.UTC)


def zip_bytes(members: Iterable[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A deflated ZIP of ``members``, in the order given, each dated ``when``."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
