"""Browser test fixtures: the real site, a real HTTP server, a real Chromium.

The site is built once per session from the repo's own mkdocs.yml, theme/,
content/, guidelines/ and hub.yml (plus a few posts written here so every
test knows exactly what to expect), then served from a sub-path (/hub/) on
127.0.0.1, because intranets often mount the hub below another site and a
root-relative link would only show up there. Every page runs behind a
network guard that lets nothing leave 127.0.0.1: the hub promises an
intranet no request to a third-party host.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from hub.posts import schema as posts

log = logging.getLogger("hub.tests.browser")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HUB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The day every browser test lives on, so "new this week" and job expiry
# give the same answer whenever the suite runs.
TODAY = "2026-11-23"
PREFIX = "/hub/"
# hub/ too: mkdocs.yml names its hook by a path relative to itself.
SITE_INPUTS = ("content", "guidelines", "theme", "samples", "hub", "hub.yml", "mkdocs.yml")
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def require(ok: bool, reason: str) -> None:
    """Skip locally when a test dependency is missing; in CI the same gap is a failure."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run; see scripts/test-deps.sh)")
    pytest.skip(reason)


# --- the posts every browser test relies on ---------------------------------

# Written into the copied content/posts/ beside the repo's samples, so the
# tests never depend on what comms happen to keep in the sample content.
KNOWN_POSTS: dict[str, dict[str, Any]] = {
    "browser-test-latin": {
        "title": "Quokkasphere: how our platform team halved deploy time",
        "summary": "The platform team explains the quokkasphere pipeline and what it changed.",
        "status": "approved",
        "pinned": False,
        "date": "2026-11-20T09:00:00Z",
        "category": "blog",
        "tags": ["Cloud", "DevOps"],
        "hashtags": ["LifeAtAcme"],
        "language": "en",
        "author": "Jane Doe",
        "canonical_url": "https://www.acme.example/blog/quokkasphere",
        "captions": {
            "linkedin": [
                "Our platform team halved deploy time with the quokkasphere pipeline.",
                "How do you halve deploy time? Our platform team shares the quokkasphere story.",
            ],
            "x": ["Half the deploy time, same team: the quokkasphere story #LifeAtAcme"],
            "facebook": ["Proud of our platform team and the quokkasphere pipeline!"],
            "bluesky": ["Deploys twice as fast: our platform team on the quokkasphere pipeline."],
            "threads": ["Our platform team halved deploy time. Here is how."],
            "mastodon": ["Platform engineering at Acme: the quokkasphere pipeline #DevOps"],
            "whatsapp": ["Have a look at what our platform team built: quokkasphere."],
            "email_subject": ["Worth a read: the quokkasphere pipeline"],
            "email_body": [
                "Hi, I thought you might like how our platform team halved deploy time."
            ],
        },
    },
    "browser-test-chinese": {
        "title": "云原生平台发布：麒麟舟正式上线",
        "summary": "我们的团队发布了麒麟舟云原生平台，帮助客户更快地交付软件。",
        "status": "approved",
        "pinned": False,
        "date": "2026-11-19T08:00:00Z",
        "category": "product",
        "tags": ["Cloud"],
        "hashtags": ["AcmeNews"],
        "language": "zh",
        "campaign": "cloud-2026",
        "canonical_url": "https://www.acme.example/zh/news/qilinzhou",
        "captions": {
            "linkedin": ["麒麟舟云原生平台正式上线，欢迎了解！"],
            "x": ["麒麟舟正式上线 #AcmeNews"],
        },
    },
    "browser-test-expired-job": {
        "title": "Senior Data Engineer (Kuala Lumpur)",
        "summary": "Join the data team in Kuala Lumpur to build our analytics platform.",
        "status": "approved",
        "pinned": False,
        "date": "2026-09-01T09:00:00Z",
        "expires": "2026-10-31",
        "category": "jobs",
        "tags": ["Data"],
        "hashtags": ["AcmeJobs", "Hiring"],
        "language": "en",
        "campaign": "hiring-2026",
        "location": "Kuala Lumpur",
        "job_type": "Full-time",
        "canonical_url": "https://careers.acme.example/jobs/senior-data-engineer",
        "captions": {
            "linkedin": ["We're hiring a Senior Data Engineer in Kuala Lumpur."],
            "x": ["Join us in Kuala Lumpur as a Senior Data Engineer #AcmeJobs"],
        },
    },
    "browser-test-event": {
        "title": "Jornada de portes obertes a l'oficina de Barcelona",
        "summary": "Vine a conèixer l'equip i l'oficina nova, amb visites guiades cada hora.",
        "status": "approved",
        "pinned": False,
        "date": "2026-11-10T09:00:00Z",
        "expires": "2026-12-10",
        "category": "event",
        "tags": ["Barcelona"],
        "hashtags": ["LifeAtAcme"],
        "language": "ca",
        "event": {"start": "2026-12-09T10:00", "end": "2026-12-10T18:00",
                  "place": "Acme, Carrer de la Marina 16, Barcelona"},
        "canonical_url": "https://www.acme.example/ca/esdeveniments/portes-obertes",
        "captions": {"linkedin": ["Obrim les portes de l'oficina de Barcelona!"]},
    },
}

KNOWN_BODIES = {
    "browser-test-latin": (
        "The **quokkasphere** pipeline runs every build in parallel on two cores.\n\n"
        "## What changed\n\nDeploys now take six minutes instead of twelve.\n"
    ),
    "browser-test-chinese": (
        "麒麟舟是我们新的云原生平台。\n\n## 主要功能\n\n自动扩容、持续交付和可观测性。\n"
    ),
    "browser-test-expired-job": (
        "We are looking for a Senior Data Engineer to join the team in Kuala Lumpur.\n"
    ),
    "browser-test-event": "Visites guiades cada hora, de 10 a 18 h.\n",
}


def write_known_posts(posts_dir: Path) -> None:
    posts_dir.mkdir(parents=True, exist_ok=True)
    for slug, meta in KNOWN_POSTS.items():
        full = {
            **meta,
            "image": f"cards/{slug}.png",
            "image_square": f"cards/{slug}-square.png",
        }
        (posts_dir / f"{slug}.md").write_text(
            posts.render(full, KNOWN_BODIES[slug]), encoding="utf-8"
        )


# --- building the site -------------------------------------------------------


def copy_site_inputs(dest: Path) -> None:
    """The repo's site inputs, without generated cards (the build draws them)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("cards", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)
    # The program page's charts on the import of tests/data/analytics/ga4.csv (its expected
    # output), so the accessibility checks see them and not the "nothing imported" line.
    shutil.copy2(REPO / "tests" / "data" / "analytics" / "ga4.expected.yml",
                 dest / "content" / "_data" / "analytics.yml")


def build_site(workdir: Path, *, today: str = TODAY, renderer: str = "mkdocs") -> Path:
    """Run `advocacy-hub build --renderer RENDERER` in `workdir`; return the built site folder."""
    from hub import cli

    site_dir = workdir / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        mp.setenv("HUB_TODAY", today)
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        code = cli.main(
            ["--config", str(workdir / "hub.yml"), "-q", "build", "--site-dir", str(site_dir),
             "--renderer", renderer, "--offline"]
        )
    if code != 0:
        pytest.fail(f"advocacy-hub build exited {code} in {workdir}; see the log above")
    if not (site_dir / "index.html").is_file():
        pytest.fail(f"advocacy-hub build left no {site_dir / 'index.html'}")
    return site_dir


# --- serving it --------------------------------------------------------------


@dataclass
class Served:
    """A folder served over HTTP at http://127.0.0.1:PORT{prefix}."""

    root: Path
    prefix: str
    port: int
    log: list[tuple[str, int]] = field(default_factory=list)
    not_found: str | None = None  # a file under root sent (as 404) for every missing path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _Handler(SimpleHTTPRequestHandler):
    """Serves only below the prefix: a link that escapes the sub-path is a 404."""

    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".webp": "image/webp",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def __init__(self, *args: Any, served: Served, **kwargs: Any) -> None:
        self.served = served
        super().__init__(*args, directory=str(served.root), **kwargs)

    def translate_path(self, path: str) -> str:
        plain = unquote(urlsplit(path).path)
        prefix = self.served.prefix
        if not plain.startswith(prefix):
            return str(self.served.root / ".outside-the-sub-path")
        return super().translate_path("/" + plain[len(prefix) :])

    def do_GET(self) -> None:
        if urlsplit(self.path).path == self.served.prefix.rstrip("/"):
            self.send_response(301)
            self.send_header("Location", self.served.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.served.not_found and not self._exists():
            # What nginx's error_page 404 and GitHub Pages do: the site's 404.html, whatever
            # the depth of the missing address.
            body = (self.served.root / self.served.not_found).read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.served.log.append((urlsplit(self.path).path, len(body)))
            self.wfile.write(body)
            return
        super().do_GET()

    def _exists(self) -> bool:
        """A file, or a folder with its index.html (or the slash redirect the base class sends)."""
        path = Path(self.translate_path(self.path))
        if path.is_file():
            return True
        return path.is_dir() and ((path / "index.html").is_file() or not self.path.endswith("/"))

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        self.served.log.append((urlsplit(self.path).path, len(data)))
        outputfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


@contextlib.contextmanager
def serve(root: Path, prefix: str = PREFIX, not_found: str | None = None) -> Iterator[Served]:
    """Serve `root` at a sub-path on an ephemeral port of 127.0.0.1."""
    served = Served(root=root, prefix=prefix, port=0, not_found=not_found)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, served=served))
    server.daemon_threads = True
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="hub-test-http", daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser -------------------------------------------------------------


class NetworkGuard:
    """Lets requests to 127.0.0.1 through and records (and blocks) every other."""

    def __init__(self) -> None:
        self.foreign: list[str] = []

    @staticmethod
    def is_local(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.hostname == "127.0.0.1"

    def route(self, route: Any) -> None:
        url = route.request.url
        if self.is_local(url):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort("blockedbyclient")

    def seen(self, request: Any) -> None:
        # Requests a route never sees (e.g. from a worker) still reach here.
        if not self.is_local(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)


@dataclass
class Tab:
    """One browser page with its guard and the JavaScript errors it raised."""

    page: Any
    context: Any
    guard: NetworkGuard
    served: Served
    errors: list[str]

    def goto(self, path: str = "") -> Any:
        response = self.page.goto(self.served.url(path), wait_until="load")
        assert response is not None and response.ok, (
            f"{self.served.url(path)} answered {response.status if response else 'nothing'}"
        )
        return response

    def check_clean(self) -> None:
        assert not self.guard.foreign, (
            "requests left 127.0.0.1 (the hub must not contact third-party hosts):\n  "
            + "\n  ".join(sorted(set(self.guard.foreign)))
        )
        assert not self.errors, "JavaScript errors on the page:\n  " + "\n  ".join(self.errors)


@contextlib.contextmanager
def open_tab(
    browser: Any,
    served: Served,
    *,
    viewport: dict[str, int] | None = None,
    clipboard: bool = False,
    **context_options: Any,
) -> Iterator[Tab]:
    """A fresh context (own storage) and page behind the network guard."""
    context = browser.new_context(
        viewport=viewport or DESKTOP, locale="en-GB", timezone_id="UTC", **context_options
    )
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.origin)
    guard = NetworkGuard()
    context.route("**/*", guard.route)
    context.on("request", guard.seen)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield Tab(page=page, context=context, guard=guard, served=served, errors=errors)
    finally:
        context.close()


def launch() -> Iterator[Any]:
    """Debian's chromium through Playwright, for the whole session."""
    require(CHROMIUM.is_file(), f"{CHROMIUM} not found (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright Python package is not installed (pip install playwright)")
        raise
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


# --- pytest fixtures (exposed through tests/conftest.py) ---------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="session")
def hub_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hub built once per session from the repo's inputs plus the known posts."""
    require((REPO / "mkdocs.yml").is_file(), "the site (mkdocs.yml) does not exist yet")
    workdir = tmp_path_factory.mktemp("hub-site")
    copy_site_inputs(workdir)
    write_known_posts(workdir / "content" / "posts")
    return build_site(workdir)


@pytest.fixture(scope="session")
def hub_server(hub_site: Path) -> Iterator[Served]:
    with serve(hub_site) as served:
        yield served


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same hub rendered by Zensical, for the smoke subset of the browser tests."""
    workdir = tmp_path_factory.mktemp("hub-site-zensical")
    copy_site_inputs(workdir)
    write_known_posts(workdir / "content" / "posts")
    return build_site(workdir, renderer="zensical")


@pytest.fixture(scope="session")
def zensical_server(zensical_site: Path) -> Iterator[Served]:
    with serve(zensical_site) as served:
        yield served


@pytest.fixture
def zensical_tab(browser: Any, zensical_server: Served) -> Iterator[Tab]:
    with open_tab(browser, zensical_server, clipboard=True) as opened:
        yield opened
        opened.check_clean()


@pytest.fixture
def tab(browser: Any, hub_server: Served) -> Iterator[Tab]:
    """A desktop page on the served hub; fails the test if anything left 127.0.0.1."""
    with open_tab(browser, hub_server, clipboard=True) as opened:
        yield opened
        opened.check_clean()


@pytest.fixture
def mobile_tab(browser: Any, hub_server: Served) -> Iterator[Tab]:
    with open_tab(browser, hub_server, viewport=MOBILE, is_mobile=True, has_touch=True) as opened:
        yield opened
        opened.check_clean()
