# ruff: noqa: E501 (YAML content, kept one entry a line as a user writes it)
"""Content for the press kit document's tests: a programme unlike the example (English
and German, Digital Innovation Hubs), with as many ecosystems as asked, long and short
profiles, figures, people with portraits, partners, photos and a cover picture."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
LOGOS = ("bristol.png", "cardiff.png", "leeds.png")

HEADER = """\
languages: [en, de]
slug: northern-hubs-{count}
issuer:
  name: Northern Innovation Network
  logo: {{file: logos/leeds.png, alt: {{en: Northern Innovation Network logo, de: Logo des Northern Innovation Network}}}}
  website: https://northern.example.org
headline:
  en: {count} Digital Innovation Hubs join the Northern network
  de: {count} Digitale Innovationszentren treten dem Netzwerk des Nordens bei
subheadline:
  en: Every county now has a hub within an hour's drive
  de: Jeder Landkreis hat nun ein Zentrum in einer Stunde Entfernung
dateline: {{city: Newcastle, date: 2026-03-15}}
lead:
  en: The **Northern Innovation Network** labels {count} hubs that will help small firms adopt digital tools.
  de: Das **Northern Innovation Network** zeichnet {count} Zentren aus, die kleinen Firmen bei digitalen Werkzeugen helfen.
labels:
  edih:
    en: "Digital Innovation Hub {{territory}}"
    de: "Digitales Innovationszentrum {{territory}}"
media_contacts:
  - name: Ada Quill
    role: {{en: Press officer, de: Pressesprecherin}}
    email: press@northern.example.org
    phone: +44 191 000 0000
photos:
  - file: photos/launch.jpg
    alt: {{en: The hub managers on stage, de: Die Leitungen der Zentren auf der Bühne}}
    caption: {{en: The launch in Newcastle, de: Der Start in Newcastle}}
    credit: © Studio North
  - file: photos/workshop.jpg
    alt: {{en: A workshop at a hub, de: Ein Workshop in einem Zentrum}}
    caption: {{en: A first workshop, de: Ein erster Workshop}}
    credit: © Studio North
  - file: photos/visit.jpg
    alt: {{en: Visitors at a hub, de: Besucher in einem Zentrum}}
    caption: {{en: Open day, de: Tag der offenen Tür}}
    credit: © Studio North
kit:
  cover: {{file: photos/launch.jpg, alt: {{en: The launch evening, de: Der Startabend}}, credit: © Studio North}}
  key_figures:
    - value: "{count}"
      label: {{en: hubs labelled, de: ausgezeichnete Zentren}}
      source: {{en: Network decision of 15 March 2026, de: Netzwerkbeschluss vom 15. März 2026}}
    - value: "2,400"
      label: {{en: firms to be reached each year, de: Firmen pro Jahr}}
      source: Northern Innovation Network
      source_url: https://northern.example.org/figures
  background:
    text:
      en: |
        The network was founded by the northern counties to share what works.

        It now labels hubs that meet its charter.
      de: |
        Das Netzwerk wurde von den Landkreisen des Nordens gegründet.

        Es zeichnet nun Zentren aus, die seine Charta erfüllen.
    timeline:
      - {{date: "2015", text: {{en: The network is founded, de: Gründung des Netzwerks}}}}
      - {{date: 2025-09, text: {{en: Call for hubs, de: Aufruf an die Zentren}}}}
      - {{date: 2026-03-15, text: {{en: {count} hubs labelled, de: {count} Zentren ausgezeichnet}}}}
  people:
    - name: Grace Hopper-Lee
      role: {{en: Chair, de: Vorsitzende}}
      organisation: Northern Innovation Network
      bio: {{en: Leads the network since 2020., de: Leitet das Netzwerk seit 2020.}}
      portrait: {{file: people/grace.jpg, alt: {{en: Portrait of Grace Hopper-Lee, de: Porträt von Grace Hopper-Lee}}, credit: © Studio North}}
  partners:
    - {{name: Northern Counties, logo: {{file: logos/bristol.png, alt: {{en: Northern Counties logo, de: Logo der Northern Counties}}}}, website: https://counties.example.org}}
    - {{name: Tech Fund North, website: https://fund.example.org}}
ecosystems:
"""

LONG_PROFILE = (
    "The hub works with manufacturers, shops and farms across the county, offering "
    "test-before-invest sessions, training and help to find funding. "
) * 12


def ecosystem(index: int) -> str:
    """One ecosystem entry: every third has a long profile, every fourth figures and a
    person, the others a sentence."""
    name = f"Area {index + 1:02d}"
    logo = LOGOS[index % len(LOGOS)]
    lines = [
        "  - kind: edih",
        f"    territory: {name}",
        f"    logo: {{file: logos/{logo}, alt: {{en: Logo of the hub {name}, de: Logo des Zentrums {name}}}}}",
        f"    website: https://hub{index + 1}.example.org",
    ]
    if index % 3 == 2:
        lines.append(f"    profile: {{en: '{LONG_PROFILE}', de: '{LONG_PROFILE}'}}")
    else:
        lines.append(
            f"    profile: {{en: The hub of {name} opens in May., de: Das Zentrum {name} öffnet im Mai.}}"
        )
    if index % 4 == 3:
        lines += [
            "    founded: 2019-06",
            "    figures:",
            f"      - {{value: '{index * 10}', label: {{en: firms helped, de: Firmen begleitet}}, source: Hub report 2026}}",
            "    people:",
            f"      - {{name: Person {index}, role: {{en: Director, de: Leitung}}}}",
        ]
    return "\n".join(lines) + "\n"


def kit_content(folder: Path, count: int) -> Path:
    """A content file with ``count`` ecosystems, and its pictures, in ``folder``."""
    (folder / "logos").mkdir(parents=True, exist_ok=True)
    for logo in LOGOS:
        shutil.copy(FIXTURES / "edih" / "logos" / logo, folder / "logos" / logo)
    (folder / "photos").mkdir(exist_ok=True)
    for name in ("launch.jpg", "workshop.jpg", "visit.jpg"):
        shutil.copy(FIXTURES / "photo.jpg", folder / "photos" / name)
    (folder / "people").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "portrait.jpg", folder / "people" / "grace.jpg")
    text = HEADER.format(count=count) + "".join(ecosystem(i) for i in range(count))
    path = folder / "release.yaml"
    path.write_text(text, encoding="utf-8")
    return path
