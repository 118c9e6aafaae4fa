"""Recruitee: the careers-site API (`https://{company}.recruitee.com/api/offers/`)
and the job-board XML export (`<jobs><job>`).

Both carry the text in two parts, the description and the requirements,
joined here under their own headings; `careers_url`/`url` is the job page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from hub.config import FeedConfig
from hub.feeds.parse import ParsedFeed
from hub.feeds.sources import common

REQUIREMENTS = "Requirements"


def matches_xml(root: ET.Element) -> bool:
    return root.tag == "jobs" and root.find("job") is not None


def matches_json(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("offers"), list)


def _html(value: str | None) -> str:
    if not value:
        return ""
    return value if "<" in value else common.plain_paragraphs(value)


def _item(feed: FeedConfig, raw: Mapping[str, Any]) -> Any:
    get = lambda *keys: next((raw[k] for k in keys if raw.get(k) not in (None, "")), None)  # noqa: E731
    requirements = get("requirements", "description_requirements")
    return common.job_item(
        feed,
        raw,
        id=f"recruitee:{get('id', 'slug')}" if get("id", "slug") else None,
        link=get("careers_url", "url"),
        title=get("title"),
        content_html=common.sections_html(
            [(None, _html(get("description"))), (REQUIREMENTS, _html(requirements))]
        ),
        location=common.place(get("city"), get("state_name", "state"), get("country"))
        or common.text(get("location")),
        remote=common.yes(get("remote")),
        job_type=common.job_type(get("employment_type_code", "employment_type", "jobtype")),
        department=common.text(get("department")),
        published=common.when(get("published_at", "created_at")),
        updated=common.when(get("updated_at")),
        expires=common.day(get("close_at", "closed_at")),
        language=common.text(get("language", "lang_code")),
    )


def read_json(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    body = common.json_data(data, source, feed, "Recruitee")
    offers = [o for o in body.get("offers", []) if isinstance(o, dict)]
    return ParsedFeed(
        title=feed.title or feed.name,
        link=None,
        language=None,
        items=[_item(feed, offer) for offer in offers],
    )


def read_xml(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    root = common.xml_root(data, source, feed, "Recruitee")
    jobs = [
        {child.tag: "".join(child.itertext()).strip() for child in job} for job in root.iter("job")
    ]
    return ParsedFeed(
        title=feed.title or feed.name,
        link=None,
        language=None,
        items=[_item(feed, job) for job in jobs],
    )
