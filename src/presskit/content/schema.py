"""The JSON Schema of a content file, for completion and validation in editors.

Generated from the model, so the field docstrings become the descriptions editors
show. Any value may also be written per language (``{fr: …, en: …}``), so every leaf
value accepts that form too.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from presskit.content import model
from presskit.content.model import PressRelease

SCHEMA_ID = "https://presskit.invalid/content.schema.json"
_LANGUAGE_KEY = r"^[A-Za-z]{2,3}([-_][A-Za-z]{2,4})?$"


def content_schema() -> dict[str, Any]:
    """The schema users write against (aliases, translations, no loader-set fields)."""
    schema = PressRelease.model_json_schema(by_alias=True, mode="validation")
    _describe_fields(schema)
    schema["properties"].pop("language", None)  # set by presskit, one per version
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "presskit content file"
    translatable: dict[str, Any] = _translatable(schema, root=True)
    return translatable


def _describe_fields(node: Any) -> None:
    """Give each model's properties their field's docstring as description, wherever
    the model's schema appears (in ``$defs``, or inline like the event's place)."""
    if isinstance(node, dict):
        documented = _documented_model(node)
        if documented is not None:
            docs = _field_docstrings(documented)
            for name, info in documented.model_fields.items():
                prop = node["properties"].get(info.alias or name)
                if name in docs and isinstance(prop, dict) and "description" not in prop:
                    prop["description"] = docs[name]
        for value in node.values():
            _describe_fields(value)
    elif isinstance(node, list):
        for item in node:
            _describe_fields(item)


def _documented_model(node: dict[str, Any]) -> type[BaseModel] | None:
    found = getattr(model, str(node.get("title", "")), None) if "properties" in node else None
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def _field_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """``{field: docstring}`` for ``cls`` and the models it inherits from, read from
    their source the way pydantic's ``use_attribute_docstrings`` does."""
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    docs: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if issubclass(base, BaseModel) and base.__module__ == model.__name__:
            docs |= extract_docstrings_from_cls(base, use_inspect=True)
    return docs


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
