"""Press e-mails, parsed back with the email package and delivered to a real SMTP
server on loopback (aiosmtpd) over STARTTLS with a test CA (trustme)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
import trustme

from presskit.cli import main
from presskit.mail import run
from presskit.mail.compose import MailError
from presskit.mail.send import Report, SendError, SmtpSettings
from presskit.util.errors import ContentError

from .conftest import MINIMAL, write_content
from .smtp_server import Recorder, SmtpServer

CONTENT = (
    MINIMAL.replace("issuer:", "languages: [en, fr]\nissuer:")
    .replace("headline: A headline", "headline: {en: A headline, fr: Un titre}")
    .replace("lead: The lead paragraph.", "lead: {en: The **lead**., fr: Le *chapeau*.}")
    + "mail:\n  from: Press office <press@example.org>\n  reply_to: replies@example.org\n"
)

RECIPIENTS = """\
email;name;outlet;language;first_name
ana@example.org;Ana Lima;Daily News;en;Ana
jean@example.fr;Jean Dupont;Le Quotidien;fr;Jean
kurt@example.de;Kurt Weber;Die Zeitung;de;Kurt
"""


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage, kind: str) -> str:
    """A body part's text, with the wire's CRLF line ends read as newlines."""
    part = message.get_body((kind,))
    assert part is not None, f"no {kind} body"
    return str(part.get_content()).replace("\r\n", "\n")


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def server(recorder: Recorder, server_tls: ssl.SSLContext) -> Iterator[SmtpServer]:
    with SmtpServer(recorder, server_tls) as smtp:
        yield smtp


@pytest.fixture
def job_files(content_dir: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    content = write_content(content_dir, CONTENT)
    recipients = tmp_path / "recipients.csv"
    recipients.write_bytes(b"\xef\xbb\xbf" + RECIPIENTS.encode())  # as Excel saves it
    return content, recipients, tmp_path / "out"


def settings(server: SmtpServer, ca_file: Path | None, **extra: object) -> SmtpSettings:
    values: dict[str, object] = {"cafile": ca_file, "backoff": 0.01, "timeout": 5}
    values |= extra
    return SmtpSettings("127.0.0.1", server.port, **values)  # type: ignore[arg-type]


def send_again(
    files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path | None, **extra: object
) -> Report:
    """Prepare the job from the files as they are now and send it: one run of the command."""
    content, recipients, out = files
    job = run.prepare(content, recipients, out, {}, draft=False)
    return run.send(job, settings(server, ca_file, **extra), progress=False)


def test_drafts_parse_back_with_both_bodies_and_both_attachments(
    job_files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, recipients, out = job_files
    assert main(["mail", str(content), "--to", str(recipients), "-o", str(out)]) == 0
    assert "wrote 3 drafts in" in capsys.readouterr().out
    drafts = sorted((out / "a-headline" / "mail").glob("*.eml"))
    assert [d.name for d in drafts] == [
        "001-ana-example-org.eml",
        "002-jean-example-fr.eml",
        "003-kurt-example-de.eml",
    ]
    ana, jean, kurt = (parse(d.read_bytes()) for d in drafts)
    assert ana["X-Unsent"] == "1"
    assert ana["From"] == "Press office <press@example.org>"
    assert ana["Reply-To"] == "replies@example.org"
    assert ana["To"] == "Ana Lima <ana@example.org>"
    assert ana["Subject"] == "A headline" and jean["Subject"] == "Un titre"
    assert kurt["Subject"] == "A headline"  # no German version: the first language
    assert body(ana, "plain").startswith("Dear Ana Lima,\n")
    assert "The lead." in body(ana, "plain")
    assert "<strong>lead</strong>" in body(ana, "html")
    assert 'style="' in body(ana, "html")  # CSS inlined
    assert body(jean, "plain").startswith("Bonjour Jean Dupont,")
    attachments = list(ana.iter_attachments())
    assert [a.get_content_type() for a in attachments] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    built = out / "a-headline" / "en"
    assert attachments[0].get_content() == (built / "a-headline.pdf").read_bytes()
    assert attachments[1].get_content() == (built / "a-headline.docx").read_bytes()
    french = next(iter(jean.iter_attachments()))
    assert french.get_filename() == "Communiqué de presse – Un titre.pdf"
    raw = drafts[1].read_bytes()
    assert b'filename="Communique-de-presse-Un-titre.pdf"' in raw  # the ASCII fallback
    assert b"filename*0*=utf-8''Communiqu%C3%A9" in raw  # RFC 2231


def test_batch_is_delivered_with_attachments_identical_to_the_built_files(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    content, recipients, out = job_files
    job = run.prepare(content, recipients, out, {}, draft=False)
    report = run.send(job, settings(server, ca_file), progress=False)
    assert report.sent == ["ana@example.org", "jean@example.fr", "kurt@example.de"]
    assert report.complete
    delivered = server.recorder.messages
    assert [to for _, to, _ in delivered] == [
        ["ana@example.org"],
        ["jean@example.fr"],
        ["kurt@example.de"],
    ]
    assert all(sender == "press@example.org" for sender, _, _ in delivered)
    french = parse(delivered[1][2])
    assert "X-Unsent" not in french
    files = out / "a-headline" / "fr"
    contents = [a.get_content() for a in french.iter_attachments()]
    assert contents == [
        (files / "a-headline.pdf").read_bytes(),
        (files / "a-headline.docx").read_bytes(),
    ]


def test_a_refused_recipient_does_not_stop_the_batch(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    server.recorder.refuse.add("jean@example.fr")
    report = send_again(job_files, server, ca_file)
    assert report.sent == ["ana@example.org", "kurt@example.de"]
    assert report.refused == [("jean@example.fr", "550 5.1.1 mailbox unavailable")]
    assert len(server.recorder.messages) == 2
    # A rerun does not knock on the refusing door again, nor resend the others.
    again = send_again(job_files, server, ca_file)
    assert again.sent == [] and len(again.already) == 3
    assert len(server.recorder.messages) == 2


def test_a_dropped_connection_then_a_rerun_loses_and_duplicates_nothing(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    server.recorder.drop_at_mail = 2  # the server goes away at the second message, for good
    first = send_again(job_files, server, ca_file, retries=1)
    assert first.sent == ["ana@example.org"]
    assert [address for address, _ in first.deferred] == ["jean@example.fr", "kurt@example.de"]
    assert not first.complete
    server.recorder.drop_at_mail = None  # the server is back
    second = send_again(job_files, server, ca_file)
    assert second.sent == ["jean@example.fr", "kurt@example.de"]
    assert second.complete
    delivered = [to[0] for _, to, _ in server.recorder.messages]
    assert sorted(delivered) == ["ana@example.org", "jean@example.fr", "kurt@example.de"]


def test_a_message_whose_fate_is_uncertain_is_reported_not_resent(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    server.recorder.drop_after_data = 2  # the server keeps message 2 but never says so
    first = send_again(job_files, server, ca_file)
    assert first.uncertain == ["jean@example.fr"]
    assert first.sent == ["ana@example.org", "kurt@example.de"]
    server.recorder.drop_after_data = None
    second = send_again(job_files, server, ca_file)
    assert second.sent == []
    assert ("jean@example.fr", "uncertain") in second.already
    assert second.batch is not None and second.batch.uncertain == ["jean@example.fr"]
    assert not second.complete  # reported again on every run until the user settles it
    delivered = [to[0] for _, to, _ in server.recorder.messages]
    assert sorted(delivered) == ["ana@example.org", "jean@example.fr", "kurt@example.de"]


def test_a_self_signed_certificate_is_refused_unless_trusted(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    content, recipients, out = job_files
    job = run.prepare(content, recipients, out, {}, draft=False)
    with pytest.raises(SendError) as caught:
        run.send(job, settings(server, None), progress=False)
    assert "certificate is not trusted" in str(caught.value)
    assert "--cafile" in str(caught.value)
    assert server.recorder.messages == []
    assert run.send(job, settings(server, ca_file), progress=False).complete


def test_no_silent_fallback_to_plain_text(
    job_files: tuple[Path, Path, Path], recorder: Recorder
) -> None:
    content, recipients, out = job_files
    job = run.prepare(content, recipients, out, {}, draft=False)
    with SmtpServer(recorder) as plain, pytest.raises(SendError) as caught:
        run.send(job, settings(plain, None), progress=False)
    assert "does not offer STARTTLS; refusing to send in clear" in str(caught.value)
    assert recorder.messages == []


def test_messages_over_the_servers_size_limit_are_not_sent(
    job_files: tuple[Path, Path, Path], server_tls: ssl.SSLContext, ca_file: Path
) -> None:
    content, recipients, out = job_files
    recorder = Recorder()
    with SmtpServer(recorder, server_tls, data_size_limit=20_000) as small:
        report = run.send(
            run.prepare(content, recipients, out, {}, draft=False),
            settings(small, ca_file),
            progress=False,
        )
    assert [address for address, _ in report.refused] == [
        "ana@example.org",
        "jean@example.fr",
        "kurt@example.de",
    ]
    assert "over the server's limit of 20000" in report.refused[0][1]
    assert recorder.messages == []


def test_dry_run_shows_what_would_be_sent_and_sends_nothing(
    job_files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, recipients, out = job_files
    assert main(["send", str(content), "--to", str(recipients), "-o", str(out), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("send: Ana Lima <ana@example.org> [en] 'A headline', ")
    assert lines[1].startswith("send: Jean Dupont <jean@example.fr> [fr] 'Un titre', ")
    assert lines[-1] == "dry run: nothing was sent"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('"Eve\r\nBcc: victim@example.org";eve@example.org', "name: contains U+000D"),
        ("Eve =?UTF-8?Q?=0A?=Bcc: y;eve@example.org", "name: contains '=?'"),
        ("Eve\u2028Bcc: y;eve@example.org", "name: contains U+2028"),
    ],
)
def test_header_injection_in_recipients_is_refused(
    row: str, message: str, job_files: tuple[Path, Path, Path]
) -> None:
    content, _, out = job_files
    recipients = out.parent / "evil.csv"
    recipients.write_text("name;email\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        run.prepare(content, recipients, out, {}, draft=True)
    assert f"evil.csv:2: {message}" in str(caught.value)
    assert not out.exists()  # nothing written


def test_header_injection_in_the_subject_is_refused(content_dir: Path, tmp_path: Path) -> None:
    content = write_content(content_dir, CONTENT.replace("A headline", "'x =?UTF-8?Q?=0A?=Bcc: y'"))
    recipients = tmp_path / "r.csv"
    recipients.write_text("email\nana@example.org\n")
    with pytest.raises(MailError) as caught:
        run.prepare(content, recipients, tmp_path / "out", {}, draft=True)
    assert "the subject (en) contains '=?'" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_every_bad_row_is_reported_with_its_number(tmp_path: Path) -> None:
    from presskit.mail.recipients import load_recipients

    path = tmp_path / "r.csv"
    path.write_text(
        "email,name,language\n"
        "ana@example.org,Ana,en\n"
        "not-an-address,Bob,en\n"
        "ANA@example.org,Ana again,fr\n"
        "josé@exämple.org,José,fr\n"
        "kim@example.org,Kim,xx\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_recipients(path)
    lines = [p.format("r.csv") for p in caught.value.problems]
    assert lines[0].startswith("r.csv:3: email: not a valid address")
    assert lines[1] == "r.csv:4: email: duplicate address (first on row 2)"
    assert lines[2].startswith("r.csv:5: email: has characters outside ASCII before the @")
    assert lines[3] == "r.csv:6: language: unknown language 'xx' (use e.g. fr, en)"


def test_yaml_recipients_and_extra_columns_in_the_greeting(
    content_dir: Path, tmp_path: Path
) -> None:
    content = write_content(
        content_dir,
        CONTENT
        + "  greeting: {en: 'Hi {first_name} from {outlet},', fr: 'Bonjour {first_name},'}\n",
    )
    recipients = tmp_path / "r.yaml"
    recipients.write_text(
        "- {email: ana@example.org, first_name: Ana, outlet: Daily News}\n"
        "- {email: bob@example.org, outlet: Weekly}\n",
        encoding="utf-8",
    )
    with pytest.raises(MailError) as caught:
        run.prepare(content, recipients, tmp_path / "out", {}, draft=True)
    assert "row 2: the greeting uses {first_name}, which is empty or not a column" in str(
        caught.value
    )
    recipients.write_text("- {email: ana@example.org, first_name: Ana, outlet: Daily News}\n")
    job = run.prepare(content, recipients, tmp_path / "out", {}, draft=True)
    [path] = run.write_drafts(job)
    assert body(parse(path.read_bytes()), "plain").startswith("Hi Ana from Daily News,\n")


def test_the_configuration_file_never_holds_a_password(tmp_path: Path) -> None:
    config = tmp_path / "mail.yaml"
    config.write_text("from: press@example.org\nsmtp_password: hunter2\n")
    with pytest.raises(ContentError) as caught:
        run.read_config(config)
    assert "mail.yaml:2: smtp_password: passwords are never read from files" in str(caught.value)


def test_pacing_spaces_the_messages(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    from presskit.mail.journal import Journal
    from presskit.mail.send import Sender

    content, recipients, out = job_files
    job = run.prepare(content, recipients, out, {}, draft=False)
    waits: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a clock that moves only when the sender waits
        waits.append(seconds)
        now[0] += seconds

    journal = Journal(job.journal_path)
    sender = Sender(
        settings(server, ca_file, per_minute=30),
        journal,
        progress=False,
        sleep=sleep,
        clock=lambda: now[0],
    )
    report = sender.send_all(job.composer.compose_all(job.recipients), len(job.recipients))
    journal.close()
    assert len(report.sent) == 3
    # 30 a minute: the first goes at once, then one every two seconds.
    assert waits == [0.0, 2.0, 2.0]


def test_credentials_come_from_the_environment_never_from_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRESSKIT_SMTP_USER", "press")
    monkeypatch.setenv("PRESSKIT_SMTP_PASSWORD", "s3cret")
    chosen = run.smtp_settings(
        "smtp.example.org:465", {}, security=None, cafile=None, user=None, per_minute=None
    )
    assert (chosen.username, chosen.password, chosen.security) == ("press", "s3cret", "tls")
    assert "s3cret" not in repr(chosen)
    monkeypatch.delenv("PRESSKIT_SMTP_PASSWORD")
    with pytest.raises(MailError, match="set PRESSKIT_SMTP_PASSWORD"):
        run.smtp_settings(
            "smtp.example.org:587", {}, security=None, cafile=None, user=None, per_minute=None
        )
    asked = run.smtp_settings(
        "smtp.example.org:587",
        {},
        security=None,
        cafile=None,
        user=None,
        per_minute=None,
        ask_password=lambda prompt: "typed",
    )
    assert asked.password == "typed" and asked.security == "starttls"


def test_temporary_failures_are_retried_with_back_off(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    server.recorder.busy["jean@example.fr"] = 2  # two 451s, then accepted
    content, recipients, out = job_files
    job = run.prepare(content, recipients, out, {}, draft=False)
    report = run.send(job, settings(server, ca_file), progress=False)
    assert report.sent == ["ana@example.org", "jean@example.fr", "kurt@example.de"]
    assert len(server.recorder.messages) == 3
    assert server.recorder.busy["jean@example.fr"] == 0  # both 451s were given and retried


def test_implicit_tls(
    job_files: tuple[Path, Path, Path], server_tls: ssl.SSLContext, ca_file: Path
) -> None:
    content, recipients, out = job_files
    recorder = Recorder()
    with SmtpServer(recorder, server_tls, implicit_tls=True) as tls_server:
        job = run.prepare(content, recipients, out, {}, draft=False)
        report = run.send(job, settings(tls_server, ca_file, security="tls"), progress=False)
    assert report.complete and len(recorder.messages) == 3


def test_ctrl_c_during_a_send_then_a_rerun(
    job_files: tuple[Path, Path, Path],
    server: SmtpServer,
    ca_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import smtplib

    content, recipients, out = job_files
    real_mail = smtplib.SMTP.mail
    calls: list[int] = []

    def interrupted(self: smtplib.SMTP, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_mail(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(smtplib.SMTP, "mail", interrupted)
    job = run.prepare(content, recipients, out, {}, draft=False)
    with pytest.raises(KeyboardInterrupt):
        run.send(job, settings(server, ca_file), progress=False)
    assert len(server.recorder.messages) == 1
    monkeypatch.setattr(smtplib.SMTP, "mail", real_mail)
    again = send_again(job_files, server, ca_file)
    assert again.sent == ["jean@example.fr", "kurt@example.de"] and again.complete
    delivered = sorted(to[0] for _, to, _ in server.recorder.messages)
    assert delivered == ["ana@example.org", "jean@example.fr", "kurt@example.de"]


def test_a_corrected_release_is_not_resent_unnoticed(
    job_files: tuple[Path, Path, Path], server: SmtpServer, ca_file: Path
) -> None:
    content, recipients, out = job_files
    first = send_again(job_files, server, ca_file)
    assert len(first.sent) == 3
    content.write_text(
        CONTENT.replace("The **lead**.", "The corrected **lead**."), encoding="utf-8"
    )
    job = run.prepare(content, recipients, out, {}, draft=False)
    assert run.dry_run(job)[0].startswith("skip (an earlier version was sent): Ana Lima")
    second = run.send(job, settings(server, ca_file), progress=False)
    # The English text changed (Kurt reads English too); the French one did not.
    assert second.changed == ["ana@example.org", "kurt@example.de"]
    assert second.already == [("jean@example.fr", "sent")]
    assert len(server.recorder.messages) == 3  # nothing sent twice


def test_a_past_embargo_is_not_mailed(content_dir: Path, tmp_path: Path) -> None:
    content = write_content(
        content_dir, CONTENT + "release:\n  embargo_until: 2020-01-01 09:00 Europe/Paris\n"
    )
    recipients = tmp_path / "r.csv"
    recipients.write_text("email\nana@example.org\n")
    with pytest.raises(MailError, match="the embargo ended on 2020-01-01 09:00"):
        run.prepare(content, recipients, tmp_path / "out", {}, draft=True)
