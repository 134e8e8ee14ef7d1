"""The newsroom never shows a version before its time, and owns its folder: tried from
the outside, as a press office publishes (``presskit site``), previews
(``--include-embargoed``), postpones, and mails."""

from __future__ import annotations

import datetime as dt
import email
import io
import zipfile
from email import policy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from presskit.cli import main
from presskit.newsroom import build_site

from .conftest import examples, write_content

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
PAST, FUTURE = "2026-05-01", "2099-09-01"
# A word of each version found nowhere else: typography leaves it as it is.
MARKERS = {"en": "Zorblaxen", "de": "Quimfrodel", "fr": "Vexilture"}

HEADER = """\
languages: [{languages}]
{slug}
issuer:
  name: Harbour Arts Trust
  website: https://harbour.example.org
mail: {{from: Harbour press office <press@harbour.example.org>}}
"""


def content_text(
    plan: dict[str, tuple[str | None, str]], slug: str | None = "studios", **header: str
) -> str:
    """A release in the languages of ``plan``: each version with its own embargo (or
    none) and its own date, and its marker in its headline, lead, photo caption and
    alt text, and its event's name. Without ``slug`` it is named after its first
    language's headline."""
    languages = list(plan)
    named = f"slug: harbour-{slug}" if slug else ""
    lines = [HEADER.format(languages=", ".join(languages), slug=named)]
    if header:
        lines[0] = (
            lines[0]
            .replace("Harbour Arts Trust", header["issuer"])
            .replace("harbour.example.org", header["domain"])
        )
    embargoes = {code: until for code, (until, _) in plan.items() if until}
    if embargoes:
        lines.append("release:\n  embargo_until:")
        for code in languages:
            until = embargoes.get(code)
            lines.append(f"    {code}: {until + ' 09:00 Europe/London' if until else ''}")
    for key, words in (("headline", "opens twelve studios"), ("lead", "welcomes the public")):
        lines.append(f"{key}:")
        lines += [f"  {code}: {MARKERS[code]} {words}" for code in languages]
    lines.append("dateline:\n  city: Bristol\n  date:")
    lines += [f"    {code}: {date}" for code, (_, date) in plan.items()]
    lines.append("event:\n  name:")
    lines += [f"    {code}: {MARKERS[code]} open day" for code in languages]
    lines.append("  date: 2026-10-03\n  timezone: Europe/London")
    lines.append("photos:\n  - file: photo.jpg\n    alt:")
    lines += [f"      {code}: {MARKERS[code]} studio" for code in languages]
    lines.append("    caption:")
    lines += [f"      {code}: {MARKERS[code]} quay" for code in languages]
    lines.append("    credit: © Harbour Arts Trust")
    lines.append("media_contacts:\n  - {name: Ada Quill, email: press@harbour.example.org}")
    return "\n".join(lines) + "\n"


def public(plan: dict[str, tuple[str | None, str]]) -> set[str]:
    """The versions readable at NOW: by their embargo when they have one, else by
    their date."""
    return {
        code for code, (until, date) in plan.items() if (until or date) <= NOW.date().isoformat()
    }


def texts_of(data: bytes, name: str) -> list[str]:
    """Every text a file carries, as a reader or a tool could get it: its bytes, the
    text of a PDF, the members of a ZIP or Word file (recursively)."""
    found = [data.decode("latin-1")]
    if data.startswith(b"%PDF"):
        found.append(
            "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        )
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                found.append(member)
                found += texts_of(archive.read(member), member)
    return found


def leaked(folder: Path, hidden: set[str]) -> list[str]:
    """Where a marker of a version not public appears in any file of ``folder``."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            words = [MARKERS[code] for code in hidden]
            text = "\n".join(texts_of(path.read_bytes(), path.name)) + path.name
            found += [f"{path.relative_to(folder)}: {word}" for word in words if word in text]
    return found


def write_photo(folder: Path) -> None:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 1000), (30, 60, 90)).save(folder / "photo.jpg", quality=80)


def write_release(
    folder: Path, plan: dict[str, tuple[str | None, str]], slug: str | None = "studios"
) -> Path:
    write_photo(folder)
    return write_content(folder, content_text(plan, slug), f"{slug or 'unnamed'}.yaml")


Moment = st.sampled_from([None, PAST, FUTURE])
Languages = st.sampled_from([("en", "de"), ("de", "en"), ("en", "de", "fr"), ("fr", "en", "de")])


@st.composite
def plans(draw: st.DrawFn) -> dict[str, tuple[str | None, str]]:
    """Two or three languages, each with an embargo (past, future or none) and a date."""
    return {code: (draw(Moment), draw(st.sampled_from([PAST, FUTURE]))) for code in draw(Languages)}


@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(plan=plans(), named=st.booleans())
@example(plan={"en": (FUTURE, PAST), "de": (PAST, PAST), "fr": (None, PAST)}, named=True)
@example(plan={"en": (None, FUTURE), "de": (None, PAST), "fr": (FUTURE, FUTURE)}, named=True)
@example(plan={"en": (PAST, FUTURE), "de": (FUTURE, PAST), "fr": (None, FUTURE)}, named=True)
@example(plan={"en": (FUTURE, PAST), "de": (None, PAST)}, named=False)
@example(plan={"de": (None, PAST), "en": (FUTURE, FUTURE)}, named=False)
def test_no_version_before_its_time_in_any_file_of_the_site_or_a_draft(
    tmp_path_factory: pytest.TempPathFactory,
    plan: dict[str, tuple[str | None, str]],
    named: bool,
) -> None:
    """For any combination of per-language embargo and dateline, nothing of a version
    not public yet is in the site (pages, lists, feeds, sitemap, documents, ZIP
    members, Word XML, PDF text, pictures' metadata, file names), nor in the drafts of
    recipients reading a public version. A release without a slug of its own, whose
    first version is not public, is refused rather than named after its headline."""
    folder = tmp_path_factory.mktemp("release")
    content = write_release(folder / "content", plan, "studios" if named else None)
    site = folder / "site"
    result = build_site([content], site, now=NOW, base_url="https://press.example.org/")
    shown, hidden = public(plan), set(plan) - public(plan)
    assert leaked(site, hidden) == []
    first = next(iter(plan))
    refused = not named and shown and first in hidden
    assert [path for path, _ in result.failed] == ([content.resolve()] if refused else [])
    for code in shown:
        pages = list((site / code).glob("*.html")) if (site / code).exists() else []
        assert len(pages) == (0 if refused else 2), code  # its index and the release
        if not refused:
            assert MARKERS[code] in (site / code / "feed.atom").read_text()
    for code in hidden:
        assert not (site / code).exists()
    if not shown or any(until == PAST for until, _ in plan.values()):
        return  # presskit mail refuses a release whose embargo has ended: nothing to mail
    recipients = folder / "recipients.csv"
    recipients.write_text(
        "email,name,language\n"
        + "".join(f"{code}@example.org,Reader {code},{code}\n" for code in sorted(shown))
    )
    drafts = folder / "drafts"
    assert main(["mail", str(content), "--to", str(recipients), "-o", str(drafts), "-q"]) == 0
    for draft in drafts.rglob("*.eml"):
        message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
        parts = [p.get_content() for p in message.walk() if not p.is_multipart()]
        text = "\n".join(
            t for p in parts for t in (texts_of(p, "") if isinstance(p, bytes) else [p])
        )
        assert not [MARKERS[code] for code in hidden if MARKERS[code] in text], draft.name


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_a_preview_leaves_nothing_behind_in_the_public_site(tmp_path: Path) -> None:
    plan = {"en": (FUTURE, PAST), "de": (None, PAST)}
    content = write_release(tmp_path / "content", plan)
    site = tmp_path / "site"
    preview = build_site([content], site, now=NOW, include_embargoed=True)
    assert preview.releases == 1 and (site / "en" / "harbour-studios.html").is_file()
    public_site = build_site([content], site, now=NOW)
    assert leaked(site, {"en"}) == []
    assert not (site / "en").exists()
    removed = {p.relative_to(site).as_posix() for p in public_site.removed}
    assert "en/harbour-studios.html" in removed and "en/feed.atom" in removed
    fresh = tmp_path / "fresh"
    build_site([content], fresh, now=NOW)
    assert files_of(site) == files_of(fresh)  # exactly the public set


def test_a_release_embargoed_after_publication_is_taken_down(tmp_path: Path) -> None:
    plan = {"en": (None, PAST)}
    content = write_release(tmp_path / "content", plan)
    other = write_release(tmp_path / "content", {"en": (None, PAST)}, slug="gallery")
    site = tmp_path / "site"
    build_site([tmp_path / "content"], site, now=NOW)
    assert (site / "en" / "harbour-studios.html").is_file()
    content.write_text(content_text({"en": (FUTURE, PAST)}), encoding="utf-8")
    again = build_site([tmp_path / "content"], site, now=NOW)
    assert again.embargoed == ["harbour-studios"]
    assert not (site / "en" / "harbour-studios.html").exists()
    assert not (site / "files" / "harbour-studios").exists()
    assert "harbour-studios" not in (site / "en" / "index.html").read_text()
    assert "harbour-studios" not in (site / "en" / "feed.atom").read_text()
    assert other.exists() and (site / "en" / "harbour-gallery.html").is_file()


def test_the_site_folder_publishes_no_dotfile_and_keeps_its_record_elsewhere(
    tmp_path: Path,
) -> None:
    content = write_release(tmp_path / "content", {"en": (None, PAST), "fr": (None, PAST)})
    site = tmp_path / "site"
    build_site([content], site, now=NOW)
    assert [f for f in files_of(site) if any(part.startswith(".") for part in f.split("/"))] == []
    rerun = build_site([content], site, now=NOW)
    assert rerun.built == [] and rerun.written == [] and rerun.removed == []


def test_a_site_named_relative_to_the_current_folder_builds_and_links_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`presskit site content -o site`, as typed in a terminal: the folder is relative."""
    write_release(tmp_path / "content", {"en": (None, PAST)})
    monkeypatch.chdir(tmp_path)
    assert main(["site", "content", "-o", "site", "-q"]) == 0, capsys.readouterr().err
    page = (tmp_path / "site" / "en" / "harbour-studios.html").read_text(encoding="utf-8")
    files = [f for f in files_of(tmp_path / "site") if f.startswith("files/")]
    assert any(f.endswith(".pdf") for f in files)
    for name in files:
        if name.endswith((".pdf", ".docx", ".zip")):
            assert name.removeprefix("files/") in page or name.split("/")[-1] in page, name
    assert main(["site", "content", "-o", "site", "-q"]) == 0  # and again, unchanged


def test_a_site_folder_deleted_or_a_file_removed_is_built_again(tmp_path: Path) -> None:
    """The state outside the folder remembers the kits; `rm -rf site` (or one PDF
    deleted by hand) must not make the next build trust files that are gone."""
    import shutil

    content = write_release(tmp_path / "content", {"en": (None, PAST), "fr": (None, PAST)})
    site = tmp_path / "site"
    build_site([content], site, now=NOW)
    first = files_of(site)
    shutil.rmtree(site)
    again = build_site([content], site, now=NOW)
    assert files_of(site) == first and again.built
    pdf = next(f for f in first if f.endswith(".pdf"))
    (site / pdf).unlink()
    build_site([content], site, now=NOW)
    assert files_of(site) == first


def test_a_folder_holding_other_files_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = write_release(tmp_path / "content", {"en": (None, PAST)})
    site = tmp_path / "site"
    site.mkdir()
    (site / "holiday.jpg").write_bytes(b"mine")
    assert main(["site", str(content), "-o", str(site)]) == 1
    error = capsys.readouterr().err
    assert f"{site}: this folder already holds files that presskit did not put there" in error
    assert files_of(site) == {"holiday.jpg"}


def test_a_kit_that_fails_is_named_and_the_others_are_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fault inside one kit's build (here a renderer raising KeyError, as a bug
    would) names that content file; the other release is published all the same."""
    import presskit.kit.build

    good = write_release(tmp_path / "content", {"en": (None, PAST)}, slug="gallery")
    bad = write_release(tmp_path / "content", {"en": (None, PAST)}, slug="studios")
    original = presskit.kit.build.invitation

    def faulty(release: object, view: object, *rest: object) -> dict[str, bytes]:
        if "studios" in str(getattr(release, "slug", "")):
            raise KeyError("a bug")
        return original(release, view, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(presskit.kit.build, "invitation", faulty)
    site = tmp_path / "site"
    assert main(["site", str(tmp_path / "content"), "-o", str(site)]) == 2
    error = capsys.readouterr().err
    assert f"{bad}: presskit failed (KeyError: 'a bug')" in error
    assert "Traceback" not in error
    assert (site / "en" / "harbour-gallery.html").is_file()
    assert not (site / "en" / "harbour-studios.html").exists()
    assert good.exists()


def test_a_version_is_published_at_the_first_run_after_its_embargo(tmp_path: Path) -> None:
    """The kit is rebuilt when its public languages change, not only its content: the
    ZIP and the pictures' captions gain the version whose embargo ended."""
    content = write_release(tmp_path / "content", {"en": ("2026-07-01", PAST), "de": (None, PAST)})
    site = tmp_path / "site"
    before = build_site([content], site, now=NOW)
    assert before.embargoed == ["harbour-studios"] and leaked(site, {"en"}) == []
    later = build_site([content], site, now=dt.datetime(2026, 7, 2, tzinfo=dt.UTC))
    assert later.built == ["harbour-studios"] and later.embargoed == []
    assert MARKERS["en"] in (site / "en" / "harbour-studios.html").read_text()
    assert MARKERS["en"] in (site / "en" / "feed.atom").read_text()
    kit = site / "files" / "harbour-studios"
    with zipfile.ZipFile(kit / "harbour-studios-press-kit.zip") as archive:
        names = archive.namelist()
    assert any("/en/" in f"/{name}" or name.startswith("en/") for name in names), names
    photos = list((kit / "photos").iterdir())
    assert photos and all(MARKERS["en"].encode() in p.read_bytes() for p in photos)


def test_a_release_named_after_a_headline_not_public_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a slug, a release is named after its first language's headline: while
    that version is under embargo, its name must not reach the site's addresses."""
    unnamed = write_release(tmp_path / "content", {"en": (FUTURE, PAST), "de": (None, PAST)}, None)
    write_release(tmp_path / "content", {"de": (None, PAST)}, slug="gallery")
    site = tmp_path / "site"
    assert main(["site", str(tmp_path / "content"), "-o", str(site)]) == 2
    error = capsys.readouterr().err
    assert f"{unnamed.resolve()}: slug: missing" in error
    assert "'en' headline, which is not public yet" in error
    assert leaked(site, {"en"}) == []
    assert {p.name for p in (site / "de").iterdir()} == {
        "index.html",
        "feed.atom",
        "harbour-gallery.html",
    }
    assert not (site / "en").exists()


def alternates(page: Path) -> list[str]:
    """The addresses of a page's <link rel=alternate hreflang>, canonical and og:url."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "link" and (a.get("hreflang") or a.get("rel") == "canonical"):
                found.append(a.get("href") or "")
            if tag == "meta" and a.get("property") == "og:url":
                found.append(a.get("content") or "")

    Links().feed(page.read_text())
    return found


def test_language_links_are_absolute_with_a_base_url(tmp_path: Path) -> None:
    content = write_release(tmp_path / "content", {"en": (None, PAST), "de": (None, PAST)})
    base = "https://press.example.org/news/"
    addressed, plain = tmp_path / "addressed", tmp_path / "plain"
    assert main(["site", str(content), "-o", str(addressed), "--base-url", base, "-q"]) == 0
    assert main(["site", str(content), "-o", str(plain), "-q"]) == 0
    pages = sorted(addressed.rglob("*.html"))
    assert len(pages) == 5  # the front page, and an index and the release per language
    for page in pages:
        links = alternates(page)
        assert len([x for x in links if x]) >= 2, page  # another language, canonical
        assert all(link.startswith(base) for link in links), (page, links)
    for page in plain.rglob("*.html"):
        assert not [x for x in alternates(page) if "://" in x], page


def feed_ids(site: Path, language: str) -> list[str]:
    import feedparser

    feed = feedparser.parse((site / language / "feed.atom").read_bytes())
    return [feed.feed.id] + [entry.id for entry in feed.entries]


def test_feed_ids_are_unique_to_each_newsroom_and_stable(tmp_path: Path) -> None:
    """Two issuers publishing the same slug in the same language: no id in common,
    with or without a base URL; a rebuild keeps every id."""
    plan = {"en": (None, PAST)}
    write_photo(tmp_path / "ours")
    write_photo(tmp_path / "theirs")
    ours = write_content(tmp_path / "ours", content_text(plan), "a.yaml")
    theirs = write_content(
        tmp_path / "theirs",
        content_text(plan, issuer="Moorland Film Guild", domain="moorland.example.net"),
        "a.yaml",
    )
    ids = {}
    for name, content, base in (
        ("ours", ours, None),
        ("theirs", theirs, None),
        ("ours-web", ours, "https://press.harbour.example.org/"),
        ("theirs-web", theirs, "https://press.moorland.example.net/"),
    ):
        build_site([content], tmp_path / "sites" / name, now=NOW, base_url=base)
        ids[name] = feed_ids(tmp_path / "sites" / name, "en")
    assert ids["ours"][1].startswith("tag:harbour.example.org,")
    assert ids["theirs"][1].startswith("tag:moorland.example.net,")
    assert not set(ids["ours"]) & set(ids["theirs"])
    assert not set(ids["ours-web"]) & set(ids["theirs-web"])
    assert ids["ours"][0] != ids["ours-web"][0]  # the feed's own id: its address's
    (tmp_path / "sites" / "ours" / "en" / "feed.atom").unlink()
    build_site([ours], tmp_path / "sites" / "ours", now=NOW)
    assert feed_ids(tmp_path / "sites" / "ours", "en") == ids["ours"]


def test_a_failing_kit_leaves_what_it_published_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A release published, then edited, then failing: its earlier page, kit and list
    entries stay byte for byte; re-embargoed as well, it is taken down all the same."""
    import presskit.kit.build

    folder = tmp_path / "content"
    studios = write_release(folder, {"en": (None, PAST), "de": (None, PAST)})
    write_release(folder, {"en": (None, PAST)}, slug="gallery")
    site = tmp_path / "site"
    assert main(["site", str(folder), "-o", str(site), "-q"]) == 0
    before = {name: (site / name).read_bytes() for name in files_of(site) if "studios" in name}
    assert "en/harbour-studios.html" in before
    original = presskit.kit.build.invitation

    def faulty(release: object, view: object, *rest: object) -> dict[str, bytes]:
        if "studios" in str(getattr(release, "slug", "")):
            raise KeyError("a bug")
        return original(release, view, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(presskit.kit.build, "invitation", faulty)
    studios.write_text(studios.read_text().replace("twelve", "fifteen"), encoding="utf-8")
    assert main(["site", str(folder), "-o", str(site), "-q"]) == 2
    error = capsys.readouterr().err
    assert f"{studios.resolve()}: presskit failed (KeyError: 'a bug'); its earlier" in error
    assert "left as they were" in error
    assert {name: (site / name).read_bytes() for name in before} == before
    assert "harbour-studios" in (site / "en" / "index.html").read_text()
    assert "harbour-studios" in (site / "de" / "feed.atom").read_text()
    # Postponed in German as well as failing: the German version must go.
    studios.write_text(
        content_text({"en": (None, PAST), "de": (FUTURE, PAST)}).replace("twelve", "fifteen"),
        encoding="utf-8",
    )
    assert main(["site", str(folder), "-o", str(site), "-q"]) == 2
    assert "taken down (de: not public now)" in capsys.readouterr().err
    assert leaked(site, {"de"}) == [] and not (site / "en" / "harbour-studios.html").exists()
    assert (site / "en" / "harbour-gallery.html").is_file()


def test_a_state_folder_others_can_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The site's record decides what is deleted: one another user could write is
    never used."""
    content = write_release(tmp_path / "content", {"en": (None, PAST)})
    shared = tmp_path / "shared-state"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("PRESSKIT_STATE_DIR", str(shared))
    site = tmp_path / "site"
    assert main(["site", str(content), "-o", str(site)]) == 1
    error = capsys.readouterr().err
    assert f"{shared}: other users can write in it" in error and "Traceback" not in error
    assert not site.exists()


def test_an_interrupted_first_build_leaves_a_folder_the_next_one_owns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import presskit.newsroom

    content = write_release(tmp_path / "content", {"en": (None, PAST)})
    site = tmp_path / "site"

    def interrupted(out: Path, keep: set[str]) -> list[Path]:
        raise KeyboardInterrupt  # after the pages are written, before the record

    with monkeypatch.context() as patch:
        patch.setattr(presskit.newsroom, "remove_the_rest", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build_site([content], site, now=NOW)
    assert (site / "en" / "harbour-studios.html").is_file()
    build_site([content], site, now=NOW)
    fresh = tmp_path / "fresh"
    build_site([content], fresh, now=NOW)
    assert files_of(site) == files_of(fresh)


def test_a_site_an_older_presskit_made_is_taken_over(tmp_path: Path) -> None:
    """Before, a site kept its record and locks inside: such a folder is known as
    presskit's, and those files leave it."""
    content = write_release(tmp_path / "content", {"en": (None, PAST)})
    site = tmp_path / "site"
    (site / "files" / "harbour-studios").mkdir(parents=True)
    (site / ".presskit-site.json").write_text("{}")
    (site / "files" / "harbour-studios" / ".presskit.lock").write_text("")
    build_site([content], site, now=NOW)
    assert [f for f in files_of(site) if "/." in f"/{f}"] == []
    assert (site / "en" / "harbour-studios.html").is_file()


def test_build_keeps_its_lock_where_it_is_told(tmp_path: Path) -> None:
    """``presskit build`` keeps its lock beside the kit, as before; the site's builds
    keep it in a folder outside the published one."""
    from presskit.kit.build import build

    content = write_release(tmp_path / "content", {"en": (None, PAST)})
    assert main(["build", str(content), "-o", str(tmp_path / "out"), "--format", "html", "-q"]) == 0
    assert (tmp_path / "out" / "harbour-studios" / ".presskit.lock").is_file()
    build(content, tmp_path / "elsewhere", ["html"], hidden_root=tmp_path / "hidden")
    assert (tmp_path / "hidden" / "harbour-studios" / ".presskit.lock").is_file()
    assert not [p for p in (tmp_path / "elsewhere").rglob(".*")]


def test_two_builds_of_one_newsroom_at_once_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each build removes what is not its own site: a second one at the same time
    stops, clearly, and touches nothing."""
    import fcntl

    from presskit.util import statedir

    content = write_release(tmp_path / "content", {"en": (None, PAST)})
    site = tmp_path / "site"
    with (statedir.folder_for("sites", site) / "site.lock").open("a") as running:
        fcntl.flock(running, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build underway holds it
        assert main(["site", str(content), "-o", str(site)]) == 1
    assert f"{site}: another presskit is building this newsroom right now" in (
        capsys.readouterr().err
    )
    assert not site.exists()
    assert main(["site", str(content), "-o", str(site), "-q"]) == 0
