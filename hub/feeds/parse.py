"""Feed bytes -> plain, typed items: the only place that knows feedparser's shapes.

feedparser reads RSS 0.9x/1.0/2.0 and Atom, recovers what it can from broken
XML, and is called here with its own sanitizer and URI rewriting off: it is
slower, and its sanitizer drops the JSON-LD job data we need. Every HTML field
is therefore raw and untrusted here (`Item.content_html`); hub.sanitize cleans
it on the way to a post. Titles, summaries and authors leave this module as
plain text.

Quirks handled (see FIELD-NOTES): namespaced keys use the document's own
prefix, so job fields are looked up under every prefix bound to the same
namespace; an element with attributes loses its text in feedparser, so job
fields are read from the raw XML with ElementTree when it parses; RSS titles
are HTML in practice (entities and markup included), Atom says which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as htmllib
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import feedparser
from feedparser.datetimes import _parse_date

from hub.config import FeedConfig
from hub.feeds.jsonld import LD_JSON, ld_nodes
from hub.feeds.sanitize import plain_text, safe_url, summary_text
from hub.posts import events

log = logging.getLogger("hub.feeds.parse")

SUMMARY_LIMIT = 300
# Bumped when the parsing rules change, so a sync re-renders items whose
# source is unchanged but whose parsed form would now differ.
FINGERPRINT_VERSION = 2

# Namespaces whose canonical prefix the default JobFields use, whatever prefix
# a document binds them to.
_CANONICAL_PREFIX = {"http://base.google.com/ns/1.0": "g", "http://base.google.com/cns/1.0": "c"}
try:
    from feedparser.mixin import _FeedParserMixin

    _KNOWN_NAMESPACES = frozenset(_FeedParserMixin.namespaces)
except (ImportError, AttributeError):  # pragma: no cover - feedparser internals moved
    _KNOWN_NAMESPACES = frozenset()

_JOB_TYPES = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
    "OTHER": "Other",
}
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_IMG_ALT = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:$|[T\s])")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_IMAGE_EXT = re.compile(r"\.(?:png|jpe?g|gif|webp|avif)(?:$|\?)", re.IGNORECASE)


class FeedError(Exception):
    """A feed that yields nothing readable; the message is the line to report."""


@dataclass(frozen=True)
class Item:
    """One feed entry, plain and typed. HTML only in `content_html`, unsanitized."""

    id: str
    link: str | None
    title: str
    summary: str
    content_html: str
    published: dt.datetime | None
    updated: dt.datetime | None
    author: str | None
    tags: list[str]
    language: str | None
    image_url: str | None
    image_alt: str | None
    fingerprint: str
    rejected: str | None = None
    expires: str | None = None
    date_posted: str | None = None
    location: str | None = None
    job_type: str | None = None
    event: dict[str, str] | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    language: str | None
    items: list[Item] = field(default_factory=list)
    warning: str | None = None


def parse_feed(data: bytes, feed: FeedConfig, *, source: str) -> ParsedFeed:
    """Parse feed bytes into items; raise FeedError if nothing readable is there."""
    if not data or not data.strip():
        raise FeedError(
            f"{feed.name}: {source}: the feed is empty (0 bytes of XML); "
            "check the URL or ask the publisher"
        )
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    reason = _bozo_reason(parsed)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FeedError(
            f"{feed.name}: {source}: not a readable RSS/Atom feed "
            f"({reason or 'no feed elements found'}); check the URL or ask the publisher"
        )
    cut = _unfinished_entries(data, len(parsed.entries)) if parsed.bozo else 0
    if cut:
        # A body cut inside an item: that item is half read (no summary, no
        # guid, so another id), so it is left for the next complete download.
        parsed["entries"] = parsed.entries[:-cut]
        reason = f"{reason}; {cut} unfinished item(s) at the end skipped"
    meta = parsed.feed
    feed_link = safe_url(meta.get("link"), _http_base(source))
    feed_language = language_tag(meta.get("language")) or language_tag(
        (meta.get("title_detail") or {}).get("language")
    )
    raw = _raw_entries(data, parsed.get("namespaces") or {}, len(parsed.entries))
    is_atom = str(parsed.get("version", "")).startswith("atom")
    items = [
        _item(entry, raw[index] if raw else None, feed, feed_link or _http_base(source),
              feed_language, is_atom)
        for index, entry in enumerate(parsed.entries)
    ]  # fmt: skip
    warning = f"read as far as possible: {reason}" if parsed.bozo else None
    return ParsedFeed(
        title=_text(meta.get("title_detail"), meta.get("title"), is_atom),
        link=feed_link,
        language=feed_language,
        items=items,
        warning=warning,
    )


_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")


def _unfinished_entries(data: bytes, parsed: int) -> int:
    """How many of the last entries a broken document never closed (a truncated body)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return 0  # UTF-16: the tags are not these bytes; nothing is judged
    return max(0, parsed - len(_ENTRY_END.findall(data)))


def _bozo_reason(parsed: Mapping[str, Any]) -> str | None:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return None
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:200]


def _http_base(source: str) -> str | None:
    return source if source.startswith(("http://", "https://")) else None


def language_tag(value: Any) -> str | None:
    """A BCP 47 tag in its usual case (`pt-BR`), or None for what is not one."""
    if not isinstance(value, str) or not _LANG.match(value.strip()):
        return None
    parts = value.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _text(
    detail: Mapping[str, Any] | None, value: Any, is_atom: bool, limit: int | None = None
) -> str:
    """Plain text of a title-like field.

    Atom declares its type, so `type="text"` is kept as written. RSS titles
    are HTML in the wild (entities, CDATA markup), so they are stripped.
    """
    if not isinstance(value, str):
        return ""
    # Without a declared type (feedparser copies Atom content into a missing
    # summary without one), treat the value as HTML: stripping is the safe side.
    kind = (detail or {}).get("type") or "text/html"
    if is_atom and kind == "text/plain":
        return plain_text(htmllib.escape(value, quote=False), limit)
    return plain_text(value, limit)


def _datetime(entry: Mapping[str, Any], key: str) -> dt.datetime | None:
    # dict.get: FeedParserDict maps a missing updated_parsed to published_parsed
    # with a DeprecationWarning; an absent date must stay absent.
    parsed = dict.get(cast(dict[str, Any], entry), f"{key}_parsed")
    if not parsed:
        return None
    try:
        return dt.datetime(*parsed[:6]).replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def _richest_html(entry: Mapping[str, Any]) -> str:
    contents = [c for c in entry.get("content") or [] if isinstance(c.get("value"), str)]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return _as_html(best)
    detail = entry.get("summary_detail")
    if detail and isinstance(detail.get("value"), str):
        return _as_html(detail)
    summary = entry.get("summary")
    return summary if isinstance(summary, str) else ""


def _as_html(detail: Mapping[str, Any]) -> str:
    value = detail.get("value") or ""
    if detail.get("type") == "text/plain":
        return "<p>" + htmllib.escape(value, quote=False) + "</p>"
    return value


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    for candidate in (
        entry.get("language"),
        (entry.get("title_detail") or {}).get("language"),
        *[(c or {}).get("language") for c in entry.get("content") or []],
        (entry.get("summary_detail") or {}).get("language"),
    ):
        lang = language_tag(candidate)
        if lang:
            return lang
    return None


def _author(entry: Mapping[str, Any]) -> str | None:
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author")
    if not isinstance(name, str):
        return None
    return plain_text(name) or None


def _tags(entry: Mapping[str, Any]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in entry.get("tags") or []:
        for raw in str(tag.get("label") or tag.get("term") or "").split(","):
            text = plain_text(raw)
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
    return list(seen.values())


def _image(
    entry: Mapping[str, Any], content: str, base: str | None
) -> tuple[str | None, str | None]:
    for media in entry.get("media_content") or []:
        kind = str(media.get("type") or "")
        medium = str(media.get("medium") or "")
        url = media.get("url")
        if (
            medium == "image"
            or kind.startswith("image/")
            or (not medium and not kind and isinstance(url, str) and _IMAGE_EXT.search(url))
        ):
            safe = safe_url(url, base)
            if safe:
                return safe, None
    for thumb in entry.get("media_thumbnail") or []:
        safe = safe_url(thumb.get("url"), base)
        if safe:
            return safe, None
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type") or "").startswith("image/"):
            safe = safe_url(link.get("href"), base)
            if safe:
                return safe, None
    for match in _IMG_SRC.finditer(content):
        src = htmllib.unescape(next(g for g in match.groups() if g is not None))
        safe = safe_url(src, base)
        if safe:
            tag_end = content.find(">", match.start())
            alt = _IMG_ALT.search(content[match.start() : tag_end if tag_end > 0 else None])
            alt_text = plain_text(next(g for g in alt.groups() if g is not None)) if alt else ""
            return safe, alt_text or None
    return None, None


# --- job fields -------------------------------------------------------------------


def _raw_entries(
    data: bytes, namespaces: Mapping[str, str], count: int
) -> list[dict[str, str]] | None:
    """Child element texts of every item, keyed the way feedparser names them.

    feedparser drops the text of elements that carry attributes
    (`<job:location country="MY">Kuala Lumpur</job:location>`); ElementTree
    does not. Returns None when the XML is too broken for ElementTree or the
    item count disagrees with feedparser's, and the feedparser values are used.
    """
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return None
    prefixes: dict[str, list[str]] = {}
    for prefix, uri in namespaces.items():
        if prefix:
            prefixes.setdefault(uri, []).append(prefix)
    for uri, canonical in _CANONICAL_PREFIX.items():
        prefixes.setdefault(uri, []).append(canonical)
    entries = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    if len(entries) != count:
        return None
    out = []
    for element in entries:
        values: dict[str, str] = {}
        media = [
            " ".join("".join(el.itertext()).split())
            for el in element.iter("{http://search.yahoo.com/mrss/}description")
        ]
        if media:
            values[MEDIA_DESCRIPTION] = "\x1f".join(media)
        for child in element:
            text = "".join(child.itertext()).strip()
            if not text:
                continue
            local = _local(child.tag).lower()
            uri = child.tag[1:].split("}", 1)[0] if child.tag.startswith("{") else ""
            keys = [f"{p}_{local}" for p in prefixes.get(uri, [])] if uri else [local]
            if uri and uri not in _KNOWN_NAMESPACES:
                keys.append(f"*_{local}")
            for key in keys:
                values.setdefault(key, text)
        out.append(values)
    return out


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _field(
    entry: Mapping[str, Any], raw: Mapping[str, str] | None, candidates: Iterable[str]
) -> str | None:
    """The first candidate key present, under any prefix bound to a job namespace."""
    for key in candidates:
        key = key.lower()
        value = None
        if raw is not None:
            value = raw.get(key)
            if value is None and "_" in key:
                value = raw.get("*_" + key.split("_", 1)[1])
        if value is None:
            found = entry.get(key)
            value = found if isinstance(found, str) else None
        if value is not None and value.strip():
            return plain_text(value) or None
    return None


def _day(value: str | None) -> str | None:
    """An ISO day for a closing date as the board wrote it (its own day, not UTC's)."""
    if not value:
        return None
    match = _ISO_DAY.match(value)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
    parsed = _parse_date(value.strip())
    if not parsed:
        return None
    return dt.date(*parsed[:3]).isoformat()


JOB_POSTING = frozenset({"JobPosting"})


def _ld_location(posting: Mapping[str, Any]) -> str | None:
    places = posting.get("jobLocation")
    places = places if isinstance(places, list) else [places]
    names = []
    for place in places:
        if not isinstance(place, dict):
            continue
        address = place.get("address")
        if isinstance(address, dict):
            parts = [address.get(k) for k in ("addressLocality", "addressRegion")]
            country = address.get("addressCountry")
            if isinstance(country, dict):
                country = country.get("name")
            text = ", ".join(str(p) for p in [*parts, country] if isinstance(p, str) and p)
            if text:
                names.append(text)
        elif isinstance(address, str):
            names.append(address)
    if posting.get("jobLocationType") == "TELECOMMUTE" and not names:
        names.append("Remote")
    return plain_text("; ".join(names)) or None


def _ld_job_type(posting: Mapping[str, Any]) -> str | None:
    kind = posting.get("employmentType")
    kinds = kind if isinstance(kind, list) else [kind]
    words = [_JOB_TYPES.get(str(k).upper().replace("-", "_"), str(k)) for k in kinds if k]
    return plain_text(", ".join(words)) or None


def _job(entry: Mapping[str, Any], raw: Mapping[str, str] | None, content: str,
         feed: FeedConfig) -> dict[str, str | None]:  # fmt: skip
    fields = feed.jobs.fields
    job: dict[str, str | None] = {
        "expires": _day(_field(entry, raw, fields.expires)),
        "location": _field(entry, raw, fields.location),
        "job_type": _field(entry, raw, fields.job_type),
        "date_posted": None,
    }
    html_text = content + (entry.get("summary") or "")
    for posting in ld_nodes(html_text, JOB_POSTING) if "ld+json" in html_text else []:
        job["expires"] = job["expires"] or _day(str(posting.get("validThrough") or ""))
        job["date_posted"] = job["date_posted"] or _day(str(posting.get("datePosted") or ""))
        job["location"] = job["location"] or _ld_location(posting)
        job["job_type"] = job["job_type"] or _ld_job_type(posting)
    return job


# --- items -------------------------------------------------------------------------


def _fingerprint(entry: Mapping[str, Any], raw: Mapping[str, str] | None) -> str:
    source = json.dumps(
        [FINGERPRINT_VERSION, entry, raw], sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:32]


def _item(
    entry: Mapping[str, Any],
    raw: Mapping[str, str] | None,
    feed: FeedConfig,
    base: str | None,
    feed_language: str | None,
    is_atom: bool,
) -> Item:
    title = _text(entry.get("title_detail"), entry.get("title"), is_atom)
    content = _richest_html(entry)
    summary = _summary(entry, raw, content, is_atom)
    raw_link = entry.get("link")
    link = safe_url(raw_link, base) if isinstance(raw_link, str) else None
    rejected = None
    if link is None:
        rejected = (
            f"link {raw_link.strip()[:80]!r} is not an http(s) URL"
            if isinstance(raw_link, str) and raw_link.strip()
            else "the item has no link"
        )
    published = _datetime(entry, "published")
    updated = _datetime(entry, "updated")
    item_id = str(entry.get("id") or "").strip() or (raw_link or "").strip()
    if not item_id:
        when = published or updated
        stamp = when.isoformat() if when else ""
        item_id = "sha256:" + hashlib.sha256(f"{title}\n{stamp}".encode()).hexdigest()[:24]
    image_url, image_alt = _image(entry, content, link or base)
    # A job posting in any feed is a job (its JSON-LD says so).
    is_job = feed.category == "jobs" or "JobPosting" in content
    job = _job(entry, raw, content, feed) if is_job else {}
    return Item(
        id=item_id,
        link=link,
        title=title,
        summary=summary,
        content_html=content,
        published=published,
        updated=updated,
        author=_author(entry),
        tags=_tags(entry),
        language=_entry_language(entry) or feed_language or feed.language,
        image_url=image_url,
        image_alt=image_alt,
        fingerprint=_fingerprint(entry, raw),
        rejected=rejected,
        expires=job.get("expires"),
        date_posted=job.get("date_posted"),
        location=job.get("location"),
        job_type=job.get("job_type"),
        event=events.from_feed(content, raw or {}),
    )


MEDIA_DESCRIPTION = "media_description"


def _summary(
    entry: Mapping[str, Any], raw: Mapping[str, str] | None, content: str, is_atom: bool
) -> str:
    """The item's lead: the publisher's excerpt when there is one, else the content's opening.

    feedparser copies `media:description` (a photo's caption) into `summary`
    when the item has no description of its own (kurtmckee/feedparser #53);
    such a summary, or one that merely repeats a caption, is not the lead.
    """
    given = entry.get("summary")
    captions = set((raw or {}).get(MEDIA_DESCRIPTION, "").split("\x1f")) - {""}
    if isinstance(given, str) and given.strip():
        detail = entry.get("summary_detail") or {}
        html_text = _strip_ld(given)
        if is_atom and detail.get("type") == "text/plain":
            html_text = "<p>" + htmllib.escape(html_text, quote=False) + "</p>"
        if plain_text(html_text) not in captions and given != content:
            text = summary_text(html_text, SUMMARY_LIMIT)
            if text:
                return text
    return summary_text(_strip_ld(content), SUMMARY_LIMIT)


def _strip_ld(html_text: str) -> str:
    return LD_JSON.sub(" ", html_text) if "ld+json" in html_text else html_text
