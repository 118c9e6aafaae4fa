"""What every job-source reader shares: dates, sections, and the Item it returns.

Each applicant tracking system names the same facts differently; the modules
beside this one only pick them out of their own shape and hand them to
`job_item`, so every source leaves the feeds stage as the same `Item` the
RSS path produces and meets the same sanitizer, captions, cards and merge
rule. Values stay untrusted: HTML goes to `content_html` raw, text through
`plain_text`, links through `safe_url`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as htmllib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from feedparser.datetimes import _parse_date

from hub.config import FeedConfig
from hub.feeds.parse import (
    FINGERPRINT_VERSION,
    SUMMARY_LIMIT,
    FeedError,
    Item,
    ParsedFeed,
    language_tag,
)
from hub.feeds.sanitize import plain_text, safe_url

# A paragraph (or line) that is only a bold phrase reads as a section heading.
_BOLD_HEAD = re.compile(
    r"<p>\s*<(b|strong)>\s*([^<]{1,120}?)\s*:?\s*</\1>\s*:?\s*(?:<br\s*/?>\s*)*</p>", re.I
)
_BOLD_LINE = re.compile(
    r"(^|<br\s*/?>)\s*<(b|strong)>\s*([^<]{1,120}?)\s*:?\s*</\2>\s*:?\s*<br\s*/?>", re.I
)
_JOB_TYPES = {
    "full-time": "Full-time", "fulltime": "Full-time", "full_time": "Full-time",
    "part-time": "Part-time", "parttime": "Part-time", "part_time": "Part-time",
    "permanent": "Permanent", "intern": "Internship", "internship": "Internship",
    "trainee": "Trainee", "freelance": "Freelance", "contract": "Contract",
    "contractor": "Contract", "temporary": "Temporary", "temp": "Temporary",
    "fixed": "Fixed-term",
}  # fmt: skip


@dataclass(frozen=True)
class SourceItem(Item):
    """An Item from a job system, with the two facts RSS items lack.

    `department` also travels as a tag and `remote` in `location`, so the
    post gets both without the sync knowing about sources.
    """

    department: str | None = None
    remote: bool | None = None


@dataclass(frozen=True)
class SourceFeed(ParsedFeed):
    """A source's items, and whether part of it could not be had this time.

    `retry`: a job's details did not download, so the sync does not record
    the response as seen and the next run reads it again.
    """

    retry: bool = False


def xml_root(data: bytes, source: str, feed: FeedConfig, kind: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except (ET.ParseError, ValueError) as exc:
        raise FeedError(
            f"{feed.name}: {source}: not readable {kind} XML ({exc}); check the URL"
        ) from None


def json_data(data: bytes, source: str, feed: FeedConfig, kind: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FeedError(
            f"{feed.name}: {source}: not readable {kind} JSON ({str(exc)[:120]}); check the URL"
        ) from None


def child_text(element: ET.Element, *names: str) -> str | None:
    """The text of the first named child present (CDATA included), stripped."""
    for name in names:
        found = element.find(name)
        if found is not None:
            text = "".join(found.itertext()).strip()
            if text:
                return text
    return None


def fields(value: Any) -> dict[str, Any]:
    """A JSON object, or no fields where the source sent something else (APIs drift)."""
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return plain_text(str(value)) or None


def when(value: Any) -> dt.datetime | None:
    """A UTC datetime from the date shapes the systems use (ISO 8601, RFC 822, epoch ms)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10_000_000_000 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):
            return None
    raw = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" UTC", "+00:00"))
    except ValueError:
        stamp = _parse_date(raw)
        if not stamp:
            return None
        year, month, day, hour, minute, second = stamp[:6]
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).replace(microsecond=0)


def day(value: Any) -> str | None:
    """The ISO day a source wrote (its own day, as the RSS closing dates are read)."""
    if value is None or value == "":
        return None
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})", str(value))
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
    moment = when(value)
    return moment.date().isoformat() if moment else None


def job_type(*values: Any) -> str | None:
    words: list[str] = []
    for value in values:
        label = text(value)
        if not label:
            continue
        # Codes such as Recruitee's `fulltime_permanent` name two facts at once.
        parts = label.lower().split("_") if label.lower() not in _JOB_TYPES else [label.lower()]
        if all(p in _JOB_TYPES for p in parts):
            words.extend(_JOB_TYPES[p] for p in parts)
        else:
            words.append(label)
    return ", ".join(dict.fromkeys(words)) or None


def place(*parts: Any) -> str | None:
    names = [t for t in (text(p) for p in parts) if t]
    return ", ".join(dict.fromkeys(names)) or None


def yes(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    word = str(value).strip().lower()
    if word in ("1", "true", "yes", "y", "remote", "fully remote", "full"):
        return True
    if word in ("0", "false", "no", "n", "", "on-site", "onsite", "none"):
        return False
    return None


def sections_html(sections: Iterable[tuple[str | None, str | None]]) -> str:
    """Named description blocks as one HTML body, each name a heading."""
    out = []
    for name, body in sections:
        if not body or not body.strip():
            continue
        if name and name.strip():
            out.append(f"<h2>{htmllib.escape(plain_text(name), quote=False)}</h2>")
        out.append(body.strip())
    return "\n".join(out)


def bold_heads(html_text: str) -> str:
    """Bold-only lines (how Indeed-format feeds mark sections) become headings."""
    html_text = _BOLD_HEAD.sub(lambda m: f"<h2>{m.group(2)}</h2>", html_text)
    return _BOLD_LINE.sub(lambda m: f"{m.group(1)}<h2>{m.group(3)}</h2>", html_text)


def plain_paragraphs(value: str | None) -> str:
    """Plain text (Lever's *Plain fields, Recruitee XML) as escaped paragraphs."""
    if not value:
        return ""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", value) if b.strip()]
    return "".join(
        "<p>" + htmllib.escape(b, quote=False).replace("\n", "<br>") + "</p>" for b in blocks
    )


def with_remote(location: str | None, remote: bool | None, hybrid: bool = False) -> str | None:
    """The card and caption show `location`; a remote or hybrid job says so there.

    Hybrid is not remote: an applicant who cannot come in must not read
    "(Remote)" on a job that wants them in the office some days.
    """
    word = "Remote" if remote else "Hybrid" if hybrid else None
    if word is None:
        return location
    if location and word.lower() in location.lower():
        return location
    return f"{location} ({word})" if location else word


def job_item(
    feed: FeedConfig,
    raw: Mapping[str, Any] | Any,
    *,
    id: str | None,
    link: str | None,
    title: str | None,
    content_html: str,
    base: str | None = None,
    location: str | None = None,
    remote: bool | None = None,
    hybrid: bool = False,
    job_type: str | None = None,
    department: str | None = None,
    published: dt.datetime | None = None,
    updated: dt.datetime | None = None,
    expires: str | None = None,
    language: str | None = None,
    tags: Iterable[str] = (),
) -> SourceItem:
    """One source record as the Item the RSS path would have made of it."""
    clean_link = safe_url(link, base) if link else None
    rejected = None
    if clean_link is None:
        rejected = (
            f"link {str(link).strip()[:80]!r} is not an http(s) URL"
            if link
            else "the item has no link"
        )
    title_text = plain_text(title or "")
    item_id = (id or "").strip() or (link or "").strip()
    if not item_id:
        item_id = "sha256:" + hashlib.sha256(title_text.encode()).hexdigest()[:24]
    source = json.dumps(
        [FINGERPRINT_VERSION, "source", raw], sort_keys=True, default=str, ensure_ascii=False
    )
    all_tags = {t.casefold(): t for t in (plain_text(x) for x in (*tags, department or "")) if t}
    lang = language_tag(language)
    return SourceItem(
        id=item_id,
        link=clean_link,
        title=title_text,
        summary=plain_text(content_html, SUMMARY_LIMIT),
        content_html=content_html,
        published=published,
        updated=updated if updated and updated != published else None,
        author=None,
        tags=list(all_tags.values()),
        language=lang or feed.language,
        image_url=None,
        image_alt=None,
        fingerprint=hashlib.sha256(source.encode("utf-8")).hexdigest()[:32],
        rejected=rejected,
        expires=expires,
        date_posted=published.date().isoformat() if published else None,
        location=with_remote(location, remote, hybrid),
        job_type=job_type,
        department=text(department),
        remote=remote,
    )
