"""Downloads for feeds and feed images, within limits a hostile server cannot stretch.

A scheduled CI build must not hang on a slow host, fill the disk from an
endless response or hammer a publisher: every request has connect and read
timeouts, a byte cap counted while streaming (a Content-Length can lie), a
redirect limit, a few retries with exponential backoff and jitter on failures
that may pass (timeouts, dropped connections, 5xx, 429, waiting as long as a
Retry-After asks) and none on ones that will not (other 4xx). An overall
deadline per download (`http.deadline`, retries and waits included) bounds
a server that answers one byte at a time, so one feed never holds the run.
Feeds are fetched conditionally, so an unchanged feed costs one 304.

`Details` downloads the second documents some job sources need per item
(a SmartRecruiters posting's text), under the same limits, conditionally
against what the last run kept, and all within one `http.deadline` per feed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import requests
import urllib3

from hub.config import HttpConfig
from hub.feeds.sanitize import safe_url

log = logging.getLogger("hub.feeds.fetch")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A download that failed, worded as one line naming the URL and what to do."""


@dataclass(frozen=True)
class FetchResult:
    status: Literal["ok", "not-modified"]
    content: bytes | None
    etag: str | None
    last_modified: str | None
    url: str


class _Retryable(Exception):
    """A failure worth another try; carries the line to report if none is left."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait  # seconds the server asked for (Retry-After), if it did


_jitter = random.Random()  # timing only: never touches what is written


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def _deadline_message(url: str, http: HttpConfig) -> str:
    return (
        f"{url}: not downloaded within {http.deadline:g} s (http.deadline in hub.yml); "
        "the server is too slow: try later or raise http.deadline"
    )


_local = threading.local()


def _session(http: HttpConfig) -> requests.Session:
    # One keep-alive session per thread and settings: feeds and their images
    # usually share a host, and requests.Session is not thread-safe.
    sessions: dict[HttpConfig, requests.Session] = _local.__dict__.setdefault("sessions", {})
    session = sessions.get(http)
    if session is None:
        session = requests.Session()
        session.max_redirects = http.max_redirects
        session.headers["User-Agent"] = http.user_agent
        session.trust_env = True
        sessions[http] = session
    return session


def _cap_message(url: str, http: HttpConfig) -> str:
    return (
        f"{url}: larger than the {http.max_bytes:,}-byte cap (http.max_bytes in hub.yml); "
        "raise the cap if this feed is really that big"
    )


def _read_capped(response: requests.Response, url: str, http: HttpConfig, end: float) -> bytes:
    """The body, decoded, within the byte cap and the deadline.

    One socket read at a time (read1), each allowed only the time left, so a
    server dripping a byte a second cannot stretch the download past `end`.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > http.max_bytes:
        raise FetchError(_cap_message(url, http))
    raw = response.raw
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    chunks: list[bytes] = []
    size = 0
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise FetchError(_deadline_message(url, http))
        if sock is not None:
            sock.settimeout(min(http.read_timeout, left))
        chunk = raw.read1(_CHUNK, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > http.max_bytes:
            raise FetchError(_cap_message(url, http))
        chunks.append(chunk)


def _attempt(
    url: str, http: HttpConfig, headers: dict[str, str], end: float, image: bool = False
) -> tuple[requests.Response, bytes | None]:
    session = _session(http)
    left = max(0.01, end - time.monotonic())
    timeout = urllib3.Timeout(
        connect=min(http.connect_timeout, left), read=min(http.read_timeout, left), total=left
    )
    try:
        response = session.get(
            url,
            headers=headers,
            # requests hands a urllib3 Timeout to the adapter as is; its stubs list only floats
            timeout=timeout,  # type: ignore[arg-type]
            stream=True,
            allow_redirects=True,
        )
    except requests.TooManyRedirects:
        raise FetchError(
            f"{url}: more than {http.max_redirects} redirects (http.max_redirects); "
            "use the feed's final URL"
        ) from None
    except requests.Timeout:
        raise _Retryable(
            f"{url}: no answer within {http.connect_timeout:g}s to connect / "
            f"{http.read_timeout:g}s to read; check the URL or raise http.read_timeout"
        ) from None
    except requests.ConnectionError as exc:
        reason = _reason(exc)
        if reason == "NameResolutionError":
            # an unknown host name does not come back in a second: no retries
            raise FetchError(f"{url}: unknown host name; check the URL") from None
        raise _Retryable(f"{url}: cannot connect ({reason}); check the URL") from None
    except requests.RequestException as exc:
        raise FetchError(f"{url}: {_reason(exc)}; check the URL") from None
    with response:
        status = response.status_code
        if status == 304:
            return response, None
        if status >= 500 or status == 429:
            raise _Retryable(
                f"{url}: HTTP {status} {response.reason or ''}".rstrip()
                + (
                    "; the server asks for fewer requests, try again later"
                    if status == 429
                    else "; the server failed, try again later"
                ),
                retry_after(response.headers.get("Retry-After")),
            )
        if status >= 400:
            raise FetchError(
                f"{url}: HTTP {status} {response.reason or ''}".rstrip()
                + "; check the URL or ask the publisher"
            )
        if image:
            _check_image(response, url)
        try:
            return response, _read_capped(response, url, http, end)
        except (
            requests.ConnectionError,
            requests.Timeout,
            urllib3.exceptions.ReadTimeoutError,
            urllib3.exceptions.ProtocolError,
            TimeoutError,
            ConnectionError,
        ) as exc:
            if time.monotonic() >= end:
                raise FetchError(_deadline_message(url, http)) from None
            raise _Retryable(
                f"{url}: the download stopped ({_reason(exc)}); "
                "check the URL or raise http.read_timeout"
            ) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise FetchError(f"{url}: {_reason(exc)}; check the URL") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    inner = re.search(r"\(Caused by (\w+)", text)
    if inner:
        return inner.group(1)
    return text[:160]


def _get(
    url: str, http: HttpConfig, headers: dict[str, str], image: bool = False
) -> tuple[requests.Response, bytes | None]:
    attempts = http.retries + 1
    end = time.monotonic() + http.deadline
    for attempt in range(attempts):
        try:
            return _attempt(url, http, headers, end, image)
        except _Retryable as exc:
            if attempt + 1 >= attempts:
                suffix = f" (after {attempts} tries)" if attempts > 1 else ""
                raise FetchError(f"{exc}{suffix}") from None
            # Jitter spreads the retries of many hubs hitting one host at once.
            delay = http.backoff * (2**attempt) * _jitter.uniform(0.5, 1.5)
            delay = max(delay, exc.wait or 0.0)
            if time.monotonic() + delay >= end:
                wait = f"; it asks to wait {exc.wait:g} s" if exc.wait else ""
                raise FetchError(
                    f"{exc}{wait}; no time left within http.deadline ({http.deadline:g} s) "
                    "for another try"
                ) from None
            log.info("%s; retrying in %.2gs", exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def fetch(
    source: str,
    *,
    http: HttpConfig,
    base_dir: Path,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """Download an http(s) feed (conditionally) or read a local file, within limits."""
    if _SCHEME.match(source) or source.lower().startswith(("http:", "https:")):
        url = safe_url(source)
        if url is None:
            raise FetchError(
                f"{source}: only http(s) URLs or local files can be fetched; fix the feed's url"
            )
        headers = {
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, */*;q=0.5"
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response, content = _get(url, http, headers)
        new_etag = response.headers.get("ETag") or (etag if content is None else None)
        new_modified = response.headers.get("Last-Modified") or (
            last_modified if content is None else None
        )
        if content is None:
            return FetchResult("not-modified", None, new_etag, new_modified, response.url)
        return FetchResult("ok", content, new_etag, new_modified, response.url)
    return _read_local(source, http, Path(base_dir))


@dataclass
class Details:
    """Per-item downloads for one feed, conditional against what the last run kept.

    `kept` maps a URL to the ETag, Last-Modified and body of its last answer
    (the sync stores it beside the feed's state), so an unchanged document
    costs a 304. All of one feed's details share one `http.deadline`: a
    board of hundreds of postings on a slow host cannot hold the run for
    hundreds of deadlines. `used` is what the next run should keep.
    """

    http: HttpConfig
    base_dir: Path
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)
    used: dict[str, dict[str, Any]] = field(default_factory=dict)
    end: float = 0.0

    def get(self, url: str) -> bytes:
        """The document at `url`; FetchError (one line) when it cannot be had in time."""
        if not self.end:
            self.end = time.monotonic() + self.http.deadline
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchError(
                f"{url}: not downloaded: the feed's details took all of http.deadline "
                f"({self.http.deadline:g} s); the next sync tries again"
            )
        old = self.kept.get(url) or {}
        cached = old.get("content") if isinstance(old.get("content"), str) else None
        result = fetch(
            url,
            http=self.http.model_copy(update={"deadline": min(self.http.deadline, left)}),
            base_dir=self.base_dir,
            etag=old.get("etag") if cached is not None else None,
            last_modified=old.get("last_modified") if cached is not None else None,
        )
        if result.content is None:
            assert cached is not None  # a 304 only answers a conditional request
            content = cached.encode("utf-8")
        else:
            content = result.content
        self.used[url] = {  # a 304 need not repeat the validators: keep the last ones
            "etag": result.etag or (old.get("etag") if cached is not None else None),
            "last_modified": result.last_modified
            or (old.get("last_modified") if cached is not None else None),
            "content": content.decode("utf-8", "replace"),
        }
        return content

    @staticmethod
    def load(path: Path) -> dict[str, dict[str, Any]]:
        """What a previous run kept at `path`; nothing when absent or unreadable."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(v, dict)}

    def dumps(self) -> str:
        return json.dumps(self.used, sort_keys=True, ensure_ascii=False, indent=0) + "\n"


def _read_local(source: str, http: HttpConfig, base_dir: Path) -> FetchResult:
    path = Path(source)
    if not path.is_absolute():
        path = base_dir / path
    if not path.is_file():
        raise FetchError(
            f"{source}: no such file (looked for {path}); give an http(s) URL or a path "
            "relative to hub.yml"
        )
    if path.stat().st_size > http.max_bytes:
        raise FetchError(_cap_message(str(path), http))
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{path}: cannot read ({exc.strerror}); check its permissions") from None
    return FetchResult("ok", content, None, None, str(path))


def fetch_image(url: str, http: HttpConfig) -> bytes:
    """Download a feed item's picture; anything not served as image/* is refused."""
    safe = safe_url(url)
    if safe is None:
        raise FetchError(f"{url}: not an http(s) image URL; use an http(s) picture")
    headers = {"Accept": "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8"}
    _, content = _get(safe, http, headers, image=True)
    return content or b""


def _check_image(response: requests.Response, url: str) -> None:
    # Checked before the body is read: a feed pointing its "image" at a page
    # or an archive costs one request, not a download.
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not kind.startswith("image/"):
        raise FetchError(
            f"{url}: served as {kind or 'no content type'}, not an image; "
            "use a direct link to the picture"
        )
