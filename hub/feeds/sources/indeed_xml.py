"""Indeed-format XML (`<source><publisher>…<job>`), the job feed many systems export.

Workable's job feed and many smaller systems publish it. Every value sits in
CDATA; `description` is HTML whose sections are bold lines, turned into
headings here; `referencenumber` is the stable id.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET

from hub.config import FeedConfig
from hub.feeds.parse import Item, ParsedFeed
from hub.feeds.sources import common


def matches(root: ET.Element) -> bool:
    return root.tag == "source" and root.find("job") is not None


def read(data: bytes, feed: FeedConfig, source: str) -> ParsedFeed:
    root = common.xml_root(data, source, feed, "Indeed-format")
    base = common.child_text(root, "publisherurl")
    items: list[Item] = []
    for job in root.iter("job"):
        get = functools.partial(common.child_text, job)
        remote_word = get("remotetype", "remote")
        hybrid = bool(remote_word and "hybrid" in remote_word.lower())  # Indeed's "Hybrid remote"
        remote = False if hybrid else common.yes(remote_word)
        if remote is None and remote_word:
            remote = "remote" in remote_word.lower()
        raw = {child.tag: "".join(child.itertext()).strip() for child in job}
        items.append(
            common.job_item(
                feed,
                raw,
                id=get("referencenumber", "requisitionid"),
                link=get("url"),
                base=base,
                title=get("title"),
                content_html=common.bold_heads(get("description") or ""),
                location=common.place(get("city"), get("state"), get("country")),
                remote=remote,
                hybrid=hybrid,
                job_type=common.job_type(get("jobtype")),
                department=get("category"),
                published=common.when(get("date")),
                expires=common.day(get("expirationdate")),
                language=get("language"),
            )
        )
    return ParsedFeed(
        title=common.text(common.child_text(root, "publisher")) or feed.name,
        link=base,
        language=None,
        items=items,
    )
