"""``presskit site``: a static newsroom built from one or many content files.

The site is plain files: ``index.html`` (the languages), ``<lang>/index.html`` (the
releases, newest first), ``<lang>/<slug>.html`` (a release with its downloads, photos
and logos), ``<lang>/feed.atom``, ``sitemap.xml`` (with a base URL), ``style.css`` and
``files/<slug>/`` (each kit: documents, ZIP, invitation, captioned pictures).

URLs depend only on a release's slug and language, so a site rebuilt from a grown
folder keeps every address it had. Kits are rebuilt only when their fingerprint
changed (:mod:`presskit.newsroom.sources`); pages are always rendered again (they
are cheap) and written only when their bytes changed. Embargoed releases are left
out until their time, unless a preview is asked for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from presskit import atomic
from presskit.errors import BuildError, PresskitError

if TYPE_CHECKING:
    from presskit.newsroom.pages import Site
    from presskit.newsroom.sources import Source


@dataclass(frozen=True)
class SiteResult:
    """What a site build did."""

    releases: int
    built: list[str]
    skipped: list[str]
    embargoed: list[str]
    written: list[Path]
    seconds: float


def build_site(
    arguments: Sequence[Path],
    out: Path,
    *,
    include_embargoed: bool = False,
    base_url: str | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SiteResult:
    """Build (or bring up to date) the newsroom in ``out`` from the content files and
    folders in ``arguments``."""
    from presskit.newsroom import kits, pages, sources

    started = time.perf_counter()
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise PresskitError(f"--base-url {base_url!r}: give an http(s) address")
    base = None if base_url is None else base_url.rstrip("/") + "/"
    moment = now or dt.datetime.now(dt.UTC)
    files_root = out / pages.FILES
    state = sources.read_state(out)
    site_key = sources.site_fingerprint(base)
    known = state.get("sources", {}) if state.get("site") == site_key else {}
    found, to_load = [], []
    for path in sources.content_files(arguments):
        source = sources.remembered(path, known.get(sources.state_key(path)))
        if source is not None and _still_there(out, files_root, source):
            found.append(source)
        else:
            to_load.append(path)
    found += sources.load_sources(to_load)
    sources.refuse_shared_slugs(found)
    embargoed = [s for s in found if not include_embargoed and s.published > moment]
    shown = [s for s in found if s not in embargoed]
    stale = [s for s in shown if s.loaded and not kits.is_current(files_root, s)]
    report = (lambda s: progress(f"built {s.slug}")) if progress else None
    kits.build_kits(files_root, stale, report)
    site = pages.Site(out, base)
    documents = _documents(site, shown)
    documents[sources.STATE_FILE] = _state(site_key, found)
    try:
        written = write_changed(out, documents)
    except OSError as error:
        raise BuildError(f"cannot write {error.filename or out}: {error.strerror}") from None
    return SiteResult(
        releases=len(shown),
        built=[s.slug for s in stale],
        skipped=[s.slug for s in shown if s not in stale],
        embargoed=[s.slug for s in embargoed],
        written=[p for p in written if p.name != sources.STATE_FILE],
        seconds=time.perf_counter() - started,
    )


def _still_there(out: Path, files_root: Path, source: Source) -> bool:
    """Whether the kit and the pages of a remembered release are on disk as built."""
    from presskit.newsroom import kits

    pages_there = all((out / str(entry.get("path", ""))).is_file() for entry in source.entries)
    return pages_there and bool(source.entries) and kits.is_current(files_root, source)


def _documents(site: Site, shown: list[Source]) -> dict[str, bytes]:
    """The pages of the releases loaded (the others are unchanged on disk), every
    list and feed, the sitemap and the stylesheet, by path from the site's root."""
    from presskit.newsroom import pages

    documents = {"style.css": (pages.SITE_TEMPLATES / "site.css").read_bytes()}
    release_pages = pages.release_pages(site, [s for s in shown if s.loaded])
    for kit in pages.kit_pages(site, release_pages):
        documents[kit.path] = pages.render_kit(site, kit)
    for page in release_pages:
        documents[page.path] = pages.render_release(site, page)
    for source in shown:
        if source.loaded:
            own = [p for p in release_pages if p.source is source]
            source.entries = [dataclasses.asdict(pages.Entry.of(p)) for p in own]
    entries = [pages.Entry(**e) for s in shown for e in s.entries]
    languages = sorted({e.language for e in entries})
    for language in languages:
        own_entries = [e for e in entries if e.language == language]
        documents[f"{language}/index.html"] = pages.render_index(
            site, language, own_entries, languages
        )
        documents[f"{language}/feed.atom"] = pages.render_feed(site, language, own_entries)
    if languages:
        documents["index.html"] = pages.render_home(site, languages)
    sitemap = pages.render_sitemap(site, entries, languages)
    if sitemap is not None:
        documents["sitemap.xml"] = sitemap
    return documents


def _state(site_key: str, found: list[Source]) -> bytes:
    """What the next run needs to skip unchanged releases without loading them."""
    from presskit.newsroom.sources import state_key

    records = {state_key(s.path): s.record() for s in found if s.entries}
    state = {"site": site_key, "sources": dict(sorted(records.items()))}
    return (json.dumps(state, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def write_changed(out: Path, documents: dict[str, bytes]) -> list[Path]:
    """Write the documents whose bytes differ from what is there, all or none."""
    changed = []
    for name, data in sorted(documents.items()):
        path = out / name
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        changed.append((path, data))
    atomic.write_all(changed)
    return [path for path, _ in changed]
