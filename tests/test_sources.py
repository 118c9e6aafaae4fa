"""Job sources in the applicant tracking systems' own shapes, served over real HTTP.

Each fixture in tests/data/jobs/ is rebuilt from the system's documented
format or public test data (sources in that folder's README); its parsed
items are kept beside it as `<name>.expected.json` (HUB_REGENERATE=1 rewrites
them, then read the diff).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from hub.config import ConfigError, FeedConfig, HttpConfig, parse_config
from hub.feeds.fetch import fetch
from hub.feeds.parse import FeedError
from hub.feeds.sources import detect, read_feed
from hub.posts import schema as posts
from hub.posts.sync import sync
from tests.support.feedserver import JOBS, FeedServer

CASES = sorted(
    p for p in JOBS.iterdir() if p.suffix in (".json", ".xml") and ".expected." not in p.name
)
FORMATS = {
    "greenhouse-jobs.json": "greenhouse",
    "indeed.xml": "indeed-xml",
    "lever-postings.json": "lever",
    "personio.xml": "personio",
    "recruitee-jobs.xml": "recruitee",
    "recruitee-offers.json": "recruitee",
    "smartrecruiters-postings.json": "smartrecruiters",
}
# Per fixture, the Item fields it fills (beyond id, link, title, body, date).
MAPPED = {
    "greenhouse-jobs.json": {
        "location", "job_type", "department", "expires", "updated", "tags", "remote"},
    "indeed.xml": {"location", "job_type", "department", "expires", "remote", "tags"},
    "lever-postings.json": {"location", "job_type", "department", "tags", "remote"},
    "personio.xml": {"location", "job_type", "department", "tags", "remote"},
    "recruitee-offers.json": {
        "location", "job_type", "department", "expires", "remote", "updated", "tags", "language"},
    "recruitee-jobs.xml": {"location", "remote", "job_type", "tags"},
    "smartrecruiters-postings.json": {"location", "job_type", "department", "language", "remote"},
}  # fmt: skip
HTTP = HttpConfig(retries=0)


def feed_for(path: Path, url: str, **extra: Any) -> FeedConfig:
    return FeedConfig(name=path.stem.replace(".", "-"), url=url, category="jobs", **extra)


def _iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(type(value))


def served(path: Path, feed_server: FeedServer, **extra: Any) -> Any:
    url = feed_server.url(f"/jobs/{path.name}")
    result = fetch(url, http=HTTP, base_dir=JOBS)
    return read_feed(result.content, feed_for(path, url, **extra), source=url)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_source_matches_expected(path: Path, feed_server: FeedServer) -> None:
    parsed = served(path, feed_server)
    actual = json.loads(json.dumps(dataclasses.asdict(parsed), default=_iso, ensure_ascii=False))
    actual = json.loads(json.dumps(actual).replace(feed_server.base, "http://FEEDSERVER"))
    expected_path = path.with_name(path.name + ".expected.json")
    if os.environ.get("HUB_REGENERATE") == "1":
        text = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_every_field_of_the_source_is_mapped(path: Path, feed_server: FeedServer) -> None:
    kind = FORMATS[path.name]
    assert detect(path.read_bytes()) == kind
    items = served(path, feed_server).items
    assert len(items) >= 2
    for item in items:
        assert item.title and item.link and item.link.startswith("http")
        assert item.published and item.date_posted and item.rejected is None
        if kind == "smartrecruiters" and not item.content_html:
            continue  # the postings list carries no text; a posting's details do
        assert item.content_html and item.summary
        assert re.search(r"<h[2-6]>", item.content_html) or kind == "greenhouse"  # sections
    filled = {
        f for f in MAPPED[path.name] if any(getattr(i, f) not in (None, [], "") for i in items)
    }
    assert filled == MAPPED[path.name]


def test_languages_come_from_the_source_or_the_text(feed_server: FeedServer) -> None:
    by_file = {p.name: served(p, feed_server).items for p in CASES}
    languages = {name: [i.language for i in items] for name, items in by_file.items()}
    assert languages["smartrecruiters-postings.json"] == ["de", "en", "it"]  # the posting says
    assert languages["recruitee-offers.json"] == ["en", "en", "nl"]  # its one translation says
    assert languages["greenhouse-jobs.json"] == ["en", "es"]  # detected
    assert languages["recruitee-jobs.xml"] == ["en", "es"]
    assert languages["indeed.xml"] == ["en", None, "zh"]
    # French, German and Portuguese have no caption catalog: detected, they fall
    # back (None: the hub's default) instead of getting a language nobody captions.
    assert languages["personio.xml"] == [None, "ca"]
    assert languages["lever-postings.json"] == ["en", None]
    forced = served(JOBS / "lever-postings.json", feed_server, language="pt")
    assert [i.language for i in forced.items] == ["pt", "pt"]  # hub.yml's language still forces


def test_personio_links_are_built_from_the_id(feed_server: FeedServer) -> None:
    items = served(JOBS / "personio.xml", feed_server).items
    assert items[0].link == feed_server.url("/job/4103")
    assert items[1].location == "Barcelona, Remote" and items[1].remote is True
    local = read_feed((JOBS / "personio.xml").read_bytes(),
                      FeedConfig(name="p", url="jobs.xml", format="personio", board="acme"),
                      source="jobs.xml")  # fmt: skip
    assert local.items[0].link == "https://acme.jobs.personio.de/job/4103"


def test_greenhouse_content_is_unescaped_once_and_stays_untrusted(
    feed_server: FeedServer,
) -> None:
    item = served(JOBS / "greenhouse-jobs.json", feed_server).items[0]
    assert item.content_html.startswith("<p>This is the job description.")
    assert "<script>" in item.content_html  # raw here; hub.feeds.sanitize cleans it for the post
    assert item.expires == "2016-02-29" and item.job_type == "Full-time"


def test_a_wrong_format_setting_is_one_clear_line(feed_server: FeedServer) -> None:
    with pytest.raises(FeedError, match=r"format: lever.*not Lever postings.*Greenhouse"):
        served(JOBS / "greenhouse-jobs.json", feed_server, format="lever")


def test_unknown_json_is_one_clear_line() -> None:
    feed = FeedConfig(name="x", url="x.json", category="jobs")
    with pytest.raises(FeedError, match=r"x: x.json: JSON, but not a job-board API"):
        read_feed(b'{"vacancies": []}', feed, source="x.json")


def test_an_empty_board_is_not_an_error() -> None:
    feed = FeedConfig(name="p", url="x.xml", category="jobs")
    assert read_feed(b"<workzag-jobs></workzag-jobs>", feed, source="x.xml").items == []


def test_sources_are_fetched_conditionally(feed_server: FeedServer) -> None:
    url = feed_server.url("/jobs/lever-postings.json")
    first = fetch(url, http=HTTP, base_dir=JOBS)
    again = fetch(url, http=HTTP, base_dir=JOBS, etag=first.etag)
    assert first.status == "ok" and again.status == "not-modified"


def test_format_and_board_are_validated_at_load() -> None:
    config = parse_config("feeds:\n  - {name: gh, format: greenhouse, board: vaulttec}\n")
    url = config.feeds[0].url
    assert url == "https://boards-api.greenhouse.io/v1/boards/vaulttec/jobs?content=true"
    with pytest.raises(ConfigError, match=r"format.*'rss', 'indeed-xml'.*'smartrecruiters'"):
        parse_config("feeds:\n  - {name: w, url: x.xml, format: workday}\n")
    with pytest.raises(ConfigError, match=r"url: missing; give `url`, or `board`"):
        parse_config("feeds:\n  - {name: gh, format: lever}\n")
    with pytest.raises(ConfigError, match=r"board"):
        parse_config("feeds:\n  - {name: gh, format: lever, board: 'a b/c'}\n")


def test_a_source_syncs_into_posts_with_its_language(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.url("/jobs/greenhouse-jobs.json")
    hub_yml = f"feeds:\n  - {{name: gh, url: '{url}', category: jobs}}\n"
    (tmp_path / "hub.yml").write_text(hub_yml)
    config = parse_config((tmp_path / "hub.yml").read_text())
    report = sync(config, tmp_path, today=dt.date(2026, 11, 23))
    assert report.total("new") == 2, report.summary()
    files = sorted((tmp_path / "content" / "posts").glob("*.md"))
    metas = {posts.read(f).meta["title"]: posts.read(f).meta for f in files}
    spanish = metas["Ingeniera de datos sénior"]
    assert spanish["language"] == "es" and spanish["location"] == "Madrid, España (Remote)"
    assert spanish["tags"] == ["Madrid", "Datos"]
    assert spanish["expires"] == "2026-12-18"  # first published + 30 days: the configured rule
    assert metas["Vault Designer"]["expires"] == "2016-02-29"  # the board's own closing date
    body = posts.read(files[0]).body + posts.read(files[1]).body
    assert "<script" not in body and "alert(1)" not in body


def test_a_resync_of_an_unchanged_source_is_one_conditional_request(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.url("/jobs/personio.xml")
    (tmp_path / "hub.yml").write_text(
        f"feeds:\n  - {{name: eu, url: '{url}', category: jobs, format: personio}}\n"
    )
    config = parse_config((tmp_path / "hub.yml").read_text())
    first = sync(config, tmp_path, today=dt.date(2026, 11, 23))
    files = {p: p.read_bytes() for p in (tmp_path / "content" / "posts").glob("*.md")}
    again = sync(config, tmp_path, today=dt.date(2026, 11, 23))
    assert first.total("new") == 2 and again.feeds[0].not_modified
    assert feed_server.headers("/jobs/personio.xml")[-1].get("If-None-Match") == '"personio-v1"'
    assert {p: p.read_bytes() for p in files} == files
    catalan = [posts.read(p).meta for p in files if "atencio" in p.name]
    assert catalan and catalan[0]["language"] == "ca" and catalan[0]["captions"]


SMARTRECRUITERS = JOBS / "smartrecruiters-api"  # a recorded list and its postings' details
JSON_TYPE = "application/json; charset=utf-8"


def smartrecruiters_board(feed_server: FeedServer, postings: str, failing: int = 1) -> str:
    """The recorded list at `postings` (its API path), each posting's details beside it.

    The third posting's details answer 500 to the first `failing` requests (the
    server counts per path for the session, so each test gives its own path).
    """
    url = feed_server.add(postings, (SMARTRECRUITERS / "postings.json").read_bytes(),
                          content_type=JSON_TYPE, etag='W/"list-v1"')  # fmt: skip
    for path in sorted(SMARTRECRUITERS.glob("7*.json")):
        feed_server.add(f"{postings}/{path.stem}", path.read_bytes(), content_type=JSON_TYPE,
                        etag=f'W/"{path.stem}"',
                        fail_first=failing if path.stem == "744000004395596" else 0)  # fmt: skip
    return url


def test_smartrecruiters_postings_are_read_with_their_details(
    feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from hub.feeds.fetch import Details

    url = smartrecruiters_board(feed_server, "/read/v1/companies/Gousto1/postings")
    data = fetch(url, http=HTTP, base_dir=tmp_path).content
    assert data is not None
    feed = FeedConfig(name="gousto", url=url, category="jobs", format="smartrecruiters")
    bare = read_feed(data, feed, source=url)  # no downloader: the list alone, no text
    assert [i.content_html for i in bare.items] == ["", "", ""] and not bare.retry
    local = read_feed(data, feed, source="postings.json", details=Details(HTTP, tmp_path))
    assert not local.warning and [i.content_html for i in local.items] == ["", "", ""]
    details = Details(HTTP, tmp_path)
    parsed = read_feed(data, feed, source=url, details=details)
    first, second, third = parsed.items
    for item in (first, second):
        assert item.content_html.startswith("<h2>Company Description</h2>")
        assert "<h2>Job Description</h2>" in item.content_html
        assert "<h2>Additional Information</h2>" in item.content_html
        assert "<h2>Qualifications</h2>" not in item.content_html  # empty in the recording
        assert item.link and item.link.startswith("https://jobs.smartrecruiters.com/Gousto1/")
        assert item.language == "en" and item.job_type == "Full-time"
    # One failed detail: one line naming the posting, the posting kept from the list.
    assert third.title == "FullStack Software Engineer - React / Node / TypeScript"
    assert third.content_html == "" and third.location and third.published
    lines = [r.getMessage() for r in caplog.records if "744000004395596" in r.getMessage()]
    assert len(lines) == 1 and "kept without its text" in lines[0] and "500" in lines[0]
    assert parsed.retry and parsed.warning and "1 of 3 postings" in parsed.warning
    assert set(details.used) == {f"{url}/744000005051195", f"{url}/744000004395755"}


def test_smartrecruiters_details_sync_conditionally_and_fill_in_later(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    postings = "/sync/v1/companies/Gousto1/postings"
    url = smartrecruiters_board(feed_server, postings)
    (tmp_path / "hub.yml").write_text(
        f"http: {{retries: 0}}\nfeeds:\n  - {{name: gousto, url: '{url}', category: jobs, "
        "format: smartrecruiters}\n"
    )
    config = parse_config((tmp_path / "hub.yml").read_text())
    posts_dir = tmp_path / "content" / "posts"

    def bodies() -> dict[str, str]:
        return {posts.read(p).meta["title"]: posts.read(p).body for p in posts_dir.glob("*.md")}

    first = sync(config, tmp_path, today=dt.date(2024, 8, 9))
    assert first.total("new") == 3 and "1 of 3 postings" in (first.feeds[0].warning or "")
    text = bodies()
    late = "FullStack Software Engineer - React / Node / TypeScript"
    assert "## Company Description" in text["Senior Software Engineer"]
    assert "Company Description" not in text[late]
    # The list is read again (not recorded as seen) and the details asked conditionally.
    again = sync(config, tmp_path, today=dt.date(2024, 8, 9))
    assert not again.feeds[0].not_modified and again.feeds[0].warning is None
    assert "If-None-Match" not in feed_server.headers(postings)[-1]
    detail = f"{postings}/744000005051195"
    assert feed_server.headers(detail)[-1].get("If-None-Match") == 'W/"744000005051195"'
    assert again.total("updated") == 1  # the third post gets its text
    assert "## Company Description" in bodies()[late]
    # Now whole: recorded as seen, so the next run is one conditional request.
    third = sync(config, tmp_path, today=dt.date(2024, 8, 9))
    assert third.feeds[0].not_modified
    assert feed_server.headers(postings)[-1].get("If-None-Match") == 'W/"list-v1"'


def test_a_feeds_details_share_one_deadline(feed_server: FeedServer, tmp_path: Path) -> None:
    """A slow host cannot hold the run for one deadline per posting."""
    from hub.feeds.fetch import Details

    postings = "/slow/v1/companies/Gousto1/postings"
    url = feed_server.add(postings, (SMARTRECRUITERS / "postings.json").read_bytes(),
                          content_type=JSON_TYPE)  # fmt: skip
    for path in sorted(SMARTRECRUITERS.glob("7*.json")):
        feed_server.add(f"{postings}/{path.stem}", path.read_bytes(), content_type=JSON_TYPE,
                        delay=0.7)  # fmt: skip
    http = HttpConfig(retries=0, deadline=1.0)
    data = fetch(url, http=http, base_dir=tmp_path).content
    assert data is not None
    feed = FeedConfig(name="slow", url=url, category="jobs", format="smartrecruiters")
    details = Details(http, tmp_path)
    start = time.monotonic()
    parsed = read_feed(data, feed, source=url, details=details)
    assert time.monotonic() - start < 2.0  # not 3 x 0.7 s, nor 3 deadlines
    assert [bool(i.content_html) for i in parsed.items] == [True, False, False]
    assert parsed.warning and "2 of 3 postings" in parsed.warning


@pytest.mark.parametrize(("location", "remote", "hybrid", "shown"), [
    ("Lyon", True, False, "Lyon (Remote)"),
    ("Lyon", False, True, "Lyon (Hybrid)"),
    ("Lyon", None, False, "Lyon"),
    (None, False, True, "Hybrid"),
    ("Remote, Spain", True, False, "Remote, Spain"),
])
def test_a_hybrid_job_is_not_called_remote(location, remote, hybrid, shown):
    """Indeed's "Hybrid remote", Lever's workplaceType and the ATS `hybrid` flags read as hybrid."""
    from hub.feeds.sources.common import with_remote

    assert with_remote(location, remote, hybrid) == shown
