"""feed.xml against the rules of RFC 4287 that the W3C Feed Validator checks,
on post metadata as feeds really bring it (tests/data/atom/posts.yml)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml

from hub.site import atom, listing

DATA = Path(__file__).parent / "data" / "atom"
NS = {"a": atom.ATOM}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 section 5.6 date-time
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 3986/3987: characters never allowed unencoded in a URI or IRI reference
NOT_IRI = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f]")
LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _entries() -> list[listing.Entry]:
    posts = yaml.safe_load((DATA / "posts.yml").read_text(encoding="utf-8"))
    return [listing.entry(slug, meta, dt.date(2026, 11, 22), 7) for slug, meta in posts.items()]


@pytest.fixture(params=["https://hub.example/", None], ids=["with-url", "no-url"])
def feed(request) -> ET.Element:
    text = atom.atom_feed(_entries(), title="Acme hub", base_url=request.param)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _one(parent: ET.Element, name: str) -> ET.Element:
    found = parent.findall(f"a:{name}", NS)
    assert len(found) == 1, f"{parent.tag} needs exactly one atom:{name}, has {len(found)}"
    return found[0]


def _absolute_iri(value: str) -> bool:
    return bool(urlsplit(value).scheme) and not NOT_IRI.search(value)


def test_feed_and_entries_have_their_required_elements(feed):
    """4.1.1 and 4.1.2: one id, title and updated each; an author on the feed
    unless every entry has one."""
    for name in ("id", "title", "updated"):
        _one(feed, name)
    entries = feed.findall("a:entry", NS)
    assert len(entries) == 5  # the javascript post is kept, its link is not
    feed_author = feed.findall("a:author", NS)
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (_one(entry, name).text or "").strip()
        assert feed_author or entry.findall("a:author", NS)
        for author in entry.findall("a:author", NS) + feed_author:
            assert (_one(author, "name").text or "").strip()
        alternates = [
            link for link in entry.findall("a:link", NS) if link.get("rel") == "alternate"
        ]
        assert len(alternates) == 1  # 4.1.2: one alternate per type and hreflang


def test_ids_are_absolute_iris_and_unique(feed):
    """4.2.6: atom:id is an IRI (absolute), never reused within a feed."""
    ids = [feed.findtext("a:id", namespaces=NS)] + [
        e.findtext("a:id", namespaces=NS) for e in feed.findall("a:entry", NS)
    ]
    assert all(_absolute_iri(i) for i in ids), ids
    assert len(set(ids)) == len(ids)


def test_links_are_encoded_and_only_http(feed):
    """4.2.7.1: href is an IRI reference; a raw <2> or space is not one."""
    hrefs = [link.get("href") for link in feed.iter(f"{{{atom.ATOM}}}link")]
    assert hrefs and not [h for h in hrefs if NOT_IRI.search(h)]
    related = [h for h in hrefs if "report" in h]
    assert related == ["https://www.acme.example/news/report?page=%3C2%3E&q=a%20b"]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "https://www.acme.example/zh/%E6%96%B0%E9%97%BB/%E5%8A%9E%E5%85%AC%E5%AE%A4" in hrefs


def test_timestamps_are_rfc3339(feed):
    """3.3: Date constructs are RFC 3339 date-times."""
    stamps = [el.text for el in feed.iter() if el.tag.split("}")[1] in ("updated", "published")]
    assert stamps and all(RFC3339.match(s or "") for s in stamps), stamps
    assert "2026-11-19T07:30:00Z" in stamps  # +02:00 as UTC


def test_languages_are_tags_or_left_out(feed):
    langs = [e.get(XML_LANG) for e in feed.findall("a:entry", NS) if e.get(XML_LANG)]
    assert sorted(langs) == ["en-US", "zh-CN"]
    assert all(LANG_TAG.match(tag) for tag in langs)


def test_a_reader_parses_it_without_complaint():
    text = atom.atom_feed(_entries(), title="Acme hub", base_url="https://hub.example/")
    parsed = feedparser.parse(text)
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.author == "Acme hub"
    assert parsed.entries[0].title == "Page <2> of the report"
    assert (
        atom.atom_feed(
            list(reversed(_entries())), title="Acme hub", base_url="https://hub.example/"
        )
        == text
    )
