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
    first = releases[0]
    slug = slug or first.file_stem
    members: dict[str, bytes] = {}
    for release in releases:
        members |= _document_members(release, documents.get(release.language, {}), slug, theme)
    members |= captioned_pictures(releases)
    names = [name.removeprefix("photos/") for name in photo_names(first)]
    if first.photos:
        for release in releases:
            members[f"photos/captions-{release.language}.txt"] = captions(release, names, theme)
    members["manifest.json"] = _manifest(slug, releases, members)
    return dict(sorted(members.items()))


def _document_members(
    release: PressRelease, documents: dict[str, bytes], slug: str, theme: Theme | None
) -> dict[str, bytes]:
    """One language's documents, by entry name: ``<lang>/<slug>.pdf``, its invitation,
    its press kit document."""
    language = release.language
    members: dict[str, bytes] = {}
    for fmt, data in sorted(documents.items()):
        if fmt in ("pdf", "docx"):
            members[f"{language}/{slug}.{fmt}"] = data
        elif fmt == "ics":
            members[f"{language}/{invite_name(slug, language)}"] = data
        elif fmt in ("kit-pdf", "kit-docx"):  # the press kit document
            stem = kit_stem(slug, theme_strings(language, theme))
            members[f"{language}/{stem}.{fmt.removeprefix('kit-')}"] = data
    return members


def _manifest(slug: str, releases: list[PressRelease], members: dict[str, bytes]) -> bytes:
    """manifest.json: the kit's slug, languages, and each member's size and SHA-256."""
    manifest = {
        "slug": slug,
        "languages": [r.language for r in releases],
        "files": [
            {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(members.items())
        ],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=True) + "\n").encode()


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
