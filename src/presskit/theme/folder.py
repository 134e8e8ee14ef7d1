"""The theme in use: each of its parts, resolved once, from the user's folder or the
built-in theme.

A theme folder (``--theme DIR``) may hold any of the built-in theme's parts: the page
template and other templates, ``press-release.css``, ``press-kit.css``,
``strings/<lang>.yaml``, ``typography/<lang>.yaml``, ``reference.docx``, ``email/``
templates and the newsroom's ``site/`` templates and ``site.css``. Whatever it lacks
comes from the built-in theme (``templates/``). :meth:`Theme.resolve` looks once, and
the resulting :class:`Theme` is passed down to everything that needs a part of it, so
no renderer looks for theme files on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from presskit.assets.resources import ASSETS_DIR, TEMPLATES_DIR
from presskit.util import yamlstrict
from presskit.util.errors import PresskitError

STYLESHEET = "press-release.css"
KIT_STYLESHEET = "press-kit.css"
REFERENCE_DOCX = "reference.docx"
WORD_LAYOUT = "word.yaml"
STRINGS = "strings"
EMAIL = "email"
SITE = "site"


class ThemeError(PresskitError):
    """The theme folder is missing or unusable."""


@dataclass(frozen=True)
class Theme:
    """Where each part of the theme comes from."""

    folder: Path | None
    """The user's theme folder, or None for the built-in theme alone."""
    stylesheet: Path
    """The page's stylesheet (``press-release.css``)."""
    kit_stylesheet: Path
    """What the press kit document adds to the page's stylesheet (``press-kit.css``)."""
    reference_docx: Path
    """The Word file whose named styles the DOCX renderer uses."""
    word_layout: Path
    """What Word styles cannot hold: picture boxes, when the ecosystem table is compact."""

    @classmethod
    def resolve(cls, folder: Path | None = None) -> Theme:
        """The theme of ``folder`` over the built-in one (the built-in alone for None)."""
        if folder is None:
            return builtin_theme()
        if not folder.is_dir():
            raise ThemeError(f"theme folder {folder} not found")
        folder = folder.resolve()
        return cls(
            folder=folder,
            stylesheet=_first(folder, STYLESHEET),
            kit_stylesheet=_first(folder, KIT_STYLESHEET),
            reference_docx=_first(folder, REFERENCE_DOCX),
            word_layout=_first(folder, WORD_LAYOUT),
        )

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Folders to look templates up in, the user's first."""
        return (self.folder, TEMPLATES_DIR) if self.folder else (TEMPLATES_DIR,)

    @property
    def email_dirs(self) -> tuple[Path, ...]:
        """Folders to look e-mail templates up in, the user's first."""
        return tuple(folder / EMAIL for folder in self.template_dirs)

    def email_file(self, name: str) -> Path:
        """The e-mails' file ``name`` (``message.css``): the user's, else the built-in."""
        found = (folder / name for folder in self.email_dirs if (folder / name).is_file())
        return next(found, TEMPLATES_DIR / EMAIL / name)

    @property
    def site_dirs(self) -> tuple[Path, ...]:
        """Folders to look the newsroom's templates and ``site.css`` up in, the user's
        first."""
        return tuple(folder / SITE for folder in self.template_dirs)

    def site_file(self, name: str) -> Path:
        """The newsroom's file ``name`` (``site.css``): the user's, else the built-in."""
        found = (folder / name for folder in self.site_dirs if (folder / name).is_file())
        return next(found, TEMPLATES_DIR / SITE / name)

    @property
    def roots(self) -> tuple[Path, ...]:
        """The folders renderers may read theme files from (and the assets)."""
        return (*self.template_dirs, ASSETS_DIR)

    def strings_files(self, code: str) -> list[Path]:
        """The wording files for language ``code`` that exist, built-in first, so that
        the user's file overrides it key by key."""
        files = (folder / STRINGS / f"{code}.yaml" for folder in reversed(self.template_dirs))
        return [path for path in files if path.is_file()]

    def strings_languages(self) -> list[str]:
        """The languages the theme has wording files for."""
        folders = [folder / STRINGS for folder in self.template_dirs]
        return sorted({path.stem for folder in folders for path in folder.glob("*.yaml")})


def read_theme_yaml(path: Path, what: str) -> yamlstrict.Document:
    """A theme's YAML file, read strictly; a :class:`ThemeError` says it is no readable ``what``."""
    try:
        return yamlstrict.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ThemeError(f"{path}: not a readable {what} ({error})") from None


def _first(folder: Path, name: str) -> Path:
    own = folder / name
    return own if own.is_file() else TEMPLATES_DIR / name


@cache
def builtin_theme() -> Theme:
    """The built-in theme (``templates/``)."""
    return Theme(
        folder=None,
        stylesheet=TEMPLATES_DIR / STYLESHEET,
        kit_stylesheet=TEMPLATES_DIR / KIT_STYLESHEET,
        reference_docx=TEMPLATES_DIR / REFERENCE_DOCX,
        word_layout=TEMPLATES_DIR / WORD_LAYOUT,
    )
