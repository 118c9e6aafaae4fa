"""Share links: each network's URL carries the caption and the tracked link."""

from urllib.parse import parse_qs, urlsplit

import pytest

from hub.config import NETWORKS, SiteConfig
from hub.posts.share import share_links, tracked_url

META = {
    "title": "Acme opens Barcelona office",
    "canonical_url": "https://www.acme.example/blog/bcn?ref=feed&utm_source=old#top",
    "campaign": "offices-2026",
    "captions": {
        "linkedin": ["Proud of our new office! #LifeAtAcme", "Second wording"],
        "x": ["New office 🎉 #LifeAtAcme"],
        "bluesky": ["Bluesky words"],
        "threads": ["Threads words"],
        "mastodon": ["Mastodon words"],
        "whatsapp": ["Look at this"],
        "facebook": ["Facebook words"],
        "email_subject": ["Our new office"],
        "email_body": ["Hi,\n\nHave a look:"],
    },
}


def links(**kw):
    site = SiteConfig(networks=list(NETWORKS))  # Xing too, though it is off by default
    return {link.network: link for link in share_links(META, site, slug="bcn", **kw)}


def test_xing_is_off_by_default():
    """Its endpoint is reported broken since 2026-05 (heiseonline/shariff #451)."""
    assert "xing" not in SiteConfig().networks
    assert "xing" not in {link.network for link in share_links(META, SiteConfig(), slug="bcn")}


def q(href):
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_tracked_url_replaces_utm_and_keeps_the_rest():
    url = tracked_url(META["canonical_url"], source="x", medium="m", campaign="c", content="jd")
    assert url == (
        "https://www.acme.example/blog/bcn?ref=feed&utm_source=x&utm_medium=m"
        "&utm_campaign=c&utm_content=jd#top"
    )


@pytest.mark.parametrize(
    ("network", "host", "text_key", "url_key"),
    [
        ("linkedin", "www.linkedin.com", "text", None),
        ("x", "x.com", "text", "url"),
        ("facebook", "www.facebook.com", None, "u"),
        ("bluesky", "bsky.app", "text", None),
        ("threads", "www.threads.com", "text", "url"),
        ("mastodon", "mastodon.social", "text", None),
        ("whatsapp", "wa.me", "text", None),
        ("xing", "www.xing.com", None, "url"),
    ],
)
def test_links_decode_to_caption_and_tracked_url(network, host, text_key, url_key):
    link = links(advocate="jd42")[network]
    assert urlsplit(link.href).hostname == host
    params = q(link.href)
    shared = params[url_key] if url_key else params[text_key].rsplit(None, 1)[-1]
    shared_q = q(shared)
    assert shared_q["utm_source"] == network
    assert shared_q["utm_medium"] == "employee-advocacy"
    assert shared_q["utm_campaign"] == "offices-2026"
    assert shared_q["utm_content"] == "jd42"
    if text_key:
        assert params[text_key].startswith(link.caption)


def test_linkedin_uses_the_form_that_takes_text():
    assert links()["linkedin"].href.startswith(
        "https://www.linkedin.com/feed/?shareActive=true&text="
    )


def test_mailto_follows_rfc_6068():
    href = links()["email"].href
    assert href.startswith("mailto:?subject=Our%20new%20office&body=Hi%2C%0D%0A%0D%0AHave")
    assert "+" not in href


def test_wordings_cycle_and_campaign_falls_back_to_slug():
    assert links(wording=1)["linkedin"].caption == "Second wording"
    assert links(wording=2)["linkedin"].caption == "Proud of our new office! #LifeAtAcme"
    meta = {**META, "campaign": None}
    link = share_links(meta, SiteConfig(), slug="bcn")[0]
    assert q(link.url)["utm_campaign"] == "bcn"


def test_no_links_for_non_http_urls():
    assert (
        share_links({**META, "canonical_url": "javascript:alert(1)"}, SiteConfig(), slug="x") == []
    )
