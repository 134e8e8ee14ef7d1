"""Who gets the kit: a CSV as spreadsheets save it, or a YAML list.

Columns (any case, any order, each once): ``email`` (required), ``name``, ``outlet``,
``language``, and any others, which the greeting may use as ``{column}``. A CSV may be
UTF-8 with or without a byte-order mark and separated by ``,`` or ``;``; a file that is
wholly Windows-1252 (older spreadsheets) is read as such with a warning, and a file
mixing encodings is refused at its first bad byte. Every invalid row (bad address,
unknown language, duplicate address, a name that cannot travel in a header) is reported
with its row number, as a spreadsheet shows it, before anything is written or sent:
each row goes through the same header path as the messages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from presskit.content.loader import read_input
from presskit.util import yamlstrict
from presskit.util.errors import ContentError, Problem
from presskit.util.mailheaders import HeaderInjection, ascii_address, check_header_text, mailbox_of

MAX_BYTES = 5_000_000
MAX_CELL_CHARS = 1_000
"""The longest cell: a name, an outlet, a note for the greeting; a cell of a novel's
length is a mistake (a pasted column), and would make every message carry it."""
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


@dataclass(frozen=True)
class Recipient:
    """One journalist, with the fields the greeting may use."""

    row: int
    email: str
    name: str
    outlet: str
    language: str | None
    fields: dict[str, str] = field(default_factory=dict)

    def language_in(self, available: list[str]) -> str:
        """Their language where the content has it, else the content's first language."""
        wanted = (self.language, self.language.split("-")[0]) if self.language else ()
        return next((code for code in wanted if code in available), available[0])

    @property
    def shown(self) -> str:
        """ "Jane Doe <jane@example.org>", or the address alone."""
        return f"{self.name} <{self.email}>" if self.name else self.email


class RecipientList(list[Recipient]):
    """The checked recipients, with what the user should know about the file."""

    warnings: list[str]


def load_recipients(path: Path) -> RecipientList:
    """Read and check every row; raise :class:`ContentError` listing each bad one."""
    text, warnings = _decode(path, _read_bounded(path))
    recipients = RecipientList(_check_rows(path, _rows(path, text)))
    recipients.warnings = warnings
    return recipients


def _read_bounded(path: Path) -> bytes:
    raw = read_input(path)
    if len(raw) > MAX_BYTES:
        raise ContentError(path, [Problem(1, "", f"larger than {MAX_BYTES // 1_000_000} MB")])
    return raw


def _rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a YAML list (by the file's extension), else of a CSV."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml_rows(path, text)
    return _csv_rows(path, text)


def _decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM); or, for a file that is wholly Windows-1252 and
    holds no UTF-8 at all, Windows-1252 with a warning; never a mix of the two."""
    bom = b"\xef\xbb\xbf"
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        # utf-8-sig counts from after the byte-order mark: count from the file's start.
        bad = error.start + (len(bom) if raw.startswith(bom) else 0)
    if not _UTF8_SEQUENCE.search(raw):
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            return text, [
                f"{path}: not UTF-8; read as Windows-1252 (cp1252), as older spreadsheets "
                "save CSV: check the accents below, or save the file as CSV UTF-8"
            ]
    line_start = raw.rfind(b"\n", 0, bad) + 1
    if line_start == 0 and raw.startswith(bom):
        line_start = len(bom)  # the mark is not a character a spreadsheet shows
    row = raw.count(b"\n", 0, bad) + 1
    column = len(raw[line_start:bad].decode("utf-8", "replace")) + 1
    raise ContentError(
        path,
        [
            Problem(
                row,
                "",
                f"column {column}: byte 0x{raw[bad]:02X} is not UTF-8 while the rest of "
                "the file is; save the file as CSV UTF-8 (or retype that character)",
            )
        ],
    )


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    lines = text.splitlines()
    if not lines:
        raise ContentError(path, [Problem(1, "", "the file is empty")])
    header = lines[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    # The file is bounded (MAX_BYTES): let the reader take any cell of it, so that one
    # too long is reported with its row and column (below), not as the reader's error.
    limit = csv.field_size_limit(MAX_BYTES)
    try:
        return _records(path, text, delimiter)
    finally:
        csv.field_size_limit(limit)


def _records(path: Path, text: str, delimiter: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _refuse_duplicate_columns(path, 1, [str(name) for name in reader.fieldnames or []])
        return list(_rows_of(reader))
    except csv.Error as error:
        raise ContentError(path, [Problem(reader.line_num, "", f"CSV: {error}")]) from None


def _rows_of(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for record in reader:
        # Spreadsheet row numbers: the header is row 1, blank lines count, and a cell
        # holding a line break does not make its record take two rows.
        number = reader.line_num - sum(
            (v or "").count("\n") for v in record.values() if isinstance(v, str)
        )
        extras = record.pop(None, None)
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
        if not any(row.values()) and not extras:
            continue  # a blank line, or one of empty cells: not a recipient
        if extras:
            row["__extra__"] = extras
        yield number, row


def _yaml_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        document = yamlstrict.parse(text)
    except Exception as error:  # syntax errors carry their own line
        raise ContentError(path, [Problem(1, "", f"YAML: {error}")]) from None
    if document.problems:
        raise ContentError(path, document.problems)
    if not isinstance(document.data, list):
        raise ContentError(path, [Problem(1, "", "write a list of recipients (- email: …)")])
    rows = []
    for index, item in enumerate(document.data):
        line = document.line_of((index,))
        if not isinstance(item, dict):
            item = {"__invalid__": "each recipient must be a mapping (email: …, name: …)"}
        _refuse_duplicate_columns(path, line, [str(key) for key in item])
        rows.append((line, {str(k).strip().lower(): v for k, v in item.items()}))
    return rows


def _refuse_duplicate_columns(path: Path, line: int, names: list[str]) -> None:
    """``Email`` and ``email`` are the same column: two of them would leave one unread."""
    seen: dict[str, str] = {}
    problems = []
    for name in names:
        key = name.strip().lower()
        if key in seen and key:
            problems.append(
                Problem(line, key, f"column {name!r} repeats {seen[key]!r}: keep only one")
            )
        seen.setdefault(key, name)
    if problems:
        raise ContentError(path, problems)


def _check_rows(path: Path, rows: list[tuple[int, dict[str, Any]]]) -> list[Recipient]:
    problems: list[Problem] = []
    recipients: list[Recipient] = []
    first_row: dict[str, int] = {}
    if rows and "email" not in rows[0][1] and "__invalid__" not in rows[0][1]:
        raise ContentError(path, [Problem(1, "email", "no 'email' column")])
    for number, row in rows:
        found = _row_problems(row)
        email = _address(row, found)
        key = email.lower()
        if email and key in first_row:
            found.append(("email", f"duplicate address (first on row {first_row[key]})"))
        elif email:
            first_row[key] = number
        if email and not found:
            _check_mailbox(row, email, found)
        problems.extend(Problem(number, col, msg) for col, msg in found)
        if not found:
            recipients.append(_recipient(number, row, email))
    if problems:
        raise ContentError(path, problems)
    if not recipients:
        raise ContentError(path, [Problem(1, "", "no recipients")])
    return recipients


def _row_problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if "__invalid__" in row:
        return [("", row["__invalid__"])]
    if "__extra__" in row:
        found.append(("", "more cells than columns"))
    for column, value in row.items():
        if column.startswith("__"):
            continue
        if not isinstance(value, str):
            found.append((column, "must be text"))
            continue
        if len(value) > MAX_CELL_CHARS:
            found.append(
                (column, f"{len(value):,} characters: a cell holds at most {MAX_CELL_CHARS:,}")
            )
            continue
        try:
            check_header_text(value)
        except HeaderInjection as error:
            found.append((column, str(error)))
    language = row.get("language")
    if isinstance(language, str) and language:
        try:
            Locale.parse(language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            found.append(("language", f"unknown language {language!r} (use e.g. fr, en)"))
    return found


def _address(row: dict[str, Any], found: list[tuple[str, str]]) -> str:
    value = row.get("email")
    if not isinstance(value, str) or not value:
        found.append(("email", "missing"))
        return ""
    try:
        return ascii_address(value)
    except HeaderInjection as error:
        found.append(("email", str(error)))
        return ""


def _check_mailbox(row: dict[str, Any], email: str, found: list[tuple[str, str]]) -> None:
    """The To header exactly as the message will carry it, folded and read back."""
    try:
        mailbox_of(str(row.get("name", "")), email)
    except HeaderInjection as error:
        found.append(("name", str(error)))


def _recipient(number: int, row: dict[str, Any], email: str) -> Recipient:
    fields = {k: str(v) for k, v in row.items() if not k.startswith("__")}
    fields["email"] = email
    return Recipient(
        row=number,
        email=email,
        name=fields.get("name", ""),
        outlet=fields.get("outlet", ""),
        language=(fields.get("language") or "").lower() or None,
        fields=fields,
    )
