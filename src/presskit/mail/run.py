"""``presskit mail`` and ``presskit send``: check everything, build the kit, then compose.

Recipients, the sender and the greetings are all checked before a single file is
written or a single message sent; then the PDF and Word files are built (the
attachments are exactly those files), and messages are composed one at a time.
A send holds the batch's lock from before the build to its last message, and ends
with where every recipient of the batch stands (:func:`summarize`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit.content.loader import load_all, read_yaml
from presskit.content.model import PressRelease
from presskit.kit.build import FORMATS, build, output_dir
from presskit.mail.compose import (
    Composer,
    MailError,
    Message,
    check_templates,
    greeting_problems,
    subject_of,
)
from presskit.mail.journal import RESOLUTIONS, BatchLock, Journal
from presskit.mail.recipients import Recipient, RecipientList, load_recipients
from presskit.mail.send import BatchSummary, Report, Sender, SmtpSettings
from presskit.render.view import ReleaseView, build_view
from presskit.theme.folder import Theme
from presskit.util import atomic
from presskit.util.errors import BuildError, ContentError, Problem
from presskit.util.mailheaders import HeaderInjection, ascii_address, mailbox

CONFIG_KEYS = {"from", "reply_to", "smtp", "tls", "cafile", "user", "per_minute"}
PER_MINUTE = (0.1, 10_000.0)


@dataclass
class MailJob:
    """Everything checked and built: ready to compose."""

    composer: Composer
    recipients: list[Recipient]
    mail_dir: Path
    """Where the drafts go (in the output folder)."""
    warnings: list[str]
    lock: BatchLock | None = None
    journal_dir: Path = Path()
    """Where the batch's journal and lock live: the user's state folder, keyed by the
    batch, so that neither another output folder nor deleting it forgets a send."""

    @property
    def journal_path(self) -> Path:
        return self.journal_dir / JOURNAL


JOURNAL = "journal.jsonl"


def journal_folder(slug: str, mail_dir: Path) -> Path:
    """The batch's folder in the user's state folder (private, checked: a journal
    another user could edit could make presskit send twice). A journal an earlier
    presskit kept in the output folder is carried over the first time."""
    from presskit.util import statedir
    from presskit.util.trust import UntrustedFolder, private_folder

    try:
        folder = private_folder(private_folder(statedir.state_dir()) / "mail" / slug)
    except UntrustedFolder as error:
        raise MailError(str(error)) from None
    old = mail_dir / JOURNAL
    if not (folder / JOURNAL).exists() and old.is_file():
        atomic.write_bytes(folder / JOURNAL, old.read_bytes())
    return folder


def read_config(path: Path | None) -> dict[str, str]:
    """The optional configuration file: sender and SMTP settings, never a password."""
    if path is None:
        return {}
    document = read_yaml(path)
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
        elif key == "per_minute" and isinstance(value, str | int | float):
            try:
                checked_rate(float(value))
            except (ValueError, MailError) as error:
                problems.append(Problem(line, key, str(error)))
        elif not isinstance(value, str):
            problems.append(Problem(line, key, "must be text"))
    if problems:
        raise ContentError(path, problems)
    return {k: str(v) for k, v in data.items() if isinstance(v, str | int | float)}


def checked_rate(per_minute: float) -> float:
    """A sending pace presskit can keep: between 0.1 and 10,000 messages a minute."""
    low, high = PER_MINUTE
    if not low <= per_minute <= high:  # also refuses nan and inf
        raise MailError(f"per minute must be between {low:g} and {high:,.0f}, not {per_minute:g}")
    return per_minute


def prepare(
    content: Path,
    recipients_path: Path,
    out_root: Path,
    config: dict[str, str],
    *,
    draft: bool,
    lock: bool = False,
    theme: Path | None = None,
) -> MailJob:
    """Check recipients, sender and greetings; build the kit; set up the composer.

    With ``lock``, the batch's lock is taken once everything is checked and before
    the kit is built, and handed to :func:`send` in the job. A ``theme`` folder words
    and lays out the messages and the documents they carry, as ``build --theme`` does.
    """
    parts = Theme.resolve(theme)
    recipients = load_recipients(recipients_path)
    releases = load_all(content, parts)
    needed, chosen = _wanted_languages(releases, recipients)
    sender, reply_to = _checked_sender(config, releases[0])
    _refuse_a_past_embargo(chosen)
    views = _checked_messages(chosen, recipients, parts)
    mail_dir = output_dir(out_root, releases[0].file_stem, "mail")
    journal_dir = journal_folder(releases[0].file_stem, mail_dir)
    held = BatchLock(journal_dir).acquire() if lock else None
    try:
        # Everything is checked: only now build the documents the messages will carry.
        documents = _documents(content, out_root, needed, theme)
        try:
            composer = Composer(
                chosen, views, documents, draft=draft, sender=sender, reply_to=reply_to,
                theme=parts,
            )  # fmt: skip
        except HeaderInjection as error:
            raise MailError(f"the subject or sender {error}") from None
    except BaseException:
        if held:
            held.release()
        raise
    return MailJob(composer, recipients, mail_dir, recipients.warnings, held, journal_dir)


def _wanted_languages(
    releases: list[PressRelease], recipients: RecipientList
) -> tuple[list[str], list[PressRelease]]:
    """The languages some recipient reads, and their releases."""
    languages = [r.language for r in releases]
    needed = [
        code for code in languages if any(r.language_in(languages) == code for r in recipients)
    ]
    return needed, [r for r in releases if r.language in needed]


def _checked_sender(config: dict[str, str], first: PressRelease) -> tuple[str | None, str | None]:
    """The sender and reply-to of the --config file, checked; refused when neither it
    nor the content names a sender."""
    sender, reply_to = _checked_addresses(config)
    if not (sender or (first.mail and first.mail.sender)):
        raise MailError(
            "no sender: add 'mail: {from: Press office <press@example.org>}' to the content "
            "or 'from:' to the --config file"
        )
    return sender, reply_to


def _checked_messages(
    chosen: list[PressRelease], recipients: RecipientList, theme: Theme
) -> dict[str, ReleaseView]:
    """Each language's view, once its greetings, templates and subject are known to
    make a message for every recipient."""
    problems = greeting_problems(chosen, recipients, theme)
    if problems:
        raise MailError("\n".join(problems))
    views = {r.language: build_view(r, theme) for r in chosen}
    check_templates(views.values(), theme)
    for release in chosen:
        try:
            subject_of(release, views[release.language])
        except HeaderInjection as error:
            raise MailError(f"the subject ({release.language}) {error}") from None
    return views


def _documents(
    content: Path, out_root: Path, languages: list[str], theme: Path | None
) -> dict[str, dict[str, Path]]:
    """Build the documents the messages carry: each language's files by format."""
    result = build(content, out_root, [f for f in FORMATS if f != "html"], languages, theme=theme)
    return _by_language(result.outputs)


def _by_language(outputs: list[Any]) -> dict[str, dict[str, Path]]:
    """Each language's built files, by format."""
    documents: dict[str, dict[str, Path]] = {}
    for output in outputs:
        documents.setdefault(output.language, {})[output.format] = output.path
    return documents


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
    return _checked_mailbox(config, "from"), _checked_mailbox(config, "reply_to")


def _checked_mailbox(config: dict[str, str], key: str) -> str | None:
    value = config.get(key)
    try:
        return mailbox(value) if value else None
    except HeaderInjection as error:
        raise MailError(f"configuration '{key}': {error}") from None


def draft_name(index: int, recipient: Recipient) -> str:
    """``003-jane-doe-example-org.eml``: sortable, readable, ASCII."""
    stem = re.sub(r"[^a-z0-9]+", "-", recipient.email.lower()).strip("-")[:60]
    return f"{index:03d}-{stem}.eml"


def write_drafts(job: MailJob) -> list[Path]:
    """One ``.eml`` per recipient, marked ``X-Unsent: 1`` so mail clients open a draft."""
    written: list[Path] = []
    for index, message in enumerate(job.composer.compose_all(job.recipients), start=1):
        path = job.mail_dir / draft_name(index, message.recipient)
        try:
            atomic.write_bytes(path, message.data)
        except OSError as error:
            reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror
            raise BuildError(
                f"cannot write {path.name}: {reason}; {len(written)} of "
                f"{len(job.recipients)} drafts were written in {job.mail_dir}/ "
                f"(up to {written[-1].name if written else 'none'}), the others were not"
            ) from None
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
    host, port = _server(target or config.get("smtp", ""))
    chosen = _security(security or config.get("tls"), port)
    username = user or config.get("user") or os.environ.get("PRESSKIT_SMTP_USER")
    password = os.environ.get("PRESSKIT_SMTP_PASSWORD")
    if username and password is None:
        if ask_password is None:
            raise MailError("set PRESSKIT_SMTP_PASSWORD (or run in a terminal to be asked)")
        password = ask_password(f"SMTP password for {username}@{host}: ")
    rate = per_minute if per_minute is not None else config.get("per_minute")
    if rate is not None:
        try:
            rate = checked_rate(float(rate))
        except ValueError:
            raise MailError(f"per_minute must be a number, not {rate!r}") from None
    return SmtpSettings(
        host=host,
        port=int(port),
        security=chosen,  # type: ignore[arg-type]
        cafile=cafile or (Path(config["cafile"]) if config.get("cafile") else None),
        username=username,
        password=password,
        per_minute=float(rate) if rate else None,
    )


def _server(target: str) -> tuple[str, str]:
    """HOST and PORT of ``HOST:PORT``."""
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise MailError("give the SMTP server as HOST:PORT, e.g. --smtp smtp.example.org:587")
    return host, port


def _security(chosen: str | None, port: str) -> str:
    """The one chosen, else implicit TLS on port 465 and STARTTLS on any other."""
    security = chosen or ("tls" if port == "465" else "starttls")
    if security not in ("starttls", "tls", "none"):
        raise MailError("--tls must be starttls, tls or none")
    return security


def send(
    job: MailJob,
    settings: SmtpSettings,
    *,
    progress: bool = True,
    resolutions: list[tuple[str, str]] | None = None,
) -> Report:
    """Under the batch's lock: apply the user's resolutions, send what the journal says
    is to be sent, and report where the whole batch stands."""
    lock = job.lock or BatchLock(job.journal_dir).acquire()
    try:
        with contextlib.closing(Journal(job.journal_path)) as journal:
            resolve(job, journal, resolutions or [])
            return _send_batch(job, journal, Sender(settings, journal, progress=progress))
    finally:
        lock.release()
        job.lock = None


def _send_batch(job: MailJob, journal: Journal, sender: Sender) -> Report:
    if any(_to_send(job, journal, r) for r in job.recipients):
        sender.connect()  # a bad server or login stops the run before anything
    report = sender.send_all(job.composer.compose_all(job.recipients), len(job.recipients))
    report.batch = summarize(job, journal)
    return report


def _state(job: MailJob, journal: Journal, recipient: Recipient) -> str:
    return journal.state(job.composer.key(recipient)) or ""


def _to_send(job: MailJob, journal: Journal, recipient: Recipient) -> bool:
    return _state(job, journal, recipient) in ("", "deferred")


def resolve(job: MailJob, journal: Journal, resolutions: list[tuple[str, str]]) -> None:
    """Record the user's word on uncertain, refused or unsent messages: ``delivered``
    (nothing more to send) or ``resend``. Every resolution is checked before any is
    written; a delivered message is never resent."""
    by_address = {r.email.lower(): r for r in job.recipients}
    problems, chosen = [], []
    for address, action in resolutions:
        try:
            key_address = ascii_address(address).lower()
        except HeaderInjection as error:
            problems.append(f"--resolve {address}: {error}")
            continue
        recipient = by_address.get(key_address)
        if action not in RESOLUTIONS:
            problems.append(f"--resolve {address}={action}: write =delivered or =resend")
        elif recipient is None:
            problems.append(f"--resolve {address}: not a recipient of this batch")
        elif (state := _state(job, journal, recipient)) in ("", "sent"):
            what = "was delivered" if state else "has not been tried yet"
            problems.append(f"--resolve {address}: nothing to settle, it {what}")
        else:
            chosen.append((recipient, action))
    if problems:
        raise MailError("\n".join(problems))
    for recipient, action in chosen:
        journal.record(job.composer.key(recipient), "resolved", recipient.email, action)


def summarize(job: MailJob, journal: Journal) -> BatchSummary:
    """Where each recipient of the batch stands, from the journal: every run says it."""
    summary = BatchSummary(total=len(job.recipients))
    for recipient in job.recipients:
        key, address = job.composer.key(recipient), recipient.email
        state = journal.state(key)
        if state == "sent":
            version = journal.version(key)
            if version in ("", job.composer.version(recipient)):
                summary.delivered.append(address)
            else:
                summary.changed.append(address)
        elif state == "refused":
            summary.refused.append((address, journal.detail(key)))
        elif state == "uncertain":
            summary.uncertain.append(address)
        else:
            summary.not_sent.append((address, journal.detail(key) if state else "not tried"))
    return summary


def dry_run(job: MailJob) -> list[str]:
    """Exactly what would be sent: one line per message, journal state included."""
    states = _journal_states(job.journal_path)
    if job.lock:
        job.lock.release()
    return [_dry_run_line(message, states) for message in job.composer.compose_all(job.recipients)]


def _journal_states(path: Path) -> dict[str, tuple[str, str]]:
    """Each message's state and version in the journal, if there is one yet."""
    if not path.exists():
        return {}
    with contextlib.closing(Journal(path)) as journal:
        return {key: (journal.state(key) or "", journal.version(key)) for key in journal.states}


def _dry_run_line(message: Message, states: dict[str, tuple[str, str]]) -> str:
    action = _planned_action(message, *states.get(message.key, ("", "")))
    return (
        f"{action}: {message.recipient.shown} [{message.language}] {message.subject!r}, "
        f"{len(message.data) // 1024} KB, {message.message_id}"
    )


def _planned_action(message: Message, state: str, version: str) -> str:
    if state == "sent" and version not in ("", message.version):
        return "skip (an earlier version was sent)"
    if state == "uncertain":
        return "skip (uncertain: settle it with --resolve)"
    return f"skip ({state})" if state in ("sent", "refused") else "send"
