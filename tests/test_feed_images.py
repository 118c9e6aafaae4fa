"""Pictures in synced bodies come from the hub, fetched from the real test server."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hub.config import HttpConfig
from hub.feeds.fetch import fetch_image
from hub.feeds.images import ImageError, identify, localise_markdown

DATA = Path(__file__).parent / "data" / "images"
CARD = Path(__file__).parent / "data" / "cards" / "golden" / "en-blog.png"
HTTP = HttpConfig(max_bytes=200_000, retries=0, connect_timeout=2, read_timeout=2)


@pytest.fixture
def pictures(feed_server):
    feed_server.add("/img/team.jpg", (DATA / "python.jpg").read_bytes(), content_type="image/jpeg")
    feed_server.add("/img/demo.webp", (DATA / "python.webp").read_bytes(),
                    content_type="image/webp")  # fmt: skip
    feed_server.add("/img/anim.gif", (DATA / "python.gif").read_bytes(), content_type="image/gif")
    feed_server.add("/img/card.png", CARD.read_bytes(), content_type="image/png")
    feed_server.add("/img/logo.svg", (DATA / "logo.svg").read_bytes(),
                    content_type="image/svg+xml")  # fmt: skip
    feed_server.add("/img/missing.jpg", b"not found", status=404, content_type="text/plain")
    feed_server.add("/img/page.jpg", b"<html></html>", content_type="text/html")
    feed_server.add("/img/huge.jpg", b"\xff\xd8" + b"x" * 64 * 1024, endless=True,
                    content_type="image/jpeg")  # fmt: skip
    return feed_server


def test_bodies_point_at_the_hubs_copies(pictures, tmp_path, caplog):
    body = (DATA / "body.md").read_text(encoding="utf-8").replace("{base}", pictures.base)
    expected = (DATA / "body.expected.md").read_text(encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="hub.images"):
        out = localise_markdown(body, lambda u: fetch_image(u, HTTP), tmp_path, "images/", "post x")
    assert out == expected
    assert "http" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "0171178ae901e108f563.jpg", "4fce1d82a5a062eaff3b.gif", "88edd055fe6358290ae4.png",
        "d87f8d1367c93897805e.webp",
    ]
    copy = tmp_path / "0171178ae901e108f563.jpg"
    assert copy.read_bytes() == (DATA / "python.jpg").read_bytes()
    assert pictures.count("/img/team.jpg") == 1  # one download per distinct URL
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 4
    assert all(line.startswith("post x: picture http://127.0.0.1") for line in lines)
    assert any("logo.svg dropped (not a PNG, JPEG, WebP, GIF or AVIF" in line for line in lines)
    assert any("page.jpg dropped" in line and "not an image" in line for line in lines)


def test_a_second_run_writes_the_same_bytes(pictures, tmp_path):
    body = (DATA / "body.md").read_text(encoding="utf-8").replace("{base}", pictures.base)
    first = localise_markdown(body, lambda u: fetch_image(u, HTTP), tmp_path, "images/", "p")
    again = localise_markdown(body, lambda u: fetch_image(u, HTTP), tmp_path, "images/", "p")
    assert first == again


@pytest.mark.parametrize("name", ["logo.svg", "README.md"])
def test_only_raster_pictures_are_served(name):
    with pytest.raises(ImageError):
        identify((DATA / name).read_bytes())
