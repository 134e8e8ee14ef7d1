"""The README is true: it documents every key of the content file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from presskit.assets.resources import PROJECT_DIR
from presskit.content.loader import load
from presskit.content.model import PressRelease

from .conftest import MINIMAL


def content_keys(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
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


def test_readme_documents_every_content_key() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The content file", 1)[1].split("\n## ", 1)[0]
    internal = {"precision", "year", "month", "day", "time"}  # EventDate is written as text
    missing = [
        key
        for key in sorted(content_keys(PressRelease) - internal)
        if not re.search(rf"[`.{{ ]{key}[`.,}} ]", section)
    ]
    assert missing == []


def test_readme_labels_example_gives_the_labels_it_shows(tmp_path: Path) -> None:
    """The EDIH example of the README, loaded: each comment is the label formed."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Labels and labelled ecosystems.**", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = re.findall(r"# (.+)$", block, flags=re.MULTILINE)
    content = tmp_path / "release.yaml"
    content.write_text(MINIMAL + block, encoding="utf-8")
    release = load(content)
    assert [e.display_label for e in release.ecosystems] == [
        text.removesuffix("its own label, written out").strip() or e.label
        for text, e in zip(shown, release.ecosystems, strict=True)
    ]
