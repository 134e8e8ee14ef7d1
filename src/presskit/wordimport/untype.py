"""Typography undone: the text as a person types it in the content file.

The documents carry typeset text (:mod:`presskit.content.typography`): no-break spaces, curly
quotes and apostrophes, „German“ and « French » quotes with their spaces. Imported
text goes back to plain spaces and straight quotes wherever presskit would set the
same typography again on the next build; a character a person typed on purpose (a
no-break space in English, a « where no quotation opens) stays as it is.
"""

from __future__ import annotations

import re

from presskit.content.typography import NBSP, NNBSP, typeset_text

_SPACE = f"[ {NBSP}{NNBSP}]"
_TYPESET = re.compile(f"«{_SPACE}*|{_SPACE}*»|[„“”‚‘’{NBSP}{NNBSP}]")


def untype(text: str, language: str) -> str:
    """``text`` without the typography presskit adds for ``language``."""
    plain = _TYPESET.sub(_plain, text)
    if plain == text or typeset_text(plain, language) == text:
        return _foreign_quotes(plain, language)
    return _foreign_quotes(_one_by_one(text, language), language)


def _foreign_quotes(text: str, language: str) -> str:
    """Quotation marks of another language's style typed in French (“…” from Word's
    English autocorrect, say) are quotation marks all the same: written straight, they
    come out as « … » like every other quotation."""
    if language.split("-")[0].lower() != "fr":
        return text
    return re.sub("[“”„]", '"', text)


def _plain(match: re.Match[str]) -> str:
    found = match.group()
    if "«" in found or "»" in found or found in "„“”":
        return '"'
    if found in "‚‘’":
        return "'"
    return " "


def _one_by_one(text: str, language: str) -> str:
    """Undo each typographic character that presskit would set again, judged by the
    words around it (typography is local): a character typed on purpose elsewhere in
    the paragraph no longer keeps every other one typeset."""
    pieces = []
    position = 0
    for match in _TYPESET.finditer(text):
        start, end = _around(text, match.start(), match.end())
        window = text[start:end]
        at = match.start() - start
        candidate = window[:at] + _plain(match) + window[at + len(match.group()) :]
        if typeset_text(candidate, language) == window:
            pieces.append(text[position : match.start()] + _plain(match))
        else:
            pieces.append(text[position : match.end()])
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _around(text: str, start: int, end: int, reach: int = 12) -> tuple[int, int]:
    """The stretch of ``text`` around ``start:end`` out to whole words some
    ``reach`` characters away: wide enough for every typographic rule, which looks at
    a character's neighbours only."""
    before = text.rfind(" ", 0, max(start - reach, 0))
    after = text.find(" ", min(end + reach, len(text)))
    return before + 1, len(text) if after < 0 else after


def untype_line(text: str, language: str) -> str:
    """A one-line field: typography undone, line breaks and runs of spaces as one space."""
    return " ".join(untype(text, language).split())
