"""SVG logos: checked to be self-contained drawings of bounded cost, and rasterised for Word.

Designers deliver logos as SVG. An SVG is XML that may run scripts, load other files
or URLs, expand entities without end, or draw itself forever, so presskit accepts only
a plain drawing:

- no DOCTYPE or entities (in any encoding), no processing instruction but XMP's
  ``<?xpacket?>`` (``<?xml-stylesheet?>`` links a stylesheet);
- no scripts, event handlers or foreign objects;
- every reference either inside the file (``#id``) or, for ``<image href>``, an
  embedded PNG/JPEG (``data:``); CSS is read after its escapes and comments are
  decoded by a real CSS tokenizer (tinycss2, which the renderers use), so
  ``@\\69mport`` or ``u\\72l(`` are seen for what they are;
- no reference that leads back to itself (``<use>`` of its own group, directly or
  through others), and a bounded cost once every reference is followed: elements
  drawn, nesting depth, and pixels of the embedded pictures (their headers read by
  Pillow, with the caps of raster images);
- proportions from a ``viewBox`` (or width and height) of finite, sensible numbers.

A drawing that passes is then drawn once, small, by CairoSVG (the Word renderer), so
whatever ``check`` accepts renders. The PDF and HTML draw it as a vector; Word gets a
PNG made by CairoSVG, which is given no way to fetch anything.

:func:`public_copy` is the logo as it leaves presskit: the drawing only, without the
editor's metadata (``<metadata>``, Inkscape's and Illustrator's own attributes, which
name files and people on the designer's computer), embedded pictures cleaned like
photos.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import tinycss2
from lxml import etree

if TYPE_CHECKING:
    import cssselect2

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
_SAFE_DATA = ("data:image/png;", "data:image/jpeg;", "data:image/jpg;")
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_LENGTH = re.compile(rf"^\s*({_NUMBER})\s*(px|pt|pc|mm|cm|in)?\s*$")
_VIEW_BOX_NUMBER = re.compile(rf"^{_NUMBER}$")
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_ALLOWED_INSTRUCTIONS = {"xpacket"}  # XMP packets in <metadata>: data, never followed
_PIXELS_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "pc": 16, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}
MIN_UNITS, MAX_UNITS = 1e-3, 1e6  # a viewBox side, in user units
MAX_ELEMENTS_DRAWN = 50_000  # every <use> followed; a detailed logo draws a few thousand
MAX_DEPTH = 100  # nesting, every <use> followed; a logo nests a dozen deep
TRIAL_WIDTH = 32  # pixels: the small drawing that proves CairoSVG can draw it


class SvgProblem(ValueError):
    """The SVG is not a plain, self-contained drawing (worded after "image 'x' ")."""


@dataclass(frozen=True)
class PictureCaps:
    """The limits of an embedded picture, those of raster images."""

    max_bytes: int
    max_pixels: int


def looks_like_svg(path: Path) -> bool:
    """Whether the file is (meant to be) SVG: by its name or its first bytes."""
    if path.suffix.lower() in (".svg", ".svgz"):
        return True
    head = _first_bytes(path)
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in head


def _first_bytes(path: Path) -> bytes:
    """The file's first bytes, without a byte-order mark or white space before them."""
    with path.open("rb") as file:
        return file.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")


def check_svg(data: bytes, caps: PictureCaps) -> tuple[float, float]:
    """The drawing's width and height (for its proportions); raise
    :class:`SvgProblem` for anything but a plain, self-contained drawing of bounded
    cost that CairoSVG draws."""
    root = _parse(data)
    graph = _Graph()
    for node in root.iter():
        _check_node(node, graph, caps)
    _add_stylesheet_references(root, graph)
    graph.check_cost(caps)
    size = _size(root)
    _check_drawable(data)
    return size


# ----------------------------------------------------------------------- parsing


def _parse(data: bytes) -> etree._Element:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise SvgProblem("declares a DOCTYPE or entities; export a plain SVG")
    root = _well_formed(data)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        # Seen here whatever the encoding (UTF-16 hides it from the byte test above).
        raise SvgProblem("declares a DOCTYPE or entities; export a plain SVG")
    for sibling in [*root.itersiblings(preceding=True), *root.itersiblings()]:
        _check_instruction(sibling)
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgProblem("is not an SVG drawing (no <svg> root in the SVG namespace)")
    return root


def _well_formed(data: bytes) -> etree._Element:
    """The XML root, parsed without entities, the network, a DTD or huge trees."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise SvgProblem(f"is not well-formed SVG ({error.msg})") from None
    except ValueError as error:  # e.g. an encoding lxml does not know
        raise SvgProblem(f"is not well-formed SVG ({error})") from None


def _check_instruction(node: etree._Element) -> None:
    if isinstance(node, etree._ProcessingInstruction):
        target = str(node.target)
        if target.lower() == "xml-stylesheet":
            raise SvgProblem(
                "links a stylesheet (<?xml-stylesheet?>); only self-contained drawings are accepted"
            )
        if target not in _ALLOWED_INSTRUCTIONS:
            raise SvgProblem(f"holds a processing instruction <?{target}?>; export a plain SVG")
    elif isinstance(node, etree._Entity):
        raise SvgProblem("declares a DOCTYPE or entities; export a plain SVG")


# --------------------------------------------------------------- what is drawn


def _check_node(node: etree._Element, graph: _Graph, caps: PictureCaps) -> None:
    if not isinstance(node.tag, str):
        _check_instruction(node)
        return  # comments draw nothing
    name = etree.QName(node).localname
    if name in _FORBIDDEN:
        raise SvgProblem(f"contains <{name}>; only drawings are accepted")
    if name in _ANIMATIONS and node.get("attributeName", "").endswith("href"):
        raise SvgProblem(f"changes a link with <{name}>; only drawings are accepted")
    graph.add(node)
    for attribute, value in node.attrib.items():
        _check_attribute(node, etree.QName(attribute).localname, value, graph, caps)
    if name == "style":
        for target in _css_references(_style_rules(node)):
            _checked_css_reference(target)


def _style_rules(style: etree._Element) -> list[tinycss2.ast.Node]:
    """The rules of a ``<style>`` element, without its comments and white space."""
    rules: list[tinycss2.ast.Node] = tinycss2.parse_stylesheet(
        "".join(style.itertext()), skip_comments=True, skip_whitespace=True
    )
    return rules


def _check_attribute(
    node: etree._Element, local: str, value: str, graph: _Graph, caps: PictureCaps
) -> None:
    """No event handler; a link or a url() only to the drawing's own ids (or, for a
    link, an embedded picture), recorded in ``graph``."""
    if local.lower().startswith("on"):
        raise SvgProblem(f"has a script in its {local!r} attribute")
    if local == "href":
        graph.refer(node, _checked_reference(value, caps))
    elif "(" in value:  # no url() without a parenthesis, escaped or not
        for target in _css_references(tinycss2.parse_component_value_list(value)):
            graph.refer(node, _checked_css_reference(target))
        for target in _URL.findall(value):  # as CairoSVG reads attributes, unescaped
            _checked_css_reference(target)


def _css_references(nodes: list[tinycss2.ast.Node]) -> Iterator[str]:
    """Every URL the CSS refers to, escapes and comments decoded; raise
    :class:`SvgProblem` for an ``@import``."""
    for node in _walk_css(nodes):
        keyword = {"at-rule": "lower_at_keyword", "at-keyword": "lower_value"}.get(node.type)
        if keyword and getattr(node, keyword) == "import":
            raise SvgProblem("imports a stylesheet; only self-contained drawings are accepted")
        if node.type == "error" and node.kind == "bad-url":
            raise SvgProblem("has an unreadable url(); an SVG logo must be self-contained")
        if node.type == "url":
            yield node.value
        elif node.type == "function" and node.lower_name in ("url", "src"):
            strings = [arg for arg in node.arguments if arg.type == "string"]
            yield strings[0].value if strings else tinycss2.serialize(node.arguments)


def _walk_css(nodes: list[tinycss2.ast.Node]) -> Iterator[tinycss2.ast.Node]:
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_css_children(node)))


# The attributes holding the nodes inside each kind of CSS node, in order.
_CSS_CHILDREN = {
    "qualified-rule": ("prelude", "content"),
    "at-rule": ("prelude", "content"),
    "() block": ("content",),
    "[] block": ("content",),
    "{} block": ("content",),
    "function": ("arguments",),
}


def _css_children(node: tinycss2.ast.Node) -> list[tinycss2.ast.Node]:
    """The nodes directly inside ``node`` (an at-rule may have no content: None)."""
    return [
        child for name in _CSS_CHILDREN.get(node.type, ()) for child in getattr(node, name) or []
    ]


def _checked_reference(target: str, caps: PictureCaps) -> str:
    """``target`` if it is allowed: an ``#id`` of the drawing, or an embedded picture
    within the caps."""
    target = target.strip()
    if target.startswith("#"):
        return target
    if target.lower().startswith(_SAFE_DATA):
        _check_embedded_picture(target, caps)
        return target
    raise SvgProblem(
        f"refers to {target[:60]!r}; an SVG logo must be self-contained "
        "(embed pictures, link only to its own #ids)"
    )


def _checked_css_reference(target: str) -> str:
    """``target`` if it is an ``#id`` of the drawing (its gradients, clips, filters…)."""
    target = target.strip()
    if target.lower().startswith("data:"):
        raise SvgProblem("embeds data in its CSS (url(data:…)); embed pictures with <image href=…>")
    return _checked_reference(target, PictureCaps(0, 0))


def _check_embedded_picture(uri: str, caps: PictureCaps) -> None:
    """Its header read by Pillow: a PNG or JPEG within the raster images' caps."""
    data = data_uri_bytes(uri)
    if data is None:
        raise SvgProblem("embeds a picture whose data cannot be read")
    if len(data) > caps.max_bytes:
        raise SvgProblem(f"embeds a picture larger than {caps.max_bytes // 1_000_000} MB")
    fmt, width, height = _picture_header(data, caps)
    if fmt not in ("PNG", "JPEG"):
        raise SvgProblem(f"embeds a {fmt} picture; embed PNG or JPEG")
    if width * height > caps.max_pixels:
        raise SvgProblem(
            f"embeds a picture of more than {caps.max_pixels // 1_000_000} million pixels"
        )


def _picture_header(data: bytes, caps: PictureCaps) -> tuple[str | None, int, int]:
    """Format, width and height, as Pillow reads them from the header."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # The pixel cap below says it better than Pillow's warning would.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                fmt, (width, height) = picture.format, picture.size
    except Image.DecompressionBombError:
        return "PNG", caps.max_pixels + 1, 1
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise SvgProblem("embeds a picture that is not a readable PNG or JPEG") from None
    return fmt, width, height


def data_uri_bytes(uri: str) -> bytes | None:
    """The bytes of a ``data:`` URI (base64 or percent-encoded), or None."""
    header, comma, payload = uri.partition(",")
    if not comma:
        return None
    if header.lower().replace(" ", "").endswith(";base64"):
        try:
            return base64.b64decode(re.sub(r"\s+", "", urllib.parse.unquote(payload)))
        except (binascii.Error, ValueError):
            return None
    return urllib.parse.unquote_to_bytes(payload)


def _add_stylesheet_references(root: etree._Element, graph: _Graph) -> None:
    """References made by ``<style>`` rules (``.a { fill: url(#p) }``) belong to the
    elements the rules select, matched as the renderers match them (cssselect2)."""
    import cssselect2

    matcher = _stylesheet_matcher(root)
    if matcher is None:
        return
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        for *_, targets in matcher.match(wrapper):
            for target in targets:
                graph.refer(wrapper.etree_element, target)


def _stylesheet_matcher(root: etree._Element) -> cssselect2.Matcher | None:
    """A cssselect2 matcher of the ``<style>`` rules that refer to ``#id`` targets,
    each selector carrying its targets; None when no rule does."""
    import cssselect2

    matcher = cssselect2.Matcher()
    found = False
    for style in root.iter(f"{{{SVG_NS}}}style"):
        for rule in _style_rules(style):
            if rule.type != "qualified-rule":
                continue
            targets = [t.strip() for t in _css_references(rule.content) if t.strip()[:1] == "#"]
            if not targets:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue  # the renderers skip it too
            for selector in selectors:
                matcher.add_selector(selector, targets)
                found = True
    return matcher if found else None


@dataclass
class _Node:
    """An element with an id (or the root), and what is drawn when it is: its own
    elements (those with no closer ancestor with an id), the elements with an id
    inside it, and what its elements refer to."""

    depth: int  # in the XML tree
    elements: int = 0
    pictures: int = 0  # pixels of the embedded pictures its own elements draw
    deepest: int = 0  # the deepest of its own elements, relative to it
    children: list[tuple[str, int]] = field(default_factory=list)  # (id, relative depth)
    references: list[tuple[str, int]] = field(default_factory=list)


class _Graph:
    """Who draws whom: enough to find reference cycles and the cost of a drawing
    with every reference followed, without following any (and without recursion)."""

    ROOT = ""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.duplicates: set[str] = set()
        self._owner: dict[etree._Element, tuple[str, int]] = {}  # element -> (node, depth)

    def add(self, element: etree._Element) -> None:
        """Record ``element`` (its parent first: document order)."""
        parent = element.getparent()
        owner, depth = self._owner[parent] if parent is not None else (self.ROOT, -1)
        depth += 1
        key = element.get("id") or ""
        if key and key in self.nodes:
            self.duplicates.add(key)
        if parent is None:  # the root, known by its id too: a <use> of it is a cycle
            self.nodes[self.ROOT] = self.nodes[key] = _Node(depth)
        elif key and key not in self.nodes:
            owner_node = self.nodes[owner]
            owner_node.children.append((key, depth - owner_node.depth))
            self.nodes[key] = _Node(depth)
            owner = key
        node = self.nodes[owner]
        node.elements += 1
        node.deepest = max(node.deepest, depth - node.depth)
        self._owner[element] = (owner, depth)

    def refer(self, element: etree._Element, target: str) -> None:
        owner, depth = self._owner[element]
        node = self.nodes[owner]
        if target.startswith("#"):
            node.references.append((target[1:], depth - node.depth + 1))
        elif etree.QName(element).localname == "image":
            node.pictures += _pixels(target)

    def check_cost(self, caps: PictureCaps) -> None:
        """Refuse a reference to a duplicated id, a reference cycle, or too costly a drawing."""
        referred = {target for node in self.nodes.values() for target, _ in node.references}
        for key in sorted(referred & self.duplicates)[:1]:
            raise SvgProblem(f"has several elements with the id {key!r}, and refers to it")
        _refuse_costly(self._drawn_cost(caps), caps)

    def _drawn_cost(self, caps: PictureCaps) -> _Cost:
        """The whole drawing's cost, every reference followed: a depth-first walk
        with a stack of its own, each node summed once its targets are."""
        costs: dict[str, _Cost] = {}
        state: dict[str, str] = {}
        stack: list[str] = [self.ROOT]
        while stack:
            key = stack[-1]
            if state.get(key) is None:
                state[key] = "open"
                stack += self._targets_to_visit(key, state)
                continue
            stack.pop()
            if state[key] != "done":
                costs[key] = self._summed(key, costs, caps)
                state[key] = "done"
        return costs[self.ROOT]

    def _edges(self, key: str) -> list[tuple[str, int]]:
        """What the node draws: its children and the targets of its references, with
        their depth below it."""
        node = self.nodes[key]
        return node.children + [r for r in node.references if r[0] in self.nodes]

    def _targets_to_visit(self, key: str, state: dict[str, str]) -> list[str]:
        """The node's targets not seen yet; a target still open draws itself."""
        targets = [target for target, _ in self._edges(key)]
        if (cycle := next((t for t in targets if state.get(t) == "open"), None)) is not None:
            raise _cycle_problem(cycle)
        return [target for target in targets if target not in state]

    def _summed(self, key: str, costs: dict[str, _Cost], caps: PictureCaps) -> _Cost:
        node = self.nodes[key]
        elements, pixels, depth = node.elements, node.pictures, node.deepest
        for target, offset in self._edges(key):
            more = costs[target]
            elements = min(elements + more[0], MAX_ELEMENTS_DRAWN + 1)
            pixels = min(pixels + more[1], caps.max_pixels + 1)
            depth = max(depth, offset + more[2])
        return elements, pixels, depth


def _cycle_problem(target: str) -> SvgProblem:
    return SvgProblem(
        f"draws #{target} inside itself (through <use> or url()); its drawing never ends"
    )


_Cost = tuple[int, int, int]
"""Elements drawn, pixels of embedded pictures drawn, and the depth reached."""


_TOO_COSTLY = (
    "draws more than {limit:,} shapes once its <use> references are followed; simplify it",
    "draws embedded pictures of more than {millions} million pixels in all; embed smaller pictures",
    "nests its shapes more than {limit} deep once its <use> references are followed; simplify it",
)
"""What each part of a :data:`_Cost` past its cap is refused with."""


def _refuse_costly(cost: _Cost, caps: PictureCaps) -> None:
    limits = (MAX_ELEMENTS_DRAWN, caps.max_pixels, MAX_DEPTH)
    for value, limit, problem in zip(cost, limits, _TOO_COSTLY, strict=True):
        if value > limit:
            raise SvgProblem(problem.format(limit=limit, millions=limit // 1_000_000))


def _pixels(uri: str) -> int:
    """Pixels of an embedded picture already checked."""
    from PIL import Image

    data = data_uri_bytes(uri) or b""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as picture:
            return int(picture.size[0] * picture.size[1])


# ------------------------------------------------------------------------- shape


def _size(root: etree._Element) -> tuple[float, float]:
    for attribute in ("width", "height"):
        value = root.get(attribute)
        if value is not None and re.search(r"inf|nan", value, re.IGNORECASE):
            raise SvgProblem(f"has an unreadable {attribute} {value[:40]!r}")
        length = _length(value)
        if length is not None and not MIN_UNITS <= length <= MAX_UNITS:
            raise SvgProblem(f"has a {attribute} of {value[:40]!r}, out of any sensible range")
    view_box = root.get("viewBox")
    if view_box is not None:
        return _view_box_size(view_box)
    given = _length(root.get("width")), _length(root.get("height"))
    if given[0] is None or given[1] is None:
        raise SvgProblem("has neither a viewBox nor a width and height; its shape is unknown")
    return given[0], given[1]


def _view_box_size(view_box: str) -> tuple[float, float]:
    parts = view_box.replace(",", " ").split()
    if len(parts) != 4 or not all(_VIEW_BOX_NUMBER.match(p) for p in parts):
        raise SvgProblem(f"has an unreadable viewBox {view_box[:60]!r}")
    x, y, width, height = (float(p) for p in parts)
    if not all(math.isfinite(v) and abs(v) <= MAX_UNITS for v in (x, y, width, height)) or (
        min(width, height) > 0 and min(width, height) < MIN_UNITS
    ):
        raise SvgProblem(
            f"has a viewBox {view_box[:60]!r} out of any sensible range "
            f"({MIN_UNITS:g} to {MAX_UNITS:,.0f} units)"
        )
    return width, height


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if match is None:
        return None
    length = float(match.group(1)) * _PIXELS_PER_UNIT[match.group(2) or "px"]
    return length if math.isfinite(length) else math.inf


def _check_drawable(data: bytes) -> None:
    """Draw it small with CairoSVG, the Word renderer: what it cannot draw is refused
    here rather than when the Word file is made."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. an embedded JPEG's damaged Exif
            to_png(data, TRIAL_WIDTH)
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as error:  # any failure of the renderer on this file
        reason = f"{type(error).__name__}: {error}"[:120]
        raise SvgProblem(f"cannot be drawn ({reason}); export a plain SVG") from None


def to_png(data: bytes, width_px: int) -> bytes:
    """The drawing as a PNG ``width_px`` wide, its proportions kept."""
    import cairosvg

    # unsafe=False: no entities, and CairoSVG fetches nothing but data: URIs.
    png = cairosvg.svg2png(bytestring=data, output_width=width_px, unsafe=False)
    assert isinstance(png, bytes)
    return png


# ------------------------------------------------------------------ public copy


def public_copy(data: bytes, clean_picture: Callable[[bytes], bytes]) -> bytes:
    """The checked drawing as it leaves presskit: SVG elements and their own
    attributes only (no ``<metadata>``, no editor's namespaces, comments or
    processing instructions), embedded pictures passed through ``clean_picture``."""
    root = _parse(data)
    for node in list(root.iter()):
        if not _is_drawing(node):
            parent = node.getparent()
            if parent is not None:
                _remove_keeping_tail(node, parent)
            continue
        for attribute in list(node.attrib):
            namespace = etree.QName(attribute).namespace
            if namespace not in (None, XLINK_NS, "http://www.w3.org/XML/1998/namespace"):
                del node.attrib[attribute]
            elif etree.QName(attribute).localname == "href":
                node.set(attribute, _clean_data_uri(node.get(attribute, ""), clean_picture))
    etree.cleanup_namespaces(root, top_nsmap={None: SVG_NS, "xlink": XLINK_NS})
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True))


def _is_drawing(node: etree._Element) -> bool:
    if not isinstance(node.tag, str):
        return False  # comments, processing instructions
    name = etree.QName(node)
    return bool(name.namespace == SVG_NS and name.localname != "metadata")


def _remove_keeping_tail(node: etree._Element, parent: etree._Element) -> None:
    """Remove ``node``; the text after it (inside a <text>) stays."""
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _clean_data_uri(uri: str, clean_picture: Callable[[bytes], bytes]) -> str:
    data = data_uri_bytes(uri.strip()) if uri.strip().lower().startswith(_SAFE_DATA) else None
    if data is None:
        return uri
    mime = uri.strip()[5:].split(";", 1)[0].split(",", 1)[0]
    return f"data:{mime};base64,{base64.b64encode(clean_picture(data)).decode('ascii')}"
