"""The press e-mail's templates are theme parts: ``presskit mail --theme DIR`` (and
``send``) take a theme folder's ``email/`` files first, the built-in ones for the rest,
and report a broken one by name and line before building anything."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from presskit.cli import main
from presskit.content.loader import load_all

from .conftest import MINIMAL, write_content

CONTENT = (
    MINIMAL.replace("headline: A headline", "headline: Harbour studios reopen")
    + "mail:\n  from: Press office <press@example.org>\n"
)
RECIPIENTS = "email,name\nana@example.org,Ana Lima\n"


@pytest.fixture
def release(content_dir: Path) -> Path:
    return write_content(content_dir, CONTENT)


def theme_with(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / "email" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


def draft(release: Path, out: Path, *extra: str) -> EmailMessage:
    """Write the drafts with ``extra`` arguments; the one draft, parsed."""
    to = out.parent / f"{out.name}-recipients.csv"
    to.write_text(RECIPIENTS, "utf-8")
    assert main(["mail", str(release), "--to", str(to), "-o", str(out), "-q", *extra]) == 0
    (path,) = out.rglob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None
    return str(part.get_content())


def test_a_themes_own_email_templates_change_the_drafts(release: Path, tmp_path: Path) -> None:
    theme = theme_with(
        tmp_path / "theme",
        {
            "message.txt.j2": "{{ greeting_token }}\n\nIn short: {{ v.headline | upper }}\n",
            "message.css": "h1 { color: #0a5c36; }\n",
        },
    )
    headline = load_all(release)[0].headline
    built_in = draft(release, tmp_path / "plain")
    themed = draft(release, tmp_path / "themed", "--theme", str(theme))
    assert body(themed, "plain").splitlines()[2] == f"In short: {headline.upper()}"
    assert body(built_in, "plain").splitlines()[2] != f"In short: {headline.upper()}"
    # The HTML template is still the built-in one, styled by the theme's stylesheet.
    assert headline in body(themed, "html") and "#0a5c36" in body(themed, "html")
    assert "#0a5c36" not in body(built_in, "html")
    assert themed["Subject"] == built_in["Subject"]


@pytest.mark.parametrize(
    ("template", "text", "line"),
    [
        ("message.html.j2", "{{ greeting_token }}\n<h1>{{ v.headline }}</h1>\n<p>{{ v.x }}", 3),
        ("message.txt.j2", "{{ greeting_token }}\n\n{{ v.headline }\n", 3),
        ("message.html.j2", "{{ greeting_token }}\n{{ v.__class__.__mro__ }}\n", 2),
    ],
)
@pytest.mark.parametrize("command", ["mail", "send"])
def test_a_broken_theme_template_is_named_with_its_line(
    release: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    template: str,
    text: str,
    line: int,
    command: str,
) -> None:
    theme = theme_with(tmp_path / "theme", {template: text})
    to = tmp_path / "recipients.csv"
    to.write_text(RECIPIENTS, "utf-8")
    out = tmp_path / "out"
    args = [command, str(release), "--to", str(to), "-o", str(out), "--theme", str(theme)]
    code = main([*args, "--dry-run"] if command == "send" else args)
    error = capsys.readouterr().err
    assert code == 1
    assert f"template {template}, line {line}:" in error
    assert "Traceback" not in error and "internal error" not in error
    assert not list(out.rglob("*.eml")) and not list(out.rglob("*.pdf"))  # found before


def test_a_missing_theme_folder_is_refused(
    release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    to = tmp_path / "recipients.csv"
    to.write_text(RECIPIENTS, "utf-8")
    missing = tmp_path / "no-theme"
    args = ["mail", str(release), "--to", str(to), "-o", str(tmp_path / "out")]
    assert main([*args, "--theme", str(missing)]) == 1
    assert f"theme folder {missing} not found" in capsys.readouterr().err
