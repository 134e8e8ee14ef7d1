"""MkDocs hooks of the guide (registered in mkdocs.yml).

The content-file reference is generated from presskit's JSON Schema at every build
(:mod:`guide_reference`), so the guide can never show a stale list of keys.
"""

from __future__ import annotations

from typing import Any

import guide_reference  # MkDocs puts this file's folder on the path while loading it
from mkdocs.structure.files import File, Files


def on_files(files: Files, config: Any) -> Files:
    """Add the generated reference page to the guide's files."""
    page = guide_reference.reference_markdown()
    files.append(File.generated(config, guide_reference.PAGE, content=page))
    return files
