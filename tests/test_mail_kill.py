"""kill -9 at a random point of a 200-message batch, then rerun: never a message twice,
never a message lost silently.

Each trial sends a 200-recipient batch with the real command in a child process to a
real aiosmtpd server on loopback, kills it (SIGKILL) once a random number of messages
has arrived, then reruns the same command. The rerun must deliver everything the
journal knows was not sent, and name every message whose fate is uncertain with a
non-zero exit; once the test settles those as the user would (``--resolve
ADDRESS=delivered`` for what the server has, ``=resend`` for what it has not), a last
run exits 0 and every journalist holds exactly one copy.

One trial runs by default; ``PRESSKIT_KILL_TRIALS=10`` runs the full check.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .conftest import MINIMAL, write_content
from .smtp_server import Recorder, SmtpServer

BATCH = 200
CONTENT = MINIMAL.replace("headline: A headline", "headline: Κάτι νέο στη Θεσσαλονίκη") + (
    "mail:\n  from: Γραφείο Τύπου <press@example.gr>\n"
)


def presskit(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presskit", *argv], capture_output=True, text=True, timeout=300
    )


def test_kill_9_then_rerun_duplicates_nothing_and_hides_nothing(
    content_dir: Path, tmp_path: Path
) -> None:
    content = write_content(content_dir, CONTENT)
    recipients = tmp_path / "recipients.csv"
    addresses = [f"journalist{n:03d}@example.org" for n in range(BATCH)]
    recipients.write_text("email\n" + "\n".join(addresses) + "\n", encoding="utf-8")
    trials = int(os.environ.get("PRESSKIT_KILL_TRIALS", "1"))
    rng = random.Random(int(os.environ.get("PRESSKIT_KILL_SEED", "11")))
    recorder = Recorder()
    with SmtpServer(recorder) as server:
        for trial in range(trials):
            recorder.messages.clear()
            out = tmp_path / f"out{trial}"
            command = [
                "send", str(content), "--to", str(recipients), "-o", str(out), "-q",
                "--smtp", f"127.0.0.1:{server.port}", "--tls", "none",
            ]  # fmt: skip
            kill_after = rng.randrange(1, BATCH)
            child = subprocess.Popen([sys.executable, "-m", "presskit", *command])
            deadline = time.monotonic() + 240
            while len(recorder.messages) < kill_after and child.poll() is None:
                assert time.monotonic() < deadline, "the batch never got going"
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.01))  # land anywhere in a message's exchange
            child.kill()
            child.wait()

            rerun = presskit(*command)
            received = Counter(to[0] for _, to, _ in recorder.messages)
            assert max(received.values()) == 1, f"trial {trial}: a message went twice"
            uncertain = re.findall(r"^uncertain (\S+):", rerun.stdout, re.MULTILINE)
            never_received = set(addresses) - set(received)
            assert never_received <= set(uncertain), f"trial {trial}: lost silently"
            assert (rerun.returncode != 0) == bool(uncertain), rerun.stdout + rerun.stderr

            settle = [
                f"--resolve={a}={'delivered' if a in received else 'resend'}" for a in uncertain
            ]
            last = presskit(*command, *settle)
            assert last.returncode == 0, last.stdout + last.stderr
            final = Counter(to[0] for _, to, _ in recorder.messages)
            assert final == Counter(addresses), f"trial {trial}: not exactly one each"
            print(
                f"trial {trial}: killed after {kill_after} arrived; uncertain {len(uncertain)} "
                f"({len(set(uncertain) - set(received))} never received); duplicates 0"
            )


@pytest.fixture(autouse=True)
def _child_sees_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child process imports presskit from this checkout, as the tests do."""
    source = str(Path(__file__).resolve().parents[1] / "src")
    monkeypatch.setenv("PYTHONPATH", source + os.pathsep + os.environ.get("PYTHONPATH", ""))


def test_two_send_commands_at_once_never_duplicate(content_dir: Path, tmp_path: Path) -> None:
    """The issue's reproduction: the same ``presskit send`` started twice, 0.3 s apart.
    One trial by default; ``PRESSKIT_CONCURRENT_PROCESS_TRIALS=20`` for the full run."""
    content = write_content(content_dir, CONTENT)
    recipients = tmp_path / "recipients.csv"
    addresses = [f"desk{n}@example.org" for n in range(5)]
    recipients.write_text("email\n" + "\n".join(addresses) + "\n", encoding="utf-8")
    trials = int(os.environ.get("PRESSKIT_CONCURRENT_PROCESS_TRIALS", "1"))
    recorder = Recorder()
    refusals = 0
    with SmtpServer(recorder) as server:
        for trial in range(trials):
            recorder.messages.clear()
            command = [
                sys.executable, "-m", "presskit", "send", str(content), "--to", str(recipients),
                "-o", str(tmp_path / f"out{trial}"), "-q",
                "--smtp", f"127.0.0.1:{server.port}", "--tls", "none",
            ]  # fmt: skip
            first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(0.3)
            second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            errors = {run.pid: run.communicate(timeout=300)[1].decode() for run in (first, second)}
            codes = sorted(run.returncode for run in (first, second))
            assert codes in ([0, 0], [0, 2]), errors
            for run, other in ((first, second), (second, first)):
                if run.returncode:  # whichever reached the lock second stops, naming the other
                    refusals += 1
                    assert f"is sending this batch (PID {other.pid}, started " in errors[run.pid]
            assert Counter(to[0] for _, to, _ in recorder.messages) == Counter(addresses)
    print(f"{trials} trials: 0 duplicates, the second command refused in {refusals}")
