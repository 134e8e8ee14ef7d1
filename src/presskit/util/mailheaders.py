"""Header safety and encoding: every header presskit writes says exactly what was meant.

Python 3.11.7's email package does not refold encoded words safely (CVE-2024-6923): a
subject such as ``x =?UTF-8?Q?=0A?=Bcc: y`` can come out as a real Bcc header. So
every text bound for a header is refused if it holds line breaks, other control
characters, Unicode line separators or the ``=?`` that opens an encoded word.

Headers are folded and RFC 2047-encoded by the email package (``policy.SMTP``), then
parsed back with ``policy.default`` and compared *decoded* with what was meant: a
display name in any script ("Réseau …", "Δημήτρης", "日本経済新聞") is carried as
encoded words and must come back as the same text. Addresses are checked once here,
for the content's sender and for every recipient alike, so that what passes the
checks cannot fail while composing or sending.

It sits below the model and the mail package: the model checks the content's sender
with it, the mail package builds every message with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.header import Header
from email.headerregistry import Address
from email.parser import BytesHeaderParser
from email.policy import SMTP, compat32, default

from email_validator import EmailNotValidError, validate_email

_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]|=\?")
MAX_NAME = 200
"""Characters in a display name: longer ones are refused up front."""
MAX_LINE = 998
"""RFC 5322's limit on a header line, CRLF excluded."""


class HeaderInjection(ValueError):
    """A value bound for a header carries something that could forge another one,
    or could not be carried intact."""


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


def ascii_address(value: str) -> str:
    """A valid address as it travels: an internationalised domain in its ASCII form
    (RFC 5890, ``xn--…``); a local part outside ASCII is refused, since it would need
    SMTPUTF8 from every server on the way."""
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        if not value.partition("@")[0].isascii():
            raise HeaderInjection(
                "has characters outside ASCII before the @, which many mail servers "
                "cannot deliver (SMTPUTF8); ask for an ASCII address"
            ) from None
        raise HeaderInjection(f"not a valid address: {error}") from None
    return str(checked.ascii_email)


def mailbox(value: str) -> str:
    """``Name <address>`` or a bare address, checked and returned in canonical form:
    the name as text (quoted where it holds commas or quotes), the address in ASCII."""
    check_header_text(value)
    parsed = default.header_factory("From", value)
    addresses: tuple[Address, ...] = getattr(parsed, "addresses", ())
    if len(addresses) != 1 or not addresses[0].addr_spec or "@" not in addresses[0].addr_spec:
        raise HeaderInjection(
            "write one e-mail address, optionally as 'Name <address>' (put a name holding "
            'a comma in double quotes: "Doe, Jane" <jane@example.org>)'
        )
    return mailbox_of(addresses[0].display_name, addresses[0].addr_spec)


def mailbox_of(name: str, address: str) -> str:
    """``Name <address>`` for a checked name and address, verified to fold and parse
    back to the same name and address; raise :class:`HeaderInjection` otherwise."""
    check_header_text(name)
    if len(name) > MAX_NAME:
        raise HeaderInjection(f"the name is longer than {MAX_NAME} characters")
    address = ascii_address(address)
    if not name.strip():
        return address
    value = str(Address(display_name=name.strip(), addr_spec=address))
    fold_mailbox("To", value)
    return value


def fold_mailbox(name: str, value: str) -> bytes:
    """An address header (From, To, Reply-To), folded, encoded and verified.

    The email package splits a long display name into several encoded words, and
    then reads the folding whitespace between them back as a space inside the name
    ("Société Générale de P resse"). Such a name is carried as one encoded word on
    its own line instead, which the package and mail clients read back whole.
    """
    folded = fold(name, value)
    try:
        verify_headers(folded + b"\r\n", {name: value})
        return folded
    except HeaderInjection:
        (address,) = default.header_factory(name, value).addresses
        if address.display_name.isascii():
            raise
    words = Header(address.display_name, "utf-8").encode(maxlinelen=10 * MAX_LINE)
    folded = f"{name}:\r\n {words}\r\n <{address.addr_spec}>\r\n".encode("ascii")
    verify_headers(folded + b"\r\n", {name: value})
    return folded


def fold(name: str, value: str) -> bytes:
    """One header, folded and RFC 2047-encoded where needed, as CRLF-ended bytes.

    Values were checked by :func:`check_header_text` (no line breaks, no ``=?``), so
    the folding cannot be led into forging another header.
    """
    folded: str = SMTP.header_factory(name, value).fold(policy=SMTP)
    return folded.encode("ascii")


def _check_names(names: list[str], expected: list[str]) -> None:
    """The same headers, in any order, none more."""
    if sorted(names) != sorted(expected):
        extra = sorted(set(names) - set(expected))
        raise HeaderInjection(
            f"the built message has unexpected headers: {', '.join(extra) or names}"
        )


def verify_headers(message: bytes, intended: dict[str, str]) -> None:
    """Parse ``message`` back, decoding every header, and check its top-level headers
    are exactly ``intended``, compared as decoded text (addresses as name and address)."""
    if any(len(line) > MAX_LINE for line in message.split(b"\r\n")):
        raise HeaderInjection(f"a header line would exceed {MAX_LINE} characters")
    parsed = BytesHeaderParser(policy=default).parsebytes(message)
    _check_names([name.lower() for name in parsed], [name.lower() for name in intended])
    for name, value in intended.items():
        got, meant = parsed[name], default.header_factory(name, value)
        if _decoded(got) != _decoded(meant):
            raise HeaderInjection(
                f"the {name} header would read {str(got)!r}, not {value!r}; the e-mail "
                "package cannot carry it intact (shorten long words in the name)"
            )


def _decoded(header: object) -> object:
    """What a reader sees: (name, address) pairs for address headers, else the text."""
    addresses = getattr(header, "addresses", None)
    if addresses is not None:
        return [(a.display_name, a.addr_spec) for a in addresses]
    return " ".join(str(header).split())


def verify_raw_headers(head: bytes, intended: list[tuple[str, str]]) -> None:
    """Parse a header block back without decoding and check it holds exactly the
    ``intended`` (name, raw value) pairs, in order: the fast check run on every
    message, whose values were each checked decoded with :func:`verify_headers`."""
    parsed = BytesHeaderParser(policy=compat32).parsebytes(head)
    found, expected = _normalised(parsed.items()), _normalised(intended)
    if found != expected:
        extra = [name for name, _ in found if name not in {n for n, _ in expected}]
        differing = ", ".join(extra) or "values"
        raise HeaderInjection(
            f"the built message's headers differ from those intended ({differing})"
        )


def _normalised(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Names in lower case, and each value's white space as single spaces."""
    return [(name.lower(), " ".join(value.split())) for name, value in headers]
