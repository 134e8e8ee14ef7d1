"""The press release as one self-contained HTML page (Jinja2, autoescaped).

The page is both the HTML output and what WeasyPrint lays out for the PDF. Images are
embedded as ``data:`` URIs, so the file stands alone and the PDF renderer never needs
to read content files. Prose is rendered from the parsed Markdown tree, escaping all
text, so content can never inject markup.

A theme folder (``--theme DIR``) may override any template or the stylesheet; it is
looked up first, the built-in theme last. Its templates run sandboxed: a template
from a partner can read the view, never reach Python's internals, and a missing
variable is an error naming the template and the line.
"""

from __future__ import annotations

import base64
import io
import traceback
from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from PIL import Image as PILImage

from presskit.errors import BuildError
from presskit.markdown import Block, Prose, Span
from presskit.model import Image
from presskit.theme import Theme, builtin_theme
from presskit.view import ReleaseView

TEMPLATE = "press-release.html.j2"


@cache
def environment(theme: Theme | None = None) -> Environment:
    """The Jinja2 environment: sandboxed, autoescape on, undefined names are errors."""
    folders = (theme or builtin_theme()).template_dirs
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["prose"] = prose_html
    env.filters["section_prose"] = lambda prose: prose_html(prose, heading_base=3)
    env.globals["image_src"] = image_data_uri
    return env


def render_html(view: ReleaseView, theme: Theme | None = None) -> str:
    """The whole page, with its stylesheet inlined; template errors name the line."""
    stylesheet = (theme or builtin_theme()).stylesheet
    try:
        template = environment(theme).get_template(TEMPLATE)
        return template.render(v=view, css=Markup(stylesheet.read_text(encoding="utf-8")))
    except (TemplateError, SecurityError) as error:
        raise BuildError(f"{_where(error)}: {_what(error)}") from None


def _where(error: Exception) -> str:
    """``template.html.j2, line N`` from a Jinja error or its traceback."""
    name, line = (
        getattr(error, "filename", None) or getattr(error, "name", None),
        getattr(error, "lineno", None),
    )
    if line is None:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith((".j2", ".html")):
                name, line = frame.filename, frame.lineno
                break
    return f"template {Path(name).name if name else TEMPLATE}, line {line or '?'}"


def _what(error: Exception) -> str:
    if isinstance(error, SecurityError):
        return f"not allowed in a template ({error})"
    return str(error.message if isinstance(error, TemplateError) and error.message else error)


def prose_html(prose: Prose, heading_base: int = 2) -> Markup:
    """Render parsed Markdown blocks to HTML; the prose's own headings start at
    ``heading_base`` (h2 in the story, under the h1 headline; h3 inside a section)."""
    parts: list[str] = []
    open_lists: list[str] = []
    for block in prose.blocks:
        parts.extend(_close_lists_to(open_lists, block))
        if block.kind in ("bullet", "number"):
            parts.append(f"<li>{_spans_html(block.spans)}</li>")
        elif block.kind == "heading":
            level = min(heading_base + prose.heading_rank(block.level), 6)
            parts.append(f"<h{level}>{_spans_html(block.spans)}</h{level}>")
        elif block.kind == "quote":
            parts.append(f"<blockquote><p>{_spans_html(block.spans)}</p></blockquote>")
        else:
            parts.append(f"<p>{_spans_html(block.spans)}</p>")
    parts.extend(_close_lists_to(open_lists, None))
    return Markup("".join(parts))


def _close_lists_to(open_lists: list[str], block: Block | None) -> list[str]:
    """Open or close <ul>/<ol> so that the list nesting matches ``block``."""
    out: list[str] = []
    want = block.level + 1 if block is not None and block.kind in ("bullet", "number") else 0
    while len(open_lists) > want:
        out.append(f"</{open_lists.pop()}>")
    if block is not None and want:
        tag = "ol" if block.kind == "number" else "ul"
        if len(open_lists) == want and open_lists[-1] != tag:
            out.append(f"</{open_lists.pop()}>")
        while len(open_lists) < want:
            start = f' start="{block.number}"' if tag == "ol" and block.number != 1 else ""
            out.append(f"<{tag}{start}>")
            open_lists.append(tag)
    return out


def _spans_html(spans: tuple[Span, ...]) -> str:
    return "".join(_span_html(span) for span in spans)


def _span_html(span: Span) -> str:
    if span.kind == "break":
        return "<br>"
    if span.kind == "image":
        # The loader replaced each image reference with its checked absolute path.
        src = span.src or ""
        if Path(src).is_absolute() and Path(src).is_file():
            src = _data_uri(Path(src))
        return f'<img src="{escape(src)}" alt="{escape(span.text)}">'
    html = str(escape(span.text))
    if span.code:
        html = f"<code>{html}</code>"
    if span.italic:
        html = f"<em>{html}</em>"
    if span.bold:
        html = f"<strong>{html}</strong>"
    if span.href:
        html = f'<a href="{escape(span.href)}">{html}</a>'
    return html


_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@cache
def _data_uri(path: Path, max_pixels: int | None = None) -> str:
    """The file as a ``data:`` URI, scaled down to ``max_pixels`` on its longer side.

    Logos are shown a centimetre or two wide: more pixels than print resolution needs
    only make the PDF bigger and slower to write.
    """
    with PILImage.open(path) as image:
        fmt = image.format or "PNG"
        if max_pixels is None or max(image.size) <= max_pixels or fmt not in ("PNG", "JPEG"):
            data = path.read_bytes()
        else:
            image.thumbnail((max_pixels, max_pixels), PILImage.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
            data = buffer.getvalue()
    return f"data:{_MIME[fmt]};base64,{base64.b64encode(data).decode('ascii')}"


def image_data_uri(image: Image, max_pixels: int | None = None) -> str:
    """The image's file, checked by the loader, as a ``data:`` URI."""
    return _data_uri(image.path, max_pixels)
