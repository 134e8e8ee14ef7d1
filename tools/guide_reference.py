"""The guide's content-file reference, generated from presskit's JSON Schema.

The page is made from the schema ``presskit schema`` prints, whose descriptions are
the model's field docstrings: the reference and the editors' completion can never
say different things, and no key is documented by hand. The MkDocs hook
(``tools/mkdocs_hooks.py``) puts the page into the guide at every build;
``python tools/guide_reference.py`` prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from presskit.content import model
from presskit.content.schema import content_schema

PAGE = "reference.md"
"""Where the page sits in the guide (``docs/`` is its folder)."""

ROOT_TITLE = "The release"

INTRO = """\
# The content file, key by key

Every key a content file may hold, generated from presskit's own description of the
file (the one `presskit schema` prints for editors), so it is always complete and
never out of date. How to write values (text, Markdown, dates, values per language) is
explained in [Writing the content file](content-file.md).

Any value except `languages` may be given once for every language or per language
(`headline: {fr: …, en: …}`), and a key written with nothing after it (`subheadline:`)
counts as left out. A key that is not listed here is refused as unknown.
"""


@dataclass
class Section:
    """One table of the page: the keys of one part of the file."""

    title: str
    schema: dict[str, Any]
    rows: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    """Where the part is written in the file: ``issuer.logo``, ``ecosystems[].logo``."""


def reference_markdown() -> str:
    """The whole page, as Markdown."""
    schema = content_schema()
    sections = _sections(schema)
    return INTRO + "".join(_section_text(s) for s in sections)


def _sections(schema: dict[str, Any]) -> list[Section]:
    """The root's table, then one per part in the order the file first names them."""
    defs = schema["$defs"]
    queue = [Section(ROOT_TITLE, schema)]
    done: list[Section] = []
    while queue:
        section = queue.pop(0)
        done.append(section)
        for name, prop in section.schema["properties"].items():
            kind, parts = _kind(_value(prop), defs)
            section.rows.append(_row(section, name, prop, kind))
            known = {s.title: s for s in done + queue}
            for title, part in parts:
                if title not in known:
                    known[title] = Section(title, part)
                    queue.append(known[title])
                known[title].paths += _paths(section, name, _value(prop))
    return done


def _paths(section: Section, name: str, value: dict[str, Any]) -> list[str]:
    """The key paths a part is written at, through the key ``name`` of ``section``."""
    key = name + ("[]" if value.get("type") == "array" else "")
    return [f"{path}.{key}" for path in section.paths] if section.paths else [key]


def _row(section: Section, name: str, prop: dict[str, Any], kind: str) -> str:
    required = "yes" if name in section.schema.get("required", ()) else _optional(section, name)
    description = _markdown(prop.get("description", ""))
    return f"| `{name}` | {required} | {kind} | {description} |\n"


def _optional(section: Section, name: str) -> str:
    """``no``, with the default when it is a plain value worth showing."""
    default = _default(section, name)
    return f"no (`{default}`)" if default else "no"


def _default(section: Section, name: str) -> str | None:
    cls = _model_class(section)
    info = cls.model_fields.get(name) if cls is not None else None
    value = info.get_default(call_default_factory=True) if info is not None else None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(value) + "]"
    return None


def _model_class(section: Section) -> type[BaseModel] | None:
    if section.title == ROOT_TITLE:
        return model.PressRelease
    found = getattr(model, section.title, None)
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def _value(node: dict[str, Any]) -> dict[str, Any]:
    """The value a key holds, without the per-language and "may be empty" choices."""
    while "anyOf" in node:
        choices = [c for c in node["anyOf"] if c.get("type") != "null" and not _per_language(c)]
        if len(choices) != 1:
            return {"anyOf": choices}
        node = choices[0]
    return node


def _per_language(node: dict[str, Any]) -> bool:
    return (
        node.get("type") == "object"
        and "properties" not in node
        and (str(node.get("description", "")).startswith("The value per language"))
    )


def _kind(node: dict[str, Any], defs: dict[str, Any]) -> tuple[str, list[tuple[str, Any]]]:
    """What a value is, in words, and the parts (with their schema) it refers to."""
    if "$ref" in node:
        title = node["$ref"].rsplit("/", 1)[1]
        return _link(title), [(title, defs[title])]
    if "anyOf" in node:
        kinds = [_kind(_value(choice), defs) for choice in node["anyOf"]]
        return " or ".join(k for k, _ in kinds), [p for _, parts in kinds for p in parts]
    if node.get("type") == "array":
        kind, parts = _kind(_value(node["items"]), defs)
        return f"list of {kind}", parts
    if node.get("type") == "object" and "properties" in node:
        return _link(node["title"]), [(node["title"], node)]
    if "patternProperties" in node:
        [value] = node["patternProperties"].values()
        kind, parts = _kind(_value(value), defs)
        return f"pairs `word: value`, each value {kind}", parts
    return _scalar(node), []


_FORMATS = {
    "date": "date, `YYYY-MM-DD`",
    "time": "time, `21:00`",
    "uri": "web address, `https://…`",
    "email": "e-mail address",
}


def _scalar(node: dict[str, Any]) -> str:
    if node.get("contentMediaType") == "text/markdown":
        return "Markdown text"
    if node.get("format") in _FORMATS:
        return _FORMATS[node["format"]]
    kind = "one line of text" if node.get("maxLength") == 250 else "text"
    if "examples" in node:
        kind += ", e.g. " + ", ".join(f"`{example}`" for example in node["examples"])
    return kind


def _link(title: str) -> str:
    return f"[{title}](#{title.lower()})"


def _markdown(docstring: str) -> str:
    """A field docstring as one table cell: reST literals become Markdown ones, and
    ``<`` outside them is text, never a tag."""
    text = re.sub(r"``(.+?)``", r"`\1`", " ".join(docstring.split()))
    pieces = re.split(r"(`[^`]*`)", text)
    escaped = [p if p.startswith("`") else p.replace("<", "&lt;") for p in pieces]
    return "".join(escaped).replace("|", "\\|")


def _section_text(section: Section) -> str:
    anchor = "top-level" if section.title == ROOT_TITLE else section.title.lower()
    intro = _markdown(section.schema.get("description", "")) if section.title != ROOT_TITLE else ""
    header = "| key | required | what it holds | what it is |\n| --- | --- | --- | --- |\n"
    heading = f"\n## {section.title} {{#{anchor}}}\n\n"
    where = ", ".join(f"`{path}`" for path in section.paths)
    intro += f" Written at {where}." if where else ""
    return heading + (f"{intro.strip()}\n\n" if intro else "") + header + "".join(section.rows)


if __name__ == "__main__":
    print(reference_markdown(), end="")
