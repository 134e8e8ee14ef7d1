"""The region each language is written for by default (``templates/regions.yaml``).

A content file naming a language alone (``fr``) is tagged with its default region
(``fr-FR``): the documents' language tag and the Babel locale of dates and times come
from it. The table is data, like the theme's wording, so that a language's region is
given in one place and changed without touching Python.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from presskit.assets.resources import TEMPLATES_DIR
from presskit.theme.folder import ThemeError, read_theme_yaml

REGIONS = TEMPLATES_DIR / "regions.yaml"


def language_tag(language: str) -> str:
    """``language`` with its default region (``en`` -> ``en-GB``); as written when it
    names a region itself or has none listed."""
    return _regions(REGIONS).get(language, language)


@cache
def _regions(path: Path) -> dict[str, str]:
    data = read_theme_yaml(path, "table of regions").data
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ThemeError(f"{path}: write one 'language: language-REGION' per line")
    return dict(data)
