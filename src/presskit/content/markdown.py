"""Markdown prose, parsed once into a nested tree that every renderer walks.

Prose fields (lead, body, descriptions, About) are CommonMark. They are parsed here,
at load time, with markdown-it-py (raw HTML disabled) into a small tree of frozen
values: paragraphs and headings hold inline :class:`Span` runs; lists hold items that
hold blocks again (so an item may have two paragraphs or a list of its own); quotes
hold blocks too (so a quote may hold a list). :mod:`presskit.render.prose` renders
this one tree to HTML, Word and plain text, so no renderer parses Markdown again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
MAX_LIST_DEPTH = 3
MAX_QUOTE_DEPTH = 3


@dataclass(frozen=True)
class Span:
    """A run of inline text with its formatting; ``image`` spans carry ``src``."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    kind: Literal["text", "break", "image"] = "text"
    src: str | None = None


Spans = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (a code block is a paragraph of one code span)."""

    spans: Spans


@dataclass(frozen=True)
class Heading:
    """A heading inside prose. ``rank`` is 0 for the prose's top heading level, 1 for
    the next, …, never more than one below the heading before it: renderers add it to
    the level where the prose sits, so headings never skip a level (PDF/UA)."""

    level: int  # as written in the Markdown: 1 for "#"
    spans: Spans
    rank: int = 0


@dataclass(frozen=True)
class ListItem:
    """One list item: its blocks (paragraphs, nested lists, quotes)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list; numbered lists count from ``start``."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True  # items written without blank lines between them


@dataclass(frozen=True)
class Quote:
    """A block quote and the blocks it holds."""

    blocks: tuple[Block, ...]


Block = Paragraph | Heading | ListBlock | Quote
SpanMap = Callable[[Spans], Spans]


@dataclass(frozen=True)
class Prose:
    """Markdown source and the tree of blocks parsed from it."""

    source: str
    blocks: tuple[Block, ...] = field(default=())

    def runs(self) -> Iterator[Spans]:
        """The spans of every paragraph and heading, in reading order."""
        yield from _runs(self.blocks)

    def spans(self) -> Iterator[Span]:
        """Every span, in reading order."""
        for run in self.runs():
            yield from run

    def plain_text(self) -> str:
        """The text without formatting, paragraphs separated by blank lines."""
        return "\n\n".join("".join(s.text for s in run) for run in self.runs())

    def links(self) -> Iterator[str]:
        """Every link target, in order."""
        yield from (span.href for span in self.spans() if span.href)

    def images(self) -> Iterator[Span]:
        """Every image span, in order."""
        yield from (span for span in self.spans() if span.kind == "image")

    def map_runs(self, change: SpanMap) -> Prose:
        """The same tree with every paragraph's and heading's spans passed through
        ``change`` (typography, checked image paths)."""
        return Prose(self.source, _map_blocks(self.blocks, change))


def _walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        yield from _walk(_inner_blocks(block))


def _inner_blocks(block: Block) -> tuple[Block, ...]:
    """The blocks a quote holds, or a list's items hold (item after item)."""
    if isinstance(block, ListBlock):
        return tuple(b for item in block.items for b in item.blocks)
    return block.blocks if isinstance(block, Quote) else ()


def _runs(blocks: tuple[Block, ...]) -> Iterator[Spans]:
    for block in _walk(blocks):
        if isinstance(block, Paragraph | Heading):
            yield block.spans


def _map_blocks(blocks: tuple[Block, ...], change: SpanMap) -> tuple[Block, ...]:
    return tuple(_map_block(block, change) for block in blocks)


def _map_block(block: Block, change: SpanMap) -> Block:
    if isinstance(block, Paragraph | Heading):
        return replace(block, spans=change(block.spans))
    if isinstance(block, Quote):
        return Quote(_map_blocks(block.blocks, change))
    return replace(block, items=tuple(ListItem(_map_blocks(i.blocks, change)) for i in block.items))


class MarkdownProblem(ValueError):
    """The Markdown uses something presskit cannot render safely."""


def _make_parser() -> MarkdownIt:
    # Bare URLs and e-mail addresses become links (linkify); tables are recognised
    # only to be refused by name rather than shown as a row of pipes.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["linkify", "table"])
    # Accept every link target here; parse() then rejects unsafe ones by name, which
    # says more than markdown-it's default of leaving "[x](file:...)" as literal text.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


_PARSER = _make_parser()


def parse(source: str) -> Prose:
    """Parse CommonMark ``source``; raise :class:`MarkdownProblem` for what presskit
    cannot render safely (unsafe links, tables, lists or quotes nested too deep)."""
    root = SyntaxTreeNode(_PARSER.parse(source))
    prose = Prose(source=source, blocks=_rank_headings(_blocks(root.children, lists=0, quotes=0)))
    for href in prose.links():
        if not href.lower().startswith(LINK_SCHEMES):
            raise MarkdownProblem(
                f"link target {href!r} is not allowed: use http, https, mailto or tel"
            )
    return prose


def _blocks(nodes: list[SyntaxTreeNode], *, lists: int, quotes: int) -> tuple[Block, ...]:
    blocks = (_block(node, lists=lists, quotes=quotes) for node in nodes)
    return tuple(block for block in blocks if block is not None)


def _block(node: SyntaxTreeNode, *, lists: int, quotes: int) -> Block | None:
    kind = node.type
    if kind == "paragraph":
        return Paragraph(_inline(node))
    if kind == "heading":
        return Heading(int(node.tag[1]), _inline(node))
    if kind in ("fence", "code_block"):
        return Paragraph((Span(node.content.rstrip("\n"), code=True),))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, lists=lists + 1, quotes=quotes)
    if kind == "blockquote":
        if quotes >= MAX_QUOTE_DEPTH:
            raise MarkdownProblem(f"quotes nested deeper than {MAX_QUOTE_DEPTH} levels")
        return Quote(_blocks(node.children, lists=lists, quotes=quotes + 1))
    if kind == "table":
        raise MarkdownProblem("tables are not supported in prose: use a list instead")
    return None  # thematic breaks: a press release has no use for them


def _rank_headings(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Give each top-level heading its rank (see :class:`Heading`)."""
    levels = sorted({b.level for b in blocks if isinstance(b, Heading)})
    ranked: list[Block] = []
    previous = -1
    for block in blocks:
        if isinstance(block, Heading):
            rank = min(levels.index(block.level), previous + 1)
            block, previous = replace(block, rank=rank), rank
        ranked.append(block)
    return tuple(ranked)


def _list(node: SyntaxTreeNode, *, lists: int, quotes: int) -> ListBlock:
    if lists > MAX_LIST_DEPTH:
        raise MarkdownProblem(f"lists nested deeper than {MAX_LIST_DEPTH} levels")
    items = tuple(
        ListItem(_blocks(item.children, lists=lists, quotes=quotes)) for item in node.children
    )
    ordered = node.type == "ordered_list"
    start = int(node.attrGet("start") or 1) if ordered else 1
    # markdown-it hides the paragraphs of a tight list ("- a\n- b").
    tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
    return ListBlock(ordered, items, start, tight)


def _inline(node: SyntaxTreeNode) -> Spans:
    inline = node.children[0] if node.children else None
    return tuple(_spans(inline.children if inline else [], Span("")))


def _spans(nodes: list[SyntaxTreeNode], style: Span) -> Iterator[Span]:
    """Flatten inline nodes into runs, each carrying the formatting around it."""
    for node in nodes:
        kind = node.type
        if kind == "text" and node.content:
            yield replace(style, text=node.content)
        elif kind == "softbreak":
            yield replace(style, text=" ")
        elif kind == "hardbreak":
            yield Span("\n", kind="break")
        elif kind == "code_inline":
            yield replace(style, text=node.content, code=True)
        elif kind == "strong":
            yield from _spans(node.children, replace(style, bold=True))
        elif kind == "em":
            yield from _spans(node.children, replace(style, italic=True))
        elif kind == "link":
            yield from _spans(node.children, replace(style, href=str(node.attrGet("href") or "")))
        elif kind == "image":
            yield Span(_text(node), kind="image", src=str(node.attrGet("src") or ""))


def _text(node: SyntaxTreeNode) -> str:
    """The text of an inline node without its formatting (an image's description)."""
    if node.type in ("text", "code_inline"):
        return node.content
    breaks = node.type in ("softbreak", "hardbreak")
    return " " if breaks else "".join(_text(child) for child in node.children)
