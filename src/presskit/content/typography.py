"""Typography as a native reader expects it, applied to displayed text only.

The rules are data, one file per language in the theme (``typography/fr.yaml``: read
by :mod:`presskit.theme.typerules`): what straight quotes and apostrophes become, which
space goes before which punctuation and inside which quotes, how thousands are
grouped, which units keep to their number. This module is the engine that applies
them; a language without rules is left as written.

Text arrives as segments (the runs of one paragraph) so that a quotation mark opened
in one run and closed in a bold one pairs correctly. Protected segments (code) and
URLs or e-mail addresses inside a segment are never changed, but still count as the
context of the characters around them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from presskit.theme import typerules
from presskit.theme.folder import Theme
from presskit.theme.typerules import NBSP, NNBSP, Rules

__all__ = ["NBSP", "NNBSP", "typeset", "typeset_text"]

# Each alternative may start only where its first run of characters starts (the
# lookbehinds): tried at every position of a long word instead, each would scan to the
# word's end, and a 100,000-character word would take minutes.
_UNTOUCHABLE = re.compile(
    r"((?:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://|(?<!\w)mailto:|(?<!\w)tel:|(?<![\w.])www\.)\S+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    # bare domain names, as in "lafrenchtech.com/programme"
    r"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|fr|eu|io|gouv\.fr|co\.uk|be|de)\b(?:/\S*)?)",
    re.IGNORECASE,
)
_OPENING_CONTEXT = set(" \t\n\u00a0\u202f([{<«“‘—–-/") | {""}


def typeset(
    segments: Sequence[str],
    language: str,
    protected: Sequence[bool] | None = None,
    theme: Theme | None = None,
) -> list[str]:
    """Apply the language's typography (``theme``'s rules, the built-in theme's by
    default) to a paragraph given as segments."""
    rules = typerules.rules(language, theme)
    if rules is None:
        return list(segments)
    protected = protected or [False] * len(segments)
    pieces: list[tuple[str, bool]] = []  # (text, untouchable) over the whole paragraph
    bounds: list[int] = []
    for text, locked in zip(segments, protected, strict=True):
        if locked:
            pieces.append((text, True))
        else:
            pieces.extend(_split_untouchable(text))
        bounds.append(len(pieces))
    pieces = _engine(rules).apply(pieces)
    result, start = [], 0
    for end in bounds:
        result.append("".join(text for text, _ in pieces[start:end]))
        start = end
    return result


def typeset_text(text: str, language: str, theme: Theme | None = None) -> str:
    """Typeset one plain string."""
    return typeset([text], language, theme=theme)[0]


def _split_untouchable(text: str) -> list[tuple[str, bool]]:
    """``text`` as its free and untouchable pieces, in order (the empty text: one piece)."""
    parts = _UNTOUCHABLE.split(text)  # its one group: free, untouchable, free, …
    pieces = [(part, i % 2 == 1) for i, part in enumerate(parts) if part]
    return pieces or [(text, False)]


Pieces = list[tuple[str, bool]]


def _walk(pieces: Pieces, step: Callable[[str, str, str], str]) -> Pieces:
    """Rewrite each free character with ``step(previous, char, next)``.

    ``previous`` and ``next`` look across piece boundaries, protected ones included.
    ``step`` returns the replacement text for ``char``.
    """
    flat = "".join(text for text, _ in pieces)
    out: Pieces = []
    index = 0
    previous = ""  # the last character produced so far: the context of the next
    for text, locked in pieces:
        if locked:
            out.append((text, True))
            previous = text[-1:] or previous
            index += len(text)
            continue
        chunk: list[str] = []
        for char in text:
            replaced = step(previous, char, flat[index + 1 : index + 2])
            chunk.append(replaced)
            previous = replaced[-1:] or previous
            index += 1
        out.append(("".join(chunk), False))
    return out


Substitution = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_TYPED_SPACES = " \u00a0\u202f"  # the spaces a rule replaces when typed


@dataclass(frozen=True)
class _Engine:
    """One language's rules, ready to apply: the regular expressions compiled once."""

    rules: Rules
    spacing: tuple[Substitution, ...]
    """The spacing rules within one piece of text, in order."""
    typed: str
    """The spaces a rule replaces where it sets its own."""
    spaces: str
    """The spaces the rules set."""
    leading: re.Pattern[str] | None
    """Such spaces at the start of a paragraph, before the punctuation they hold apart;
    None when no rule spaces punctuation."""

    def apply(self, pieces: Pieces) -> Pieces:
        if self.rules.quotes != _NO_QUOTES:
            pieces = _walk(pieces, self._quote)
        if self.spacing:
            pieces = [(text if locked else self._space(text), locked) for text, locked in pieces]
        if self.leading is not None:
            pieces = _join_spacing_across(pieces, self.spaces, self.typed)
            pieces = _no_space_at_start(pieces, self.leading)
        return pieces

    def _quote(self, previous: str, char: str, following: str) -> str:
        quotes = self.rules.quotes
        if char == '"' and quotes.double:
            return _double(quotes.double, quotes.inside or "", previous in _OPENING_CONTEXT)
        if char == "'":
            if quotes.single and previous in _OPENING_CONTEXT and following.isalpha():
                return quotes.single[0]
            return quotes.apostrophe or (quotes.single[1] if quotes.single else char)
        return char

    def _space(self, text: str) -> str:
        for pattern, replace in self.spacing:
            text = pattern.sub(replace, text)
        return text


_NO_QUOTES = typerules.Quotes()


def _double(marks: tuple[str, str], inside: str, opening: bool) -> str:
    """The opening or closing mark for a straight double quote, spaced inside."""
    return marks[0] + inside if opening else inside + marks[1]


@cache
def _engine(rules: Rules) -> _Engine:
    spaces = rules.set_spaces()
    typed = _unique(_TYPED_SPACES + spaces)
    punctuation = (*_quote_spacing(rules.quotes, typed), *_punctuation_spacing(rules, typed))
    leading = _leading(rules, spaces) if punctuation else None
    return _Engine(rules, (*punctuation, *_number_spacing(rules)), typed, spaces, leading)


def _unique(characters: str) -> str:
    return "".join(dict.fromkeys(characters))


def _space_run(typed: str) -> str:
    """Typed spaces before punctuation, matched from the first space of their run only
    (the lookbehind): tried from every space of a run of 200,000 that leads to no
    punctuation, each try would scan the rest of the run, and typography would take
    minutes."""
    spaces = re.escape(typed)
    return rf"(?<![{spaces}])[{spaces}]*"


def _quote_spacing(quotes: typerules.Quotes, typed: str) -> list[Substitution]:
    """The space inside double quotes, also around those typed as such: « ici »."""
    if not quotes.double or not quotes.inside:
        return []
    (opening, closing), inside = quotes.double, quotes.inside
    after = re.compile(rf"{re.escape(opening)}[{re.escape(typed)}]*")
    before = re.compile(rf"{_space_run(typed)}{re.escape(closing)}")
    return [(after, lambda _: opening + inside), (before, lambda _: inside + closing)]


def _punctuation_spacing(rules: Rules, typed: str) -> list[Substitution]:
    """One space before each run of the rule's marks, in place of any typed there."""
    return [_space_before(rule, typed) for rule in rules.spaces]


def _space_before(rule: typerules.SpaceBefore, typed: str) -> Substitution:
    digit = r"(?!\d)" if rule.unless_digit_follows else ""
    pattern = re.compile(rf"{_space_run(typed)}([{re.escape(rule.before)}]+){digit}")
    return pattern, lambda match: rule.space + match.group(1)


def _number_spacing(rules: Rules) -> list[Substitution]:
    """Thousands grouped (2 500) and units kept to their number (10 km)."""
    return [*_thousands_spacing(rules), *_unit_spacing(rules)]


def _thousands_spacing(rules: Rules) -> list[Substitution]:
    separator = rules.thousands
    if not separator:
        return []
    return [(_THOUSANDS, lambda _: separator)]


def _unit_spacing(rules: Rules) -> list[Substitution]:
    if not rules.units:
        return []
    symbols = "|".join(re.escape(symbol) for symbol in rules.units.symbols)
    space = rules.units.space
    return [(re.compile(rf"(?<=\d) (?=(?:{symbols})(?!\w))"), lambda _: space)]


_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))")


def _leading(rules: Rules, spaces: str) -> re.Pattern[str]:
    """The rules' spaces opening a paragraph before the punctuation they space."""
    marks = "".join(rule.before for rule in rules.spaces)
    if rules.quotes.double and rules.quotes.inside:
        marks += rules.quotes.double[1]
    return re.compile(rf"^[{re.escape(spaces)}]+(?=[{re.escape(marks)}])")


def _join_spacing_across(pieces: Pieces, spaces: str, typed: str) -> Pieces:
    """Where one run ends and the next begins with a space the rules set, keep exactly
    that space: drop the typed spaces beside it."""
    fixed = list(pieces)
    for i in range(1, len(fixed)):
        text, locked = fixed[i]
        before, before_locked = fixed[i - 1]
        if locked or before_locked or not text or not before:
            continue
        if text[0] in spaces and before[-1] in typed:
            fixed[i - 1] = (before.rstrip(typed), False)
        elif before[-1] in spaces and text[0] in typed:
            fixed[i] = (text.lstrip(typed), False)
    return fixed


def _no_space_at_start(pieces: Pieces, leading: re.Pattern[str]) -> Pieces:
    """Nothing to hold apart before punctuation that opens a paragraph."""
    for i, (text, locked) in enumerate(pieces):
        if text:
            if not locked:
                pieces[i] = (leading.sub("", text), False)
            break
    return pieces
