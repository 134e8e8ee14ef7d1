"""``presskit new``: a commented content file to start from, that checks and builds.

It writes ``release.yaml`` (every section, each key explained), ``assets/logo.png``
(a placeholder to replace, unless a logo is already there: it is never overwritten)
and ``presskit.schema.json``, which the first line of the content file points editors
to for completion and validation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from presskit.content.schema import schema_text
from presskit.util import atomic
from presskit.util.errors import BuildError, PresskitError

CONTENT = """\
# yaml-language-server: $schema=./presskit.schema.json
#
# A new press release. Replace every value, then run:
#   presskit check release.yaml     (what an editor would flag)
#   presskit build release.yaml     (PDF, Word and HTML in output/)
#   presskit preview release.yaml   (a live preview in your browser)
# Text in "|" blocks is Markdown: **bold**, *italics*, [links](https://example.org).
# Any value can be given per language: {{fr: …, en: …}}.

languages: [en]            # the first is the main one, e.g. [fr, en]

release:
  # Leave embargo_until out for "For immediate release".
  # embargo_until: {embargo} 09:00 Europe/Paris

issuer:
  name: Example Organisation
  website: https://example.org
  logo:
    file: assets/logo.png
    alt: Example Organisation logo

headline: Example Organisation opens its new innovation hub
subheadline: A place for start-ups, researchers and industry to work side by side
dateline:
  city: Lille
  date: {today}
author: Press office

lead: |
  **Example Organisation** opens its innovation hub in Lille on {today_words}, bringing
  start-ups, researchers and industry together under one roof.

body: |
  Write the rest of the story here: the facts first, then the context.

  - One point per line makes a list.
  - Links work too: [our programme](https://example.org/programme).

quotes:
  - text: We built this hub so that good ideas meet the people who can grow them.
    speaker: Alex Martin
    role: Director, Example Organisation

event:
  name: Opening day
  date: {event}          # or 2019-05, early 2019-05, to be defined
  place: to be defined   # or {{name: …, address: …, city: …, map_url: https://…}}
  audience: Press, partners and founders
  rsvp: Reply to [press@example.org](mailto:press@example.org).

about:
  - name: Example Organisation
    website: https://example.org
    text: |
      Example Organisation supports innovation in the region. Replace this with your
      boilerplate: who you are, in two or three sentences.

media_contacts:
  - name: Sam Durand
    role: Press officer
    organisation: Example Organisation
    email: press@example.org
    phone: +33 3 20 00 00 00

mail:
  from: Example Organisation press office <press@example.org>
"""

KIT = """
# The press kit document (dossier de presse): a cover, contents, this release, key
# figures, a page for each ecosystem below, background, people and partners, in PDF,
# Word and HTML beside the release. Leave a part out and it is not shown.
ecosystems_heading: The labelled hubs
labels:
  hub: "Innovation Hub {{territory}}"
ecosystems:
  - kind: hub
    territory: Lille
    website: https://example.org/lille
    founded: "2019"
    profile: |
      What the hub does, for whom, and what it has achieved: a few paragraphs of
      Markdown, printed on the hub's own page.
    figures:
      - {{value: "120", label: start-ups supported, source: "Example Organisation, 2024 report"}}
    people:
      - {{name: Claire Petit, role: Hub manager}}
  - kind: hub
    territory: Arras
    profile: A shorter profile shares its page with the next short one.

kit:
  title: The Example Organisation innovation hubs   # on the cover; the headline if left out
  # cover: {{file: assets/cover.jpg, alt: What the picture shows, credit: © Photographer}}
  key_figures:
    - value: "2"
      label: hubs open in the region
      source: Example Organisation
  background:
    text: |
      Where the programme comes from and why it matters now.
    timeline:
      - {{date: "2019", text: The programme is founded}}
      - {{date: {today}, text: Two hubs open}}
  people:
    - name: Alex Martin
      role: Director, Example Organisation
      bio: A short biography, in two or three sentences.
      # portrait: {{file: assets/alex.jpg, alt: Portrait of Alex Martin, credit: © Photographer}}
  partners:
    - name: Example Region
      website: https://example.org/region
"""

NO_KIT = """
# A press kit document (dossier de presse), with a page per labelled ecosystem, can be
# added: run `presskit new --kit` in an empty folder to see every key at work.
"""


def new_release(folder: Path, kit: bool = False) -> list[Path]:
    """Write the starter files into ``folder`` (with a press kit document's sections
    when ``kit``); refuse to overwrite a content file."""
    content = folder / "release.yaml"
    if content.exists():
        raise PresskitError(f"{content} already exists; choose another folder")
    today = dt.date.today()
    text = (CONTENT + (KIT if kit else NO_KIT)).format(
        today=today.isoformat(),
        today_words=f"{today:%d %B %Y}".lstrip("0"),
        embargo=(today + dt.timedelta(days=7)).isoformat(),
        event=(today + dt.timedelta(days=30)).isoformat(),
    )
    if folder.exists() and not folder.is_dir():
        raise PresskitError(f"{folder} is a file; give a folder for the new release")
    files = [(content, text.encode("utf-8"))]
    logo = folder / "assets" / "logo.png"
    if not logo.exists():  # the user's own logo, already in place, stays
        files.append((logo, _placeholder_logo()))
    files.append((folder / "presskit.schema.json", schema_text().encode("utf-8")))
    written = [path for path, _ in files]
    try:
        atomic.write_all(files)
    except OSError as error:
        raise BuildError(f"cannot write in {folder}: {error.strerror or error}") from None
    return written


def copy_example(folder: Path) -> list[Path]:
    """The built-in example (its content file, as ``release.yaml``, and its logos) and
    the schema file, written into ``folder``: a release to build, change and learn
    from; refuses to overwrite a content file."""
    from presskit.assets.resources import DEFAULT_CONTENT, EXAMPLES_DIR

    content = folder / "release.yaml"
    if content.exists():
        raise PresskitError(f"{content} already exists; choose another folder")
    if folder.exists() and not folder.is_dir():
        raise PresskitError(f"{folder} is a file; give a folder for the example")
    files = [(content, DEFAULT_CONTENT.read_bytes())]
    for logo in sorted((EXAMPLES_DIR / "logos").iterdir()):
        files.append((folder / "logos" / logo.name, logo.read_bytes()))
    files.append((folder / "presskit.schema.json", schema_text().encode("utf-8")))
    try:
        atomic.write_all(files)
    except OSError as error:
        raise BuildError(f"cannot write in {folder}: {error.strerror or error}") from None
    return [path for path, _ in files]


def _placeholder_logo() -> bytes:
    """A plain 600-pixel square mark: sharp enough to print at logo size."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 600), (20, 33, 61))
    pen = ImageDraw.Draw(image)
    pen.rectangle((150, 150, 450, 450), outline=(255, 255, 255), width=24)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
