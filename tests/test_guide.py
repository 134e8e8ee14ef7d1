"""The user guide (docs/, mkdocs.yml) builds strict, documents every content key, and
every YAML snippet in it is what presskit reads.

Each ```yaml block of docs/*.md is checked by what the line just before it says:
nothing (a content file, or a piece of one completed with a minimal content),
``<!-- check: refused "words" -->`` (a content file presskit must refuse, with those
words in its message), ``<!-- check: recipients -->``, ``<!-- check: mail-config -->``
or ``<!-- check: strings LANG -->`` (a theme's wording file for LANG).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from PIL import Image
from pydantic import BaseModel

from presskit.assets.resources import PROJECT_DIR
from presskit.content.loader import load, load_all
from presskit.content.model import PressRelease
from presskit.mail.recipients import load_recipients
from presskit.mail.run import read_config
from presskit.theme import wording
from presskit.theme.folder import Theme
from presskit.util.errors import ContentError

from .conftest import MINIMAL

DOCS = PROJECT_DIR / "docs"
CONFIG = PROJECT_DIR / "mkdocs.yml"
MARK = re.compile(r"<!--\s*check:\s*(?P<kind>[\w-]+)\s*(?P<arg>.*?)\s*-->\s*$")
FENCE = re.compile(r"^```yaml[^\n]*\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def _tool(name: str) -> ModuleType:
    """A module of tools/, which is no package."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_DIR / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# -- the build --------------------------------------------------------------------------


def _mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    # Not --quiet: MkDocs counts only the warnings it shows, so strict would pass.
    options = ["--strict", "--config-file", str(config), "--site-dir", str(site)]
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *options],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_guide_builds_strict_with_its_generated_reference(tmp_path: Path) -> None:
    done = _mkdocs(CONFIG, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    reference = (tmp_path / "site" / "reference.html").read_text(encoding="utf-8")
    assert "<code>embargo_until</code>" in reference
    assert (tmp_path / "site" / "img" / "release-en.png").is_file()
    pages = [page.read_text(encoding="utf-8") for page in (tmp_path / "site").glob("*.html")]
    remote = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//")
    assert [page for page in pages if remote.search(page)] == []  # it loads nothing remote


def test_every_picture_is_shown_and_the_set_stays_small() -> None:
    """The pictures tools/make_guide_pictures.py draws are all used, and light."""
    pictures = sorted(DOCS.glob("img/*.png"))
    text = "".join(page.read_text(encoding="utf-8") for page in DOCS.glob("*.md"))
    assert pictures and [p.name for p in pictures if f"img/{p.name}" not in text] == []
    assert sum(p.stat().st_size for p in pictures) < 2_000_000


def _copy_of_the_guide(tmp_path: Path) -> tuple[Path, Path]:
    """The guide's pages and configuration in a folder of the test's own."""
    docs = tmp_path / "docs"
    for page in DOCS.rglob("*"):
        if page.is_file():
            (docs / page.relative_to(DOCS)).parent.mkdir(parents=True, exist_ok=True)
            (docs / page.relative_to(DOCS)).write_bytes(page.read_bytes())
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["hooks"] = [str(PROJECT_DIR / hook) for hook in config["hooks"]]
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return docs, path


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ("a link to a page that does not exist", "missing.md"),
        ("a link to a heading that does not exist", "no-such-heading"),
        ("a page left out of the navigation", "forgotten.md"),
    ],
)
def test_a_broken_guide_fails_the_build(tmp_path: Path, fault: str, said: str) -> None:
    docs, config = _copy_of_the_guide(tmp_path)
    index = docs / "index.md"
    if "left out" in fault:
        (docs / "forgotten.md").write_text("# Forgotten\n", encoding="utf-8")
    elif "heading" in fault:
        index.write_text(index.read_text() + "\n[x](languages.md#no-such-heading)\n")
    else:
        index.write_text(index.read_text() + "\n[x](missing.md)\n")
    done = _mkdocs(config, tmp_path / "site")
    assert done.returncode != 0 and said in done.stderr, fault


# -- the reference ----------------------------------------------------------------------


def content_keys(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every key a content file may hold, at any depth."""
    seen = seen if seen is not None else set()
    seen.add(model)
    keys = set()
    for name, field in model.model_fields.items():
        keys.add(field.alias or name)
        for nested in _models(field.annotation):
            if nested not in seen:
                keys |= content_keys(nested, seen)
    return keys


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


def test_the_reference_documents_every_content_key() -> None:
    page = _tool("guide_reference").reference_markdown()
    documented = set(re.findall(r"^\| `([^`]+)` \|", page, flags=re.MULTILINE))
    written_as_text = {"precision", "year", "month", "day", "time"}  # dates are one text
    set_by_presskit = {"language"}
    assert content_keys(PressRelease) - written_as_text - set_by_presskit <= documented
    assert documented - content_keys(PressRelease) == set()


def test_the_reference_describes_each_key_with_its_docstring() -> None:
    page = _tool("guide_reference").reference_markdown()
    headline = PressRelease.model_json_schema()["properties"]["headline"]
    row = next(line for line in page.splitlines() if line.startswith("| `headline` |"))
    assert "| yes |" in row
    assert headline.get("description", "The headline.") in row


# -- the snippets -----------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """One ```yaml block of the guide, with what it should be checked as."""

    page: str
    line: int
    text: str
    kind: str
    arg: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def snippets() -> list[Snippet]:
    found = []
    for page in sorted(DOCS.glob("*.md")):
        source = page.read_text(encoding="utf-8")
        for block in FENCE.finditer(source):
            before = source[: block.start()].rstrip("\n").rsplit("\n", 1)[-1]
            mark = MARK.match(before.strip())
            kind, arg = (mark["kind"], mark["arg"]) if mark else ("content", "")
            line = source.count("\n", 0, block.start()) + 1
            found.append(Snippet(page.name, line, block["body"], kind, arg))
    return found


def completed(text: str) -> str:
    """A piece of a content file, with the required keys it leaves out added."""
    given = set(re.findall(r"^([A-Za-z_]+):", text, flags=re.MULTILINE))
    chunks = re.split(r"^(?=[A-Za-z_]+:)", MINIMAL, flags=re.MULTILINE)
    missing = [c for c in chunks if c and c.split(":", 1)[0] not in given]
    return text + "\n" + "".join(missing)


def with_pictures(folder: Path, text: str) -> None:
    """Write a plain picture at every image path the snippet names."""
    named = re.findall(r"file:\s*([\w./-]+)", text) + re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    for name in named:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".svg":
            path.write_text(
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">'
                '<rect width="40" height="20" fill="#246"/></svg>',
                encoding="utf-8",
            )
        else:
            Image.new("RGB", (1400, 1000), (40, 90, 140)).save(path)


def _content(snippet: Snippet, folder: Path) -> Path:
    with_pictures(folder, snippet.text)
    path = folder / "release.yaml"
    path.write_text(completed(snippet.text), encoding="utf-8")
    return path


def check_content(snippet: Snippet, folder: Path) -> None:
    assert load_all(_content(snippet, folder))


def check_refused(snippet: Snippet, folder: Path) -> None:
    with pytest.raises(ContentError) as refused:
        load_all(_content(snippet, folder))
    assert snippet.arg.strip('"') in str(refused.value)


def check_recipients(snippet: Snippet, folder: Path) -> None:
    path = folder / "recipients.yaml"
    path.write_text(snippet.text, encoding="utf-8")
    assert load_recipients(path)


def check_mail_config(snippet: Snippet, folder: Path) -> None:
    path = folder / "mail.yaml"
    path.write_text(snippet.text, encoding="utf-8")
    assert read_config(path)


def check_strings(snippet: Snippet, folder: Path) -> None:
    """A theme's wording file: each word it gives is the word the theme then uses."""
    (folder / "strings").mkdir()
    (folder / "strings" / f"{snippet.arg}.yaml").write_text(snippet.text, encoding="utf-8")
    words = wording.strings(snippet.arg, Theme.resolve(folder))
    given: dict[str, str] = yaml.safe_load(snippet.text)
    assert {key: words[key] for key in given} == given


CHECKS = {
    "content": check_content,
    "refused": check_refused,
    "recipients": check_recipients,
    "mail-config": check_mail_config,
    "strings": check_strings,
}


@pytest.mark.parametrize("snippet", snippets(), ids=str)
def test_every_yaml_snippet_is_what_presskit_reads(snippet: Snippet, tmp_path: Path) -> None:
    assert snippet.kind in CHECKS, f"{snippet}: unknown check {snippet.kind!r}"
    CHECKS[snippet.kind](snippet, tmp_path)


def test_the_guide_has_snippets_of_every_kind() -> None:
    """The checks above are all in use, so none of them is dead."""
    assert {s.kind for s in snippets()} == set(CHECKS)


def test_a_snippet_that_is_not_valid_fails_its_check(tmp_path: Path) -> None:
    bad = Snippet("x.md", 1, "headlin: A typo\n", "content", "")
    with pytest.raises(ContentError):
        check_content(bad, tmp_path)


def test_the_labels_example_gives_the_labels_it_shows(tmp_path: Path) -> None:
    """The labels example of the guide, loaded: each comment is the label formed."""
    [block] = [s for s in snippets() if s.kind == "content" and "labels: {edih:" in s.text]
    shown = re.findall(r"# (.+)$", block.text, flags=re.MULTILINE)
    release = load(_content(block, tmp_path))
    assert [e.display_label for e in release.ecosystems] == [
        text.removesuffix("its own label, written out").strip() or e.label
        for text, e in zip(shown, release.ecosystems, strict=True)
    ]
