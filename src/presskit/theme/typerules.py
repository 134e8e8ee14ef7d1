"""Each language's typography rules, read from the theme's ``typography/<lang>.yaml``.

A rules file says which quotation marks replace the straight ones typed, which space
goes before which punctuation and inside which quotes, how thousands are grouped and
which units take a no-break space after their number. The engine that applies them is
:mod:`presskit.content.typography`; this module only reads and checks the data, so
adding a language's typography is writing its file.

The rules are files of their own rather than a section of ``strings/<lang>.yaml``:
the wording of a language without a file falls back to English key by key, while a
language without rules must be left as written; and a theme replaces a language's
rules whole, not key by key. For ``de-AT`` the first file found of ``de-AT`` then
``de``, the user's theme folder before the built-in one, gives the rules.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from presskit.theme.folder import Theme, ThemeError, builtin_theme, read_theme_yaml
from presskit.util import yamlstrict

TYPOGRAPHY = "typography"

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space
SPACE_NAMES = {"narrow no-break": NNBSP, "no-break": NBSP}
"""Names a rules file may give a space by; a single space character is taken too."""


def _space(value: str) -> str:
    """A named space, or one space character as written."""
    if value in SPACE_NAMES:
        return SPACE_NAMES[value]
    if len(value) == 1 and value.isspace():
        return value
    names = " or ".join(SPACE_NAMES)
    raise ValueError(f'write a space as {names}, or as one space character ("\\u2009")')


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quotes(_Data):
    """What straight quotes typed become."""

    double: tuple[str, str] | None = None
    """The opening and closing marks for ``"`` (opening after a space or a bracket)."""
    single: tuple[str, str] | None = None
    """The opening and closing marks for ``'``: opening after a space or a bracket and
    before a letter; any other ``'`` is the :attr:`apostrophe`."""
    apostrophe: str | None = None
    """Every ``'`` that does not open a single quotation."""
    inside: str | None = None
    """The space set inside the double quotes (also those typed as such), if any."""
    foreign: str = ""
    """Quotation marks of other languages' styles (Word's autocorrect types them)
    that a Word import reads back as straight double quotes."""

    @field_validator("double", "single", mode="before")
    @classmethod
    def _pair(cls, value: object) -> object:
        if value is not None and (not isinstance(value, list) or len(value) != 2):
            raise ValueError("write the opening and the closing mark, e.g. [“, ”]")
        return value

    @field_validator("inside")
    @classmethod
    def _named_space(cls, value: str | None) -> str | None:
        return None if value is None else _space(value)


class SpaceBefore(_Data):
    """The space set before some punctuation, in place of any space typed there; a
    run of the marks (``?!``) takes one space."""

    before: str
    space: str
    unless_digit_follows: bool = False
    """A mark followed by a digit is left alone (a time: ``18:30``)."""

    @field_validator("space")
    @classmethod
    def _named_space(cls, value: str) -> str:
        return _space(value)


class Units(_Data):
    """The space set between a number and a unit in place of the one typed."""

    space: str
    symbols: tuple[str, ...]

    @field_validator("space")
    @classmethod
    def _named_space(cls, value: str) -> str:
        return _space(value)


class Rules(_Data):
    """One language's typography; an empty file leaves the text as written."""

    quotes: Quotes = Quotes()
    spaces: tuple[SpaceBefore, ...] = ()
    thousands: str | None = None
    """The space set between groups of three digits in place of the one typed."""
    units: Units | None = None

    @field_validator("thousands")
    @classmethod
    def _named_space(cls, value: str | None) -> str | None:
        return None if value is None else _space(value)

    def set_spaces(self) -> str:
        """Every space these rules set, each once, in the order written."""
        units = self.units.space if self.units else None
        found = [self.quotes.inside, *(rule.space for rule in self.spaces), self.thousands, units]
        return "".join(dict.fromkeys(space for space in found if space))


def rules(language: str, theme: Theme | None = None) -> Rules | None:
    """The typography rules of ``language`` (``fr``, ``de-AT``), or None when the theme
    has none for it; a file is read again once changed (in a preview)."""
    path = rules_file(language, theme or builtin_theme())
    if path is None:
        return None
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


def rules_file(language: str, theme: Theme) -> Path | None:
    """The file holding ``language``'s rules: regional before base, the user's first."""
    codes = dict.fromkeys([language, language.split("-")[0].lower()])
    folders = theme.template_dirs
    paths = (folder / TYPOGRAPHY / f"{code}.yaml" for code in codes for folder in folders)
    return next((path for path in paths if path.is_file()), None)


@cache
def _read(path: Path, _mtime_ns: int, _size: int) -> Rules:
    document = read_theme_yaml(path, "typography file")
    try:
        return Rules.model_validate(document.data or {})
    except ValidationError as error:
        raise ThemeError(_first_problem(path, document, error)) from None


def _first_problem(path: Path, document: yamlstrict.Document, error: ValidationError) -> str:
    problem: Any = error.errors()[0]
    where = tuple(problem["loc"])
    line = document.line_of(where)
    cause = problem.get("ctx", {}).get("error")  # our own words, without pydantic's
    message = str(cause) if isinstance(cause, ValueError) else problem["msg"]
    return f"{path}:{line}: {yamlstrict.format_path(where)}: {message}"
