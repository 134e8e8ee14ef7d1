"""A picture file without its metadata blocks, its compressed image data untouched.

Metadata lives in blocks of the file beside the image data: JPEG APPn and COM segments,
PNG ancillary chunks, WebP chunks, GIF extensions. :func:`without_metadata` keeps,
by an allow-list, only what draws the picture (the coding structure, the colour
profile, transparency, animation) and drops every other block, whatever it holds:
Exif (GPS, serial numbers, owner names, maker notes, thumbnails), XMP, IPTC,
comments, camera vendors' own segments, and data after the end of the image (a
second picture, a depth map). No library does this without decoding the picture and
encoding it again; the four formats are walked here block by block, each a length and
a kind, and a file whose blocks do not add up (which Pillow still decoded) raises
:class:`ValueError` for the caller to re-encode.

What is kept of the metadata (orientation, caption, credit, copyright) is written
back by :mod:`presskit.render.photometa` with Exiv2.
"""

from __future__ import annotations

import re
import struct

# JPEG: APPn segments kept, by marker and the signature their data starts with.
_JPEG_APP_KEPT = {
    0xE0: b"JFIF\x00",  # density; its thumbnail is cut off below
    0xE2: b"ICC_PROFILE\x00",  # the colour profile
    0xEE: b"Adobe",  # the colour transform of CMYK and YCCK pictures
}
_JFIF_LENGTH = 14  # identifier, version, units, densities, thumbnail width and height
# In entropy-coded data 0xFF is followed by 0x00 (stuffing) or a restart marker; any
# other byte after it is the next marker (fill bytes 0xFF may precede it).
_NEXT_MARKER = re.compile(rb"\xff(?![\x00\xd0-\xd7\xff])")
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length

# PNG: the chunks that draw the picture (critical, colour, transparency, animation).
_PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT",
    b"sRGB", b"cICP", b"mDCV", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL",
    b"fcTL", b"fdAT",
}  # fmt: skip

# WebP: image data, alpha, animation and the colour profile.
_WEBP_KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04

# GIF: application extensions kept (looping and the colour profile); graphic control
# and plain text extensions draw; comments and every other application's data go.
_GIF_APPS_KEPT = {b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"}


def without_metadata(data: bytes) -> bytes:
    """``data`` (JPEG, PNG, WebP or GIF) with only the blocks that draw the picture;
    any other data comes back as it is. Raise :class:`ValueError` for a file whose
    blocks do not add up."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _gif(data)
    except (IndexError, struct.error):
        raise ValueError("the picture's blocks do not add up") from None
    return data


def _jpeg(data: bytes) -> bytes:
    kept = [b"\xff\xd8"]
    pos = 2
    while True:
        marker, pos = _marker_at(data, pos)
        if marker == 0xD9:  # end of image: anything after it is dropped
            return b"".join([*kept, b"\xff\xd9"])
        if marker in _STANDALONE:
            kept.append(bytes((0xFF, marker)))
            continue
        body, pos = _segment_body(data, pos)
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and comments
            segment = _kept_app_segment(marker, body)
            kept += [segment] if segment is not None else []
            continue
        kept.append(_segment(marker, body))
        if marker == 0xDA:  # start of scan: its entropy-coded data runs to the next marker
            end = _scan_end(data, pos)
            kept.append(data[pos:end])
            pos = end
            if end == len(data):  # no end-of-image marker: what Pillow decoded ends here
                return b"".join(kept)


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data from ``pos`` ends: at the next marker, or at the
    end of the file when no marker follows."""
    found = _NEXT_MARKER.search(data, pos)
    return found.start() if found is not None else len(data)


def _marker_at(data: bytes, pos: int) -> tuple[int, int]:
    """The marker at ``pos`` (fill bytes skipped), and the position after it."""
    if data[pos] != 0xFF:
        raise ValueError("no marker where one should be")
    while data[pos] == 0xFF:  # fill bytes
        pos += 1
    return data[pos], pos + 1


def _segment_body(data: bytes, pos: int) -> tuple[bytes, int]:
    """The segment whose length is at ``pos``: its body, and the position after it."""
    (length,) = struct.unpack_from(">H", data, pos)
    if length < 2 or pos + length > len(data):
        raise ValueError("a segment runs past the end")
    return data[pos + 2 : pos + length], pos + length


def _kept_app_segment(marker: int, body: bytes) -> bytes | None:
    signature = _JPEG_APP_KEPT.get(marker)
    if signature is None or not body.startswith(signature):
        return None
    if marker == 0xE0:
        if len(body) < _JFIF_LENGTH:
            return None
        body = body[: _JFIF_LENGTH - 2] + b"\x00\x00"  # no thumbnail
    return _segment(marker, body)


def _segment(marker: int, body: bytes) -> bytes:
    """A JPEG segment: its marker, its length (counting itself) and its body."""
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def _png(data: bytes) -> bytes:
    kept = [data[:8]]
    pos = 8
    while True:
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("a chunk runs past the end")
        if kind in _PNG_KEPT:
            kept.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(kept)


def _webp(data: bytes) -> bytes:
    chunks = []
    pos = 12
    end = min(len(data), 8 + struct.unpack_from("<I", data, 4)[0])
    while pos + 8 <= end:
        kind = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        stop = pos + 8 + size + (size & 1)  # chunks are padded to an even size
        if pos + 8 + size > end:
            raise ValueError("a chunk runs past the end")
        chunk = data[pos:stop]
        if kind == b"VP8X":  # its flags no longer announce Exif or XMP
            flags = chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP)
            chunk = chunk[:8] + bytes((flags,)) + chunk[9:]
        if kind in _WEBP_KEPT:
            chunks.append(chunk)
        pos = stop
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _gif(data: bytes) -> bytes:
    pos = 13 + _colour_table_size(data[10])
    kept = [data[:pos]]
    while True:
        kind = data[pos]
        if kind == 0x3B:  # trailer
            kept.append(b"\x3b")
            return b"".join(kept)
        if kind == 0x2C:  # an image: descriptor, local colour table, LZW data
            start = pos
            pos += 10 + _colour_table_size(data[pos + 9])
            pos = _after_sub_blocks(data, pos + 1)
            kept.append(data[start:pos])
        elif kind == 0x21:  # an extension: its label, then sub-blocks
            start, label = pos, data[pos + 1]
            pos = _after_sub_blocks(data, pos + 2)
            application = data[start + 3 : start + 14] if label == 0xFF else b""
            if label in (0xF9, 0x01) or application in _GIF_APPS_KEPT:
                kept.append(data[start:pos])
        else:
            raise ValueError("an unknown block")


def _colour_table_size(packed: int) -> int:
    return 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0


def _after_sub_blocks(data: bytes, pos: int) -> int:
    """Where the sub-blocks starting at ``pos`` end (after their empty terminator)."""
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            if pos > len(data):
                raise ValueError("a block runs past the end")
            return pos
