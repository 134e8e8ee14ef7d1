"""The content file edited in place with ruamel.yaml's round-trip mode.

ruamel.yaml keeps comments, key order, quoting, block scalars and flow mappings.
The editor first checks that loading and dumping the file unchanged gives back the
very same bytes (trying the usual indentations), so that every line the import does
not touch stays as it was; a file it cannot rewrite that way is refused.

Values are set per language: a value already given as ``{fr: …, en: …}`` gets its
language's entry replaced; a value shared by every language is split into one entry
per language, the others keeping the old text.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

# (mapping, sequence, offset) indentations, most common first.
_INDENTS = ((2, 2, 0), (2, 4, 2), (4, 4, 0), (4, 6, 2), (2, 4, 0), (4, 4, 2), (3, 3, 0))
PathKey = tuple[str | int, ...]


class LayoutError(ValueError):
    """ruamel.yaml cannot write this file back without changing untouched lines."""


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never re-wrap a line
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


class ContentEditor:
    """A content file's text, loaded for editing, dumped with its layout intact."""

    def __init__(self, text: str) -> None:
        self.yaml, self.data = _round_trip(text)

    def text(self) -> str:
        return _dump(self.yaml, self.data)

    def set(
        self,
        path: PathKey,
        value: str | None,
        language: str,
        languages: list[str],
        per_language: bool,
    ) -> None:
        """Set the value at ``path`` (where the loader read it for ``language``).

        ``per_language``: ``path`` already ends with the language's key. Otherwise the
        value is shared; with several languages it becomes one entry per language."""
        parent = self._container(path[:-1])
        key = path[-1]
        old = _get(parent, key)
        if per_language or len(languages) == 1:
            # A language's own entry is kept (set to nothing); a shared value, removed.
            _put(parent, key, value, old, keep_key=per_language and key in languages)
            return
        split = CommentedMap()
        for code in languages:
            split[code] = old
        _put(split, language, value, old, keep_key=True)
        if isinstance(parent, CommentedMap | CommentedSeq) and parent.fa.flow_style():
            split.fa.set_flow_style()
        _assign(parent, key, split)

    def remove(self, path: PathKey) -> None:
        """Delete the list item at ``path`` (a quote, say), for every language."""
        parent = self._container(path[:-1])
        del parent[path[-1]]

    def _container(self, path: PathKey) -> Any:
        node = self.data
        for key in path:
            node = node[key]
        return node


def _round_trip(text: str) -> tuple[YAML, Any]:
    """A YAML for ``text``'s indentation (the usual ones tried) and the data it loads: one
    that dumps the data back byte for byte."""
    for indent in _INDENTS:
        yaml = _yaml(indent)
        data = _loaded(yaml, text)
        if _dump(yaml, data) == text:
            return yaml, data
    raise LayoutError(
        "presskit cannot rewrite this file without changing lines the import does not "
        "touch (unusual indentation or spacing); edit it by hand"
    )


def _loaded(yaml: YAML, text: str) -> Any:
    try:
        return yaml.load(text)
    except YAMLError as error:
        raise LayoutError(f"the YAML cannot be read for rewriting ({error})") from None


def _get(parent: Any, key: str | int) -> Any:
    if isinstance(parent, dict):
        return parent.get(key)
    return parent[key]


def _assign(parent: Any, key: str | int, value: Any) -> None:
    parent[key] = value


def _put(parent: Any, key: str | int, value: str | None, old: Any, keep_key: bool) -> None:
    """Set or clear ``key``; a field emptied in Word is left out (optional fields go
    back to their default; required ones are then reported as missing)."""
    if value is None:
        if isinstance(parent, dict) and key in parent and not keep_key:
            del parent[key]
        else:
            _assign(parent, key, None)
        return
    _assign(parent, key, scalar_like(old, value))


def scalar_like(old: Any, value: str) -> Any:
    """``value`` written the way the old value was: block, quoted or plain."""
    keep_newline = not isinstance(old, str) or old.endswith("\n")
    if "\n" in value or isinstance(old, LiteralScalarString):
        return LiteralScalarString(value + "\n" if keep_newline else value)
    if isinstance(old, FoldedScalarString):
        return FoldedScalarString(value + "\n" if keep_newline else value)
    if isinstance(old, DoubleQuotedScalarString | SingleQuotedScalarString):
        return type(old)(value)
    return value


def _dump(yaml: YAML, data: Any) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
