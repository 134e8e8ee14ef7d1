"""Who gets the kit: a CSV as spreadsheets save it, or a YAML list.

Columns (any case, any order): ``email`` (required), ``name``, ``outlet``,
``language``, and any others, which the greeting may use as ``{column}``. A CSV may be
UTF-8 with or without a byte-order mark and separated by ``,`` or ``;``. Every invalid
row (bad address, unknown language, duplicate address, header tricks) is reported with
its row number, as a spreadsheet shows it, before anything is written or sent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from email_validator import EmailNotValidError, validate_email

from presskit import yamlstrict
from presskit.errors import ContentError, Problem
from presskit.loader import read_input
from presskit.mail.headers import HeaderInjection, check_header_text

MAX_BYTES = 5_000_000


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
        if self.language:
            for code in (self.language, self.language.split("-")[0]):
                if code in available:
                    return code
        return available[0]


def load_recipients(path: Path) -> list[Recipient]:
    """Read and check every row; raise :class:`ContentError` listing each bad one."""
    raw = read_input(path)
    if len(raw) > MAX_BYTES:
        raise ContentError(path, [Problem(1, "", f"larger than {MAX_BYTES // 1_000_000} MB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older spreadsheets save "CSV" in the Windows code page; accents survive.
        text = raw.decode("cp1252", errors="replace")
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = _yaml_rows(path, text)
    else:
        rows = _csv_rows(path, text)
    return _check_rows(path, rows)


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    lines = text.splitlines()
    if not lines:
        raise ContentError(path, [Problem(1, "", "the file is empty")])
    header = lines[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
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
        rows.append((number, row))
    return rows


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
        rows.append((line, {str(k).strip().lower(): v for k, v in item.items()}))
    return rows


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
        return validate_email(value, check_deliverability=False, allow_smtputf8=False).normalized
    except EmailNotValidError as error:
        found.append(("email", f"not a valid address: {error}"))
        return ""


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
