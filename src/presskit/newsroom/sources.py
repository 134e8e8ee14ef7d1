"""The releases a newsroom publishes: content files found, fingerprinted and loaded
only when they changed.

A fingerprint is a hash of everything a release's kit is made from: the content
file, every image it names, the theme and presskit's version. The site remembers, in
``site.json`` in its state folder (outside the published one), each content file's
fingerprint, the files it names, the languages shown, its files in the site and what
the lists and feeds show of it; a content file whose fingerprint and public languages
are unchanged is not even loaded again, and its kit is not rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from presskit import __version__
from presskit.assets.resources import ASSETS_DIR
from presskit.content.folders import contents_of_folder
from presskit.content.markdown import Prose
from presskit.content.model import Image, PressRelease
from presskit.theme.folder import Theme
from presskit.util.errors import ContentError, PresskitError

STATE_FILE = "site.json"


@dataclass
class Source:
    """One content file: its fingerprint, its slug, and its releases when loaded."""

    path: Path
    fingerprint: str
    slug: str
    published: dict[str, dt.datetime]
    """When each language version may be read: its own embargo's end, else its own
    date (UTC). Languages differ when the content gives either per language."""
    files: list[str]
    """The files it names, relative to its folder."""
    releases: list[PressRelease] | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    """What the lists, feeds and sitemap show of each public language (pages.Entry)."""
    shown: list[str] = field(default_factory=list)
    """The languages the site shows (those public when it was built)."""
    outputs: list[str] = field(default_factory=list)
    """Every file of the site that is this release's, from the site's root."""

    @property
    def loaded(self) -> bool:
        return self.releases is not None

    def public_languages(self, moment: dt.datetime, everything: bool = False) -> list[str]:
        """The languages readable at ``moment`` (all of them for a private preview),
        in the content's order."""
        return [code for code, when in self.published.items() if everything or when <= moment]

    def record(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "slug": self.slug,
            # pairs, not a mapping: the state is written with sorted keys, and the
            # content's order of languages must come back as it was
            "published": [[code, when.isoformat()] for code, when in self.published.items()],
            "files": self.files,
            "entries": self.entries,
            "shown": self.shown,
            "outputs": self.outputs,
        }


def content_files(arguments: Sequence[Path]) -> list[Path]:
    """The content files named, and the content files of the folders named
    (:func:`~presskit.content.folders.contents_of_folder`), once each, in the order
    given."""
    return list(dict.fromkeys(path for argument in arguments for path in _named(argument)))


def _named(argument: Path) -> list[Path]:
    """The content file named, or the content files of the folder named."""
    if argument.is_dir():
        return [p.resolve() for p in contents_of_folder(argument) if p.is_file()]
    if argument.is_file():
        return [argument.resolve()]
    raise PresskitError(f"{argument}: no such file or folder")


def state_key(path: Path) -> str:
    """A content file's key in the state: opaque, so that a published site does not
    show the folders it was built from."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]


def read_state(folder: Path) -> dict[str, Any]:
    """The site's record in its state folder (outside the published one), or {}."""
    try:
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def remembered(path: Path, record: Any, theme_key: str, *, unchanged: bool = True) -> Source | None:
    """The source as the state remembers it, if its fingerprint still holds (or, with
    ``unchanged=False``, as it was published, whatever the file holds now)."""
    try:
        files = [str(f) for f in record["files"]]
        if unchanged and fingerprint(path, files, theme_key) != record["fingerprint"]:
            return None
        return Source(
            path,
            record["fingerprint"],
            str(record["slug"]),
            {str(k): dt.datetime.fromisoformat(v) for k, v in record["published"]},
            files,
            entries=list(record["entries"]),
            shown=[str(code) for code in record["shown"]],
            outputs=[str(name) for name in record["outputs"]],
        )
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


def load_sources(paths: Iterable[Path], theme: Theme, theme_key: str) -> list[Source]:
    """Load every content file (with the words of ``theme``, whose
    :func:`theme_fingerprint` is ``theme_key``); report the problems of all of them,
    then fail once."""
    from presskit.content.loader import load_all

    sources, errors = [], []
    for path in paths:
        try:
            releases = load_all(path, theme)
        except ContentError as error:
            errors.append(str(error))
            continue
        files = sorted(
            {os.path.relpath(f, path.parent) for r in releases for f in referenced_files(r)}
        )
        first = releases[0]
        sources.append(
            Source(
                path,
                fingerprint(path, files, theme_key),
                first.file_stem,
                {r.language: published(r) for r in releases},
                files,
                releases,
            )
        )
    if errors:
        raise PresskitError("\n".join(errors))
    return sources


def published(release: PressRelease) -> dt.datetime:
    until = release.release.embargo_until
    if until is not None:
        return until.astimezone(dt.UTC)
    return dt.datetime.combine(release.dateline.date, dt.time(), tzinfo=dt.UTC)


def hidden_slug(source: Source) -> str | None:
    """Why the site cannot publish ``source`` yet, when its addresses would be made
    from the headline of a version not public (a release without ``slug:`` is named
    after its first language's headline), else None."""
    assert source.releases is not None
    first = source.releases[0]
    if first.slug or not source.shown or first.language in source.shown:
        return None
    public = next(r for r in source.releases if r.language in source.shown)
    return (
        f"{source.path}: slug: missing, and the site's addresses for this release would "
        f"be made from its '{first.language}' headline, which is not public yet; give the "
        f"release a slug of its own (for example: slug: {public.file_stem})"
    )


def refuse_shared_slugs(sources: list[Source]) -> None:
    seen: dict[str, Path] = {}
    for source in sources:
        if source.slug in seen:
            raise PresskitError(
                f"{source.path}: its slug '{source.slug}' is also the slug of "
                f"{seen[source.slug]}; give each release its own slug"
            )
        seen[source.slug] = source.path


def fingerprint(path: Path, files: Sequence[str], theme_key: str) -> str:
    """A hash of the content, every file it names, the theme (its
    :func:`theme_fingerprint`) and presskit's version."""
    digest = hashlib.sha256(f"presskit {__version__}\0{theme_key}\0".encode())
    digest.update(path.read_bytes())
    for name in files:
        digest.update(f"\0{name}\0".encode())
        digest.update((path.parent / name).read_bytes())
    return digest.hexdigest()


def referenced_files(value: object) -> Iterator[Path]:
    """Every image file the model names: logos, photos, pictures in the prose."""
    if isinstance(value, Image):
        yield value.path
    if isinstance(value, Prose):
        yield from (Path(span.src) for span in value.images() if span.src)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from referenced_files(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from referenced_files(item)


def theme_fingerprint(theme: Theme) -> str:
    """A hash of the theme and assets the kits are made with: templates, styles,
    strings, fonts (the newsroom's own templates make no kit). Read afresh by each
    build: a theme folder may change between two builds of one process."""
    return _tree_hash((*theme.template_dirs, ASSETS_DIR), skip=theme.site_dirs)


def site_fingerprint(base_url: str | None, theme: Theme) -> str:
    """What every release page depends on beyond its release: presskit's version, the
    theme (the newsroom's templates included) and the site's address."""
    digest = hashlib.sha256(f"presskit {__version__}\0{base_url}\0".encode())
    digest.update(_tree_hash(theme.template_dirs, skip=()).encode())
    return digest.hexdigest()


def _tree_hash(folders: tuple[Path, ...], skip: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        files = (p for p in folder.rglob("*") if p.is_file())
        for file in sorted(p for p in files if not any(p.is_relative_to(s) for s in skip)):
            digest.update(f"{file.relative_to(folder.parent)}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()
