"""The JSON Schema of a content file, for completion and validation in editors.

Generated from the model, so the field docstrings become the descriptions editors
show. Any value may also be written per language (``{fr: …, en: …}``), so every leaf
value accepts that form too.
"""

from __future__ import annotations

import json
from typing import Any

from presskit.model import PressRelease

SCHEMA_ID = "https://presskit.invalid/content.schema.json"
_LANGUAGE_KEY = r"^[A-Za-z]{2,3}([-_][A-Za-z]{2,4})?$"


def content_schema() -> dict[str, Any]:
    """The schema users write against (aliases, translations, no loader-set fields)."""
    schema = PressRelease.model_json_schema(by_alias=True, mode="validation")
    schema["properties"].pop("language", None)  # set by presskit, one per version
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "presskit content file"
    translatable: dict[str, Any] = _translatable(schema, root=True)
    return translatable


def _translatable(node: Any, root: bool = False) -> Any:
    """Let each property's value be given per language as well."""
    if isinstance(node, dict):
        node = {k: _translatable(v) for k, v in node.items()}
        if "properties" in node:
            node["properties"] = {
                name: value if (root and name == "languages") else _per_language(value)
                for name, value in node["properties"].items()
            }
        if "patternProperties" in node:  # a mapping of words, e.g. labels: {kind: form}
            node["patternProperties"] = {
                pattern: _per_language(value)
                for pattern, value in node["patternProperties"].items()
            }
            node["additionalProperties"] = False
    elif isinstance(node, list):
        node = [_translatable(item) for item in node]
    return node


def _per_language(value: dict[str, Any]) -> dict[str, Any]:
    description = value.get("description")
    plain = {k: v for k, v in value.items() if k not in ("description", "title", "default")}
    choice: dict[str, Any] = {
        "anyOf": [
            plain,
            {"type": "null", "description": "key: with nothing after it means not given"},
            {
                "type": "object",
                "description": "The value per language: {fr: …, en: …}",
                "patternProperties": {_LANGUAGE_KEY: plain},
                "additionalProperties": False,
            },
        ]
    }
    if description:
        choice["description"] = description
    if "default" in value:
        choice["default"] = value["default"]
    return choice


def schema_text() -> str:
    """The schema as pretty JSON."""
    return json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
