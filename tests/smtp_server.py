"""A real SMTP server on loopback (aiosmtpd) for the mail tests, with knobs for faults."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Recorder:
    """Stores what it accepts; can refuse addresses and drop connections on cue."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_at_mail: int | None = None  # drop the connection at this MAIL command (1-based)
    drop_after_data: int | None = None  # store message N, then drop before answering
    busy: dict[str, int] = field(default_factory=dict)  # address -> 451s still to give
    mails: int = 0

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.mails += 1
        if self.drop_at_mail is not None and self.mails >= self.drop_at_mail:
            server.transport.abort()
            return "421 4.3.2 going away"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        if self.drop_after_data is not None and len(self.messages) == self.drop_after_data:
            server.transport.abort()
        return "250 2.0.0 accepted"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1, with STARTTLS when given a certificate."""

    def __init__(
        self,
        recorder: Recorder,
        tls: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        **options: Any,
    ) -> None:
        self.recorder = recorder
        self.port = free_port()
        if implicit_tls:
            options["ssl_context"] = tls
        else:
            options |= {"tls_context": tls, "require_starttls": tls is not None}
        self.controller = Controller(recorder, hostname="127.0.0.1", port=self.port, **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
