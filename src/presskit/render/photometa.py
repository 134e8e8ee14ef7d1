"""Photos and logos that carry their own caption, credit, copyright and alt text, and
nothing private.

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

A picture straight from a camera or a phone also says where it was taken (GPS), with
which camera, lens and body (serial numbers), whose camera it is (owner name), and what
was done to it (XMP history, maker notes, thumbnails of the uncropped picture).
:func:`public_copy` is every picture as it leaves presskit (the ZIP, the newsroom, the
Word file, the HTML page): its metadata blocks are dropped by an allow-list of what is
kept (the orientation, the colour profile, and the caption, credit and copyright tags
of IPTC, XMP and Exif), the kept values written back by Exiv2, and the compressed image
data copied byte for byte: JPEG segments, PNG chunks, WebP chunks and GIF blocks are
sorted by :mod:`presskit.assets.picturefile`. An SVG logo loses its editor's metadata
(:func:`presskit.assets.svg.public_copy`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import threading
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from presskit.assets import picturefile, svg

if TYPE_CHECKING:
    from presskit.content.model import Image, Photo

# Exiv2 keeps global state; one picture at a time per process.
_LOCK = threading.Lock()
_UTF8 = "\x1b%G"  # ISO 2022 escape for UTF-8: IPTC's CodedCharacterSet

# What a published picture keeps of its own metadata: how to turn it, how to show its
# colours, and what it is, who made it and who owns the rights. Everything else
# (GPS, serial numbers, owner names, maker notes, history, thumbnails...) is dropped.
KEPT_EXIF = frozenset(
    {
        "Exif.Image.Orientation",
        "Exif.Image.XResolution",
        "Exif.Image.YResolution",
        "Exif.Image.ResolutionUnit",
        "Exif.Image.ImageDescription",
        "Exif.Image.Copyright",
        "Exif.Photo.ColorSpace",
    }
)
KEPT_IPTC = frozenset(
    {
        "Iptc.Envelope.CharacterSet",
        "Iptc.Application2.ObjectName",
        "Iptc.Application2.Headline",
        "Iptc.Application2.Caption",
        "Iptc.Application2.Byline",
        "Iptc.Application2.Credit",
        "Iptc.Application2.Source",
        "Iptc.Application2.Copyright",
    }
)
KEPT_XMP = frozenset(
    {
        "Xmp.dc.title",
        "Xmp.dc.description",
        "Xmp.dc.creator",
        "Xmp.dc.rights",
        "Xmp.photoshop.Headline",
        "Xmp.photoshop.Credit",
        "Xmp.photoshop.Source",
        "Xmp.xmpRights.Marked",
        "Xmp.xmpRights.UsageTerms",
        "Xmp.xmpRights.WebStatement",
        "Xmp.iptc.AltTextAccessibility",
        "Xmp.iptc.ExtDescrAccessibility",
    }
)


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
    """The public copy of ``data`` (:func:`public_copy`) with the caption written into
    its metadata; the image data untouched. GIF has nowhere Exiv2 writes, WebP no IPTC
    block: they carry what they can."""
    return public_copy(data, _iptc(caption), _xmp(caption))


def public_copy(
    data: bytes,
    iptc: Mapping[str, object] | None = None,
    xmp: Mapping[str, object] | None = None,
) -> bytes:
    """The picture as it may leave presskit: its metadata blocks dropped but for the
    colour profile, then the kept tags of its own (``KEPT_EXIF``, ``KEPT_IPTC``,
    ``KEPT_XMP``) and the ``iptc`` and ``xmp`` given written back; the compressed image
    data byte for byte the supplied file's. An SVG keeps its drawing only."""
    kind = _kind(data)
    if kind == "svg":
        return svg.public_copy(data, public_copy)
    own = _stripped(data)
    if kind == "gif":
        return own.bare  # nowhere to write anything back
    if kind == "webp":  # no IPTC block: neither its own tags nor the given ones
        own, iptc = replace(own, iptc=()), None
    return _with_tags(own, dict(iptc or {}), dict(xmp or {}))


def _with_tags(own: _Stripped, iptc: dict[str, object], xmp: dict[str, object]) -> bytes:
    """The bare picture with its own kept tags and the given ones written back; with the
    given ones only when Exiv2 cannot write back one of its own."""
    mine = (dict(own.exif), dict(own.iptc) | iptc, dict(own.xmp) | xmp)
    written = (_tried(own.bare, *tags) for tags in (mine, ({}, iptc, xmp)))
    return next((picture for picture in written if picture is not None), own.bare)


def _with_charset(iptc: dict[str, object]) -> dict[str, object]:
    """IPTC tags, said to be UTF-8 (when there are any)."""
    return {"Iptc.Envelope.CharacterSet": _UTF8} | iptc if iptc else iptc


def _tried(
    bare: bytes, exif: dict[str, object], iptc: dict[str, object], xmp: dict[str, object]
) -> bytes | None:
    """The tags written back (the bare picture when there are none); None when a value
    of the picture's own is one Exiv2 cannot write back (then it is tried without them)."""
    if not (exif or iptc or xmp):
        return bare
    try:
        return _written(bare, exif, _with_charset(iptc), xmp)
    except (RuntimeError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class _Stripped:
    """A picture without its metadata blocks, and the tags of its own that are kept."""

    bare: bytes
    exif: tuple[tuple[str, object], ...]
    iptc: tuple[tuple[str, object], ...]
    xmp: tuple[tuple[str, object], ...]


# By the picture's digest: a logo shown by 200 members of a network (each with its own
# caption) is taken apart once, not 200 times (Pillow reads a PNG's Exif only by
# decoding the whole picture). Bounded by the bytes of the pictures it keeps.
_STRIPPED: dict[bytes, _Stripped] = {}
_STRIPPED_BUDGET = 64_000_000


def _stripped(data: bytes) -> _Stripped:
    digest = hashlib.blake2b(data, digest_size=32).digest()
    known = _STRIPPED.get(digest)
    return known if known is not None else _remember(digest, _strip(data))


def _remember(digest: bytes, stripped: _Stripped) -> _Stripped:
    """Keep ``stripped``, after forgetting the others if it would pass the budget."""
    if sum(len(kept.bare) for kept in _STRIPPED.values()) + len(stripped.bare) > _STRIPPED_BUDGET:
        _STRIPPED.clear()
    _STRIPPED[digest] = stripped
    return stripped


def _strip(data: bytes) -> _Stripped:
    bare = _bare(data)
    if _kind(data) == "gif":
        return _Stripped(bare, (), (), ())
    exif, iptc, xmp = _kept_tags(data)
    return _Stripped(bare, tuple(exif.items()), tuple(iptc.items()), tuple(xmp.items()))


def _bare(data: bytes) -> bytes:
    """The picture without its metadata blocks."""
    try:
        return picturefile.without_metadata(data)
    except ValueError:  # blocks that do not add up, yet Pillow decoded it: its pixels only
        return _reencoded(data)


_SIGNATURES = ((b"\xff\xd8", "jpeg"), (b"\x89PNG", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def _kind(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    kinds = (kind for signature, kind in _SIGNATURES if data.startswith(signature))
    return next(kinds, "svg")  # the only other format presskit accepts


def _kept_tags(data: bytes) -> tuple[dict[str, object], dict[str, object], dict[str, object]]:
    """The allow-listed Exif, IPTC and XMP tags of ``data``, as Exiv2 reads them (a
    block it cannot read keeps nothing), the orientation as Pillow reads it."""
    pyexiv2 = _pyexiv2()
    blocks: list[dict[str, object]] = []
    with _LOCK:
        pyexiv2.set_log_level(4)  # errors are raised, not printed
        try:
            with pyexiv2.ImageData(data) as image:
                for read, kept in (
                    (image.read_exif, KEPT_EXIF),
                    (image.read_iptc, KEPT_IPTC),
                    (image.read_xmp, KEPT_XMP),
                ):
                    blocks.append(_allowed(read, kept))
        except RuntimeError:
            blocks = [{}, {}, {}]
    exif, iptc, xmp = blocks
    exif.pop("Exif.Image.Orientation", None)  # read by Pillow, as the renderers read it
    return exif | _orientation(data), iptc, xmp


def _allowed(read: Callable[[], dict[str, object]], kept: Collection[str]) -> dict[str, object]:
    """A block's allow-listed tags; none when Exiv2 cannot read it."""
    with contextlib.suppress(RuntimeError, UnicodeDecodeError, ValueError):
        return {k: v for k, v in read().items() if k in kept}
    return {}


def _orientation(data: bytes) -> dict[str, object]:
    """The Exif orientation as Pillow reads it (and WeasyPrint with it), when it turns
    the picture."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # damaged Exif: it is dropped, as Pillow says
        with Image.open(io.BytesIO(data)) as image:
            orientation = image.getexif().get(0x0112)
    if isinstance(orientation, int) and 2 <= orientation <= 8:
        return {"Exif.Image.Orientation": str(orientation)}
    return {}


def _written(
    data: bytes, exif: dict[str, object], iptc: dict[str, object], xmp: dict[str, object]
) -> bytes:
    pyexiv2 = _pyexiv2()
    with _LOCK:
        pyexiv2.set_log_level(4)
        with pyexiv2.ImageData(data) as image:
            if exif:
                image.modify_exif(exif)
            if iptc:
                image.modify_iptc(iptc)
            if xmp:
                image.modify_xmp(xmp)
            return bytes(image.get_bytes())


def _reencoded(data: bytes) -> bytes:
    """The picture decoded and encoded again with its colour profile only: for the
    rare file whose blocks cannot be sorted."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # damaged Exif: it is dropped
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or "PNG"
            profile = image.info.get("icc_profile")
            buffer = io.BytesIO()
            options: dict[str, Any] = {"icc_profile": profile} if profile else {}
            if fmt == "JPEG":
                options["quality"] = 95
            elif fmt == "WEBP":
                options["lossless"] = True
            if getattr(image, "n_frames", 1) > 1:
                options["save_all"] = True  # every frame of an animation
            image.save(buffer, format=fmt, **options)
            return buffer.getvalue()


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
    """An XMP language alternative: the first text as ``x-default``, then each language's own."""
    default = {'lang="x-default"': next(iter(texts.values()))}
    if list(texts) == ["x"]:  # a text of no language in particular (the rights)
        return default
    return default | {f'lang="{lang}"': text for lang, text in texts.items()}


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
