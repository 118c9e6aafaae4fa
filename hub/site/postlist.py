"""The HTML of listing pages: filter chips, post cards and the pager.

Kept apart from the selection rules (hub.listing) and from MkDocs: the hook
passes page-relative URLs in, these functions return escaped HTML out. A
listing page shows a few share links per card (the first networks the site
offers) and links to the post for every network and wording, so a page of
24 posts stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from hub.posts import share
from hub.site.listing import Entry, Listing, facets, page_url, window
from hub.site.postpage import (
    category_label,
    day,
    e,
    lang_attrs,
    language_name,
)

CARD_NETWORKS = 3
MAX_TAG_CHIPS = 24

# Turns a site-root-relative URL ("posts/x/", "cards/x.png") into one
# relative to the page being rendered, so the site works from a sub-path.
Rel = Callable[[str], str]


def quick_links(links: Sequence[share.ShareLink]) -> str:
    """A card's share links: the first networks the site offers (the same on every listing)."""
    out = []
    for link in links[:CARD_NETWORKS]:
        out.append(
            f'<a class="hub-share__link" data-network="{e(link.network)}"'
            f' data-url="{e(link.url)}"'
            f' href="{e(link.iri())}" target="_blank" rel="noopener noreferrer">'
            f'{e(link.label)}<span class="hub-sr"> (opens in a new tab)</span></a>'
        )
    return " ".join(out)


def post_card(entry: Entry, links: str, rel: Rel, image: str | None, alt: str) -> str:
    """One post on a listing: image, title, category, date, badges, quick share links."""
    meta = entry.meta
    url = rel(f"posts/{entry.slug}/")
    title = " ".join(str(meta.get("title") or "").split())
    heading_id = f"card-{entry.slug}"
    badges = []
    if entry.pinned:
        badges.append('<span class="hub-badge hub-badge--pinned">Featured</span>')
    if entry.new:
        badges.append('<span class="hub-badge hub-badge--new">New</span>')
    category = str(meta.get("category") or "blog")
    date = day(meta.get("date"))
    picture = (
        f'<img src="{e(rel(image))}" alt="{e(alt)}" width="1200" height="630" loading="lazy">'
        if image
        else ""
    )
    summary = " ".join(str(meta.get("summary") or "").split())
    return "".join(
        [
            f'<article class="hub-post-card" aria-labelledby="{e(heading_id)}"'
            f' data-slug="{e(entry.slug)}">',
            picture,
            '<div class="hub-post-card__body">',
            f'<p class="hub-post-card__meta">{"".join(badges)}'
            f'<span class="hub-post-card__category">{e(category_label(category))}</span>'
            + (f' · <time datetime="{e(date)}">{e(date)}</time>' if date else "")
            + "</p>",
            f'<h2 class="hub-post-card__title" id="{e(heading_id)}" {lang_attrs(meta)}>'
            f'<a href="{e(url)}">{e(title)}</a></h2>',
            f'<p class="hub-post-card__summary" {lang_attrs(meta)}>{e(summary)}</p>'
            if summary
            else "",
            (
                '<p class="hub-post-card__share">'
                '<span class="hub-post-card__share-label">Share:</span> '
                f'{links} <a class="hub-post-card__more" href="{e(url)}#share">'
                f'All networks and captions<span class="hub-sr"> for {e(title)}</span></a></p>'
            )
            if links
            else "",  # nothing to share: no "Share:" with nothing after it
            "</div></article>",
        ]
    )


def _chip(label: str, href: str, current: bool, count: int, lang: str | None = None) -> str:
    aria = ' aria-current="page"' if current else ""
    lang_attr = f' lang="{e(lang)}"' if lang else ""
    return (
        f'<a class="hub-chip" href="{e(href)}"{aria}><span{lang_attr}>{e(label)}</span>'
        f' <span class="hub-chip__count">({count})</span></a>'
    )


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


def chips(total: int, groups: Filters, current: Listing, rel: Rel) -> str:
    """Filter chips; the current listing's chip is marked aria-current."""
    rows = [
        '<nav class="hub-filters" aria-label="Filter posts">',
        '<ul class="hub-filters__group"><li>'
        + _chip("All posts", rel(""), current.prefix == "", total)
        + "</li></ul>",
    ]
    for kind, name in FILTER_NAMES.items():
        items = groups.get(kind) or []
        if not items:
            continue
        rows.append(f'<h2 class="hub-filters__name">{e(name)}</h2><ul class="hub-filters__group">')
        for key, label, count in items:
            prefix = f"{kind}/{key}/"
            shown, lang = label, None
            if kind == "category":
                shown = category_label(label)
            elif kind == "language":
                shown, lang = language_name(label), label
            elif kind == "tag":
                shown = label if label.startswith("#") else f"#{label}"
            chip = _chip(shown, rel(prefix), current.prefix == prefix, count, lang)
            rows.append(f"<li>{chip}</li>")
        rows.append("</ul>")
    rows.append("</nav>")
    return "".join(rows)


def pager(listing: Listing, number: int, total: int, rel: Rel) -> str:
    if total <= 1:
        return ""
    items = []
    if number > 1:
        items.append(
            f'<li><a rel="prev" href="{e(rel(page_url(listing.prefix, number - 1)))}">'
            "Newer posts</a></li>"
        )
    for n in window(number, total):
        if n is None:
            items.append('<li aria-hidden="true">…</li>')
        elif n == number:
            items.append(f'<li><a aria-current="page" href="{e(rel(page_url(listing.prefix, n)))}">'
                         f'<span class="hub-sr">Page </span>{n}</a></li>')
        else:
            items.append(f'<li><a href="{e(rel(page_url(listing.prefix, n)))}">'
                         f'<span class="hub-sr">Page </span>{n}</a></li>')
    if number < total:
        items.append(
            f'<li><a rel="next" href="{e(rel(page_url(listing.prefix, number + 1)))}">'
            "Older posts</a></li>"
        )
    return '<nav class="hub-pager" aria-label="Pages"><ul>' + "".join(items) + "</ul></nav>"


def listing_title(listing: Listing) -> str:
    if listing.kind == "category":
        return f"{category_label(listing.value)} posts"
    if listing.kind == "language":
        return f"Posts in {language_name(listing.value)}"
    if listing.kind == "tag":
        return f"Posts tagged #{listing.value}"
    return listing.title


def search_form(action: str) -> str:
    """A plain GET form to the search page, which runs the query from `?q=`."""
    return (
        f'<form class="hub-search-form" role="search" action="{e(action)}" method="get">'
        '<label for="hub-q">Search posts</label> '
        '<input id="hub-q" name="q" type="search" autocomplete="off"> '
        '<button type="submit" class="md-button">Search</button></form>'
    )


def listing_body(
    listing: Listing, number: int, per_page: int, ready: Sequence[Entry], groups: Filters,
    links: Callable[[Entry], str], rel: Rel, images: Mapping[str, tuple[str | None, str]],
    search: str | None = None,
) -> str:
    """Chips, the page's cards and the pager.

    `links` gives a card's share links (cached by the caller: a post is on
    several listings); `images` maps slug -> (card path, alt).
    """
    total = listing.pages(per_page)
    start = (number - 1) * per_page
    shown = listing.entries[start : start + per_page]
    cards = [
        post_card(entry, links(entry), rel, *images.get(entry.slug, (None, ""))) for entry in shown
    ]
    count = len(listing.entries)
    summary = (
        f'<p class="hub-count" data-pagefind-ignore>{count} post{"s" if count != 1 else ""}'
        + (f", page {number} of {total}" if total > 1 else "")
        + "</p>"
    )
    empty = (
        '<p class="hub-empty">No share-ready posts yet. Approved posts appear here after the'
        " next build.</p>"
        if not shown
        else ""
    )
    return "".join(
        [
            search_form(search) if search else "",
            chips(len(ready), groups, listing, rel),
            summary,
            empty,
            '<div class="hub-post-list">',
            *cards,
            "</div>",
            pager(listing, number, total, rel),
        ]
    )
