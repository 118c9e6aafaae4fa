"""The whole path, as it runs for real: feeds over HTTP -> sync -> cards -> MkDocs site.

What counts is the page people open, not the feed HTML: hostile feeds are
served by a real HTTP server on 127.0.0.1, synced with the CLI, built into a
site, and the built HTML is searched for anything live.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hub.cli import main
from hub.posts import schema as posts

REPO = Path(__file__).resolve().parent.parent
DANGEROUS = ("javascript:", "data:", "vbscript:")
TODAY = "2026-11-23"


class Scan(HTMLParser):
    """Every tag, attribute and script body of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def live_vectors(html: str) -> list[str]:
    scan = Scan()
    scan.feed(html)
    found = []
    for tag, attrs in scan.tags:
        if tag in ("iframe", "object", "embed", "frame", "applet", "base"):
            found.append(f"<{tag}>")
        if tag == "script" and attrs.get("src", "").startswith(("http:", "https:", "//")):
            found.append(f"remote script {attrs['src']}")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in ("href", "src", "srcset", "action", "formaction", "xlink:href", "poster"):
                v = "".join(value.split()).lower()
                if v.startswith(DANGEROUS):
                    found.append(f"<{tag} {name}={value[:40]}>")
    found += [f"script running {s.strip()[:40]}" for s in scan.scripts if "alert(" in s]
    return found


@pytest.fixture
def served_hub(tmp_path: Path, feed_server) -> Path:
    hostile = feed_server.add_file("/p/hostile.xml", "hostile.xml", etag='"v1"')
    scripts = feed_server.add_file(
        "/p/scripts.xml", "scripts.xml", last_modified="Mon, 16 Nov 2026 09:00:00 GMT"
    )
    dupes = feed_server.add_file("/p/dupes.xml", "duplicate-titles.xml")
    broken = feed_server.add("/p/broken.xml", b"down", status=500)
    (tmp_path / "hub.yml").write_text(
        "http: {retries: 1, backoff: 0.01, read_timeout: 2}\n"
        "site: {url: 'https://hub.example/'}\n"
        "feeds:\n"
        f"  - {{name: hostile, url: '{hostile}', approval: auto}}\n"
        f"  - {{name: scripts, url: '{scripts}', approval: auto}}\n"
        f"  - {{name: dupes, url: '{dupes}', approval: auto}}\n"
        f"  - {{name: broken, url: '{broken}', approval: auto}}\n",
        encoding="utf-8",
    )
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "theme", tmp_path / "theme")
    shutil.copytree(REPO / "guidelines", tmp_path / "guidelines")
    (tmp_path / "content").mkdir()
    for page in (REPO / "content").glob("*.md"):
        shutil.copy2(page, tmp_path / "content" / page.name)
    return tmp_path


def test_hostile_feeds_over_http_build_a_safe_site(served_hub: Path, feed_server, monkeypatch):
    monkeypatch.setenv("HUB_TODAY", TODAY)
    monkeypatch.chdir(served_hub)
    assert main(["-q", "sync", "--today", TODAY]) == 1  # the broken feed fails, the rest sync
    post_files = list((served_hub / "content" / "posts").glob("*.md"))
    assert len(post_files) >= 10

    # an unchanged feed costs one conditional request answered 304
    before = feed_server.count("/p/hostile.xml")
    assert main(["-q", "sync", "--today", TODAY]) == 1
    assert feed_server.count("/p/hostile.xml") == before + 1
    assert feed_server.headers("/p/hostile.xml")[-1].get("If-None-Match") == '"v1"'
    assert feed_server.headers("/p/scripts.xml")[-1].get("If-Modified-Since")

    assert main(["-q", "build"]) == 0
    site = served_hub / "site"
    pages = sorted((site / "posts").rglob("index.html"))
    assert len(pages) >= 10
    for page in [*pages, site / "index.html"]:
        html = page.read_text(encoding="utf-8")
        assert live_vectors(html) == [], page
    for path in post_files:
        meta = posts.read(path).meta
        assert meta["canonical_url"].startswith(("http://", "https://"))
        assert (site / meta["image"]).is_file()  # the card was drawn


def test_titles_in_many_scripts_get_files_and_pages(served_hub: Path, monkeypatch):
    monkeypatch.setenv("HUB_TODAY", TODAY)
    monkeypatch.chdir(served_hub)
    main(["-q", "sync", "--today", TODAY, "--feed", "scripts", "--feed", "dupes"])
    names = sorted(p.stem for p in (served_hub / "content" / "posts").glob("*.md"))
    assert all(n.isascii() and len(n.encode()) <= 72 for n in names)
    assert len(names) == len(set(names))
    titles = {posts.read(p).meta["title"] for p in (served_hub / "content" / "posts").glob("*.md")}
    for word in ("上海", "دبي", "बेंगलुरु", "กรุงเทพฯ", "東京", "Mercè"):
        assert any(word in t for t in titles), word
