"""The theme's wording (``strings/<lang>.yaml``), read for the model and the view alike.

Each language's file holds display text ("Press release"), Babel date patterns (keys
ending in ``_format``), separators, and the words a content file may write in an
event's date or place ("to be defined", "early 2019-05", "début 2019-05"), as lists.
A language's wording is English completed key by key by its base language's file
(``fr``) and then its own (``fr-CA``), each from the built-in theme and then from the
user's theme folder; so a language without any file reads as English, and adding a
language is adding its file.

The model parses event dates with :func:`date_words` and the view words documents
with :func:`strings`; both sit above this module, which knows nothing of either.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from presskit.theme.folder import Theme, ThemeError, builtin_theme, read_theme_yaml

FALLBACK = "en"
WORD_LISTS = ("undefined_words", "early_words", "mid_words", "late_words")
"""Keys whose values are lists of words a content file may write (any case)."""


Version = tuple[tuple[Path, int, int], ...]
"""The files making up one language's wording, each with its modification time and
size: the key of every cache here, so that an edited file (in a preview) is reread."""


def version(language: str, theme: Theme | None = None) -> Version:
    """The current :data:`Version` of ``language``'s wording, weakest file first."""
    theme = theme or builtin_theme()
    files = [path for code in layers(language) for path in theme.strings_files(code)]
    return tuple((path, *_stamp(path)) for path in files)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return 0, 0  # reported when read
    return status.st_mtime_ns, status.st_size


def strings(language: str, theme: Theme | None = None) -> dict[str, str]:
    """The display wording for ``language``, as written in the strings files."""
    merged = _merged(version(language, theme))
    return {key: value for key, value in merged.items() if isinstance(value, str)}


def word_list(language: str, key: str, theme: Theme | None = None) -> list[str]:
    """One of the :data:`WORD_LISTS` for ``language``, in lower case."""
    value = _merged(version(language, theme)).get(key, [])
    return [word.casefold() for word in value] if isinstance(value, list) else []


@dataclass(frozen=True)
class DateWords:
    """The words an event date or place may use, in the content's languages."""

    undefined: tuple[str, ...]
    """Words meaning "not known yet": "to be defined", "à définir", …"""
    parts: dict[str, str]
    """Word before a month -> part of the month (``early``, ``mid``, ``late``)."""

    def example(self) -> str:
        """How to write a date, in these words, for error messages."""
        by_part: dict[str, list[str]] = {}
        for word, part in self.parts.items():
            by_part.setdefault(part, []).append(word)
        first = by_part.get("early", ["early"])[0]
        others = [w for words in by_part.values() for w in words if w != first]
        undefined = self.undefined[0] if self.undefined else "to be defined"
        return (
            f"write a date as 2019-05-07, 2019-05-07 18:30, 2019-05, {first} 2019-05 "
            f"(or {', '.join(others)}), or '{undefined}'"
        )


def date_words(languages: tuple[str, ...], theme: Theme | None = None) -> DateWords:
    """The date and place words of every language in ``languages`` (English's among
    them, since every language falls back to it)."""
    return _date_words(languages, theme or builtin_theme(), _versions(languages, theme))


def _versions(languages: tuple[str, ...], theme: Theme | None) -> tuple[Version, ...]:
    return tuple(version(language, theme) for language in languages)


@cache
def _date_words(languages: tuple[str, ...], theme: Theme, _: tuple[Version, ...]) -> DateWords:
    undefined: dict[str, None] = {}
    parts: dict[str, str] = {}
    for language in languages:
        undefined |= dict.fromkeys(word_list(language, "undefined_words", theme))
        for part in ("early", "mid", "late"):
            for word in word_list(language, f"{part}_words", theme):
                parts.setdefault(word, part)
    return DateWords(tuple(undefined), parts)


def every_language_date_words(theme: Theme | None = None) -> DateWords:
    """The date words of every language the theme has wording for."""
    theme = theme or builtin_theme()
    return date_words(tuple([FALLBACK, *theme.strings_languages()]), theme)


def layers(language: str) -> list[str]:
    """The codes whose files make up ``language``'s wording, weakest first."""
    return list(dict.fromkeys([FALLBACK, language.split("-")[0], language]))


@cache
def _merged(files: Version) -> dict[str, str | list[str]]:
    merged: dict[str, str | list[str]] = {}
    for path, *_ in files:
        merged |= _read(path)
    return merged


def _read(path: Path) -> dict[str, str | list[str]]:
    """One strings file: text values, or lists of words for :data:`WORD_LISTS`."""
    data: Any = read_theme_yaml(path, "strings file").data
    if data is not None and not isinstance(data, dict):
        raise ThemeError(f"{path}: write one 'key: text' per line")
    return {key: _value(path, key, value) for key, value in (data or {}).items()}


def _value(path: Path, key: str, value: Any) -> str | list[str]:
    if key in WORD_LISTS:
        return _words(path, key, value)
    if not isinstance(value, str):
        raise ThemeError(f"{path}: {key}: write the text on one line, in quotes if need be")
    return value


def _words(path: Path, key: str, value: Any) -> list[str]:
    """A list of words, each with its spaces as one."""
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ThemeError(f"{path}: {key}: write a list of words, e.g. [tbd, to be defined]")
    return [" ".join(w.split()) for w in value]
