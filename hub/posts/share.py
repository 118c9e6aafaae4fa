"""Share links: one plain URL per network, with the caption and a tracked link.

The links are built here once, in Python, and used by the site (plain
`<a href>` that works without JavaScript), the digest and the checks. The
page's script rebuilds them from the same PATTERNS (sent to the page as
JSON) only to swap the wording, the employee's Mastodon server or their
advocate code; it holds no rules of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import regex

from hub.config import SiteConfig

# {text}: the caption; {url}: the tracked URL; {text_url}: caption, joiner, URL;
# {subject}: email subject; {instance}: the employee's Mastodon server.
PATTERNS: dict[str, str] = {
    "linkedin": "https://www.linkedin.com/feed/?shareActive=true&text={text_url}",
    "x": "https://x.com/intent/tweet?text={text}&url={url}",
    "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
    "bluesky": "https://bsky.app/intent/compose?text={text_url}",
    "threads": "https://www.threads.com/intent/post?text={text}&url={url}",
    "mastodon": "https://{instance}/share?text={text_url}",
    "whatsapp": "https://wa.me/?text={text_url}",
    "xing": "https://www.xing.com/spi/shares/new?url={url}",
    "email": "mailto:?subject={subject}&body={text_url}",
}
LABELS = {
    "linkedin": "LinkedIn",
    "x": "X",
    "facebook": "Facebook",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "mastodon": "Mastodon",
    "whatsapp": "WhatsApp",
    "xing": "Xing",
    "email": "Email",
}
# Which caption list each network offers (Xing takes only a URL: its copy
# text is the LinkedIn wording, the closest audience).
CAPTION_KEY = {
    "linkedin": "linkedin",
    "x": "x",
    "facebook": "facebook",
    "bluesky": "bluesky",
    "threads": "threads",
    "mastodon": "mastodon",
    "whatsapp": "whatsapp",
    "xing": "linkedin",
    "email": "email_body",
}
JOINER = {"linkedin": "\n\n", "email": "\n\n"}
DEFAULT_MASTODON = "mastodon.social"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass(frozen=True)
class ShareLink:
    network: str
    label: str
    caption: str
    url: str  # the tracked URL the link shares
    subject: str = ""
    instance: str = DEFAULT_MASTODON

    @property
    def href(self) -> str:
        """The share URL, percent-encoded throughout (digest, checks)."""
        return build_href(self.network, caption=self.caption, url=self.url,
                          subject=self.subject, instance=self.instance)

    @property
    def copy_text(self) -> str:
        """What the copy button puts on the clipboard: caption and link."""
        joiner = JOINER.get(self.network, " ")
        return f"{self.caption}{joiner}{self.url}" if self.caption else self.url

    def iri(self) -> str:
        """`href` with non-ASCII characters written as themselves: what the pages print (_iri)."""
        return build_href(self.network, caption=self.caption, url=self.url,
                          subject=self.subject, instance=self.instance, encode=_iri)


def tracked_url(
    url: str, *, source: str, medium: str, campaign: str, content: str | None = None
) -> str:
    """`url` with the UTM parameters analytics credit advocates by.

    Existing utm_* parameters are replaced, never doubled; other query
    parameters and the fragment are kept.
    """
    return tracked_urls(url, [source], medium=medium, campaign=campaign, content=content)[source]


def tracked_urls(
    url: str, sources: Sequence[str], *, medium: str, campaign: str, content: str | None = None
) -> dict[str, str]:
    """tracked_url for each source, the URL parsed once (a post is shared to nine networks)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in UTM_KEYS]
    before = urlencode(kept, quote_via=_quote_via)
    tail = [("utm_medium", medium), ("utm_campaign", campaign)]
    if content:
        tail.append(("utm_content", content))
    after = urlencode(tail, quote_via=_quote_via)
    head = urlunsplit(parts._replace(query="", fragment=""))
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    lead = f"{head}?{before}&" if before else f"{head}?"
    return {source: f"{lead}utm_source={_enc(source)}&{after}{fragment}" for source in sources}


# quote(text, safe="") as a table over the UTF-8 bytes (read as latin-1, one
# character per byte): the same output, without urllib's per-byte Python loop,
# which cost ~10 s of a 5,000-post site build.
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_QUOTED = {byte: chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)}


@lru_cache(maxsize=4096)
def _enc(text: str) -> str:
    """urllib.parse.quote(text, safe=""); cached: a post's captions repeat across networks."""
    return text.encode("utf-8").decode("latin-1").translate(_QUOTED)


_ASCII_QUOTED = {code: _QUOTED[code] for code in range(128)}
_INVISIBLE = regex.compile(r"[\p{C}\p{Z}]")


@lru_cache(maxsize=4096)
def _iri(text: str) -> str:
    """_enc(text) with non-ASCII characters left as themselves, as in an IRI.

    The same link to the browser (its URL parser percent-encodes them, as
    UTF-8, before following it), a third of the bytes for a caption in Hindi
    or Chinese: this keeps a post page under its size budget. Invisible and
    space characters stay encoded, so the markup shows no bidi controls or
    odd spaces (ASCII ones are all encoded by the table already).
    """
    out = text.translate(_ASCII_QUOTED)
    return out if out.isascii() else _INVISIBLE.sub(lambda m: _enc(m.group(0)), out)


def _quote_via(
    text: str | bytes, safe: str | bytes = "", encoding: str | None = None,
    errors: str | None = None,
) -> str:
    """urlencode's quote_via: quote() itself, through the table when it is the same."""
    if isinstance(text, str) and not safe and encoding is None and errors is None:
        return _enc(text)
    if isinstance(text, bytes):
        return quote(text, safe)
    return quote(text, safe, encoding, errors)


def build_href(
    network: str, *, caption: str, url: str, subject: str = "", instance: str = DEFAULT_MASTODON,
    encode: Callable[[str], str] = _enc,
) -> str:
    """One network's share URL (RFC 6068 for mailto: %20 spaces, CRLF newlines)."""
    joiner = JOINER.get(network, " ")
    if network == "email":
        text_url = f"{caption}{joiner}{url}" if caption else url
        encoded = encode(text_url.replace("\r\n", "\n").replace("\n", "\r\n"))
    else:  # percent-encoding is per character: encode the parts once, then join
        encoded = f"{encode(caption)}{encode(joiner)}{encode(url)}" if caption else encode(url)
    return PATTERNS[network].format(
        text=encode(caption),
        url=encode(url),
        text_url=encoded,
        subject=encode(subject),
        instance=instance,
    )


def _pick(captions: Mapping[str, Any], key: str, wording: int, fallback: str) -> str:
    options = captions.get(key) or []
    if isinstance(options, str):
        options = [options]
    options = [str(o) for o in options if o]
    return options[wording % len(options)] if options else fallback


def campaign_of(meta: Mapping[str, Any], slug: str) -> str:
    return str(meta.get("campaign") or slug)


def share_links(
    meta: Mapping[str, Any],
    site: SiteConfig,
    *,
    slug: str,
    wording: int = 0,
    advocate: str | None = None,
    instance: str = DEFAULT_MASTODON,
) -> list[ShareLink]:
    """The post's share links for every network the site offers, in the site's order."""
    target = str(meta.get("canonical_url") or "")
    if meta.get("share") is False or not target.startswith(("http://", "https://")):
        return []  # `share: false`: a hub-only announcement
    captions = meta.get("captions") or {}
    title = str(meta.get("title") or "")
    campaign = campaign_of(meta, slug)
    links = []
    urls = tracked_urls(target, site.networks, medium=site.utm_medium, campaign=campaign,
                        content=advocate)
    for network in site.networks:
        url = urls[network]
        caption = _pick(captions, CAPTION_KEY[network], wording, title)
        subject = _pick(captions, "email_subject", wording, title) if network == "email" else ""
        links.append(ShareLink(network, LABELS[network], caption, url, subject, instance))
    return links
