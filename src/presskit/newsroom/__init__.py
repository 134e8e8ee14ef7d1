"""``presskit site``: a static newsroom built from one or many content files.

The site is plain files: ``index.html`` (the languages), ``<lang>/index.html`` (the
releases, newest first), ``<lang>/<slug>.html`` (a release with its downloads, photos
and logos), ``<lang>/feed.atom``, ``sitemap.xml`` (with a base URL), ``style.css`` and
``files/<slug>/`` (each kit: documents, ZIP, invitation, captioned pictures).

URLs depend only on a release's slug and language, so a site rebuilt from a grown
folder keeps every address it had. Kits are rebuilt only when their fingerprint or
public languages changed (:mod:`presskit.newsroom.sources`); pages are always rendered
again (they are cheap) and written only when their bytes changed.

Each language version is public from its own embargo's end (else its own date): one
not public yet leaves nothing in the site, not a page, an entry, a file, a ZIP member
or a caption in a picture's metadata, unless a private preview is asked for. The site
owns its folder: after a build it holds exactly the public site (anything else, such as
a preview's leftovers, is removed), and it refuses a folder holding files it did not
put there. What it remembers lives in the user's state folder
(:mod:`presskit.util.statedir`, keyed by the site folder's real path, private to the user),
never in the published folder; it is claimed there before the first file is written,
so an interrupted first build leaves a folder the next build knows as its own.

A release whose kit fails is named, the others are published, and its earlier pages
and files stay as they were (unless a language they show is not public any more). A
release without ``slug:`` is named after its first language's headline: while that
version is not public, the site refuses to publish the others under that name.

May import :mod:`presskit.kit` and everything below it; never mail, Word import, the
preview or the command line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presskit.util import atomic
from presskit.util.errors import BuildError, PresskitError

LEGACY_RECORD = ".presskit-site.json"
"""Where presskit before issue 19 kept a site's record: inside the published folder."""

if TYPE_CHECKING:
    from presskit.newsroom.pages import Entry, Site
    from presskit.newsroom.sources import Source
    from presskit.theme.folder import Theme


@dataclass(frozen=True)
class SiteResult:
    """What a site build did."""

    releases: int
    built: list[str]
    skipped: list[str]
    embargoed: list[str]
    """Releases with a version not public yet (left out, or shown in part)."""
    written: list[Path]
    seconds: float
    removed: list[Path] = dataclasses.field(default_factory=list)
    """Files of an earlier build that are no longer part of the site."""
    failed: list[tuple[Path, str]] = dataclasses.field(default_factory=list)
    """Content files whose kit could not be built, and why (with what became of their
    earlier pages and files: left as they were, unless a version they showed is not
    public any more)."""


def build_site(
    arguments: Sequence[Path],
    out: Path,
    *,
    include_embargoed: bool = False,
    base_url: str | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    theme: Path | None = None,
) -> SiteResult:
    """Build (or bring up to date) the newsroom in ``out`` from the content files and
    folders in ``arguments``: after it, ``out`` holds exactly the site of what is
    public at ``now`` (everything, for a private preview, with ``include_embargoed``),
    its kits and pages made with ``theme`` (a folder over the built-in theme)."""
    from presskit.newsroom.sources import theme_fingerprint
    from presskit.theme.folder import Theme
    from presskit.util import statedir

    # Absolute, symlinks kept: the files a build writes are named from the folder as
    # given, and a relative -o must name them as the pages link them.
    out = out.absolute()
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise PresskitError(f"--base-url {base_url!r}: give an http(s) address")
    base = None if base_url is None else base_url.rstrip("/") + "/"
    moment = now or dt.datetime.now(dt.UTC)
    state_folder = statedir.folder_for("sites", out)
    resolved = Theme.resolve(theme)
    key = theme_fingerprint(resolved)
    run = _Run(out, state_folder, base, moment, include_embargoed, progress, resolved, key)
    with site_lock(run.state_folder, out):
        return _build_site(arguments, run)


@dataclass(frozen=True)
class _Run:
    """What one build of a site is asked: where, for whom, at what moment."""

    out: Path
    state_folder: Path
    base: str | None
    moment: dt.datetime
    include_embargoed: bool
    progress: Callable[[str], None] | None
    theme: Theme
    theme_key: str
    """The theme's :func:`~presskit.newsroom.sources.theme_fingerprint`, taken once."""

    def public(self, source: Source) -> list[str]:
        return source.public_languages(self.moment, self.include_embargoed)


def _build_site(arguments: Sequence[Path], run: _Run) -> SiteResult:
    from presskit.newsroom import pages, sources

    started = time.perf_counter()
    pages.check_templates(run.theme)
    site_key = sources.site_fingerprint(run.base, run.theme)
    state = _claimed_state(run, site_key)
    known = state.get("sources", {}) if state.get("site") == site_key else {}
    found = _found_sources(run, arguments, known)
    shown = [s for s in found if s.shown]
    stale, failed = _build_stale_kits(run, shown)
    succeeded = [s for s in shown if s.path not in failed]
    earlier, messages = _as_published_before(known, failed, found, succeeded, run.theme_key)
    published = succeeded + list(earlier.values())
    records = [s for s in found if s.path not in failed] + list(earlier.values())
    written, removed = _publish(run, published, succeeded, lambda: _state(site_key, records))
    return SiteResult(
        releases=len(published),
        built=[s.slug for s in stale if s.path not in failed],
        skipped=[s.slug for s in succeeded if s not in stale],
        embargoed=[s.slug for s in found if len(s.shown) < len(s.published)],
        written=written,
        seconds=time.perf_counter() - started,
        removed=removed,
        failed=list(messages.items()),
    )


def _claimed_state(run: _Run, site_key: str) -> dict[str, Any]:
    """The site's record, after making sure the folder is the site's own; a first
    build claims it before writing anything, so that a build interrupted then leaves
    a folder the next one knows as its own."""
    from presskit.newsroom import sources

    state = sources.read_state(run.state_folder)
    refuse_a_folder_not_ours(run.out, state)
    if state.get("files") is None:
        atomic.write_bytes(run.state_folder / sources.STATE_FILE, _state(site_key, []))
    return state


def _found_sources(run: _Run, arguments: Sequence[Path], known: dict[str, Any]) -> list[Source]:
    """Every release given: as remembered when unchanged (same fingerprint, same
    public languages, its files still there), else loaded; with the languages shown."""
    from presskit.newsroom import sources

    found, to_load = [], []
    for path in sources.content_files(arguments):
        source = sources.remembered(path, known.get(sources.state_key(path)), run.theme_key)
        if source is not None and _unchanged(run, source):
            found.append(source)
        else:
            to_load.append(path)
    found += sources.load_sources(to_load, run.theme, run.theme_key)
    sources.refuse_shared_slugs(found)
    for source in found:
        if source.loaded:
            source.shown = run.public(source)
    return found


def _unchanged(run: _Run, source: Source) -> bool:
    """Whether a remembered release shows the same languages now, from its files as
    they were built."""
    return source.shown == run.public(source) and _still_there(run.out, source)


def _build_stale_kits(run: _Run, shown: list[Source]) -> tuple[list[Source], dict[Path, str]]:
    """Build the kits whose record does not match what they are made from now; the
    kits built and each failure's message (a release named from a headline not public
    yet is refused here too)."""
    from presskit.newsroom import kits, pages, sources

    loaded = [s for s in shown if s.loaded]
    refused = {s.path: m for s in loaded if (m := sources.hidden_slug(s))}
    stale = [
        s
        for s in loaded
        if s.path not in refused and not kits.is_current(run.state_folder, run.out, s, s.shown)
    ]
    files_root = run.out / pages.FILES
    wanted = [(s, s.shown) for s in stale]
    failures = kits.build_kits(
        files_root, run.state_folder, wanted, _reporter(run.progress), run.theme.folder
    )
    for source in loaded:
        if source not in stale:
            source.outputs = kits.recorded_outputs(run.state_folder, source.slug)
    return stale, refused | {f.source.path: f.message for f in failures}


def _reporter(progress: Callable[[str], None] | None) -> Callable[[Source], None] | None:
    """Each kit built, said as it is done."""
    if progress is None:
        return None
    return lambda source: progress(f"built {source.slug}")


def _publish(
    run: _Run,
    published: list[Source],
    succeeded: list[Source],
    state: Callable[[], bytes],
) -> tuple[list[Path], list[Path]]:
    """Write the pages that changed, remove what is no longer the site's, then record
    the site (``state``, once the pages have told each source its files): the files
    written and those removed."""
    from presskit.newsroom import pages, sources

    documents = _documents(pages.Site(run.out, run.base, run.theme), published)
    for source in succeeded:
        if source.loaded:
            source.outputs = sorted({*source.outputs, *_pages_of(source)})
    keep = {name for s in published for name in s.outputs} | set(documents)
    try:
        written = write_changed(run.out, documents)
        removed = remove_the_rest(run.out, keep)
        atomic.write_bytes(run.state_folder / sources.STATE_FILE, state())
    except OSError as error:
        raise BuildError(f"cannot write {error.filename or run.out}: {error.strerror}") from None
    return written, removed


@contextlib.contextmanager
def site_lock(state_folder: Path, out: Path) -> Iterator[None]:
    """Hold the site's lock (in its state folder) for the whole build: two builds of
    one newsroom at once would remove each other's files; the second stops and says so."""
    from presskit.util.locks import held_alone

    busy = PresskitError(
        f"{out}: another presskit is building this newsroom right now; run again "
        "when it has finished"
    )
    with held_alone(state_folder / "site.lock", busy):
        yield


def refuse_a_folder_not_ours(out: Path, state: dict[str, object]) -> None:
    """The site owns its folder: it never writes into (and so never empties) a folder
    holding files it did not put there."""
    if state.get("files") is not None or not out.exists():
        return
    if (out / LEGACY_RECORD).is_file():
        return  # an older presskit's site, which kept its record inside: its files go
    if not out.is_dir():
        raise PresskitError(f"{out}: not a folder; give a folder for the newsroom")
    if any(out.iterdir()):
        raise PresskitError(
            f"{out}: this folder already holds files that presskit did not put there (or "
            "its record of them is gone); give an empty or new folder for the newsroom: "
            "presskit keeps it holding exactly the site, and removes anything else"
        )


def _still_there(out: Path, source: Source) -> bool:
    """Whether the pages and kit files of a remembered release are on disk as built."""
    return bool(source.outputs) and all((out / name).is_file() for name in source.outputs)


def _pages_of(source: Source) -> list[str]:
    return [str(entry.get("path", "")) for entry in source.entries if entry.get("path")]


def _as_published_before(
    known: dict[str, Any],
    failed: dict[Path, str],
    found: list[Source],
    built: list[Source],
    theme_key: str,
) -> tuple[dict[Path, Source], dict[Path, str]]:
    """The releases that failed now, as the site published them before, when that
    can stay (every language it showed is still public: a release embargoed again is
    taken down all the same; and no other release took its slug); and each failure's
    message saying what became of its earlier pages."""
    from presskit.newsroom.sources import remembered, state_key

    taken = {s.slug for s in built}
    kept, messages = {}, {}
    for source in (s for s in found if s.path in failed):
        message = failed[source.path]
        record = known.get(state_key(source.path))
        before = remembered(source.path, record, theme_key, unchanged=False)
        if before is None or not before.shown:
            messages[source.path] = message
        elif before.slug in taken:
            messages[source.path] = f"{message}; its earlier pages are taken down (slug reused)"
        elif not set(before.shown) <= set(source.shown):
            hidden = ", ".join(sorted(set(before.shown) - set(source.shown)))
            messages[source.path] = (
                f"{message}; its earlier pages and files are taken down ({hidden}: not public now)"
            )
        else:
            kept[source.path] = before
            messages[source.path] = f"{message}; its earlier pages and files are left as they were"
    return kept, messages


def _documents(site: Site, shown: list[Source]) -> dict[str, bytes]:
    """The pages of the releases loaded (the others are unchanged on disk), every
    list and feed, the sitemap and the stylesheet, by path from the site's root."""
    from presskit.newsroom import pages

    documents = {"style.css": site.theme.site_file("site.css").read_bytes()}
    documents |= _release_documents(site, [s for s in shown if s.loaded])
    entries = [pages.Entry(**e) for s in shown for e in s.entries]
    return documents | _list_documents(site, entries)


def _release_documents(site: Site, loaded: list[Source]) -> dict[str, bytes]:
    """The release and kit pages of the releases loaded; each release's list entries
    and files recorded on its source."""
    from presskit.newsroom import pages

    documents = {}
    release_pages = pages.release_pages(site, loaded)
    for kit in pages.kit_pages(site, release_pages):
        documents[kit.path] = pages.render_kit(site, kit)
        kit.release_page.source.outputs.append(kit.path)
    for page in release_pages:
        documents[page.path] = pages.render_release(site, page)
    for source in loaded:
        own = [p for p in release_pages if p.source is source]
        source.entries = [dataclasses.asdict(pages.Entry.of(p, site.base_url)) for p in own]
    return documents


def _list_documents(site: Site, entries: list[Entry]) -> dict[str, bytes]:
    """Each language's list and feed, the home page and the sitemap."""
    from presskit.newsroom import pages

    documents = {}
    languages = sorted({e.language for e in entries})
    for language in languages:
        own = [e for e in entries if e.language == language]
        documents[f"{language}/index.html"] = pages.render_index(site, language, own, languages)
        documents[f"{language}/feed.atom"] = pages.render_feed(site, language, own)
    if languages:
        documents["index.html"] = pages.render_home(site, languages, entries)
    sitemap = pages.render_sitemap(site, entries, languages)
    if sitemap is not None:
        documents["sitemap.xml"] = sitemap
    return documents


def _state(site_key: str, found: list[Source]) -> bytes:
    """What the next run needs to skip unchanged releases without loading them, and
    to know every file of the site as its own."""
    from presskit.newsroom.sources import state_key

    records = {state_key(s.path): s.record() for s in found if s.entries}
    state = {"site": site_key, "files": True, "sources": dict(sorted(records.items()))}
    return (json.dumps(state, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def write_changed(out: Path, documents: dict[str, bytes]) -> list[Path]:
    """Write the documents whose bytes differ from what is there, all or none."""
    paths = ((out / name, data) for name, data in sorted(documents.items()))
    changed = [(path, data) for path, data in paths if not _holds(path, data)]
    atomic.write_all(changed)
    return [path for path, _ in changed]


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds ``data`` already."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def remove_the_rest(out: Path, keep: set[str]) -> list[Path]:
    """Delete every file of the site folder that is not part of the site now (and the
    folders left empty): a release embargoed again, a preview's leftovers, files of an
    older presskit. Only ever called on a folder presskit made."""
    removed = []
    for path in sorted(out.rglob("*"), reverse=True):
        name = path.relative_to(out).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif name not in keep:
            path.unlink()
            removed.append(path)
    return sorted(removed)
