"""``presskit mail`` and ``presskit send``: check everything, build the kit, then compose.

Recipients, the sender and the greetings are all checked before a single file is
written or a single message sent; then the PDF and Word files are built (the
attachments are exactly those files), and messages are composed one at a time.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit import atomic, yamlstrict
from presskit.build import FORMATS, build, output_dir
from presskit.errors import ContentError, Problem
from presskit.loader import load_all
from presskit.mail.compose import Composer, MailError, greeting_problems, subject_of
from presskit.mail.headers import HeaderInjection, mailbox
from presskit.mail.journal import Journal
from presskit.mail.recipients import Recipient, load_recipients
from presskit.mail.send import Report, Sender, SmtpSettings
from presskit.model import PressRelease
from presskit.view import build_view

CONFIG_KEYS = {"from", "reply_to", "smtp", "tls", "cafile", "user", "per_minute"}


@dataclass
class MailJob:
    """Everything checked and built: ready to compose."""

    composer: Composer
    recipients: list[Recipient]
    mail_dir: Path


def read_config(path: Path | None) -> dict[str, str]:
    """The optional configuration file: sender and SMTP settings, never a password."""
    if path is None:
        return {}
    try:
        document = yamlstrict.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(path, [Problem(1, "", f"cannot read the file: {error}")]) from None
    problems = list(document.problems)
    data: Any = document.data or {}
    if not isinstance(data, dict):
        raise ContentError(path, [Problem(1, "", "write keys such as from: and smtp:")])
    for key, value in data.items():
        line = document.line_of((key,))
        if "pass" in key.lower() or "secret" in key.lower():
            problems.append(
                Problem(
                    line, key, "passwords are never read from files: set PRESSKIT_SMTP_PASSWORD"
                )
            )
        elif key not in CONFIG_KEYS:
            problems.append(
                Problem(line, key, f"unknown key; use {', '.join(sorted(CONFIG_KEYS))}")
            )
        elif not isinstance(value, str):
            problems.append(Problem(line, key, "must be text"))
    if problems:
        raise ContentError(path, problems)
    return {k: v for k, v in data.items() if isinstance(v, str)}


def prepare(
    content: Path,
    recipients_path: Path,
    out_root: Path,
    config: dict[str, str],
    *,
    draft: bool,
) -> MailJob:
    """Check recipients, sender and greetings; build the kit; set up the composer."""
    recipients = load_recipients(recipients_path)
    releases = load_all(content)
    languages = [r.language for r in releases]
    needed = [
        code for code in languages if any(r.language_in(languages) == code for r in recipients)
    ]
    chosen = [r for r in releases if r.language in needed]
    sender, reply_to = _checked_addresses(config)
    if not (sender or (releases[0].mail and releases[0].mail.sender)):
        raise MailError(
            "no sender: add 'mail: {from: Press office <press@example.org>}' to the content "
            "or 'from:' to the --config file"
        )
    _refuse_a_past_embargo(chosen)
    problems = greeting_problems(chosen, recipients)
    if problems:
        raise MailError("\n".join(problems))
    views = {r.language: build_view(r) for r in chosen}
    for release in chosen:
        try:
            subject_of(release, views[release.language])
        except HeaderInjection as error:
            raise MailError(f"the subject ({release.language}) {error}") from None
    # Everything is checked: only now build the documents the messages will carry.
    result = build(content, out_root, [f for f in FORMATS if f != "html"], needed)
    documents: dict[str, dict[str, Path]] = {}
    for output in result.outputs:
        documents.setdefault(output.language, {})[output.format] = output.path
    try:
        composer = Composer(chosen, views, documents, draft=draft, sender=sender, reply_to=reply_to)
    except HeaderInjection as error:
        raise MailError(f"the subject or sender {error}") from None
    mail_dir = output_dir(out_root, releases[0].file_stem, "mail")
    return MailJob(composer, recipients, mail_dir)


def _refuse_a_past_embargo(releases: list[PressRelease]) -> None:
    """An e-mail announcing an embargo that has already ended misleads the press."""
    import datetime as dt

    until = releases[0].release.embargo_until
    if until is not None and until <= dt.datetime.now(dt.UTC):
        raise MailError(
            f"the embargo ended on {until:%Y-%m-%d %H:%M %Z}: remove embargo_until (for "
            "immediate release) or set a later one before sending"
        )


def _checked_addresses(config: dict[str, str]) -> tuple[str | None, str | None]:
    result = []
    for key in ("from", "reply_to"):
        value = config.get(key)
        try:
            result.append(mailbox(value) if value else None)
        except HeaderInjection as error:
            raise MailError(f"configuration '{key}': {error}") from None
    return result[0], result[1]


def draft_name(index: int, recipient: Recipient) -> str:
    """``003-jane-doe-example-org.eml``: sortable, readable, ASCII."""
    stem = re.sub(r"[^a-z0-9]+", "-", recipient.email.lower()).strip("-")[:60]
    return f"{index:03d}-{stem}.eml"


def write_drafts(job: MailJob) -> list[Path]:
    """One ``.eml`` per recipient, marked ``X-Unsent: 1`` so mail clients open a draft."""
    written = []
    for index, message in enumerate(job.composer.compose_all(job.recipients), start=1):
        path = job.mail_dir / draft_name(index, message.recipient)
        atomic.write_bytes(path, message.data)
        written.append(path)
    return written


def smtp_settings(
    target: str,
    config: dict[str, str],
    *,
    security: str | None,
    cafile: Path | None,
    user: str | None,
    per_minute: float | None,
    ask_password: Any = None,
) -> SmtpSettings:
    """Settings from the command line, then the configuration file, then defaults."""
    host, _, port = (target or config.get("smtp", "")).rpartition(":")
    if not host or not port.isdigit():
        raise MailError("give the SMTP server as HOST:PORT, e.g. --smtp smtp.example.org:587")
    chosen = security or config.get("tls") or ("tls" if port == "465" else "starttls")
    if chosen not in ("starttls", "tls", "none"):
        raise MailError("--tls must be starttls, tls or none")
    username = user or config.get("user") or os.environ.get("PRESSKIT_SMTP_USER")
    password = os.environ.get("PRESSKIT_SMTP_PASSWORD")
    if username and password is None:
        if ask_password is None:
            raise MailError("set PRESSKIT_SMTP_PASSWORD (or run in a terminal to be asked)")
        password = ask_password(f"SMTP password for {username}@{host}: ")
    rate = per_minute if per_minute is not None else config.get("per_minute")
    return SmtpSettings(
        host=host,
        port=int(port),
        security=chosen,  # type: ignore[arg-type]
        cafile=cafile or (Path(config["cafile"]) if config.get("cafile") else None),
        username=username,
        password=password,
        per_minute=float(rate) if rate else None,
    )


def send(job: MailJob, settings: SmtpSettings, *, progress: bool = True) -> Report:
    """Send the batch, following and extending the journal in the mail folder."""
    journal = Journal(job.mail_dir / "journal.jsonl")
    try:
        sender = Sender(settings, journal, progress=progress)
        sender.connect()
        return sender.send_all(job.composer.compose_all(job.recipients), len(job.recipients))
    finally:
        journal.close()


def dry_run(job: MailJob) -> list[str]:
    """Exactly what would be sent: one line per message, journal state included."""
    journal_path = job.mail_dir / "journal.jsonl"
    states: dict[str, tuple[str, str]] = {}
    if journal_path.exists():
        journal = Journal(journal_path)
        states = {key: (journal.state(key) or "", journal.version(key)) for key in journal.states}
        journal.close()
    lines = []
    for message in job.composer.compose_all(job.recipients):
        state, version = states.get(message.key, ("", ""))
        if state == "sent" and version not in ("", message.version):
            action = "skip (an earlier version was sent)"
        elif state in ("sent", "refused", "uncertain"):
            action = f"skip ({state})"
        else:
            action = "send"
        to = message.recipient
        who = f"{to.name} <{to.email}>" if to.name else to.email
        lines.append(
            f"{action}: {who} [{message.language}] {message.subject!r}, "
            f"{len(message.data) // 1024} KB, {message.message_id}"
        )
    return lines
