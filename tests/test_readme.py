"""The README stays a front page: short, its links alive, its commands those CI runs.

What it used to hold in detail is the guide's now (docs/, tests/test_guide.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from presskit.assets.resources import PROJECT_DIR

README = PROJECT_DIR / "README.md"
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def test_the_readme_is_at_most_200_lines() -> None:
    assert len(_readme().splitlines()) <= 200


def test_every_relative_link_of_the_readme_resolves() -> None:
    targets = [m["target"] for m in LINK.finditer(_readme())]
    relative = [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]
    assert relative, "the README links into the guide"
    missing = [t for t in relative if not (PROJECT_DIR / t.split("#", 1)[0]).exists()]
    assert missing == []


def test_the_readme_shows_a_picture_of_a_built_page() -> None:
    pictures = re.findall(r"!\[[^\]]+\]\((docs/img/[^)]+\.png)\)", _readme())
    assert pictures and all((PROJECT_DIR / p).is_file() for p in pictures)


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (PROJECT_DIR / ".ci" / "run").read_text(encoding="utf-8")
    setup = ("#", "set ", "cd ")
    ci_commands = [line for line in ci.splitlines() if line and not line.startswith(setup)]
    assert ci_commands == ["make test"]
    assert re.search(r"^make test\b", _readme(), flags=re.MULTILINE)


def test_the_readme_lists_the_debian_packages_the_setup_installs() -> None:
    script = (PROJECT_DIR / "tools" / "install-system-deps.sh").read_text(encoding="utf-8")
    packages = re.findall(r'^(?:kit|test_only)="([^"]+)"', script, flags=re.MULTILINE)
    named = {p for group in packages for p in group.split()}
    assert named and {p for p in named if f"`{p}`" not in _readme()} == set()


def test_the_readme_names_the_example_it_builds() -> None:
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    [example] = re.findall(r"presskit build (examples/\S+\.yaml)", makefile)
    assert example in _readme() and Path(PROJECT_DIR / example).is_file()
