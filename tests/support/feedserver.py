"""A real HTTP server on 127.0.0.1 that plays every kind of feed host for the tests.

Tests talk to it through the real network stack (requests, sockets, timeouts),
so what passes here is what happens against a publisher. Routes are bytes
registered at a path with a status and headers, plus the behaviours a feed
host can have: honouring ETag/Last-Modified, failing the first N requests,
answering slowly, streaming without end, redirecting in a loop. Every request
is counted per path and its headers kept, so tests can assert on retries and
conditional GETs.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "feeds"
IMAGES = DATA.parent / "images"  # real specimens, see tests/data/images/README.md
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml", ".bmp": "image/bmp"}
JOBS = DATA.parent / "jobs"  # applicant tracking systems' own formats, at /jobs/<name>

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = RSS
    delay: float = 0.0  # seconds before the headers are sent
    fail_first: int = 0  # answer 500 to the first N requests
    etag: str | None = None  # honour If-None-Match with 304
    last_modified: str | None = None  # honour If-Modified-Since with 304
    endless: bool = False  # stream chunks without Content-Length, never ending by itself
    redirect_to: str | None = None
    fail_status: int = 500  # what the first `fail_first` requests get (429: rate limited)
    fail_headers: dict[str, str] = field(default_factory=dict)  # e.g. Retry-After
    drip: float = 0.0  # seconds between body bytes: a host that sends one byte at a time


class FeedServer:
    """Routes, counters and the server thread; `url(path)` gives a full URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.seen_headers: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **options: object) -> str:
        """Register a route (see Route for options); returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.routes[path] = Route(body=data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def add_file(self, path: str, name: str, **options: object) -> str:
        """Serve tests/data/feeds/<name> at path."""
        return self.add(path, (DATA / name).read_bytes(), **options)

    def count(self, path: str) -> int:
        with self._lock:
            return self.hits[path]

    def headers(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return list(self.seen_headers[path])

    def start(self) -> FeedServer:
        self._thread.start()
        self._register_defaults()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _register_defaults(self) -> None:
        good = (DATA / "rss20-blog.xml").read_bytes()
        self.add("/good.xml", good)
        self.add(
            "/conditional.xml",
            good,
            etag='"v1"',
            last_modified="Thu, 19 Nov 2026 09:00:00 GMT",
        )
        self.add("/500.xml", b"server error", status=500, content_type="text/plain")
        self.add("/slow.xml", good, delay=1.0)
        self.add("/oversized.xml", b"<rss>" + b"x" * 64 * 1024, endless=True)
        self.add("/loop.xml", redirect_to="/loop.xml", status=302)
        self.add("/not-a-feed.html", b"<!doctype html><html><body><h1>Careers</h1></body></html>",
                 content_type="text/html; charset=utf-8")  # fmt: skip
        self.add("/garbage.bin", bytes(range(256)) * 8, content_type="application/octet-stream")
        self.add("/404.xml", b"not found", status=404, content_type="text/plain")
        for name, path in {
            "malformed-recoverable.xml": "/malformed.xml",
            "hostile.xml": "/hostile.xml",
            "duplicate-titles.xml": "/duplicates.xml",
            "scripts.xml": "/scripts.xml",
        }.items():
            if (DATA / name).exists():
                self.add_file(path, name)
        for path in sorted(JOBS.glob("*.*")):
            if path.suffix in (".json", ".xml") and ".expected." not in path.name:
                kind = "application/json" if path.suffix == ".json" else "text/xml; charset=utf-8"
                self.add(f"/jobs/{path.name}", path.read_bytes(), content_type=kind,
                         etag=f'"{path.stem}-v1"')  # fmt: skip
        self.add("/image.png", _PNG, content_type="image/png")
        self.add("/image.html", b"<html></html>", content_type="text/html")
        for path in sorted(IMAGES.glob("*.*")):
            if path.suffix in IMAGE_TYPES:
                self.add(f"/img/{path.name}", path.read_bytes(),
                         content_type=IMAGE_TYPES[path.suffix])
        # An SVG served as if it were a PNG: the type is read from the bytes.
        self.add("/img/disguised.png", (IMAGES / "rust-favicon.svg").read_bytes(),
                 content_type="image/png")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-body is what the cap and timeout tests do; not an error."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


# The smallest valid PNG: 1x1 transparent pixel.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests assert on counters, not on logs."""

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with server._lock:
                server.hits[path] += 1
                hit = server.hits[path]
                server.seen_headers[path].append(dict(self.headers.items()))
                route = server.routes.get(path)
            if route is None:
                self._send(404, b"no such route", {"Content-Type": "text/plain"})
                return
            if route.delay:
                time.sleep(route.delay)
            if hit <= route.fail_first:
                headers = {"Content-Type": "text/plain", **route.fail_headers}
                self._send(route.fail_status, b"try again", headers)
                return
            if route.redirect_to is not None:
                self._send(route.status, b"", {"Location": route.redirect_to})
                return
            validators = {}
            if route.etag:
                validators["ETag"] = route.etag
            if route.last_modified:
                validators["Last-Modified"] = route.last_modified
            if self._not_modified(route):
                self._send(304, b"", validators)
                return
            headers = {"Content-Type": route.content_type, **validators, **route.headers}
            if route.endless:
                self._stream_endless(route, headers)
                return
            if route.drip:
                self._drip(route, headers)
                return
            self._send(route.status, route.body, headers)

        def _not_modified(self, route: Route) -> bool:
            tag = self.headers.get("If-None-Match")
            if route.etag and tag is not None:
                return tag == route.etag
            since = self.headers.get("If-Modified-Since")
            return bool(route.last_modified and since == route.last_modified)

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and status != 304:
                self.wfile.write(body)

        def _stream_endless(self, route: Route, headers: dict[str, str]) -> None:
            self.send_response(route.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            try:
                for _ in range(10_000):  # ~640 MB at most; the client hangs up long before
                    self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                return

        def _drip(self, route: Route, headers: dict[str, str]) -> None:
            self.send_response(route.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            try:
                for index in range(len(route.body)):
                    self.wfile.write(route.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.drip)
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


@pytest.fixture(scope="session")
def feed_server() -> Iterator[FeedServer]:
    """The shared feed host; register extra routes with `feed_server.add(path, body, ...)`."""
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()
