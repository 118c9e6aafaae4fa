"""Body pictures served by the hub: fetched from the real HTTP server, never hot-linked.

Specimens: tests/data/images/ (README names their sources), served by
tests/support/feedserver.py under /img/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hub.config import HttpConfig
from hub.site import images
from hub.site.build import build_site
from tests.support.feedserver import IMAGES, FeedServer
from tests.test_site import REPO, TODAY, make_hub

HTTP = HttpConfig(retries=0, connect_timeout=2, read_timeout=2, deadline=5)


@pytest.mark.parametrize(("name", "expected"), [
    ("python.png", ("png", 16, 16)),
    ("python.jpg", ("jpg", 16, 16)),
    ("python.gif", ("gif", 16, 16)),
    ("python.webp", ("webp", 16, 16)),
    ("python.bmp", None),
    ("rust-favicon.svg", None),
])
def test_only_allowed_formats_are_identified(name: str, expected: tuple | None) -> None:
    assert images.identify((IMAGES / name).read_bytes()) == expected


def test_localize_points_at_the_copy_and_keeps_alt_text_of_dropped_ones() -> None:
    body = ("![A team photo](https://a.example/p.jpg)\n\n"
            "[![Logo \\[old\\]](https://a.example/gone.png \"t\")](https://a.example/)\n\n"
            "![Again](https://a.example/p.jpg)")
    local = images.Local("assets/hub/images/abc.jpg", 640, 480)
    out, used, dropped = images.localize(
        body, lambda url: local if url.endswith("p.jpg") else None, lambda p: "../../" + p)
    assert out == (
        '![A team photo](../../assets/hub/images/abc.jpg){ width="640" height="480" }\n\n'
        "[Logo \\[old\\]](https://a.example/)\n\n"
        '![Again](../../assets/hub/images/abc.jpg){ width="640" height="480" }'
    )
    assert used == [local]
    assert dropped == ["https://a.example/gone.png"]
    assert images.remote_images(body) == ["https://a.example/p.jpg", "https://a.example/gone.png"]


def test_fetch_keeps_pictures_refuses_other_types_and_remembers_failures(
    feed_server: FeedServer, tmp_path: Path,
) -> None:
    good = [feed_server.url(f"/img/python.{ext}") for ext in ("png", "jpg", "gif", "webp")]
    bad = [feed_server.url(p) for p in
           ("/img/rust-favicon.svg", "/img/disguised.png", "/img/python.bmp", "/image.html",
            "/img/missing.png")]
    warnings = images.fetch(good + bad, tmp_path, HTTP)
    assert len(warnings) == len(bad)
    assert all("\n" not in w and w.startswith("picture not used: http://127.0.0.1") for w in
               warnings)
    cache = images.Cache(tmp_path)
    assert [cache.get(u) is not None for u in good + bad] == [True] * 4 + [False] * 5
    hits = feed_server.count("/img/rust-favicon.svg")
    assert images.fetch(good + bad, tmp_path, HTTP) == []  # cached, and failures wait a day
    assert feed_server.count("/img/rust-favicon.svg") == hits


CARD = Path(__file__).parent / "data" / "cards" / "golden" / "en-blog.png"


def test_a_wordpress_body_points_at_the_hubs_copies(feed_server: FeedServer,
                                                    tmp_path: Path) -> None:
    """body.md (markdownify's shape for WordPress figures): one download per URL, titles kept,
    every picture that is no PNG/JPEG/WebP/GIF, missing or over the size cap left as its alt."""
    data = IMAGES
    feed_server.add("/img/team.jpg", (data / "python.jpg").read_bytes(), content_type="image/jpeg")
    feed_server.add("/img/demo.webp", (data / "python.webp").read_bytes(),
                    content_type="image/webp")
    feed_server.add("/img/anim.gif", (data / "python.gif").read_bytes(), content_type="image/gif")
    feed_server.add("/img/card.png", CARD.read_bytes(), content_type="image/png")
    feed_server.add("/img/logo.svg", (data / "logo.svg").read_bytes(),
                    content_type="image/svg+xml")
    feed_server.add("/img/missing.jpg", b"not found", status=404, content_type="text/plain")
    feed_server.add("/img/page.jpg", b"<html></html>", content_type="text/html")
    feed_server.add("/img/huge.jpg", b"\xff\xd8" + b"x" * 64 * 1024, endless=True,
                    content_type="image/jpeg")
    base = feed_server.url("").rstrip("/")
    body = (data / "body.md").read_text(encoding="utf-8").replace("{base}", base)
    capped = HttpConfig(max_bytes=200_000, retries=0, connect_timeout=2, read_timeout=2,
                        deadline=5)
    warnings = images.fetch(images.remote_images(body), tmp_path, capped)
    assert len(warnings) == 4 and all("\n" not in w for w in warnings), warnings
    assert feed_server.count("/img/team.jpg") == 1  # three uses, one download
    cache = images.Cache(tmp_path)
    out, used, dropped = images.localize(body, cache.get, lambda p: p)
    expected = re.sub(
        r"\{img:([\w.]+)\}",
        lambda m: f"{images.SITE_FOLDER}/{images.cache_name(f'{base}/img/{m.group(1)}')}"
                  f".{m.group(1).rsplit('.', 1)[1]}",
        (data / "body.expected.md").read_text(encoding="utf-8"))
    assert out == expected
    assert len(used) == 4 and len(dropped) == 4
    assert images.localize(body, images.Cache(tmp_path).get, lambda p: p)[0] == out


def test_built_post_serves_its_pictures_from_the_hub(
    feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_hub(tmp_path / "hub")
    post = root / "content" / "posts" / "hello-world.md"
    png, svg = feed_server.url("/img/python.png"), feed_server.url("/img/rust-favicon.svg")
    post.write_text(post.read_text(encoding="utf-8") + f"\n![The Python logo]({png})\n\n"
                    f"![A vector logo]({svg})\n\n![Gone]({feed_server.url('/img/missing.png')})\n",
                    encoding="utf-8")
    monkeypatch.setenv("HUB_TODAY", TODAY)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with caplog.at_level("WARNING", logger="hub.site.generator"):
        build_site(root / "mkdocs.yml", site_dir=root / "site", search=False, pictures=True)
    page = (root / "site" / "posts" / "hello-world" / "index.html").read_text(encoding="utf-8")
    name = images.cache_name(png)
    assert re.search(rf'<img alt="The Python logo" height="16" '
                     rf'src="../../assets/hub/images/{name}.png" width="16"\s*/?>', page), page
    assert (root / "site" / "assets" / "hub" / "images" / f"{name}.png").read_bytes() == (
        IMAGES / "python.png").read_bytes()
    assert "A vector logo" in page and "Gone" in page
    for built in (root / "site").rglob("*.html"):
        text = built.read_text(encoding="utf-8")
        assert not re.search(r'<img[^>]+src="(?:https?:)?//', text), built
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == 2 and all("content/posts/hello-world.md" in m for m in dropped)


def test_the_sample_site_hot_links_no_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    """The repository's own hub, built without downloads: its three feed pictures are dropped."""
    for name in ("hub.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, tmp_path / name)
    for name in ("theme", "guidelines", "content"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("cards"))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with caplog.at_level("WARNING", logger="hub.site.generator"):
        build_site(tmp_path / "mkdocs.yml", site_dir=tmp_path / "site", search=False)
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert not re.search(r'\ssrc="(?:https?:)?//', page.read_text(encoding="utf-8")), page
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == 3 and all("https://www.acme.example/img/" in m for m in dropped)
