"""Press e-mails, composed from the same view as the documents, with the kit attached.

Per language, everything that is the same for every recipient is prepared once: the
subject and From headers, the HTML body (styles inlined by css-inline) and the plain
text body, and the attachments, base64-encoded once. Per recipient only the greeting,
the To and Message-ID headers and the two small bodies are encoded, so composing a
thousand messages takes a fraction of a second and none is held longer than needed.

The MIME structure is the usual one (``multipart/mixed`` holding a
``multipart/alternative`` text + HTML pair, then the PDF and the Word file), with
attachment names in RFC 2231 form beside an ASCII fallback. Every message is parsed
back and its headers compared with those intended before it leaves this module.

The bodies' templates (``email/message.html.j2``, ``email/message.txt.j2`` and
``email/message.css``) are theme parts: a ``--theme`` folder's own come first, the
built-in theme's fill in, and they run sandboxed like the release page's.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import format_datetime, parseaddr
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, TemplateError
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape
from slugify import slugify

from presskit.content.greeting import GreetingError, fill_greeting, greeting_fields
from presskit.content.model import PressRelease
from presskit.content.typography import typeset_text
from presskit.mail.recipients import Recipient
from presskit.render.html import content_environment, template_problem
from presskit.render.prose import prose_html, prose_inline_html, prose_text
from presskit.render.view import ReleaseView, theme_strings
from presskit.theme.folder import Theme, builtin_theme
from presskit.util.errors import PresskitError
from presskit.util.mailheaders import (
    HeaderInjection,
    check_header_text,
    fold,
    fold_mailbox,
    mailbox_of,
    verify_headers,
    verify_raw_headers,
)

HTML_TEMPLATE, TEXT_TEMPLATE, STYLESHEET = "message.html.j2", "message.txt.j2", "message.css"
GREETING = "PRESSKIT-GREETING-9D41C7"  # placeholder replaced per recipient
MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ics": "text/calendar; charset=utf-8; method=PUBLISH",  # the event invitation
}
CRLF = b"\r\n"


class MailError(PresskitError):
    """The e-mails cannot be composed as asked (sender, greeting, recipients)."""


@dataclass(frozen=True)
class Attachment:
    """A built document, encoded once for every message."""

    filename: str
    ascii_filename: str
    mime_type: str
    data: bytes
    part: bytes  # the complete MIME part: headers and base64 body

    @classmethod
    def of(cls, path: Path, display_name: str) -> Attachment:
        data = path.read_bytes()
        extension = path.suffix.lower().lstrip(".")
        filename = f"{display_name}.{extension}"
        ascii_stem = slugify(display_name, separator="-", lowercase=False, max_length=60)
        fallback = f"{ascii_stem or 'document'}.{extension}"
        mime = MIME_TYPES[extension]
        headers = (
            f'Content-Type: {mime};\r\n name="{fallback}"\r\n'
            "Content-Transfer-Encoding: base64\r\n"
            # RFC 2231 name first (clients that know it prefer it), ASCII fallback after.
            f"Content-Disposition: attachment;{_rfc2231('filename', filename)}\r\n"
            f' filename="{fallback}"\r\n\r\n'
        ).encode("ascii")
        body = base64.encodebytes(data).replace(b"\n", CRLF)
        return cls(filename, fallback, mime, data, headers + body)


def _rfc2231(parameter: str, value: str, width: int = 54) -> str:
    """``value`` as RFC 2231 continued, percent-encoded parameters, each on its own
    folded line (``filename*0*=utf-8''…;``), never splitting a ``%XX`` escape."""
    encoded = quote(value, safe="")
    pieces: list[str] = []
    while encoded:
        cut = min(width, len(encoded))
        while "%" in encoded[max(0, cut - 2) : cut] and cut < len(encoded):
            cut = encoded.rindex("%", 0, cut)  # keep each %XX escape whole
        pieces.append(encoded[:cut])
        encoded = encoded[cut:]
    charset = "utf-8''"
    lines = [
        f"\r\n {parameter}*{index}*={charset if index == 0 else ''}{piece};"
        for index, piece in enumerate(pieces)
    ]
    return "".join(lines)


@dataclass(frozen=True)
class Message:
    """One composed message, ready to save or send."""

    recipient: Recipient
    language: str
    message_id: str
    sender: str
    subject: str
    data: bytes
    key: str = ""
    """The journal's key: the same for one release and one address whatever the
    version, so that a corrected release is never sent again unnoticed."""
    version: str = ""
    """A digest of what the message says and carries, for this language."""


@dataclass
class _Language:
    """What every recipient of one language shares."""

    view: ReleaseView
    header_block: bytes  # From, Reply-To, Subject, Date, MIME-Version (folded)
    raw_headers: list[tuple[str, str]]  # the same, as (name, raw value) pairs
    subject: str
    html: str
    text: str
    greeting: str
    named_greeting: str
    attachments: list[Attachment]
    version: str


def attachment_name(view: ReleaseView) -> str:
    """A readable attachment name: "Communiqué de presse – Labellisation …"."""
    name = f"{view.kind} – {view.headline}"
    for bad in '/\\:*?"<>|':
        name = name.replace(bad, "-")
    return name if len(name) <= 100 else name[:99].rstrip() + "…"


class Composer:
    """Composes the press e-mail for each recipient, in their language."""

    def __init__(
        self,
        releases: list[PressRelease],
        views: dict[str, ReleaseView],
        documents: dict[str, dict[str, Path]],
        *,
        draft: bool = False,
        sender: str | None = None,
        reply_to: str | None = None,
        now: str | None = None,
        theme: Theme | None = None,
    ) -> None:
        self.slug = releases[0].file_stem
        self.theme = theme or builtin_theme()
        self.languages = [r.language for r in releases]
        self.draft = draft
        first = releases[0].mail
        self.sender = sender or (first.sender if first else None) or ""
        if not self.sender:
            raise MailError(
                "no sender: add 'mail: {from: Press office <press@example.org>}' to the content "
                "or 'from' to the --config file"
            )
        self.reply_to = reply_to or (first.reply_to if first else None)
        self.domain = parseaddr(self.sender)[1].rpartition("@")[2]
        self.date = now or format_datetime(_now())
        self._languages = {
            r.language: self._prepare(r, views[r.language], documents[r.language]) for r in releases
        }

    # -- per language --------------------------------------------------------------

    def _prepare(
        self, release: PressRelease, view: ReleaseView, files: dict[str, Path]
    ) -> _Language:
        name = attachment_name(view)
        attachments = [
            Attachment.of(files[fmt], name) for fmt in ("pdf", "docx", "ics") if fmt in files
        ]
        names = [a.filename for a in attachments]
        subject = subject_of(release, view)
        block = _header_block(self._intended_headers(subject))
        anonymous, named = greeting_templates(release, self.theme)
        html = _render_html(view, names, self.theme)
        text = _render_text(view, names, self.theme)
        return _Language(
            view=view,
            header_block=block,
            raw_headers=_raw_pairs(block),
            subject=subject,
            html=html,
            text=text,
            greeting=anonymous,
            named_greeting=named,
            attachments=attachments,
            version=_version(subject, html, text, attachments),
        )

    def _intended_headers(self, subject: str) -> dict[str, str]:
        """From, Reply-To (when there is one), Subject, Date and MIME-Version, in order."""
        intended = {"From": self.sender}
        if self.reply_to:
            intended["Reply-To"] = self.reply_to
        return intended | {"Subject": subject, "Date": self.date, "MIME-Version": "1.0"}

    # -- per recipient -------------------------------------------------------------

    def key(self, recipient: Recipient) -> str:
        """The same for one release and one address on every run: the journal's key."""
        return hashlib.sha256(f"{self.slug}\0{recipient.email.lower()}".encode()).hexdigest()[:32]

    def version(self, recipient: Recipient) -> str:
        """The version of what ``recipient`` reads, in their language."""
        return self._languages[recipient.language_in(self.languages)].version

    def message_id(self, recipient: Recipient) -> str:
        """Unique per release, address and version: a correction gets a new one."""
        version = self.version(recipient)
        digest = hashlib.sha256(f"{self.key(recipient)}\0{version}".encode()).hexdigest()
        return f"<{digest[:32]}.presskit@{self.domain}>"

    def compose(self, recipient: Recipient) -> Message:
        """The message for ``recipient``, checked header by header."""
        language = recipient.language_in(self.languages)
        shared = self._languages[language]
        message_id = self.message_id(recipient)
        head = self._checked_head(shared, recipient, message_id)
        data = head + CRLF + self._body(shared, recipient, _boundary(message_id))
        return Message(
            recipient,
            language,
            message_id,
            self.sender,
            shared.subject,
            data,
            key=self.key(recipient),
            version=shared.version,
        )

    def _checked_head(self, shared: _Language, recipient: Recipient, message_id: str) -> bytes:
        to = fold_mailbox("To", mailbox_of(recipient.name, recipient.email))
        own = self._own_headers(message_id)
        head = shared.header_block + to + "".join(f"{k}: {v}\r\n" for k, v in own).encode("ascii")
        verify_raw_headers(head + CRLF, shared.raw_headers + _raw_pairs(to) + own)
        return head

    def _own_headers(self, message_id: str) -> list[tuple[str, str]]:
        """Message-ID, the draft mark (for drafts) and the type, naming the boundary."""
        draft = [("X-Unsent", "1")] if self.draft else []
        mixed = f'multipart/mixed; boundary="{_boundary(message_id)}"'
        return [("Message-ID", message_id), *draft, ("Content-Type", mixed)]

    def _body(self, shared: _Language, recipient: Recipient, boundary: str) -> bytes:
        """The two bodies, greeting the recipient, then the attached documents."""
        bodies = _alternative(shared, self._greeting(shared, recipient), boundary + "_alt")
        return _multipart(boundary, [bodies, *(a.part for a in shared.attachments)])

    def compose_all(self, recipients: list[Recipient]) -> Iterator[Message]:
        """Messages one at a time, so a batch never sits whole in memory."""
        for recipient in recipients:
            yield self.compose(recipient)

    def _greeting(self, shared: _Language, recipient: Recipient) -> str:
        template = shared.named_greeting if recipient.name else shared.greeting
        text = fill_greeting(template, recipient.fields)
        return typeset_text(text, shared.view.language, self.theme)


def subject_of(release: PressRelease, view: ReleaseView) -> str:
    """The headline, after a short embargo prefix when there is one ("EMBARGO
    14/01/2027 07:00 CET – …", worded by the theme); safe as a header."""
    until = release.release.embargo_until
    if until is None:
        return check_header_text(view.headline)
    from babel.dates import format_date, format_datetime

    words, locale = view.strings, release.locale
    # Theme strings come typeset ("HH\u00a0:mm" in French): a pattern takes none.
    time_pattern = words["mail_subject_time"].replace("\u00a0", "").replace("\u202f", "")
    zone = until.tzname() or "UTC"
    if zone.startswith(("+", "-")):
        zone = f"UTC{zone}"
    try:
        subject = words["mail_subject_embargo"].format(
            date=format_date(until.date(), words["mail_subject_date"], locale=locale),
            time=format_datetime(until, time_pattern, tzinfo=until.tzinfo, locale=locale),
            zone=zone,
            when=view.embargo_until,
            headline=view.headline,
        )
    except (KeyError, IndexError, ValueError) as error:
        raise MailError(
            f"the theme's mail_subject_embargo ({release.language}) may use {{date}}, "
            f"{{time}}, {{zone}}, {{when}} and {{headline}} only: {error}"
        ) from None
    return check_header_text(subject)


def greeting_templates(release: PressRelease, theme: Theme | None = None) -> tuple[str, str]:
    """The greeting for recipients without a name, and for those with one."""
    own = release.mail.greeting if release.mail and release.mail.greeting else None
    words = theme_strings(release.language, theme)
    return own or words["mail_greeting"], own or words["mail_greeting_named"]


def greeting_problems(
    releases: list[PressRelease], recipients: list[Recipient], theme: Theme | None = None
) -> list[str]:
    """Every recipient whose greeting uses a column they lack, as messages."""
    languages = [r.language for r in releases]
    templates = {r.language: greeting_templates(r, theme) for r in releases}
    fields: dict[str, list[str]] = {}
    for language, pair in templates.items():
        for template in pair:
            try:
                fields[template] = greeting_fields(template)
            except GreetingError as error:
                return [f"the greeting ({language}) {template!r}: {error}"]
    problems = []
    for recipient in recipients:
        anonymous, named = templates[recipient.language_in(languages)]
        template = named if recipient.name else anonymous
        missing = [name for name in fields[template] if not recipient.fields.get(name)]
        for name in missing:
            problems.append(
                f"row {recipient.row}: the greeting uses {{{name}}}, which is empty or not a column"
            )
        if not missing:
            length = len(fill_greeting(template, recipient.fields))
            if length > MAX_GREETING_CHARS:
                problems.append(
                    f"row {recipient.row}: the greeting comes to {length:,} characters with "
                    f"this row's {', '.join(f'{{{n}}}' for n in dict.fromkeys(fields[template]))}"
                    f"; a greeting is one line of at most {MAX_GREETING_CHARS} characters"
                )
    return problems


MAX_GREETING_CHARS = 300
"""A greeting is one line ("Dear Jane Doe,"): filled in, it may not run longer."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _version(subject: str, html: str, text: str, attachments: list[Attachment]) -> str:
    """A digest of everything a recipient reads, so a changed release is noticed."""
    digest = hashlib.sha256()
    for part in (subject.encode(), html.encode(), text.encode(), *(a.data for a in attachments)):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def _raw_pairs(block: bytes) -> list[tuple[str, str]]:
    """(name, unfolded raw value) for each header of a block we built."""
    pairs: list[tuple[str, str]] = []
    for line in block.decode("ascii").split("\r\n"):
        if not line:
            continue
        if line[0] in " \t":
            name, value = pairs[-1]
            pairs[-1] = (name, value + line)
        else:
            name, _, value = line.partition(":")
            pairs.append((name, value.strip()))
    return pairs


def _header_block(intended: dict[str, str]) -> bytes:
    """The headers folded, then decoded back and compared with those intended (once per
    language)."""
    block = b"".join(_folded(name, value) for name, value in intended.items())
    verify_headers(block + CRLF, intended)
    return block


def _folded(name: str, value: str) -> bytes:
    """One header folded; an address header's display name encoded as mailboxes need."""
    return fold_mailbox(name, value) if name in ("From", "Reply-To") else fold(name, value)


def _boundary(message_id: str) -> str:
    """The ``multipart/mixed`` boundary: unique per message, never in base64 or QP text."""
    return "=_presskit_" + message_id[1:17]


def _multipart(boundary: str, parts: Iterable[bytes]) -> bytes:
    """A multipart body: each part after a ``--boundary`` line, then the closing line."""
    delimiter = f"--{boundary}\r\n".encode()
    return b"".join(delimiter + part for part in parts) + f"--{boundary}--\r\n".encode()


def _alternative(shared: _Language, greeting: str, boundary: str) -> bytes:
    """The text and HTML bodies, greeting the recipient, as a ``multipart/alternative``."""
    text = _text_part("plain", shared.text.replace(GREETING, greeting))
    html = _text_part("html", shared.html.replace(GREETING, str(escape(greeting))))
    head = f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode()
    return head + _multipart(boundary, [text, html])


def _text_part(subtype: str, text: str) -> bytes:
    """A ``text/plain`` or ``text/html`` part, quoted-printable, with CRLF line ends."""
    body = binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", CRLF)
    head = f"Content-Type: text/{subtype}; charset=utf-8\r\n".encode()
    return head + b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body + CRLF


# -- bodies -------------------------------------------------------------------------


@cache
def _environment(theme: Theme, autoescape: bool) -> Environment:
    """The e-mail templates' environment: the theme's ``email/`` folders, sandboxed."""
    env = content_environment(theme.email_dirs, autoescape=autoescape)
    env.filters.update(prose=prose_html, prose_inline=prose_inline_html, prose_text=prose_text)
    env.filters["underline"] = lambda text: f"{text}\n{'-' * len(text)}"
    return env


def check_templates(views: Iterable[ReleaseView], theme: Theme) -> None:
    """Render both bodies of each view once, so that a theme's broken template is
    reported (by name and line) before anything is built."""
    for view in views:
        _render_html(view, [], theme)
        _render_text(view, [], theme)


def _render(theme: Theme, name: str, **context: object) -> str:
    """One body's template rendered; its errors name the template and the line."""
    try:
        return _environment(theme, name == HTML_TEMPLATE).get_template(name).render(**context)
    except (TemplateError, SecurityError) as error:
        raise MailError(template_problem(error, name)) from None


def _context(view: ReleaseView, attachment_names: list[str]) -> dict[str, object]:
    """What both bodies' templates are given."""
    return {"v": view, "greeting_token": GREETING, "attachment_names": attachment_names}


def _render_html(view: ReleaseView, attachment_names: list[str], theme: Theme) -> str:
    import css_inline

    css = Markup(theme.email_file(STYLESHEET).read_text(encoding="utf-8"))
    html = _render(theme, HTML_TEMPLATE, **_context(view, attachment_names), css=css)
    return str(css_inline.inline(html))


def _render_text(view: ReleaseView, attachment_names: list[str], theme: Theme) -> str:
    text = _render(theme, TEXT_TEMPLATE, **_context(view, attachment_names))
    # Collapse the blank lines that optional sections leave behind.
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", lines).strip() + "\n"


__all__ = ["Attachment", "Composer", "HeaderInjection", "MailError", "Message"]
