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
from typing import TYPE_CHECKING, Literal

import docx

from presskit.content.markdown import Prose
from presskit.content.model import PressRelease
from presskit.render.docx import render_docx
from presskit.render.view import ContactView, EventView, Fact, Link, QuoteView, ReleaseView

if TYPE_CHECKING:
    from presskit.render.kitview import KitView
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
    """What a reference paragraph shows: one prose field as a whole, or lines."""

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
        return prose.map_runs(
            lambda spans: tuple(
                dataclasses.replace(s, text=mark) if s.kind == "text" else s for s in spans
            )
        )


def marked_view(
    view: ReleaseView, release: PressRelease, m: _Marker | None = None
) -> tuple[ReleaseView, list[Target]]:
    """``view`` (of ``release``) with each imported field replaced by a marker; an
    ecosystem's label and the ecosystems heading only where the content writes them."""
    m = m or _Marker()
    quotes = [
        QuoteView(
            m.prose(q.text, "quotes", i, "text") or q.text,
            m(Target("pair", ("quotes", i), ("speaker", "role"))),
        )
        for i, q in enumerate(view.quotes)
    ]
    ecosystems = [
        dataclasses.replace(
            e,
            label=m(Target("line", ("ecosystems", i, "label")))
            if release.ecosystems[i].label
            else e.label,
            area=m.line(e.area, "ecosystems", i, "area"),
            description=m.prose(e.description, "ecosystems", i, "description"),
        )
        for i, e in enumerate(view.ecosystems)
    ]
    about = [
        dataclasses.replace(
            a,
            heading=a.heading.replace(
                _about_name(view, a.heading), m(Target("line", ("about", i, "name"))), 1
            ),
            text=m.prose(a.text, "about", i, "text") or a.text,
        )
        for i, a in enumerate(view.about)
    ]
    contacts = [
        ContactView(
            m(Target("line", ("media_contacts", i, "name"))),
            m(Target("pair", ("media_contacts", i), ("role", "organisation")))
            if c.details
            else None,
            _marked_links(c.links, i, m),
        )
        for i, c in enumerate(view.contacts)
    ]
    marked = dataclasses.replace(
        view,
        issuer=m(Target("line", ("issuer", "name"))),
        headline=m(Target("line", ("headline",))),
        subheadline=m.line(view.subheadline, "subheadline"),
        lead=m.prose(view.lead, "lead") or view.lead,
        body=m.prose(view.body, "body"),
        quotes=quotes,
        ecosystems_heading=m(Target("line", ("ecosystems_heading",)))
        if release.ecosystems_heading
        else view.ecosystems_heading,
        ecosystems_intro=m.line(view.ecosystems_intro, "ecosystems_intro"),
        ecosystems=ecosystems,
        event=_marked_event(view, m),
        about=about,
        contacts=contacts,
    )
    return marked, m.targets


def _marked_links(links: list[Link], index: int, m: _Marker) -> list[Link]:
    """A media contact's e-mail address and phone number, as their links' text."""
    marked = []
    for link in links:
        if link.href.startswith("mailto:"):
            link = Link(m(Target("line", ("media_contacts", index, "email"))), link.href)
        elif link.href.startswith("tel:"):
            link = Link(m(Target("phone", ("media_contacts", index, "phone"))), link.href)
        marked.append(link)
    return marked


def _about_name(view: ReleaseView, heading: str) -> str:
    """The organisation's name inside an "About …" heading."""
    before, _, after = view.strings["about"].partition("{name}")
    return (
        heading.removeprefix(before).removesuffix(after) if after else heading.removeprefix(before)
    )


def _marked_event(view: ReleaseView, m: _Marker) -> EventView | None:
    event = view.event
    if event is None:
        return None
    facts = []
    for fact in event.facts:
        if fact.label == view.strings["audience"] and fact.value:
            fact = Fact(fact.label, m(Target("line", ("event", "audience"))), link=fact.link)
        elif fact.label == view.strings["rsvp"] and fact.prose:
            fact = Fact(fact.label, prose=m.prose(fact.prose, "event", "rsvp"), link=fact.link)
        facts.append(fact)
    return dataclasses.replace(
        event,
        name=m(Target("line", ("event", "name"))),
        description=m.prose(event.description, "event", "description"),
        facts=facts,
    )


def label_of(marked: Unit, targets: list[Target]) -> Label:
    """What the reference paragraph at the same place as ``marked`` shows."""
    text = marked.text
    found = [int(i) for i in _MARK.findall(text)]
    if not found:
        # Text presskit writes itself, one segment per line (a photo's caption,
        # credit and download line share one paragraph).
        return Label(None, tuple(Segment(None) for _ in text.split("\n")))
    if len(set(found)) == 1 and targets[found[0]].kind == "prose":
        spans = list(_MARK.finditer(text))
        return Label(Segment(targets[found[0]], text[: spans[0].start()], text[spans[-1].end() :]))
    return Label(None, tuple(_segment(line, targets) for line in text.split("\n")))


def _segment(line: str, targets: list[Target]) -> Segment:
    found = list(_MARK.finditer(line))
    if len({m.group(1) for m in found}) != 1:
        return Segment(None)  # derived, or several fields on one line: not imported
    return Segment(
        targets[int(found[0].group(1))], line[: found[0].start()], line[found[-1].end() :]
    )


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
    if len(marked) != len(reference):
        raise AssertionError("the marked rendering has another shape than the reference")
    pairs = [(u, label_of(m, targets)) for u, m in zip(reference, marked, strict=True)]
    kept = [(u, label) for u, label in pairs if not u.empty]
    return Reference([u for u, _ in kept], [label for _, label in kept])


KIT_CONTENTS_STYLES = ("TOC Heading", "TOC 1", "TOC 2")
"""The kit's contents: written by presskit (and by Word, which updates its page
numbers), never imported."""


def kit_reference_for(view: KitView, release: PressRelease) -> Reference:
    """Like :func:`reference_for`, for the press kit document's Word file: the release
    in it, each profile's text, the background's text and each person's bio; the
    contents left out."""
    from presskit.render.kitdocx import render_kit_docx

    def units(kit: KitView) -> list[Unit]:
        document = docx.Document(io.BytesIO(render_kit_docx(kit)))
        return [
            u for u in read_units(document, keep_empty=True) if u.style not in KIT_CONTENTS_STYLES
        ]

    reference = units(view)
    marked_kit, targets = marked_kit_view(view, release)
    marked = units(marked_kit)
    if len(marked) != len(reference):
        raise AssertionError("the marked rendering has another shape than the reference")
    pairs = [(u, label_of(m, targets)) for u, m in zip(reference, marked, strict=True)]
    kept = [(u, label) for u, label in pairs if not u.empty]
    return Reference([u for u, _ in kept], [label for _, label in kept])


def marked_kit_view(view: KitView, release: PressRelease) -> tuple[KitView, list[Target]]:
    """The kit view with the release's fields, the profiles' texts, the background's
    text and the bios replaced by markers."""
    m = _Marker()
    marked_release, _ = marked_view(view.release, release, m)
    profiles = [
        dataclasses.replace(
            p,
            # A profile that shows the ecosystem's description shows it twice (in the
            # release's table too): imported from there only.
            text=m.prose(p.text, "ecosystems", i, "profile")
            if release.ecosystems[i].profile is not None
            else p.text,
            people=[
                dataclasses.replace(
                    person, bio=m.prose(person.bio, "ecosystems", i, "people", j, "bio")
                )
                for j, person in enumerate(p.people)
            ],
        )
        for i, p in enumerate(view.profiles)
    ]
    people = [
        dataclasses.replace(person, bio=m.prose(person.bio, "kit", "people", j, "bio"))
        for j, person in enumerate(view.people)
    ]
    marked = dataclasses.replace(
        view,
        release=marked_release,
        profiles=profiles,
        people=people,
        background_text=m.prose(view.background_text, "kit", "background", "text"),
    )
    return marked, m.targets


@dataclass
class Alignment:
    """Each edited paragraph with the reference paragraph it stands for (None: added)."""

    pairs: list[tuple[Unit, int | None]] = field(default_factory=list)
    similarity: float = 0.0


def _key(unit: Unit) -> tuple[str, str, bool]:
    return (unit.style, unit.text, unit.has_image)


def align(reference: list[Unit], edited: list[Unit]) -> Alignment:
    """Pair edited paragraphs with reference ones by style and text."""
    matcher = difflib.SequenceMatcher(
        None, [_key(u) for u in reference], [_key(u) for u in edited], autojunk=False
    )
    result = Alignment(similarity=matcher.ratio())
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            paired = i1 + offset if op in ("equal", "replace") and i1 + offset < i2 else None
            result.pairs.append((edited[j], paired))
    return result


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
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.kind == "break":
            lines.append([])
        else:
            lines[-1].append(piece)
    return [tuple(line) for line in lines]
