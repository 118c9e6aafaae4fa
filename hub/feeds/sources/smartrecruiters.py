"""SmartRecruiters Posting API (`api.smartrecruiters.com/v1/companies/{id}/postings`).

The list answer is `{offset, limit, totalFound, content: [posting]}`; a
posting's details add `jobAd.sections` (company description, job
description, qualifications, additional information, each `{title, text}`),
read when present. A posting states its own language, used as the item's.
The job page is `postingUrl`, else `jobs.smartrecruiters.com/{company}/{id}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.config import FeedConfig
from hub.feeds.parse import ParsedFeed
from hub.feeds.sources import common

SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def matches(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if "jobAd" in data and "releasedDate" in data:
        return True
    content = data.get("content")
    return isinstance(content, list) and ("totalFound" in data or any(
        isinstance(p, dict) and "releasedDate" in p for p in content[:5]))  # fmt: skip


def _label(value: Any, key: str = "label") -> str | None:
    return common.text(value.get(key)) if isinstance(value, dict) else common.text(value)


def _item(feed: FeedConfig, posting: Mapping[str, Any]) -> Any:
    place = common.fields(posting.get("location"))
    company = common.fields(posting.get("company"))
    sections = ((posting.get("jobAd") or {}).get("sections") or {}) if isinstance(
        posting.get("jobAd"), dict) else {}  # fmt: skip
    blocks = [
        (s.get("title"), s.get("text"))
        for s in (sections.get(name) for name in SECTIONS)
        if isinstance(s, dict)
    ]
    pid = posting.get("id")
    link = posting.get("postingUrl") or (
        f"https://jobs.smartrecruiters.com/{company.get('identifier')}/{pid}"
        if company.get("identifier") and pid
        else None
    )
    language = posting.get("language")
    return common.job_item(
        feed,
        posting,
        id=f"smartrecruiters:{pid}" if pid else None,
        link=link,
        title=posting.get("name"),
        content_html=common.sections_html(blocks),
        location=common.text(place.get("fullLocation"))
        or common.place(place.get("city"), place.get("region"), place.get("country")),
        remote=common.yes(place.get("remote")),
        job_type=common.job_type(_label(posting.get("typeOfEmployment"))),
        department=_label(posting.get("department")),
        published=common.when(posting.get("releasedDate")),
        language=_label(language, "code") if isinstance(language, dict) else common.text(language),
        tags=[
            t for t in map(_label, (posting.get("function"), posting.get("experienceLevel"))) if t
        ],
    )


def read(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    body = common.json_data(data, source, feed, "SmartRecruiters")
    postings = body.get("content") if isinstance(body.get("content"), list) else [body]
    return ParsedFeed(
        title=feed.title or feed.name, link=None, language=None,
        items=[_item(feed, p) for p in postings if isinstance(p, dict)],
    )  # fmt: skip
