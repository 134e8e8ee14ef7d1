"""One batch, one sender, and a journal that tells the whole truth on every run.

Delivered to a real aiosmtpd server on loopback (plain SMTP, ``--tls none``): a second
send of a batch is refused while the first runs; an uncertain or refused message keeps
every run's exit status non-zero until the user settles it with ``--resolve``; a damaged
journal, a full disk and bad settings are clear messages.
"""

from __future__ import annotations

import errno
import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from presskit.cli import main
from presskit.mail import journal as journal_module
from presskit.mail import run
from presskit.mail.journal import BatchBusy, BatchLock
from presskit.mail.send import SmtpSettings
from presskit.util import atomic
from presskit.util.errors import ContentError

from .conftest import MINIMAL, state_journal, write_content
from .smtp_server import Recorder, SmtpServer

CONTENT = MINIMAL.replace("headline: A headline", "headline: Drei Ökosysteme für Köln") + (
    "mail:\n  from: Presseamt Köln <presse@example.de>\n"
)
RECIPIENTS = "email,name\n" + "".join(
    f"person{n}@example.org,Redakteurin Nr. {n}\n" for n in range(1, 6)
)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def server(recorder: Recorder) -> Iterator[SmtpServer]:
    with SmtpServer(recorder) as smtp:
        yield smtp


@pytest.fixture
def files(content_dir: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    recipients = tmp_path / "recipients.csv"
    recipients.write_text(RECIPIENTS, encoding="utf-8")
    return write_content(content_dir, CONTENT), recipients, tmp_path / "out"


def command(*argv: str) -> int:
    """``presskit ARGV``'s exit status, usage errors included."""
    try:
        return main(list(argv))
    except SystemExit as stop:  # argparse's usage errors
        return int(stop.code or 0)


def send(files: tuple[Path, Path, Path], server: SmtpServer, *extra: str) -> int:
    content, recipients, out = files
    return command(
        "send", str(content), "--to", str(recipients), "-o", str(out),
        "--smtp", f"127.0.0.1:{server.port}", "--tls", "none", *extra,
    )  # fmt: skip


def delivered(recorder: Recorder) -> Counter[str]:
    return Counter(to[0] for _, to, _ in recorder.messages)


def test_an_uncertain_message_keeps_every_run_non_zero_until_resolved(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.recorder.drop_after_data = 2  # the server keeps message 2 but never says so
    assert send(files, server) == 2
    first = capsys.readouterr().out
    assert "uncertain person2@example.org" in first
    assert "batch of 5: delivered 4, refused 0, uncertain 1, not sent 0" in first
    server.recorder.drop_after_data = None
    assert send(files, server) == 2  # the rerun says it again, and sends nothing
    again = capsys.readouterr().out
    assert "uncertain person2@example.org" in again and "--resolve person2@example.org" in again
    assert "this run: sent 0" in again
    assert send(files, server, "--resolve", "person2@example.org=delivered") == 0
    assert "delivered 5, refused 0, uncertain 0, not sent 0" in capsys.readouterr().out
    assert delivered(server.recorder) == {f"person{n}@example.org": 1 for n in range(1, 6)}


def test_resend_after_a_refusal_or_an_uncertain_message_is_the_users_explicit_choice(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.recorder.refuse = {"person3@example.org"}
    assert send(files, server) == 2
    assert send(files, server) == 2  # a refusal from an earlier run is not "already done"
    out = capsys.readouterr().out
    assert out.count("refused person3@example.org: 550 5.1.1 mailbox unavailable") == 2
    server.recorder.refuse = set()
    assert send(files, server, "--resolve", "person3@example.org=resend") == 0
    assert delivered(server.recorder)["person3@example.org"] == 1


def test_resolutions_are_checked_before_any_is_written(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(files, server) == 0
    journal = state_journal()
    before = journal.read_bytes()
    assert send(files, server, "--resolve", "person1@example.org=resend",
                "--resolve", "nobody@example.org=delivered") == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "--resolve person1@example.org: nothing to settle, it was delivered" in err
    assert "--resolve nobody@example.org: not a recipient of this batch" in err
    assert journal.read_bytes() == before
    assert send(files, server, "--resolve", "person1@example.org=maybe") == 1
    assert len(server.recorder.messages) == 5


def test_a_second_send_of_the_batch_is_refused_naming_the_first(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    content, recipients, out = files
    job = run.prepare(content, recipients, out, {}, draft=False)
    held = BatchLock(job.journal_dir).acquire()  # the first sender, still running
    try:
        assert send(files, server) == 2
    finally:
        held.release()
    err = capsys.readouterr().err
    assert f"another presskit send is sending this batch (PID {os.getpid()}, started " in err
    assert server.recorder.messages == []
    # The holder is gone: its lock went with it, whatever the lock file still says.
    assert json.loads((job.journal_dir / "send.lock").read_text())["pid"] == os.getpid()
    assert send(files, server) == 0


def test_two_sends_at_once_never_duplicate(
    files: tuple[Path, Path, Path], server: SmtpServer
) -> None:
    content, recipients, out = files
    job = run.prepare(content, recipients, out, {}, draft=False)
    settings = SmtpSettings("127.0.0.1", server.port, security="none", timeout=5)
    trials = int(os.environ.get("PRESSKIT_CONCURRENT_TRIALS", "20"))
    duplicates, refused_runs = 0, 0
    for _ in range(trials):
        job.journal_path.unlink(missing_ok=True)
        server.recorder.messages.clear()
        start = threading.Barrier(2)
        outcomes: list[object] = []

        def one_send(start: threading.Barrier = start, outcomes: list[object] = outcomes) -> None:
            start.wait()
            try:
                outcomes.append(run.send(job, settings, progress=False))
            except BatchBusy as error:
                outcomes.append(error)

        threads = [threading.Thread(target=one_send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = delivered(server.recorder)
        duplicates += sum(n - 1 for n in counts.values())
        refused_runs += sum(isinstance(o, BatchBusy) for o in outcomes)
        assert len(counts) == 5
    assert duplicates == 0
    assert refused_runs >= 1  # the lock was met, not just luck in the timing


def test_a_damaged_journal_is_named_with_its_line(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(files, server) == 0
    journal = state_journal()
    lines = journal.read_text().splitlines()
    lines[1] = json.dumps({"time": 1, "state": "sent"})  # no "id"
    journal.write_text("\n".join(lines) + "\n")
    assert send(files, server) == 2
    assert f"{journal}:2: the journal is damaged (no 'id' in the record)" in capsys.readouterr().err
    assert len(server.recorder.messages) == 5


def test_a_record_cut_short_by_a_crash_leaves_its_attempt_uncertain(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert send(files, server) == 0
    journal = state_journal()
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    last_sent = records[-1]
    assert last_sent["state"] == "sent"
    # As if killed while writing the last "sent": its attempt stands, cut line dropped.
    journal.write_text("".join(json.dumps(r) + "\n" for r in records[:-1]) + '{"time": 1, "id')
    assert send(files, server) == 2
    assert f"uncertain {last_sent['to']}" in capsys.readouterr().out
    assert journal.read_text().endswith("\n")
    assert len(server.recorder.messages) == 5


def test_a_full_disk_during_send_stops_with_the_whole_summary(
    files: tuple[Path, Path, Path],
    server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_fsync = os.fsync
    calls: list[int] = []

    def full_disk(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("journal.jsonl"):
            calls.append(fd)
        if len(calls) == 3:  # the third message's attempt
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(journal_module.os, "fsync", full_disk)
    assert send(files, server) == 2
    captured = capsys.readouterr()
    assert "cannot write the journal" in captured.err and "No space left" in captured.err
    assert "batch of 5: delivered 2, refused 0, uncertain 1, not sent 2" in captured.out
    assert len(server.recorder.messages) == 2  # nothing sent once the journal failed


def test_a_full_disk_while_writing_drafts_says_what_was_written(
    files: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content, recipients, out = files
    real = atomic.write_bytes
    calls: list[Path] = []

    def full_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(run.atomic, "write_bytes", full_disk)
    assert main(["mail", str(content), "--to", str(recipients), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the disk is full; 2 of 5 drafts were written" in err
    assert "(up to 002-person2-example-org.eml), the others were not" in err
    assert "internal error" not in err


def test_mail_and_send_need_a_content_file(
    files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, recipients, out = files
    for name in ("mail", "send"):
        assert command(name, "--to", str(recipients), "-o", str(out)) == 1
        assert "the following arguments are required: CONTENT" in capsys.readouterr().err
    assert not out.exists()


def test_sending_rates_are_validated(
    files: tuple[Path, Path, Path], server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    for rate in ("1e-300", "0", "nan", "inf", "-5", "1e9"):
        assert send(files, server, "--per-minute", rate) == 1
        assert "--per-minute: per minute must be between 0.1 and 10,000" in capsys.readouterr().err
    config = files[2].parent / "mail.yaml"
    config.write_text("per_minute: 1e-300\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"per minute must be between 0\.1 and 10,000"):
        run.read_config(config)
    assert server.recorder.messages == []


def test_a_yaml_error_in_the_config_names_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mail.yaml"
    config.write_text("from: Press <press@example.org>\nsmtp: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        run.read_config(config)
    (problem,) = caught.value.problems
    assert problem.line == 2 and problem.message.startswith("YAML syntax")


def test_new_never_overwrites_an_existing_logo(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    logo = folder / "assets" / "logo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"the organisation's own logo")
    assert main(["new", str(folder)]) == 0
    assert logo.read_bytes() == b"the organisation's own logo"
    assert (folder / "release.yaml").exists()


def test_a_server_that_cannot_be_reached_again_stops_the_batch_with_the_summary(
    files: tuple[Path, Path, Path],
    server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from presskit.mail.send import Sender, SendError

    real_connect = Sender.connect
    connections: list[int] = []

    def once(self: Sender) -> object:
        connections.append(1)
        if len(connections) > 1:
            raise SendError("cannot connect to the server: it went away")
        return real_connect(self)

    monkeypatch.setattr(Sender, "connect", once)
    server.recorder.drop_after_data = 1  # the line drops after the first message's data
    assert send(files, server) == 2
    captured = capsys.readouterr()
    assert "uncertain person1@example.org" in captured.out
    assert "batch of 5: delivered 0, refused 0, uncertain 1, not sent 4" in captured.out
    assert "it went away; the batch stopped there" in captured.err
