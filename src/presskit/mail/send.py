"""Delivery over SMTP: one verified TLS connection, paced, journalled, retried.

- TLS always, with certificate verification: STARTTLS (default) or implicit TLS; a
  private CA file may be trusted. A server that does not offer STARTTLS is refused,
  never used in clear, unless plain SMTP was asked for explicitly (a local relay).
- One connection for the batch, reopened only when it drops.
- Each recipient's refusal (5xx) is reported and the batch goes on; temporary
  failures (4xx, lost connections before the data) are retried with back-off.
- The message size is compared with the server's advertised SIZE before sending.
- The journal (:mod:`.journal`) makes a rerun send only what the server has not
  accepted; a message whose fate is uncertain is reported, never resent until the
  user settles it. If the journal cannot be written (a full disk), the batch stops
  there, and what was done is still reported.
"""

from __future__ import annotations

import functools
import smtplib
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from queue import Full, Queue
from typing import Literal

from presskit.mail.compose import Message
from presskit.mail.journal import Journal, JournalError
from presskit.util.errors import PresskitError

Security = Literal["starttls", "tls", "none"]


class SendError(PresskitError):
    """The batch cannot start or go on (no TLS, bad certificate, login refused, …)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; the password comes from the environment or a prompt."""

    host: str
    port: int
    security: Security = "starttls"
    cafile: Path | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    per_minute: float | None = None
    retries: int = 3
    backoff: float = 2.0


@dataclass
class BatchSummary:
    """Where every recipient of the batch stands, after this run and all before it."""

    total: int = 0
    delivered: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """Delivered an earlier version of the release: the new one is not sent."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    not_sent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every recipient has the message, as the journal knows it."""
        return len(self.delivered) == self.total


@dataclass
class Report:
    """What this run did to each message, and where the whole batch stands."""

    sent: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[tuple[str, str]] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """Addresses that received an earlier version: the new one is not sent."""
    stopped: str = ""
    """Why the batch stopped before its end (the journal could not be written)."""
    batch: BatchSummary | None = None

    @property
    def complete(self) -> bool:
        """Every recipient of the batch delivered (this run's view when no summary)."""
        if self.batch is not None:
            return self.batch.complete and not self.stopped
        return not self.deferred and not self.uncertain and not self.stopped


class _Temporary(Exception):
    """A failure worth another try (4xx, connection lost before the data)."""


class _Refused(Exception):
    """The server refused this message for good (5xx)."""


class _Uncertain(Exception):
    """The connection died after the data went out: the server may have the message."""


class Sender:
    """Sends messages over one SMTP connection, following the journal."""

    def __init__(
        self,
        settings: SmtpSettings,
        journal: Journal,
        *,
        progress: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.journal = journal
        self.progress = progress
        self._sleep = sleep
        self._clock = clock
        self._smtp: smtplib.SMTP | None = None
        self.size_limit = 0

    # -- connection ------------------------------------------------------------------

    def _context(self) -> ssl.SSLContext:
        cafile = str(self.settings.cafile) if self.settings.cafile else None
        try:
            return ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError) as error:
            raise SendError(f"cannot use the CA file {cafile}: {error}") from None

    def connect(self) -> smtplib.SMTP:
        """Open, secure and log in; raise :class:`SendError` with the reason."""
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise SendError(
                        f"{where} does not offer STARTTLS; refusing to send in clear "
                        "(use --tls none only for a local relay you trust)"
                    )
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password or "")
        except ssl.SSLCertVerificationError as error:
            raise SendError(
                f"{where}: the server's certificate is not trusted ({error.verify_message}); "
                "for a private server, pass its CA with --cafile"
            ) from None
        except smtplib.SMTPAuthenticationError as error:
            raise SendError(f"{where}: login refused ({error.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as error:
            raise SendError(f"cannot connect to {where}: {error}") from None
        self.size_limit = int(smtp.esmtp_features.get("size", "0") or 0)
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    # -- the batch -------------------------------------------------------------------

    def send_all(self, messages: Iterable[Message], total: int) -> Report:
        """Send each message not yet settled in the journal; return what happened."""
        report = Report()
        interval = 60.0 / self.settings.per_minute if self.settings.per_minute else 0.0
        next_slot = self._clock()
        bar = _progress(total, self.progress)
        try:
            for message in prefetch(messages):
                state = self.journal.state(message.key)
                if state == "sent" and self.journal.version(message.key) not in (
                    "",
                    message.version,
                ):
                    report.changed.append(message.recipient.email)
                    bar.update(1)
                    continue
                if state in ("sent", "refused", "uncertain"):
                    report.already.append((message.recipient.email, state))
                    bar.update(1)
                    continue
                if interval:
                    self._sleep(max(0.0, next_slot - self._clock()))
                    next_slot = max(next_slot, self._clock()) + interval
                try:
                    self._deliver(message, report)
                except (JournalError, SendError) as error:
                    # Nothing more is sent once the journal cannot say what was, or the
                    # server cannot be reached again; the run still reports the batch.
                    report.stopped = str(error)
                    break
                bar.update(1)
        finally:
            bar.close()
            self.close()
        return report

    def _deliver(self, message: Message, report: Report) -> None:
        address = message.recipient.email
        if self._smtp is None:
            self.connect()
        if self.size_limit and len(message.data) > self.size_limit:
            reason = f"{len(message.data)} bytes, over the server's limit of {self.size_limit}"
            self.journal.record(message.key, "refused", address, reason)
            report.refused.append((address, reason))
            return
        last = ""
        for attempt in range(self.settings.retries + 1):
            if attempt:
                self._sleep(self.settings.backoff * 2 ** (attempt - 1))
            try:
                self._transaction(message)
            except _Refused as refusal:
                self.journal.record(message.key, "refused", address, str(refusal))
                report.refused.append((address, str(refusal)))
                return
            except _Uncertain as error:
                report.uncertain.append(address)
                self._drop(f"lost after the data: {error}")
                return
            except _Temporary as error:
                last = str(error)
                continue
            self.journal.record(message.key, "sent", address)
            report.sent.append(address)
            return
        self.journal.record(message.key, "deferred", address, last)
        report.deferred.append((address, last))

    def _transaction(self, message: Message) -> None:
        """MAIL, RCPT, DATA for one message, classifying every failure."""
        try:
            smtp = self._smtp or self.connect()
        except SendError as error:
            raise _Temporary(str(error)) from None
        sender = _envelope_sender(message.sender)
        try:
            self._expect(
                smtp.mail(sender, [f"SIZE={len(message.data)}"] if self.size_limit else []), smtp
            )
            self._expect(smtp.rcpt(message.recipient.email), smtp)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._drop(str(error))
            raise _Temporary(f"connection lost: {error}") from None
        self.journal.record(
            message.key, "attempt", message.recipient.email, version=message.version
        )
        try:
            code, reply = smtp.data(message.data)
        except smtplib.SMTPDataError as error:  # refused before the data went out
            self._reset(smtp)
            self._forget_attempt(message)
            self._classify(error.smtp_code, error.smtp_error)
            return
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as error:
            self._drop(str(error))
            raise _Uncertain(str(error)) from None
        if code != 250:
            self._forget_attempt(message)
            self._classify(code, reply)

    def _forget_attempt(self, message: Message) -> None:
        """The server answered, so the message's fate is known again."""
        self.journal.record(message.key, "answered", message.recipient.email)

    def _expect(self, answer: tuple[int, bytes], smtp: smtplib.SMTP) -> None:
        code, reply = answer
        if code in (250, 251):
            return
        self._reset(smtp)
        self._classify(code, reply)

    def _classify(self, code: int, reply: bytes | str) -> None:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        if 400 <= code < 500:
            raise _Temporary(f"{code} {text}")
        raise _Refused(f"{code} {text}")

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop("reset failed")

    def _drop(self, reason: str) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None


def prefetch(messages: Iterable[Message], depth: int = 2) -> Iterator[Message]:
    """Compose the next messages in a thread while this one waits on the server.

    Sending is mostly waiting for the server's replies, during which the thread can
    hold the interpreter; ``depth`` bounds how many composed messages wait in memory.
    """
    queue: Queue[Message | BaseException | None] = Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for message in messages:
                while not stop.is_set():
                    try:
                        queue.put(message, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(None)
        except BaseException as error:  # re-raised in the consumer
            queue.put(error)

    worker = threading.Thread(target=produce, name="presskit-compose", daemon=True)
    worker.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


@functools.lru_cache(maxsize=8)
def _envelope_sender(sender: str) -> str:
    """The address part of ``Name <address>``, parsed once per batch."""
    return parseaddr(sender)[1]


class _NoBar:
    def update(self, n: int) -> None: ...
    def close(self) -> None: ...


class _RichBar(_NoBar):
    """A rich progress bar on the terminal (none when output is not a terminal)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._progress = Progress(
            "sending", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True),
        )  # fmt: skip
        self._task = self._progress.add_task("sending", total=total)
        self._progress.start()

    def update(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def close(self) -> None:
        self._progress.stop()


def _progress(total: int, enabled: bool) -> _NoBar:
    if not enabled or not sys.stderr.isatty():
        return _NoBar()
    return _RichBar(total)
