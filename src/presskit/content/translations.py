"""Per-language values in a content file, resolved into one plain tree per language.

Any value may be given once for every language, or per language as a mapping whose
keys are the content's language codes::

    languages: [fr, en]
    headline:
      fr: Trois pôles d'innovation numérique labellisés
      en: Three digital innovation hubs labelled

:func:`localise` returns the tree as the model reads it for one language, with each
such mapping replaced by its value, plus the problems found (a missing translation, a
language the content does not declare) and, for error messages, where each resolved
value was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from presskit.util.errors import Problem
from presskit.util.yamlstrict import Document, PathKey, format_path

_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
DEFAULT_LANGUAGES = ["en"]


@dataclass
class Localised:
    """The content for one language."""

    language: str
    data: Any
    problems: list[Problem] = field(default_factory=list)
    sources: dict[PathKey, PathKey] = field(default_factory=dict)
    """Path in ``data`` -> path in the file, for values taken from a translation."""
    missing: set[PathKey] = field(default_factory=set)
    """Paths in ``data`` whose translation is missing (already reported)."""

    def source_of(self, path: PathKey) -> PathKey:
        """Where the value at ``path`` (or its nearest translated ancestor) was written."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.sources:
                return self.sources[path[:end]] + path[end:]
        return path


def normalise(code: str) -> str:
    """A language code spelt as a tag: ``EN`` -> ``en``, ``en_gb`` -> ``en-GB``,
    ``zh_hant`` -> ``zh-Hant`` (locale spellings are accepted)."""
    parts = code.strip().replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *map(_subtag, parts[1:])])


def _subtag(part: str) -> str:
    """A region in capitals (``GB``), a script in title case (``Hant``)."""
    return part.upper() if len(part) == 2 else part.title()


def declared_languages(document: Document) -> tuple[list[str], list[Problem]]:
    """The content's ``languages`` (a code or a list of codes), first one first."""
    data = document.data if isinstance(document.data, dict) else {}
    value = data.get("languages")
    line = document.line_of(("languages",))
    if value is None:
        return list(DEFAULT_LANGUAGES), []
    codes = [value] if isinstance(value, str) else value
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        return list(DEFAULT_LANGUAGES), [
            Problem(line, "languages", "write a language code or a list of them, e.g. [fr, en]")
        ]
    tags = [normalise(code) for code in codes]
    problems = [
        Problem(
            document.line_of(("languages", i)),
            f"languages[{i}]",
            _listed_twice(code, codes[tags.index(tag)], tags.index(tag)),
        )
        for i, (code, tag) in enumerate(zip(codes, tags, strict=True))
        if tag in tags[:i]
    ]
    return list(dict.fromkeys(tags)), problems


def _listed_twice(code: str, first: str, index: int) -> str:
    if code == first:
        return f"'{code}' is listed twice"
    return f"'{code}' is the same language as '{first}' (languages[{index}])"


def is_translation(value: Any, languages: list[str]) -> bool:
    """A mapping whose keys all look like language codes, one of them declared."""
    if not isinstance(value, dict) or not value:
        return False
    all_codes = all(isinstance(k, str) and _LANGUAGE_CODE.match(k) for k in value)
    return all_codes and any(normalise(k) in languages for k in value)


def localise(document: Document, language: str, languages: list[str]) -> Localised:
    """The content tree for ``language``, every translation mapping resolved."""
    return _Resolver(document, language, languages).run()


@dataclass
class _Resolver:
    """Walks the content tree for one language, keeping where each value came from."""

    document: Document
    language: str
    languages: list[str]
    result: Localised = field(init=False)

    def run(self) -> Localised:
        self.result = Localised(self.language, None)
        self.result.data = self.resolve(self.document.data, (), ())
        return self.result

    def resolve(self, value: Any, path: PathKey, source: PathKey) -> Any:
        if is_translation(value, self.languages):
            return self.pick(value, path, source)
        if isinstance(value, dict):
            return {
                key: item
                if key == "languages" and not path
                else self.resolve(item, (*path, key), (*source, key))
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.resolve(item, (*path, i), (*source, i)) for i, item in enumerate(value)]
        return value

    def pick(self, value: dict[str, Any], path: PathKey, source: PathKey) -> Any:
        """The value for this language; a missing or undeclared code is a problem."""
        by_tag: dict[str, str] = {}  # language tag -> the key as written
        for code in value:
            tag = normalise(code)
            if tag not in self.languages:
                self.problem(
                    (*source, code),
                    f"'{code}' is not one of the content's languages ({', '.join(self.languages)})",
                )
            elif tag in by_tag:
                self.problem((*source, code), f"'{code}' is the same language as '{by_tag[tag]}'")
            else:
                by_tag[tag] = code
        if self.language not in by_tag:
            self.problem(source, f"the '{self.language}' translation is missing")
            self.result.missing.add(path)
            return None
        chosen = (*source, by_tag[self.language])
        self.result.sources[path] = chosen
        return self.resolve(value[by_tag[self.language]], path, chosen)

    def problem(self, where: PathKey, message: str) -> None:
        self.result.problems.append(
            Problem(self.document.line_of(where), format_path(where), message)
        )
