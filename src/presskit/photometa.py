"""Photos and logos that carry their own caption, credit, copyright and alt text.

Picture desks and asset-management systems read a picture's caption from its
metadata, not from a text file beside it. Every photo and logo presskit delivers (the
press-kit ZIP, the newsroom) therefore carries, in IPTC IIM, ``Caption-Abstract``,
``Credit``, ``Copyright Notice`` and ``By-line``, and in XMP ``dc:description``,
``photoshop:Credit``, ``dc:rights``, ``dc:creator`` and
``Iptc4xmpCore:AltTextAccessibility`` (the caption and alt text in every language of
the release, the first one as the default).

The metadata is written with Exiv2 (through pyexiv2, a wheel that bundles it, so no
system package is needed at run time), in memory: Exiv2 rewrites only the metadata
segments (JPEG APP segments, PNG text chunks, WebP chunks) and copies the compressed
image data untouched, so pixels are never re-encoded. GIF has no place Exiv2 can
write to, an SVG logo is text (left as supplied), and WebP has no IPTC block: those
formats go out with what they can carry.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from presskit.model import Image, Photo

# Exiv2 keeps global state; one picture at a time per process.
_LOCK = threading.Lock()
_UTF8 = "\x1b%G"  # ISO 2022 escape for UTF-8: IPTC's CodedCharacterSet


@dataclass(frozen=True)
class PictureCaption:
    """What a picture says about itself, by language (the first is the default)."""

    captions: dict[str, str]
    alts: dict[str, str]
    credit: str
    copyright: str
    byline: str


def photo_caption(versions: Sequence[Photo], languages: Sequence[str]) -> PictureCaption:
    """The caption of one photo from its version in each language."""
    first = versions[0]
    return PictureCaption(
        captions={lang: p.caption for lang, p in zip(languages, versions, strict=True)},
        alts={lang: p.alt for lang, p in zip(languages, versions, strict=True)},
        credit=first.credit,
        copyright=copyright_notice(first.credit),
        byline=first.credit.removeprefix("©").strip(),
    )


def logo_caption(versions: Sequence[Image], languages: Sequence[str], owner: str) -> PictureCaption:
    """A logo is described by its alt text and credited to the organisation it names."""
    alts = {lang: logo.alt for lang, logo in zip(languages, versions, strict=True)}
    return PictureCaption(
        captions=alts, alts=alts, credit=owner, copyright=copyright_notice(owner), byline=owner
    )


def copyright_notice(credit: str) -> str:
    """ "© Name / Agency" as written, or with the sign added."""
    return credit if credit.lstrip().startswith("©") else f"© {credit}"


def embed(data: bytes, caption: PictureCaption) -> bytes:
    """``data`` with the caption written into its metadata; the image data untouched.

    A format Exiv2 cannot write to (GIF, SVG) comes back as it was.
    """
    pyexiv2 = _pyexiv2()

    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if not (data.startswith((b"\xff\xd8", b"\x89PNG")) or webp):
        return data  # GIF and SVG: as supplied
    with _LOCK:
        pyexiv2.set_log_level(4)  # errors are raised, not printed
        with pyexiv2.ImageData(data) as image:
            if not webp:  # WebP has no IPTC block
                image.modify_iptc(_iptc(caption))
            image.modify_xmp(_xmp(caption))
            return bytes(image.get_bytes())


def _iptc(caption: PictureCaption) -> dict[str, str]:
    default = next(iter(caption.captions.values()))
    return {
        "Iptc.Envelope.CharacterSet": _UTF8,
        "Iptc.Application2.Caption": default,
        "Iptc.Application2.Credit": caption.credit,
        "Iptc.Application2.Copyright": caption.copyright,
        "Iptc.Application2.Byline": caption.byline,
    }


def _xmp(caption: PictureCaption) -> dict[str, object]:
    return {
        "Xmp.dc.description": _lang_alt(caption.captions),
        "Xmp.photoshop.Credit": caption.credit,
        "Xmp.dc.rights": _lang_alt({"x": caption.copyright}),
        "Xmp.dc.creator": [caption.byline],
        "Xmp.iptc.AltTextAccessibility": _lang_alt(caption.alts),
    }


def _lang_alt(texts: dict[str, str]) -> dict[str, str]:
    """An XMP language alternative: the first text as ``x-default``, then each
    language's own."""
    values = list(texts.items())
    alternative = {'lang="x-default"': values[0][1]}
    if len(values) > 1 or values[0][0] != "x":
        alternative |= {f'lang="{lang}"': text for lang, text in values}
    return alternative


@functools.cache
def _pyexiv2() -> Any:
    """pyexiv2, imported without running a process: on import it checks for a 64-bit
    interpreter with ``platform.architecture()``, which runs the ``file`` command; the
    size of a pointer answers the same question."""
    import platform
    import struct

    bits = f"{struct.calcsize('P') * 8}bit"
    original = platform.architecture
    platform.architecture = lambda *args, **kwargs: (bits, "")
    try:
        import pyexiv2
    finally:
        platform.architecture = original
    return pyexiv2
