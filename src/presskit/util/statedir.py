"""The user's state folder: what presskit must remember between commands, and that
deleting an output folder must not make it forget (what a newsroom folder holds).

``$PRESSKIT_STATE_DIR``, else ``$XDG_STATE_HOME/presskit``, else
``~/.local/state/presskit``; every folder in it private to the user and checked by
:mod:`presskit.util.trust` before use.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from presskit.util.trust import private_folder


def state_dir() -> Path:
    """Where presskit keeps its state (see the module docstring)."""
    if explicit := os.environ.get("PRESSKIT_STATE_DIR"):
        return Path(explicit)
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "presskit"


def folder_for(kind: str, target: Path) -> Path:
    """A private folder of the state for ``target`` (a newsroom folder, say), named
    from its real path: the same target finds the same folder from anywhere."""
    name = hashlib.sha256(str(target.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    root = private_folder(state_dir())
    return private_folder(root / kind / name[:24])
