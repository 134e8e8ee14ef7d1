"""Prose keeps its structure: nested lists, items of several paragraphs, lists inside
quotes, numbered lists that start again, headings ranked under their section, in the
tree and in every rendering of it (HTML, Word as LibreOffice shows it, plain text)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from presskit.content.markdown import Heading, ListBlock, Paragraph, Quote, parse
from presskit.kit.build import build
from presskit.render.prose import prose_html, prose_text
from presskit.render.view import Typesetter

from .conftest import MINIMAL, libreoffice_pdf, pdf_text, write_content

STRUCTURED = """\
Intro.

1. First step

   Its second paragraph.
2. Second step
   - nested *bullet*
   - another

> A quote that lists:
> - quoted one
> - quoted two

#### Details

1. Alpha
2. Beta

Between the lists.

1. Gamma
2. Delta

###### Fine print
"""


def test_tree_keeps_items_quotes_and_lists_nested() -> None:
    intro, steps, quote, details, first, between, second, fine = parse(STRUCTURED).blocks
    assert isinstance(intro, Paragraph) and isinstance(between, Paragraph)
    assert isinstance(steps, ListBlock) and steps.ordered
    one, two = steps.items
    assert [type(b) for b in one.blocks] == [Paragraph, Paragraph]  # one item, two paragraphs
    assert isinstance(two.blocks[1], ListBlock) and not two.blocks[1].ordered
    assert isinstance(quote, Quote) and isinstance(quote.blocks[1], ListBlock)
    assert isinstance(first, ListBlock) and isinstance(second, ListBlock)
    assert (first.start, second.start) == (1, 1)
    # "####" then "######": consecutive ranks, never a skipped level.
    assert isinstance(details, Heading) and isinstance(fine, Heading)
    assert (details.rank, fine.rank) == (0, 1)


def test_html_nests_as_written() -> None:
    html = str(prose_html(parse(STRUCTURED), heading_base=2))
    assert (
        "<ol><li><p>First step</p><p>Its second paragraph.</p></li>"
        "<li><p>Second step</p><ul><li>nested <em>bullet</em></li><li>another</li></ul></li></ol>"
    ) in html
    assert "<blockquote><p>A quote that lists:</p><ul><li>quoted one</li>" in html
    assert "<h2>Details</h2>" in html and "<h3>Fine print</h3>" in html
    assert html.count("<ol>") == 3  # the two short lists are two lists


def test_plain_text_indents_items_and_quotes() -> None:
    text = prose_text(parse(STRUCTURED))
    assert "1. First step\n\n   Its second paragraph.\n\n2. Second step" in text
    assert "   - nested bullet\n   - another" in text
    assert "> A quote that lists:\n>\n> - quoted one\n> - quoted two" in text
    assert "1. Alpha\n2. Beta\n\nBetween the lists.\n\n1. Gamma\n2. Delta" in text


@pytest.fixture(scope="module")
def structured_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("structured")
    body = "\n".join("  " + line if line else "" for line in STRUCTURED.splitlines())
    path = write_content(folder, MINIMAL + f"body: |\n{body}\n")
    outputs = {o.format: o.path for o in build(path, folder / "out", ["docx"]).outputs}
    return outputs["docx"]


def _paragraphs(path: Path) -> list[tuple[str, str, str | None]]:
    """(text, style name, numbering id) of each body paragraph."""
    rows = []
    for paragraph in docx.Document(str(path)).paragraphs:
        num_id = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        number = num_id.get(qn("w:val")) if num_id is not None else None
        rows.append((paragraph.text, str(paragraph.style.name), number))
    return rows


def test_word_keeps_structure_and_restarts_numbering(structured_docx: Path) -> None:
    rows = {text: (style, number) for text, style, number in _paragraphs(structured_docx)}
    assert rows["First step"][0] == "List Number"
    assert rows["Its second paragraph."][0] == "List Continue"  # same item, no new number
    assert rows["nested bullet"][0] == "List Bullet 2"
    assert rows["quoted one"][0] == rows["A quote that lists:"][0] == "Quote"
    assert rows["quoted one"][1] is not None  # a bulleted paragraph inside the quote
    assert rows["Details"][0] == "Heading 1" and rows["Fine print"][0] == "Heading 2"
    lists = {rows[t][1] for t in ("First step", "Alpha", "Gamma")}
    assert len(lists) == 3 and None not in lists  # one numbering instance per list
    assert rows["Alpha"][1] == rows["Beta"][1]
    document = docx.Document(str(structured_docx))
    numbering = document.part.numbering_part.element
    for number in lists:
        num = numbering.num_having_numId(int(str(number)))
        assert num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val")) == "1"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_numbers_each_list_from_one(structured_docx: Path, tmp_path: Path) -> None:
    text = " ".join(pdf_text(libreoffice_pdf(structured_docx, tmp_path)).split())
    assert re.search(r"1\. Alpha 2\. Beta", text)
    assert re.search(r"1\. Gamma 2\. Delta", text), text
    assert re.search(r"1\. First step Its second paragraph\. 2\. Second step", text)


def test_typography_reaches_every_level_of_the_tree() -> None:
    prose = Typesetter("fr").prose(parse('> Citation :\n> - "item" imbriqué !\n>\n>   suite'))
    [quote] = prose.blocks
    assert isinstance(quote, Quote)
    listed = quote.blocks[1]
    assert isinstance(listed, ListBlock)
    texts = ["".join(s.text for s in run) for run in prose.runs()]
    assert texts == ["Citation\u00a0:", "«\u202fitem\u202f» imbriqué\u202f!", "suite"]
    assert len(listed.items[0].blocks) == 2  # the item kept its second paragraph
