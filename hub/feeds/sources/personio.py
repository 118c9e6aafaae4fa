"""Personio's career-site XML (`https://{account}.jobs.personio.de/xml`).

`<workzag-jobs><position>`: the title is `name`, the text is a list of
`jobDescriptions/jobDescription` name/value blocks (the names become
headings), and there is no link: the job page is `/job/{id}` on the same
host. The feed answers in the language its `?language=` asks for, so that
parameter, when present, is every item's language.
"""

from __future__ import annotations

import functools
import urllib.parse
import xml.etree.ElementTree as ET

from hub.config import FeedConfig
from hub.feeds.parse import Item, ParsedFeed
from hub.feeds.sources import common


def matches(root: ET.Element) -> bool:
    return root.tag == "workzag-jobs"


def _host(source: str, feed: FeedConfig) -> str | None:
    parts = urllib.parse.urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{feed.board}.jobs.personio.de" if feed.board else None


def read(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    root = common.xml_root(data, source, feed, "Personio")
    host = _host(source, feed)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(source).query)
    language = next(iter(query.get("language") or []), None)
    items: list[Item] = []
    for position in root.iter("position"):
        get = functools.partial(common.child_text, position)
        pid = get("id")
        blocks = [
            (common.child_text(block, "name"), common.child_text(block, "value"))
            for block in position.iterfind("jobDescriptions/jobDescription")
        ]
        offices = [get("office")] + [
            "".join(o.itertext()).strip() for o in position.iterfind("additionalOffices/office")
        ]
        location = common.place(*offices)
        link = get("jobUrl", "url") or (f"{host}/job/{pid}" if host and pid else None)
        raw = {
            "fields": {c.tag: "".join(c.itertext()).strip() for c in position},
            "blocks": blocks,
        }
        items.append(
            common.job_item(
                feed,
                raw,
                id=f"personio:{pid}" if pid else None,
                link=link,
                title=get("name"),
                content_html=common.sections_html(blocks),
                location=location,
                remote=bool(location and "remote" in location.lower()) or None,
                job_type=common.job_type(get("employmentType"), get("schedule")),
                department=get("department"),
                published=common.when(get("createdAt")),
                language=language,
                tags=[t for t in (get("seniority"), get("recruitingCategory")) if t],
            )
        )
    return ParsedFeed(title=feed.title or feed.name, link=host, language=None, items=items)
