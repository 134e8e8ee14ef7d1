"""``presskit import``: one edited Word file in, its edits written into the content.

Nothing is written unless every step succeeds: the file is one presskit built, in a
language of the content, without pending tracked changes (or with them accepted),
mapped onto the content's fields, and the edited content still validates.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from presskit.content import loader, markdown, translations
from presskit.content.model import PressRelease
from presskit.content.typography import typeset_text
from presskit.render.view import build_view
from presskit.util import atomic, yamlstrict
from presskit.util.errors import ContentError
from presskit.wordimport.layout import keep_layout
from presskit.wordimport.mapping import (
    KIT_CONTENTS_STYLES,
    Alignment,
    Label,
    Path_,
    Reference,
    Segment,
    Target,
    align,
    kit_reference_for,
    lines_of,
    reference_for,
    trim,
)
from presskit.wordimport.markdown_out import Paragraph, is_prose_style, to_markdown
from presskit.wordimport.package import (
    Comment,
    ImportRefused,
    PendingChanges,
    WordFile,
    accept_all_changes,
    open_word_file,
)
from presskit.wordimport.reader import Piece, Unit, read_units
from presskit.wordimport.untype import untype_line
from presskit.wordimport.yamledit import ContentEditor, LayoutError

MIN_SIMILARITY = 0.3  # below this, the Word file is not a version of this content


@dataclass(frozen=True)
class Change:
    """One field that the Word file changes."""

    path: tuple[str | int, ...]
    old: str | None
    new: str | None

    @property
    def key_path(self) -> str:
        return yamlstrict.format_path(self.path)


@dataclass
class ImportReport:
    """What an import found and did."""

    language: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    accepted: PendingChanges | None = None
    diff: str = ""
    written: bool = False


def import_word(
    word_path: Path, content_path: Path, accept_changes: bool = False, dry_run: bool = False
) -> ImportReport:
    """Bring the edits of ``word_path`` into ``content_path`` (unless ``dry_run``)."""
    word = _opened(word_path, accept_changes)
    releases, document = loader.load_with_lines(content_path)
    current = _release_in(releases, word.language_tag, word_path, content_path)
    report = ImportReport(current.language, comments=word.comments)
    report.accepted = word.changes if word.changes.count else None
    # What the Word file was built from: its edits are what differs from that, and
    # they are merged with what the content file changed since (three-way).
    base = _built_from(word.source, content_path, current, report)
    reference = _reference(word.kind, base, word_path)
    if base is not current:
        _refuse_another_release(reference, current, word.kind, word_path, content_path)
    edited = [u for u in read_units(word.document) if u.style not in KIT_CONTENTS_STYLES]
    labels = _labels(reference, edited, report, word_path, content_path)
    changes = _changes(base, reference, edited, labels, report)
    report.changes = changes if base is current else _merged(changes, base, current, word_path)
    report.notes.sort(key=_paragraph_number)
    if report.changes:
        _write_changes(content_path, document, current, report, word_path, dry_run)
    return report


def _opened(word_path: Path, accept_changes: bool) -> WordFile:
    """The Word file, its tracked changes accepted when asked (refused otherwise)."""
    word = open_word_file(word_path)
    if word.changes.count and not accept_changes:
        raise ImportRefused(_pending_message(word_path, word.changes))
    if word.changes.count:
        accept_all_changes(word.document.element.body)
    return word


def _write_changes(
    content_path: Path,
    document: yamlstrict.Document,
    current: PressRelease,
    report: ImportReport,
    word_path: Path,
    dry_run: bool,
) -> None:
    """The content file with the report's changes: diffed, validated, then written
    (unless ``dry_run``)."""
    new_text = _edited_text(content_path, document, current, report.changes, report)
    old_text = content_path.read_text(encoding="utf-8-sig")
    report.diff = _diff(old_text, new_text, content_path)
    _validate(content_path, new_text, word_path)
    if not dry_run:
        atomic.write_bytes(content_path, new_text.encode("utf-8"))
        report.written = True


def _diff(old_text: str, new_text: str, content_path: Path) -> str:
    old, new = old_text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    after = f"{content_path} (after import)"
    return "".join(difflib.unified_diff(old, new, str(content_path), after))


def _built_from(
    source: dict[str, Any] | None, content_path: Path, current: PressRelease, report: ImportReport
) -> PressRelease:
    """The version the Word file was built from, from its record; the content file as
    it is now when the file has none (an older presskit made it) or it no longer
    validates (a picture it names is gone), said in a note."""
    if source is None:
        report.notes.append(
            "this Word file does not record what it was built from (an older presskit made "
            "it): it is compared with the content file as it is now, so a change made in "
            "the content file since it was built would be undone; check the diff"
        )
        return current
    if source == current.source:
        return current  # nothing changed in the content file since: a two-way import
    base = loader.version_from_source(content_path, source)
    if base is None or base.language != current.language:
        report.notes.append(
            "what this Word file was built from no longer loads (a picture it names may be "
            "gone): it is compared with the content file as it is now; check the diff"
        )
        return current
    return base


def _reference(kind: str, release: PressRelease, word_path: Path) -> Reference:
    """What the Word file looked like as built from ``release``, paragraph by paragraph,
    with the field behind each: the release, or the press kit document."""
    if kind != "kit":
        return reference_for(build_view(release), release)
    from presskit.render.kitview import build_kit_view, has_kit

    if not has_kit(release):
        raise ImportRefused(
            f"{word_path}: this is a press kit document, but the content has no kit section "
            "any more; nothing was written"
        )
    return kit_reference_for(build_kit_view(release), release)


def _refuse_another_release(
    built: Reference, current: PressRelease, kind: str, word_path: Path, content_path: Path
) -> None:
    """The version a Word file records must be one of this content file's: a file of
    another release, whose record says what it was built from, would match itself."""
    now = _reference(kind, current, word_path)
    if align(now.units, built.units).similarity < MIN_SIMILARITY:
        raise ImportRefused(
            f"{word_path}: this Word file does not match {content_path} (it was built from "
            "another release: too little of it is in the content file); nothing was written"
        )


class Conflicts(ImportRefused):
    """The same field was changed in the Word file and in the content file."""


def _merged(
    changes: list[Change], base: PressRelease, current: PressRelease, word_path: Path
) -> list[Change]:
    """The Word file's changes (from ``base``, what it was built from) applied to the
    content file as it is now: a field changed in Word only is changed; one the content
    file changed since keeps the file's value unless Word changed it too, differently:
    then nothing is written, and every such field is listed with both values."""
    merged: list[Change] = []
    conflicts: list[str] = []
    for change in changes:
        moved = _list_moved(change.path, base, current)
        now = _current_text(current, change.path)
        if moved is None and _same(now, change.old):
            merged.append(Change(change.path, now, change.new))
        elif moved is None and _same(now, change.new):
            continue  # the content file says it already
        else:
            conflicts.append(_conflict(change, now, moved))
    if conflicts:
        raise _conflicts(word_path, conflicts)
    return merged


def _conflicts(word_path: Path, conflicts: list[str]) -> Conflicts:
    listed = "".join(f"\n  {line}" for line in conflicts)
    return Conflicts(
        f"{word_path}: these fields were changed both in the Word file and in the content "
        f"file since the Word file was built:{listed}\nnothing was written. Keep one: "
        "make the change in the content file, or build the Word file again and redo "
        "the edit there"
    )


def _list_moved(path: Path_, base: PressRelease, current: PressRelease) -> str | None:
    """Why ``path`` may not name the same item now: a list on its way has another
    length in the content file than in the Word file's version."""
    lists = (path[:end] for end, key in enumerate(path) if isinstance(key, int))
    return next(filter(None, (_length_change(at, base, current) for at in lists)), None)


def _length_change(at: Path_, base: PressRelease, current: PressRelease) -> str | None:
    then, now = _model_value(base, at), _model_value(current, at)
    if not (isinstance(then, list) and isinstance(now, list)) or len(then) == len(now):
        return None
    where = yamlstrict.format_path(at)
    return f"{where} has {len(now)} items in the content file, {len(then)} in the Word file"


def _current_text(current: PressRelease, path: Path_) -> str | None:
    if len(path) == 2 and path[0] in REMOVABLE:
        return _item_text(current, path)
    return _model_text(current, path)


def _same(one: str | None, other: str | None) -> bool:
    return " ".join((one or "").split()) == " ".join((other or "").split())


def _conflict(change: Change, now: str | None, moved: str | None) -> str:
    if moved is not None:
        return f"{change.key_path}: changed in the Word file, but {moved}"
    return (
        f"{change.key_path}: in the Word file “{_snippet(change.new or '(deleted)', 80)}”, "
        f"in the content file “{_snippet(now or '(deleted)', 80)}” "
        f"(both changed from “{_snippet(change.old or '(nothing)', 80)}”)"
    )


def _pending_message(path: Path, changes: PendingChanges) -> str:
    where = "".join(f"\n  {place}" for place in changes.places[:10])
    more = f"\n  … and {len(changes.places) - 10} more" if len(changes.places) > 10 else ""
    return (
        f"{path}: {changes.insertions} insertion(s), {changes.deletions} deletion(s) and "
        f"{changes.formatting} formatting change(s) are still tracked, in:{where}{more}\n"
        "Accept or reject them in Word first, or run again with --accept-changes to "
        "import the document as if all were accepted; nothing was written."
    )


def _release_in(
    releases: list[PressRelease], tag: str, word_path: Path, content_path: Path
) -> PressRelease:
    for release in releases:
        if tag in (release.language_tag, release.language):
            return release
    available = ", ".join(r.language for r in releases)
    raise ImportRefused(
        f"{word_path}: the Word file is in {tag}, but {content_path} has no such language "
        f"(languages: {available}); nothing was written"
    )


# -- which field each edited paragraph belongs to --------------------------------------


def _labels(
    reference: Reference, edited: list[Unit], report: ImportReport, word: Path, content: Path
) -> list[tuple[Unit, Label | None, Unit | None]]:
    """Each edited paragraph with its label and its reference paragraph."""
    alignment = _aligned(reference, edited, word, content)
    known = {u.style for u in reference.units}
    result: list[tuple[Unit, Label | None, Unit | None]] = []
    for unit, index in alignment.pairs:
        if unit.style not in known and not is_prose_style(unit.style):
            report.notes.append(
                f"{unit.position}: text in the style '{unit.style}', which presskit does "
                f"not write, is not imported: “{_snippet(unit.text)}”"
            )
            continue
        if index is None:
            result.append((unit, None, None))
        else:
            result.append((unit, reference.labels[index], reference.units[index]))
    return _place_added(result, _styles_of(reference), report)


def _aligned(reference: Reference, edited: list[Unit], word: Path, content: Path) -> Alignment:
    """The edited paragraphs paired with the reference's; refused when too few match."""
    alignment = align(reference.units, edited)
    if alignment.similarity < MIN_SIMILARITY or not any(
        index is not None for _, index in alignment.pairs
    ):
        raise ImportRefused(
            f"{word}: this Word file does not match {content} (too little of it is "
            "where presskit put it); nothing was written"
        )
    return alignment


def _styles_of(reference: Reference) -> dict[Target, set[str]]:
    """The paragraph styles each field is written in."""
    styles_of: dict[Target, set[str]] = {}
    for unit, label in zip(reference.units, reference.labels, strict=True):
        for target in label.targets:
            styles_of.setdefault(target, set()).add(unit.style)
    return styles_of


def _place_added(
    rows: list[tuple[Unit, Label | None, Unit | None]],
    styles_of: dict[Target, set[str]],
    report: ImportReport,
) -> list[tuple[Unit, Label | None, Unit | None]]:
    """A paragraph added in Word joins the prose field before or after it."""
    placed: list[tuple[Unit, Label | None, Unit | None]] = []
    for i, (unit, label, ref) in enumerate(rows):
        if label is not None:
            placed.append((unit, label, ref))
            continue
        before = next((lb for _, lb, _ in reversed(placed) if lb is not None), None)
        after = next((lb for _, lb, _ in rows[i + 1 :] if lb is not None), None)
        chosen = _prose_field_near(unit, (before, after), styles_of)
        if chosen is None:
            report.notes.append(
                f"{unit.position}: a paragraph added outside the texts presskit imports "
                f"is not imported: “{_snippet(unit.text)}”"
            )
            continue
        placed.append((unit, Label(Segment(chosen)), None))
    return placed


def _prose_field_near(
    unit: Unit, neighbours: tuple[Label | None, Label | None], styles_of: dict[Target, set[str]]
) -> Target | None:
    """The prose field before or after an added paragraph; one written in the
    paragraph's style first, the one before first."""
    options = [
        lb.prose.target
        for lb in neighbours
        if lb is not None and lb.prose is not None and lb.prose.target is not None
    ]
    fitting = [t for t in options if unit.style in styles_of.get(t, set())]
    chosen = fitting or options
    return chosen[0] if chosen else None


# -- field values, before and after ----------------------------------------------------


@dataclass
class _Values:
    prose: dict[Target, list[Paragraph]] = field(default_factory=dict)
    lines: dict[Target, str | None] = field(default_factory=dict)
    """A line's new value; None where its line was deleted."""
    untouched: set[Target] = field(default_factory=set)
    """Fields whose paragraph could not be read (said in a note): left as they are."""


def _collect(
    rows: list[tuple[Unit, Label, Unit | None]], report: ImportReport | None, language: str
) -> _Values:
    values = _Values()
    for unit, label, ref in rows:
        if label.prose is not None and label.prose.target is not None:
            _collect_prose(values, unit, label.prose, ref, report)
        else:
            _collect_lines(values, unit, label, ref, report, language)
    return values


def _collect_prose(
    values: _Values, unit: Unit, segment: Segment, ref: Unit | None, report: ImportReport | None
) -> None:
    target = segment.target
    assert target is not None
    text = unit.text
    if not (text.startswith(segment.prefix) and text.endswith(segment.suffix)):
        _note(report, unit, _fixed_wording(segment))
        values.untouched.add(target)
        return
    pieces = trim(unit.pieces, len(segment.prefix), len(segment.suffix))
    if unit.restated and ref is not None:
        if text == ref.text:  # only the style restated: the paragraph as built
            pieces = trim(ref.pieces, len(segment.prefix), len(segment.suffix))
        else:
            _note(report, unit, _restated_style(unit.restated))
    values.prose.setdefault(target, []).append(Paragraph(unit.style, pieces))


def _restated_style(restated: str) -> str:
    return (
        f"every run restated the style's {restated} (as LibreOffice writes "
        "with tracked changes), so emphasis in it cannot be told apart from the "
        "style's: imported without it; check it in the content file"
    )


def _collect_lines(
    values: _Values,
    unit: Unit,
    label: Label,
    ref: Unit | None,
    report: ImportReport | None,
    language: str,
) -> None:
    """The fields of a paragraph of lines (a headline; a contact: name, details,
    e-mail, phone). A soft line break in a one-line field reads as a space; lines
    deleted from a paragraph of several delete their fields."""
    lines = lines_of(unit.pieces)
    if len(label.lines) == 1 and len(lines) > 1:
        lines = [tuple(_joined(lines))]
    ref_lines: list[tuple[Piece, ...]] = (
        lines_of(ref.pieces) if ref is not None else [() for _ in lines]
    )
    matched = _match_lines(ref_lines, lines) if len(lines) != len(label.lines) else None
    if matched is None and len(lines) != len(label.lines):
        _note(report, unit, _lines_added(lines, ref_lines))
        values.untouched |= label.targets
        return
    pairs = matched or [(i, i) for i in range(len(lines))]
    kept = {r for r, _ in pairs}
    for index, segment in enumerate(label.lines):
        if segment.target is not None and index not in kept:
            values.lines[segment.target] = None  # its line was deleted in Word
    for ref_index, index in pairs:
        line = _Line(_plain(lines[index]), _plain(ref_lines[ref_index]), ref is not None)
        _collect_line(values, unit, label.lines[ref_index], line, report, language)


@dataclass(frozen=True)
class _Line:
    """One line of an edited paragraph, with the line presskit wrote there."""

    text: str
    old: str
    has_reference: bool


def _collect_line(
    values: _Values,
    unit: Unit,
    segment: Segment,
    line: _Line,
    report: ImportReport | None,
    language: str,
) -> None:
    """The field one line shows; derived text changed, or the theme's words around the
    field changed, only said in a note."""
    text = line.text
    if segment.target is None:
        if line.has_reference and text != line.old:
            _note(report, unit, "presskit writes this text itself; the change is not imported")
        return
    if not (text.startswith(segment.prefix) and text.endswith(segment.suffix)):
        _note(report, unit, _fixed_wording(segment))
        values.untouched.add(segment.target)
        return
    value = text[len(segment.prefix) : len(text) - len(segment.suffix)]
    if segment.target.kind == "phone":  # the view keeps numbers on one line
        value = value.replace("\u00a0", " ")
    values.lines[segment.target] = untype_line(value, language)


def _lines_added(lines: list[tuple[Piece, ...]], ref_lines: list[tuple[Piece, ...]]) -> str:
    shown = " / ".join(_plain(line) for line in lines)
    return (
        f"its lines ({shown}) do not match those presskit wrote "
        f"({' / '.join(_plain(line) for line in ref_lines)}); lines may be edited or "
        "deleted, not added: add a field in the content file. Not imported"
    )


def _joined(lines: list[tuple[Piece, ...]]) -> list[Piece]:
    """The lines as one, a space where each break was."""
    spaced = [(Piece(" "), *line) for line in lines[1:]]
    return [*lines[0], *itertools.chain.from_iterable(spaced)]


def _match_lines(
    reference: list[tuple[Piece, ...]], edited: list[tuple[Piece, ...]]
) -> list[tuple[int, int]] | None:
    """Which reference line each edited line is, when lines were only deleted (or
    edited in place): None when a line was added, or the change is ambiguous."""
    matcher = difflib.SequenceMatcher(
        None, [_plain(line) for line in reference], [_plain(line) for line in edited]
    )
    pairs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "replace") and i2 - i1 == j2 - j1:
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))
        elif op == "delete":
            continue
        else:
            return None
    return pairs


def _fixed_wording(segment: Segment) -> str:
    return (
        f"presskit words “{segment.prefix}…{segment.suffix}” itself (the theme's strings) "
        "and imports only what stands for …: the change to the rest is not imported"
    )


def _plain(pieces: tuple[Piece, ...]) -> str:
    return "".join(p.text for p in pieces if p.kind == "text")


def _note(report: ImportReport | None, unit: Unit, message: str) -> None:
    if report is not None:
        report.notes.append(f"{unit.position}: “{_snippet(unit.text)}”: {message}")


def _changes(
    release: PressRelease,
    reference: Reference,
    edited: list[Unit],
    rows: list[tuple[Unit, Label | None, Unit | None]],
    report: ImportReport,
) -> list[Change]:
    language = release.language
    before = _collect(
        [(u, lb, u) for u, lb in zip(reference.units, reference.labels, strict=True)],
        None,
        language,
    )
    after = _collect([(u, lb, ref) for u, lb, ref in rows if lb is not None], report, language)
    removed = _removed_items(before, after, reference)
    gone = {t for t in _targets(before) if t.path[:2] in removed}
    changes: list[Change] = [Change(item, _item_text(release, item), None) for item in removed]
    _drop_new_pictures(after, release, report)
    skipped = after.untouched | gone
    changes += _prose_changes(release, before, after, skipped, reference, report)
    changes += _line_changes(release, before, after, skipped, reference)
    return changes


def _prose_changes(
    release: PressRelease,
    before: _Values,
    after: _Values,
    skipped: set[Target],
    reference: Reference,
    report: ImportReport,
) -> list[Change]:
    """The prose fields whose Markdown differs, in reading order; a field that holds
    pictures is edited in the content file only."""
    changes: list[Change] = []
    for target in sorted(set(before.prose) | set(after.prose), key=lambda t: _order(t, reference)):
        if target in skipped:
            continue
        old = _prose_text(before.prose.get(target, []), target, release)
        new = _prose_text(after.prose.get(target, []), target, release)
        if old == new:
            continue
        if _has_images(target, release):
            report.notes.append(
                f"{yamlstrict.format_path(target.path)}: holds pictures; edit it in the "
                "content file (not imported)"
            )
            continue
        source = _model_text(release, target.path)
        changes.append(Change(target.path, source, keep_layout(new, source) or None))
    return changes


def _line_changes(
    release: PressRelease,
    before: _Values,
    after: _Values,
    skipped: set[Target],
    reference: Reference,
) -> list[Change]:
    """The one-line fields whose text differs, in reading order."""
    changes: list[Change] = []
    for target in sorted(set(before.lines) | set(after.lines), key=lambda t: _order(t, reference)):
        if target in skipped:
            continue
        old_line, new_line = before.lines.get(target) or "", after.lines.get(target) or ""
        if old_line == new_line:
            continue
        if target.kind == "pair":
            changes.extend(_pair_changes(release, target, new_line))
        else:
            changes.append(Change(target.path, _model_text(release, target.path), new_line or None))
    return changes


REMOVABLE = ("quotes", "about", "media_contacts")
"""Lists whose items may be deleted in Word: delete all of an item's paragraphs."""


def _targets(values: _Values) -> set[Target]:
    return set(values.prose) | set(values.lines)


def _removed_items(before: _Values, after: _Values, reference: Reference) -> list[Path_]:
    """The quotes, "About" sections and contacts whose every paragraph was deleted in
    Word: the items to delete (from the last, so the indices before stay right)."""
    items: dict[Path_, set[Target]] = {}
    for target in _targets(before):
        if target.path[0] in REMOVABLE and len(target.path) > 1:
            items.setdefault(target.path[:2], set()).add(target)
    shown = _targets(after) | after.untouched
    return sorted(
        (item for item, targets in items.items() if not targets & shown),
        key=lambda item: (str(item[0]), -int(item[1])),
    )


def _item_text(release: PressRelease, item: Path_) -> str:
    """What the deleted item said, for the report: its texts, in short."""
    value = _model_value(release, item)
    if not isinstance(value, BaseModel):
        return str(value)
    texts = [getattr(value, name) for name in type(value).model_fields]
    shown = [t.source if isinstance(t, markdown.Prose) else t for t in texts]
    return _snippet(" / ".join(str(t) for t in shown if isinstance(t, str) and t), 120)


def _drop_new_pictures(after: _Values, release: PressRelease, report: ImportReport) -> None:
    """A picture inserted in Word into a text without pictures: presskit takes pictures
    from the content file; the rest of the text is imported, the picture is not."""
    for target, paragraphs in after.prose.items():
        if _has_images(target, release):
            continue
        for index, paragraph in enumerate(paragraphs):
            if any(p.kind == "image" for p in paragraph.pieces):
                kept = tuple(p for p in paragraph.pieces if p.kind != "image")
                paragraphs[index] = Paragraph(paragraph.style, kept)
                report.notes.append(
                    f"{yamlstrict.format_path(target.path)}: a picture inserted in Word is "
                    "not imported (presskit takes pictures from the content file: write "
                    "![what it shows](picture.jpg) there); the text around it is"
                )


def _order(target: Target, reference: Reference) -> int:
    for i, label in enumerate(reference.labels):
        if target in label.targets:
            return i
    return len(reference.labels)


def _prose_text(paragraphs: list[Paragraph], target: Target, release: PressRelease) -> str:
    sources = _image_sources(release, target.path)
    return to_markdown(
        paragraphs,
        release.language,
        quote_is_plain=target.path[0] == "quotes",
        image_source=lambda i: sources[i] if i < len(sources) else "",
    )


def _image_sources(release: PressRelease, path: tuple[str | int, ...]) -> list[str]:
    prose = _model_value(release, path)
    if not isinstance(prose, markdown.Prose):
        return []
    return [s.src or "" for s in markdown.parse(prose.source).images()]


def _has_images(target: Target, release: PressRelease) -> bool:
    return bool(_image_sources(release, target.path))


def _model_value(release: PressRelease, path: tuple[str | int, ...]) -> Any:
    node: Any = release
    for key in path:
        if node is None:
            return None
        node = node[key] if isinstance(key, int) else getattr(node, key, None)
    return node


def _model_text(release: PressRelease, path: tuple[str | int, ...]) -> str | None:
    value = _model_value(release, path)
    if isinstance(value, markdown.Prose):
        return value.source
    return None if value is None else str(value)


def _pair_changes(release: PressRelease, target: Target, text: str) -> list[Change]:
    """Split "Speaker, Role" (or "Role, Organisation") back into its two fields."""
    first_path, second_path = ((*target.path, part) for part in target.parts)
    first, second = _model_text(release, first_path), _model_text(release, second_path)
    shown = [
        untype_line(typeset_text(v, release.language), release.language) if v else ""
        for v in (first, second)
    ]
    new = _split_pair(text, shown[0], shown[1])
    return [
        Change(path, old, value or None)
        for path, old, old_shown, value in zip(
            (first_path, second_path), (first, second), shown, new, strict=True
        )
        if value != old_shown
    ]


def _split_pair(text: str, first: str, second: str) -> tuple[str, str]:
    """The two fields of "First, Second", keeping the one left as it was whole (a
    comma may be part of either)."""
    if second and text.endswith(", " + second):
        return text[: -len(second) - 2], second
    if first and text.startswith(first + ", "):
        return first, text[len(first) + 2 :]
    if ", " in text and (second or ", " not in first):
        head, tail = text.split(", ", 1)
        return head, tail
    return text, ""


# -- writing ----------------------------------------------------------------------------


def _edited_text(
    content_path: Path,
    document: yamlstrict.Document,
    release: PressRelease,
    changes: list[Change],
    report: ImportReport | None = None,
) -> str:
    editor = _editor(content_path)
    languages = list(release.languages)
    localised = translations.localise(document, release.language, languages)
    notes = report.notes if report is not None else []
    for change in changes:
        if len(change.path) == 2 and change.path[0] in REMOVABLE and change.new is None:
            editor.remove(change.path)  # a whole quote, section or contact: every language
            notes.append(f"{change.key_path}: deleted, in every language (“{change.old}”)")
            continue
        source = localised.source_of(change.path)
        per_language = source != change.path or _shared_field(change, release, notes)
        try:
            editor.set(source, change.new, release.language, languages, per_language)
        except (KeyError, IndexError, TypeError):
            raise ImportRefused(
                f"{content_path}: cannot find where {change.key_path} is written; "
                "nothing was written"
            ) from None
    return editor.text()


def _editor(content_path: Path) -> ContentEditor:
    """An editor of the content file's text, which keeps its comments and layout."""
    text = content_path.read_text(encoding="utf-8-sig")
    try:
        return ContentEditor(text)
    except LayoutError as error:
        raise ImportRefused(f"{content_path}: {error}; nothing was written") from None


def _shared_field(change: Change, release: PressRelease, notes: list[str]) -> bool:
    """Whether a field written once for every language is updated there (a name, an
    address: not translated) rather than split per language; said in a note."""
    if len(release.languages) <= 1:
        return False
    if untranslated(change.path):
        notes.append(
            f"{change.key_path}: the same in every language (names and numbers are "
            "not translated): updated for all of them"
        )
        return True
    notes.append(
        f"{change.key_path}: was the same in every language; now written per "
        f"language, the {release.language} one changed, the others as they were"
    )
    return False


def untranslated(path: tuple[str | int, ...]) -> bool:
    """A field that is the same in every language by nature: a person's or an
    organisation's name, an e-mail address, a phone number."""
    key = path[-1]
    if key in ("speaker", "phone", "email", "organisation"):
        return True
    return key == "name" and path[0] in ("media_contacts", "issuer", "about")


def _validate(content_path: Path, text: str, word_path: Path) -> None:
    """Load the edited text as the real file would be loaded (same folder, for the
    pictures); report its problems against the content file."""
    fd, temp = _temporary_beside(content_path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        loader.load_all(Path(temp))
    except ContentError as error:
        raise ContentError(
            content_path,
            error.problems,
            f"these come from the edits in {word_path}; nothing was written",
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _temporary_beside(content_path: Path) -> tuple[int, str]:
    """A temporary file in the content file's folder (a hidden name)."""
    try:
        return tempfile.mkstemp(
            dir=content_path.parent, prefix=f".{content_path.name}.", suffix=".import"
        )
    except OSError as error:
        raise ImportRefused(
            f"{content_path.parent}: cannot check the edited content there ({error.strerror}); "
            "nothing was written"
        ) from None


def _paragraph_number(note: str) -> int:
    """Notes in reading order: by the paragraph they name (field notes last)."""
    found = re.match(r"paragraph (\d+)", note)
    return int(found.group(1)) if found else 1_000_000


def _snippet(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


__all__ = ["ImportReport", "import_word"]
