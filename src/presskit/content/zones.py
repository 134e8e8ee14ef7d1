"""The time zone of a place named in the content, from the Unicode CLDR through Babel.

A timed event's invitation needs the zone its "18:30" is read in. When the content
does not name it, presskit looks it up rather than guess UTC:

- :func:`city_zone`: the city's zone when the city is one of CLDR's exemplar cities
  ("Berlin", "Zürich", "Bruxelles", "New York"), as named in any of the given
  languages or in English, ignoring case, accents and hyphens;
- :func:`country_zone`: the only zone of the language's country ("fr" -> France ->
  Europe/Paris), the country being the one the language tag names ("fr-CA") or else
  CLDR's most likely one for the language; a country with several zones (the United
  States for "en", Spain for "es") gives none.

Both give None rather than a guess; the caller then asks the user.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location

# The IANA areas whose zones are named after a city (not Etc/GMT+1, EST5EDT, …).
_CITY_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
     "Indian", "Pacific"}
)  # fmt: skip


def city_zone(city: str, locales: Iterable[str]) -> ZoneInfo | None:
    """The zone of ``city`` when CLDR names one zone's exemplar city so in one of
    ``locales`` (Babel spellings: ``fr``, ``en_GB``) or in English; else None."""
    key = _key(city)
    found: set[str] = set()
    for locale in dict.fromkeys([*locales, "en"]):
        found |= _city_index(_language(locale)).get(key, frozenset())
    return _zone(found.pop()) if len(found) == 1 else None


def country_zone(language_tag: str) -> ZoneInfo | None:
    """The only zone of the country of ``language_tag`` (``fr``, ``de-CH``), or None
    when the country has several or is unknown."""
    territory = language_territory(language_tag)
    zones = get_global("territory_zones").get(territory or "", [])
    return _zone(zones[0]) if len(zones) == 1 else None


def language_territory(language_tag: str) -> str | None:
    """The country a language tag names (``fr-CA`` -> ``CA``), else CLDR's most likely
    one for the language (``fr`` -> ``FR``, ``en`` -> ``US``)."""
    try:
        locale = Locale.parse(language_tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    if locale.territory:
        return str(locale.territory)
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = likely.split("_")[-1]
    return territory if territory.isalpha() and territory.isupper() else None


@cache
def _city_index(language: str) -> dict[str, frozenset[str]]:
    """Exemplar city (as :func:`_key` writes it) -> its zones, in one language."""
    index: dict[str, set[str]] = {}
    for zone in get_global("zone_territories"):
        if zone.split("/", 1)[0] not in _CITY_AREAS:
            continue
        try:
            city = get_timezone_location(zone, locale=language, return_city=True)
        except LookupError:  # a CLDR zone the installed tz database does not hold
            continue
        index.setdefault(_key(city), set()).add(zone)
    return {city: frozenset(zones) for city, zones in index.items()}


def _language(locale: str) -> str:
    """The language part of a Babel locale: exemplar cities hardly vary by region, and
    one index per language is enough."""
    return locale.replace("-", "_").split("_", 1)[0]


def _key(name: str) -> str:
    """``Saint-Étienne`` and ``saint etienne`` alike: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
