"""The small exception tree the command line understands.

Every error presskit raises on purpose derives from :class:`PresskitError`; the CLI
prints its message (never a traceback) and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PresskitError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a content file, located by line and key path."""

    line: int
    key_path: str
    message: str

    def format(self, file: Path | str) -> str:
        """Render as ``FILE:LINE: key.path[i]: message``."""
        where = f"{self.key_path}: " if self.key_path else ""
        return f"{file}:{self.line}: {where}{self.message}"


class ContentError(PresskitError):
    """The content file has one or more problems; all of them are listed."""

    def __init__(
        self, file: Path | str, problems: list[Problem], outcome: str = "nothing was written"
    ) -> None:
        self.file = file
        self.problems = sorted(set(problems))
        count = len(self.problems)
        header = f"{file}: {count} problem{'s' if count != 1 else ''} found; {outcome}."
        lines = [p.format(file) for p in self.problems]
        super().__init__("\n".join([*lines, header]))


class ResourceError(PresskitError):
    """A template or stylesheet asked for a resource presskit will not fetch."""


class BuildError(PresskitError):
    """Rendering or writing an output failed; earlier outputs are left intact."""
