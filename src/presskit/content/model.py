"""The content model: one press release, typed, with a docstring for every field.

This is the single source of truth every renderer reads. It is built by
:mod:`presskit.content.loader` from plain strings (the YAML reader keeps every value as
written); the validators here turn them into dates, URLs, image paths and parsed
Markdown, and derive what must not be retyped, such as each ecosystem's label (formed from the
content's own ``labels``).

Validation needs a context (``{"base_dir": Path, "roots": Roots}``) to resolve and
check image files relative to the content file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    computed_field,
    field_validator,
    model_validator,
)
from slugify import slugify

from presskit.assets.resources import Roots, check_image
from presskit.content import markdown, translations
from presskit.theme import regions, wording

# -- field types --------------------------------------------------------------------

# C0 and C1 controls (tab and line feed aside), non-characters, lone surrogates and
# bidi overrides: nothing any document format can carry, or should.
_FORBIDDEN_CHARS = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)


def _clean_text(value: str) -> str:
    """Refuse characters no document format can carry; vertical tab and form feed
    become line breaks, as a word processor would paste them."""
    value = value.replace("\x0b", "\n").replace("\x0c", "\n").replace("\r\n", "\n")
    if match := _FORBIDDEN_CHARS.search(value):
        raise ValueError(
            f"contains the control character U+{ord(match.group()):04X} at position "
            f"{match.start() + 1}; remove it"
        )
    return value


# Characters that show nothing on their own: zero-width and format characters,
# spaces of every width, and the Hangul fillers.
_INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp", "Cc"}
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}


def _not_blank(value: str) -> str:
    """Text made only of invisible characters is empty text, refused as such."""
    if value and all(map(_invisible, value)):
        raise ValueError("must not be empty (it holds only invisible characters)")
    return value


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _INVISIBLE_LETTERS


def _one_line(value: str) -> str:
    value = _clean_text(value).strip()
    if "\n" in value or "\r" in value:
        raise ValueError("must fit on one line")
    if separator := next((c for c in value if c in "\u2028\u2029"), None):
        raise ValueError(f"must fit on one line (it holds the separator U+{ord(separator):04X})")
    return _not_blank(value)


MAX_PROSE_CHARS = 20_000  # ten pages: far beyond any press release


def _parse_prose(value: Any) -> markdown.Prose:
    if isinstance(value, markdown.Prose):
        return value
    if not isinstance(value, str):
        raise ValueError("must be text (Markdown)")
    if len(value) > MAX_PROSE_CHARS:
        raise ValueError(
            f"too long: at most {MAX_PROSE_CHARS} characters (this one has {len(value)})"
        )
    try:
        return markdown.parse(_not_blank(_clean_text(value).strip()))
    except markdown.MarkdownProblem as problem:
        raise ValueError(str(problem)) from None


def _check_prose_images(prose: markdown.Prose, info: ValidationInfo) -> markdown.Prose:
    """Check every image the Markdown shows; keep their absolute, checked paths."""
    if not any(prose.images()):
        return prose
    for image in prose.images():
        if not image.text.strip():
            raise ValueError(
                f"the image {image.src!r} needs a description: ![what it shows]({image.src})"
            )
    return prose.map_runs(
        lambda spans: tuple(
            dataclasses.replace(span, src=str(_resolve_image(span.src or "", info)))
            if span.kind == "image"
            else span
            for span in spans
        )
    )


def _resolve_image(reference: str, info: ValidationInfo) -> Path:
    context = info.context or {}
    base_dir: Path = context.get("base_dir", Path.cwd())
    roots: Roots = context.get("roots") or Roots.for_content(base_dir)
    return check_image(reference, base_dir, roots)


Text = Annotated[str, AfterValidator(_clean_text), AfterValidator(_not_blank), Field(min_length=1)]
Line = Annotated[str, AfterValidator(_one_line), Field(min_length=1, max_length=250)]
Prose = Annotated[
    markdown.Prose,
    BeforeValidator(_parse_prose),
    AfterValidator(_check_prose_images),
    WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"}),
]


class _Model(BaseModel):
    # The field docstrings document the content format; ``presskit schema`` reads them
    # (schema.py). Not ``use_attribute_docstrings``: on Python 3.11 it re-parses this
    # file once per class, half a second of every command's start.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        arbitrary_types_allowed=True,
        str_strip_whitespace=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _empty_means_not_given(cls, data: Any) -> Any:
        """``key:`` with nothing after it leaves a known key at its default; an unknown
        key stays in, so that it is still reported."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None or k not in cls.model_fields}
        return data


# -- parts ----------------------------------------------------------------------------


class Image(_Model):
    """An image file shown in the documents, with its text alternative."""

    file: str
    """Path of a PNG, JPEG, GIF, WebP or SVG file, relative to the content file."""
    alt: Line
    """Alternative text read by screen readers and shown when the image cannot be."""
    _path: Path = PrivateAttr(default=Path())

    @field_validator("file")
    @classmethod
    def _check_file(cls, value: str, info: ValidationInfo) -> str:
        _resolve_image(value, info)
        return value

    @model_validator(mode="after")
    def _remember_path(self, info: ValidationInfo) -> Image:
        base_dir: Path = (info.context or {}).get("base_dir", Path.cwd())
        self._path = (base_dir / self.file).resolve()
        return self

    @property
    def path(self) -> Path:
        """Absolute path of the checked file."""
        return self._path


class Photo(Image):
    """A photo offered with the kit (in the ZIP, with its caption and credit)."""

    caption: Line
    """The caption a newspaper would print under it."""
    credit: Line
    """Who to credit: "© Name / Agency"."""


class ReleaseLine(_Model):
    """When the release may be published: at once, or not before an embargo."""

    embargo_until: Annotated[
        AwareDatetime | None,
        WithJsonSchema({"type": "string", "examples": ["2019-04-03 09:00 Europe/Paris"]}),
    ] = None
    """Publication allowed from this date-time, e.g. ``2019-04-03 09:00 Europe/Paris`` or
    ``2019-04-03T09:00+02:00``. Leave out for "For immediate release"."""

    @field_validator("embargo_until", mode="before")
    @classmethod
    def _zone_names(cls, value: Any) -> Any:
        return _parse_zoned_datetime(value) if isinstance(value, str) else value

    @property
    def embargoed(self) -> bool:
        """Whether an embargo applies."""
        return self.embargo_until is not None


def _parse_zoned_datetime(value: str) -> dt.datetime | str:
    """Accept ``YYYY-MM-DD HH:MM Area/City`` as well as ISO 8601 with an offset."""
    parts = value.strip().rsplit(" ", 1)
    if len(parts) != 2 or "/" not in parts[1]:
        return value
    zone, naive = _zone_named(parts[1]), _naive_datetime(parts[0])
    moment = naive.replace(tzinfo=zone)
    if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{parts[0]} does not exist in {parts[1]}: the clocks go forward then")
    return moment


def _zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def _naive_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("date-time must look like 2019-04-03 09:00 Europe/Paris") from None


class Contact(_Model):
    """A person journalists can reach."""

    name: Line
    """Full name."""
    role: Line | None = None
    """Job title, e.g. "Press officer"."""
    organisation: Line | None = None
    """Organisation the person speaks for."""
    email: EmailStr | None = None
    """E-mail address."""
    phone: Line | None = None
    """Phone number, written as it should be dialled from abroad (e.g. +33 3 20 00 00 00)."""


class Issuer(_Model):
    """The organisation that issues the release."""

    name: Line
    """Name as it should appear on the document."""
    logo: Image | None = None
    """Logo shown at the top of the documents."""
    website: HttpUrl | None = None
    """Home page."""


class Dateline(_Model):
    """Where and when the release is dated; it opens the lead paragraph."""

    city: Line
    """City the release is issued from."""
    date: dt.date
    """Date of issue, ``YYYY-MM-DD``."""


class Quote(_Model):
    """A quotation from a named person."""

    text: Prose
    """What was said, without quotation marks (Markdown)."""
    speaker: Line
    """Who said it."""
    role: Line | None = None
    """The speaker's title and organisation."""


# -- labels ---------------------------------------------------------------------------

KIND_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"
LABEL_FIELDS = ("territory", "area")
"""The placeholders a label form may use, filled from each ecosystem."""


def _label_form(value: str) -> str:
    """A label form such as ``Digital Innovation Hub {territory}``: text with only the
    known placeholders, written plainly (no format spec, conversion, attribute or
    index), so that filling it in can never run anything but a substitution."""
    value = _one_line(value)
    try:
        pieces = list(string.Formatter().parse(value))
    except ValueError as error:
        raise ValueError(
            f"not a label form ({error}); write e.g. 'Digital Hub {{territory}}', "
            "and a brace that is text as {{ or }}"
        ) from None
    known = ", ".join(f"{{{name}}}" for name in LABEL_FIELDS)
    for _, name, spec, conversion in pieces:
        if name is None:
            continue
        if name not in LABEL_FIELDS:
            raise ValueError(f"unknown placeholder {{{name}}}; a label form may use {known}")
        if spec or conversion:
            raise ValueError(f"write the placeholder as {{{name}}}, without ':' or '!'")
    return value


def fill_label(form: str, fields: dict[str, str]) -> str:
    """The label ``form`` (already checked) with its placeholders filled in."""
    return "".join(
        literal + (fields[name] if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(form)
    )


def placeholders(form: str) -> set[str]:
    """The placeholder names a checked label form uses."""
    return {name for _, name, _, _ in string.Formatter().parse(form) if name is not None}


LabelForm = Annotated[str, AfterValidator(_label_form), Field(min_length=1, max_length=250)]
Kind = Annotated[str, Field(pattern=KIND_PATTERN)]


# -- the press kit document ----------------------------------------------------------


class Credited(Image):
    """A picture printed with its credit: a cover picture, a portrait."""

    credit: Line
    """Who to credit: "© Name / Agency"."""


_KNOWN_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


class KnownDate(_Model):
    """A date known to the year (``2013``), the month (``2018-12``) or the day
    (``2019-04-03``), as history is."""

    year: int
    """Year."""
    month: int | None = Field(default=None, ge=1, le=12)
    """Month (1-12), when known."""
    day: int | None = None
    """Day of the month, when known."""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if not isinstance(value, str):
            return value
        match = _KNOWN_DATE.match(value.strip())
        if not match:
            raise ValueError("write a year (2013), a month (2018-12) or a day (2019-04-03)")
        return {k: int(v) for k, v in match.groupdict().items() if v is not None}

    @model_validator(mode="after")
    def _real_day(self) -> KnownDate:
        if self.day is not None:
            _real_date(self.year, self.month or 1, self.day)
        return self

    def as_date(self) -> dt.date:
        """The first day the date can mean (for sorting and formatting)."""
        return dt.date(self.year, self.month or 1, self.day or 1)


def _real_date(year: int, month: int, day: int) -> dt.date:
    """The date, or a ValueError saying it is not a real one (2019-02-30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{year}-{month:02d}-{day:02d} is not a real date") from None


KnownDateField = Annotated[
    KnownDate, WithJsonSchema({"type": "string", "examples": ["2013", "2018-12", "2019-04-03"]})
]


class KeyFigure(_Model):
    """A number worth printing large, with what it counts and who says so."""

    value: Line
    """The number as printed: ``13``, ``5,000``, ``40 %``."""
    label: Line
    """What it counts: "hubs labelled on 15 March 2027"."""
    source: Line | None = None
    """Who published the number (``presskit check`` warns when it is missing)."""
    source_url: HttpUrl | None = None
    """Where the source can be read."""


class Person(_Model):
    """Someone journalists may write about or quote: a leader, a founder."""

    name: Line
    """Full name."""
    role: Line | None = None
    """Role or title."""
    organisation: Line | None = None
    """Organisation the role is held in."""
    bio: Prose | None = None
    """A short biography (Markdown)."""
    portrait: Credited | None = None
    """A portrait, with its credit."""


class Milestone(_Model):
    """One dated step of the background's timeline."""

    date: KnownDateField
    """When: a year, a month or a day."""
    text: Line
    """What happened."""


class Background(_Model):
    """History and context of the announcement."""

    heading: Line | None = None
    """Heading of the section; the theme's "Background" when left out."""
    text: Prose | None = None
    """History and context (Markdown)."""
    timeline: list[Milestone] = Field(default_factory=list, max_length=100)
    """Dated steps, in the order they happened."""


class Partner(_Model):
    """An organisation that supports the programme, shown with its logo."""

    name: Line
    """Name."""
    logo: Image | None = None
    """Logo."""
    website: HttpUrl | None = None
    """Website."""


class KitSections(_Model):
    """The sections of the press kit document (dossier de presse) besides the release,
    the ecosystem profiles, the photos and the contacts, which come from their own keys."""

    title: Line | None = None
    """Title on the cover; the headline when left out."""
    cover: Credited | None = None
    """A picture for the cover, with its credit."""
    key_figures: list[KeyFigure] = Field(default_factory=list, max_length=24)
    """A few numbers printed large, each with its source."""
    background: Background | None = None
    """History, context and a dated timeline."""
    people: list[Person] = Field(default_factory=list, max_length=200)
    """The people behind the announcement: name, role, short bio, portrait."""
    partners: list[Partner] = Field(default_factory=list, max_length=200)
    """Partner organisations, shown by their logos."""


class LocatedError(ValueError):
    """Problems a whole-release check found, each at its own key path (from the root).

    Pydantic can only place a model validator's error at the model itself; the loader
    unpacks this one so that each problem keeps its key path and line.
    """

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def _kinds_text(labels: dict[str, str]) -> str:
    if not labels:
        return (
            "the content defines no labels: add e.g. "
            "labels: {hub: 'Digital Innovation Hub {territory}'}, or give this ecosystem "
            "its own label"
        )
    return f"the content's labels define: {', '.join(labels)}"


class Ecosystem(_Model):
    """A labelled ecosystem; its label is formed from its kind and territory, with the
    release's ``labels``, unless it gives its own."""

    kind: Kind | None = None
    """The kind of label it holds: one of the keys of the release's ``labels``, e.g.
    ``edih`` or ``cluster``; not needed when the ecosystem gives its own ``label``."""
    territory: Line
    """Territory the label is named after, e.g. "Grand Hainaut"."""
    label: Line | None = None
    """The ecosystem's own label, written out; replaces the one its kind would form."""
    area: Line | None = None
    """Wider area covered, shown after the label, e.g. "région Hauts-de-France"."""
    description: Prose | None = None
    """One or two sentences on the ecosystem (Markdown)."""
    website: HttpUrl | None = None
    """The ecosystem's website."""
    logo: Image | None = None
    """The ecosystem's logo."""
    contact: Contact | None = None
    """Who to contact about this ecosystem."""
    profile: Prose | None = None
    """What the ecosystem does, for its page of the press kit document (Markdown)."""
    founded: KnownDateField | None = None
    """When it was founded: a year, a month or a day (press kit document)."""
    figures: list[KeyFigure] = Field(default_factory=list, max_length=12)
    """Its own key figures (press kit document)."""
    people: list[Person] = Field(default_factory=list, max_length=50)
    """Its leaders and people to know (press kit document)."""
    _formed: str = PrivateAttr(default="")

    @field_validator("kind")
    @classmethod
    def _defined_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        # The release's labels, validated just before its ecosystems (see
        # PressRelease._share_labels); absent when an Ecosystem is validated alone.
        labels = (info.context or {}).get(_LABELS_IN_CONTEXT)
        if value is not None and labels is not None and value not in labels:
            raise ValueError(f"unknown kind '{value}': {_kinds_text(labels)}")
        return value

    @model_validator(mode="after")
    def _kind_or_label(self) -> Ecosystem:
        if self.kind is None and self.label is None:
            raise ValueError("give a kind (a key of labels) or the ecosystem's own label")
        return self

    @property
    def display_label(self) -> str:
        """The label as the documents show it, e.g. "European Digital Innovation Hub
        Leeds City Region"."""
        return self.label or self._formed

    def form_label(self, labels: dict[str, str]) -> list[tuple[tuple[str | int, ...], str]]:
        """Fill in the label from ``labels``; the problems found, relative to this
        ecosystem (an unknown kind, a form asking for an area it has not)."""
        if self.label is not None or self.kind is None:
            return []
        form = labels.get(self.kind)
        if form is None:
            return [(("kind",), f"unknown kind '{self.kind}': {_kinds_text(labels)}")]
        if "area" in placeholders(form) and self.area is None:
            return [(("area",), f"required: the '{self.kind}' label form uses {{area}}")]
        self._formed = fill_label(form, {"territory": self.territory, "area": self.area or ""})
        return []


_LABELS_IN_CONTEXT = "presskit.labels"


class DatePrecision(StrEnum):
    """How precisely an event date is known."""

    DAY = "day"
    EARLY_MONTH = "early-month"
    MID_MONTH = "mid-month"
    LATE_MONTH = "late-month"
    MONTH = "month"
    UNDEFINED = "undefined"


DATE_WORDS = "presskit.date_words"
"""Key of the validation context holding the :class:`~presskit.theme.wording.DateWords` of
the content's languages (set by the loader); without it, every theme language's."""

_PART_OF_MONTH = {
    "early": DatePrecision.EARLY_MONTH,
    "mid": DatePrecision.MID_MONTH,
    "late": DatePrecision.LATE_MONTH,
}
_DATE_FORMS = re.compile(
    r"^(?:(?P<part>\S.*?)\s+)?(?P<year>\d{4})-(?P<month>\d{2})"
    r"(?:-(?P<day>\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}))?)?$"
)


def _date_words(info: ValidationInfo) -> wording.DateWords:
    words = (info.context or {}).get(DATE_WORDS)
    return words if words is not None else wording.every_language_date_words()


class EventDate(_Model):
    """An event date known to the day, to part of a month, to the month, or not yet."""

    precision: DatePrecision
    """How much of the date is known: day, part of a month, month, or undefined."""
    year: int | None = None
    """Year, when defined."""
    month: int | None = Field(default=None, ge=1, le=12)
    """Month (1-12), when defined."""
    day: int | None = None
    """Day of the month, for day precision."""
    time: dt.time | None = None
    """Local start time, when known (day precision only)."""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str):
            return value
        words = _date_words(info)
        text = " ".join(value.casefold().split())
        if text in words.undefined:
            return {"precision": DatePrecision.UNDEFINED}
        match = _DATE_FORMS.match(text)
        part = match["part"] if match else None
        if not match or (part is not None and part not in words.parts):
            raise ValueError(words.example())
        if part and match["day"]:
            raise ValueError(f"'{part}' goes with a month (2019-05), not a day")
        fields: dict[str, Any] = {"year": int(match["year"]), "month": int(match["month"])}
        if match["day"]:
            fields["precision"] = DatePrecision.DAY
            fields["day"] = int(match["day"])
            fields["time"] = match["time"]
        else:
            fields["precision"] = _PART_OF_MONTH[words.parts[part]] if part else DatePrecision.MONTH
        return fields

    @model_validator(mode="after")
    def _real_day(self) -> EventDate:
        if self.precision is DatePrecision.DAY:
            self.as_date()  # raises ValueError for 2019-02-30
        return self

    def as_date(self) -> dt.date:
        """The date, for a day-precise event (month precision gives the 1st)."""
        if self.year is None or self.month is None:
            raise ValueError("the date is not defined yet")
        return _real_date(self.year, self.month, self.day or 1)

    @property
    def defined(self) -> bool:
        """Whether any part of the date is known."""
        return self.precision is not DatePrecision.UNDEFINED


class Place(_Model):
    """Where an event takes place."""

    name: Line
    """Venue name."""
    address: Line | None = None
    """Street address."""
    city: Line | None = None
    """City."""
    map_url: HttpUrl | None = None
    """Link to a map or directions."""


def _place_from_text(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):
        if " ".join(value.casefold().split()) in _date_words(info).undefined:
            return None
        return {"name": value}
    return value


class Event(_Model):
    """An event the release announces, with its practical information."""

    name: Line
    """Name of the event, e.g. "Launch afterwork"."""
    description: Prose | None = None
    """What happens and why (Markdown)."""
    date: Annotated[
        EventDate,
        WithJsonSchema(
            {"type": "string", "examples": ["2019-05-07 18:30", "early 2019-05", "to be defined"]}
        ),
    ] = Field(default_factory=lambda: EventDate(precision=DatePrecision.UNDEFINED))
    """``2019-05-07``, ``2019-05-07 18:30``, ``2019-05``, ``early 2019-05`` (``mid``,
    ``late``) or ``to be defined``; the words of any of the content's languages (from
    the theme's strings: ``début 2019-05``, ``à définir``) are accepted too."""
    place: Annotated[
        Place | None,
        BeforeValidator(_place_from_text),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "examples": ["to be defined", "Euratechnologies"]},
                    Place.model_json_schema(),
                ]
            }
        ),
    ] = None
    """Venue (a name, or name/address/city/map_url); leave out or write ``to be defined``."""
    end: dt.time | None = None
    """Local end time (``21:00``), for an event whose date has a start time."""
    timezone: Annotated[str | None, AfterValidator(lambda v: _known_zone(v))] = None
    """Time zone of the event's times, e.g. ``Europe/Paris``; by default the embargo's
    zone when it is named, else the zone of the event's or the dateline's city when the
    Unicode CLDR knows the city, else the only zone of the country of the content's
    first language (``fr``: France); a timed event with none of these is refused."""
    audience: Line | None = None
    """Who is invited."""
    rsvp: Prose | None = None
    """How to register or reply (Markdown)."""

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end is not None:
            if self.date.time is None:
                raise ValueError("'end' needs a start time in 'date' (2019-05-07 18:30)")
            if self.end <= self.date.time:
                raise ValueError("'end' must come after the start time")
        return self

    @property
    def zone(self) -> ZoneInfo | None:
        """The event's own time zone, when given."""
        return ZoneInfo(self.timezone) if self.timezone else None


def _known_zone(value: str | None) -> str | None:
    """An IANA time-zone name the system knows, e.g. ``Europe/Paris``."""
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (write e.g. Europe/Paris)") from None
    return value


def _mailbox(value: str) -> str:
    """``Name <address>`` or a bare address, in any script, with no header tricks."""
    from presskit.util.mailheaders import mailbox

    return mailbox(value)


def _greeting(value: str) -> str:
    """Plain ``{column}`` fields only (see :mod:`presskit.content.greeting`)."""
    from presskit.content.greeting import checked_greeting

    return checked_greeting(value)


Mailbox = Annotated[str, AfterValidator(_mailbox)]


class MailSettings(_Model):
    """How press e-mails are addressed; the SMTP password is never read from files."""

    model_config = ConfigDict(populate_by_name=True)

    sender: Mailbox = Field(alias="from")
    """The From address, e.g. ``Press office <press@example.org>`` (key ``from``)."""
    reply_to: Mailbox | None = None
    """Where replies go, when not to the From address."""
    greeting: Annotated[Line, AfterValidator(_greeting)] | None = None
    """Opening line of each e-mail; ``{name}``, ``{outlet}`` or any column of the
    recipients file is replaced per recipient, e.g. ``Dear {name},``."""


class About(_Model):
    """A boilerplate paragraph on an organisation ("About …")."""

    name: Line
    """Organisation named in the heading: "About <name>"."""
    text: Prose
    """The boilerplate (Markdown)."""
    website: HttpUrl | None = None
    """The organisation's website."""


# -- the release -------------------------------------------------------------------

SLUG_MAX = 60
"""The longest file-name stem, given or derived (bytes: slugs are ASCII)."""


def _known_language(value: str) -> str:
    """A language code Babel knows, normalised as a tag: ``fr``, ``en-GB``."""
    tag = translations.normalise(value)
    try:
        Locale.parse(babel_locale(tag))
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown language code {value!r} (use e.g. en, fr, en-GB)") from None
    return tag


def babel_locale(tag: str) -> str:
    """Babel's spelling of a language tag: ``en-GB`` -> ``en_GB``."""
    return tag.replace("-", "_")


class PressRelease(_Model):
    """One press release: everything the documents show, in one place."""

    languages: list[Annotated[str, AfterValidator(_known_language)]] = Field(
        default_factory=lambda: ["en"], min_length=1
    )
    """Languages the content is written in, as codes such as ``fr`` or ``en``; the first
    is the main one. Any text may then be given per language: ``{fr: …, en: …}``."""
    language: Annotated[str, AfterValidator(_known_language)] = "en"
    """The language of this version (set by the loader, one release per language)."""
    slug: Annotated[str | None, AfterValidator(lambda v: _not_reserved(v))] = Field(
        default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=SLUG_MAX
    )
    """File-name stem of the outputs (lower case, digits and ``-``, at most 60
    characters); derived from the headline when left out."""
    release: ReleaseLine = Field(default_factory=ReleaseLine)
    """Release line: for immediate release unless ``embargo_until`` is given."""
    issuer: Issuer
    """The organisation issuing the release."""
    headline: Line
    """The headline."""
    subheadline: Line | None = None
    """A line under the headline that completes it."""
    dateline: Dateline
    """City and date of issue."""
    author: Line | None = None
    """Who wrote the release."""
    keywords: list[Line] = Field(default_factory=list)
    """Keywords for the document properties (search and indexing)."""
    lead: Prose
    """The opening paragraph: who, what, when, where, why (Markdown)."""
    body: Prose | None = None
    """The rest of the story (Markdown)."""
    quotes: list[Quote] = Field(default_factory=list)
    """Quotations from named people."""
    labels: dict[Kind, LabelForm] = Field(default_factory=dict, validate_default=True)
    """How each kind of label is formed, e.g. ``{edih: "European Digital Innovation Hub
    {territory}"}``; a form may use ``{territory}`` and ``{area}``, and may be given per
    language."""
    ecosystems_heading: Line | None = None
    """Heading of the ecosystems section; the theme's wording ("Labelled ecosystems")
    when left out."""
    ecosystems_intro: Line | None = None
    """Sentence introducing the list of labelled ecosystems."""
    ecosystems: list[Ecosystem] = Field(default_factory=list)
    """The labelled ecosystems the release is about."""
    event: Event | None = None
    """An event the release announces."""
    about: list[About] = Field(default_factory=list)
    """"About" boilerplates, one per organisation."""
    media_contacts: list[Contact] = Field(default_factory=list)
    """Who journalists should contact."""
    photos: list[Photo] = Field(default_factory=list)
    """Photos for the press, delivered in the press-kit ZIP with captions and credits."""
    end_mark: Line = "###"
    """The mark that ends the release."""
    mail: MailSettings | None = None
    """Sender and greeting of the press e-mails (``presskit mail`` / ``presskit send``)."""
    kit: KitSections | None = None
    """The press kit document (dossier de presse): cover, key figures, background,
    people, partners. With it, ``presskit build`` also writes the kit document, with a
    page for each ecosystem, the photos and the contacts."""
    _event_zone: ZoneInfo | None = PrivateAttr(default=None)
    _source: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> dict[str, Any]:
        """This version as the content file gives it (plain values, in this language
        only), as the loader read it: what its Word file records it was built from."""
        return self._source

    @field_validator("labels")
    @classmethod
    def _share_labels(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """Let each ecosystem's ``kind`` be checked against these labels, so that an
        unknown kind is reported at its own line together with every other problem."""
        if isinstance(info.context, dict):
            info.context[_LABELS_IN_CONTEXT] = value
        return value

    @model_validator(mode="after")
    def _form_labels(self) -> PressRelease:
        problems = [
            (("ecosystems", i, *where), message)
            for i, ecosystem in enumerate(self.ecosystems)
            for where, message in ecosystem.form_label(self.labels)
        ]
        if problems:
            raise LocatedError(problems)
        return self

    @model_validator(mode="after")
    def _zone_the_event(self) -> PressRelease:
        """A timed event's zone, found once (see :meth:`event_zone`); refused at the
        date's line when none can be found: an invitation read as UTC would be wrong."""
        event = self.event
        if event is None or event.date.time is None:
            return self
        self._event_zone = _event_zone(self, event)
        if self._event_zone is None:
            raise LocatedError([(("event", "date"), _no_zone_message(self, event))])
        return self

    @property
    def event_zone(self) -> ZoneInfo | None:
        """The zone of the event's times, for an event with a start time: its
        ``timezone``, else the embargo's named zone, else the zone of the event's or the
        dateline's city, else the only zone of the first language's country."""
        return self._event_zone

    @computed_field  # type: ignore[prop-decorator]
    @property
    def file_stem(self) -> str:
        """The slug, or one derived from the headline, used to name every output."""
        return self.slug or _slug(self.headline)

    @property
    def language_tag(self) -> str:
        """Full language tag for documents, e.g. ``en-GB`` or ``fr-FR``."""
        return regions.language_tag(self.language)

    @property
    def locale(self) -> str:
        """The Babel locale for dates and times, e.g. ``en_GB``: British English
        writes "3 April 2019" and knows "CEST"."""
        return babel_locale(self.language_tag)

    @property
    def summary(self) -> str:
        """One sentence describing the release, for the document subject."""
        return self.subheadline or self.headline


def _event_zone(release: PressRelease, event: Event) -> ZoneInfo | None:
    """The first zone the content gives or implies, in the order of
    :attr:`PressRelease.event_zone`."""
    from presskit.content import zones

    if event.zone is not None:
        return event.zone
    embargo = release.release.embargo_until
    if embargo is not None and isinstance(embargo.tzinfo, ZoneInfo):
        return embargo.tzinfo
    locales = [babel_locale(tag) for tag in release.languages]
    cities = [event.place.city if event.place else None, release.dateline.city]
    for city in filter(None, cities):
        if (zone := zones.city_zone(city, locales)) is not None:
            return zone
    return zones.country_zone(release.languages[0])


def _no_zone_message(release: PressRelease, event: Event) -> str:
    cities = [event.place.city if event.place else None, release.dateline.city]
    named = " or ".join(f"'{city}'" for city in dict.fromkeys(filter(None, cities)))
    return (
        "a timed event needs its time zone: add event.timezone (e.g. Europe/Paris); "
        f"presskit knows no zone for {named}, nor a single one for the country of "
        f"'{release.languages[0]}'"
    )


# Names Windows refuses for files and folders, whatever the extension.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def _slug(headline: str) -> str:
    """A file-name stem from the headline: ASCII, at most 60 bytes, never empty or a
    reserved device name; apostrophes join words ("northwinds-new")."""
    text = headline.replace("'", "").replace("’", "")
    slug = slugify(text, max_length=SLUG_MAX, word_boundary=True) or "press-release"
    return f"{slug}-release" if slug in _RESERVED else slug


def _not_reserved(value: str | None) -> str | None:
    if value in _RESERVED:
        raise ValueError(f"'{value}' is a reserved file name on Windows; choose another slug")
    return value
