"""The HTML of a post: its header with the card, its share panel, its link preview.

Plain functions from post metadata (untrusted: it comes from feeds) to HTML
strings in which every value is escaped here, because MkDocs' Jinja does not
autoescape. The site hook only places these strings; another renderer could
place them the same way.

Share links are plain `<a href>` built by hub.share, so they work without
JavaScript; theme/assets/hub/hub.js only swaps the wording, the Mastodon
server and the advocate code, from the data attributes written here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from hub.posts import advocate, share
from hub.config import SiteConfig, category_label

WEB_SHARE = "web-share"

LANGUAGE_NAMES = {
    "ar": "العربية",
    "ca": "Català",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "hi": "हिन्दी",
    "id": "Bahasa Indonesia",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "ms": "Bahasa Melayu",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "th": "ไทย",
    "tr": "Türkçe",
    "vi": "Tiếng Việt",
    "zh": "中文",
}
RTL = {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi"}


def e(value: Any) -> str:
    """Escape text for HTML content and double-quoted attributes."""
    return escape(str(value if value is not None else ""), quote=True)


def language_of(meta: Mapping[str, Any]) -> str:
    return str(meta.get("language") or "en")


def direction_of(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL else "ltr"


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)


def day(value: Any) -> str:
    return str(value or "")[:10]


def lang_attrs(meta: Mapping[str, Any]) -> str:
    """`lang` (and `dir` for right-to-left scripts) for the post's own words (WCAG 3.1.2).

    The pages are left-to-right, so `dir` is written only where it changes.
    """
    language = language_of(meta)
    rtl = ' dir="rtl"' if direction_of(language) == "rtl" else ""
    return f'lang="{e(language)}"{rtl}'


def _title(meta: Mapping[str, Any]) -> str:
    return " ".join(str(meta.get("title") or "").split())


def caption_options(meta: Mapping[str, Any], network: str) -> list[str]:
    """Every distinct wording a network offers, as hub.share picks them (title if none).

    Only wording 0 gets a server-built href; the page's script builds the
    others from the same patterns, so the page stays small.
    """
    options = (meta.get("captions") or {}).get(share.CAPTION_KEY[network]) or []
    if isinstance(options, str):
        options = [options]
    return _distinct([str(o) for o in options if o]) or [_title(meta)]


def _distinct(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def _network_block(
    first: share.ShareLink, subjects: Sequence[str], meta: Mapping[str, Any],
    same_as: share.ShareLink | None, wordings: int,
) -> str:
    """One network's share block; `same_as` is an earlier network with the very same wordings.

    The block shows its first wording; the others travel once per page in
    the share data (see share_panel). A block whose wordings equal an
    earlier network's (Xing takes LinkedIn's) shows no copy of them: its
    copy button and link use the other block's current wording.
    """
    network = first.network
    source = same_as.network if same_as else network
    cap_id = f"hub-caption-{source}"
    # Only the email link has a subject; its wordings go with the caption's index.
    subject_attr = (
        f' data-subjects="{e(json.dumps(_distinct(subjects), ensure_ascii=False))}"'
        if network == "email"
        else ""
    )
    from_attr = f' data-captions-from="{e(source)}"' if same_as else ""
    rows = [
        f'<div class="hub-net" data-network="{e(network)}" data-wordings="{wordings}"'
        f"{subject_attr}{from_attr}>",
        f'<h3 class="hub-net__name" id="hub-net-{e(network)}">{e(first.label)}</h3>',
    ]
    if same_as:
        rows.append(f'<p class="hub-net__same">Same wording as {e(same_as.label)}.</p>')
    else:
        rows.append(
            f'<p class="hub-net__caption" id="{cap_id}" {lang_attrs(meta)}>'
            f"{e(caption_options(meta, network)[0])}</p>"
        )
    rows.append('<div class="hub-net__actions">')
    rows.append(
        f'<a class="hub-share__link md-button md-button--primary" data-network="{e(network)}"'
        f' data-url="{e(first.url)}"'
        f' href="{e(first.iri())}" target="_blank" rel="noopener noreferrer"'
        f' aria-describedby="{cap_id}">Share on {e(first.label)}</a>'
    )
    rows.append(
        f'<button type="button" class="hub-copy md-button hub-js" data-network="{e(network)}">'
        "Copy caption</button>"
    )
    if wordings > 1 and not same_as:
        rows.append(
            f'<button type="button" class="hub-another md-button hub-js"'
            f' data-network="{e(network)}" aria-controls="{cap_id}">Another wording'
            f'<span class="hub-sr"> for {e(first.label)}</span></button>'
        )
    rows.append("</div>")
    if network == "mastodon":
        rows.append(
            '<form class="hub-mastodon hub-js">'
            '<label for="hub-mastodon-server">Your Mastodon server</label> '
            '<input id="hub-mastodon-server" name="server" type="text" inputmode="url"'
            ' autocomplete="off" placeholder="mastodon.social" spellcheck="false"> '
            '<button type="submit" class="md-button">Save</button></form>'
        )
    rows.append("</div>")
    return "".join(rows)


def wording_data(
    options: Mapping[str, Sequence[str]],
) -> tuple[dict[str, list[int | str]], list[str]]:
    """Each network's wordings as references, and the texts they refer to, each text once.

    A network's list says, per wording, either which network's shown
    caption (its first wording, already in the page) it equals, or an index
    into the texts (written in the page's #hub-wordings template). Networks
    mostly reuse the summary and the title in several wordings, so each
    distinct text is sent once: that keeps a post page with long Hindi or
    Chinese captions well under its size budget.
    """
    shown: dict[str, str] = {}
    for network, texts in options.items():
        shown.setdefault(texts[0], network)
    texts_out: list[str] = []
    index: dict[str, int] = {}
    refs: dict[str, list[int | str]] = {}
    for network, texts in options.items():
        row: list[int | str] = []
        for text in texts:
            if text in shown:
                row.append(shown[text])
            else:
                if text not in index:
                    index[text] = len(texts_out)
                    texts_out.append(text)
                row.append(index[text])
        refs[network] = row
    return refs, texts_out


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '<' can end the element or open a comment."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False).replace("<", "\\u003c")


def share_panel(
    meta: Mapping[str, Any], site: SiteConfig, slug: str,
    links: Sequence[share.ShareLink] | None = None,
) -> str:
    """Per network: the first wording shown; share link, copy and another-wording buttons.

    `links` are hub.share.share_links(meta, site, slug=slug) when the caller has them.
    Every wording is in the page: the shown ones as text, the others once each
    in a template the script reads when "Another wording" is pressed.
    """
    if links is None:
        links = share.share_links(meta, site, slug=slug)
    if not links:
        return ""
    captions = meta.get("captions") or {}
    subjects = [str(s) for s in captions.get("email_subject") or []] or [_title(meta)]
    web_url = share.tracked_url(
        str(meta.get("canonical_url")), source=WEB_SHARE, medium=site.utm_medium,
        campaign=share.campaign_of(meta, slug),
    )
    blocks = []
    seen: list[tuple[list[str], share.ShareLink]] = []
    options: dict[str, list[str]] = {}
    for link in links:
        wordings = caption_options(meta, link.network)
        same_as = next((other for known, other in seen if known == wordings), None)
        blocks.append(_network_block(link, subjects, meta, same_as, len(wordings)))
        if same_as is None:
            seen.append((wordings, link))
            options[link.network] = wordings
    refs, texts = wording_data(options)
    data = {
        "patterns": share.PATTERNS,
        "joiner": share.JOINER,
        "instance": share.DEFAULT_MASTODON,
        "wordings": refs,
    }
    return "".join(
        [
            '<section class="hub-share" id="share" aria-labelledby="share-title"'
            " data-pagefind-ignore>",
            '<h2 id="share-title">Share this post</h2>',
            '<p class="hub-share__hint">Pick a network, check the wording (or write your own),'
            " then share. Share links open in a new tab; each carries a tracked URL so comms"
            " can count what advocacy brings.</p>",
            '<form class="hub-advocate hub-js" id="hub-advocate">'
            '<label for="hub-advocate-code">Your advocate code (optional)</label> '
            '<input id="hub-advocate-code" name="code" type="text" autocomplete="off"'
            f' spellcheck="false" pattern="{e(advocate.PATTERN)}"'
            f' maxlength="{advocate.MAX_LENGTH}" data-code-help="{e(advocate.HELP)}"'
            ' aria-describedby="hub-advocate-help"> '
            '<button type="submit" class="md-button">Save code</button> '
            '<span id="hub-advocate-help" class="hub-help">Kept in this browser only; added to'
            " the links you share so your clicks are credited to you. "
            f"{e(advocate.HELP[0].upper() + advocate.HELP[1:])}.</span>"
            '<span class="hub-status" role="status" aria-live="polite"></span></form>',
            f'<button type="button" class="hub-webshare md-button hub-js" hidden'
            f' data-url="{e(web_url)}"'
            f' data-title="{e(_title(meta))}">Share with an app on this device</button>',
            '<div class="hub-nets">',
            *blocks,
            "</div>",
            '<p class="hub-status hub-copy-status" role="status" aria-live="polite"></p>',
            # The other wordings as inert, escaped text (a template is never shown);
            # wording_data's numbers are their positions.
            f'<template id="hub-wordings" {lang_attrs(meta)}>',
            *[f"<p>{e(text)}</p>" for text in texts],
            "</template>",
            '<script type="application/json" id="hub-share-data">',
            _script_json(data),
            "</script>",
            "</section>",
        ]
    )


def closed_notice(meta: Mapping[str, Any]) -> str:
    return (
        '<div class="hub-closed admonition warning" id="closed" role="note">'
        '<p class="admonition-title">This position is closed</p>'
        f"<p>Applications closed on {e(day(meta.get('expires')))}. Please do not share this"
        " post any more.</p></div>"
    )


def card_figure(
    meta: Mapping[str, Any], wide: str | None, square: str | None, alt: str
) -> str:
    """The post's card with download links for both sizes (`wide`/`square` are page-relative)."""
    if not wide:
        return ""
    links = [f'<a href="{e(wide)}" download class="md-button">Download card (1200 × 630)</a>']
    if square:
        links.append(
            f'<a href="{e(square)}" download class="md-button">'
            "Download square card (1080 × 1080)</a>"
        )
    return (
        '<figure class="hub-card">'
        f'<img src="{e(wide)}" alt="{e(alt)}" width="1200" height="630">'
        f'<figcaption class="hub-card__downloads">{" ".join(links)}</figcaption></figure>'
    )


def post_meta_line(meta: Mapping[str, Any], category_href: str | None) -> str:
    """Category, date, author and (jobs) location as one line under the title."""
    category = str(meta.get("category") or "blog")
    label = e(category_label(category))
    parts = [
        f'<a class="hub-chip" href="{e(category_href)}">{label}</a>'
        if category_href
        else f'<span class="hub-chip">{label}</span>'
    ]
    date = day(meta.get("date"))
    if date:
        parts.append(f'<time datetime="{e(date)}">{e(date)}</time>')
    for name in ("author", "location", "job_type"):
        if meta.get(name):
            parts.append(f'<span class="hub-post__{name}">{e(meta[name])}</span>')
    return '<p class="hub-post__meta">' + " · ".join(parts) + "</p>"


def post_head(
    meta: Mapping[str, Any], *, category_href: str | None, wide: str | None,
    square: str | None, alt: str, expired: bool,
) -> str:
    """What precedes the body: title, meta line, closed notice, card."""
    return "".join(
        [
            f'<h1 id="post-title" {lang_attrs(meta)}>{e(_title(meta))}</h1>',
            post_meta_line(meta, category_href),
            closed_notice(meta) if expired else "",
            card_figure(meta, wide, square, alt),
        ]
    )


def open_graph(
    meta: Mapping[str, Any], *, site_title: str, page_url: str | None, image_url: str | None,
    alt: str,
) -> str:
    """Open Graph and Twitter tags for link previews (absolute URLs only when known)."""
    title = _title(meta)
    summary = " ".join(str(meta.get("summary") or "").split())
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_title),
        ("property", "og:title", title),
        ("property", "og:description", summary),
        ("property", "og:locale", language_of(meta).replace("-", "_")),
    ]
    if page_url:
        tags.append(("property", "og:url", page_url))
    if image_url:
        tags += [
            ("property", "og:image", image_url),
            ("property", "og:image:width", "1200"),
            ("property", "og:image:height", "630"),
            ("property", "og:image:alt", alt),
        ]
    # X reads og:title, og:description and og:image when its own tags are absent.
    tags.append(("name", "twitter:card", "summary_large_image" if image_url else "summary"))
    if meta.get("date"):
        tags.append(("property", "article:published_time", str(meta["date"])))
    return "\n".join(f'<meta {kind}="{e(key)}" content="{e(value)}">' for kind, key, value in tags)
