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

from .conftest import write_content

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
PAST, FUTURE = "2026-05-01", "2099-09-01"
# A word of each version found nowhere else: typography leaves it as it is.
MARKERS = {"en": "Zorblaxen", "de": "Quimfrodel", "fr": "Vexilture"}

HEADER = """\
languages: [{languages}]
slug: harbour-{slug}
issuer:
  name: Harbour Arts Trust
  website: https://harbour.example.org
mail: {{from: Harbour press office <press@harbour.example.org>}}
"""


def content_text(plan: dict[str, tuple[str | None, str]], slug: str = "studios") -> str:
    """A release in the languages of ``plan``: each version with its own embargo (or
    none) and its own date, and its marker in its headline, lead, photo caption and
    alt text, and its event's name."""
    languages = list(plan)
    lines = [HEADER.format(languages=", ".join(languages), slug=slug)]
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


def write_release(
    folder: Path, plan: dict[str, tuple[str | None, str]], slug: str = "studios"
) -> Path:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 1000), (30, 60, 90)).save(folder / "photo.jpg", quality=80)
    return write_content(folder, content_text(plan, slug), f"{slug}.yaml")


Moment = st.sampled_from([None, PAST, FUTURE])


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.fixed_dictionaries(
        {code: st.tuples(Moment, st.sampled_from([PAST, FUTURE])) for code in ("en", "de", "fr")}
    )
)
@example(plan={"en": (FUTURE, PAST), "de": (PAST, PAST), "fr": (None, PAST)})
@example(plan={"en": (None, FUTURE), "de": (None, PAST), "fr": (FUTURE, FUTURE)})
@example(plan={"en": (PAST, FUTURE), "de": (FUTURE, PAST), "fr": (None, FUTURE)})
def test_no_version_before_its_time_in_any_file_of_the_site_or_a_draft(
    tmp_path_factory: pytest.TempPathFactory, plan: dict[str, tuple[str | None, str]]
) -> None:
    """For any combination of per-language embargo and dateline, nothing of a version
    not public yet is in the site (pages, lists, feeds, sitemap, documents, ZIP
    members, Word XML, PDF text, pictures' metadata), nor in the drafts of recipients
    reading a public version."""
    folder = tmp_path_factory.mktemp("release")
    content = write_release(folder / "content", plan)
    site = folder / "site"
    build_site([content], site, now=NOW, base_url="https://press.example.org/")
    shown, hidden = public(plan), set(plan) - public(plan)
    assert leaked(site, hidden) == []
    for code in shown:
        assert (site / code / "harbour-studios.html").is_file()
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
    import presskit.build

    good = write_release(tmp_path / "content", {"en": (None, PAST)}, slug="gallery")
    bad = write_release(tmp_path / "content", {"en": (None, PAST)}, slug="studios")
    original = presskit.build.invitation

    def faulty(release: object, view: object, *rest: object) -> dict[str, bytes]:
        if "studios" in str(getattr(release, "slug", "")):
            raise KeyError("a bug")
        return original(release, view, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(presskit.build, "invitation", faulty)
    site = tmp_path / "site"
    assert main(["site", str(tmp_path / "content"), "-o", str(site)]) == 2
    error = capsys.readouterr().err
    assert f"{bad}: presskit failed (KeyError: 'a bug')" in error
    assert "Traceback" not in error
    assert (site / "en" / "harbour-gallery.html").is_file()
    assert not (site / "en" / "harbour-studios.html").exists()
    assert good.exists()
