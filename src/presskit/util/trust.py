"""Which folders presskit may trust with what it keeps between commands.

The cache folder holds code and pickles; the state folder remembers what was sent
and what a newsroom holds. Another user able to write either could make presskit run
their code or forget a send. Folders are trusted as OpenSSH's ``StrictModes`` trusts a
home folder: a real folder (not a symbolic link), owned by the user and writable by no
one else, inside folders that no other user can move it out of (owned by the user or
by root, and writable by others only with the sticky bit, as ``/tmp`` is).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from presskit.util.errors import PresskitError


class UntrustedFolder(PresskitError):
    """A folder presskit must keep state in can be written by someone else."""


def untrusted(info: os.stat_result) -> bool:
    """Owned by someone else, or writable by the group or by everyone."""
    return info.st_uid != os.geteuid() or bool(info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def private_folder(folder: Path) -> Path:
    """``folder``, made private (0700) if missing; refused, saying why, when another
    user could write it or move it."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise UntrustedFolder(f"{folder}: cannot be made ({error.strerror})") from None
    reason = distrust(folder)
    if reason is not None:
        raise UntrustedFolder(
            f"{folder}: {reason}; presskit keeps its state only in a folder no one else "
            "can write (give another with PRESSKIT_STATE_DIR)"
        )
    return folder


def distrust(root: Path) -> str | None:
    """Why the cache folder ``root`` cannot be trusted, or None when it can."""
    try:
        info = os.lstat(root)
    except OSError as error:
        return error.strerror or "it cannot be read"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != os.geteuid():
        return f"it belongs to another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "other users can write in it"
    for parent in root.resolve().parents:
        reason = distrust_parent(parent)
        if reason is not None:
            return reason
    return None


def distrust_parent(parent: Path) -> str | None:
    """A folder above the cache folder must not let another user move it away: owned
    by the user or by root, and writable by others only with the sticky bit."""
    try:
        info = os.stat(parent)
    except OSError as error:
        return f"{parent}: {error.strerror or 'cannot be read'}"
    if info.st_uid not in (0, os.geteuid()):
        return f"{parent} belongs to another user (uid {info.st_uid}), who could replace it"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
        return f"other users can write in {parent}"
    return None
