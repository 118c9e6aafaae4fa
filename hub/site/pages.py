"""Renderers for the `<!-- hub:NAME -->` placeholders pages may contain.

Each renderer is a plain function from settings and data files to an HTML
string (escaped here), with no MkDocs import, so the pages can move to
another site generator by calling the same functions. `render(name, ...)`
is the one entry the site hook uses.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import yaml

from hub.cards.cardstyle import AA, WHITE, contrast, rgb
from hub.cards.cardstyle import best_mono as readable_on
from hub.config import BrandConfig, HubConfig
from hub.site.postpage import e

log = logging.getLogger("hub.site.pages")

PLACEHOLDER = re.compile(r"^[ \t]*<!--[ \t]*hub:([a-z][a-z0-9-]*)[ \t]*-->[ \t]*$", re.MULTILINE)
RECOGNITION_FILE = "content/_data/recognition.yml"

# Rel turns a site-root-relative URL into one relative to the page rendered.
Rel = Callable[[str], str]


@dataclass(frozen=True)
class Context:
    """What every renderer may use: settings, the hub's folder, URL helper."""

    config: HubConfig
    root: Path
    rel: Rel
    logo_url: str | None = None


# --- reach calculator ---------------------------------------------------------


def reach(employees: int, network: int, followers: int) -> tuple[int, float | None]:
    """Potential reach of employees sharing, and its increase over the company's own followers.

    The increase is in percent, None when the company has no followers to compare with.
    """
    total = max(0, employees) * max(0, network)
    if followers <= 0:
        return total, None
    return total, (total - followers) * 100.0 / followers


def reach_calculator(ctx: Context) -> str:
    followers = ctx.config.site.company_followers or 2000
    total, increase = reach(100, 338, followers)
    shown = f"{increase:+,.0f} %" if increase is not None else "n/a"
    return (
        '<form class="hub-calc" id="hub-calc" novalidate>'
        '<div class="hub-calc__field"><label for="calc-employees">Employees who share</label>'
        '<input id="calc-employees" name="employees" type="number" min="0" step="1"'
        ' inputmode="numeric" value="100" required></div>'
        '<div class="hub-calc__field"><label for="calc-network">Average network size'
        ' (contacts per person)</label>'
        '<input id="calc-network" name="network" type="number" min="0" step="1"'
        ' inputmode="numeric" value="338" required></div>'
        '<div class="hub-calc__field"><label for="calc-followers">Company page followers</label>'
        f'<input id="calc-followers" name="followers" type="number" min="0" step="1"'
        f' inputmode="numeric" value="{followers}" required></div>'
        '<button type="submit" class="md-button md-button--primary hub-js">Calculate</button>'
        '<p class="hub-calc__result" aria-live="polite" role="status">'
        '<output id="calc-reach" for="calc-employees calc-network">'
        f"{total:,}</output> people can see a post shared by everyone, against"
        f' <span id="calc-base">{followers:,}</span> following the company page: '
        f'<output id="calc-increase" for="calc-employees calc-network calc-followers">{shown}'
        "</output>.</p></form>"
    )


# --- brand settings -----------------------------------------------------------


def _grade(ratio: float) -> str:
    if ratio >= 7:
        return "AAA"
    if ratio >= 4.5:
        return "AA"
    if ratio >= 3:
        return "AA large text only"
    return "fails: decoration only"


def brand_settings(ctx: Context) -> str:
    """Colours with contrast, logo, spellings and hashtags, from hub.yml `brand:`."""
    brand = ctx.config.brand
    rows = ['<div class="hub-brand">', '<h2 id="brand-colours">Colours</h2>',
            '<ul class="hub-swatches">']
    for name, color in brand.colors.items():
        ink = readable_on(color)
        on_white, on_black = contrast(color, "#FFFFFF"), contrast(color, "#000000")
        rows.append(
            f'<li class="hub-swatch"><span class="hub-swatch__chip" style="background:{e(color)};'
            f'color:{ink}" aria-hidden="true">Aa</span><span class="hub-swatch__text">'
            f"<strong>{e(name.capitalize())}</strong> <code>{e(color.upper())}</code><br>"
            f"On white {on_white:.1f}:1 ({_grade(on_white)}); on black {on_black:.1f}:1"
            f" ({_grade(on_black)})</span></li>"
        )
    rows.append("</ul>")
    text, background = brand.colors.get("text"), brand.colors.get("background")
    if text and background:
        ratio = contrast(text, background)
        rows.append(
            f"<p>Card text <code>{e(text.upper())}</code> on card background"
            f" <code>{e(background.upper())}</code>: {ratio:.1f}:1 ({_grade(ratio)}).</p>"
        )
    rows.append('<h2 id="brand-logo">Logo</h2>')
    if ctx.logo_url:
        rows.append(
            f'<figure class="hub-logo"><img src="{e(ctx.logo_url)}" alt="{e(brand.name)} logo">'
            f'<figcaption><a href="{e(ctx.logo_url)}" download>Download the logo</a>'
            "</figcaption></figure>"
        )
    else:
        rows.append("<p>No logo file is set yet (hub.yml <code>brand.logo</code>).</p>")
    if brand.fonts:
        rows.append('<h2 id="brand-fonts">Fonts</h2><p>'
                    + ", ".join(f"<code>{e(font)}</code>" for font in brand.fonts) + "</p>")
    rows.append('<h2 id="brand-spellings">Spellings</h2>')
    if brand.spellings:
        rows.append('<table><thead><tr><th scope="col">Write</th><th scope="col">Not</th>'
                    "</tr></thead><tbody>")
        for spelling in brand.spellings:
            rows.append(f"<tr><td>{e(spelling.use)}</td><td>"
                        + ", ".join(e(a) for a in spelling.avoid) + "</td></tr>")
        rows.append("</tbody></table>")
    else:
        rows.append("<p>No spellings are listed yet.</p>")
    rows.append('<h2 id="brand-hashtags">Hashtags</h2>')
    feed_tags = [tag for feed in ctx.config.feeds for tag in feed.hashtags]
    tags = list(dict.fromkeys([*brand.hashtags, *feed_tags]))
    if tags:
        rows.append('<ul class="hub-hashtags">'
                    + "".join(f"<li><code>#{e(tag)}</code></li>" for tag in tags) + "</ul>")
    else:
        rows.append("<p>No hashtags are set yet.</p>")
    rows.append("</div>")
    return "".join(rows)


# --- recognition wall ---------------------------------------------------------

# Dark backgrounds that all give white initials at least 4.5:1.
AVATAR_COLORS = ("#0B3D91", "#1B5E20", "#6A1B9A", "#B71C1C", "#004D40", "#4E342E", "#283593")


def initials(name: str) -> str:
    words = [w for w in str(name).split() if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper() if words[0].isascii() else words[0][:1]
    return (words[0][:1] + words[-1][:1]).upper()


def _avatar(person: Mapping[str, Any], ctx: Context) -> str:
    name = str(person.get("name") or "")
    photo = str(person.get("photo") or "")
    if photo and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", photo):
        src = e(ctx.rel(photo.lstrip("/")))
        return f'<img class="hub-avatar" src="{src}" alt="" width="96" height="96">'
    if photo:
        log.warning("%s: photo %r is not a path inside content/; showing initials (no"
                    " third-party images on the hub)", RECOGNITION_FILE, photo)
    color = AVATAR_COLORS[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(AVATAR_COLORS)]
    return (f'<span class="hub-avatar hub-avatar--initials" style="background:{color}"'
            f' aria-hidden="true">{e(initials(name))}</span>')


def _load_wall(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        log.warning("%s: not valid YAML; the recognition wall is empty until it is fixed", where)
        return {}
    if not isinstance(data, dict):
        log.warning("%s: must be a mapping (advocate_of_the_month:, kudos:, ...)", path)
        return {}
    return data


def _people_table(rows: list[Any], caption_id: str) -> str:
    out = [f'<table aria-labelledby="{caption_id}"><thead><tr><th scope="col">#</th>'
           '<th scope="col">Name</th><th scope="col">Team</th><th scope="col">Shares</th>'
           '<th scope="col">Clicks</th></tr></thead><tbody>']
    for rank, row in enumerate(r for r in rows if isinstance(r, dict)):
        out.append(
            f"<tr><td>{rank + 1}</td><td>{e(row.get('name'))}</td><td>{e(row.get('team'))}</td>"
            f"<td>{e(row.get('shares', ''))}</td><td>{e(row.get('clicks', ''))}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def recognition_wall(ctx: Context) -> str:
    """Advocate of the month, kudos, top contributors, campaign leaderboards."""
    data = _load_wall(ctx.root / RECOGNITION_FILE)
    if not data:
        return ('<p class="hub-empty">The wall is empty for now. Comms fill it in'
                f" <code>{e(RECOGNITION_FILE)}</code>.</p>")
    out = ['<div class="hub-wall">']
    star = data.get("advocate_of_the_month")
    if isinstance(star, dict) and star.get("name"):
        out.append(
            '<section class="hub-star" aria-labelledby="wall-star"><h2 id="wall-star">'
            f"Advocate of the month{': ' + e(star.get('month')) if star.get('month') else ''}"
            f'</h2><div class="hub-star__body">{_avatar(star, ctx)}<div>'
            f'<p class="hub-star__name"><strong>{e(star.get("name"))}</strong>'
            + (f" · {e(star.get('team'))}" if star.get("team") else "")
            + "</p>"
            + (f"<blockquote><p>{e(star.get('citation'))}</p></blockquote>"
               if star.get("citation") else "")
            + "</div></div></section>"
        )
    kudos = [k for k in data.get("kudos") or [] if isinstance(k, dict)]
    if kudos:
        out.append('<section aria-labelledby="wall-kudos"><h2 id="wall-kudos">Kudos</h2>'
                   '<ul class="hub-kudos">')
        for item in kudos:
            out.append(
                f'<li class="hub-kudo">{_avatar({"name": item.get("to")}, ctx)}<div>'
                f"<p><strong>{e(item.get('to'))}</strong>, from {e(item.get('from'))}"
                + (f' <time datetime="{e(str(item.get("date"))[:10])}">'
                   f"{e(str(item.get('date'))[:10])}</time>" if item.get("date") else "")
                + f"</p><p>{e(item.get('message'))}</p></div></li>"
            )
        out.append("</ul></section>")
    top = data.get("top_contributors") or []
    if top:
        out.append('<section aria-labelledby="wall-top"><h2 id="wall-top">Top contributors</h2>'
                   + _people_table(top, "wall-top") + "</section>")
    for index, campaign in enumerate(c for c in data.get("campaigns") or [] if isinstance(c, dict)):
        cid = f"wall-campaign-{index + 1}"
        out.append(
            f'<section aria-labelledby="{cid}"><h2 id="{cid}">Campaign leaderboard:'
            f" {e(campaign.get('title') or campaign.get('slug'))}</h2>"
            + _people_table(campaign.get("leaderboard") or [], cid) + "</section>"
        )
    out.append("</div>")
    return "".join(out)


# --- suggest a post -----------------------------------------------------------

SUGGEST_TITLE = "Post suggestion: "
SUGGEST_BODY = (
    "Link to the content (article, event, job, photo):\n\n"
    "Why colleagues would want to share it:\n\n"
    "Suggested caption (optional):\n\n"
    "Deadline or date it is about (optional):\n"
)


def suggest_url(config: HubConfig) -> str | None:
    """Where "Suggest a post" sends people: a prefilled issue or an email (RFC 6068)."""
    suggest = config.site.suggest
    if suggest.kind in ("github", "gitlab") and suggest.repo_url:
        base = suggest.repo_url.rstrip("/")
        if suggest.kind == "github":
            fields = {"title": SUGGEST_TITLE, "body": SUGGEST_BODY, "labels": "suggestion"}
            query = urlencode(fields, quote_via=quote)
            return f"{base}/issues/new?{query}"
        query = urlencode({"issue[title]": SUGGEST_TITLE, "issue[description]": SUGGEST_BODY},
                          quote_via=quote)
        return f"{base}/-/issues/new?{query}"
    if suggest.kind == "email" and suggest.email:
        body = SUGGEST_BODY.replace("\n", "\r\n")
        to = quote(suggest.email, safe="@")
        subject = quote(SUGGEST_TITLE.strip().rstrip(":"), safe="")
        return f"mailto:{to}?subject={subject}&body={quote(body, safe='')}"
    return None


def suggest(ctx: Context) -> str:
    url = suggest_url(ctx.config)
    if not url:
        return ("<p>Suggestions are not set up yet: ask comms, or set <code>site.suggest</code>"
                " in hub.yml.</p>")
    where = {"github": "an issue on the hub's repository", "gitlab": "an issue on the hub's"
             " repository", "email": "an email to comms"}[ctx.config.site.suggest.kind]
    return (f'<p><a class="md-button md-button--primary" id="hub-suggest" href="{e(url)}">'
            f"Suggest a post</a></p><p>This opens {where}, with a short form to fill in.</p>")


# --- search -------------------------------------------------------------------


SEARCH_INPUT = "hub-search-input"


def search(ctx: Context) -> str:
    """Pagefind's UI, served from the site itself (the bundle is written after the build)."""
    css, js = ctx.rel("pagefind/pagefind-ui.css"), ctx.rel("pagefind/pagefind-ui.js")
    return (
        f'<link rel="stylesheet" href="{e(css)}">'
        # A visible name for Pagefind's field, which has only a placeholder;
        # the script gives the field the id this label points at.
        f'<label id="hub-search-label" class="hub-search__label" for="{SEARCH_INPUT}">'
        "Search posts, guidelines and people</label>"
        '<div id="hub-search" class="hub-search" data-pagefind-ignore></div>'
        '<noscript><p>Search needs JavaScript. Browse the posts by category, language or tag'
        " from the home page instead.</p></noscript>"
        f'<script src="{e(js)}" defer></script>'
    )


# --- program ------------------------------------------------------------------


def program(ctx: Context) -> str:
    try:
        module = importlib.import_module("hub.site.program")
    except ImportError:
        return "<p>The program charts appear here once the hub's analytics module is installed.</p>"
    return str(module.render(ctx.config, ctx.root))


RENDERERS: dict[str, Callable[[Context], str]] = {
    "brand-settings": brand_settings,
    "recognition-wall": recognition_wall,
    "reach-calculator": reach_calculator,
    "suggest": suggest,
    "search": search,
    "program": program,
}


def render(name: str, ctx: Context) -> str | None:
    """The HTML for placeholder `name`, or None when no renderer has that name."""
    renderer = RENDERERS.get(name)
    return renderer(ctx) if renderer else None


def brand_css(brand: BrandConfig) -> str:
    """The header and links in the brand's primary colour, when it keeps AA contrast.

    White header text and links on white pages both need 4.5:1 against it; a
    primary colour that fails (a light yellow, say) leaves Material's indigo.
    """
    primary = brand.colors.get("primary")
    if not primary or contrast(primary, WHITE) < AA:
        return ""
    r, g, b = rgb(primary)
    dark = "#{:02X}{:02X}{:02X}".format(*(int(c * 0.8) for c in (r, g, b)))
    return (
        ":root,[data-md-color-scheme=default]{"
        f"--md-primary-fg-color:{primary};--md-primary-fg-color--light:{primary};"
        f"--md-primary-fg-color--dark:{dark};--md-typeset-a-color:{primary}}}"
    )
