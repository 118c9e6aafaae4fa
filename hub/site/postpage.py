"""The HTML of a post: its header with the card, its share panel, its link preview.

Plain functions from post metadata (untrusted: it comes from feeds) to HTML,
rendered by the templates in hub/site/templates/ with autoescape on (see
hub.site.html): the renderers' own Jinja does not escape, so the HTML they
place is finished here.

Share links are plain `<a href>` built by hub.share, so they work without
JavaScript; theme/assets/hub/hub.js only swaps the wording, the Mastodon
server and the advocate code, from the data attributes written here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from babel.core import get_global
from markupsafe import Markup

from hub.posts import advocate
from hub.config import SiteConfig, category_label
from hub.posts import share
from hub.direction import direction_of, hashtags_isolated
from hub.site import html, i18n

WEB_SHARE = "web-share"
# Networks whose share page ignores prefilled text (Facebook's sharer and
# Xing's take only a URL; LinkedIn's feed/?shareActive form prefills on
# desktop only): the page copies the caption before opening them.
COPY_FIRST = ("facebook", "xing")
COPY_FIRST_ON_PHONES = ("linkedin",)

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


def language_of(meta: Mapping[str, Any]) -> str:
    return str(meta.get("language") or "en")


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)


def day(value: Any) -> str:
    return str(value or "")[:10]


def _gettext(meta: Mapping[str, Any]) -> i18n.Gettext:
    return i18n.translator(language_of(meta))


def script_messages(meta: Mapping[str, Any]) -> dict[str, str]:
    """What hub.js says on this page, in its language (%(name)s filled in by the script)."""
    _ = _gettext(meta)
    return {
        "copied_paste": _("Caption copied: paste it into %(network)s."),
        "copied": _("Caption and link copied."),
        "copy_failed": _("Could not copy: select the caption and copy it by hand."),
        "wording": _("Wording %(number)s of %(count)s shown."),
        "mastodon_first": _("Enter your Mastodon server first, then share."),
    }


def lang_attrs(meta: Mapping[str, Any]) -> Markup:
    """`lang` (and `dir` for right-to-left scripts) for the post's own words (WCAG 3.1.2).

    The pages are left-to-right, so `dir` is written only where it changes.
    """
    language = language_of(meta)
    rtl = ' dir="rtl"' if direction_of(language) == "rtl" else ""
    return Markup('lang="{}"{}').format(language, Markup(rtl))


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
    blocks = []
    seen: list[tuple[list[str], share.ShareLink]] = []
    options: dict[str, list[str]] = {}
    for link in links:
        wordings = caption_options(meta, link.network)
        # A network whose wordings equal an earlier one's (Xing takes LinkedIn's)
        # shows no copy of them: its buttons use the other block's wording.
        same_as = next((other for known, other in seen if known == wordings), None)
        blocks.append({"link": link, "same_as": same_as, "wordings": len(wordings),
                       "source": same_as.network if same_as else link.network,
                       "caption": hashtags_isolated(wordings[0])})
        if same_as is None:
            seen.append((wordings, link))
            options[link.network] = wordings
    refs, texts = wording_data(options)
    _ = _gettext(meta)
    data = {
        "patterns": share.PATTERNS,
        "joiner": share.JOINER,
        "instance": share.DEFAULT_MASTODON,
        "wordings": refs,
        "copy_first": list(COPY_FIRST),
        "copy_first_phone": list(COPY_FIRST_ON_PHONES),
        "messages": script_messages(meta),
    }
    return html.render(
        "share_panel.html.j2", blocks=blocks, texts=texts, _=_,
        copy_first=copy_first_names(links, language_of(meta), _),
        subjects=json.dumps(_distinct(subjects), ensure_ascii=False),
        lang_attrs=lang_attrs(meta), data=Markup(_script_json(data)), code=advocate,
    )


def copy_first_names(links: Sequence[share.ShareLink], language: str, _: i18n.Gettext) -> str:
    """The networks on this page that drop prefilled text, as the language lists them
    ("Facebook and LinkedIn on phones"): those that always do first, in the site's order;
    "" when the hub offers none of them (then the hint leaves the sentence out)."""
    names = [link.label for link in links if link.network in COPY_FIRST]
    names += [_("%(network)s on phones", network=link.label)
              for link in links if link.network in COPY_FIRST_ON_PHONES]
    return i18n.names_list(names, language) if names else ""


def share_actions(
    meta: Mapping[str, Any], site: SiteConfig, slug: str, links: Sequence[share.ShareLink],
) -> str:
    """The share sheet button and the network picker that open a post's page."""
    if not links:
        return ""
    web_url = share.tracked_url(
        str(meta.get("canonical_url")), source=WEB_SHARE, medium=site.utm_medium,
        campaign=share.campaign_of(meta, slug),
    )
    return html.render("share_actions.html.j2", links=links, web_url=web_url, title=_title(meta),
                       lang_attrs=lang_attrs(meta), _=_gettext(meta))


def event_facts(meta: Mapping[str, Any], ics: str | None) -> dict[str, str] | None:
    """An event's start, end and place as the page shows them, in the post's language.

    `ics` is the page-relative link to the event's calendar file (the
    generator writes it beside the page: hub.posts.events.ics).
    """
    event = meta.get("event")
    if not isinstance(event, Mapping) or not event.get("start"):
        return None
    language = language_of(meta)
    start, end = str(event["start"]), str(event.get("end") or "")
    facts = {"start": start, "start_label": i18n.moment_label(start, language)}
    if end and end != start:
        facts.update(end=end, end_label=i18n.moment_label(end, language))
    if str(event.get("place") or "").strip():
        facts["place"] = str(event["place"]).strip()
    if ics:
        facts["ics"] = ics
    return facts


def post_head(
    meta: Mapping[str, Any], *, category_href: str | None, wide: str | None,
    square: str | None, alt: str, expired: bool, actions: str = "", ics: str | None = None,
) -> str:
    """What precedes the body: title; category, date, author and (jobs) location; an
    event's days, place and calendar file; closed notice; the share actions (first,
    for search they are left out); the card with download links for both sizes
    (`wide`/`square`/`ics` page-relative)."""
    details = [(name, meta[name]) for name in ("author", "location", "job_type") if meta.get(name)]
    _ = _gettext(meta)
    return html.render(
        "post_head.html.j2", title=_title(meta), lang_attrs=lang_attrs(meta),
        category=_(category_label(str(meta.get("category") or "blog"))),
        category_href=category_href, date=day(meta.get("date")), details=details,
        date_label=i18n.day_label(meta.get("date"), language_of(meta)), _=_,
        expired=expired, expires=i18n.day_label(meta.get("expires"), language_of(meta)),
        wide=wide, square=square, alt=alt, event=event_facts(meta, ics),
        actions=Markup(actions),
    )


def og_locale(language: str) -> str | None:
    """Open Graph's ll_CC ('en_US', 'ar_EG'): the tag's region, else CLDR's likeliest one.

    None for a language CLDR does not know: without og:locale readers assume
    en_US, which is better than a malformed value.
    """
    parts = language.replace("_", "-").split("-")
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region is None:
        script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
        likely = get_global("likely_subtags")
        guess = (likely.get(f"{lang}_{script}") if script else None) or likely.get(lang)
        region = guess.split("_")[-1] if guess else None
    if not (len(lang) in (2, 3) and lang.isalpha() and region):
        return None
    return f"{lang}_{region}"


def open_graph(
    meta: Mapping[str, Any], *, site_title: str, page_url: str | None, image_url: str | None,
    alt: str,
) -> str:
    """Open Graph and Twitter tags for link previews (absolute URLs only when known).

    image_url is the post's card or, for a post without one, the brand card:
    a preview without an image is a bare link in LinkedIn, Teams and Slack.
    """
    title = _title(meta)
    summary = " ".join(str(meta.get("summary") or "").split())
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_title),
        ("property", "og:title", title),
        ("property", "og:description", summary),
    ]
    locale = og_locale(language_of(meta))
    if locale:
        tags.append(("property", "og:locale", locale))
    if page_url:
        tags.append(("property", "og:url", page_url))
    if image_url:
        tags += [
            ("property", "og:image", image_url),
            ("property", "og:image:width", "1200"),
            ("property", "og:image:height", "630"),
            ("property", "og:image:alt", alt),
        ]
    # X reads og:title, og:description and og:image when its own tags are absent,
    # but not og:image:alt.
    tags.append(("name", "twitter:card", "summary_large_image" if image_url else "summary"))
    if image_url:
        tags.append(("name", "twitter:image:alt", alt))
    if meta.get("date"):
        tags.append(("property", "article:published_time", str(meta["date"])))
    return html.render("open_graph.html.j2", tags=tags)
