"""Renderers for the `<!-- hub:NAME -->` placeholders pages may contain.

Each renderer is a plain function from settings and data files to HTML,
rendered by a template in hub/site/templates/ with autoescape on, and knows
no renderer. `render(name, ...)` is the one entry the site generator uses.
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
from hub.site import html, i18n

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
    language: str = "en"  # the site's (theme.language): the hub's words on these pages


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
    """The worked example in the site's language: its digits, its percent sign, its words.

    The script recomputes it with Intl.NumberFormat in the page's language
    (data-lang), and says data-none where there is nothing to compare with.
    """
    followers = ctx.config.site.company_followers or 2000
    total, increase = reach(100, 338, followers)
    _ = i18n.html_translator(ctx.language)
    return html.render(
        "calculator.html.j2", followers=followers, lang=ctx.language, _=_,
        total=i18n.number_label(total, ctx.language),
        base=i18n.number_label(followers, ctx.language),
        increase=(i18n.signed_percent_label(increase, ctx.language) if increase is not None
                  else _("n/a")),
    )


# --- brand settings -----------------------------------------------------------

# hub.yml's colour keys the page names in the site's language (others as written).
COLOUR_NAMES = {"primary": "Primary", "accent": "Accent", "background": "Background",
                "text": "Text"}


def _grade(ratio: float, _: i18n.Gettext) -> str:
    if ratio >= 7:
        return "AAA"
    if ratio >= 4.5:
        return "AA"
    if ratio >= 3:
        return _("AA large text only")
    return _("fails: decoration only")


def _ratio(ratio: float, language: str) -> str:
    """4.5:1 / 4,5:1: the contrast ratio with the language's decimal sign."""
    return f"{i18n.number_label(round(ratio, 1), language, '0.0')}:1"


def brand_settings(ctx: Context) -> str:
    """Colours with contrast, logo, spellings and hashtags, from hub.yml `brand:`."""
    brand = ctx.config.brand
    _, language = i18n.html_translator(ctx.language), ctx.language
    colours = []
    for name, color in brand.colors.items():
        on_white, on_black = contrast(color, "#FFFFFF"), contrast(color, "#000000")
        label = _(COLOUR_NAMES[name]) if name in COLOUR_NAMES else name.capitalize()
        colours.append({"name": label, "color": color, "ink": readable_on(color),
                        "on_white": _ratio(on_white, language), "white_grade": _grade(on_white, _),
                        "on_black": _ratio(on_black, language), "black_grade": _grade(on_black, _)})
    text, background = brand.colors.get("text"), brand.colors.get("background")
    card = None
    if text and background:
        ratio = contrast(text, background)
        card = {"text": text, "background": background, "ratio": _ratio(ratio, language),
                "grade": _grade(ratio, _)}
    feed_tags = [tag for feed in ctx.config.feeds for tag in feed.hashtags]
    return html.render(
        "brand.html.j2", colours=colours, card=card, logo_url=ctx.logo_url, brand=brand.name,
        fonts=brand.fonts, spellings=brand.spellings, _=_,
        hashtags=list(dict.fromkeys([*brand.hashtags, *feed_tags])),
    )


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


def _avatar(person: Mapping[str, Any], ctx: Context) -> dict[str, str]:
    """A photo inside the site, else initials on a colour picked from the name."""
    name = str(person.get("name") or "")
    photo = str(person.get("photo") or "")
    if photo and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", photo):
        return {"src": ctx.rel(photo.lstrip("/"))}
    if photo:
        log.warning("%s: photo %r is not a path inside content/; showing initials (no"
                    " third-party images on the hub)", RECOGNITION_FILE, photo)
    color = AVATAR_COLORS[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(AVATAR_COLORS)]
    return {"color": color, "initials": initials(name)}


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


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _count(value: Any, language: str) -> str:
    """A whole count as the site's language groups digits (1,310 / 1.310); else as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return i18n.number_label(value, language)
    return _text(value)


def _people(rows: list[Any], language: str) -> list[dict[str, str]]:
    return [{"name": _text(row.get("name")), "team": _text(row.get("team")),
             "shares": _count(row.get("shares"), language),
             "clicks": _count(row.get("clicks"), language)}
            for row in rows if isinstance(row, dict)]


def recognition_wall(ctx: Context) -> str:
    """Advocate of the month, kudos, top contributors, campaign leaderboards."""
    data = _load_wall(ctx.root / RECOGNITION_FILE)
    _ = i18n.html_translator(ctx.language)
    if not data:
        return html.render("wall.html.j2", empty=True, data_file=RECOGNITION_FILE, _=_)
    star = data.get("advocate_of_the_month")
    if isinstance(star, dict) and star.get("name"):
        star = {"avatar": _avatar(star, ctx),
                **{k: _text(star.get(k)) for k in ("name", "month", "team", "citation")}}
    else:
        star = None
    kudos = [
        {"avatar": _avatar({"name": item.get("to")}, ctx),
         "date": str(item.get("date"))[:10] if item.get("date") else "",
         "day": i18n.day_label(item.get("date"), ctx.language) if item.get("date") else "",
         **{k: _text(item.get(k)) for k in ("to", "from", "message")}}
        for item in data.get("kudos") or [] if isinstance(item, dict)
    ]
    campaigns = [
        {"id": f"wall-campaign-{index + 1}", "title": _text(c.get("title") or c.get("slug")),
         "rows": _people(c.get("leaderboard") or [], ctx.language)}
        for index, c in enumerate(c for c in data.get("campaigns") or [] if isinstance(c, dict))
    ]
    return html.render("wall.html.j2", empty=False, star=star, kudos=kudos, _=_,
                       top=_people(data.get("top_contributors") or [], ctx.language),
                       campaigns=campaigns)


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
    """The button and where it leads, in the site's language.

    The issue's or email's own prefilled text stays as SUGGEST_BODY: comms
    read it, whatever language the site speaks.
    """
    url = suggest_url(ctx.config)
    _ = i18n.html_translator(ctx.language)
    issue = _("This opens an issue on the hub's repository, with a short form to fill in.")
    opens = {"github": issue, "gitlab": issue,
             "email": _("This opens an email to comms, with a short form to fill in.")}
    return html.render("suggest.html.j2", url=url, opens=opens.get(ctx.config.site.suggest.kind, ""),
                       _=_)


# --- search -------------------------------------------------------------------


SEARCH_INPUT = "hub-search-input"


def search(ctx: Context) -> str:
    """Pagefind's UI, served from the site itself (the bundle is written with the build)."""
    return html.render("search.html.j2", css=ctx.rel("pagefind/pagefind-ui.css"),
                       js=ctx.rel("pagefind/pagefind-ui.js"), input_id=SEARCH_INPUT,
                       _=i18n.translator(ctx.language))


# --- program ------------------------------------------------------------------


def program(ctx: Context) -> str:
    """The program's charts in the site's language, or a line saying where they will be."""
    try:
        module = importlib.import_module("hub.site.program")
    except ImportError:
        return html.render("program-missing.html.j2", _=i18n.html_translator(ctx.language))
    return str(module.render(ctx.config, ctx.root, ctx.language))


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
