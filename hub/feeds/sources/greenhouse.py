"""Greenhouse Job Board API (`boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true`).

`content` is the description HTML-escaped once more (`&lt;p&gt;`), so it is
unescaped a single time and stays untrusted HTML. Custom fields the board
exposes arrive as `metadata` name/value pairs; those naming an employment
type or a closing date are used for the card and the expiry.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Mapping
from typing import Any

from hub.config import FeedConfig
from hub.feeds.parse import ParsedFeed
from hub.feeds.sources import common

_TYPE_FIELD = re.compile(r"employment|job.?type|commitment|contract", re.I)
_CLOSE_FIELD = re.compile(r"clos|deadline|expir|valid.?through|end.?date", re.I)


def matches(data: Any) -> bool:
    jobs = data.get("jobs") if isinstance(data, dict) else None
    return isinstance(jobs, list) and all(
        isinstance(j, dict) and "absolute_url" in j for j in jobs[:5]
    )


def _meta(job: Mapping[str, Any], pattern: re.Pattern[str]) -> Any:
    for field in job.get("metadata") or []:
        if isinstance(field, dict) and pattern.search(str(field.get("name") or "")):
            value = field.get("value")
            return ", ".join(map(str, value)) if isinstance(value, list) else value
    return None


def _names(values: Any) -> list[str]:
    return [str(v["name"]) for v in values or [] if isinstance(v, dict) and v.get("name")]


def _item(feed: FeedConfig, job: Mapping[str, Any]) -> Any:
    place = job.get("location")
    location = place.get("name") if isinstance(place, dict) else None
    departments = _names(job.get("departments"))
    return common.job_item(
        feed,
        job,
        id=f"greenhouse:{job.get('id')}" if job.get("id") is not None else None,
        link=job.get("absolute_url"),
        title=job.get("title"),
        content_html=htmllib.unescape(str(job.get("content") or "")),
        location=common.text(location),
        remote=bool(location and "remote" in str(location).lower()) or None,
        job_type=common.job_type(_meta(job, _TYPE_FIELD)),
        department=departments[0] if departments else None,
        published=common.when(job.get("first_published") or job.get("updated_at")),
        updated=common.when(job.get("updated_at")),
        expires=common.day(_meta(job, _CLOSE_FIELD)),
        language=common.text(job.get("language")),
        tags=_names(job.get("offices")),
    )


def read(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    body = common.json_data(data, source, feed, "Greenhouse")
    jobs = [j for j in body.get("jobs", []) if isinstance(j, dict)]
    return ParsedFeed(
        title=feed.title or feed.name, link=None, language=None,
        items=[_item(feed, job) for job in jobs],
    )  # fmt: skip
