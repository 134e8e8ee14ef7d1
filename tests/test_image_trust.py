"""Hostile pictures and private photo metadata, from the outside.

A logo or photo is the one input presskit passes on to every reader: what ``check``
accepts, every renderer draws, within bounded memory and time; what it refuses is
refused with one message naming the content file, the key path and the line, never a
traceback. And nothing private leaves presskit with a picture: a photo straight from
a camera says where it was taken, with which camera and whose it is; every copy that
presskit publishes (ZIP, Word file, HTML page, newsroom) keeps only its orientation,
colour profile, caption, credit and copyright.
"""

from __future__ import annotations

import base64
import io
import json
import re
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.image.image import Image as DocxImage
from PIL import Image, ImageCms

from presskit.cli import main
from presskit.render import photometa

from .conftest import scan_data

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'

# A wind-farm cooperative's release in English and German.
CONTENT = """\
languages: [en, de]
issuer:
  name: Nordwind Genossenschaft
  logo: {file: LOGO, alt: {en: Nordwind mark, de: Bildmarke von Nordwind}}
headline: {en: Twelve turbines for the island, de: Zwölf Windräder für die Insel}
dateline: {city: Husum, date: 2024-09-14}
lead: {en: The cooperative votes today., de: Die Genossenschaft stimmt heute ab.}
"""
LOGO_LINE = next(n for n, line in enumerate(CONTENT.splitlines(), 1) if "logo:" in line)


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test builds without the user's cache (nothing comes from an earlier run)."""
    monkeypatch.setenv("PRESSKIT_CACHE_DIR", str(tmp_path / "cache"))


def content_with_logo(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    path = folder / "release.yaml"
    path.write_text(CONTENT.replace("LOGO", name), encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The command as a user runs it: its exit status and what it printed on stderr."""
    status = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return status, err


def assert_refused(
    path: Path, name: str, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` and ``build`` both refuse the logo, naming file, line and key path,
    and ``build`` writes nothing."""
    expected = f"{path}:{LOGO_LINE}: issuer.logo.file: image '{name}' "
    status, err = run(["check", str(path)], capsys)
    assert status == 1, err
    assert expected in err and fragment in err, err
    out = tmp_path / "out"
    status, err = run(["build", str(path), "-o", str(out)], capsys)
    assert status == 1, err
    assert expected in err and fragment in err, err
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


# ------------------------------------------------------------------- hostile SVG


def svg(body: str, attributes: str = "viewBox='0 0 40 10'") -> str:
    return f"<svg {SVG_NS} {XLINK} {attributes}>{body}</svg>"


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: only its header is ever read."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def embedded(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (4, 4), 1).save(buffer, "GIF")
    return buffer.getvalue()


def fan_out(levels: int, copies: int) -> str:
    """Each group drawing the previous one ``copies`` times: copies**levels shapes
    from a few hundred bytes (the "billion laughs" of <use>)."""
    groups = ["<g id='g0'><rect width='1' height='1'/></g>"]
    for level in range(1, levels + 1):
        uses = "".join(f"<use href='#g{level - 1}'/>" for _ in range(copies))
        groups.append(f"<g id='g{level}'>{uses}</g>")
    return svg(f"<defs>{''.join(groups)}</defs><use href='#g{levels}'/>")


def chain(length: int) -> str:
    """Each group drawing the next: nesting as deep as ``length``."""
    groups = "".join(f"<g id='c{i}'><use href='#c{i + 1}'/></g>" for i in range(length))
    return svg(f"<defs>{groups}<g id='c{length}'><rect width='1' height='1'/></g></defs>"
               "<use href='#c0'/>")  # fmt: skip


HOSTILE_SVGS: dict[str, tuple[bytes, str]] = {
    "utf-16 with entities": (
        (
            '<?xml version="1.0" encoding="UTF-16"?>'
            '<!DOCTYPE svg [<!ENTITY w "Wind">]>' + svg("<text>&w;&w;</text>")
        ).encode("utf-16"),
        "declares a DOCTYPE or entities",
    ),
    "utf-16 external dtd": (
        (
            '<?xml version="1.0" encoding="UTF-16"?>'
            '<!DOCTYPE svg SYSTEM "file:///etc/passwd">' + svg("<rect width='1' height='1'/>")
        ).encode("utf-16-be"),
        "declares a DOCTYPE or entities",
    ),
    "infinite viewBox": (svg("", "viewBox='0 0 inf 10'").encode(), "has an unreadable viewBox"),
    "nan viewBox": (svg("", "viewBox='0 0 nan nan'").encode(), "has an unreadable viewBox"),
    "huge viewBox": (
        svg("<rect width='1' height='1'/>", "viewBox='0 0 1e308 1e308'").encode(),
        "out of any sensible range",
    ),
    "tiny viewBox": (
        svg("<rect width='1' height='1'/>", "viewBox='0 0 1e-300 1e-300'").encode(),
        "out of any sensible range",
    ),
    "huge width": (
        svg("", "width='9" + "9" * 400 + "' height='10'").encode(),
        "out of any sensible range",
    ),
    "use of itself": (
        svg("<g id='mill'><rect width='4' height='4'/><use href='#mill' x='5'/></g>").encode(),
        "draws #mill inside itself",
    ),
    "use of the root": (
        svg("<use xlink:href='#top'/>", "id='top' viewBox='0 0 40 10'").encode(),
        "inside itself",
    ),
    "use cycle through three groups": (
        svg(
            "<defs><g id='blade'><use href='#hub'/></g><g id='hub'><use href='#tower'/></g>"
            "<g id='tower'><use href='#blade'/></g></defs><use href='#blade'/>"
        ).encode(),
        "inside itself",
    ),
    "pattern filled with itself by a stylesheet": (
        svg(
            "<style>.sea { fill: url(#waves) }</style>"
            "<pattern id='waves' width='4' height='4'><rect class='sea' width='2' height='2'/>"
            "</pattern><rect class='sea' width='40' height='10'/>"
        ).encode(),
        "draws #waves inside itself",
    ),
    "one id on two elements, one drawing the other": (
        svg(
            "<g id='mast'><rect width='1' height='1'/></g><g id='mast'><use href='#mast'/></g>"
        ).encode(),
        "has several elements with the id 'mast'",
    ),
    "a billion shapes from <use>": (fan_out(9, 10).encode(), "draws more than 50,000 shapes"),
    "nesting without end": (chain(150).encode(), "nests its shapes more than 100 deep"),
    "huge embedded picture": (
        svg(
            f"<image width='40' height='10' href='{embedded(png_header(20000, 20000))}'/>"
        ).encode(),
        "embeds a picture of more than 40 million pixels",
    ),
    "embedded pictures drawn over and over": (
        svg(
            f"<defs><image id='p' width='4' height='4' href='{embedded(png_header(3000, 3000))}'/>"
            "</defs>" + "<use href='#p'/>" * 6
        ).encode(),
        "embedded pictures of more than 40 million pixels in all",
    ),
    "embedded picture that is not one": (
        svg(f"<image width='4' height='4' href='{embedded(gif(), 'image/png')}'/>").encode(),
        "embeds a GIF picture",
    ),
    "escaped @import": (
        svg("<style>@\\69mport 'https://tracker.example/a.css';</style>").encode(),
        "imports a stylesheet",
    ),
    "escaped @import, long form, with a comment": (
        svg(
            "<style>/* brand */@\\000069 mport/**/url(https://tracker.example/a.css);</style>"
        ).encode(),
        "imports a stylesheet",
    ),
    "upper-case @IMPORT in CDATA": (
        svg("<style><![CDATA[@IMPORT 'https://tracker.example/a.css';]]></style>").encode(),
        "imports a stylesheet",
    ),
    "escaped url() in a style attribute": (
        svg("<rect width='4' height='4' style='fill: u\\72l(file:///etc/hostname)'/>").encode(),
        "refers to 'file:///etc/hostname'",
    ),
    "escaped url() in a stylesheet": (
        svg("<style>rect { fill: \\75 rl( 'https://tracker.example/p.png' ) }</style>").encode(),
        "refers to 'https://tracker.example/p.png'",
    ),
    "picture embedded in CSS": (
        svg(f"<rect width='4' height='4' style='fill: url({embedded(gif())})'/>").encode(),
        "embeds data in its CSS",
    ),
    "url() split by a comment": (
        svg("<style>rect { fill: url(/**/'https://tracker.example/p.png') }</style>").encode(),
        "has an unreadable url()",
    ),
    "xml-stylesheet before the drawing": (
        (
            '<?xml version="1.0"?><?xml-stylesheet type="text/css" '
            'href="https://tracker.example/a.css"?>' + svg("<rect width='1' height='1'/>")
        ).encode(),
        "links a stylesheet (<?xml-stylesheet?>)",
    ),
    "xml-stylesheet inside the drawing": (
        svg(
            "<?xml-stylesheet href='https://tracker.example/a.css'?><rect width='1' height='1'/>"
        ).encode(),
        "links a stylesheet",
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_SVGS))
def test_hostile_svg_logo_is_refused_by_check_and_build(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, fragment = HOSTILE_SVGS[kind]
    path = content_with_logo(tmp_path / "content", "mark.svg", data)
    assert_refused(path, "mark.svg", fragment, tmp_path, capsys)


PLAIN_BUT_RICH_SVG = svg(
    # What design tools export: classes styled by a stylesheet with gradients, a
    # shape reused by <use> (no cycle), an embedded photo, an XMP packet, comments.
    "<!-- Generator: a design tool -->"
    "<metadata><?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x/><?xpacket end='w'?>"
    "</metadata>"
    "<style>.blade { fill: url(#steel) } /* brand colours */</style>"
    "<defs><linearGradient id='steel'><stop offset='0' stop-color='#789'/>"
    "<stop offset='1' stop-color='#def'/></linearGradient>"
    "<g id='turbine'><rect class='blade' width='2' height='8'/></g>"
    "<g id='pair'><use href='#turbine'/><use href='#turbine' x='3'/></g></defs>"
    "<use href='#pair'/><use href='#pair' x='8'/>"
    f"<image x='20' width='16' height='8' href='{embedded(png_header(1, 1), 'image/png')}'/>",
)


def test_a_rich_but_plain_svg_is_accepted_in_utf16_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusals above are no false alarms: a design tool's export passes, and
    every renderer draws it, whatever its encoding."""
    photo = io.BytesIO()
    Image.new("RGB", (16, 8), "seagreen").save(photo, "PNG")
    text = PLAIN_BUT_RICH_SVG.replace(embedded(png_header(1, 1)), embedded(photo.getvalue()))
    data = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")
    path = content_with_logo(tmp_path / "content", "mark.svg", data)
    assert run(["check", str(path)], capsys)[0] == 0
    out = tmp_path / "out"
    status, err = run(["build", str(path), "-o", str(out), "--format", "docx"], capsys)
    assert status == 0, err
    documents = list(out.rglob("*.docx"))
    assert len(documents) == 2  # English and German
    for document in documents:
        assert len(docx.Document(str(document)).inline_shapes) == 1


# ----------------------------------------------------------------- raster images


def icc_profile() -> bytes:
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def jpeg(mode: str = "RGB", size: tuple[int, int] = (300, 100), **options: object) -> bytes:
    buffer = io.BytesIO()
    colour = (0, 160, 200, 0) if mode == "CMYK" else (40, 90, 160)
    Image.new(mode, size, colour).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def with_segment(data: bytes, marker: int, payload: bytes) -> bytes:
    """``data`` with one more segment right after its start-of-image marker."""
    return (
        data[:2] + bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload + data[2:]
    )


DAMAGED_PROFILE = b"\x00\x00\x02\x0cwind" + b"acsp" * 120  # the size says 524; it is not one


@pytest.mark.parametrize("mode", ["CMYK", "RGB"])
def test_a_damaged_colour_profile_is_refused_clearly(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = content_with_logo(
        tmp_path / "content", "print.jpg", jpeg(mode, icc_profile=DAMAGED_PROFILE)
    )
    assert_refused(path, "print.jpg", "has a damaged colour profile (ICC)", tmp_path, capsys)


TIFF = b"MM\x00\x2a\x00\x00\x00\x08"
MALFORMED_EXIF = {
    # An entry count far past the end (python-docx read past it and crashed).
    "count past the end": TIFF + b"\xff\xff" + b"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00",
    "first directory past the end": b"MM\x00\x2a\x7f\xff\xff\xff",
    "a directory that contains itself": TIFF + b"\x00\x01"
    + b"\x87\x69\x00\x04\x00\x00\x00\x01\x00\x00\x00\x08" + b"\x00\x00\x00\x08",
    "a tag of no known type": TIFF + b"\x00\x01"
    + b"\x01\x12\x00\x63\xff\xff\xff\xff\x00\x00\x00\x08" + b"\x00\x00\x00\x00",
    "cut after the byte order": b"MM",
    "orientation given as text": TIFF + b"\x00\x01"
    + b"\x01\x12\x00\x02\x00\x00\x00\x10\x00\x00\x00\x1a" + b"\x00\x00\x00\x00" + b"x" * 16,
}  # fmt: skip


ODD_JPEGS = {f"Exif: {k}": (0xE1, b"Exif\x00\x00" + v) for k, v in MALFORMED_EXIF.items()} | {
    # python-docx looks for JFIF or Exif first, and did not recognise the picture.
    "a comment before the JFIF marker": (0xFE, b"shot from the quay"),
}


@pytest.mark.parametrize("kind", sorted(ODD_JPEGS))
def test_a_jpeg_with_malformed_exif_that_check_accepts_renders_everywhere(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = with_segment(jpeg(), *ODD_JPEGS[kind])
    path = content_with_logo(tmp_path / "content", "phone.jpg", data)
    assert run(["check", str(path)], capsys)[0] == 0
    out = tmp_path / "out"
    status, err = run(["build", str(path), "-o", str(out)], capsys)
    assert status == 0, err
    for document in out.rglob("*.docx"):
        shapes = docx.Document(str(document)).inline_shapes
        assert len(shapes) == 1 and shapes[0].width / shapes[0].height == pytest.approx(3)
        with zipfile.ZipFile(document) as archive:
            [media] = [n for n in archive.namelist() if n.startswith("word/media/")]
            DocxImage.from_blob(archive.read(media))  # python-docx reads what it embedded
    assert len(list(out.rglob("*.pdf"))) == 2 and len(list(out.rglob("*.zip"))) == 1


# ------------------------------------------------------- private photo metadata

# Written into the supplied pictures; none may leave presskit.
SECRETS = {
    "serial": "SN-4471-KESTREL",
    "lens serial": "LS-0092-FULMAR",
    "owner": "Henrike Privatbesitz",
    "place": "Deichstrasse 41 Hinterhof",
    "city": "Geheimkoog",
    "history": "saved by a photo editor at the owner's home",
    "vendor": "VENDOR-TRACKING-7731",
    "comment": "not for publication: the owner's phone 0171 5550199",
}
ORIGINAL = {  # the supplied photo's own caption, credit and copyright
    "caption": "Rotor blade at the quay, before lifting",
    "credit": "Jonas Weddig / Küstenbild",
    "copyright": "© Jonas Weddig",
}
PHOTOS = """\
photos:
  - file: blade.jpg
    alt: {en: A rotor blade on a quay, de: Ein Rotorblatt am Kai}
    caption: {en: The first blade arrives in Husum, de: Das erste Rotorblatt erreicht Husum}
    credit: © Jonas Weddig / Küstenbild
  - file: site-plan.png
    alt: {en: Plan of the twelve turbines, de: Plan der zwölf Windräder}
    caption: {en: Where the turbines will stand, de: Wo die Windräder stehen werden}
    credit: Nordwind Genossenschaft
  - file: crane.gif
    alt: {en: A crane lifting a nacelle, de: Ein Kran hebt eine Gondel}
    caption: {en: The nacelle goes up, de: Die Gondel wird gehoben}
    credit: Nordwind Genossenschaft
  - file: tide.webp
    alt: {en: The quay at high tide, de: Der Kai bei Flut}
    caption: {en: High tide at the quay, de: Flut am Kai}
    credit: © Jonas Weddig / Küstenbild
"""
PRIVATE_TAG = re.compile(
    r"GPS|Serial|Owner|Location|City|Country|State|Sublocation|History|MakerNote|Comment"
    r"|Author|Artist|Software|Make|Model|Lens|DateTime|Thumbnail|Preview|DocumentID"
    r"|InstanceID|Creator ?Tool|Address",
    re.IGNORECASE,
)


def private_jpeg() -> bytes:
    """A photo as a camera and an editor leave it: GPS, serial numbers, owner, XMP
    location and history, a vendor's own segment, a comment, a thumbnail; and its own
    caption, credit, copyright, colour profile and orientation."""
    data = jpeg(size=(320, 200), icc_profile=icc_profile(), quality=90)
    pyexiv2 = photometa._pyexiv2()
    with pyexiv2.ImageData(data) as image:
        image.modify_exif(
            {
                "Exif.Image.Orientation": "6",
                "Exif.Image.Make": "Kestrel",
                "Exif.Image.Model": "K-1 Field",
                "Exif.Image.Artist": SECRETS["owner"],
                "Exif.Photo.BodySerialNumber": SECRETS["serial"],
                "Exif.Photo.LensSerialNumber": SECRETS["lens serial"],
                "Exif.Photo.CameraOwnerName": SECRETS["owner"],
                "Exif.Photo.DateTimeOriginal": "2024:09:10 06:12:00",
                "Exif.GPSInfo.GPSLatitudeRef": "N",
                "Exif.GPSInfo.GPSLatitude": "54/1 28/1 4512/100",
                "Exif.GPSInfo.GPSLongitudeRef": "E",
                "Exif.GPSInfo.GPSLongitude": "9/1 3/1 1234/100",
                "Exif.Image.Copyright": ORIGINAL["copyright"],
            }
        )
        image.modify_iptc(
            {
                "Iptc.Envelope.CharacterSet": "\x1b%G",
                "Iptc.Application2.Caption": ORIGINAL["caption"],
                "Iptc.Application2.Credit": ORIGINAL["credit"],
                "Iptc.Application2.Copyright": ORIGINAL["copyright"],
                "Iptc.Application2.City": SECRETS["city"],
                "Iptc.Application2.SubLocation": SECRETS["place"],
            }
        )
        image.modify_xmp(
            {
                "Xmp.dc.description": {'lang="x-default"': ORIGINAL["caption"]},
                "Xmp.photoshop.Credit": ORIGINAL["credit"],
                "Xmp.dc.rights": {'lang="x-default"': ORIGINAL["copyright"]},
                "Xmp.photoshop.City": SECRETS["city"],
                "Xmp.iptc.Location": SECRETS["place"],
                "Xmp.exif.GPSLatitude": "54,28.752N",
                "Xmp.aux.SerialNumber": SECRETS["serial"],
                "Xmp.xmpMM.History": SECRETS["history"],
            }
        )
        data = bytes(image.get_bytes())
    data = with_segment(data, 0xEB, b"JP\x00\x01" + SECRETS["vendor"].encode())  # APP11
    return with_segment(data, 0xFE, SECRETS["comment"].encode())  # COM


def private_png() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", SECRETS["owner"])
    text.add_itxt("Comment", SECRETS["comment"])
    exif = Image.Exif()
    exif[0x0131] = SECRETS["vendor"]  # Software
    buffer = io.BytesIO()
    Image.new("RGB", (240, 160), "darkolivegreen").save(
        buffer, "PNG", pnginfo=text, exif=exif.tobytes(), icc_profile=icc_profile()
    )
    pyexiv2 = photometa._pyexiv2()
    with pyexiv2.ImageData(buffer.getvalue()) as image:
        image.modify_exif({"Exif.Photo.BodySerialNumber": SECRETS["serial"]})
        image.modify_xmp({"Xmp.iptc.Location": SECRETS["place"]})
        return bytes(image.get_bytes())


def private_webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 160), "steelblue").save(
        buffer, "WEBP", icc_profile=icc_profile(), exif=Image.Exif().tobytes()
    )
    pyexiv2 = photometa._pyexiv2()
    with pyexiv2.ImageData(buffer.getvalue()) as image:
        image.modify_exif(
            {
                "Exif.Photo.BodySerialNumber": SECRETS["serial"],
                "Exif.Photo.CameraOwnerName": SECRETS["owner"],
                "Exif.GPSInfo.GPSLatitudeRef": "N",
                "Exif.GPSInfo.GPSLatitude": "54/1 28/1 4512/100",
            }
        )
        image.modify_xmp({"Xmp.iptc.Location": SECRETS["place"]})
        return bytes(image.get_bytes())


def private_gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (200, 120), 5).save(buffer, "GIF", comment=SECRETS["comment"].encode())
    data = buffer.getvalue()
    # An application's own data (XMP, as some editors write it into GIF).
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes((len(SECRETS["owner"]),)) + SECRETS["owner"].encode()
    return data[:-1] + xmp + b"\x00" + data[-1:]


def private_svg() -> bytes:
    """A logo as an editor saves it: the designer's files and name in its metadata,
    and an embedded photo carrying GPS."""
    inkscape = "http://www.inkscape.org/namespaces/inkscape"
    sodipodi = "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
    text = (
        f"<svg {SVG_NS} {XLINK} xmlns:inkscape='{inkscape}' xmlns:sodipodi='{sodipodi}' "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/' viewBox='0 0 60 20' "
        f"sodipodi:docname='/home/{SECRETS['owner']}/logo.svg' "
        f"inkscape:export-filename='/home/{SECRETS['place']}/logo.png'>"
        f"<metadata><rdf:RDF><rdf:Description><dc:creator>{SECRETS['owner']}</dc:creator>"
        "</rdf:Description></rdf:RDF></metadata>"
        f"<sodipodi:namedview inkscape:document-units='{SECRETS['city']}'/>"
        f"<!-- {SECRETS['comment']} -->"
        "<rect width='40' height='20' fill='#246'/>"
        f"<image x='40' width='20' height='20' href='{embedded(private_jpeg(), 'image/jpeg')}'/>"
        "</svg>"
    )
    return text.encode()


def published_pictures(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every picture presskit wrote under ``folder``: picture files, ZIP and DOCX
    members, HTML ``data:`` URIs, and the pictures embedded in those SVGs."""

    def pictures(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield from pictures(f"{name}!{member}", archive.read(member))
        elif name.endswith((".html", ".svg")):
            text = data.decode("utf-8", "replace")
            if name.endswith(".svg"):
                yield name, data
            for index, found in enumerate(
                re.finditer(r"data:image/[a-z+]+;base64,([^'\")]+)", text)
            ):
                yield from pictures(f"{name}#{index}", base64.b64decode(found.group(1)))
        elif data.startswith((b"\xff\xd8", b"\x89PNG", b"GIF8")) or data[8:12] == b"WEBP":
            yield name, data
        elif data.lstrip().startswith((b"<?xml", b"<svg")) and b"<svg" in data[:400]:
            yield from pictures(f"{name}.svg", data)

    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield from pictures(str(path.relative_to(folder)), path.read_bytes())


def container(name: str) -> str:
    """What a published picture was found in: the HTML page or SVG holding it as a
    ``data:`` URI, the ZIP or DOCX holding it as a member, or the file itself."""
    if "#" in name:
        return name.split("#")[0]
    return name.rsplit("!", 1)[0] if "!" in name else name


def exiftool(data: bytes, folder: Path) -> dict[str, object]:
    path = folder / "picture"
    path.write_bytes(data)
    out = subprocess.run(
        ["exiftool", "-json", "-G1", "-a", "-n", "-charset", "iptc=utf8", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tags: dict[str, object] = json.loads(out)[0]
    return {k: v for k, v in tags.items() if not k.startswith(("System:", "File:", "ExifTool:"))}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The release with private pictures, built (every format) and published as a
    newsroom, as a user runs the two commands."""
    folder = tmp_path_factory.mktemp("private")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PRESSKIT_CACHE_DIR", str(folder / "cache"))
    content = folder / "content"
    content.mkdir()
    (content / "blade.jpg").write_bytes(private_jpeg())
    (content / "site-plan.png").write_bytes(private_png())
    (content / "crane.gif").write_bytes(private_gif())
    (content / "tide.webp").write_bytes(private_webp())
    (content / "mark.svg").write_bytes(private_svg())
    path = content / "release.yaml"
    path.write_text(CONTENT.replace("LOGO", "mark.svg") + PHOTOS, encoding="utf-8")
    try:
        assert main(["build", str(path), "-o", str(folder / "out")]) == 0
        assert main(["site", str(path), "-o", str(folder / "site")]) == 0
    finally:
        monkeypatch.undo()
    return {"content": content, "out": folder / "out", "site": folder / "site"}


@pytest.mark.parametrize("where", ["out", "site"])
def test_no_published_picture_carries_private_metadata(
    published: dict[str, Path], where: str, tmp_path: Path
) -> None:
    pictures = dict(published_pictures(published[where]))
    places = {name.split("!")[0].split("#")[0].rsplit(".", 1)[-1] for name in pictures}
    assert {"zip", "docx"} <= places  # every kind of copy was read
    if where == "out":
        assert "html" in places  # its pictures are data: URIs
    else:
        assert any("/photos/" in name and "!" not in name for name in pictures)
        assert any("/logos/" in name and "!" not in name for name in pictures)
    assert len(pictures) >= 12
    for name, data in pictures.items():
        for secret in SECRETS.values():
            assert secret.encode() not in data, (name, secret)
        if name.endswith(".svg"):
            assert b"metadata" not in data and b"inkscape" not in data, name
            continue
        tags = exiftool(data, tmp_path)
        # The colour profile is kept: its header names the device it describes.
        private = sorted(k for k in tags if PRIVATE_TAG.search(k) and not k.startswith("ICC"))
        assert private == [], (name, private)


def test_published_photos_keep_caption_credit_copyright_orientation_and_profile(
    published: dict[str, Path], tmp_path: Path
) -> None:
    """The ZIP and the newsroom carry the caption written from the content; the Word
    file and the HTML page carry the photo's own; all keep how to turn the photo and
    its colour profile, around the supplied compressed image data."""
    original = (published["content"] / "blade.jpg").read_bytes()
    copies = {
        name: data
        for where in ("out", "site")
        for name, data in published_pictures(published[where])
        if data.startswith(b"\xff\xd8") and scan_data(data) == scan_data(original)
    }
    assert {n.split("!")[0].split("#")[0].rsplit(".", 1)[-1] for n in copies} >= {
        "zip",
        "docx",
        "html",
        "jpg",
    }
    for name, data in copies.items():
        tags = exiftool(data, tmp_path)
        assert tags["IFD0:Orientation"] == 6, name
        assert "ICC_Profile:ProfileDescription" in tags, name
        # The ZIP's and the newsroom's files carry the caption written from the content.
        captioned = container(name).endswith(".zip") or container(name) == name
        if captioned:  # written from the content
            assert tags["IPTC:Caption-Abstract"] == "The first blade arrives in Husum", name
            assert tags["IPTC:Credit"] == "© Jonas Weddig / Küstenbild", name
            assert tags["IPTC:CopyrightNotice"] == "© Jonas Weddig / Küstenbild", name
            assert tags["XMP-dc:Description-de"] == "Das erste Rotorblatt erreicht Husum", name
        else:  # the photo's own
            assert tags["IPTC:Caption-Abstract"] == ORIGINAL["caption"], name
            assert tags["IPTC:Credit"] == ORIGINAL["credit"], name
            assert tags["IPTC:CopyrightNotice"] == ORIGINAL["copyright"], name
            assert tags["XMP-photoshop:Credit"] == ORIGINAL["credit"], name
        assert tags["IFD0:Copyright"] == ORIGINAL["copyright"], name


def test_the_published_logo_is_the_same_drawing(published: dict[str, Path]) -> None:
    """The SVG leaves without its editor's metadata, as the same drawing."""
    import cairosvg

    supplied = (published["content"] / "mark.svg").read_bytes()
    [shipped] = [
        data
        for name, data in published_pictures(published["out"])
        if name.endswith(".svg") and "!logos/" in name
    ]
    assert shipped != supplied

    def drawn(data: bytes) -> bytes:
        png = cairosvg.svg2png(bytestring=data, output_width=120)
        with Image.open(io.BytesIO(png)) as image:
            return image.convert("RGBA").tobytes()

    assert drawn(shipped) == drawn(supplied)


def test_shipped_gif_and_png_keep_their_pixels(published: dict[str, Path]) -> None:
    pictures = dict(published_pictures(published["out"]))
    for name in ("site-plan.png", "crane.gif", "tide.webp"):
        original = (published["content"] / name).read_bytes()
        suffix = name.rsplit(".", 1)[1]
        [shipped] = [d for n, d in pictures.items() if "!photos/" in n and n.endswith(suffix)]

        def pixels(data: bytes) -> bytes:
            with Image.open(io.BytesIO(data)) as image:
                return image.convert("RGBA").tobytes()

        assert pixels(shipped) == pixels(original)
        if name.endswith(".png"):
            assert scan_data(shipped) == scan_data(original)


def test_a_photo_whose_blocks_do_not_add_up_still_leaves_clean() -> None:
    """Bytes after a JPEG's end (a second picture, a depth map) are dropped, and a
    file whose segments cannot be sorted is encoded again without metadata."""
    data = private_jpeg()
    trailing = data + b"\xff\xd8" + SECRETS["vendor"].encode() + b"\xff\xd9"
    assert SECRETS["vendor"].encode() not in photometa.public_copy(trailing)[-200:]
    first = 4 + int.from_bytes(data[4:6], "big")  # junk after the first segment
    broken = data[:first] + b"\x00\x00" + SECRETS["serial"].encode() + data[first:]
    with Image.open(io.BytesIO(broken)) as image:
        image.load()  # which Pillow decodes, so check accepts it
    copy = photometa.public_copy(broken)
    assert SECRETS["serial"].encode() not in copy
    with Image.open(io.BytesIO(copy)) as image:
        assert image.size == (320, 200)
        assert image.getexif().get(0x0112) == 6  # still says how to turn it
        assert image.info.get("icc_profile") == icc_profile()
