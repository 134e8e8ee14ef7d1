"""Typography undone: the text as a person types it in the content file.

The documents carry typeset text (:mod:`presskit.content.typography`): no-break spaces, curly
quotes and apostrophes, „German“ and « French » quotes with their spaces. Imported
text goes back to plain spaces and straight quotes wherever presskit would set the
same typography again on the next build; a character a person typed on purpose (a
no-break space in English, a « where no quotation opens) stays as it is. The marks
looked at are those of every built-in language and the language's own rules
(:mod:`presskit.theme.typerules`), which also say which other styles' quotation marks
are read back as straight quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from presskit.content.typography import NBSP, NNBSP, typeset_text
from presskit.theme import typerules
from presskit.theme.folder import Theme

# The marks of the built-in languages (and the German single quote ‚ Word may type).
_OPENING, _CLOSING = "«", "»"  # spaced inside
_DOUBLE, _SINGLE, _SPACES = "„“”", "‚‘’", NBSP + NNBSP
_SPACE = re.compile(r"\s")  # any space, no-break ones too: where a word ends


@dataclass(frozen=True)
class _Marks:
    """The typographic characters undone for one language, and what each was typed as."""

    pattern: re.Pattern[str]
    double: str
    single: str
    foreign: re.Pattern[str] | None

    def plain(self, match: re.Match[str]) -> str:
        found = match.group()
        if any(mark in found for mark in self.double):
            return '"'
        return "'" if found in self.single else " "


def untype(text: str, language: str, theme: Theme | None = None) -> str:
    """``text`` without the typography presskit adds for ``language`` (with the rules
    of ``theme``, the built-in theme's by default)."""
    marks = _marks(typerules.rules(language, theme))
    return _foreign_quotes(_plain(text, language, marks, theme), marks)


def _plain(text: str, language: str, marks: _Marks, theme: Theme | None) -> str:
    """Every mark undone at once when presskit would set them all again; else one by one."""
    plain = marks.pattern.sub(marks.plain, text)
    if plain == text or typeset_text(plain, language, theme) == text:
        return plain
    return _one_by_one(text, language, marks, theme)


@cache
def _marks(rules: typerules.Rules | None) -> _Marks:
    quotes = rules.quotes if rules else typerules.Quotes()
    own = quotes.double or ("", "")
    opening, closing = (_OPENING + own[0], _CLOSING + own[1]) if quotes.inside else ("«", "»")
    double = _unique(opening + closing + _DOUBLE + "".join(own))
    single = _unique(_SINGLE + "".join(quotes.single or ()) + (quotes.apostrophe or ""))
    spaces = _unique(" " + _SPACES + (rules.set_spaces() if rules else ""))
    others = "".join(c for c in double + single + spaces[1:] if c not in opening + closing)
    space, closes = f"[{re.escape(spaces)}]", f"[{re.escape(closing)}]"
    # Spaces before a closing mark are matched from the first of their run only (the
    # lookbehind), so that a long run of spaces is scanned once, not from each space.
    pattern = (
        f"[{re.escape(opening)}]{space}*|(?<!{space}){space}*{closes}|{closes}"
        f"|[{re.escape(others)}]"
    )
    foreign = re.compile(f"[{re.escape(quotes.foreign)}]") if quotes.foreign else None
    return _Marks(re.compile(pattern), double, single, foreign)


def _unique(characters: str) -> str:
    return "".join(dict.fromkeys(characters))


def _foreign_quotes(text: str, marks: _Marks) -> str:
    """Quotation marks of another language's style (“…” from Word's English
    autocorrect, in French) are quotation marks all the same: written straight, they
    come out in the language's own style like every other quotation."""
    return text if marks.foreign is None else marks.foreign.sub('"', text)


def _one_by_one(text: str, language: str, marks: _Marks, theme: Theme | None) -> str:
    """Undo each typographic character that presskit would set again, judged by the
    words around it (typography is local): a character typed on purpose elsewhere in
    the paragraph no longer keeps every other one typeset."""
    return marks.pattern.sub(lambda match: _undone(match, language, marks, theme), text)


def _undone(match: re.Match[str], language: str, marks: _Marks, theme: Theme | None) -> str:
    """The mark ``match`` found, undone if presskit would set it again in its words."""
    text, plain = match.string, marks.plain(match)
    start, end = _around(text, match.start(), match.end())
    typed = text[start : match.start()] + plain + text[match.end() : end]
    return plain if typeset_text(typed, language, theme) == text[start:end] else match.group()


def _around(text: str, start: int, end: int, reach: int = 12) -> tuple[int, int]:
    """The stretch of ``text`` around ``start:end`` out to whole words some ``reach``
    characters away: wide enough for every typographic rule, which looks at a
    character's neighbours only. Any space ends a word and a word is cut at four
    times ``reach``, so that a paragraph of no-break spaces is not retypeset whole at
    each of its marks (quadratic)."""
    left, right = max(start - reach, 0), min(end + reach, len(text))
    before = _last_space(text, max(left - 3 * reach, 0), left)
    after = _SPACE.search(text, right, right + 3 * reach)
    return before + 1, after.start() if after else min(right + 3 * reach, len(text))


def _last_space(text: str, low: int, high: int) -> int:
    """Where the last space of ``text[low:high]`` is; ``low - 1`` (cut there) if none."""
    found = [match.start() for match in _SPACE.finditer(text, low, high)]
    return found[-1] if found else low - 1


def untype_line(text: str, language: str) -> str:
    """A one-line field: typography undone, line breaks and runs of spaces as one space."""
    return " ".join(untype(text, language).split())
