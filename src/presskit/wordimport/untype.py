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

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from presskit.content.typography import NBSP, NNBSP, typeset
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
    return untype_runs([text], language, theme)[0]


def untype_runs(
    runs: Sequence[str],
    language: str,
    theme: Theme | None = None,
    protected: Sequence[bool] | None = None,
) -> list[str]:
    """The runs of one paragraph untyped as presskit typesets them, together: a mark at
    the edge of an italic run is judged by the words on both sides. Protected runs
    (code) are context only, as they are to the typesetter."""
    paragraph = _Paragraph(tuple(runs), tuple(protected or [False] * len(runs)))
    marks = _marks(typerules.rules(language, theme))
    edited = paragraph.edited(_edits(paragraph, marks, language, theme))
    return [_foreign_quotes(run, marks) for run in edited.runs]


@dataclass(frozen=True)
class _Edit:
    """One typographic mark (with the spaces it holds) and what it was typed as."""

    start: int
    end: int
    plain: str


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph's runs, and which of them are protected (code)."""

    runs: tuple[str, ...]
    protected: tuple[bool, ...]

    @cached_property
    def text(self) -> str:
        return "".join(self.runs)

    @cached_property
    def starts(self) -> list[int]:
        """Where each run starts in the joined text, and where the last one ends."""
        return list(itertools.accumulate(map(len, self.runs), initial=0))

    def locked(self) -> list[bool]:
        """Whether each character is in a protected run."""
        return [flag for run, flag in zip(self.runs, self.protected, strict=True) for _ in run]

    def edited(self, edits: Sequence[_Edit]) -> _Paragraph:
        """The runs with ``edits`` made at offsets of their joined text: what a mark was
        typed as goes in the run where it starts; the spaces it held leave their runs."""
        chars = list(self.text)
        for edit in edits:
            chars[edit.start : edit.end] = [edit.plain] + [""] * (edit.end - edit.start - 1)
        bounds = itertools.pairwise(self.starts)
        return _Paragraph(tuple("".join(chars[a:b]) for a, b in bounds), self.protected)

    def window(self, start: int, end: int) -> _Paragraph:
        """The runs that hold the characters ``start:end`` of the joined text, cut to them."""
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_left(self.starts, end)
        bounds = itertools.pairwise(self.starts[first : last + 1])
        runs = tuple(self.text[max(a, start) : min(b, end)] for a, b in bounds)
        return _Paragraph(runs, self.protected[first:last])

    def typeset(self, language: str, theme: Theme | None) -> str:
        return "".join(typeset(self.runs, language, self.protected, theme))


def _edits(paragraph: _Paragraph, marks: _Marks, language: str, theme: Theme | None) -> list[_Edit]:
    """Every mark undone when presskit would set them all again; else each one that
    presskit would set again in its own words (a mark typed on purpose elsewhere in
    the paragraph no longer keeps every other one typeset). Marks in code stay."""
    text, locked = paragraph.text, paragraph.locked()
    found = (_Edit(m.start(), m.end(), marks.plain(m)) for m in marks.pattern.finditer(text))
    every = [edit for edit in found if not any(locked[edit.start : edit.end])]
    plain = paragraph.edited(every)
    if plain.text == text or plain.typeset(language, theme) == text:
        return every
    return [edit for edit in every if _set_again(paragraph, edit, language, theme)]


def _set_again(paragraph: _Paragraph, edit: _Edit, language: str, theme: Theme | None) -> bool:
    """Whether presskit would set ``edit``'s mark again where it was typed plain."""
    start, end = _around(paragraph.text, edit.start, edit.end)
    window = paragraph.window(start, end)
    typed = window.edited([_Edit(edit.start - start, edit.end - start, edit.plain)])
    return typed.typeset(language, theme) == window.text


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
