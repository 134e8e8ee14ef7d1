"""Shared fixtures: content files in temporary folders, and one build of the example."""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from hypothesis import settings

from presskit.assets.resources import DEFAULT_CONTENT, EXAMPLES_DIR
from presskit.content.loader import load
from presskit.content.model import PressRelease
from presskit.kit.build import build

# `make test` and CI draw the property tests' examples from a fixed sequence, without a
# database: a red run then always means a change in the code, never the luck of the
# draw. `make fuzz` (PRESSKIT_FUZZ=1) explores at random, ten times as many examples,
# and replays what it found (`.hypothesis/`); what it finds becomes an @example.
FUZZ = bool(os.environ.get("PRESSKIT_FUZZ"))
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("fuzz", derandomize=False)
settings.load_profile("fuzz" if FUZZ else "fixed")


def examples(count: int) -> int:
    """A property test's number of examples: as written, ten times more under fuzz."""
    return count * 10 if FUZZ else count


# A shell starts a background job (`make test &`, a CI step run with `&`) with Ctrl-C
# (SIGINT) ignored, and every child inherits that: the tests that press Ctrl-C, in this
# process or on a presskit they started, would see nothing happen. The suite takes
# Python's own Ctrl-C handler back; a handled signal is reset to its default at exec,
# so each child presskit gets the disposition a terminal gives it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Any WeasyPrint warning fails the render, and so the test (see render/pdf.py).
os.environ["PRESSKIT_STRICT_RENDER"] = "1"
# presskit's state (newsroom records, send journals) goes to a folder of the tests' own,
# never the user's (it is private, as presskit requires: mkdtemp makes it 0700).
os.environ.setdefault("PRESSKIT_STATE_DIR", tempfile.mkdtemp(prefix="presskit-test-state-"))

MINIMAL = """\
issuer:
  name: Example Org
headline: A headline
dateline:
  city: Lille
  date: 2019-04-03
lead: The lead paragraph.
"""


@pytest.fixture(autouse=True)
def _own_state_for_mail(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Send journals are kept per release in the user's state folder: each mail test
    gets a state folder of its own, as a user of another machine would."""
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_mail"):
        monkeypatch.setenv("PRESSKIT_STATE_DIR", str(tmp_path_factory.mktemp("state")))


def state_journal() -> Path:
    """The one send journal of the current test's state folder."""
    [journal] = Path(os.environ["PRESSKIT_STATE_DIR"]).rglob("journal.jsonl")
    return journal


@dataclass
class Kit:
    """The example built once: its model and the three documents."""

    release: PressRelease
    pdf: Path
    docx: Path
    html: Path
    kit_pdf: Path | None = None
    kit_docx: Path | None = None
    kit_html: Path | None = None
    """The press kit document's files, when the content has a kit section."""


@pytest.fixture(scope="session")
def example_kits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Kit]:
    """The built-in example built once, in each of its languages."""
    out = tmp_path_factory.mktemp("output")
    result = build(DEFAULT_CONTENT, out)
    kits = {}
    for release in result.releases:
        paths = {o.format: o.path for o in result.outputs if o.language == release.language}
        kits[release.language] = Kit(
            release,
            paths["pdf"],
            paths["docx"],
            paths["html"],
            paths.get("kit-pdf"),
            paths.get("kit-docx"),
            paths.get("kit-html"),
        )
    return kits


@pytest.fixture(scope="session")
def example_kit(example_kits: dict[str, Kit]) -> Kit:
    """The English kit of the built-in example."""
    return example_kits["en"]


@pytest.fixture(scope="session")
def french_kit(example_kits: dict[str, Kit]) -> Kit:
    """The French kit of the built-in example."""
    return example_kits["fr"]


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A folder holding a copy of the example's logos, for content files under test."""
    folder = tmp_path / "content"
    shutil.copytree(EXAMPLES_DIR / "logos", folder / "logos")
    return folder


def interruptible() -> None:
    """For a child process the tests send Ctrl-C to (``preexec_fn``): its default
    SIGINT back, as a terminal's process has it. Run from a shell that ignores SIGINT
    (a background job), a child inherits the ignoring, and Python keeps it: rightly, for
    presskit run that way, but then no Ctrl-C a test sends would reach it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_content(folder: Path, text: str, name: str = "release.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(folder: Path, text: str) -> PressRelease:
    return load(write_content(folder, text))


def pdf_text(path: Path) -> str:
    """Text of a PDF as pdftotext extracts it."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def docx_text(path: Path) -> str:
    """All text of a DOCX: body paragraphs, tables, headers and footers, hyperlinks."""
    document = docx.Document(str(path))
    parts = []
    for element in document.element.body.iter():
        if element.tag.endswith("}p"):
            parts.append("".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def libreoffice_pdf(document: Path, folder: Path) -> Path:
    """``document`` converted to PDF by LibreOffice, as a recipient without Word sees it."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / (document.stem + ".pdf")


def squash(text: str) -> str:
    """Text without whitespace or hyphens, case-folded: line breaks, hyphenation and
    small-caps styling don't change what a reader reads."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text).casefold()


AURA = Path(__file__).parent / "fixtures" / "aura-twelve" / "release.yaml"


@pytest.fixture(scope="session")
def aura_kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    """The French twelve-ecosystem fixture (logos of every shape, one SVG), built once."""
    result = build(AURA, tmp_path_factory.mktemp("aura"), ["pdf", "docx", "html"])
    paths = {o.format: o.path for o in result.outputs}
    return Kit(result.releases[0], paths["pdf"], paths["docx"], paths["html"])


def scan_data(data: bytes) -> bytes:
    """The compressed image data: a JPEG's entropy-coded scans (from the first SOS),
    or a PNG's IDAT chunks."""
    if data.startswith(b"\x89PNG"):
        chunks, at = [], 8
        while at < len(data):
            (length,) = struct.unpack(">I", data[at : at + 4])
            kind = data[at + 4 : at + 8]
            if kind == b"IDAT":
                chunks.append(data[at + 8 : at + 8 + length])
            at += 12 + length
        return b"".join(chunks)
    assert data.startswith(b"\xff\xd8")
    return data[data.index(b"\xff\xda") :]
