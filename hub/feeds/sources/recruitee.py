"""Recruitee: the careers-site API (`https://{company}.recruitee.com/api/offers/`)
and the job-board XML feed (`<jobs><job>`).

The two differ (see tests/data/jobs/README.md for the specimens): the API
gives an offer's `description` and `requirements` apart, joined here under
their own headings, with `careers_url` as the job page, `close_at` as the
closing day and `translations` keyed by the languages the offer is written
in; the XML feed gives one `description_requirements` body, `reference` as
the id, `url` as the job page and ISO 3166 country codes.
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
    return common.bold_heads(value) if "<" in value else common.plain_paragraphs(value)


def _language(translations: Any) -> str | None:
    """An offer written in one language only states it as its one translation."""
    if isinstance(translations, dict) and len(translations) == 1:
        return common.text(next(iter(translations)))
    return None


def _words(code: Any) -> str | None:
    """Recruitee's codes (`customer_support`) as the words a tag shows."""
    label = common.text(code)
    return label.replace("_", " ").capitalize() if label else None


def _offer(feed: FeedConfig, raw: Mapping[str, Any]) -> Any:
    """One offer of the careers-site API."""
    get = lambda *keys: next((raw[k] for k in keys if raw.get(k) not in (None, "")), None)  # noqa: E731
    listed = raw.get("tags")
    tags: list[Any] = listed if isinstance(listed, list) else []
    return common.job_item(
        feed,
        raw,
        id=f"recruitee:{get('id', 'slug')}" if get("id", "slug") else None,
        link=get("careers_url"),
        title=get("title"),
        content_html=common.sections_html(
            [(None, _html(get("description"))), (REQUIREMENTS, _html(get("requirements")))]
        ),
        location=common.place(get("city"), get("state_name"), get("country"))
        or common.text(get("location")),
        remote=common.yes(get("remote")),
        hybrid=bool(common.yes(get("hybrid"))),
        job_type=common.job_type(get("employment_type_code")),
        department=common.text(get("department")),
        published=common.when(get("published_at", "created_at")),
        updated=common.when(get("updated_at")),
        expires=common.day(get("close_at")),
        language=_language(raw.get("translations")),
        tags=[t for t in (common.text(x) for x in tags) if t],
    )


def _job(feed: FeedConfig, raw: Mapping[str, str]) -> Any:
    """One `<job>` of the XML feed (child elements as text)."""
    get = lambda *keys: next((raw[k] for k in keys if raw.get(k)), None)  # noqa: E731
    category = _words(get("category"))
    return common.job_item(
        feed,
        raw,
        id=f"recruitee:{get('reference')}" if get("reference") else None,
        link=get("url"),
        title=get("title"),
        content_html=_html(get("description_requirements")),
        location=common.place(get("city"), get("state"), get("country")),
        remote=common.yes(get("remote")),
        hybrid=bool(common.yes(get("hybrid"))),
        job_type=common.job_type(get("contract_type")),
        published=common.when(get("published_at", "created_at", "publication_date")),
        updated=common.when(get("updated_at")),
        tags=[category] if category else [],
    )


def read_json(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    body = common.json_data(data, source, feed, "Recruitee")
    offers = [o for o in body.get("offers", []) if isinstance(o, dict)]
    return ParsedFeed(
        title=feed.title or feed.name,
        link=None,
        language=None,
        items=[_offer(feed, offer) for offer in offers],
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
        items=[_job(feed, job) for job in jobs],
    )
