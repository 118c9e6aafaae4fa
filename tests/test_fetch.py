"""Fetching against a real HTTP server on 127.0.0.1: limits, retries, conditional GET."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from hub.config import HttpConfig
from hub.feeds.fetch import FetchError, fetch, fetch_image, retry_after
from tests.support.feedserver import DATA, FeedServer

# Short limits so failure cases finish in well under a second.
HTTP = HttpConfig(connect_timeout=1, read_timeout=0.2, retries=2, backoff=0.01, max_bytes=100_000)


def get(server: FeedServer, path: str, http: HttpConfig = HTTP, **kwargs: str) -> object:
    return fetch(server.url(path), http=http, base_dir=Path("."), **kwargs)


def test_good_feed_is_downloaded_with_a_clear_user_agent(feed_server: FeedServer) -> None:
    result = get(feed_server, "/good.xml")
    assert result.status == "ok"
    assert result.content == (DATA / "rss20-blog.xml").read_bytes()
    assert result.url == feed_server.url("/good.xml")
    assert feed_server.headers("/good.xml")[-1]["User-Agent"].startswith("AdvocacyHub/")


def test_conditional_get_returns_not_modified(feed_server: FeedServer) -> None:
    path = "/conditional.xml"
    first = get(feed_server, path)
    assert first.status == "ok" and first.etag == '"v1"'
    assert first.last_modified == "Thu, 19 Nov 2026 09:00:00 GMT"
    again = get(feed_server, path, etag=first.etag, last_modified=first.last_modified)
    assert again.status == "not-modified" and again.content is None
    assert again.etag == '"v1"' and again.last_modified == first.last_modified
    sent = feed_server.headers(path)[-1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == first.last_modified


def test_last_modified_alone_is_enough_for_a_304(feed_server: FeedServer) -> None:
    feed_server.add("/lm-only.xml", b"<rss/>", last_modified="Mon, 02 Nov 2026 08:00:00 GMT")
    result = get(feed_server, "/lm-only.xml", last_modified="Mon, 02 Nov 2026 08:00:00 GMT")
    assert result.status == "not-modified"


def test_a_changed_feed_is_downloaded_again(feed_server: FeedServer) -> None:
    feed_server.add("/changing.xml", b"<rss>v2</rss>", etag='"v2"')
    result = get(feed_server, "/changing.xml", etag='"v1"')
    assert result.status == "ok" and result.content == b"<rss>v2</rss>" and result.etag == '"v2"'


def test_5xx_is_retried_then_reported(feed_server: FeedServer) -> None:
    before = feed_server.count("/500.xml")
    with pytest.raises(FetchError) as err:
        get(feed_server, "/500.xml")
    assert feed_server.count("/500.xml") - before == 3  # 1 + 2 retries
    message = str(err.value)
    assert "\n" not in message
    assert feed_server.url("/500.xml") in message and "HTTP 500" in message
    assert "after 3 tries" in message


def test_500_then_ok_succeeds_on_retry(feed_server: FeedServer) -> None:
    feed_server.add("/flaky.xml", b"<rss>ok</rss>", fail_first=1)
    result = get(feed_server, "/flaky.xml")
    assert result.content == b"<rss>ok</rss>"
    assert feed_server.count("/flaky.xml") == 2


def test_4xx_is_not_retried(feed_server: FeedServer) -> None:
    before = feed_server.count("/404.xml")
    with pytest.raises(FetchError, match=r"HTTP 404.*check the URL"):
        get(feed_server, "/404.xml")
    assert feed_server.count("/404.xml") - before == 1


def test_slow_server_times_out_and_is_retried(feed_server: FeedServer) -> None:
    feed_server.add("/slow-once.xml", b"<rss/>", delay=0.5)
    http = HTTP.model_copy(update={"retries": 1})
    with pytest.raises(FetchError, match=r"no answer within .*read_timeout"):
        get(feed_server, "/slow-once.xml", http=http)
    assert feed_server.count("/slow-once.xml") == 2


def test_endless_response_stops_at_the_byte_cap(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError) as err:
        get(feed_server, "/oversized.xml")
    message = str(err.value)
    assert feed_server.url("/oversized.xml") in message and "100,000-byte cap" in message
    assert "http.max_bytes" in message


def test_declared_oversize_is_refused_before_reading(feed_server: FeedServer) -> None:
    feed_server.add("/big.xml", b"x" * 200_000)
    with pytest.raises(FetchError, match="100,000-byte cap"):
        get(feed_server, "/big.xml")


def test_redirects_are_followed_within_the_limit(feed_server: FeedServer) -> None:
    feed_server.add("/moved.xml", status=301, redirect_to="/good.xml")
    result = get(feed_server, "/moved.xml")
    assert result.status == "ok" and result.url == feed_server.url("/good.xml")


def test_redirect_loop_is_an_error(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError, match=r"more than 5 redirects"):
        get(feed_server, "/loop.xml")
    assert feed_server.count("/loop.xml") <= 6 + 6  # one try, no retries on a loop


def test_connection_refused_is_reported(feed_server: FeedServer) -> None:
    http = HTTP.model_copy(update={"retries": 0})
    with pytest.raises(FetchError, match=r"cannot connect"):
        fetch("http://127.0.0.1:9/feed.xml", http=http, base_dir=Path("."))


@pytest.mark.parametrize(
    "source",
    ["ftp://example.com/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"],
)
def test_only_http_urls_or_local_files(source: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"only http\(s\) URLs or local files|no such file"):
        fetch(source, http=HTTP, base_dir=tmp_path)


def test_local_file_relative_to_base_dir(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "x.xml").write_bytes(b"<rss/>")
    result = fetch("feeds/x.xml", http=HTTP, base_dir=tmp_path)
    assert result.status == "ok" and result.content == b"<rss/>"
    assert result.etag is None and result.last_modified is None


def test_missing_local_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as err:
        fetch("feeds/none.xml", http=HTTP, base_dir=tmp_path)
    assert "feeds/none.xml: no such file" in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_local_file_over_the_cap(tmp_path: Path) -> None:
    (tmp_path / "big.xml").write_bytes(b"x" * 100_001)
    with pytest.raises(FetchError, match="100,000-byte cap"):
        fetch("big.xml", http=HTTP, base_dir=tmp_path)


def test_fetch_image(feed_server: FeedServer) -> None:
    data = fetch_image(feed_server.url("/image.png"), HTTP)
    assert data.startswith(b"\x89PNG")


def test_fetch_image_refuses_non_images(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError, match="served as text/html, not an image"):
        fetch_image(feed_server.url("/image.html"), HTTP)
    with pytest.raises(FetchError, match="not an http"):
        fetch_image("javascript:alert(1)", HTTP)
    with pytest.raises(FetchError, match="not an image"):
        fetch_image(feed_server.url("/oversized.xml"), HTTP)
    feed_server.add(
        "/huge.png", b"\x89PNG" + b"0" * 64 * 1024, content_type="image/png", endless=True
    )
    with pytest.raises(FetchError, match="byte cap"):
        fetch_image(feed_server.url("/huge.png"), HTTP)


# --- slow drip, 429 and Retry-After (issue 9) ----------------------------------------


def test_a_slow_drip_stops_at_the_deadline(feed_server: FeedServer) -> None:
    """Headers at once, then one byte every 0.2 s: each read is in time, the whole is not."""
    feed_server.add("/drip.xml", (DATA / "rss20-blog.xml").read_bytes(), drip=0.2)
    http = HttpConfig(connect_timeout=1, read_timeout=2, retries=0, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        get(feed_server, "/drip.xml", http)
    assert time.monotonic() - started < 3.5
    assert "http.deadline" in str(err.value) and "\n" not in str(err.value)


def test_the_deadline_covers_retries_and_their_waits(feed_server: FeedServer) -> None:
    feed_server.add("/always-500.xml", b"x", status=500, content_type="text/plain")
    http = HttpConfig(connect_timeout=1, read_timeout=1, retries=10, backoff=0.4, deadline=1)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"no time left within http\.deadline"):
        get(feed_server, "/always-500.xml", http)
    assert time.monotonic() - started < 2


def test_429_is_retried_after_the_time_the_server_asks(feed_server: FeedServer) -> None:
    feed_server.add("/busy.xml", b"<rss/>", fail_first=1, fail_status=429,
                    fail_headers={"Retry-After": "1"})  # fmt: skip
    http = HttpConfig(connect_timeout=1, read_timeout=1, retries=1, backoff=0.01, deadline=10)
    started = time.monotonic()
    assert get(feed_server, "/busy.xml", http).content == b"<rss/>"
    assert time.monotonic() - started >= 1
    assert feed_server.count("/busy.xml") == 2


def test_a_retry_after_longer_than_the_deadline_is_not_waited_for(feed_server: FeedServer) -> None:
    feed_server.add("/later.xml", b"<rss/>", fail_first=99, fail_status=503,
                    fail_headers={"Retry-After": "3600"})  # fmt: skip
    http = HttpConfig(connect_timeout=1, read_timeout=1, retries=3, deadline=5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="it asks to wait 3600 s"):
        get(feed_server, "/later.xml", http)
    assert time.monotonic() - started < 1
    assert feed_server.count("/later.xml") == 1


@pytest.mark.parametrize(
    "header, seconds",
    [
        ("120", 120.0),  # RFC 9110 section 10.2.3: delay-seconds
        ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0),  # RFC 9110's own HTTP-date example
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_header(header: str | None, seconds: float | None) -> None:
    now = dt.datetime(2015, 10, 21, 7, 27, 30, tzinfo=dt.UTC)
    assert retry_after(header, now) == seconds


def test_backoff_has_jitter(feed_server: FeedServer) -> None:
    """Two hubs retrying one host do not retry in step: the waits differ run to run."""
    waits = []
    for n in range(3):
        path = f"/jitter-{n}.xml"
        feed_server.add(path, b"<rss/>", fail_first=1)
        http = HttpConfig(connect_timeout=1, read_timeout=1, retries=1, backoff=0.2)
        started = time.monotonic()
        get(feed_server, path, http)
        waits.append(time.monotonic() - started)
    assert all(0.09 < w < 0.6 for w in waits)
    assert len({round(w, 3) for w in waits}) > 1
