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
_SINGLE_SPACE = re.compile(rf"(?<=[^ ]) (?=[^ ])(?!{_BLOCK_START.pattern})")
_LEAD = re.compile(r"^( *(?:> ?)*)((?:[-+*]|\d+[.)]) +)?")
MIN_WIDTH = 60  # below this, lines were not wrapped to a width: leave new ones whole


def keep_layout(new: str, old: str | None) -> str:
    """``new`` with the blocks ``old`` already had written as they were, the others
    wrapped at ``old``'s width; ``new`` itself whenever that would change its sense."""
    return _relaid(new, old) if old else new


def _relaid(new: str, old: str) -> str:
    old_blocks = re.split(r"\n[ \t]*\n", old.strip("\n"))
    width = _wrapped_width(old)
    result = "\n\n".join(_laid_out(block, old_blocks, width) for block in new.split("\n\n"))
    return result if _equivalent(result, new) else new


def _laid_out(block: str, old_blocks: list[str], width: int) -> str:
    """``block`` as the old text wrote it; else wrapped at ``width`` (when the old lines were)."""
    kept = next((o for o in old_blocks if o.strip() and _equivalent(o, block)), None)
    if kept is not None and _indent_of(kept) == _indent_of(block):
        return kept
    return wrap_block(block, width) if width >= MIN_WIDTH else block


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
    return "\n".join(_filled(_words(line[len(lead) :]), lead, follow, width))


def _words(text: str) -> list[str]:
    """``text`` cut at its safe breaks (whose spaces go)."""
    cuts = _safe_breaks(text)
    bounds = zip([-1, *cuts], [*cuts, len(text)], strict=True)
    return [text[start + 1 : end] for start, end in bounds]


def _filled(words: list[str], lead: str, follow: str, width: int) -> list[str]:
    """The words as lines at most ``width`` long where they can be: the first line opened
    by ``lead``, the others by ``follow``."""
    lines = [lead]
    for index, word in enumerate(words):
        if lines[-1].strip() and len(lines[-1]) + 1 + len(word) > width:
            lines.append(follow + word)
        else:
            lines[-1] += (" " if lines[-1].strip() and index else "") + word
    return lines


def _leads(line: str) -> tuple[str, str]:
    """What opens the line (quote marks, a list marker) and what opens the lines it
    is broken into: the quote marks, then spaces under the marker."""
    found = _LEAD.match(line)
    lead, quote = found.group(0, 1) if found else ("", "")
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
    return bool(_SINGLE_SPACE.match(text, i))


def _equivalent(a: str, b: str) -> bool:
    """Whether two Markdown texts parse to the same blocks and formatted text."""
    try:
        return _normalised(a) == _normalised(b)
    except markdown.MarkdownProblem:
        return False


def _normalised(text: str) -> object:
    """The blocks ``text`` parses to, each run of same-formatted text as one span."""
    return markdown.parse(text).map_runs(_merged).blocks


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
