"""Typography undone: the text as a person types it in the content file.

The documents carry typeset text (:mod:`presskit.typography`): no-break spaces, curly
quotes and apostrophes, « » with their spaces. Imported text goes back to plain
spaces and straight quotes, which presskit typesets again on the next build.
"""

from __future__ import annotations

import re

from presskit.typography import NBSP, NNBSP

_SPACES = f"[ {NBSP}{NNBSP}]"


def untype(text: str, language: str) -> str:
    """``text`` without the typography presskit adds for ``language``."""
    if language.split("-")[0].lower() == "fr":
        text = re.sub(f"«{_SPACES}*", '"', text)
        text = re.sub(f"{_SPACES}*»", '"', text)
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return text.replace(NNBSP, " ").replace(NBSP, " ")


def untype_line(text: str, language: str) -> str:
    """A one-line field: typography undone, line breaks and runs of spaces as one space."""
    return " ".join(untype(text, language).split())
