"""The hub's own Atom feed of share-ready posts, for Outlook, Teams or a reader.

Built with ElementTree so every value is escaped by the XML writer, and from
the posts alone (no build clock), so two builds of the same posts give the
same bytes. Valid per RFC 4287 as the W3C Feed Validator reads it: the feed
has an author (the site) for entries without one, every id is an absolute
IRI, every timestamp RFC 3339, and URLs are percent-encoded (a feed item's
`<2>` or space is not an IRI character even when XML-escaped).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import quote, urljoin, urlsplit

from hub.site.listing import Entry

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 forbids even as references: a feed item may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("", " ".join(str(value or "").split()))


# RFC 3987 allows these unencoded (with non-ASCII); everything else is %-encoded.
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def iri(url: str) -> str:
    """A URL as a valid IRI (a URI): spaces, <, >, quotes, braces and non-ASCII %-encoded."""
    return quote(_text(url), safe=_IRI_SAFE)


def _stamp(value: object) -> str:
    """RFC 3339 (`2026-11-20T09:00:00Z`) from a date, a datetime or their text."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value or "").strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return EPOCH
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _web(url: object) -> str | None:
    """An http(s) URL from a post, IRI-encoded; anything else is left out."""
    text = _text(url)
    return iri(text) if urlsplit(text).scheme in ("http", "https") else None


def newest(entries: Sequence[Entry], limit: int = MAX_ENTRIES) -> list[Entry]:
    """The latest share-ready posts by date (pinning is a home-page matter, not a feed one)."""
    ready = [e for e in entries if e.share_ready]
    return sorted(sorted(ready, key=lambda e: e.slug), key=lambda e: e.date, reverse=True)[:limit]


def atom_feed(entries: Sequence[Entry], *, title: str, base_url: str | None) -> str:
    """Atom 1.0 XML; links are absolute when the site's URL is known, else relative."""
    items = newest(entries)
    base = base_url.rstrip("/") + "/" if base_url else ""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _text(title)
    feed_id = iri(urljoin(base, "feed.xml")) if base else "urn:advocacy-hub:feed"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    stamps = [_stamp(e.meta.get("updated") or e.meta.get("date")) for e in items]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(stamps, default=EPOCH)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=iri(base) or "./")
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_id)
    # RFC 4287 4.1.1: a feed needs an author unless every entry has one.
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = _text(title) or "Advocacy Hub"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "Advocacy Hub"
    for item, stamp in zip(items, stamps, strict=True):
        meta = item.meta
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        slug = quote(item.slug, safe="")
        page = f"{iri(base)}posts/{slug}/" if base else f"posts/{slug}/"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(meta.get("title")) or item.slug
        entry_id = page if base else f"urn:advocacy-hub:post:{slug}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page)
        related = _web(meta.get("canonical_url"))
        if related and related != page:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=related)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _stamp(meta.get("date"))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
        if _text(meta.get("author")):
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = _text(meta["author"])
        ET.SubElement(entry, f"{{{ATOM}}}category", term=_text(meta.get("category") or "blog"))
        if meta.get("summary"):
            summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
            summary.text = _text(meta["summary"])
        language = _text(meta.get("language"))
        if _LANG.match(language):
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", _text(language))
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="utf-8"?>\n', "\n"]
    )
