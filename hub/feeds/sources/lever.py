"""Lever Postings API (`api.lever.co/v0/postings/{site}?mode=json`).

A JSON list of postings: `text` is the title, `description` the opening and
body as HTML, `lists` the extra sections (`{text, content}` with `<li>`
content, so each becomes a heading over a list), `additional` the closing;
`categories` carry location, commitment (job type) and team/department;
`workplaceType` says remote. Dates are epoch milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.config import FeedConfig
from hub.feeds.parse import ParsedFeed
from hub.feeds.sources import common


def matches(data: Any) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(p, dict) and ("hostedUrl" in p or "categories" in p) for p in data[:5])
    )


def _body(posting: Mapping[str, Any]) -> str:
    opening = posting.get("description") or common.plain_paragraphs(posting.get("descriptionPlain"))
    sections: list[tuple[str | None, str | None]] = [(None, opening)]
    for block in posting.get("lists") or []:
        if isinstance(block, dict) and block.get("content"):
            content = str(block["content"])
            listed = content if "<ul" in content else f"<ul>{content}</ul>"
            sections.append((block.get("text"), listed))
    additional = posting.get("additional") or common.plain_paragraphs(
        posting.get("additionalPlain")
    )
    sections.append((None, additional))
    return common.sections_html(sections)


def _item(feed: FeedConfig, posting: Mapping[str, Any]) -> Any:
    categories = common.fields(posting.get("categories"))
    workplace = str(posting.get("workplaceType") or "").lower()
    remote = {"remote": True, "on-site": False, "hybrid": False}.get(workplace)
    return common.job_item(
        feed,
        posting,
        id=f"lever:{posting.get('id')}" if posting.get("id") else None,
        link=posting.get("hostedUrl"),
        title=posting.get("text"),
        content_html=_body(posting),
        location=common.text(categories.get("location")),
        remote=remote,
        hybrid=workplace == "hybrid",
        job_type=common.job_type(categories.get("commitment")),
        department=common.text(categories.get("department") or categories.get("team")),
        published=common.when(posting.get("createdAt")),
        updated=common.when(posting.get("updatedAt")),
        tags=[t for t in (common.text(categories.get("team")),) if t],
    )


def read(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    body = common.json_data(data, source, feed, "Lever")
    postings = [p for p in body if isinstance(p, dict)] if isinstance(body, list) else []
    return ParsedFeed(
        title=feed.title or feed.name, link=None, language=None,
        items=[_item(feed, p) for p in postings],
    )  # fmt: skip
