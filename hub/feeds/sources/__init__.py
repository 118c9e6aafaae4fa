"""Feed bytes -> items, whatever system published them.

Company openings rarely come as RSS: applicant tracking systems publish
their own XML feed or a JSON job-board API. `read_feed` picks the reader:
hub.yml's `format:` when the feed sets one (checked against the response, so
a wrong setting is one clear line, not a silent empty feed), else the shape
of the response itself (JSON keys, XML root element), since the download
layer hands over bytes only. Every reader returns the items the RSS path
returns; then each item's language is settled (hub.feeds.language).
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from hub.config import FeedConfig
from hub.feeds import language
from hub.feeds.fetch import Details
from hub.feeds.parse import FeedError, ParsedFeed, parse_feed
from hub.feeds.sources import greenhouse, indeed_xml, lever, personio, recruitee, smartrecruiters

NAMES = {
    "indeed-xml": "Indeed-format XML",
    "personio": "Personio XML",
    "recruitee": "Recruitee",
    "greenhouse": "Greenhouse job board",
    "lever": "Lever postings",
    "smartrecruiters": "SmartRecruiters postings",
    "rss": "RSS/Atom",
}
_PROLOG = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S | re.I)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def detect(data: bytes) -> str:
    """The source format a response is in, from its own shape; "rss" when unsure."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        body = _json(data)
        for name, test in (
            ("greenhouse", greenhouse.matches),
            ("smartrecruiters", smartrecruiters.matches),
            ("lever", lever.matches),
            ("recruitee", recruitee.matches_json),
        ):
            if test(body):
                return name
        return "json"
    start = data[:4096].lstrip(b"\xef\xbb\xbf")
    prolog = _PROLOG.match(start)  # matches always: every part is optional
    match = _ROOT.match(start, prolog.end() if prolog else 0)
    root = match.group(1).decode("ascii", "replace") if match else ""
    if root == "workzag-jobs":
        return "personio"
    if root in ("source", "jobs"):
        try:
            element = ET.fromstring(data)
        except (ET.ParseError, ValueError):
            return "rss"
        if indeed_xml.matches(element):
            return "indeed-xml"
        if recruitee.matches_xml(element):
            return "recruitee"
    return "rss"


def _reader(kind: str, data: bytes) -> Callable[[bytes, FeedConfig, str], ParsedFeed]:
    if kind == "recruitee":
        return recruitee.read_json if detect(data) == "recruitee" and data.lstrip()[:1] in (
            b"{", b"[") else recruitee.read_xml  # fmt: skip
    return {
        "indeed-xml": indeed_xml.read,
        "personio": personio.read,
        "greenhouse": greenhouse.read,
        "lever": lever.read,
        "smartrecruiters": smartrecruiters.read,
        "rss": lambda d, f, s: parse_feed(d, f, source=s),
    }[kind]


def read_feed(
    data: bytes, feed: FeedConfig, *, source: str, details: Details | None = None
) -> ParsedFeed:
    """Parse a response in any supported source format; raise FeedError if unreadable.

    `details` downloads what a source keeps per item (SmartRecruiters'
    posting text); without it only the response itself is read.
    """
    found = detect(data)
    kind = feed.format or found
    if kind == "json":
        raise FeedError(
            f"{feed.name}: {source}: JSON, but not a job-board API the hub reads "
            f"({', '.join(n for n in NAMES if n != 'rss')}); check the URL"
        )
    if feed.format and feed.format != "rss" and found != feed.format:
        raise FeedError(
            f"{feed.name}: {source}: `format: {feed.format}` in hub.yml, but the response is "
            f"not {NAMES[feed.format]} (it looks like {NAMES.get(found, 'unknown JSON')}); "
            "check the URL or the format"
        )
    if kind == "smartrecruiters":
        parsed = smartrecruiters.read(data, feed, source, details)
    else:
        parsed = _reader(kind, data)(data, feed, source)
    items = [language.settle(item, feed, parsed.language) for item in parsed.items]
    return dataclasses.replace(parsed, items=items)
