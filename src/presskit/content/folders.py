"""Which files of a folder are content files: one rule for every command that takes a
folder of releases (``build``, ``site``).

Kept apart from the loader, which imports the model: a command lists its content
files before its PDF workers have started, and must not wait for the model to do so.
"""

from __future__ import annotations

from pathlib import Path

from presskit.util.errors import PresskitError


def contents_of_folder(folder: Path) -> list[Path]:
    """The content files of a folder of releases: its ``*.yaml``/``*.yml`` files and
    the ``release.yaml`` of each of its sub-folders (the layout ``presskit new``
    makes), hidden ones left out, sorted; refused when it holds none."""
    found = [*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*/release.yaml")]
    files = sorted(p for p in found if not p.name.startswith("."))
    if not files:
        raise PresskitError(f"{folder}: no content file (*.yaml) in this folder")
    return files
