"""The press kit document (dossier de presse), read back as a journalist's tools would:
its contents against the pages where each heading is, its bookmarks, its profiles'
pages, its Word file as LibreOffice lays it out, and the same text in every format."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pikepdf
import pytest
from pypdf import PdfReader

from presskit.cli import main
from presskit.kit.build import build
from presskit.render.kitview import KitView, build_kit_view, contents_anchors
from presskit.render.outline import outline_pages

from .conftest import Kit, docx_text, libreoffice_pdf, pdf_text, squash
from .kit_fixtures import kit_content


@dataclass
class KitDocument:
    """One language's kit document, built, with the view it shows."""

    view: KitView
    pdf: Path
    docx: Path
    html: Path


def _documents(content: Path, out: Path, languages: list[str] | None = None) -> list[KitDocument]:
    result = build(content, out, languages=languages)
    found = []
    for release in result.releases:
        paths = {o.format: o.path for o in result.outputs if o.language == release.language}
        view = build_kit_view(release)
        found.append(KitDocument(view, paths["kit-pdf"], paths["kit-docx"], paths["kit-html"]))
    return found


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> list[KitDocument]:
    """Twelve hubs in English and German: long and short profiles, figures, people."""
    folder = tmp_path_factory.mktemp("twelve")
    return _documents(kit_content(folder / "content", 12), folder / "out")


@pytest.fixture(scope="module")
def fifty(tmp_path_factory: pytest.TempPathFactory) -> KitDocument:
    """Fifty hubs, in English only: contents over several pages."""
    folder = tmp_path_factory.mktemp("fifty")
    return _documents(kit_content(folder / "content", 50), folder / "out", ["en"])[0]


def _example(kit: Kit) -> KitDocument:
    assert kit.kit_pdf and kit.kit_docx and kit.kit_html
    return KitDocument(build_kit_view(kit.release), kit.kit_pdf, kit.kit_docx, kit.kit_html)


def _pages(pdf: Path) -> list[str]:
    """Each page's text in reading order (pdftotext; pages end with a form feed)."""
    return pdf_text(pdf).split("\f")[: len(PdfReader(pdf).pages)]


def _contents_numbers(view: KitView, pages: list[str]) -> list[int]:
    """The page number the contents give for each entry, in order, read line by line
    from the contents pages' text: an entry ends with leader dots and its number, and
    may wrap over the lines before."""
    titles = [t for s in view.sections for t in [s.title, *(label for _, label in s.entries)]]
    first = next(i for i, text in enumerate(pages) if view.contents_heading in text)
    lines = "\n".join(pages[first : first + 1 + len(titles) // 25]).splitlines()
    found: list[tuple[str, int]] = []
    pending = ""
    for line in lines:
        entry = re.search(r"^(.*?)\s*[.…]{2,}\s*(\d+)\s*$", line)
        if entry:
            found.append((squash(pending + entry.group(1)), int(entry.group(2))))
            pending = ""
        else:
            pending = pending + line if line.strip() else ""
    found = found[: len(titles)]
    assert len(found) == len(titles)
    for (text, _), title in zip(found, titles, strict=True):
        assert text.endswith(squash(title)), (text, title)
    return [number for _, number in found]


def _check_contents(document: KitDocument) -> None:
    pages = _pages(document.pdf)
    numbers = _contents_numbers(document.view, pages)
    assert numbers == outline_pages(document.pdf.read_bytes())
    titles = [t for s in document.view.sections for t in [s.title, *(e[1] for e in s.entries)]]
    for title, number in zip(titles, numbers, strict=True):
        assert squash(title) in squash(pages[number - 1]), f"{title!r} is not on page {number}"


def test_the_examples_kit_is_a_real_press_kit(example_kits: dict[str, Kit]) -> None:
    for kit in example_kits.values():
        document = _example(kit)
        assert len(PdfReader(document.pdf).pages) >= 8
        _check_contents(document)
        with pikepdf.open(document.pdf) as pdf, pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == [
                s.title for s in document.view.sections
            ]
        anchors = contents_anchors(document.view)
        assert len(outline_pages(document.pdf.read_bytes())) == len(anchors)


def test_twelve_and_fifty_profiles_keep_contents_and_bookmarks_right(
    twelve: list[KitDocument], fifty: KitDocument
) -> None:
    for document in [*twelve, fifty]:
        _check_contents(document)
        profiles = document.view.profiles
        assert len(outline_pages(document.pdf.read_bytes())) == len(document.view.sections) + len(
            profiles
        )


def test_profiles_start_a_page_or_share_it_by_the_rule(
    twelve: list[KitDocument], fifty: KitDocument
) -> None:
    """Each profile's title is the first text of its page (after the running header),
    unless the rule lets it follow a short one, on that one's page."""
    for document in [*twelve, fifty]:
        pages = _pages(document.pdf)
        anchors = contents_anchors(document.view)
        where = dict(zip(anchors, outline_pages(document.pdf.read_bytes()), strict=True))
        previous = None
        for profile in document.view.profiles:
            page = where[profile.id]
            assert page is not None
            if profile.starts_page and profile is not document.view.profiles[0]:
                body = squash(pages[page - 1])
                for running in (document.view.issuer, document.view.profiles_heading):
                    body = body.removeprefix(squash(running))  # the running header
                assert body.startswith(squash(profile.label)), profile.label
            elif not profile.starts_page:
                assert previous is not None and previous.short and profile.short
                assert where[previous.id] == page
            previous = profile


def test_every_text_of_the_kit_is_in_the_pdf_and_the_word_file(twelve: list[KitDocument]) -> None:
    for document in twelve:
        view = document.view
        texts = [view.cover_title, view.kind, view.contents_heading]
        texts += [s.title for s in view.sections]
        for profile in view.profiles:
            texts += [profile.label, *(f.label for f in profile.figures)]
            texts += [p.name for p in profile.people]
        texts += [f.value for f in view.key_figures] + [f.label for f in view.key_figures]
        texts += [m.text for m in view.timeline] + [m.date for m in view.timeline]
        texts += [p.name for p in view.people] + [p.name for p in view.partners]
        texts += [p.caption for p in view.photos] + [c.name for c in view.contacts]
        assert view.cover_credit is not None
        texts.append(view.cover_credit)
        pdf, word = squash(pdf_text(document.pdf)), squash(docx_text(document.docx))
        for text in texts:
            assert squash(text) in pdf, text
            assert squash(text) in word, text


def test_the_word_kit_has_a_cover_a_real_contents_field_and_a_header_per_section(
    twelve: list[KitDocument],
) -> None:
    for document in twelve:
        word = docx.Document(str(document.docx))
        cover, contents, *parts = word.sections
        assert not cover.header.paragraphs or not "".join(p.text for p in cover.header.paragraphs)
        assert document.view.contents_heading in contents.header.paragraphs[0].text
        assert [p.header.paragraphs[0].text.split("\t")[-1] for p in parts] == [
            s.title for s in document.view.sections
        ]
        body = word.element.body.xml
        assert "TOC \\h \\z" in body and 'w:dirty="true"' in body
        assert 'w:updateFields w:val="true"' in word.settings.element.xml
        headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
        assert [s.title for s in document.view.sections] == [
            h for h in headings if h in {s.title for s in document.view.sections}
        ]
        titles = [p.text for p in word.paragraphs if p.style.name == "Profile Title"]
        assert titles == [p.label for p in document.view.profiles]
        pictures = word.inline_shapes
        assert pictures and all(
            shape._inline.docPr.get("descr") for shape in pictures
        )  # alternative text on each


def test_libreoffice_lays_out_the_word_kit_with_its_contents(
    twelve: list[KitDocument], tmp_path: Path
) -> None:
    """A recipient without Word: LibreOffice converts the file, and its contents list
    every profile, with the pages presskit filled in."""
    document = twelve[0]
    converted = libreoffice_pdf(document.docx, tmp_path)
    pages = _pages(converted)
    contents = squash(pages[1] + pages[2])
    for profile in document.view.profiles:
        assert squash(profile.label) in contents
    assert len(pages) >= 12


def test_the_kit_html_links_every_profile(twelve: list[KitDocument]) -> None:
    for document in twelve:
        html = document.html.read_text(encoding="utf-8")
        for anchor in contents_anchors(document.view):
            assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html


def test_the_zip_carries_the_kit_document(twelve: list[KitDocument]) -> None:
    zip_path = next(twelve[0].pdf.parent.parent.glob("*.zip"))
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    for document in twelve:
        for path in (document.pdf, document.docx):
            assert f"{document.view.language}/{path.name}" in names


def test_a_content_without_kit_section_builds_no_kit_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "content"
    content = kit_content(folder, 3)
    text = content.read_text(encoding="utf-8")
    content.write_text(text.split("kit:\n", 1)[0] + "ecosystems:" + text.split("ecosystems:")[1])
    assert main(["build", str(content), "-o", str(tmp_path / "out")]) == 0
    assert not list((tmp_path / "out").rglob("*press-kit.pdf"))
    assert not list((tmp_path / "out").rglob("*pressemappe*"))


def _edit(content: Path, old: str, new: str) -> None:
    text = content.read_text(encoding="utf-8")
    assert old in text
    content.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_reviews_the_kit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A profile with no text, a figure with no source, a cover and a portrait too
    coarse for their printed size: each named with its line and key path."""
    from PIL import Image as PILImage

    content = kit_content(tmp_path / "content", 4)
    _edit(
        content,
        "    profile: {en: The hub of Area 01 opens",
        "    website_note: {en: The hub of Area 01 opens",
    )
    _edit(content, "    website_note:", "#   no profile:")
    _edit(content, "      source: Northern Innovation Network\n", "")
    PILImage.new("RGB", (300, 200), "navy").save(tmp_path / "content" / "photos" / "small.jpg")
    PILImage.new("RGB", (60, 80), "grey").save(tmp_path / "content" / "people" / "small.jpg")
    _edit(content, "cover: {file: photos/launch.jpg", "cover: {file: photos/small.jpg")
    _edit(content, "portrait: {file: people/grace.jpg", "portrait: {file: people/small.jpg")
    assert main(["check", str(content)]) == 0
    out = capsys.readouterr().out
    lines = content.read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if text in line)

    assert f":{line_of('territory: Area 01') - 1}: warning: ecosystems[0]: " in out
    assert "Digital Innovation Hub Area 01 has no profile text" in out
    figure = line_of('value: "2,400"')
    assert f":{figure}: warning: kit.key_figures[1]: the figure 2,400 has no source" in out
    cover = line_of("small.jpg, alt: {en: The launch")
    assert f":{cover}: warning: kit.cover.file: small.jpg prints at" in out
    assert "kit.people[0].portrait.file: small.jpg prints at" in out
    assert main(["check", str(content), "--strict"]) == 1


def test_check_finds_a_page_holding_only_a_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A theme whose stylesheet breaks the page after each profile's heading leaves the
    headings alone on their pages: check says which, and where."""
    from presskit.assets.resources import TEMPLATES_DIR

    content = kit_content(tmp_path / "content", 3)
    theme = tmp_path / "theme"
    theme.mkdir()
    css = (TEMPLATES_DIR / "press-kit.css").read_text(encoding="utf-8")
    (theme / "press-kit.css").write_text(css + "\n.profile-head { break-after: page; }\n")
    assert main(["check", str(content)]) == 0
    assert "holds only the heading" not in capsys.readouterr().out
    assert main(["check", str(content), "--theme", str(theme)]) == 0
    out = capsys.readouterr().out
    assert "warning: ecosystems[2]: page " in out
    assert "press kit holds only the heading “Digital Innovation Hub Area 03”" in out


def test_new_offers_a_kit_skeleton_that_checks_clean_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "kit"
    assert main(["new", str(folder), "--kit"]) == 0
    content = folder / "release.yaml"
    assert main(["check", str(content), "--strict"]) == 0
    assert main(["build", str(content), "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    [kit_pdf] = (tmp_path / "out").rglob("*-press-kit.pdf")
    assert len(PdfReader(kit_pdf).pages) >= 6
    plain = tmp_path / "plain"
    assert main(["new", str(plain)]) == 0
    assert "presskit new --kit" in (plain / "release.yaml").read_text(encoding="utf-8")


def test_the_newsroom_gives_the_kit_a_page_with_its_files_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = kit_content(tmp_path / "content", 5)
    site = tmp_path / "site"
    assert main(["site", str(content), "-o", str(site)]) == 0
    capsys.readouterr()
    for release in build_kit_views(content):
        stem = f"northern-hubs-5-{release.file_word}"
        page = site / release.language / f"{stem}.html"
        html = page.read_text(encoding="utf-8")
        downloads = html.index('id="kit-downloads"')
        assert downloads < html.index('id="kit-contents"') < html.index('class="kit-section"')
        for name in (f"{stem}.pdf", f"{stem}.docx"):
            href = f"../files/northern-hubs-5/{release.language}/{name}"
            assert f'href="{href}"' in html
            assert (page.parent / href).resolve().is_file()
        for anchor in contents_anchors(release):
            assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
        release_page = (site / release.language / "northern-hubs-5.html").read_text()
        assert f'/{release.language}/{stem}.html"' in release_page


def build_kit_views(content: Path) -> list[KitView]:
    from presskit.content.loader import load_all

    return [build_kit_view(release) for release in load_all(content)]


def test_a_theme_restyles_the_kit_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A theme's press-kit.html.j2 and press-kit.css are used for the kit, as its
    press-release.* are for the release; its Word styles come from its reference.docx."""
    from presskit.assets.resources import TEMPLATES_DIR

    content = kit_content(tmp_path / "content", 2)
    theme = tmp_path / "theme"
    theme.mkdir()
    template = (TEMPLATES_DIR / "press-kit.html.j2").read_text(encoding="utf-8")
    marked = template.replace("<head>", '<head>\n<meta name="theme" content="northern">', 1)
    (theme / "press-kit.html.j2").write_text(marked, encoding="utf-8")
    css = (TEMPLATES_DIR / "press-kit.css").read_text(encoding="utf-8")
    (theme / "press-kit.css").write_text(css + "\n.cover-title { color: #00695c; }\n")
    out = tmp_path / "out"
    assert main(["build", str(content), "-o", str(out), "--theme", str(theme)]) == 0
    capsys.readouterr()
    [html] = out.rglob("en/*-press-kit.html")
    page = html.read_text(encoding="utf-8")
    assert '<meta name="theme" content="northern">' in page
    assert ".cover-title { color: #00695c; }" in page
    [pdf] = out.rglob("en/*-press-kit.pdf")
    assert len(PdfReader(pdf).pages) >= 6


def test_edits_of_the_kit_word_file_come_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A profile's text, the background and a bio edited in the kit's Word file come
    back into the content file; the contents (whose page numbers Word updates) and an
    unedited file change nothing."""
    from presskit.assets.resources import DEFAULT_CONTENT

    for content, count in ((kit_content(tmp_path / "hubs", 3), 3), (DEFAULT_CONTENT, 0)):
        folder = tmp_path / f"built-{count}"
        result = build(content, folder, ["docx"])
        for output in (o for o in result.outputs if o.format == "kit-docx"):
            assert main(["import", str(output.path), str(content), "--dry-run"]) == 0
            assert "no changes to import" in capsys.readouterr().out
    content = kit_content(tmp_path / "edited", 3)
    result = build(content, tmp_path / "out", ["docx"], ["en"])
    [kit] = [o.path for o in result.outputs if o.format == "kit-docx"]
    document = docx.Document(str(kit))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("The network was founded"):
            paragraph.add_run(" It now has a board.")
        elif paragraph.text.startswith("Leads the network"):
            paragraph.runs[0].text = "Has led the network since 2020."
        elif paragraph.text.startswith("The hub of Area 01"):
            paragraph.add_run(" Workshops every Friday.")
        elif paragraph.style.name == "TOC 2" and paragraph.runs:
            paragraph.runs[-1].text = "99"  # as Word updates the page numbers
    document.save(str(kit))
    assert main(["import", str(kit), str(content)]) == 0
    said = capsys.readouterr().out
    assert "ecosystems[0].profile" in said and "kit.background.text" in said
    text = content.read_text(encoding="utf-8")
    assert "The hub of Area 01 opens in May. Workshops every Friday." in text
    assert "It now has a board." in text
    assert "Has led the network since 2020." in text
    assert "Leitet das Netzwerk seit 2020." in text  # the German text left as it was
    assert "not imported" not in said
