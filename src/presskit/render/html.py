"""The press release as one self-contained HTML page (Jinja2, autoescaped).

The page is both the HTML output and what WeasyPrint lays out for the PDF. Images are
embedded as ``data:`` URIs, so the file stands alone and the PDF renderer never needs
to read content files. Prose is rendered from the parsed Markdown tree by
:mod:`presskit.render.prose`, escaping all text, so content can never inject markup.

A theme folder (``--theme DIR``) may override any template or the stylesheet; it is
looked up first, the built-in theme last. Its templates run sandboxed: a template
from a partner can read the view, never reach Python's internals, and a missing
variable is an error naming the template and the line.
"""

from __future__ import annotations

import contextlib
import marshal
import traceback
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
)
from jinja2.bccache import Bucket, bc_magic
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from presskit.content.model import Image
from presskit.render.pictures import data_uri, picture_reference
from presskit.render.prose import prose_html
from presskit.render.view import ReleaseView
from presskit.theme.folder import Theme, builtin_theme
from presskit.util import diskcache
from presskit.util.errors import BuildError

if TYPE_CHECKING:
    from presskit.render.kitview import KitView

TEMPLATE = "press-release.html.j2"
KIT_TEMPLATE = "press-kit.html.j2"


@cache
def environment(theme: Theme | None = None) -> Environment:
    """The release page's Jinja2 environment, from the theme's template folders."""
    env = content_environment((theme or builtin_theme()).template_dirs)
    env.globals["image_src"] = image_data_uri
    return env


class _TemplateCache(BytecodeCache):
    """Jinja's compiled templates, kept in the cache folder through
    :mod:`presskit.util.diskcache` (a folder and an entry that are the user's alone, with
    their digest): compiled code is run as it is loaded, so it never comes from a
    folder others can write. The source's checksum is kept as text (Jinja's own file
    cache unpickles it). Best effort: a missing or damaged entry costs a compile."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / diskcache.key([bucket.key, bc_magic, jinja2.__version__])

    def load_bytecode(self, bucket: Bucket) -> None:
        data = diskcache.read_entry(self._path(bucket))
        checksum, _, compiled = (data or b"").partition(b"\n")
        if data is not None and checksum == bucket.checksum.encode("ascii"):
            bucket.code = _loaded_code(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            data = bucket.checksum.encode("ascii") + b"\n" + marshal.dumps(bucket.code)
            diskcache.write_entry(self._path(bucket), data)


def _loaded_code(compiled: bytes) -> CodeType | None:
    """The code :mod:`marshal` kept in ``compiled``; None when it is damaged."""
    with contextlib.suppress(EOFError, ValueError, TypeError):
        code = marshal.loads(compiled)
        return code if isinstance(code, CodeType) else None
    return None


def content_environment(folders: Sequence[Path], autoescape: bool = True) -> Environment:
    """A Jinja2 environment for pages that show content: sandboxed, autoescape on (off
    for plain text only), undefined names are errors, prose rendered by the one prose
    renderer."""
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        autoescape=autoescape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        # Compiling the release template takes a cold start ~100 ms; Jinja keeps the
        # compiled code, keyed by the template's name and a checksum of its source.
        bytecode_cache=_TemplateCache(diskcache.cache_dir() / "templates"),
    )
    env.filters["prose"] = prose_html
    env.filters["section_prose"] = lambda prose: prose_html(prose, heading_base=3)
    return env


def render_html(
    view: ReleaseView,
    theme: Theme | None = None,
    inline_css: bool = True,
    pictures: dict[str, tuple[bytes, str]] | None = None,
) -> str:
    """The whole page, with its stylesheet inlined; template errors name the line.

    ``inline_css=False`` leaves the stylesheet out, for the PDF renderer, which is
    given it apart (:func:`page_stylesheet`) and keeps it parsed between pages; with
    ``pictures``, the page names its pictures by reference, their bytes put there
    (also for the PDF renderer: see :data:`~presskit.render.pictures.PICTURE_SCHEME`)."""
    stylesheet = page_stylesheet(theme) if inline_css else ""
    return _rendered(TEMPLATE, theme, pictures, v=view, css=Markup(stylesheet))


def page_stylesheet(theme: Theme | None = None) -> str:
    """The text of the theme's page stylesheet."""
    return (theme or builtin_theme()).stylesheet.read_text(encoding="utf-8")


def render_kit_html(
    view: KitView,
    theme: Theme | None = None,
    inline_css: bool = True,
    pictures: dict[str, tuple[bytes, str]] | None = None,
) -> str:
    """The press kit document as one page, like :func:`render_html` for the release."""
    stylesheet = kit_stylesheet(theme) if inline_css else ""
    return _rendered(KIT_TEMPLATE, theme, pictures, k=view, css=Markup(stylesheet))


def _rendered(
    template: str, theme: Theme | None, pictures: dict[str, tuple[bytes, str]] | None, **names: Any
) -> str:
    """The theme's ``template`` rendered with ``names``; a template error names its line."""
    try:
        page = environment(theme).get_template(template)
        return page.render(**names, **_picture_source(pictures))
    except (TemplateError, SecurityError) as error:
        raise template_failure(error, template) from None


def kit_stylesheet(theme: Theme | None = None) -> str:
    """The page's stylesheet followed by what the kit document adds to it."""
    parts = theme or builtin_theme()
    return page_stylesheet(parts) + "\n" + parts.kit_stylesheet.read_text(encoding="utf-8")


def template_problem(error: TemplateError | SecurityError, template: str) -> str:
    """``template NAME, line N: what is wrong``, for an error raised rendering
    ``template`` (or a template it includes)."""
    return f"{_where(error, template)}: {_what(error)}"


def template_failure(error: TemplateError, template: str) -> BuildError:
    """A theme template's mistake, named by template and line (any of the theme's
    templates: the release's, the kit's, the newsroom's)."""
    return BuildError(template_problem(error, template))


def _where(error: Exception, template: str = TEMPLATE) -> str:
    """``template.html.j2, line N`` from a Jinja error or its traceback."""
    name, line = _recorded_place(error)
    if line is None:
        name, line = _traceback_place(error) or (name, line)
    return f"template {Path(name).name if name else template}, line {line or '?'}"


def _recorded_place(error: Exception) -> tuple[str | None, int | None]:
    """The template and line a Jinja error records (a syntax error does)."""
    name = getattr(error, "filename", None) or getattr(error, "name", None)
    return name, getattr(error, "lineno", None)


def _traceback_place(error: Exception) -> tuple[str, int | None] | None:
    """The template and line of the error's last frame in a template, if any."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".j2", ".html")):
            return frame.filename, frame.lineno
    return None


def _what(error: Exception) -> str:
    if isinstance(error, SecurityError):
        return f"not allowed in a template ({error})"
    return str(error.message if isinstance(error, TemplateError) and error.message else error)


def _picture_source(pictures: dict[str, tuple[bytes, str]] | None) -> dict[str, Any]:
    """The templates' ``image_src``: a ``data:`` URI (the HTML file stands alone), or a
    reference to a picture sent with the page (the PDF renderer's)."""
    if pictures is None:
        return {}
    return {"image_src": lambda image, size=None: picture_reference(pictures, image.path, size)}


def image_data_uri(image: Image, max_pixels: int | None = None) -> str:
    """The image's file, checked by the loader, as a ``data:`` URI."""
    return data_uri(image.path, max_pixels)
