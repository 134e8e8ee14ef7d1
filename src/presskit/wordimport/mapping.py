"""Which paragraph of the Word file holds which field of the content.

The release is rendered twice from the content as it is now: once as is (the
*reference*, what the Word file looked like before anyone edited it) and once with
every content field replaced by a numbered marker (the *map*). Both have the same
paragraphs in the same styles, so the map names the field behind each paragraph of
the reference, and text the renderer derives (labels, dates, headings) carries no
marker. The edited file is then aligned with the reference paragraph by paragraph;
a paragraph added inside a prose field joins that field.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import docx

from presskit.content.markdown import Prose, Spans
from presskit.content.model import PressRelease
from presskit.render.docx import render_docx
from presskit.render.view import (
    AboutView,
    ContactView,
    EcosystemView,
    EventView,
    Fact,
    Link,
    QuoteView,
    ReleaseView,
)

if TYPE_CHECKING:
    from presskit.render.kitview import KitView, PersonView, ProfileView
from presskit.wordimport.reader import Piece, Unit, read_units

Path_ = tuple[str | int, ...]
_MARK = re.compile("\u27e6(\\d+)\u27e7")


@dataclass(frozen=True)
class Target:
    """A content field: ``line`` (one line of text), ``prose`` (Markdown), or a line
    that joins two fields with ", " (``pair``: a quote's speaker and role, a contact's
    role and organisation)."""

    kind: Literal["line", "prose", "pair", "phone"]
    path: Path_
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    """A line of a paragraph (paragraphs split at line breaks): the field it shows,
    or None for derived text, with the derived text around the field."""

    target: Target | None
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Label:
    """What a reference paragraph shows: one prose field as a whole, or lines (derived
    text too, one segment per line: a photo's caption, credit and download line share
    one paragraph)."""

    prose: Segment | None
    lines: tuple[Segment, ...] = ()

    @property
    def targets(self) -> set[Target]:
        if self.prose is not None and self.prose.target is not None:
            return {self.prose.target}
        return {s.target for s in self.lines if s.target is not None}


class _Marker:
    """Hands out markers and remembers which field each stands for."""

    def __init__(self) -> None:
        self.targets: list[Target] = []

    def __call__(self, target: Target) -> str:
        self.targets.append(target)
        return f"\u27e6{len(self.targets) - 1}\u27e7"

    def line(self, value: str | None, *path: str | int) -> str | None:
        return None if value is None else self(Target("line", path))

    def prose(self, prose: Prose | None, *path: str | int) -> Prose | None:
        if prose is None:
            return None
        mark = self(Target("prose", path))
        return prose.map_runs(lambda spans: _with_text(spans, mark))


def _with_text(spans: Spans, text: str) -> Spans:
    """``spans`` with ``text`` for the text of each text span."""
    return tuple(dataclasses.replace(s, text=text) if s.kind == "text" else s for s in spans)


def marked_view(
    view: ReleaseView, release: PressRelease, m: _Marker | None = None
) -> tuple[ReleaseView, list[Target]]:
    """``view`` (of ``release``) with each imported field replaced by a marker; an
    ecosystem's label and the ecosystems heading only where the content writes them."""
    m = m or _Marker()
    # Markers are numbered in the order they are handed out: the lists first.
    lists: dict[str, Any] = {
        "quotes": _marked_quotes(view.quotes, m),
        "ecosystems": _marked_ecosystems(view, release, m),
        "about": _marked_about(view, m),
        "contacts": _marked_contacts(view.contacts, m),
    }
    return dataclasses.replace(view, **lists, **_marked_fields(view, release, m)), m.targets


def _marked_fields(view: ReleaseView, release: PressRelease, m: _Marker) -> dict[str, Any]:
    """The single fields: issuer, headlines, lead, body, the ecosystems' heading (where
    the content writes one) and introduction, and the event."""
    return {
        "issuer": m(Target("line", ("issuer", "name"))),
        "headline": m(Target("line", ("headline",))),
        "subheadline": m.line(view.subheadline, "subheadline"),
        "lead": m.prose(view.lead, "lead") or view.lead,
        "body": m.prose(view.body, "body"),
        "ecosystems_heading": m(Target("line", ("ecosystems_heading",)))
        if release.ecosystems_heading
        else view.ecosystems_heading,
        "ecosystems_intro": m.line(view.ecosystems_intro, "ecosystems_intro"),
        "event": _marked_event(view.event, view.strings, m) if view.event else None,
    }


def _marked_quotes(quotes: list[QuoteView], m: _Marker) -> list[QuoteView]:
    """Each quote's text, and its attribution line (speaker and role)."""
    return [_marked_quote(quote, index, m) for index, quote in enumerate(quotes)]


def _marked_quote(quote: QuoteView, index: int, m: _Marker) -> QuoteView:
    text = m.prose(quote.text, "quotes", index, "text") or quote.text
    return QuoteView(text, m(Target("pair", ("quotes", index), ("speaker", "role"))))


def _marked_ecosystems(view: ReleaseView, release: PressRelease, m: _Marker) -> list[EcosystemView]:
    """Each ecosystem's area and description, and its label where the content writes one."""
    return [
        _marked_ecosystem(ecosystem, index, bool(release.ecosystems[index].label), m)
        for index, ecosystem in enumerate(view.ecosystems)
    ]


def _marked_ecosystem(item: EcosystemView, index: int, labelled: bool, m: _Marker) -> EcosystemView:
    label = m(Target("line", ("ecosystems", index, "label"))) if labelled else item.label
    area = m.line(item.area, "ecosystems", index, "area")
    description = m.prose(item.description, "ecosystems", index, "description")
    return dataclasses.replace(item, label=label, area=area, description=description)


def _marked_about(view: ReleaseView, m: _Marker) -> list[AboutView]:
    """Each "About …": the name inside the heading, and the text."""
    return [
        _marked_about_item(about, index, _about_name(view, about.heading), m)
        for index, about in enumerate(view.about)
    ]


def _marked_about_item(about: AboutView, index: int, name: str, m: _Marker) -> AboutView:
    heading = about.heading.replace(name, m(Target("line", ("about", index, "name"))), 1)
    text = m.prose(about.text, "about", index, "text") or about.text
    return dataclasses.replace(about, heading=heading, text=text)


def _marked_contacts(contacts: list[ContactView], m: _Marker) -> list[ContactView]:
    """Each media contact's name, role and organisation, e-mail and phone."""
    return [_marked_contact(contact, index, m) for index, contact in enumerate(contacts)]


def _marked_contact(contact: ContactView, index: int, m: _Marker) -> ContactView:
    name = m(Target("line", ("media_contacts", index, "name")))
    details = Target("pair", ("media_contacts", index), ("role", "organisation"))
    links = [_marked_link(link, index, m) for link in contact.links]
    return ContactView(name, m(details) if contact.details else None, links)


_CONTACT_LINKS: tuple[tuple[str, Literal["line", "phone"], str], ...] = (
    ("mailto:", "line", "email"),
    ("tel:", "phone", "phone"),
)
"""The links whose text is a media contact's field: (scheme, kind of field, field)."""


def _marked_link(link: Link, index: int, m: _Marker) -> Link:
    """A media contact's e-mail address or phone number, as the link's text."""
    for scheme, kind, name in _CONTACT_LINKS:
        if link.href.startswith(scheme):
            return Link(m(Target(kind, ("media_contacts", index, name))), link.href)
    return link


def _about_name(view: ReleaseView, heading: str) -> str:
    """The organisation's name inside an "About …" heading."""
    before, _, after = view.strings["about"].partition("{name}")
    return (
        heading.removeprefix(before).removesuffix(after) if after else heading.removeprefix(before)
    )


def _marked_event(event: EventView, strings: dict[str, str], m: _Marker) -> EventView:
    facts = [_marked_fact(fact, strings, m) for fact in event.facts]
    name = m(Target("line", ("event", "name")))
    description = m.prose(event.description, "event", "description")
    return dataclasses.replace(event, name=name, description=description, facts=facts)


def _marked_fact(fact: Fact, strings: dict[str, str], m: _Marker) -> Fact:
    """The audience and how to register are the content's; the other rows derived."""
    if fact.label == strings["audience"] and fact.value:
        return Fact(fact.label, m(Target("line", ("event", "audience"))), link=fact.link)
    if fact.label == strings["rsvp"] and fact.prose:
        return Fact(fact.label, prose=m.prose(fact.prose, "event", "rsvp"), link=fact.link)
    return fact


def label_of(marked: Unit, targets: list[Target]) -> Label:
    """What the reference paragraph at the same place as ``marked`` shows."""
    whole = _segment(marked.text, targets)
    if whole.target is not None and whole.target.kind == "prose":
        return Label(whole)
    return Label(None, tuple(_segment(line, targets) for line in marked.text.split("\n")))


def _segment(text: str, targets: list[Target]) -> Segment:
    found = list(_MARK.finditer(text))
    if len({m.group(1) for m in found}) != 1:
        return Segment(None)  # derived, or several fields on one line: not imported
    first, last = found[0], found[-1]
    return Segment(targets[int(first.group(1))], text[: first.start()], text[last.end() :])


@dataclass
class Reference:
    """The reference paragraphs with what each shows."""

    units: list[Unit]
    labels: list[Label]


def reference_for(view: ReleaseView, release: PressRelease) -> Reference:
    """Render ``view`` and its marked twin; label each reference paragraph."""
    reference = read_units(docx.Document(io.BytesIO(render_docx(view))), keep_empty=True)
    marked_view_, targets = marked_view(view, release)
    marked = read_units(docx.Document(io.BytesIO(render_docx(marked_view_))), keep_empty=True)
    return _labelled(reference, marked, targets)


def _labelled(reference: list[Unit], marked: list[Unit], targets: list[Target]) -> Reference:
    """Each non-empty reference paragraph with the label read from its marked twin."""
    if len(marked) != len(reference):
        raise AssertionError("the marked rendering has another shape than the reference")
    kept = [(u, m) for u, m in zip(reference, marked, strict=True) if not u.empty]
    return Reference([u for u, _ in kept], [label_of(m, targets) for _, m in kept])


KIT_CONTENTS_STYLES = ("TOC Heading", "TOC 1", "TOC 2")
"""The kit's contents: written by presskit (and by Word, which updates its page
numbers), never imported."""


def kit_reference_for(view: KitView, release: PressRelease) -> Reference:
    """Like :func:`reference_for`, for the press kit document's Word file: the release
    in it, each profile's text, the background's text and each person's bio; the
    contents left out."""
    marked_kit, targets = marked_kit_view(view, release)
    return _labelled(_kit_units(view), _kit_units(marked_kit), targets)


def _kit_units(kit: KitView) -> list[Unit]:
    """The paragraphs of the kit's Word file, but its contents."""
    from presskit.render.kitdocx import render_kit_docx

    document = docx.Document(io.BytesIO(render_kit_docx(kit)))
    return [u for u in read_units(document, keep_empty=True) if u.style not in KIT_CONTENTS_STYLES]


def marked_kit_view(view: KitView, release: PressRelease) -> tuple[KitView, list[Target]]:
    """The kit view with the release's fields, the profiles' texts, the background's
    text and the bios replaced by markers."""
    m = _Marker()
    marked_release, _ = marked_view(view.release, release, m)
    profiles = _marked_profiles(view, release, m)
    marked = dataclasses.replace(
        view,
        release=marked_release,
        profiles=profiles,
        people=_marked_bios(view.people, m, "kit"),
        background_text=m.prose(view.background_text, "kit", "background", "text"),
    )
    return marked, m.targets


def _marked_profiles(view: KitView, release: PressRelease, m: _Marker) -> list[ProfileView]:
    """Each profile's own text and its people's bios."""
    return [
        _marked_profile(profile, index, release.ecosystems[index].profile is not None, m)
        for index, profile in enumerate(view.profiles)
    ]


def _marked_profile(profile: ProfileView, index: int, own_text: bool, m: _Marker) -> ProfileView:
    """A profile's own text (one that shows the ecosystem's description shows it twice,
    in the release's table too: imported from there only), and its people's bios."""
    text = m.prose(profile.text, "ecosystems", index, "profile") if own_text else profile.text
    people = _marked_bios(profile.people, m, "ecosystems", index)
    return dataclasses.replace(profile, text=text, people=people)


def _marked_bios(people: list[PersonView], m: _Marker, *path: str | int) -> list[PersonView]:
    """Each person's bio; ``path`` is where the people are (the kit's, an ecosystem's)."""
    return [
        dataclasses.replace(person, bio=m.prose(person.bio, *path, "people", index, "bio"))
        for index, person in enumerate(people)
    ]


_Pair = tuple[Unit, int | None]


@dataclass
class Alignment:
    """Each edited paragraph with the reference paragraph it stands for (None: added)."""

    pairs: list[_Pair] = field(default_factory=list)
    similarity: float = 0.0


def _keys(units: list[Unit]) -> list[tuple[str, str, bool]]:
    return [(unit.style, unit.text, unit.has_image) for unit in units]


def align(reference: list[Unit], edited: list[Unit]) -> Alignment:
    """Pair edited paragraphs with reference ones by style and text."""
    matcher = difflib.SequenceMatcher(None, _keys(reference), _keys(edited), autojunk=False)
    pairs = [pair for opcode in matcher.get_opcodes() for pair in _paired(opcode, edited)]
    return Alignment(pairs, matcher.ratio())


def _paired(opcode: tuple[str, int, int, int, int], edited: list[Unit]) -> list[_Pair]:
    """The edited paragraphs of one opcode, each with the reference paragraph in its place."""
    op, i1, i2, j1, j2 = opcode
    matched = op in ("equal", "replace")
    return [(edited[j], i if matched and i < i2 else None) for i, j in enumerate(range(j1, j2), i1)]


def _size(piece: Piece) -> int:
    return len(piece.text) if piece.kind == "text" else 1 if piece.kind == "break" else 0


def trim(pieces: tuple[Piece, ...], start: int, end: int) -> tuple[Piece, ...]:
    """``pieces`` without their first ``start`` and last ``end`` characters (a line
    break counts as one, as in :attr:`Unit.text`)."""
    out: list[Piece] = []
    position = 0
    stop = sum(_size(p) for p in pieces) - end
    for piece in pieces:
        size = _size(piece)
        lo, hi = max(start - position, 0), min(stop - position, size)
        if piece.kind == "image" and start <= position <= stop:
            out.append(piece)
        elif lo < hi:
            out.append(
                dataclasses.replace(piece, text=piece.text[lo:hi])
                if piece.kind == "text"
                else piece
            )
        position += size
    return tuple(out)


def lines_of(pieces: tuple[Piece, ...]) -> list[tuple[Piece, ...]]:
    """``pieces`` cut at each line break."""
    breaks = [i for i, piece in enumerate(pieces) if piece.kind == "break"]
    bounds = zip([-1, *breaks], [*breaks, len(pieces)], strict=True)
    return [pieces[start + 1 : end] for start, end in bounds]
