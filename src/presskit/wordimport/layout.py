"""Markdown written back the way the content file already had it.

An edited prose field is written whole, but a person reads the diff: paragraphs the
edit did not touch keep their lines exactly as they were, and new or changed ones are
wrapped at the width the field's lines already had. Every step is checked by parsing:
a layout that would change what the Markdown says is not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presskit.content import markdown

_BLOCK_START = re.compile(r"[#>+*=|~`<_-]|\d+[.)]")
_LEAD = re.compile(r"^( *(?:> ?)*)((?:[-+*]|\d+[.)]) +)?")
MIN_WIDTH = 60  # below this, lines were not wrapped to a width: leave new ones whole


def keep_layout(new: str, old: str | None) -> str:
    """``new`` with the blocks ``old`` already had written as they were, the others
    wrapped at ``old``'s width; ``new`` itself whenever that would change its sense."""
    if not old:
        return new
    old_blocks = re.split(r"\n[ \t]*\n", old.strip("\n"))
    width = _wrapped_width(old)
    blocks = []
    for block in new.split("\n\n"):
        kept = next((o for o in old_blocks if o.strip() and _equivalent(o, block)), None)
        if kept is not None and _indent_of(kept) == _indent_of(block):
            blocks.append(kept)
        elif width >= MIN_WIDTH:
            blocks.append(wrap_block(block, width))
        else:
            blocks.append(block)
    result = "\n\n".join(blocks)
    return result if _equivalent(result, new) else new


def _wrapped_width(text: str) -> int:
    """The width of ``text``'s longest line; 0 when it has one line only."""
    lines = text.strip("\n").splitlines()
    return max((len(line) for line in lines), default=0) if len(lines) > 1 else 0


def _indent_of(block: str) -> int:
    return len(block) - len(block.lstrip(" "))


def wrap_block(block: str, width: int) -> str:
    """Each long line of ``block`` broken at spaces where a break changes nothing."""
    wrapped = "\n".join(_wrap_line(line, width) for line in block.split("\n"))
    return wrapped if _equivalent(wrapped, block) else block


def _wrap_line(line: str, width: int) -> str:
    if len(line) <= width or line.lstrip(" >").startswith("#"):
        return line
    lead, follow = _leads(line)
    text = line[len(lead) :]
    out: list[str] = []
    current = lead
    start = 0
    for cut in [*_safe_breaks(text), len(text)]:
        word = text[start:cut]
        if current.strip() and len(current) + 1 + len(word) > width:
            out.append(current)
            current = follow + word
        else:
            current += (" " if current.strip() and start else "") + word
        start = cut + 1
    out.append(current)
    return "\n".join(out)


def _leads(line: str) -> tuple[str, str]:
    """What opens the line (quote marks, a list marker) and what opens the lines it
    is broken into: the quote marks, then spaces under the marker."""
    lead_match = _LEAD.match(line)
    lead = lead_match.group(0) if lead_match else ""
    quote = lead_match.group(1) if lead_match else ""
    return lead, quote + " " * (len(lead) - len(quote))


def _safe_breaks(text: str) -> list[int]:
    """Positions of single spaces outside code, link targets and autolinks, not
    followed by something that would open a block at a line's start."""
    breaks: list[int] = []
    nesting = _Nesting()
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2  # an escaped character is never a break, nor opens anything
            continue
        if text[i] == "`":
            i += nesting.backticks(text, i)
            continue
        if not nesting.code:
            nesting.follow(text, i)
            if not nesting.target and not nesting.angle and _single_space(text, i):
                breaks.append(i)
        i += 1
    return breaks


@dataclass
class _Nesting:
    """Where a scan of Markdown text stands: inside a code span, a link's target, an
    autolink."""

    code: int = 0
    """The length of the backtick run that opened the code span (0: outside)."""
    target: int = 0
    angle: int = 0

    def backticks(self, text: str, i: int) -> int:
        """Open or close a code span at the backtick run at ``i``; its length."""
        run = len(text[i:]) - len(text[i:].lstrip("`"))
        self.code = 0 if self.code == run else (self.code or run)
        return run

    def follow(self, text: str, i: int) -> None:
        """Enter or leave a link target ``](…)`` or an autolink ``<…>``."""
        char = text[i]
        if char == "(" and (self.target or (i and text[i - 1] == "]")):
            self.target += 1
        elif char == ")" and self.target:
            self.target -= 1
        elif char == "<":
            self.angle += 1
        elif char == ">" and self.angle:
            self.angle -= 1


def _single_space(text: str, i: int) -> bool:
    """A space between two words, before nothing that opens a block."""
    return (
        text[i] == " "
        and 0 < i < len(text) - 1
        and text[i - 1] != " "
        and text[i + 1] != " "
        and not _BLOCK_START.match(text, i + 1)
    )


def _equivalent(a: str, b: str) -> bool:
    """Whether two Markdown texts parse to the same blocks and formatted text."""
    try:
        first, second = markdown.parse(a), markdown.parse(b)
    except markdown.MarkdownProblem:
        return False
    return first.map_runs(_merged).blocks == second.map_runs(_merged).blocks


def _merged(spans: markdown.Spans) -> markdown.Spans:
    out: list[markdown.Span] = []
    for span in spans:
        previous = out[-1] if out else None
        if (
            previous is not None
            and span.kind == previous.kind == "text"
            and (span.bold, span.italic, span.code, span.href)
            == (previous.bold, previous.italic, previous.code, previous.href)
        ):
            out[-1] = markdown.Span(
                previous.text + span.text, span.bold, span.italic, span.code, span.href
            )
        else:
            out.append(span)
    return tuple(out)
