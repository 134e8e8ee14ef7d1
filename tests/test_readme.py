"""The README is true: it documents every key of the content file."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from presskit.model import PressRelease
from presskit.resources import PROJECT_DIR


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
