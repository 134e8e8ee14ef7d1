"""Markdown prose, parsed once into a small tree that every renderer walks.

Prose fields (lead, body, descriptions, About) are CommonMark. They are parsed here,
at load time, with markdown-it-py (raw HTML disabled) into :class:`Block` and
:class:`Span` values. The HTML and Word renderers both walk this same tree, so bold,
italics, links and images come out alike in every document and no renderer parses
Markdown again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

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


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item or block quote, made of spans."""

    kind: Literal["paragraph", "heading", "bullet", "number", "quote"]
    spans: tuple[Span, ...]
    level: int = 0  # heading level, or list nesting depth (0 = top)
    number: int = 0  # position in an ordered list, from 1


@dataclass(frozen=True)
class Prose:
    """Markdown source and the blocks parsed from it."""

    source: str
    blocks: tuple[Block, ...] = field(default=())

    def plain_text(self) -> str:
        """The text without formatting, paragraphs separated by blank lines."""
        return "\n\n".join("".join(s.text for s in b.spans) for b in self.blocks)

    def links(self) -> Iterator[str]:
        """Every link target, in order."""
        for block in self.blocks:
            for span in block.spans:
                if span.href:
                    yield span.href

    def heading_rank(self, level: int) -> int:
        """0 for the prose's highest heading level, 1 for the next, …: renderers add
        this to the level where the prose sits, so headings never skip a level."""
        levels = sorted({b.level for b in self.blocks if b.kind == "heading"})
        return levels.index(level)

    def images(self) -> Iterator[Span]:
        """Every image span, in order."""
        for block in self.blocks:
            yield from (s for s in block.spans if s.kind == "image")


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
    """Parse CommonMark ``source``; raise :class:`MarkdownProblem` for unsafe links."""
    tokens = _PARSER.parse(source)
    blocks = tuple(_blocks(tokens))
    for block in blocks:
        for span in block.spans:
            if span.href is not None and not span.href.lower().startswith(LINK_SCHEMES):
                raise MarkdownProblem(
                    f"link target {span.href!r} is not allowed: use http, https, mailto or tel"
                )
    return Prose(source=source, blocks=blocks)


def _blocks(tokens: list[Token]) -> Iterator[Block]:
    lists: list[list[int]] = []  # stack of [ordered?, counter]
    quote_depth = 0
    heading_level = 0
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if len(lists) >= MAX_LIST_DEPTH:
                raise MarkdownProblem(f"lists nested deeper than {MAX_LIST_DEPTH} levels")
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            lists.append([kind == "ordered_list_open", start - 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            lists[-1][1] += 1
        elif kind == "blockquote_open":
            quote_depth += 1
            if quote_depth > MAX_QUOTE_DEPTH:
                raise MarkdownProblem(f"quotes nested deeper than {MAX_QUOTE_DEPTH} levels")
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "table_open":
            raise MarkdownProblem("tables are not supported in prose: use a list instead")
        elif kind in ("fence", "code_block"):
            yield Block("paragraph", (Span(token.content.rstrip("\n"), code=True),))
        elif kind == "inline":
            spans = tuple(_spans(token.children or []))
            if heading_level:
                yield Block("heading", spans, level=heading_level)
            elif lists:
                ordered, counter = lists[-1]
                yield Block(
                    "number" if ordered else "bullet", spans, level=len(lists) - 1, number=counter
                )
            elif quote_depth:
                yield Block("quote", spans)
            else:
                yield Block("paragraph", spans)


def _spans(children: list[Token]) -> Iterator[Span]:
    bold = italic = 0
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "text":
            if child.content:
                yield Span(child.content, bold=bold > 0, italic=italic > 0, href=href)
        elif kind == "softbreak":
            yield Span(" ", bold=bold > 0, italic=italic > 0, href=href)
        elif kind == "hardbreak":
            yield Span("\n", kind="break")
        elif kind == "code_inline":
            yield Span(child.content, bold=bold > 0, italic=italic > 0, code=True, href=href)
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
        elif kind == "link_close":
            href = None
        elif kind == "image":
            alt = "".join(c.content for c in child.children or [])
            yield Span(alt, kind="image", src=str(child.attrGet("src") or ""))
