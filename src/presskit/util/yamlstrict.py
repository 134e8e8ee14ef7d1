"""A strict, string-only YAML reader that remembers where every value was written.

PyYAML's ``safe_load`` still resolves YAML 1.1 implicit types (``NO`` -> False,
``012`` -> 10, ``1:20`` -> 80), lets the last duplicate key win silently and expands
alias bombs. Content files are data typed by the model, so this reader:

- keeps every scalar as the string it was written as (the model parses it);
- refuses explicit tags, anchors and aliases, and duplicate keys (naming both lines);
- caps the file size and the nesting depth;
- returns, beside the data, the line of every key path, so that the loader can name
  the line of each problem the model reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.error import Mark
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from presskit.util.errors import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]


class _StringResolver(BaseResolver):
    """A resolver with no implicit resolvers: every plain scalar stays a string."""

    yaml_implicit_resolvers = {}  # noqa: RUF012  (replaces the inherited table)


class _StrictLoader(CParser, Composer, SafeConstructor, _StringResolver):
    """libyaml's parser (C: the scanning, most of the time of a long file) under
    PyYAML's composer, whose nodes record tags, anchors, aliases and excess depth as
    problems instead of obeying them."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _StringResolver.__init__(self)
        self.problems: list[Problem] = []
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event: Any = self.peek_event()  # a libyaml event, with its marks
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            self.get_event()
            self.problems.append(
                Problem(line, "", f"aliases (*{event.anchor}) are not allowed in content files")
            )
            return _empty(event.start_mark, event.end_mark)
        refused_tag = False
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.anchor is not None:
                self.problems.append(
                    Problem(line, "", f"anchors (&{event.anchor}) are not allowed in content files")
                )
                event.anchor = None
            if event.tag not in (None, "!"):
                self.problems.append(
                    Problem(
                        line,
                        "",
                        f"tags ({event.tag}) are not allowed in content files; "
                        "to start a value with '!', put it in quotes",
                    )
                )
                event.tag = None
                refused_tag = True
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.YAMLError(f"line {line}: nesting deeper than {MAX_DEPTH} levels")
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is None:
            return _empty(event.start_mark, event.end_mark)
        if refused_tag:  # keep the value as written, without its tag
            node.tag = {
                ScalarNode: "tag:yaml.org,2002:str",
                SequenceNode: "tag:yaml.org,2002:seq",
                MappingNode: "tag:yaml.org,2002:map",
            }[type(node)]
        return node


def _empty(start: Any, end: Any) -> ScalarNode:
    return ScalarNode("tag:yaml.org,2002:str", "", cast(Mark, start), cast(Mark, end))


@dataclass
class Document:
    """Plain data (dicts, lists, strings) plus the line where each key path starts."""

    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: PathKey) -> int:
        """The line of ``path``, or of its nearest ancestor that was written."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def format_path(path: PathKey) -> str:
    """``("contacts", 1, "email")`` -> ``contacts[1].email``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def parse(text: str) -> Document:
    """Parse ``text`` strictly; raise :class:`yaml.YAMLError` on a syntax error."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise yaml.YAMLError(f"the file is larger than {MAX_BYTES // 1000} kB")
    loader = _StrictLoader(text)
    try:
        # The Python composer, not CParser's own (which would obey tags and aliases).
        node = Composer.get_single_node(loader)
    finally:
        loader.dispose()
    doc = Document(data=None, problems=list(loader.problems))
    if node is not None:
        doc.data = _to_data(node, (), doc)
    return doc


def _to_data(node: Node, path: PathKey, doc: Document) -> Any:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        return _mapping_to_dict(node, path, doc)
    if isinstance(node, SequenceNode):
        return [_to_data(item, (*path, i), doc) for i, item in enumerate(node.value)]
    value: str = node.value
    # Plain empty scalars (``key:`` with nothing after) mean "not given".
    if value == "" and isinstance(node, ScalarNode) and not node.style:  # plain: None or ""
        return None
    return value


def _mapping_to_dict(node: MappingNode, path: PathKey, doc: Document) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            doc.problems.append(Problem(line, format_path(path), "keys must be plain text"))
            continue
        key = key_node.value
        if key in first_line:
            doc.problems.append(
                Problem(
                    line,
                    format_path((*path, key)),
                    f"duplicate key '{key}' (first written on line {first_line[key]})",
                )
            )
            continue
        first_line[key] = line
        doc.lines[(*path, key)] = line
        result[key] = _to_data(value_node, (*path, key), doc)
    return result
