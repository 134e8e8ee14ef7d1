"""Globally unique, stable names for what presskit publishes: feed entries, calendar
events, newsroom pages.

A name made only from a slug and a language ("presskit:launch:event") is the same in
every organisation's newsroom, so two issuers' feeds or invitations would collide in a
reader or a calendar. Names here are RFC 4151 ``tag:`` URIs minted under an authority
the issuer owns: the host of its website (or of the newsroom's base URL), else the
domain of its first media contact's address. Without either, a name-based UUID of the
issuer's name stands in (RFC 9562 version 5), still stable from build to build.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from urllib.parse import urlsplit

from presskit.content.model import PressRelease


def authority(release: PressRelease, base_url: str | None = None) -> str | None:
    """A DNS name or e-mail domain the issuer controls (None when the content gives none)."""
    hosts = (urlsplit(str(url)).hostname for url in (release.issuer.website, base_url) if url)
    domains = (str(c.email).rsplit("@", 1)[-1] for c in release.media_contacts if c.email)
    found = next(filter(None, itertools.chain(hosts, domains)), None)
    return found.lower() if found is not None else None


def tag_uri(release: PressRelease, specific: str, base_url: str | None = None) -> str:
    """``tag:<authority>,<date>:<specific>`` (RFC 4151), the date being the release's
    own dateline date, when the issuer held its authority; a ``urn:uuid:`` of the
    issuer's name and ``specific`` when no authority is known."""
    owner = authority(release, base_url)
    if owner is not None:
        return f"tag:{owner},{_day(release.dateline.date)}:{specific}"
    name = f"presskit:{release.issuer.name}:{specific}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _day(date: dt.date) -> str:
    return date.isoformat()
