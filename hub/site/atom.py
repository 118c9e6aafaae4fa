"""The hub's own Atom feed of share-ready posts, for Outlook, Teams or a reader.

Built with ElementTree so every value is escaped by the XML writer, and from
the posts alone (no build clock), so two builds of the same posts give the
same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import urljoin

from hub.site.listing import Entry

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 forbids even as references: a feed item may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("", " ".join(str(value or "").split()))


def _stamp(value: object) -> str:
    text = str(value or "").strip()
    if len(text) == 10:
        return text + "T00:00:00Z"
    return text or EPOCH


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
    feed_id = urljoin(base, "feed.xml") if base else "urn:advocacy-hub:feed"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    stamps = [_stamp(e.meta.get("updated") or e.meta.get("date")) for e in items]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(stamps, default=EPOCH)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base or "./")
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=urljoin(base, "feed.xml"))
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "Advocacy Hub"
    for item, stamp in zip(items, stamps, strict=True):
        meta = item.meta
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        page = f"{base}posts/{item.slug}/" if base else f"posts/{item.slug}/"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(meta.get("title"))
        entry_id = page if base else f"urn:advocacy-hub:post:{item.slug}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=page)
        if meta.get("canonical_url"):
            related = _text(meta["canonical_url"])
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=related)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _stamp(meta.get("date"))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
        if meta.get("author"):
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(author, f"{{{ATOM}}}name").text = _text(meta["author"])
        ET.SubElement(entry, f"{{{ATOM}}}category", term=_text(meta.get("category") or "blog"))
        if meta.get("summary"):
            summary = ET.SubElement(entry, f"{{{ATOM}}}summary", type="text")
            summary.text = _text(meta["summary"])
        language = meta.get("language")
        if language:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", _text(language))
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="utf-8"?>\n', "\n"]
    )
