"""Header safety: nothing that becomes a header may smuggle another header in.

Python 3.11.7's email package does not refold encoded words safely (CVE-2024-6923): a
subject such as ``x =?UTF-8?Q?=0A?=Bcc: y`` can come out as a real Bcc header. So
every text bound for a header is refused if it holds line breaks, other control
characters, Unicode line separators or the ``=?`` that opens an encoded word; and
every built message is parsed back and its headers compared with those intended.
"""

from __future__ import annotations

import re
from email.parser import BytesHeaderParser
from email.policy import compat32, default

_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]|=\?")


class HeaderInjection(ValueError):
    """A value bound for a header carries something that could forge another one."""


def check_header_text(value: str) -> str:
    """Return ``value`` if it is safe in a header; raise :class:`HeaderInjection`."""
    if match := _FORBIDDEN.search(value):
        found = match.group()
        what = "'=?' (an encoded-word opener)" if found == "=?" else f"U+{ord(found):04X}"
        raise HeaderInjection(
            f"contains {what} at position {match.start() + 1}, which is not allowed in an "
            "e-mail header"
        )
    return value


def verify_headers(message: bytes, intended: dict[str, str]) -> None:
    """Parse ``message`` back, decoding every header, and check its top-level headers
    are exactly ``intended`` (values compared as decoded text)."""
    parsed = BytesHeaderParser(policy=default).parsebytes(message)
    names = [name.lower() for name in parsed]
    expected = [name.lower() for name in intended]
    if sorted(names) != sorted(expected):
        extra = sorted(set(names) - set(expected))
        raise HeaderInjection(
            f"the built message has unexpected headers: {', '.join(extra) or names}"
        )
    for name, value in intended.items():
        got = str(parsed[name])
        if " ".join(got.split()) != " ".join(value.split()):
            raise HeaderInjection(f"the {name} header came out as {got!r}, not {value!r}")


def verify_raw_headers(head: bytes, intended: list[tuple[str, str]]) -> None:
    """Parse a header block back without decoding and check it holds exactly the
    ``intended`` (name, raw value) pairs, in order: the fast check run on every
    message, whose shared headers were checked decoded with :func:`verify_headers`."""
    parsed = BytesHeaderParser(policy=compat32).parsebytes(head)
    found = [(name.lower(), " ".join(value.split())) for name, value in parsed.items()]
    expected = [(name.lower(), " ".join(value.split())) for name, value in intended]
    if found != expected:
        extra = [name for name, _ in found if name not in {n for n, _ in expected}]
        differing = ", ".join(extra) or "values"
        raise HeaderInjection(
            f"the built message's headers differ from those intended ({differing})"
        )
