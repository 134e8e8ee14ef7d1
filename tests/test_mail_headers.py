"""Headers in any script, recipients read strictly, greetings restricted: everything a
message carries is checked through the same path before anything is written or sent.

The fixture is unlike the built-in example: a French-only release from an accented
sender, with Greek, German and Japanese recipients and outlets.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from presskit.cli import main
from presskit.content.greeting import GreetingError, fill_greeting, greeting_fields
from presskit.content.loader import load
from presskit.kit.invite import has_invite
from presskit.mail import run
from presskit.mail.compose import MailError
from presskit.mail.recipients import load_recipients
from presskit.util.errors import ContentError
from presskit.util.mailheaders import HeaderInjection, mailbox, mailbox_of

from .conftest import write_content
from .smtp_server import Recorder, SmtpServer

SENDER_NAME = "Réseau French Tech AURA, « Presse »"
SENDER = f'"{SENDER_NAME}" <presse@example.org>'
REPLY_TO = "Ζωή Παπαδοπούλου <zoe@xn--exmple-cua.org>"
CONTENT = f"""\
languages: [fr]
issuer:
  name: Réseau d'innovation Auvergne-Rhône-Alpes
headline: Douze écosystèmes labellisés en Auvergne-Rhône-Alpes
dateline:
  city: Lyon
  date: 2027-01-10
lead: Le réseau **labellise** douze écosystèmes.
release:
  embargo_until: 2099-01-14 07:00 Europe/Paris
mail:
  from: '{SENDER.replace("'", "''")}'
  reply_to: {REPLY_TO}
"""
NAMES = [
    ("jose@xn--exmple-cua.org", "José O'Connor-Ñúñez", "El País"),
    ("greta@example.de", 'Grete "Die Feder" Müller, Dr.', "Süddeutsche Zeitung"),
    ("dimitris@example.gr", "Δημήτρης Παπαδόπουλος", "Η Καθημερινή"),
    ("sato@example.jp", "佐藤 花子", "日本経済新聞社 編集局 国際部"),
    ("zoe@exämple.org", "Zoë Lefèvre (rédaction)", "Le Monde diplomatique"),
]


def recipients_csv(folder: Path) -> Path:
    path = folder / "recipients.csv"
    lines = ["email,name,outlet"] + [
        f'{email},"{name.replace(chr(34), chr(34) * 2)}",{outlet}' for email, name, outlet in NAMES
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture
def french(content_dir: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    return write_content(content_dir, CONTENT), recipients_csv(tmp_path), tmp_path / "out"


def test_drafts_give_back_every_display_name_and_file_name(
    french: tuple[Path, Path, Path],
) -> None:
    content, recipients, out = french
    assert main(["mail", str(content), "--to", str(recipients), "-o", str(out)]) == 0
    release = load(content)
    drafts = sorted(out.rglob("*.eml"))
    assert len(drafts) == len(NAMES)
    for draft, (email, name, _) in zip(drafts, NAMES, strict=True):
        message = parse(draft.read_bytes())
        assert draft.read_bytes().isascii()
        (to,) = message["To"].addresses
        assert (to.display_name, to.addr_spec) == (name, email.replace("exämple", "xn--exmple-cua"))
        (sender,) = message["From"].addresses
        assert (sender.display_name, sender.addr_spec) == (SENDER_NAME, "presse@example.org")
        (reply,) = message["Reply-To"].addresses
        assert (reply.display_name, reply.addr_spec) == (
            "Ζωή Παπαδοπούλου",
            "zoe@xn--exmple-cua.org",
        )
        names = [part.get_filename() for part in message.iter_attachments()]
        stem = f"Communiqué de presse – {release.headline}"
        invitation = [f"{stem}.ics"] if has_invite(release) else []
        assert names == [f"{stem}.pdf", f"{stem}.docx", *invitation]
        subject = str(message["Subject"])
        assert subject.startswith("EMBARGO 14/01/2099 07:00 CET – ")
        assert subject.endswith(release.headline)


def test_the_twelve_ecosystem_french_release_is_delivered_over_smtp(tmp_path: Path) -> None:
    """The shared French fixture (twelve ecosystems, an accented sender), sent to
    journalists whose names are in four scripts; expected text from the content."""
    from email.headerregistry import Address

    from presskit.content.typography import typeset_text
    from presskit.mail.compose import attachment_name
    from presskit.render.view import build_view

    from .conftest import AURA

    release = load(AURA)
    assert release.mail is not None
    (meant,) = policy.default.header_factory("From", release.mail.sender).addresses
    assert not meant.display_name.isascii()  # the accented sender under test
    stem = attachment_name(build_view(release))
    recorder = Recorder()
    with SmtpServer(recorder) as server:
        job = run.prepare(AURA, recipients_csv(tmp_path), tmp_path / "out", {}, draft=False)
        settings = run.smtp_settings(
            f"127.0.0.1:{server.port}", {}, security="none", cafile=None, user=None,
            per_minute=None,
        )  # fmt: skip
        report = run.send(job, settings, progress=False)
    assert report.complete
    delivered = {to[0]: parse(data) for _, to, data in recorder.messages}
    assert {frm for frm, _, _ in recorder.messages} == {meant.addr_spec}
    for email, name, _ in NAMES:
        address = email.replace("exämple", "xn--exmple-cua")  # IDN travels as ASCII
        message = delivered[address]
        assert message["From"].addresses == (meant,)
        assert message["To"].addresses == (Address(display_name=name, addr_spec=address),)
        names = [part.get_filename() for part in message.iter_attachments()]
        invitation = [f"{stem}.ics"] if has_invite(release) else []  # its event's day is known
        assert names == [f"{stem}.pdf", f"{stem}.docx", *invitation]
        greeting = typeset_text(f"Bonjour {name},", "fr")  # as the body sets it
        assert greeting in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    "name",
    ["Réseau French Tech AURA", "Doe, Jane", "O'Brien \"Bob\"", "日本経済新聞 記者",
     "Ελληνικά (ΕΡΤ)", "a" * 200, "é " * 99, "x" * 150, "é" * 40,
     "François Lefèvre (Société Générale de Presse), Île-de-France",
     "Δημήτρης Παπαδόπουλος, υπεύθυνος σύνταξης της οικονομικής ενότητας",
     "日本経済新聞社 編集局 国際部 佐藤 花子 記者 東京本社 経済部 デスク"],
)  # fmt: skip
def test_any_name_folds_and_parses_back_or_is_refused(name: str) -> None:
    value = mailbox_of(name, "a@example.org")
    assert mailbox(value) == value  # the canonical form reads back to itself


@pytest.mark.parametrize("name", ["x" * 201, "a\nBcc: b@example.org", "=?utf-8?q?x?="])
def test_names_that_cannot_travel_intact_are_refused_up_front(name: str) -> None:
    with pytest.raises(HeaderInjection):
        mailbox_of(name, "a@example.org")


def test_every_row_goes_through_the_header_path_before_anything_is_written(
    content_dir: Path, tmp_path: Path
) -> None:
    content = write_content(content_dir, CONTENT)
    path = tmp_path / "r.csv"
    path.write_text(
        "email,name\n"
        "ok@example.org,Fine\n"
        f"long@example.org,{'N' * 950}\n"
        "jose@xn--exmple-cua.org,José\n"
        f"wide@example.org,{'𝔘' * 200}\n"
        "josé@example.org,José\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with pytest.raises(ContentError) as caught:
        run.prepare(content, path, out, {}, draft=True)
    lines = [p.format("r.csv") for p in caught.value.problems]
    assert lines[0] == "r.csv:3: name: the name is longer than 200 characters"
    assert lines[1] == "r.csv:5: name: a header line would exceed 998 characters"
    assert lines[2].startswith("r.csv:6: email: has characters outside ASCII before the @")
    assert len(lines) == 3  # the punycode domain passes
    assert not out.exists()  # nothing built, nothing written


def test_greetings_allow_plain_columns_only() -> None:
    assert greeting_fields("Dear {Name} of {outlet}, {{braces}}") == ["name", "outlet"]
    assert fill_greeting("Dear {name}, {{x}}", {"name": "Zoë"}) == "Dear Zoë, {x}"
    for bad in ("{name:>200000000}", "{name:{outlet}}", "{name!r}", "{name.__class__}",
                "{0}", "{}", "{name[0]}", "Dear {name"):  # fmt: skip
        with pytest.raises(GreetingError):
            greeting_fields(bad)


def test_check_refuses_a_greeting_with_a_format_spec(
    content_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = write_content(content_dir, CONTENT + '  greeting: "Dear {name:>200000000},"\n')
    assert main(["check", str(content)]) == 1
    err = capsys.readouterr().err
    assert "mail.greeting" in err and "only plain {column} names" in err
    assert f"{content}:{CONTENT.count(chr(10)) + 1}:" in err


def test_a_greeting_column_missing_from_the_list_is_refused_before_writing(
    content_dir: Path, tmp_path: Path
) -> None:
    content = write_content(content_dir, CONTENT + '  greeting: "Dear {first_name},"\n')
    with pytest.raises(MailError, match=r"row 2: the greeting uses \{first_name\}"):
        run.prepare(content, recipients_csv(tmp_path), tmp_path / "out", {}, draft=True)
    assert not (tmp_path / "out").exists()


def test_one_stray_latin1_byte_in_utf8_is_reported_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    utf8 = "email,name\nzoe@example.org,Zoë Müller\n".encode()
    path.write_bytes(utf8 + b"ana@example.org,Fran\xe7ois\n")
    with pytest.raises(ContentError) as caught:
        load_recipients(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert problem.message.startswith("column 21: byte 0xE7 is not UTF-8")


def test_a_wholly_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("email;name\nana@example.org;François Lefèvre – Zoë\n".encode("cp1252"))
    recipients = load_recipients(path)
    assert recipients[0].name == "François Lefèvre – Zoë"
    (warning,) = recipients.warnings
    assert "not UTF-8; read as Windows-1252" in warning
    utf8 = tmp_path / "u.csv"
    utf8.write_bytes(b"\xef\xbb\xbfemail;name\nana@example.org;Zo\xc3\xab\n")
    assert load_recipients(utf8)[0].name == "Zoë" and load_recipients(utf8).warnings == []


def test_duplicate_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Email,name,email\na@example.org,A,b@example.org\n", encoding="utf-8")
    with pytest.raises(ContentError, match="column 'email' repeats 'Email'"):
        load_recipients(path)
    yaml_list = tmp_path / "r.yaml"
    yaml_list.write_text("- Email: a@example.org\n  email: b@example.org\n", encoding="utf-8")
    with pytest.raises(ContentError, match="repeats"):
        load_recipients(yaml_list)


@pytest.mark.parametrize(
    ("language", "prefix"),
    [("fr", "EMBARGO 14/01/2099 07:00 CET – "), ("en", "EMBARGO 14 Jan 2099 07:00 CET – "),
     ("de", "SPERRFRIST 14.01.2099 07:00 CET – ")],
)  # fmt: skip
def test_the_subject_keeps_a_short_embargo_prefix_in_each_language(
    content_dir: Path, language: str, prefix: str
) -> None:
    from presskit.mail.compose import subject_of
    from presskit.render.view import build_view

    content = write_content(content_dir, CONTENT.replace("[fr]", f"[{language}]"))
    release = load(content)
    assert subject_of(release, build_view(release)) == prefix + build_view(release).headline


@pytest.mark.parametrize(
    "name",
    ["Communiqué de presse – L'écosystème « Lyon » labellisé",
     "Pressemitteilung – Drei Ökosysteme für Köln, Düsseldorf und Münster",
     "プレスリリース – 日本経済新聞社と東京の十二のエコシステム",
     "Δελτίο Τύπου – Θεσσαλονίκη: \"νέο\" κέντρο"],
)  # fmt: skip
def test_attachment_names_in_any_script_parse_back(tmp_path: Path, name: str) -> None:
    from presskit.mail.compose import Attachment

    document = tmp_path / "kit.pdf"
    document.write_bytes(b"%PDF-1.7 test")
    attachment = Attachment.of(document, name)
    assert attachment.part.isascii()
    assert all(len(line) <= 78 for line in attachment.part.split(b"\r\n"))
    message = parse(
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        + attachment.part
        + b"\r\n--b--\r\n"
    )
    (part,) = message.iter_attachments()
    assert part.get_filename() == f"{name}.pdf"
    assert part.get_content() == b"%PDF-1.7 test"
