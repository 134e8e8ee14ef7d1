"""The greeting's small template language: ``Dear {name},`` and nothing more.

A greeting comes from the content or the theme and is filled from the recipients'
columns. Only plain ``{column}`` fields are allowed: no format spec (``{name:>9999}``
would write megabytes per message), no conversion (``!r``), no attribute or index
(``{name.__class__}``), so that a greeting which passes the checks fills in safely for
every recipient. ``{{`` and ``}}`` stand for literal braces.

It sits below the model (which checks the content's greeting) and the mail package
(which fills it in).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

_FORMATTER = string.Formatter()


class GreetingError(ValueError):
    """The greeting uses something other than plain ``{column}`` fields."""


def greeting_fields(template: str) -> list[str]:
    """The column names ``template`` uses; raise :class:`GreetingError` for anything
    beyond plain ``{column}`` fields."""
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError as error:
        raise GreetingError(f"{error} (write {{{{ and }}}} for literal braces)") from None
    return [
        _plain_field(field, spec, conversion).lower()
        for _, field, spec, conversion in parts
        if field is not None
    ]


def _plain_field(field: str, spec: str | None, conversion: str | None) -> str:
    """``field``, if it is a plain column name: no format spec, no conversion."""
    if conversion or spec:
        shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        raise GreetingError(
            f"{{{shown}}}: only plain {{column}} names are allowed, without ':' or '!'"
        )
    if not field.isidentifier():
        raise GreetingError(f"{{{field}}}: only plain {{column}} names are allowed")
    return field


def fill_greeting(template: str, fields: Mapping[str, str]) -> str:
    """``template`` (checked, its columns known) with each ``{column}`` filled from ``fields``."""
    return "".join(
        literal + (fields[field.lower()] if field is not None else "")
        for literal, field, _, _ in _FORMATTER.parse(template)
    )


def checked_greeting(template: str) -> str:
    """``template`` if its fields are plain column names (a model validator)."""
    greeting_fields(template)
    return template
