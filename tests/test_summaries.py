"""Summaries and captions from feeds in the shapes real systems emit.

Each tests/data/summaries/<name>.xml sits beside <name>.expected.yml: per
item, how its summary starts and the text (photo captions, "Read more",
bylines, trailers) no caption may contain. Sources in that folder's README.
The feeds go through the real sync, served by the real feed server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from hub.config import parse_config
from hub.posts import advocate
from hub.posts import schema as posts
from hub.posts.captions import LIMITS, measure, url_cost
from hub.posts.share import campaign_of, tracked_url
from hub.posts.sync import sync

DATA = Path(__file__).parent / "data" / "summaries"
CASES = sorted(p.stem for p in DATA.glob("*.xml"))
TODAY = dt.date(2026, 11, 20)
SENTENCE_END = (".", "!", "?", "。", "！", "？", "।")


def synced(server, tmp_path: Path, name: str, today: dt.date = TODAY) -> list[posts.PostFile]:
    category = "jobs" if name.startswith("jobs") else "blog"
    url = server.add(f"/summaries/{name}.xml", (DATA / f"{name}.xml").read_bytes())
    (tmp_path / "hub.yml").write_text(
        "brand: {name: Acme, hashtags: [LifeAtAcme]}\n"
        f"feeds:\n  - {{name: f, url: '{url}', category: {category}, approval: auto}}\n",
        encoding="utf-8",
    )
    config = parse_config((tmp_path / "hub.yml").read_text(encoding="utf-8"))
    report = sync(config, tmp_path, today=today)
    assert not report.failed, report.failed[0].error
    files = sorted((tmp_path / "content" / "posts").glob("*.md"))
    by_link = {posts.read(p).meta["canonical_url"]: posts.read(p) for p in files}
    return [by_link[link] for link in links(DATA / f"{name}.xml")]


def links(path: Path) -> list[str]:
    import feedparser

    return [e.link for e in feedparser.parse(path.read_bytes()).entries]


@pytest.mark.parametrize("name", CASES)
def test_summary_is_the_lead_and_captions_fit(feed_server, tmp_path: Path, name: str) -> None:
    expected = yaml.safe_load((DATA / f"{name}.expected.yml").read_text(encoding="utf-8"))
    found = synced(feed_server, tmp_path, name)
    assert len(found) == len(expected)
    for post, want in zip(found, expected, strict=True):
        meta = post.meta
        summary = str(meta.get("summary") or "")
        assert summary.startswith(want["starts"]), summary
        if want.get("ends_with_sentence"):
            assert summary.endswith(SENTENCE_END), summary
        for network, wordings in meta["captions"].items():
            source = "email" if network.startswith("email") else network
            url = tracked_url(
                meta["canonical_url"], source=source, medium="advocacy",
                campaign=campaign_of(meta, "x"),
            ) + advocate.PARAMETER + "x" * advocate.MAX_LENGTH
            budget = LIMITS[network] - url_cost(network, len(url), url)
            assert wordings, network
            for wording in wordings:
                assert measure(network, wording) <= budget, (network, wording)
                assert not wording.endswith("…"), (network, wording)
                for text in [*want.get("never", ()), "Read more"]:
                    assert text not in wording, (network, wording)
        for text in want.get("never", ()):
            assert text not in summary
            assert text not in str(meta.get("image_alt"))


def test_an_edit_to_title_or_summary_reaches_every_unedited_wording(tmp_path: Path) -> None:
    from tests.test_sync import Hub

    hub = Hub(tmp_path)
    hub.feed("blog", [{"id": "a", "title": "Hello Barcelona", "summary": "We opened. It is big."}])
    hub.sync()
    path = hub.posts / "hello-barcelona.md"
    before = hub.post("hello-barcelona").meta
    mine = "My own words about Barcelona"
    path.write_text(
        posts.update(
            path.read_text(encoding="utf-8"),
            {
                "title": "Hola Barcelona",
                "summary": "A new office for forty people.",
                "captions.x": [before["captions"]["x"][0], mine, *before["captions"]["x"][2:]],
            },
        ),
        encoding="utf-8",
    )
    hub.sync(refresh=True)
    meta = hub.post("hello-barcelona").meta
    assert "Hola Barcelona" in meta["image_alt"]
    assert meta["captions"]["x"][1] == mine  # the person's wording, kept
    for network, wordings in meta["captions"].items():
        for index, wording in enumerate(wordings):
            if (network, index) == ("x", 1):
                continue
            old = before["captions"][network][index]
            assert "Hello Barcelona" not in wording, (network, wording)
            if "Hello Barcelona" in old:
                assert "Hola Barcelona" in wording, (network, wording)
            if "We opened" in old:
                assert "A new office for forty people." in wording, (network, wording)


def test_events_get_their_days_card_calendar_and_archive(feed_server, tmp_path: Path) -> None:
    from hub.cards.cardtext import card_text
    from hub.config import BrandConfig
    from hub.posts import events

    expected = yaml.safe_load((DATA / "events.expected.yml").read_text(encoding="utf-8"))
    found = synced(feed_server, tmp_path, "events")
    for post, want in zip(found, expected, strict=True):
        meta = post.meta
        assert meta["event"] == want["event"]
        assert meta["category"] == "event"
        assert meta["expires"] == want["event"]["end"][:10]
        details = card_text(meta, BrandConfig(name="Acme")).details
        assert details.startswith(want["event"]["start"][:10]), details
        assert want["event"]["place"] in meta["image_alt"]
        calendar = events.ics(meta, "uid@hub", str(meta["date"]))
        assert calendar is not None and calendar.endswith("END:VCALENDAR\r\n")
        assert "DTSTART" in calendar
        assert all(len(line.encode()) <= 75 for line in calendar.split("\r\n"))
    # after Wellness Week's last day, the sync archives it; Hack Days stays
    config = parse_config((tmp_path / "hub.yml").read_text(encoding="utf-8"))
    report = sync(config, tmp_path, today=dt.date(2026, 12, 1))
    assert report.total("archived") == 1
    statuses = {p.meta["title"]: p.meta["status"] for p in synced_posts(tmp_path)}
    assert statuses == {"Wellness Week": "archived", "Hack Days 2027": "approved"}


def test_the_post_page_shows_the_events_days_place_and_calendar_link(
    feed_server, tmp_path: Path
) -> None:
    """The generated page: localised start and end, the place, a link to the .ics beside it."""
    from hub.site import generator, i18n

    synced(feed_server, tmp_path, "events")
    config = parse_config((tmp_path / "hub.yml").read_text(encoding="utf-8"))
    for post in (tmp_path / "content" / "posts").glob("*.md"):
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("status: draft", "status: approved"), encoding="utf-8")
    out = tmp_path / ".build" / "site-src"
    source = generator.generate(
        config, root=tmp_path, content=tmp_path / "content", folder=out,
        site_dir=tmp_path / "site", base_config=tmp_path / "mkdocs.yml",
        today=dt.date(2026, 11, 20),
    )
    fragments = [p.read_text(encoding="utf-8") for p in (out / generator.FRAGMENTS).glob("*.html")]
    assert len(source.posts) == 2
    for slug in source.posts:
        meta = posts.read(tmp_path / "content" / "posts" / f"{slug}.md").meta
        event, language = meta["event"], meta.get("language") or "en"
        head = next(f for f in fragments if 'id="event"' in f and event["place"] in f)
        start = i18n.moment_label(event["start"], language)
        assert f'<time datetime="{event["start"]}">{start}</time>' in head
        assert i18n.moment_label(event["end"], language) in head
        assert f'href="{slug}.ics" download' in head
        calendar = out / generator.DOCS / "posts" / slug / f"{slug}.ics"
        assert calendar.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert i18n.moment_label("2026-11-23T09:00", "en") == "November 23, 2026, 9:00\u202fAM"
    assert i18n.moment_label("2027-01-14", "ca") == "14 de gener del 2027"


def synced_posts(root: Path) -> list[posts.PostFile]:
    return [posts.read(p) for p in sorted((root / "content" / "posts").glob("*.md"))]
