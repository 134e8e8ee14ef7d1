"""``presskit import``: edits made in the Word file come back into the content file.

The Word files are built by presskit, then edited by real software: LibreOffice
(through its flat XML format, saved back to .docx by LibreOffice itself) and
python-docx (tracked changes and comments as Word writes them).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from presskit.assets.resources import DEFAULT_CONTENT
from presskit.cli import main
from presskit.content.loader import load_all
from presskit.content.translations import localise
from presskit.kit.build import build
from presskit.render.docx import render_docx
from presskit.render.view import build_view
from presskit.util import yamlstrict
from presskit.util.errors import ContentError
from presskit.wordimport.importer import import_word
from presskit.wordimport.package import ImportRefused

from .conftest import pdf_text, squash

FIXTURES = Path(__file__).parent / "fixtures"
CONTENTS = [DEFAULT_CONTENT, *sorted(FIXTURES.glob("*.yaml")), *sorted(FIXTURES.glob("*/*.yaml"))]


def copy_content(source: Path, folder: Path) -> Path:
    """The content file and what it refers to, copied where a test may change it."""
    shutil.copytree(source.parent, folder, dirs_exist_ok=True)
    return folder / source.name


def word_file(content: Path, language: str, folder: Path) -> Path:
    """The Word file presskit builds for ``language``."""
    release = next(r for r in load_all(content) if r.language == language)
    path = folder / f"{content.stem}-{language}.docx"
    path.write_bytes(render_docx(build_view(release)))
    return path


@pytest.mark.parametrize("content", CONTENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_importing_an_unedited_file_changes_nothing(content: Path, tmp_path: Path) -> None:
    before = content.read_bytes()
    for release in load_all(content):
        report = import_word(word_file(content, release.language, tmp_path), content)
        assert report.changes == [] and report.notes == [] and not report.written
    assert content.read_bytes() == before


# -- LibreOffice ------------------------------------------------------------------------

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def soffice(folder: Path, target: str, source: Path, out: Path) -> Path:
    """Convert ``source`` with LibreOffice headless (its own profile in ``folder``)."""
    subprocess.run(
        [
            "soffice", "--headless", "--norestore",
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--convert-to", target, "--outdir", str(out), str(source),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / f"{source.stem}.{target.split(':')[0]}"
    assert converted.exists(), f"LibreOffice did not write {converted}"
    return converted


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def paragraph_starting(root: etree._Element, start: str) -> etree._Element:
    for element in root.iter(_q("text:p"), _q("text:h")):
        if "".join(element.itertext()).startswith(start):
            return element
    raise AssertionError(f"no paragraph starts with {start!r}")


def edit_in_libreoffice(docx_path: Path, folder: Path) -> Path:
    """Open the Word file in LibreOffice, change a quote, add a bold phrase and a link
    to the body, and save it as .docx again (all through LibreOffice's flat XML)."""
    flat = soffice(folder, "fodt", docx_path, folder / "flat")
    tree = etree.parse(str(flat))
    root = tree.getroot()
    styles = root.find(_q("office:automatic-styles"))
    bold = etree.SubElement(styles, _q("style:style"))
    bold.set(_q("style:name"), "ImportTestBold")
    bold.set(_q("style:family"), "text")
    props = etree.SubElement(bold, _q("style:text-properties"))
    props.set(_q("fo:font-weight"), "bold")
    quote = paragraph_starting(root, "We built this laboratory")
    for child in list(quote):
        quote.remove(child)
    quote.text = "We built this laboratory with our members."
    body = paragraph_starting(root, "The laboratory is open")
    last = body[-1] if len(body) else None
    if last is not None:
        last.tail = (last.tail or "") + " It is "
    else:
        body.text = (body.text or "") + " It is "
    span = etree.SubElement(body, _q("text:span"))
    span.set(_q("text:style-name"), "ImportTestBold")
    span.text = "free of charge"
    span.tail = ", see "
    link = etree.SubElement(body, _q("text:a"))
    link.set(_q("xlink:type"), "simple")
    link.set(_q("xlink:href"), "https://northwind.example.org/lab")
    link.text = "the lab page"
    link.tail = "."
    edited = folder / "edited.fodt"
    tree.write(str(edited), xml_declaration=True, encoding="UTF-8")
    return soffice(folder, "docx:MS Word 2007 XML", edited, folder / "saved")


NEW_BODY = (
    "The laboratory is open to every member from April. It is **free of charge**, see "
    "[the lab page](https://northwind.example.org/lab).\n\nIt offers:\n\n"
    "- two clean rooms;\n- a *shared* sequencing bench."
)


@pytest.fixture(scope="module")
def libreoffice_edit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The fixture's English Word file edited in LibreOffice, and the import's diff."""
    folder = tmp_path_factory.mktemp("libreoffice")
    content = copy_content(FIXTURES / "word-import.yaml", folder / "content")
    before = content.read_text(encoding="utf-8")
    edited = edit_in_libreoffice(word_file(content, "en", folder), folder)
    report = import_word(edited, content)
    # The body was written once for both languages: said, and now written per language.
    assert report.written and report.notes == [
        "body: was the same in every language; now written per language, the en one "
        "changed, the others as they were"
    ]
    assert [c.key_path for c in report.changes] == ["body", "quotes[0].text"]
    return content, edited, before


def test_libreoffice_edits_come_back_exactly(libreoffice_edit: tuple[Path, Path, str]) -> None:
    content, _, before = libreoffice_edit
    english, french = load_all(content)
    old_english, old_french = load_all_text(before, content)
    assert english.body is not None and english.body.source == NEW_BODY
    assert english.quotes[0].text.source == "We built this laboratory with our members."
    untouched = english.model_dump(exclude={"body", "quotes"})
    assert untouched == old_english.model_dump(exclude={"body", "quotes"})
    assert english.quotes[1:] == old_english.quotes[1:]
    assert english.quotes[0].speaker == old_english.quotes[0].speaker
    assert french.model_dump() == old_french.model_dump()  # the other language is untouched


def load_all_text(text: str, beside: Path) -> list:  # type: ignore[type-arg]
    path = beside.with_name("before.yaml")
    path.write_text(text, encoding="utf-8")
    try:
        return load_all(path)
    finally:
        path.unlink()


def test_the_yaml_keeps_comments_and_untouched_lines(
    libreoffice_edit: tuple[Path, Path, str],
) -> None:
    content, _, before = libreoffice_edit
    after = content.read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert [line for line in old_lines if line.lstrip().startswith("#")] == [
        line for line in new_lines if line.lstrip().startswith("#")
    ]
    # Every line outside the two edited values is there, byte for byte and in order.
    body_start = old_lines.index("body: |")
    body_end = body_start + 6
    quote_line = old_lines.index("      en: We built this laboratory together.")
    kept = [
        line
        for i, line in enumerate(old_lines)
        if not (body_start <= i <= body_end) and i != quote_line
    ]
    remaining = iter(new_lines)
    assert all(any(line == other for other in remaining) for line in kept)
    assert "      en: We built this laboratory with our members." in new_lines
    # The shared body became one entry per language; French keeps the old text.
    document = yamlstrict.parse(after)
    assert (
        localise(document, "fr", ["en", "fr"]).data["body"] == yamlstrict.parse(before).data["body"]
    )


def test_the_rebuilt_pdf_and_email_carry_the_edits(
    libreoffice_edit: tuple[Path, Path, str], tmp_path: Path
) -> None:
    content, _, _ = libreoffice_edit
    result = build(content, tmp_path / "out", ["pdf", "docx"], ["en"])
    pdf = next(o.path for o in result.outputs if o.format == "pdf")
    text = squash(pdf_text(pdf))
    assert squash("It is free of charge, see the lab page.") in text
    assert squash("We built this laboratory with our members.") in text
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("email;name;language\nana@example.org;Ana Lima;en\n", encoding="utf-8")
    assert main(["mail", str(content), "--to", str(recipients), "-o", str(tmp_path / "out")]) == 0
    draft = next((tmp_path / "out").glob("*/mail/*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(draft.read_bytes())
    assert isinstance(message, EmailMessage)
    html = message.get_body(("html",))
    plain = message.get_body(("plain",))
    assert html is not None and plain is not None
    assert "<strong>free of charge</strong>" in str(html.get_content())
    assert 'href="https://northwind.example.org/lab"' in str(html.get_content())
    assert "with our members" in str(plain.get_content())


# -- tracked changes and comments (python-docx) -----------------------------------------


def lead_paragraph(document: docx.document.Document) -> docx.text.paragraph.Paragraph:
    return next(p for p in document.paragraphs if p.style is not None and p.style.name == "Lead")


def tracked(tag: str, text: str) -> OxmlElement:
    """A ``w:ins`` or ``w:del`` holding one run, as Word writes it."""
    change = OxmlElement(tag)
    change.set(qn("w:id"), "90" if tag == "w:ins" else "91")
    change.set(qn("w:author"), "Reviewer")
    change.set(qn("w:date"), "2026-03-10T09:00:00Z")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t" if tag == "w:ins" else "w:delText")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    change.append(run)
    return change


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture's Word file with a tracked insertion, a tracked deletion and a
    comment in the lead, written by python-docx."""
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    path = word_file(content, "en", tmp_path)
    document = docx.Document(str(path))
    lead = lead_paragraph(document)
    lead._p.append(tracked("w:ins", " Visits start in May."))
    lead._p.append(tracked("w:del", " This sentence was never there."))
    document.add_comment(lead.runs[0], text="Is “welcomes” the right verb?", author="Ana Lima")
    document.save(str(path))
    return path, content


def test_tracked_changes_are_refused_by_default(reviewed: tuple[Path, Path]) -> None:
    path, content = reviewed
    before = content.read_bytes()
    with pytest.raises(ImportRefused) as refused:
        import_word(path, content)
    message = str(refused.value)
    assert "1 insertion(s), 1 deletion(s)" in message and "--accept-changes" in message
    assert "The Northwind Health Cluster welcomes" in message  # where
    assert content.read_bytes() == before


def test_accepted_changes_are_imported_and_comments_listed(
    reviewed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, content = reviewed
    assert main(["import", str(path), str(content), "--accept-changes"]) == 0
    out = capsys.readouterr().out
    english = load_all(content)[0]
    assert " ".join(english.lead.source.split()) == (
        "The **Northwind Health Cluster** welcomes three members and opens a shared "
        "laboratory for its start-ups. Visits start in May."
    )
    assert "never there" not in content.read_text(encoding="utf-8")
    assert "comment by Ana Lima on “The”: Is “welcomes” the right verb? (not imported)" in out
    assert "right verb" not in content.read_text(encoding="utf-8")


# -- refusals ---------------------------------------------------------------------------


def test_a_file_presskit_did_not_build_is_refused(tmp_path: Path) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    before = content.read_bytes()
    foreign = tmp_path / "foreign.docx"
    document = docx.Document()
    document.add_paragraph("Three new members join the Northwind Health Cluster", style="Title")
    document.save(str(foreign))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    for path, words in ((foreign, "not built by presskit"), (broken, "not a readable Word")):
        with pytest.raises(ImportRefused, match=words):
            import_word(path, content)
    assert content.read_bytes() == before


def test_entity_tricks_and_zip_bombs_are_refused(tmp_path: Path) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    built = word_file(content, "en", tmp_path)
    doctype = tmp_path / "doctype.docx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(doctype, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY x "boom">]>', 1)
            target.writestr(name, data)
    bomb = tmp_path / "bomb.docx"
    shutil.copy(built, bomb)
    with (
        zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w") as member,
    ):
        for _ in range(210):
            member.write(bytes(1_000_000))
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        import_word(doctype, content)
    with pytest.raises(ImportRefused, match="unpacks to more than 200 MB"):
        import_word(bomb, content)


def test_a_file_of_another_release_is_refused(tmp_path: Path) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    other = word_file(copy_content(FIXTURES / "full.yaml", tmp_path / "other"), "en", tmp_path)
    with pytest.raises(ImportRefused, match="does not match"):
        import_word(other, content)


def test_an_edit_that_makes_the_content_invalid_is_reported(tmp_path: Path) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    before = content.read_bytes()
    path = word_file(content, "en", tmp_path)
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.style is not None and paragraph.style.name == "Quote Attribution":
            for run in paragraph.runs:
                run.text = ""
            break
    document.save(str(path))
    with pytest.raises(ContentError) as error:
        import_word(path, content)
    # A speaker's name is the same in every language: deleted for every language.
    assert "quotes[0].speaker: required, but missing" in str(error.value)
    assert "nothing was written" in str(error.value)
    assert content.read_bytes() == before


def test_text_in_an_unknown_style_is_reported_not_imported(tmp_path: Path) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    before = content.read_bytes()
    path = word_file(content, "en", tmp_path)
    document = docx.Document(str(path))
    document.styles.add_style("Fancy Note", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    lead_paragraph(document).insert_paragraph_before("A stray remark.", style="Fancy Note")
    document.save(str(path))
    report = import_word(path, content)
    assert report.changes == []
    assert len(report.notes) == 1
    assert "'Fancy Note'" in report.notes[0] and "A stray remark." in report.notes[0]
    assert content.read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    before = content.read_bytes()
    path = word_file(content, "fr", tmp_path)
    document = docx.Document(str(path))
    title = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Title")
    title.runs[0].text = "Trois membres rejoignent le cluster !"
    document.save(str(path))
    assert main(["import", str(path), str(content), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert '-  fr: "Trois nouveaux membres rejoignent le Northwind Health Cluster"' in out
    assert '+  fr: "Trois membres rejoignent le cluster !"' in out
    assert "would update" in out and "headline" in out
    assert content.read_bytes() == before


def replace_text(paragraph: docx.text.paragraph.Paragraph, old: str, new: str) -> None:
    """Change ``old`` to ``new`` inside one run (or hyperlink run) of ``paragraph``."""
    for run in paragraph._p.iter(qn("w:t")):
        if run.text and old in run.text:
            run.text = run.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} is not in {paragraph.text!r}")


def cell_paragraph(document: docx.document.Document, start: str) -> docx.text.paragraph.Paragraph:
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.text.startswith(start):
                        return paragraph
    raise AssertionError(f"no cell paragraph starts with {start!r}")


def test_own_labels_and_contacts_come_back_derived_labels_do_not(tmp_path: Path) -> None:
    content = copy_content(FIXTURES / "word-import.yaml", tmp_path / "content")
    path = word_file(content, "en", tmp_path)
    document = docx.Document(str(path))
    replace_text(cell_paragraph(document, "Lakeside"), "Campus", "Campus North")
    replace_text(cell_paragraph(document, "Northwind Member"), "Member", "Associate")
    contact = next(p for p in document.paragraphs if p.text.startswith("Sam Reyes"))
    replace_text(contact, "Reyes", "Reyes-Ortiz")
    replace_text(contact, "Press officer", "Head of press")
    replace_text(contact, "sam@", "press@")
    document.save(str(path))
    report = import_word(path, content)
    assert sorted(c.key_path for c in report.changes) == [
        "ecosystems[2].label",
        "media_contacts[0].email",
        "media_contacts[0].name",
        "media_contacts[0].role",
    ]
    assert "Northwind Associate Riverton" in report.notes[0]
    assert "presskit writes this text itself" in report.notes[0]
    # Names and addresses are not translated: updated for every language, and said so;
    # a role is: written per language, and said so.
    assert sorted(report.notes[1:]) == [
        "ecosystems[2].label: was the same in every language; now written per language, the "
        "en one changed, the others as they were",
        "media_contacts[0].email: the same in every language (names and numbers are not "
        "translated): updated for all of them",
        "media_contacts[0].name: the same in every language (names and numbers are not "
        "translated): updated for all of them",
        "media_contacts[0].role: was the same in every language; now written per language, "
        "the en one changed, the others as they were",
    ]
    english, french = load_all(content)
    assert english.ecosystems[2].display_label == "Lakeside Health Campus North"
    assert french.ecosystems[2].display_label == "Lakeside Health Campus"
    sam = english.media_contacts[0]
    assert (sam.name, sam.role, sam.organisation) == (
        "Sam Reyes-Ortiz",
        "Head of press",
        "Northwind",
    )
    assert sam.email == "press@northwind.example.org"
    assert french.media_contacts[0].name == "Sam Reyes-Ortiz"
    assert french.media_contacts[0].email == "press@northwind.example.org"
    assert french.media_contacts[0].role == "Press officer"


def test_an_edited_paragraph_is_wrapped_and_the_others_keep_their_lines(tmp_path: Path) -> None:
    content = copy_content(DEFAULT_CONTENT, tmp_path / "content")
    before = content.read_text(encoding="utf-8")
    old_body = next(r for r in load_all(content) if r.language == "fr").body
    assert old_body is not None
    path = word_file(content, "fr", tmp_path)
    document = docx.Document(str(path))
    first = next(p for p in document.paragraphs if p.text.startswith("Notre tissu économique"))
    added = (
        " Une phrase ajoutée en relecture, assez longue pour que la ligne dépasse la largeur"
        " des autres lignes du fichier."
    )
    first.add_run(added)
    document.save(str(path))
    report = import_word(path, content)
    assert [c.key_path for c in report.changes] == ["body"]
    after = content.read_text(encoding="utf-8")
    width = max(len(line) for line in before.splitlines() if line.startswith("    Notre"))
    removed = [line for line in _diff(before, after) if line.startswith("-")]
    inserted = [line[1:] for line in _diff(before, after) if line.startswith("+")]
    # Only the lines of the edited paragraph change; the new ones keep the file's width.
    first_paragraph = old_body.source.split("\n\n")[0].splitlines()
    assert removed and {line[1:].strip() for line in removed} <= {
        line.strip() for line in first_paragraph
    }
    assert inserted and all(len(line) <= width + 4 for line in inserted)
    new_body = next(r for r in load_all(content) if r.language == "fr").body
    assert new_body is not None
    old_paragraphs, new_paragraphs = old_body.source.split("\n\n"), new_body.source.split("\n\n")
    assert new_paragraphs[1:] == old_paragraphs[1:]
    assert " ".join(new_paragraphs[0].split()) == " ".join(old_paragraphs[0].split()) + added


def _diff(before: str, after: str) -> list[str]:
    import difflib

    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in lines if not line.startswith(("---", "+++", "@@"))]
