"""The HTML of listing pages: filter chips, post cards and the pager.

Kept apart from the selection rules (hub.listing) and from MkDocs: the hook
passes page-relative URLs in, templates/listing.html.j2 returns escaped HTML out. A
listing page shows a few share links per card (the first networks the site
offers) and links to the post for every network and wording, so a page of
24 posts stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from hub.posts import share
from hub.site import html, i18n
from hub.site.listing import Entry, Listing, facets, key_of, page_url, window
from hub.site.postpage import category_label, day, lang_attrs, language_name

CARD_NETWORKS = 3
MAX_TAG_CHIPS = 24

# Turns a site-root-relative URL ("posts/x/", "cards/x.png") into one
# relative to the page being rendered, so the site works from a sub-path.
Rel = Callable[[str], str]


def quick_links(links: Sequence[share.ShareLink]) -> Markup:
    """A card's share links: the first networks the site offers (the same on every listing)."""
    return html.render("quick_links.html.j2", links=links[:CARD_NETWORKS])


def post_card(entry: Entry, links: str, rel: Rel, image: str | None, alt: str,
              _: i18n.Gettext = i18n.translator("en")) -> dict[str, Any]:
    """What a listing shows of one post: image, title, category, date, badges, share links.

    `language` and `category_key` are the filter keys hub.js matches the
    employee's saved view against; the category is named in the page's language.
    """
    meta = entry.meta
    category = str(meta.get("category") or "blog")
    title = " ".join(str(meta.get("title") or "").split())
    # "for <title>" in the page's language, the title marked as the post's (WCAG 3.1.2).
    named = Markup("<span {}>{}</span>").format(lang_attrs(meta), title)
    return {
        "slug": entry.slug,
        "url": rel(f"posts/{entry.slug}/"),
        "title": title,
        "more_for": Markup(escape(_("for %(title)s"))) % {"title": named},
        "summary": " ".join(str(meta.get("summary") or "").split()),
        "pinned": entry.pinned,
        "new": entry.new,
        "category": _(category_label(category)),
        "category_key": key_of(category),
        "language": key_of(str(meta.get("language") or "en")),
        "date": day(meta.get("date")),
        "image": rel(image) if image else None,
        "alt": alt,
        "lang_attrs": lang_attrs(meta),
        "links": Markup(links),
    }


def card_html(card: Mapping[str, Any], lazy: bool, _: i18n.Gettext) -> Markup:
    """A post card's HTML (templates/post_card.html.j2)."""
    return html.render("post_card.html.j2", card=card, lazy=lazy, _=_)


# A card's HTML depends on the post, its two page-relative URLs and whether
# it loads lazily, so a post on several listings at the same depth is rendered once.
CardCache = dict[tuple[str, str, str | None, bool], Markup]


# kind -> [(key, label, count)]: the filters, computed once per build.
Filters = Mapping[str, Sequence[tuple[str, str, int]]]
FILTER_NAMES = {"category": "Category", "language": "Language", "tag": "Tag"}


def filters(ready: Sequence[Entry]) -> dict[str, list[tuple[str, str, int]]]:
    """Every category and language, and the most used tags, with their post counts."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for kind in FILTER_NAMES:
        groups = facets(ready, kind)
        items = [(key, label, len(members)) for key, (label, members) in groups.items()]
        if kind == "tag":
            items = sorted(sorted(items, key=lambda i: (-i[2], i[0]))[:MAX_TAG_CHIPS])
        out[kind] = items
    return out


def chip_groups(groups: Filters, current: Listing, rel: Rel,
                _: i18n.Gettext = i18n.translator("en")) -> list[dict[str, Any]]:
    """The filter chips per kind; the current listing's chip is marked current."""
    out = []
    for kind, name in FILTER_NAMES.items():
        items = groups.get(kind) or []
        if not items:
            continue
        chips = []
        for key, label, count in items:
            prefix = f"{kind}/{key}/"
            shown, lang = label, None
            if kind == "category":
                shown = _(category_label(label))
            elif kind == "language":
                shown, lang = language_name(label), label
            elif kind == "tag":
                shown = label if label.startswith("#") else f"#{label}"
            chips.append({"label": shown, "href": rel(prefix), "current": current.prefix == prefix,
                          "count": count, "lang": lang, "key": key})
        out.append({"kind": kind, "name": _(name), "chips": chips})
    return out


def saved_view(chips: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The choices of the home page's own view: every language and category, with the filter
    page each one starts from (hub.js fetches it, then follows its pager)."""
    kinds = {group["kind"]: group["chips"] for group in chips}
    return {
        "languages": [{"key": c["key"], "label": c["label"], "lang": c["lang"], "href": c["href"]}
                      for c in kinds.get("language", [])],
        "categories": [{"key": c["key"], "label": c["label"], "href": c["href"]}
                       for c in kinds.get("category", [])],
    }


def pager(listing: Listing, number: int, total: int, rel: Rel,
          _: i18n.Gettext = i18n.translator("en")) -> list[dict[str, Any]]:
    """The pager's items: newer, the page window (None a gap), older; empty for one page."""
    if total <= 1:
        return []
    items: list[dict[str, Any]] = []
    if number > 1:
        items.append({"rel": "prev", "label": _("Newer posts"),
                      "href": rel(page_url(listing.prefix, number - 1))})
    for n in window(number, total):
        if n is None:
            items.append({"gap": True})
        else:
            items.append({"number": n, "current": n == number,
                          "href": rel(page_url(listing.prefix, n))})
    if number < total:
        items.append({"rel": "next", "label": _("Older posts"),
                      "href": rel(page_url(listing.prefix, number + 1))})
    return items


def listing_title(listing: Listing, number: int = 1,
                  _: i18n.Gettext = i18n.translator("en")) -> str:
    """A filter page's title in the site's language, its page number after the first."""
    if listing.kind == "category":
        title = _("%(category)s posts", category=_(category_label(listing.value)))
    elif listing.kind == "language":
        title = _("Posts in %(language)s", language=language_name(listing.value))
    elif listing.kind == "tag":
        title = _("Posts tagged %(tag)s", tag=f"#{listing.value}")
    else:
        title = _(listing.title)
    return _("%(title)s (page %(number)s)", title=title, number=number) if number > 1 else title


def listing_body(
    listing: Listing, number: int, per_page: int, ready: Sequence[Entry], groups: Filters,
    links: Callable[[Entry], str], rel: Rel, images: Mapping[str, tuple[str | None, str]],
    search: str | None = None, language: str = "en", cache: CardCache | None = None,
) -> Markup:
    """Search form, filters, the page's cards and the pager (hub/site/templates/listing.html.j2).

    `links` gives a card's share links (cached by the caller: a post is on
    several listings); `images` maps slug -> (card path, alt). The hub's
    words are in `language`, the site's (theme.language): a listing holds
    posts in every language. The home page's first page also offers the
    employee's saved view. `cache` keeps the cards for the build's other listings.
    """
    _ = i18n.translator(language)
    total = listing.pages(per_page)
    start = (number - 1) * per_page
    shown = listing.entries[start : start + per_page]
    cache = {} if cache is None else cache
    cards = []
    for n, entry in enumerate(shown):
        image, alt = images.get(entry.slug, (None, ""))
        key = (entry.slug, rel(f"posts/{entry.slug}/"), rel(image) if image else None, n > 0)
        if key not in cache:
            card = post_card(entry, links(entry), rel, image, alt, _=_)
            cache[key] = card_html(card, n > 0, _)
        cards.append(cache[key])
    chips = chip_groups(groups, listing, rel, _)
    current = next((c["label"] for g in chips for c in g["chips"] if c["current"]), None)
    view = saved_view(chips) if listing.prefix == "" and number == 1 else None
    return html.render(
        "listing.html.j2", search=search, total=len(ready), all_href=rel(""),
        all_current=listing.prefix == "", groups=chips, current_label=current, view=view,
        per_page=per_page, count=len(listing.entries), pages=total, number=number, cards=cards,
        pager=pager(listing, number, total, rel, _), _=_,
        ngettext=i18n.plural_translator(language),
    )
