"""Press e-mails tried as a careless or hostile spreadsheet would try them, and a send
repeated from another folder or after its outputs were deleted: each through the
commands, against a real SMTP server on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from presskit.cli import main

from .conftest import MINIMAL, state_journal, write_content
from .smtp_server import Recorder, SmtpServer

CONTENT = MINIMAL.replace("headline: A headline", "headline: Harbour studios open") + (
    "mail:\n  from: Harbour press office <press@harbour.example.org>\n"
    "  greeting: 'Dear {name} ({note}),'\n"
)


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with SmtpServer(Recorder()) as smtp:
        yield smtp


def recipients(
    folder: Path, rows: list[tuple[str, str, str]], header: str = "email,name,note"
) -> Path:
    path = folder / "recipients.csv"
    path.write_text(header + "\n" + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def send(content: Path, to: Path, out: Path, server: SmtpServer, *extra: str) -> int:
    return main(["send", str(content), "--to", str(to), "-o", str(out),
                 "--smtp", f"127.0.0.1:{server.port}", "--tls", "none", *extra])  # fmt: skip


def delivered(server: SmtpServer) -> Counter[str]:
    return Counter(to[0] for _, to, _ in server.recorder.messages)


def test_a_send_is_remembered_whatever_the_output_folder(
    content_dir: Path, tmp_path: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The journal is kept per release in the user's state folder: the same batch sent
    again after ``rm -rf output``, or into another folder, sends nothing twice."""
    content = write_content(content_dir, CONTENT)
    to = recipients(tmp_path, [(f"p{n}@example.org", f"Reader {n}", "desk") for n in range(3)])
    assert send(content, to, tmp_path / "output", server) == 0
    assert sum(delivered(server).values()) == 3
    assert "nothing to send" not in capsys.readouterr().out
    shutil.rmtree(tmp_path / "output")
    for out in (tmp_path / "output", tmp_path / "elsewhere"):
        assert send(content, to, out, server) == 0
        said = capsys.readouterr().out
        assert "nothing to send: all 3 recipients already have this release" in said
        assert "this run: sent 0" in said
    assert delivered(server) == Counter({f"p{n}@example.org": 1 for n in range(3)})
    to.write_text(to.read_text() + "p9@example.org,Late reader,desk\n")
    assert send(content, to, tmp_path / "third", server, "-q") == 0
    assert delivered(server)["p9@example.org"] == 1 and sum(delivered(server).values()) == 4


def test_a_state_folder_others_can_write_is_refused(
    content_dir: Path, tmp_path: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal another user could edit could make presskit send twice: a state
    folder writable by others is refused, naming it, and nothing is sent."""
    content = write_content(content_dir, CONTENT)
    to = recipients(tmp_path, [("solo@example.org", "Solo", "desk")])
    state = Path(os.environ["PRESSKIT_STATE_DIR"])
    state.chmod(0o777)
    try:
        assert send(content, to, tmp_path / "output", server, "-q") == 1
    finally:
        state.chmod(0o700)
    error = capsys.readouterr().err
    assert f"{state}: other users can write in it" in error
    assert "PRESSKIT_STATE_DIR" in error and "Traceback" not in error
    assert not server.recorder.messages


def test_a_journal_left_in_the_output_folder_is_honoured(
    content_dir: Path,
    tmp_path: Path,
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An earlier presskit kept the journal in ``<output>/<slug>/mail/``: with a state
    folder that has never seen the batch, that journal is carried over, not ignored."""
    content = write_content(content_dir, CONTENT)
    rows = [(f"desk{n}@example.net", f"Desk {n}", "wire") for n in range(4)]
    to = recipients(tmp_path, rows)
    assert send(content, to, tmp_path / "output", server, "-q") == 0
    journal = state_journal()
    old_place = tmp_path / "output" / journal.parent.name / "mail" / journal.name
    old_place.parent.mkdir(parents=True)
    shutil.copy(journal, old_place)
    monkeypatch.setenv("PRESSKIT_STATE_DIR", str(tmp_path / "new-state"))
    assert send(content, to, tmp_path / "output", server) == 0
    assert "nothing to send: all 4 recipients" in capsys.readouterr().out
    assert sum(delivered(server).values()) == 4
    assert state_journal().read_bytes() == journal.read_bytes()


def test_a_greeting_that_repeats_a_column_is_bounded(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``{note}`` twenty times with a long note would make megabytes of greeting per
    message: refused with the row, before any draft is written."""
    greedy = CONTENT.replace("'Dear {name} ({note}),'", "'" + "{note}" * 20 + "'")
    content = write_content(content_dir, greedy)
    to = recipients(tmp_path, [("a@example.org", "Ada", "x" * 900), ("b@example.org", "Bo", "ok")])
    assert main(["mail", str(content), "--to", str(to), "-o", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert "row 2: the greeting comes to 18,000 characters with this row's {note}" in error
    assert "row 3" not in error
    assert not list((tmp_path / "out").rglob("*.eml"))


@pytest.mark.parametrize("size", [1_001, 131_073, 2_000_000])
def test_an_oversized_cell_is_named_with_its_row_and_column(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], size: int
) -> None:
    content = write_content(content_dir, CONTENT)
    to = recipients(
        tmp_path, [("a@example.org", "Ada", "fine"), ("b@example.org", "Bo", "y" * size)]
    )
    assert main(["mail", str(content), "--to", str(to), "-o", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert f"{to}:3: note: {size:,} characters: a cell holds at most 1,000" in error
    assert "Traceback" not in error and "internal error" not in error


def test_a_long_word_in_a_column_is_typeset_in_linear_time(tmp_path: Path) -> None:
    """Typography over a 200,000-character word, and over a run of 200,000 spaces: each
    used to take minutes (a regex and a loop tried at every position); here they must
    end, in a subprocess given a generous minute, with the right text."""
    script = (
        "from presskit.content.typography import typeset_text\n"
        "word = 'ab-' * 70000\n"
        "for language in ('fr', 'en', 'de'):\n"
        "    assert typeset_text(word + ' x: y', language).startswith(word)\n"
        "gap = ' ' * 200000\n"
        "assert typeset_text('a' + gap + 'b', 'fr') == 'a' + gap + 'b'\n"
        "assert typeset_text('a' + gap + '!', 'fr') == 'a\\u202f!'\n"
        "assert typeset_text('a' + gap + ': b', 'fr') == 'a\\u00a0: b'\n"
        "print('done')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "done", result.stderr


def test_a_bad_byte_after_a_byte_order_mark_is_placed_as_a_spreadsheet_shows_it(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = write_content(content_dir, CONTENT)
    to = tmp_path / "recipients.csv"
    to.write_bytes(
        "\ufeffemail,name,note\n".encode() + b"a@example.org,Caf\xe9,\xc3\xa9t\xc3\xa9\n"
    )
    assert main(["mail", str(content), "--to", str(to), "-o", str(tmp_path / "out")]) == 1
    assert f"{to}:2: column 18: byte 0xE9 is not UTF-8" in capsys.readouterr().err
    to.write_bytes(b"\xef\xbb\xbfemail,n\xe9me\na@example.org,Ada\n")  # the BOM, then line 1
    assert main(["mail", str(content), "--to", str(to), "-o", str(tmp_path / "out")]) == 1
    assert f"{to}:1: column 8: byte 0xE9 is not UTF-8" in capsys.readouterr().err
