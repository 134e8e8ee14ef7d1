"""Typography undone: the text as a person types it in the content file.

The documents carry typeset text (:mod:`presskit.typography`): no-break spaces, curly
quotes and apostrophes, „German“ and « French » quotes with their spaces. Imported
text goes back to plain spaces and straight quotes wherever presskit would set the
same typography again on the next build; a character a person typed on purpose (a
no-break space in English, a « where no quotation opens) stays as it is.
"""

from __future__ import annotations

import re

from presskit.typography import NBSP, NNBSP, typeset_text

_SPACE = f"[ {NBSP}{NNBSP}]"
_TYPESET = re.compile(f"«{_SPACE}*|{_SPACE}*»|[„“”‚‘’{NBSP}{NNBSP}]")


def untype(text: str, language: str) -> str:
    """``text`` without the typography presskit adds for ``language``."""
    plain = _TYPESET.sub(_plain, text)
    if plain == text or typeset_text(plain, language) == text:
        return plain
    return _one_by_one(text, language)


def _plain(match: re.Match[str]) -> str:
    found = match.group()
    if "«" in found or "»" in found or found in "„“”":
        return '"'
    if found in "‚‘’":
        return "'"
    return " "


def _one_by_one(text: str, language: str) -> str:
    """Undo each typographic character that presskit would set again, left to right."""
    result = text
    position = 0
    while match := _TYPESET.search(result, position):
        candidate = result[: match.start()] + _plain(match) + result[match.end() :]
        if typeset_text(candidate, language) == text:
            result = candidate
            position = match.start() + len(_plain(match))
        else:
            position = match.end()
    return result


def untype_line(text: str, language: str) -> str:
    """A one-line field: typography undone, line breaks and runs of spaces as one space."""
    return " ".join(untype(text, language).split())
