"""Which posts the hub offers, in which order, on which listing page.

Pure functions over post metadata and a date, so the rules (approved, not
embargoed, not expired; pinned first, newest next) are tested without a site
build and stay the same if the site moves to another renderer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from slugify import slugify

from hub.dates import day_of
from hub.posts import events



@dataclass(frozen=True)
class Entry:
    """One post as listings see it: its slug, its metadata and its state today."""

    slug: str
    meta: Mapping[str, Any] = field(compare=False, hash=False, repr=False)
    published: bool = True
    expired: bool = False
    new: bool = False

    @property
    def pinned(self) -> bool:
        return bool(self.meta.get("pinned"))

    @property
    def date(self) -> str:
        return str(self.meta.get("date") or "")

    @property
    def share_ready(self) -> bool:
        return self.published and not self.expired


@dataclass(frozen=True)
class Listing:
    """A paged list of posts under one URL prefix ('' is the home page)."""

    prefix: str
    title: str
    entries: Sequence[Entry]
    kind: str = "all"
    value: str = ""

    def pages(self, per_page: int) -> int:
        return max(1, math.ceil(len(self.entries) / per_page))


def is_published(meta: Mapping[str, Any], on: dt.date) -> bool:
    """Approved and past any embargo: the post may appear on the hub at all."""
    if str(meta.get("status") or "draft") != "approved":
        return False
    embargo = day_of(meta.get("publish_date"))
    return embargo is None or embargo <= on


def is_expired(meta: Mapping[str, Any], on: dt.date) -> bool:
    """A job that closed or an event that is over: `expires` (or the event's last day) has passed."""
    last = day_of(meta.get("expires")) or day_of(events.last_day(meta.get("event")))
    return last is not None and last < on


def is_new(meta: Mapping[str, Any], on: dt.date, new_days: int) -> bool:
    day = day_of(meta.get("publish_date")) or day_of(meta.get("date"))
    return day is not None and on - dt.timedelta(days=new_days) < day <= on


def entry(slug: str, meta: Mapping[str, Any], on: dt.date, new_days: int) -> Entry:
    return Entry(
        slug=slug,
        meta=meta,
        published=is_published(meta, on),
        expired=is_expired(meta, on),
        new=is_new(meta, on, new_days),
    )


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """Pinned first, then newest first; the slug breaks ties so builds are identical."""
    by_slug = sorted(entries, key=lambda e: e.slug)
    by_date = sorted(by_slug, key=lambda e: e.date, reverse=True)
    return sorted(by_date, key=lambda e: not e.pinned)


def share_ready(entries: Iterable[Entry]) -> list[Entry]:
    return ordered(e for e in entries if e.share_ready)


def key_of(value: str) -> str:
    """A URL segment for a tag or language value, keeping non-Latin scripts readable."""
    return slugify(str(value), allow_unicode=True) or "x"


def _values(entry: Entry, kind: str) -> list[str]:
    if kind == "category":
        return [str(entry.meta.get("category") or "blog")]
    if kind == "language":
        return [str(entry.meta.get("language") or "en")]
    tags = entry.meta.get("tags") or []
    return [str(t) for t in (tags if isinstance(tags, list) else [tags]) if str(t).strip()]


def facets(entries: Sequence[Entry], kind: str) -> dict[str, tuple[str, list[Entry]]]:
    """key -> (label shown, entries in order) for one filter kind, keys sorted.

    Tags that differ only in case or accents share one page; the first label
    seen (in listing order) names it.
    """
    groups: dict[str, tuple[str, list[Entry]]] = {}
    for item in entries:
        for value in _values(item, kind):
            key = key_of(value)
            _, members = groups.setdefault(key, (value, []))
            if not members or members[-1] is not item:
                members.append(item)
    return dict(sorted(groups.items()))


def listings(
    entries: Sequence[Entry], labels: Mapping[str, str] | None = None,
    tags: Collection[str] | None = None,
) -> list[Listing]:
    """Home plus one listing per category, language and tag, all share-ready only.

    `tags` limits tag listings to those keys (the ones the filters link to),
    so a long tail of one-post tags does not add pages nobody can reach.
    """
    ready = share_ready(entries)
    labels = labels or {}
    out = [Listing("", "Share-ready posts", ready)]
    for kind in ("category", "language", "tag"):
        for key, (label, members) in facets(ready, kind).items():
            if kind == "tag" and tags is not None and key not in tags:
                continue
            shown = labels.get(f"{kind}:{label}", label)
            out.append(Listing(f"{kind}/{key}/", shown, members, kind=kind, value=label))
    return out


def page_slice(items: Sequence[Entry], number: int, per_page: int) -> Sequence[Entry]:
    start = (number - 1) * per_page
    return items[start : start + per_page]


def page_url(prefix: str, number: int) -> str:
    """The URL (relative to the site root, directory style) of page `number` of a listing."""
    return prefix if number == 1 else f"{prefix}page/{number}/"


def page_src(prefix: str, number: int) -> str:
    """The Markdown source path MkDocs builds `page_url` from."""
    return page_url(prefix, number) + "index.md"


def window(current: int, total: int, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and `width` around the current; None is a gap."""
    shown = sorted({1, total, *range(max(1, current - width), min(total, current + width) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and isinstance(out[-1], int) and number - out[-1] > 1:
            out.append(None)
        out.append(number)
    return out
