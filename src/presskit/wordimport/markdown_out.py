"""Paragraphs read from Word written back as the Markdown the content file holds.

The inverse of the Word renderer's prose: paragraph styles give the block (heading,
bulleted or numbered list item and its depth, block quote, paragraph), run formatting
gives ``**bold**``, ``*italics*``, `` `code` `` and ``[links](target)``; a line break is
a hard break. Text is escaped so that it reads back as the same text, never as markup.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar

from presskit.content import markdown
from presskit.wordimport.reader import Piece
from presskit.wordimport.untype import untype_runs

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
    writer = _Writer(language, image_source or (lambda index: ""))
    blocks = _Blocks(top=min(headings, default=1), quote_is_plain=quote_is_plain)
    for paragraph in paragraphs:
        blocks.add(paragraph.style, writer.inline(paragraph.pieces))
    return "".join(blocks.out)


@dataclass
class _Blocks:
    """The Markdown written so far, and the state of the list being written."""

    top: int
    """The highest heading level used: it becomes ``#``."""
    quote_is_plain: bool
    out: list[str] = field(default_factory=list)
    indents: dict[int, int] = field(default_factory=dict)
    """The open list levels: the width of each one's marker."""
    numbers: dict[int, int] = field(default_factory=dict)
    """The open numbered list levels: the last number given."""
    previous_list: bool = False

    def add(self, style: str, text: str) -> None:
        if listed := _LIST.match(style):
            self._list_item(listed, text)
        elif (continued := _CONTINUE.match(style)) and self.indents:
            self._continuation(continued, text)
        else:
            self.numbers, self.indents, self.previous_list = {}, {}, False
            self._append("\n\n", self._block(style, text))

    def _append(self, separator: str, text: str) -> None:
        self.out.append(separator + text if self.out else text)

    def _list_item(self, listed: re.Match[str], text: str) -> None:
        level = int(listed.group(2) or 1) - 1
        marker = self._marker(level, numbered=listed.group(1) == "Number")
        # A nested item whose parent item has no paragraph of its own (Markdown's
        # "- - item") opens its parents on its own line, as empty items.
        first = next((i for i in range(level) if i not in self.indents), level)
        indent = sum(self.indents.get(i, 2) for i in range(first))
        self.indents.update(dict.fromkeys(range(first, level), 2))
        self.indents[level] = len(marker)
        lead = "- " * (level - first) + marker
        item = " " * indent + lead + _indent(text, indent + len(lead))
        self._append("\n" if self.previous_list else "\n\n", item)
        self.previous_list = True

    def _marker(self, level: int, numbered: bool) -> str:
        """``- `` or the item's number; deeper levels' numbering starts again."""
        self.numbers = {k: v for k, v in self.numbers.items() if k <= level}
        if not numbered:
            self.numbers.pop(level, None)
            return "- "
        self.numbers[level] = self.numbers.get(level, 0) + 1
        return f"{self.numbers[level]}. "

    def _continuation(self, continued: re.Match[str], text: str) -> None:
        """A further paragraph of the item above, indented under its text."""
        level = int(continued.group(1) or 1) - 1
        indent = sum(self.indents.get(i, 2) for i in range(level + 1))
        self._append("\n\n", " " * indent + _indent(text, indent))
        self.previous_list = True

    def _block(self, style: str, text: str) -> str:
        """A heading, a block quote or a paragraph."""
        if heading := _HEADING.match(style):
            return "#" * (int(heading.group(1)) - self.top + 1) + " " + text.replace("\\\n", " ")
        if style == "Quote" and not self.quote_is_plain:
            return "> " + text.replace("\n", "\n> ")
        return text


def _indent(text: str, width: int) -> str:
    return text.replace("\n", "\n" + " " * width)


@dataclass
class _Writer:
    language: str
    image_source: Callable[[int], str]
    images: int = 0

    def inline(self, pieces: tuple[Piece, ...]) -> str:
        groups = self.untyped(_groups(pieces))
        stretches = itertools.groupby(groups, key=lambda group: group[0].kind == "text")
        parts = (
            self.emphasised(run) if is_text else self.objects(run) for is_text, run in stretches
        )
        return _escape_line_starts("".join(parts)).strip(" ")

    def untyped(self, groups: list[list[Piece]]) -> list[list[Piece]]:
        """Each run of text untyped as the paragraph reads, across formatting changes
        (as presskit typeset it); code, a link showing its own address, line breaks and
        pictures are context only. Where that would glue a quotation mark to a letter
        across an emphasis marker (``0*"*`` opens no italics), each run is untyped
        alone, keeping the typeset space that lets the marker open."""
        free = [_typed_as_text(group) for group in groups]
        texts = list(map(_as_context, groups))
        runs = untype_runs(texts, self.language, protected=[not f for f in free])
        if not _markers_flank(groups, runs):
            runs = [
                untype_runs([text], self.language)[0] if f else text
                for text, f in zip(texts, free, strict=True)
            ]
        return [
            [dataclasses.replace(group[0], text=run)] if typed else group
            for group, run, typed in zip(groups, runs, free, strict=True)
        ]

    def objects(self, groups: Iterable[list[Piece]]) -> str:
        """Line breaks as hard breaks, pictures as ``![alt](source)``."""
        return "".join(
            "\\\n" * len(group) if group[0].kind == "break" else "".join(map(self.image, group))
            for group in groups
        )

    def image(self, piece: Piece) -> str:
        """``![alt](source)``, the source of the field's picture at the same place."""
        written = f"![{_escape(piece.text)}]({self.image_source(self.images)})"
        self.images += 1
        return written

    def emphasised(self, groups: Iterable[list[Piece]], level: int = 0) -> str:
        """Bold, then italics, each around the longest stretch of pieces that have it:
        ``*a `b`*`` rather than ``*a**`b`*``, whose markers would run together."""
        if level == len(_EMPHASIS):
            return "".join(self.formatted(g[0], "".join(p.text for p in g)) for g in groups)
        flag, marker = _EMPHASIS[level]
        out = []
        for on, stretch in itertools.groupby(groups, key=lambda g: flag(g[0])):
            inner = self.emphasised(stretch, level + 1)
            out.append(_hug(inner, marker) if on else inner)
        return "".join(out)

    def formatted(self, piece: Piece, text: str) -> str:
        if piece.href is not None and not piece.code and _links_itself(text, piece.href):
            return text
        inner = _code(text) if piece.code else _escape(text)
        return inner if piece.href is None else f"[{inner}]({_target(piece.href)})"


def _groups(pieces: tuple[Piece, ...]) -> list[list[Piece]]:
    """Runs of pieces of the same kind and formatting."""
    return [list(group) for _, group in itertools.groupby(pieces, key=_key)]


def _typed_as_text(group: list[Piece]) -> bool:
    """Whether presskit typesets this run: text, neither code nor a link's address."""
    first, text = group[0], "".join(piece.text for piece in group)
    own_address = first.href is not None and _links_itself(text, first.href)
    return first.kind == "text" and not first.code and not own_address


def _markers_flank(groups: list[list[Piece]], runs: list[str]) -> bool:
    """Whether every emphasis marker between two runs of text can open or close there:
    CommonMark opens none between a letter and punctuation (``a*"*``), nor closes one
    between punctuation and a letter (``*"*a``)."""
    edges = zip(groups, groups[1:], runs, runs[1:], strict=False)
    return all(_flanks(a[0], b[0], left, right) for a, b, left, right in edges)


def _flanks(before: Piece, after: Piece, left: str, right: str) -> bool:
    """Whether the markers between ``before`` and ``after`` (texts ``left``, ``right``)
    can open and close there."""
    last, first = left[-1:], right[:1]
    if before.kind != "text" or after.kind != "text" or not last.strip() or not first.strip():
        return True  # a space beside a marker always lets it: the markers hug the text
    opens = (after.bold and not before.bold) or (after.italic and not before.italic)
    closes = (before.bold and not after.bold) or (before.italic and not after.italic)
    if _punctuation(last) == _punctuation(first):
        return True  # letter beside letter, punctuation beside punctuation
    return not (opens and _punctuation(first)) and not (closes and _punctuation(last))


def _punctuation(char: str) -> bool:
    """Punctuation as the Markdown parser counts it beside an emphasis marker."""
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _as_context(group: list[Piece]) -> str:
    """What a run is to the typography around it: its text; a line break ends a line."""
    if group[0].kind == "break":
        return "\n" * len(group)
    return "".join(piece.text for piece in group) if group[0].kind == "text" else ""


def _key(piece: Piece) -> tuple[object, ...]:
    return (piece.kind, piece.bold, piece.italic, piece.code, piece.href)


_EMPHASIS: tuple[tuple[Callable[[Piece], bool], str], ...] = (
    (lambda piece: piece.bold, "**"),
    (lambda piece: piece.italic, "*"),
)


def _hug(text: str, marker: str) -> str:
    """Markers hug the text: spaces at either end stay outside them."""
    stripped = text.strip()  # any Unicode space: a marker beside one opens nothing
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}" if stripped else text


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
    return [[(span.text, span.href) for span in run] for run in _runs(text)] == [[(text, href)]]


def _runs(text: str) -> list[markdown.Spans]:
    """The runs of text ``text`` parses to; none when it does not parse."""
    try:
        return list(markdown.parse(text).runs())
    except markdown.MarkdownProblem:
        return []
