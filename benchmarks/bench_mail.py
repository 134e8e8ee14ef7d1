"""Benchmark: 1,000 personalised press e-mails (PDF + DOCX attached) to a loopback SMTP
server, against two baselines measured in the same run.

- presskit: compose with :class:`~presskit.mail.compose.Composer` (attachments encoded
  once per language) and send with :class:`~presskit.mail.send.Sender` over one
  connection, journalled;
- naive: build each message from scratch with the email package and open a new SMTP
  connection for each;
- raw: push pre-built messages (the same bytes) with ``smtplib.sendmail`` over one
  connection, which is as fast as the server takes them.

The server is aiosmtpd's Sink in its own process. Reports messages per second for
each, the time to compose the 1,000 messages (target <= 0.5 s), presskit / raw
(target >= 0.9x) and the growth of peak RSS while presskit sends (target < 50 MB).

Usage: python benchmarks/bench_mail.py [--messages N] [--rounds R]
"""

from __future__ import annotations

import argparse
import resource
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from presskit.assets.resources import DEFAULT_CONTENT
from presskit.mail import run
from presskit.mail.journal import Journal
from presskit.mail.send import Sender, SmtpSettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{port}",
        ],
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("the SMTP server did not start")


def recipients_file(folder: Path, count: int) -> Path:
    path = folder / "recipients.csv"
    lines = ["email;name;outlet;language"]
    for i in range(count):
        language = "fr" if i % 2 else "en"
        lines.append(
            f"journalist{i:04d}@example.org;Journaliste {i:04d};Outlet {i % 37};{language}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_presskit(job: run.MailJob, port: int, folder: Path) -> tuple[float, float]:
    """Messages per second, and peak-RSS growth in MB, for compose + send."""
    settings = SmtpSettings("127.0.0.1", port, security="none")
    journal = Journal(folder / f"journal-{time.monotonic_ns()}.jsonl")
    before = peak_rss_mb()
    started = time.perf_counter()
    sender = Sender(settings, journal, progress=False)
    report = sender.send_all(job.composer.compose_all(job.recipients), len(job.recipients))
    elapsed = time.perf_counter() - started
    journal.close()
    assert len(report.sent) == len(job.recipients), report
    return len(report.sent) / elapsed, peak_rss_mb() - before


def naive_message(job: run.MailJob, index: int, files: dict[str, dict[str, Path]]) -> EmailMessage:
    recipient = job.recipients[index]
    language = recipient.language_in(job.composer.languages)
    message = EmailMessage()
    message["From"] = job.composer.sender
    message["To"] = f"{recipient.name} <{recipient.email}>"
    message["Subject"] = "Press release"
    message.set_content(f"Dear {recipient.name},\n\nPlease find our press release attached.\n")
    message.add_alternative(
        f"<p>Dear {recipient.name},</p><p>Please find our press release attached.</p>",
        subtype="html",
    )
    for fmt, (maintype, subtype) in (
        ("pdf", ("application", "pdf")),
        ("docx", ("application", "octet-stream")),
    ):
        path = files[language][fmt]
        message.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return message


def bench_naive(job: run.MailJob, port: int, files: dict[str, dict[str, Path]]) -> float:
    started = time.perf_counter()
    for index in range(len(job.recipients)):
        message = naive_message(job, index, files)
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(message)
    return len(job.recipients) / (time.perf_counter() - started)


def raw_pool(job: run.MailJob, size: int = 20) -> list[tuple[str, bytes]]:
    """A few pre-built messages, cycled through: the same bytes on the wire as presskit's,
    without holding a thousand of them in memory."""
    messages = job.composer.compose_all(job.recipients[:size])
    return [(m.recipient.email, m.data) for m in messages]


def bench_raw(job: run.MailJob, port: int, pool: list[tuple[str, bytes]]) -> float:
    sender = job.composer.sender.split("<")[-1].rstrip(">")
    count = len(job.recipients)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for index in range(count):
            address, data = pool[index % len(pool)]
            smtp.sendmail(sender, [address], data)
    return count / (time.perf_counter() - started)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--messages", type=int, default=1000)
    options.add_argument("--rounds", type=int, default=3)
    arguments = options.parse_args()
    port = free_port()
    server = start_server(port)
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            recipients = recipients_file(folder, arguments.messages)
            config = {"from": "Press office <press@example.org>"}
            job = run.prepare(DEFAULT_CONTENT, recipients, folder / "out", config, draft=False)
            files: dict[str, dict[str, Path]] = {}
            for path in (folder / "out").rglob("*.*"):
                if path.suffix in (".pdf", ".docx"):
                    files.setdefault(path.parent.name, {})[path.suffix[1:]] = path

            compose_times = []
            for _ in range(3):
                started = time.perf_counter()
                total = sum(len(m.data) for m in job.composer.compose_all(job.recipients))
                compose_times.append(time.perf_counter() - started)
            compose = statistics.median(compose_times)

            rates: dict[str, list[float]] = {"presskit": [], "naive": [], "raw": []}
            rss_growth = []
            pool = raw_pool(job)
            for _ in range(arguments.rounds):  # alternating, so load drifts hit all three
                rates["raw"].append(bench_raw(job, port, pool))
                rate, growth = bench_presskit(job, port, folder)
                rates["presskit"].append(rate)
                rss_growth.append(growth)
                rates["naive"].append(bench_naive(job, port, files))
    finally:
        server.terminate()
        server.wait()

    n = arguments.messages
    medians = {name: statistics.median(values) for name, values in rates.items()}
    print(
        f"{n} messages of {total / n / 1024:.0f} KB on average (PDF + DOCX attached), "
        f"{arguments.rounds} rounds, medians:"
    )
    print(f"  compose {n} messages (presskit)         {compose:8.3f} s   (target <= 0.5 s)")
    for name, label in (
        ("presskit", "presskit compose + send"),
        ("naive", "naive: email package + new connection"),
        ("raw", "raw smtplib, pre-built, one connection"),
    ):
        print(f"  {label:<40} {medians[name]:8.0f} msg/s")
    ratio = medians["presskit"] / medians["raw"]
    print(f"  presskit / raw                            {ratio:8.2f}x  (target >= 0.9x)")
    versus_naive = medians["presskit"] / medians["naive"]
    print(f"  presskit / naive                          {versus_naive:8.2f}x")
    print(
        f"  peak RSS growth while sending             {max(rss_growth):8.1f} MB  (target < 50 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
