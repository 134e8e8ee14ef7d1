"""Paragraphs read from Word written back as the Markdown the content file holds.

The inverse of the Word renderer's prose: paragraph styles give the block (heading,
bulleted or numbered list item and its depth, block quote, paragraph), run formatting
gives ``**bold**``, ``*italics*``, `` `code` `` and ``[links](target)``; a line break is
a hard break. Text is escaped so that it reads back as the same text, never as markup.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from presskit.content import markdown
from presskit.wordimport.reader import Piece
from presskit.wordimport.untype import untype

_HEADING = re.compile(r"^Heading (\d)$")
_LIST = re.compile(r"^List (Bullet|Number)(?: (\d))?$")
_CONTINUE = re.compile(r"^List Continue(?: (\d))?$")
_ESCAPED = re.compile(r"([\\`*_\[\]<>|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=~-]|\d+(?=[.)]))", re.MULTILINE)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of one prose field: its Word style and its pieces."""

    style: str
    pieces: tuple[Piece, ...]


def is_prose_style(style: str) -> bool:
    """Styles every prose field may use: headings, lists, quotes."""
    return bool(_HEADING.match(style) or _LIST.match(style) or _CONTINUE.match(style)) or (
        style == "Quote"
    )


def to_markdown(
    paragraphs: Sequence[Paragraph],
    language: str,
    quote_is_plain: bool = False,
    image_source: Callable[[int], str] | None = None,
) -> str:
    """The Markdown source of ``paragraphs``; ``quote_is_plain`` for a quotation's own
    text, whose paragraphs are in the Quote style without being block quotes."""
    headings = [int(m.group(1)) for p in paragraphs if (m := _HEADING.match(p.style))]
    top = min(headings, default=1)
    writer = _Writer(language, image_source or (lambda index: ""))
    out: list[str] = []
    indents: dict[int, int] = {}
    numbers: dict[int, int] = {}
    previous_list = False
    for paragraph in paragraphs:
        text = writer.inline(paragraph.pieces)
        heading = _HEADING.match(paragraph.style)
        listed = _LIST.match(paragraph.style)
        if listed:
            level = int(listed.group(2) or 1) - 1
            numbers = {k: v for k, v in numbers.items() if k <= level}
            if listed.group(1) == "Number":
                numbers[level] = numbers.get(level, 0) + 1
                marker = f"{numbers[level]}. "
            else:
                numbers.pop(level, None)
                marker = "- "
            # A nested item whose parent item has no paragraph of its own (Markdown's
            # "- - item") opens its parents on its own line, as empty items.
            first = next((i for i in range(level) if i not in indents), level)
            indent = sum(indents.get(i, 2) for i in range(first))
            opened = "- " * (level - first)
            indents.update(dict.fromkeys(range(first, level), 2))
            indents[level] = len(marker)
            lead = opened + marker
            item = " " * indent + lead + _indent(text, indent + len(lead))
            out.append(("\n" if previous_list else "\n\n") + item if out else item)
            previous_list = True
            continue
        continued = _CONTINUE.match(paragraph.style)
        if continued and indents:
            # A further paragraph of the item above, indented under its text.
            level = int(continued.group(1) or 1) - 1
            indent = sum(indents.get(i, 2) for i in range(level + 1))
            out.append("\n\n" + " " * indent + _indent(text, indent))
            previous_list = True
            continue
        numbers, indents, previous_list = {}, {}, False
        if heading:
            block = "#" * (int(heading.group(1)) - top + 1) + " " + text.replace("\\\n", " ")
        elif paragraph.style == "Quote" and not quote_is_plain:
            block = "> " + text.replace("\n", "\n> ")
        else:
            block = text
        out.append("\n\n" + block if out else block)
    return "".join(out)


def _indent(text: str, width: int) -> str:
    return text.replace("\n", "\n" + " " * width)


@dataclass
class _Writer:
    language: str
    image_source: Callable[[int], str]
    images: int = 0

    def inline(self, pieces: tuple[Piece, ...]) -> str:
        parts: list[str] = []
        segment: list[list[Piece]] = []
        for group in _groups(pieces):
            first = group[0]
            if first.kind in ("break", "image"):
                parts.append(self.emphasised(segment))
                segment = []
            if first.kind == "break":
                parts.append("\\\n" * len(group))
            elif first.kind == "image":
                for piece in group:
                    parts.append(f"![{_escape(piece.text)}]({self.image_source(self.images)})")
                    self.images += 1
            else:
                segment.append(group)
        parts.append(self.emphasised(segment))
        return _escape_line_starts("".join(parts)).strip(" ")

    def emphasised(self, groups: list[list[Piece]], level: int = 0) -> str:
        """Bold, then italics, each around the longest stretch of pieces that have it:
        ``*a `b`*`` rather than ``*a**`b`*``, whose markers would run together."""
        if level == len(_EMPHASIS):
            return "".join(self.formatted(g[0], "".join(p.text for p in g)) for g in groups)
        flag, marker = _EMPHASIS[level]
        out = []
        for on, stretch in itertools.groupby(groups, key=lambda g: flag(g[0])):
            inner = self.emphasised(list(stretch), level + 1)
            out.append(_hug(inner, marker) if on else inner)
        return "".join(out)

    def formatted(self, piece: Piece, text: str) -> str:
        inner = _code(text) if piece.code else _escape(untype(text, self.language))
        if piece.href is not None:
            if not piece.code and _links_itself(text, piece.href):
                return text
            return f"[{inner}]({_target(piece.href)})"
        return inner


def _groups(pieces: tuple[Piece, ...]) -> list[list[Piece]]:
    groups: list[list[Piece]] = []
    for piece in pieces:
        key = (piece.kind, piece.bold, piece.italic, piece.code, piece.href)
        if groups and piece.kind != "image" and _key(groups[-1][0]) == key:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _key(piece: Piece) -> tuple[object, ...]:
    return (piece.kind, piece.bold, piece.italic, piece.code, piece.href)


_EMPHASIS: tuple[tuple[Callable[[Piece], bool], str], ...] = (
    (lambda piece: piece.bold, "**"),
    (lambda piece: piece.italic, "*"),
)


def _hug(text: str, marker: str) -> str:
    """Markers hug the text: spaces at either end stay outside them."""
    stripped = text.strip()  # any Unicode space: a marker beside one opens nothing
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _escape(text: str) -> str:
    return _ENTITY.sub("\\\\&", _ESCAPED.sub(r"\\\1", text))


def _escape_line_starts(text: str) -> str:
    """Characters that would open a block (heading, list, quote) at a line's start."""
    return _LINE_START.sub(lambda m: m.group(1) + _escape_block(m.group(2)), text)


def _escape_block(marker: str) -> str:
    return marker + "\\" if marker.isdigit() else "\\" + marker


def _code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each end of a code span, unless the span is
    # only spaces: such a span needs no padding (and would grow by two with it).
    edges = text.startswith(("`", " ")) or text.endswith(("`", " "))
    pad = " " if edges and text.strip(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _target(href: str) -> str:
    if re.search(r"[\s()<>]", href):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def _links_itself(text: str, href: str) -> bool:
    """A bare address that Markdown turns into this very link on its own."""
    try:
        runs = list(markdown.parse(text).runs())
    except markdown.MarkdownProblem:
        return False
    if len(runs) != 1 or len(runs[0]) != 1:
        return False
    span = runs[0][0]
    return span.text == text and span.href == href
