"""Markdown written back the way the content file already had it.

An edited prose field is written whole, but a person reads the diff: paragraphs the
edit did not touch keep their lines exactly as they were, and new or changed ones are
wrapped at the width the field's lines already had. Every step is checked by parsing:
a layout that would change what the Markdown says is not used.
"""

from __future__ import annotations

import re

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
    lines = old.strip("\n").splitlines()
    width = max((len(line) for line in lines), default=0) if len(lines) > 1 else 0
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


def _indent_of(block: str) -> int:
    return len(block) - len(block.lstrip(" "))


def wrap_block(block: str, width: int) -> str:
    """Each long line of ``block`` broken at spaces where a break changes nothing."""
    wrapped = "\n".join(_wrap_line(line, width) for line in block.split("\n"))
    return wrapped if _equivalent(wrapped, block) else block


def _wrap_line(line: str, width: int) -> str:
    if len(line) <= width or line.lstrip(" >").startswith("#"):
        return line
    lead_match = _LEAD.match(line)
    lead = lead_match.group(0) if lead_match else ""
    quote = lead_match.group(1) if lead_match else ""
    follow = quote + " " * (len(lead) - len(quote))
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


def _safe_breaks(text: str) -> list[int]:
    """Positions of single spaces outside code, link targets and autolinks, not
    followed by something that would open a block at a line's start."""
    breaks: list[int] = []
    code = 0  # length of the backtick run that opened a code span
    target = angle = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            code = 0 if code == run else (code or run)
            i += run
            continue
        if not code:
            if char == "(" and (target or (i and text[i - 1] == "]")):
                target += 1
            elif char == ")" and target:
                target -= 1
            elif char == "<":
                angle += 1
            elif char == ">" and angle:
                angle -= 1
            elif (
                char == " "
                and not target
                and not angle
                and 0 < i < len(text) - 1
                and text[i - 1] != " "
                and text[i + 1] != " "
                and not _BLOCK_START.match(text, i + 1)
            ):
                breaks.append(i)
        i += 1
    return breaks


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
