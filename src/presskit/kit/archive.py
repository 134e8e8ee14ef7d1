"""The press kit as one download: ``<slug>/<slug>-press-kit.zip``.

It holds every language's PDF and Word file, the logos and photos as supplied (the
original image data, with their caption, credit and alt text written into their
metadata by :mod:`presskit.render.photometa`), with a captions-and-credits text file
per language, and
``manifest.json`` listing each file with its SHA-256 and size. Entry names are built
here from the slug, the language and a counter (never taken raw from content), are
plain ASCII, sorted, and dated like the Word files, so the archive is reproducible.
:mod:`presskit.kit.build` writes it atomically with the documents.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from presskit.content.model import Image, PressRelease
from presskit.content.typography import typeset_text
from presskit.kit.invite import invite_name
from presskit.render.kitview import kit_stem
from presskit.render.view import theme_strings
from presskit.theme.folder import Theme

_SAFE = re.compile(r"[^a-z0-9]+")


def kit_path(out_root: Path, slug: str) -> Path:
    """Where the ZIP goes."""
    return out_root / slug / f"{slug}-press-kit.zip"


def entry_stem(text: str, fallback: str) -> str:
    """An ASCII file-name stem from ``text``: lower case, digits and dashes, 60 bytes,
    cut between words."""
    from slugify import slugify

    return (slugify(text, max_length=60, word_boundary=True) or "").strip("-") or fallback


def entries(
    releases: list[PressRelease],
    documents: dict[str, dict[str, bytes]],
    theme: Theme | None = None,
    slug: str | None = None,
) -> dict[str, bytes]:
    """Every member of the kit of ``releases`` (every language of the content, or some),
    by entry name; ``slug`` is the kit's (its first language's by default)."""
    slug = slug or releases[0].file_stem
    members = {
        f"{r.language}/{_document_name(fmt, slug, r.language, theme)}": data
        for r in releases
        for fmt, data in documents.get(r.language, {}).items()
        if fmt in _ARCHIVED
    }
    members |= captioned_pictures(releases) | _caption_files(releases, theme)
    members["manifest.json"] = _manifest(slug, releases, members)
    return dict(sorted(members.items()))


_ARCHIVED = ("pdf", "docx", "ics", "kit-pdf", "kit-docx")
"""The documents a kit's ZIP holds (not the HTML pages)."""


def _document_name(fmt: str, slug: str, language: str, theme: Theme | None) -> str:
    """A document's file name: ``<slug>.pdf``, its invitation's, its press kit document's."""
    if fmt.startswith("kit-"):
        return f"{kit_stem(slug, theme_strings(language, theme))}.{fmt.removeprefix('kit-')}"
    return invite_name(slug, language) if fmt == "ics" else f"{slug}.{fmt}"


def _caption_files(releases: list[PressRelease], theme: Theme | None) -> dict[str, bytes]:
    """Each language's ``photos/captions-<lang>.txt``, when the kit has photos."""
    names = [name.removeprefix("photos/") for name in photo_names(releases[0])]
    return {
        f"photos/captions-{r.language}.txt": captions(r, names, theme) for r in releases if names
    }


def _manifest(slug: str, releases: list[PressRelease], members: dict[str, bytes]) -> bytes:
    """manifest.json: the kit's slug, languages, and each member's size and SHA-256."""
    languages = [r.language for r in releases]
    manifest = {"slug": slug, "languages": languages, "files": _listed(members)}
    return (json.dumps(manifest, indent=2, ensure_ascii=True) + "\n").encode()


def _listed(members: dict[str, bytes]) -> list[dict[str, object]]:
    """Each member's name, size and SHA-256, in name order."""
    return [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(members.items())
    ]


def captions(release: PressRelease, names: list[str], theme: Theme | None = None) -> bytes:
    """The captions-and-credits file of one language: each photo's entry name, its
    caption and its credit, worded and typeset like the documents ("Crédit : ©…")."""
    words = theme_strings(release.language, theme)
    credit = words["label_colon"].format(label=words["credit"])
    blocks = [
        f"{name}\n  {typeset_text(photo.caption, release.language, theme)}\n"
        f"  {credit} {typeset_text(photo.credit, release.language, theme)}\n"
        for name, photo in zip(names, release.photos, strict=True)
    ]
    return "\n".join(blocks).encode("utf-8")


def logo_names(release: PressRelease) -> dict[str, tuple[str, Image]]:
    """``logos/NN-owner.ext`` -> (owner, logo) for the issuer's and each ecosystem's."""
    logos = [("issuer", release.issuer.name, release.issuer.logo)]
    logos += [
        (f"ecosystem-{i + 1}", e.display_label, e.logo) for i, e in enumerate(release.ecosystems)
    ]
    return {
        f"logos/{index:02d}-{entry_stem(owner, role)}{_suffix(logo.path)}": (owner, logo)
        for index, (role, owner, logo) in enumerate(logos, start=1)
        if logo is not None
    }


def photo_names(release: PressRelease) -> list[str]:
    """``photos/NN-what-it-shows.ext`` for each photo, in order."""
    return [
        f"photos/{index:02d}-{entry_stem(photo.alt, 'photo')}{_suffix(photo.path)}"
        for index, photo in enumerate(release.photos, start=1)
    ]


def captioned_pictures(releases: list[PressRelease]) -> dict[str, bytes]:
    """Every logo and photo, by entry name, with its caption, credit, copyright and
    alt text (in every language) written into its metadata."""
    from presskit.render import photometa

    first, languages = releases[0], [r.language for r in releases]
    pictures: dict[str, bytes] = {}
    logos_by_language = [list(logo_names(r).values()) for r in releases]
    for index, (name, (owner, logo)) in enumerate(logo_names(first).items()):
        versions = [logos[index][1] for logos in logos_by_language]
        caption = photometa.logo_caption(versions, languages, owner)
        pictures[name] = photometa.embed(logo.path.read_bytes(), caption)
    for index, name in enumerate(photo_names(first)):
        photos = [r.photos[index] for r in releases]
        caption = photometa.photo_caption(photos, languages)
        pictures[name] = photometa.embed(photos[0].path.read_bytes(), caption)
    return pictures


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"


def archive(members: dict[str, bytes], release: PressRelease) -> bytes:
    """The ZIP's bytes, every member dated like the release (reproducible)."""
    from presskit.util.reproducible import build_date, zip_bytes

    return zip_bytes(members.items(), build_date(release.dateline.date))
