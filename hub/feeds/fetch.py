"""Downloads for feeds and feed images, within limits a hostile server cannot stretch.

A scheduled CI build must not hang on a slow host, fill the disk from an
endless response or hammer a publisher: every request has connect and read
timeouts, a byte cap counted while streaming (a Content-Length can lie), a
redirect limit, a few retries with exponential backoff on failures that may
pass (timeouts, dropped connections, 5xx) and none on ones that will not (4xx).
Feeds are fetched conditionally, so an unchanged feed costs one 304.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import requests

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


def _read_capped(response: requests.Response, url: str, http: HttpConfig) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > http.max_bytes:
        raise FetchError(_cap_message(url, http))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > http.max_bytes:
            raise FetchError(_cap_message(url, http))
        chunks.append(chunk)
    return b"".join(chunks)


def _attempt(
    url: str, http: HttpConfig, headers: dict[str, str], image: bool = False
) -> tuple[requests.Response, bytes | None]:
    session = _session(http)
    try:
        response = session.get(
            url,
            headers=headers,
            timeout=(http.connect_timeout, http.read_timeout),
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
        if status >= 500:
            raise _Retryable(
                f"{url}: HTTP {status} {response.reason or ''}".rstrip()
                + "; the server failed, try again later"
            )
        if status >= 400:
            raise FetchError(
                f"{url}: HTTP {status} {response.reason or ''}".rstrip()
                + "; check the URL or ask the publisher"
            )
        if image:
            _check_image(response, url)
        try:
            return response, _read_capped(response, url, http)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise _Retryable(
                f"{url}: the download stopped ({_reason(exc)}); "
                "check the URL or raise http.read_timeout"
            ) from None
        except requests.RequestException as exc:
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
    for attempt in range(attempts):
        try:
            return _attempt(url, http, headers, image)
        except _Retryable as exc:
            if attempt + 1 >= attempts:
                suffix = f" (after {attempts} tries)" if attempts > 1 else ""
                raise FetchError(f"{exc}{suffix}") from None
            delay = http.backoff * (2**attempt)
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
