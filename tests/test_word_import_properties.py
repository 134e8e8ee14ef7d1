"""Property-based: importing the Word file presskit built changes nothing.

For any content the loader accepts (the strategies of the build property test), and
for every language of it, ``import(build(content))`` finds no change, reports nothing
and leaves the content file byte for byte as it was. And the Markdown the import
writes for an edited text builds the very paragraphs it was read from: prose rendered
to Word, read back as Markdown and rendered again gives the same styled runs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from presskit.content import markdown
from presskit.content.loader import load_all
from presskit.render.docx import REFERENCE_DOCX, add_prose, open_reference, render_docx
from presskit.render.view import Typesetter, build_view
from presskit.util.errors import ContentError
from presskit.wordimport.importer import import_word
from presskit.wordimport.markdown_out import Paragraph, to_markdown
from presskit.wordimport.reader import Piece, read_units

from .conftest import examples
from .test_properties import _PRINTABLE, releases

IMPORTED: list[int] = []


def bilingual(data: dict[str, object]) -> dict[str, object]:
    """Give some values per language, as real content does."""
    data = dict(data)
    data["languages"] = ["en", "fr"]
    for key in ("headline", "lead"):
        data[key] = {"en": data[key], "fr": data[key]}
    return data


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=releases, two_languages=st.booleans())
def test_importing_what_presskit_built_changes_nothing(
    data: dict[str, object], two_languages: bool
) -> None:
    data = {**data, "author": data["headline"]}  # refusals are the other test's business
    if two_languages:
        data = bilingual(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "release.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        before = path.read_bytes()
        try:
            built = load_all(path)
        except ContentError:
            return
        for release in built:
            word = Path(folder) / f"{release.language}.docx"
            word.write_bytes(render_docx(build_view(release)))
            report = import_word(word, path)
            assert report.changes == [], report.changes
            assert report.notes == [], report.notes
        assert path.read_bytes() == before
        IMPORTED.append(1)


def test_the_property_test_imported_most_examples() -> None:
    assert len(IMPORTED) >= 12, len(IMPORTED)


WORD = st.text(_PRINTABLE, min_size=1, max_size=12)
INLINE = st.lists(
    st.one_of(
        WORD,
        WORD.map(lambda w: f"**{w}**"),
        WORD.map(lambda w: f"*{w}*"),
        WORD.map(lambda w: f"[{w}](https://example.org/{len(w)})"),
        WORD.map(lambda w: f"`{w}`"),
    ),
    min_size=1,
    max_size=6,
).map(" ".join)
BLOCK = st.one_of(
    INLINE,
    INLINE.map(lambda t: "- " + t),
    INLINE.map(lambda t: "1. " + t),
    INLINE.map(lambda t: "## " + t),
    INLINE.map(lambda t: "> " + t),
    st.tuples(INLINE, INLINE).map(lambda p: f"- {p[0]}\n  - {p[1]}"),
    st.tuples(INLINE, INLINE, INLINE).map(lambda p: f"1. {p[0]}\n\n   {p[1]}\n2. {p[2]}"),
    st.tuples(INLINE, INLINE).map(lambda p: f"{p[0]}\\\n{p[1]}"),
)
PROSE = st.one_of(
    st.lists(BLOCK, min_size=1, max_size=5).map("\n\n".join),
    st.text(_PRINTABLE, min_size=1, max_size=200),
)


Char = tuple[str, bool, bool, bool, str | None]


def paragraphs_of(source: str, language: str) -> list[tuple[str, tuple[Char, ...]]]:
    """``source`` as the Word renderer writes it, read back: each paragraph's style and
    characters with their formatting (runs split anywhere read the same; bold or
    italics on a space cannot be seen, so a space is compared unformatted)."""
    document = open_reference(REFERENCE_DOCX)
    add_prose(document, Typesetter(language).prose(markdown.parse(source)))
    return [(unit.style, characters(unit.pieces)) for unit in read_units(document)]


def characters(pieces: tuple[Piece, ...]) -> tuple[Char, ...]:
    out: list[Char] = []
    for piece in pieces:
        for char in piece.text if piece.kind == "text" else [piece.kind]:
            plain = char.isspace() and not piece.code
            out.append(
                (char, piece.bold and not plain, piece.italic and not plain, piece.code, piece.href)
            )
    return tuple(out)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=PROSE, language=st.sampled_from(["en", "fr", "de"]))
@example(source="0\n\n- - 0", language="en")  # a nested item under an item of no text
@example(source="- a\n\n  - - - b", language="fr")
@example(source=":*«*", language="fr")  # a lone guillemet at the edge of italics
@example(source="0 *»*", language="fr")  # a marker that opens only after a space
def test_written_markdown_builds_the_paragraphs_it_was_read_from(
    source: str, language: str
) -> None:
    try:
        first = paragraphs_of(source, language)
    except markdown.MarkdownProblem:
        return
    document = open_reference(REFERENCE_DOCX)
    add_prose(document, Typesetter(language).prose(markdown.parse(source)))
    units = read_units(document)
    written = to_markdown([Paragraph(u.style, u.pieces) for u in units], language)
    assert paragraphs_of(written, language) == first, written


@pytest.mark.parametrize("language", ["en", "fr", "de"])
@pytest.mark.parametrize(
    "source",
    [
        'The "*Northwind*" label',
        '**"Quoted in bold"** and "*half* quoted"',
        'A `co"de` span beside "words"',
        "l'*équipe* and the *team*'s 'own' words",
    ],
)
def test_quotes_at_the_edges_of_emphasis_come_back_as_typed(source: str, language: str) -> None:
    """The typesetter pairs quotation marks across a paragraph's runs; the import
    judges them the same way, so straight quotes typed around an italic word come
    back straight, not as the typeset marks of one side."""
    document = open_reference(REFERENCE_DOCX)
    add_prose(document, Typesetter(language).prose(markdown.parse(source)))
    units = read_units(document)
    assert to_markdown([Paragraph(u.style, u.pieces) for u in units], language) == source
