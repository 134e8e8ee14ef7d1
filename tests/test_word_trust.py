"""``presskit import`` of Word files made to hurt: unbounded parts, DOCTYPEs in disguise,
endless inputs; and edits as Word and LibreOffice really write them. Each through the
command, as a user runs it, with the content file left byte for byte when refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from presskit.cli import main
from presskit.content.loader import load_all
from presskit.render.docx import render_docx
from presskit.render.view import build_view

FIXTURES = Path(__file__).parent / "fixtures"


def copy_content(folder: Path) -> Path:
    shutil.copytree(FIXTURES, folder, dirs_exist_ok=True)
    return folder / "word-import.yaml"


def word_file(content: Path, language: str, folder: Path) -> Path:
    release = next(r for r in load_all(content) if r.language == language)
    path = folder / f"{content.stem}-{language}.docx"
    path.write_bytes(render_docx(build_view(release)))
    return path


def rewritten(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """``source`` with members replaced (None: removed) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            if name in change:
                continue
            new.writestr(name, old.read(name))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)
    return target


def refused(argv: list[str], content: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = content.read_bytes()
    assert main(argv) == 1
    assert content.read_bytes() == before
    error = capsys.readouterr().err
    assert "Traceback" not in error
    return error


def test_a_small_file_of_forty_megabytes_of_paragraphs_is_refused_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Empty paragraphs compress a thousandfold: the XML part is refused by its size,
    before python-docx would hold fifty bytes of memory for each of its bytes."""
    content = copy_content(tmp_path / "content")
    built = word_file(content, "en", tmp_path)
    with zipfile.ZipFile(built) as archive:
        xml = archive.read("word/document.xml")
    padded = xml.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 7_000_000, 1)
    bomb = rewritten(built, tmp_path / "bomb.docx", {"word/document.xml": padded})
    assert bomb.stat().st_size < 1_000_000
    # The peak is this process's own (VmHWM, reset at exec): ru_maxrss would also carry
    # the high-water mark of the test process it was forked from.
    script = (
        "import re, sys\n"
        "from presskit.cli import main\n"
        "status = main(['import', sys.argv[1], sys.argv[2]])\n"
        "status_text = open('/proc/self/status').read()\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', status_text).group(1)) // 1024\n"
        "print(status, peak)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(bomb), str(content)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    status, peak_mb = map(int, result.stdout.split())
    assert status == 1
    assert "word/document.xml is 42 MB of XML" in result.stderr
    assert peak_mb < 400, f"peak {peak_mb} MB: {result.stderr}"


def test_a_doctype_in_utf16_or_in_a_renamed_part_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")
    built = word_file(content, "en", tmp_path)
    with zipfile.ZipFile(built) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        types = archive.read("[Content_Types].xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels")
        package_rels = archive.read("_rels/.rels").decode("utf-8")
    entity = xml.replace("?>", '?><!DOCTYPE w:document [<!ENTITY x "boom">]>', 1)
    utf16 = entity.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    first = rewritten(built, tmp_path / "utf16.docx", {"word/document.xml": utf16})
    error = refused(["import", str(first), str(content)], content, capsys)
    assert "word/document.xml declares a DOCTYPE; refusing the file" in error
    renamed = rewritten(
        built,
        tmp_path / "renamed.docx",
        {
            "word/document.xml": None,
            "word/_rels/document.xml.rels": None,
            "word/main.bin": entity.encode(),
            "word/_rels/main.bin.rels": rels,
            "[Content_Types].xml": types.replace("/word/document.xml", "/word/main.bin").encode(),
            "_rels/.rels": package_rels.replace("word/document.xml", "word/main.bin").encode(),
        },
    )
    error = refused(["import", str(renamed), str(content)], content, capsys)
    assert "word/main.bin declares a DOCTYPE; refusing the file" in error


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_an_input_that_never_ends_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    content = copy_content(tmp_path / "content")
    if kind == "device":
        source = Path("/dev/zero")
    elif kind == "fifo":
        source = tmp_path / "pipe.docx"
        os.mkfifo(source)
    else:
        source = tmp_path / "folder.docx"
        source.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "presskit", "import", str(source), str(content)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{source}: not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


# -- edits as Word and LibreOffice write them ---------------------------------------------


def edited(content: Path, folder: Path, change: object, language: str = "en") -> Path:
    """The Word file of ``content`` in ``language``, edited by ``change(document)``."""
    import docx

    path = word_file(content, language, folder)
    document = docx.Document(str(path))
    change(document)  # type: ignore[operator]
    document.save(str(path))
    return path


def paragraphs(document: object, style: str) -> list[object]:
    return [p for p in document.paragraphs if p.style.name == style]  # type: ignore[attr-defined]


def imported(path: Path, content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Import as a user would; the content file's new text, and what was said."""
    capsys.readouterr()
    assert main(["import", str(path), str(content)]) == 0
    said = capsys.readouterr()
    return content.read_text(encoding="utf-8"), said.out + said.err


@pytest.mark.parametrize(
    ("style", "field"),
    [("Title", "headline"), ("Subtitle", "subheadline"), ("Quote Attribution", "quotes")],
)
def test_a_soft_line_break_in_a_one_line_field_reads_as_a_space(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], style: str, field: str
) -> None:
    content = copy_content(tmp_path / "content")

    def shift_enter(document: object) -> None:
        paragraph = paragraphs(document, style)[0]
        paragraph.runs[-1].add_break()  # type: ignore[attr-defined]
        paragraph.add_run("Updated")  # type: ignore[attr-defined]

    text, said = imported(edited(content, tmp_path, shift_enter), content, capsys)
    if field == "headline":
        assert 'en: "Three new members join the Northwind Health Cluster Updated"' in text
    elif field == "subheadline":
        assert "en: A shared laboratory opens in Riverton Updated" in text
    else:
        assert "Chair, Northwind Health Cluster Updated" in text
    assert "required" not in said


def test_a_soft_line_break_in_the_ecosystems_intro_keeps_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")

    def shift_enter(document: object) -> None:
        intro = next(p for p in document.paragraphs if p.text.startswith("The cluster"))  # type: ignore[attr-defined]
        intro.runs[0].text = "The cluster’s"
        intro.runs[0].add_break()
        intro.add_run("members.")

    before = content.read_bytes()
    path = edited(content, tmp_path, shift_enter)
    capsys.readouterr()
    assert main(["import", str(path), str(content)]) == 0
    assert content.read_bytes() == before  # the field kept, whole: the break is a space


@pytest.mark.parametrize(("style", "attribute"), [("Lead", "bold"), ("Quote", "italic")])
def test_formatting_that_restates_the_style_is_not_emphasis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], style: str, attribute: str
) -> None:
    """LibreOffice with tracked changes (or Word's "keep source formatting") writes
    the style's own bold or italic on every run: the paragraph is not all emphasis."""
    content = copy_content(tmp_path / "content")
    before = content.read_bytes()

    def restate(document: object) -> None:
        for run in paragraphs(document, style)[0].runs:  # type: ignore[attr-defined]
            setattr(run, attribute, True)

    path = edited(content, tmp_path, restate)
    capsys.readouterr()
    assert main(["import", str(path), str(content)]) == 0
    assert content.read_bytes() == before  # nothing changed: no **…** or *…* around it
    assert "no changes to import" in capsys.readouterr().out


def test_a_picture_inserted_in_word_is_named_and_the_text_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx.shared import Mm

    content = copy_content(tmp_path / "content")

    def insert(document: object) -> None:
        body = next(p for p in document.paragraphs if "laboratory is open" in p.text)  # type: ignore[attr-defined]
        body.add_run(" Welcome.")
        body.add_run().add_picture(str(FIXTURES / "logo.png"), width=Mm(20))

    text, said = imported(edited(content, tmp_path, insert), content, capsys)
    assert "The laboratory is open to every member from April. Welcome." in text
    assert "a picture inserted in Word is not imported" in said
    assert "![" not in text


def test_a_contact_line_deleted_deletes_that_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")
    content.write_text(
        content.read_text().replace(
            "email: sam@northwind.example.org}",
            "email: sam@northwind.example.org, phone: +44 20 7946 0000}",
        )
    )

    def delete_phone_line(document: object) -> None:
        from docx.oxml.ns import qn

        paragraph = next(p for p in document.paragraphs if p.text.startswith("Sam Reyes"))  # type: ignore[attr-defined]
        runs = list(paragraph._p.iter(qn("w:r")))
        last_break = [r for r in runs if r.find(qn("w:br")) is not None][-1]
        for element in [*runs[runs.index(last_break) :], *paragraph._p.iter(qn("w:hyperlink"))]:
            if (
                element.getparent() is not None
                and "+44" in "".join(t.text or "" for t in element.iter(qn("w:t")))
            ) or element is last_break:
                element.getparent().remove(element)

    text, said = imported(edited(content, tmp_path, delete_phone_line), content, capsys)
    assert "phone" not in text and "email: sam@northwind.example.org" in text
    assert "name" in text and "required" not in said


def test_a_reworded_about_heading_is_refused_clearly_and_keeps_the_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")
    before = content.read_bytes()

    def reword(document: object) -> None:
        heading = next(p for p in document.paragraphs if p.text.startswith("About "))  # type: ignore[attr-defined]
        heading.runs[0].text = heading.runs[0].text.replace("About", "More on")

    path = edited(content, tmp_path, reword)
    capsys.readouterr()
    assert main(["import", str(path), str(content)]) == 0
    said = capsys.readouterr().out
    assert "“More on Northwind Health Cluster”: presskit words “About …” itself" in said
    assert content.read_bytes() == before


def test_a_quote_deleted_in_word_is_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")

    def delete_second_quote(document: object) -> None:
        for style in ("Quote", "Quote Attribution"):
            paragraph = paragraphs(document, style)[1]
            paragraph._p.getparent().remove(paragraph._p)  # type: ignore[attr-defined]

    text, said = imported(edited(content, tmp_path, delete_second_quote), content, capsys)
    assert "A second quotation" not in text and "Lee Park" not in text
    assert "We built this laboratory together." in text
    assert "quotes[1]" in said
    [release, *_] = load_all(content)
    assert len(release.quotes) == 1


def test_typed_quotes_and_untouched_apostrophes_come_back_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a French paragraph edited in Word: “…” typed there (Word's English
    autocorrect) come back straight, to be « … » like any quotation; the paragraph's
    untouched apostrophes come back straight as they were written, not as ’."""
    content = copy_content(tmp_path / "content")
    content.write_text(
        content.read_text().replace(
            "    partagé pour ses start-up.", "    partagé pour l'équipe et ses start-up."
        )
    )

    def add_sentence(document: object) -> None:
        lead = paragraphs(document, "Lead")[0]
        lead.add_run(" C’est un “nouveau” départ.")  # type: ignore[attr-defined]

    text, _ = imported(edited(content, tmp_path, add_sentence, "fr"), content, capsys)
    assert "partagé pour l'équipe et ses start-up." in text
    assert 'C\'est un "nouveau" départ.' in text
    assert "’" not in text and "“" not in text


# -- three-way: what the Word file was built from, its edits, the content file now ----


def test_an_edit_made_in_the_content_file_since_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Built; the headline edited in the content file; the lead edited in the Word file
    a colleague had: both are in the content file after the import."""
    content = copy_content(tmp_path / "content")

    def edit_lead(document: object) -> None:
        paragraphs(document, "Lead")[0].add_run(" A second sentence.")  # type: ignore[attr-defined]

    word = edited(content, tmp_path, edit_lead)
    content.write_text(
        content.read_text().replace(
            '"Three new members join the Northwind Health Cluster"',
            '"Four new members join the Northwind Health Cluster"',
        )
    )
    text, said = imported(word, content, capsys)
    assert '"Four new members join the Northwind Health Cluster"' in text
    assert "laboratory for its start-ups. A second sentence." in text
    assert "updated" in said


def test_a_field_changed_on_both_sides_is_refused_with_both_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")

    def edit_headline(document: object) -> None:
        title = paragraphs(document, "Title")[0]
        title.runs[0].text = "Five members join the Northwind Health Cluster"  # type: ignore[attr-defined]

    word = edited(content, tmp_path, edit_headline)
    content.write_text(
        content.read_text().replace(
            '"Three new members join the Northwind Health Cluster"',
            '"Four new members join the Northwind Health Cluster"',
        )
    )
    before = content.read_bytes()
    capsys.readouterr()
    assert main(["import", str(word), str(content)]) == 1
    error = capsys.readouterr().err
    assert "changed both in the Word file and in the content file" in error
    assert "headline: in the Word file “Five members join the Northwind Health Cluster”" in error
    assert "in the content file “Four new members join the Northwind Health Cluster”" in error
    assert "nothing was written" in error
    assert content.read_bytes() == before


def test_the_same_change_on_both_sides_is_no_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")

    def edit_headline(document: object) -> None:
        paragraphs(document, "Title")[0].runs[
            0
        ].text = "Four new members join the Northwind Health Cluster"  # type: ignore[attr-defined]

    word = edited(content, tmp_path, edit_headline)
    content.write_text(content.read_text().replace("Three new members", "Four new members"))
    before = content.read_bytes()
    capsys.readouterr()
    assert main(["import", str(word), str(content)]) == 0
    assert content.read_bytes() == before


def test_a_quote_added_in_the_content_file_since_is_not_taken_for_a_deletion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = copy_content(tmp_path / "content")

    def edit_lead(document: object) -> None:
        paragraphs(document, "Lead")[0].add_run(" More soon.")  # type: ignore[attr-defined]

    word = edited(content, tmp_path, edit_lead)
    content.write_text(
        content.read_text().replace(
            "ecosystems_intro:",
            "  - text: A third quotation, added since.\n"
            "    speaker: Robin Vale\n\necosystems_intro:",
        )
    )
    text, _ = imported(word, content, capsys)
    assert "A third quotation, added since." in text and "Robin Vale" in text
    assert "laboratory for its start-ups. More soon." in text


def test_a_word_file_without_a_record_is_compared_with_the_content_as_it_is_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file an older presskit made records nothing: it is imported as before, and
    the report says what that means."""
    from lxml import etree

    content = copy_content(tmp_path / "content")
    word = word_file(content, "en", tmp_path)
    with zipfile.ZipFile(word) as archive:
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    for prop in list(custom):
        if (prop.get("name") or "").startswith("presskit-source"):
            custom.remove(prop)
    old = rewritten(word, tmp_path / "old.docx", {"docProps/custom.xml": etree.tostring(custom)})
    capsys.readouterr()
    assert main(["import", str(old), str(content), "--dry-run"]) == 0
    assert "does not record what it was built from" in capsys.readouterr().out


@pytest.mark.parametrize("cycle", [False, True])
def test_bold_inherited_through_a_long_chain_of_base_styles_is_the_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cycle: bool
) -> None:
    """A theme's Lead may take its bold from a base style several levels up (and a
    damaged file may even loop back): bold runs there restate the style, not emphasis."""
    from docx.enum.style import WD_STYLE_TYPE

    content = copy_content(tmp_path / "content")
    before = content.read_bytes()

    def deep_bold(document: object) -> None:
        lead = document.styles["Lead"]  # type: ignore[attr-defined]
        chain = [document.styles.add_style(f"Base {i}", WD_STYLE_TYPE.PARAGRAPH) for i in range(6)]  # type: ignore[attr-defined]
        for child, parent in zip([lead, *chain], chain, strict=False):
            child.base_style = parent
            child.font.bold = None
        chain[-1].font.bold = True
        if cycle:
            chain[-1].base_style = lead
        for run in paragraphs(document, "Lead")[0].runs:  # type: ignore[attr-defined]
            run.bold = True

    path = edited(content, tmp_path, deep_bold)
    capsys.readouterr()
    assert main(["import", str(path), str(content)]) == 0
    assert content.read_bytes() == before
    assert "no changes to import" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("language", "opening", "closing"),
    [("fr", "«\u202f", "\u202f»"), ("en", "“", "”")],
)
def test_quotes_typed_around_a_word_put_in_italics_come_back_straight(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    opening: str,
    closing: str,
) -> None:
    """A word put in italics inside quotation marks in Word: the content file gets the
    quotes as a person types them, on both sides, the italics inside."""
    content = copy_content(tmp_path / "content")

    def quote_in_italics(document: object) -> None:
        lead = paragraphs(document, "Lead")[0]
        lead.add_run(f" {opening}")  # type: ignore[attr-defined]
        lead.add_run("together").italic = True  # type: ignore[attr-defined]
        lead.add_run(f"{closing}.")  # type: ignore[attr-defined]

    text, said = imported(edited(content, tmp_path, quote_in_italics, language), content, capsys)
    assert '"*together*".' in text, said
    assert opening.strip() not in text.split("lead:")[1].split("body:")[0]
