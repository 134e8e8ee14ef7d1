"""SVG logos: checked to be self-contained drawings, and rasterised for Word.

Designers deliver logos as SVG. An SVG is XML that may run scripts, load other files
or URLs, or expand entities without end, so presskit accepts only a plain drawing:
no DOCTYPE, no scripts or event handlers, no foreign objects, and every reference
either inside the file (``#id``) or an embedded PNG/JPEG (``data:``). Its proportions
come from its ``viewBox`` (or its width and height). The PDF and HTML draw it as a
vector; Word gets a PNG made by CairoSVG, which is given no way to fetch anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
_SAFE_DATA = ("data:image/png;", "data:image/jpeg;", "data:image/jpg;")
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|mm|cm|in)?\s*$")
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


class SvgProblem(ValueError):
    """The SVG is not a plain, self-contained drawing (worded after "image 'x' ")."""


def looks_like_svg(path: Path) -> bool:
    """Whether the file is (meant to be) SVG: by its name or its first bytes."""
    if path.suffix.lower() in (".svg", ".svgz"):
        return True
    with path.open("rb") as file:
        head = file.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in head


def check_svg(data: bytes) -> tuple[float, float]:
    """The drawing's width and height (for its proportions); raise
    :class:`SvgProblem` for anything but a plain, self-contained drawing."""
    root = _parse(data)
    for element in root.iter():
        _check_element(element)
    return _size(root)


def _parse(data: bytes) -> etree._Element:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise SvgProblem("declares a DOCTYPE or entities; export a plain SVG")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise SvgProblem(f"is not well-formed SVG ({error.msg})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgProblem("is not an SVG drawing (no <svg> root in the SVG namespace)")
    return root


def _check_element(element: etree._Element) -> None:
    if not isinstance(element.tag, str):
        return  # comments and processing instructions draw nothing
    name = etree.QName(element).localname
    if name in _FORBIDDEN:
        raise SvgProblem(f"contains <{name}>; only drawings are accepted")
    if name in _ANIMATIONS and element.get("attributeName", "").endswith("href"):
        raise SvgProblem(f"changes a link with <{name}>; only drawings are accepted")
    for attribute, value in element.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            raise SvgProblem(f"has a script in its {local!r} attribute")
        if local == "href":
            _check_reference(value)
        else:
            for target in _URL.findall(value):
                _check_reference(target)
    if name == "style":
        text = element.text or ""
        if "@import" in text.lower():
            raise SvgProblem("imports a stylesheet; only self-contained drawings are accepted")
        for target in _URL.findall(text):
            _check_reference(target)


def _check_reference(target: str) -> None:
    target = target.strip()
    if target.startswith("#") or target.lower().startswith(_SAFE_DATA):
        return
    raise SvgProblem(
        f"refers to {target[:60]!r}; an SVG logo must be self-contained "
        "(embed pictures, link only to its own #ids)"
    )


def _size(root: etree._Element) -> tuple[float, float]:
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            width, height = float(view_box[2]), float(view_box[3])
        except ValueError:
            raise SvgProblem(f"has an unreadable viewBox {root.get('viewBox')!r}") from None
        return width, height
    given = _length(root.get("width")), _length(root.get("height"))
    if given[0] is None or given[1] is None:
        raise SvgProblem("has neither a viewBox nor a width and height; its shape is unknown")
    return given[0], given[1]


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if match is None:
        return None
    scale = {"pt": 4 / 3, "pc": 16, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}
    return float(match.group(1)) * scale.get(match.group(2) or "px", 1.0)


def to_png(data: bytes, width_px: int) -> bytes:
    """The drawing as a PNG ``width_px`` wide, its proportions kept."""
    import cairosvg

    # unsafe=False: no entities, and CairoSVG fetches nothing but data: URIs.
    png = cairosvg.svg2png(bytestring=data, output_width=width_px, unsafe=False)
    assert isinstance(png, bytes)
    return png
