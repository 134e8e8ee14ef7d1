"""Content file -> one :class:`~presskit.content.model.PressRelease` per language, or every
problem at once.

The file is read with the strict YAML reader (strings only, no tags, anchors or
duplicate keys), resolved for each of its languages (:mod:`presskit.content.translations`),
then validated by the model. Each problem, from either step, is
reported as ``FILE:LINE: key.path[i]: message`` in one :class:`ContentError`; nothing
is built from a file that has any.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from presskit.assets.resources import Roots
from presskit.content import translations
from presskit.content.model import DATE_WORDS, LocatedError, PressRelease
from presskit.theme import wording
from presskit.theme.folder import Theme
from presskit.util import yamlstrict
from presskit.util.errors import ContentError, Problem


def load_all(path: Path, theme: Theme | None = None) -> list[PressRelease]:
    """Load the content file at ``path``: one release per language, first one first.

    Event dates and places may use the "to be defined" and "early"/"mid"/"late" words
    of any of the content's languages, as the ``theme``'s strings give them.
    """
    return load_with_lines(path, theme)[0]


def load_with_lines(
    path: Path, theme: Theme | None = None
) -> tuple[list[PressRelease], yamlstrict.Document]:
    """Like :func:`load_all`, with the parsed document, whose lines reviewers cite."""
    document = _read(path)
    problems = [*document.problems, *_top_level_problems(document, path)]
    languages, found = translations.declared_languages(document)
    problems.extend(found)
    context = _validation_context(path, languages, theme)
    releases: list[PressRelease] = []
    for language in languages:
        release = _validated(document, language, languages, context, problems)
        if release is not None:
            releases.append(release)
    if problems:
        raise ContentError(path, problems)
    return releases, document


def _top_level_problems(document: yamlstrict.Document, path: Path) -> list[Problem]:
    """A file that is not a mapping is refused at once; a ``language`` key is likely
    meant as ``languages``."""
    if not isinstance(document.data, dict):
        problem = Problem(1, "", "the file must be a mapping of keys (headline: …, lead: …)")
        raise ContentError(path, [*document.problems, problem])
    if "language" not in document.data:
        return []
    line = document.line_of(("language",))
    return [Problem(line, "language", "unknown key 'language'; did you mean 'languages'?")]


def _validation_context(path: Path, languages: list[str], theme: Theme | None) -> dict[str, Any]:
    """What the model's validators need: the content's folder (pictures are looked for
    there, and only there) and the date words of its languages."""
    base_dir = path.resolve().parent
    return {
        "base_dir": base_dir,
        "roots": Roots.for_content(base_dir),
        DATE_WORDS: wording.date_words(tuple(languages), theme),
    }


def _validated(
    document: yamlstrict.Document,
    language: str,
    languages: list[str],
    context: dict[str, Any],
    problems: list[Problem],
) -> PressRelease | None:
    """The release in ``language``; None when it does not validate, its problems (and
    its translations') added to ``problems``."""
    localised = translations.localise(document, language, languages)
    problems.extend(localised.problems)
    data = {**localised.data, "languages": languages, "language": language}
    try:
        release = PressRelease.model_validate(data, context=dict(context))
    except ValidationError as error:
        problems.extend(
            problem
            for detail in error.errors()
            if not _already_reported(detail, localised)
            for problem in _problems(detail, document, localised)
        )
        return None
    release._source = data
    return release


def version_from_source(path: Path, source: dict[str, Any]) -> PressRelease | None:
    """A version of the content file at ``path`` as ``source`` gives it (what a Word
    file records it was built from): validated as the loader would, its pictures
    looked for beside ``path``; None when it no longer validates."""
    languages = [str(code) for code in source.get("languages", [])] or ["en"]
    context = _validation_context(path, languages, None)
    try:
        release = PressRelease.model_validate(source, context=context)
    except (ValidationError, ValueError, TypeError):
        return None
    release._source = source
    return release


def load(path: Path, language: str | None = None) -> PressRelease:
    """Load the content file at ``path`` in ``language`` (default: its first one)."""
    releases = load_all(path)
    if language is None:
        return releases[0]
    for release in releases:
        if release.language == language:
            return release
    available = ", ".join(r.language for r in releases)
    raise ContentError(
        path, [Problem(1, "languages", f"no '{language}' version (languages: {available})")]
    )


def _already_reported(detail: ErrorDetails, localised: translations.Localised) -> bool:
    loc = _clean_loc(detail["loc"])
    if loc == ("language",):  # set by the loader from languages[i], reported there
        return True
    return any(loc[: len(missing)] == missing for missing in localised.missing)


MAX_INPUT_BYTES = 10_000_000
"""The most presskit reads of any file the user gives (content files: see yamlstrict)."""


def read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file the user gave (content, recipients), at most
    ``limit``, or a ContentError.

    The file is opened without blocking and checked before anything is read: a FIFO
    would wait forever for a writer, and ``/dev/zero`` never ends; no more than
    ``limit + 1`` bytes are ever read, so a huge file is refused without loading it.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise _unreadable(path, f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _unreadable(path, "not a regular file (a folder, a device or a pipe?)")
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as error:
            raise _unreadable(path, f"cannot read the file: {error.strerror}") from None
    if len(data) > limit:
        raise _unreadable(path, f"the file is larger than {limit // 1000} kB")
    return data


def _unreadable(path: Path, message: str) -> ContentError:
    return ContentError(path, [Problem(1, "", message)])


def read_yaml(path: Path) -> yamlstrict.Document:
    """A YAML file the user gave, parsed strictly; errors name the file and line."""
    return _read(path)


def _read(path: Path) -> yamlstrict.Document:
    text = _utf8_text(path, read_input(path, yamlstrict.MAX_BYTES))
    try:
        return yamlstrict.parse(text)
    except yaml.YAMLError as error:
        raise ContentError(path, [_yaml_problem(error, text)]) from None


def _utf8_text(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(path, [Problem(line, "", "the file is not UTF-8 text")]) from None


def _yaml_problem(error: yaml.YAMLError, text: str) -> Problem:
    """A YAML error as a problem at the line where the user must look."""
    if isinstance(error, yaml.MarkedYAMLError):
        # The context mark is where the broken construct starts (an unclosed quote,
        # say), which is where the user must look; the problem mark is where the
        # parser gave up.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(filter(None, [error.context, error.problem]))
        if error.problem_mark and error.problem_mark.line + 1 != line:
            message += f" (detected on line {error.problem_mark.line + 1})"
        return Problem(line, "", f"YAML syntax: {message}")
    if isinstance(error, yaml.reader.ReaderError):
        # Raised for characters YAML refuses outright; it knows the character's
        # position in the text, not its line.
        return Problem(
            text[: error.position].count("\n") + 1,
            "",
            f"the control character U+{error.character:04X} is not allowed in a "
            "content file; remove it",
        )
    return Problem(1, "", f"YAML: {error}")


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # Pydantic adds "function-after[...]"-style steps to some locations; keep the keys.
    return tuple(part for part in loc if isinstance(part, int) or "[" not in part)


def _problems(
    detail: ErrorDetails, document: yamlstrict.Document, localised: translations.Localised
) -> list[Problem]:
    """The problem(s) one error detail stands for; a release-wide check's
    :class:`LocatedError` carries several, each at its own key path."""
    error = detail.get("ctx", {}).get("error")
    if isinstance(error, LocatedError):
        base = _clean_loc(detail["loc"])
        located = []
        for path, message in error.problems:
            loc = localised.source_of((*base, *path))
            located.append(Problem(document.line_of(loc), yamlstrict.format_path(loc), message))
        return located
    loc = localised.source_of(_clean_loc(detail["loc"]))
    return [Problem(document.line_of(loc), yamlstrict.format_path(loc), _message(detail, loc))]


def _message(detail: ErrorDetails, loc: tuple[str | int, ...]) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "required, but missing"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind in _PLAIN_MESSAGES:
        return _PLAIN_MESSAGES[kind].format(**detail.get("ctx", {}), got=_length(detail))
    message = detail["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind in ("url_parsing", "url_scheme"):
        message = f"not a web address ({message.lower()}); write it as https://…"
    elif kind == "value_error" and "email address" in message:
        reason = message.split(": ", 1)[-1]
        message = f"not an e-mail address: {reason}"
    return message


# Pydantic's wording, said the way a content file's author thinks of it.
_PLAIN_MESSAGES = {
    "string_type": "must be text",
    "list_type": "must be a list (one '- item' per line, or [a, b])",
    "model_type": "must be a group of keys (key: value)",
    "dict_type": "must be a group of keys (key: value)",
    "model_attributes_type": "must be a group of keys (key: value)",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "string_too_long": "too long: at most {max_length} characters (this one has {got})",
    "too_long": "too long: at most {max_length} characters (this one has {got})",
    "string_unicode": "contains text that is not valid Unicode (a lone surrogate); remove it",
    "date_from_datetime_parsing": "not a valid date ({error}); write it as YYYY-MM-DD",
    "date_parsing": "not a date: write it as YYYY-MM-DD, e.g. 2019-04-03",
    "date_type": "not a date: write it as YYYY-MM-DD, e.g. 2019-04-03",
    "datetime_from_date_parsing": "not a date-time: write it as 2019-04-03 09:00 Europe/Paris",
    "datetime_parsing": "not a date-time: write it as 2019-04-03 09:00 Europe/Paris",
    "timezone_aware": "add a time zone, e.g. 2019-04-03 09:00 Europe/Paris",
    "enum": "must be one of: {expected}",
    "literal_error": "must be one of: {expected}",
}


def _length(detail: ErrorDetails) -> int:
    value = detail.get("input")
    return len(value) if isinstance(value, str | list) else 0


def _unknown_key(loc: tuple[str | int, ...]) -> str:
    key = str(loc[-1])
    allowed = _allowed_keys(loc[:-1])
    hint = difflib.get_close_matches(key, allowed, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
    return f"unknown key '{key}'{suggestion}"


def _allowed_keys(parent: tuple[str | int, ...]) -> list[str]:
    """The keys the model accepts at ``parent``, found by walking the field types."""
    model: Any = PressRelease
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    found = (_model_in(arg) for arg in getattr(annotation, "__args__", ()))
    return next(filter(None, found), None)
