"""Typography as a native reader expects it, applied to displayed text only.

French: a narrow no-break space (U+202F) before ``; ! ?`` and inside « », a no-break
space (U+00A0) before ``:`` and between a number and its unit, the typographic
apostrophe ’, and straight double quotes turned into « ». English: curly quotes and
apostrophes. German: „…“ quotes and the apostrophe ’. Other languages are left as
written.

Text arrives as segments (the runs of one paragraph) so that a quotation mark opened
in one run and closed in a bold one pairs correctly. Protected segments (code) and
URLs or e-mail addresses inside a segment are never changed, but still count as the
context of the characters around them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space

# Each alternative may start only where its first run of characters starts (the
# lookbehinds): tried at every position of a long word instead, each would scan to the
# word's end, and a 100,000-character word would take minutes.
_UNTOUCHABLE = re.compile(
    r"(?:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://|(?<!\w)mailto:|(?<!\w)tel:|(?<![\w.])www\.)\S+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    # bare domain names, as in "lafrenchtech.com/programme"
    r"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|fr|eu|io|gouv\.fr|co\.uk|be|de)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Units only: one-letter words that are also French words ("l'", "a", "s") are left out.
_UNITS = (
    r"%|‰|€|\$|£|°C|°|km²|km/h|km|m²|m³|cm|mm|m|kg|ha|ml|cl|h|min|ms|"
    r"Mo|Go|To|ko|Mb|Gb|MB|GB|kW|MW|GW|kWh|MWh|Hz|MHz|GHz|k€|M€|Md€|Mds€"
)
_NUMBER_UNIT = re.compile(rf"(?<=\d) (?=(?:{_UNITS})(?![\w]))")
_OPENING_CONTEXT = set(" \t\n\u00a0\u202f([{<«“‘—–-/") | {""}


def typeset(
    segments: Sequence[str], language: str, protected: Sequence[bool] | None = None
) -> list[str]:
    """Apply the language's typography to a paragraph given as segments."""
    rules = _RULES.get(language.split("-")[0].lower())
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
    pieces = rules(pieces)
    result, start = [], 0
    for end in bounds:
        result.append("".join(text for text, _ in pieces[start:end]))
        start = end
    return result


def typeset_text(text: str, language: str) -> str:
    """Typeset one plain string."""
    return typeset([text], language)[0]


def _split_untouchable(text: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _UNTOUCHABLE.finditer(text):
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    if position < len(text) or not pieces:
        pieces.append((text[position:], False))
    return pieces


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


def _french(pieces: Pieces) -> Pieces:
    pieces = _walk(pieces, _french_quotes)
    pieces = [(text if locked else _french_spacing(text), locked) for text, locked in pieces]
    pieces = _join_spacing_across(pieces)
    return _no_space_at_start(pieces)


def _french_quotes(previous: str, char: str, following: str) -> str:
    if char == '"':
        return "«" + NNBSP if previous in _OPENING_CONTEXT else NNBSP + "»"
    if char == "'":
        return "’"
    return char


_SPACES = " \u00a0\u202f"
# Spaces before punctuation are matched from the first space of their run only (the
# lookbehind): tried from every space of a run of 200,000 that leads to no punctuation,
# each try would scan the rest of the run, and French typography would take minutes.
_SPACE_RUN = rf"(?<![{_SPACES}])[{_SPACES}]*"
_BEFORE_HIGH_PUNCTUATION = re.compile(rf"{_SPACE_RUN}([;!?]+)")
_BEFORE_CLOSING_GUILLEMET = re.compile(rf"{_SPACE_RUN}»")
_BEFORE_COLON = re.compile(rf"{_SPACE_RUN}:(?!\d)")


def _french_spacing(text: str) -> str:
    """French spacing within one piece of text."""
    # One narrow no-break space before ; ! ? and inside « » (replacing any space).
    text = _BEFORE_HIGH_PUNCTUATION.sub(lambda m: NNBSP + m.group(1), text)
    text = re.sub(rf"«[{_SPACES}]*", "«" + NNBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NNBSP + "»", text)
    # A no-break space before a colon, except inside times like 18:30.
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    # Thousands are grouped with narrow no-break spaces: 2 500, 1 000 000.
    text = re.sub(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))", NNBSP, text)
    return _NUMBER_UNIT.sub(NBSP, text)


def _join_spacing_across(pieces: Pieces) -> Pieces:
    """Where one run ends and the next begins with French spacing, keep exactly one
    no-break space: drop the ordinary spaces beside it."""
    fixed = list(pieces)
    for i in range(1, len(fixed)):
        text, locked = fixed[i]
        before, before_locked = fixed[i - 1]
        if locked or before_locked or not text or not before:
            continue
        if text[0] in (NNBSP, NBSP) and before[-1] in _SPACES:
            fixed[i - 1] = (before.rstrip(_SPACES), False)
        elif before[-1] in (NNBSP, NBSP) and text[0] in _SPACES:
            fixed[i] = (text.lstrip(_SPACES), False)
    return fixed


def _no_space_at_start(pieces: Pieces) -> Pieces:
    """Nothing to hold apart before punctuation that opens a paragraph."""
    for i, (text, locked) in enumerate(pieces):
        if text:
            if not locked:
                pieces[i] = (re.sub(r"^[\u00a0\u202f]+(?=[;!?:»])", "", text), False)
            break
    return pieces


def _english(pieces: Pieces) -> Pieces:
    return _walk(pieces, _english_quotes)


def _english_quotes(previous: str, char: str, following: str) -> str:
    if char == '"':
        return "“" if previous in _OPENING_CONTEXT else "”"
    if char == "'":
        return "‘" if previous in _OPENING_CONTEXT and following.isalpha() else "’"
    return char


def _german(pieces: Pieces) -> Pieces:
    return _walk(pieces, _german_quotes)


def _german_quotes(previous: str, char: str, following: str) -> str:
    """„Anführungszeichen“ and the apostrophe ’ (single quotes stay as written: ‚ and
    an apostrophe cannot be told apart)."""
    if char == '"':
        return "„" if previous in _OPENING_CONTEXT else "“"
    if char == "'":
        return "’"
    return char


_RULES: dict[str, Callable[[Pieces], Pieces]] = {"fr": _french, "en": _english, "de": _german}
