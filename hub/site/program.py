"""The program page: what advocacy brings, drawn at build time as inline SVG.

Comms are asked for numbers (traffic by network, which content works, the
trend); the page answers from content/_data/analytics.yml without any chart
library or script, so it loads on the intranet with no third-party request
and renders the same in any static-site engine. Each chart is an SVG with a
title and description, followed by the same numbers as a table, so screen
readers and people who prefer tables get everything the bars show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from hub import text as texts
from hub import config
from hub.config import HubConfig
from hub.posts.share import LABELS
from hub.site import html, i18n

DATA = Path("content") / "_data" / "analytics.yml"
BAR_HEIGHT = 22
GAP = 8
WIDTH = 640
LABEL_WIDTH = 200
FONT = 14
# Narrower than this, the labels would render under 12 px (a 390 px phone
# showed 6.6 px): the chart keeps this width and its box scrolls instead.
MIN_WIDTH = -(-WIDTH * 12 // FONT)
CATEGORY_LABELS = {
    **config.CATEGORY_LABELS,
    "mixed": "Campaigns across categories",
    "unknown": "Not matched to a post",
}
EMPTY = (
    "No analytics imported yet. Export sessions by utm_source, utm_campaign and "
    "utm_content from your web analytics, then run %(command)s (see the README)."
)
IMPORT_COMMAND = "advocacy-hub import-analytics export.csv"
# The sections' anchors: fixed ASCII ids, so links to them (and tests) hold whatever
# language the headings are written in.
ANCHORS = {"by_network": "visits-by-network", "by_category": "visits-by-kind-of-content",
           "by_week": "visits-by-week", "top_posts": "top-posts"}


def _desc(rows: Sequence[tuple[str, int]], language: str) -> str:
    """"LinkedIn: 1,150; X: 43": what the bars say, for screen readers, in the site language."""
    _ = i18n.translator(language)
    return "; ".join(_("%(label)s: %(value)s", label=label,
                       value=i18n.number_label(v, language)) for label, v in rows)


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]],
              color: str, language: str = "en") -> dict[str, Any]:
    """Horizontal bars, one per row, labelled with their value (no colour needed to read it)."""
    top = max((v for _, v in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    items = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = max(round(span * value / top) if value else 0, 1)
        items.append({
            "kind": "bar", "label_x": LABEL_WIDTH - 8, "middle": y + BAR_HEIGHT / 2,
            "label": texts.cut(label, 28), "x": LABEL_WIDTH, "y": y,
            "length": length, "height": BAR_HEIGHT, "value_x": LABEL_WIDTH + length + 6,
            "value": i18n.number_label(value, language),
        })
    return {"id": chart_id, "title": title, "desc": _desc(rows, language), "color": color,
            "font": FONT, "min_width": MIN_WIDTH,
            "width": WIDTH, "height": len(rows) * (BAR_HEIGHT + GAP) + GAP, "marks": items}


def column_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]],
                 color: str, language: str = "en") -> dict[str, Any]:
    """Vertical columns for a time series (weeks), oldest on the left."""
    top = max((v for _, v in rows), default=0) or 1
    height, base, label_room = 220, 180, 40
    step = (WIDTH - 20) / max(len(rows), 1)
    width = max(step * 0.7, 2)
    every = max(1, len(rows) // 8)
    items: list[dict[str, Any]] = []
    for index, (label, value) in enumerate(rows):
        x = 10 + index * step + (step - width) / 2
        bar = round((base - 20) * value / top)
        items.append({"kind": "column", "x": f"{x:.1f}", "y": base - bar, "width": f"{width:.1f}",
                      "height": bar})
        if index % every == 0:
            items.append({"kind": "label", "x": f"{x + width / 2:.1f}", "y": base + 16,
                          "label": label})
    return {"id": chart_id, "title": title, "desc": _desc(rows, language), "color": color,
            "font": FONT, "min_width": MIN_WIDTH,
            "width": WIDTH, "height": height + label_room - 20, "axis": base, "marks": items}


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    return {"caption": caption, "headers": headers, "rows": rows}


def _figure(chart: dict[str, Any], data_table: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "figure", "chart": chart, "table": data_table}


def _rows(
    items: Sequence[Mapping[str, Any]], key: str, labels: Mapping[str, str]
) -> list[tuple[str, int]]:
    out = []
    for item in items:
        name = str(item.get(key) or "")
        out.append((labels.get(name, name), int(item.get("sessions") or 0)))
    return out


def _heading(key: str, title: str) -> dict[str, str]:
    """The section's heading in the site language, under its fixed anchor (ANCHORS)."""
    return {"kind": "heading", "anchor": ANCHORS[key], "title": title}


def _week(week: str, language: str, short: bool) -> str:
    """ "2026-W45" as the language names a week: "W45" under a column, "Week 45, 2026" in the
    table; as written when it is not an ISO week."""
    year, _sep, number = week.partition("-W")
    if not (year.isdigit() and number.isdigit()):
        return week
    _ = i18n.translator(language)
    if short:
        return _("W%(week)s", week=int(number))
    return _("Week %(week)s, %(year)s", week=int(number), year=year)


def _sentence(totals: Mapping[str, Any], period: Mapping[str, Any],
              language: str) -> Markup:
    """The totals: visits, the period, advocates and how many of them are not named.

    Each count takes its own plural form, and the sentence the form its language uses
    for the number of visits (a verb may agree with it).
    """
    ngettext = i18n.html_plural_translator(language)
    visits, advocates = int(totals.get("sessions") or 0), int(totals.get("advocates") or 0)
    anonymous = int(totals.get("anonymous_advocates") or 0)
    strong = Markup("<strong>{}</strong>")
    people = strong.format(ngettext("%(count)s advocate", "%(count)s advocates", advocates,
                                    count=i18n.number_label(advocates, language)))
    if anonymous:
        people = ngettext("%(advocates)s (%(count)s not named on the hub)",
                          "%(advocates)s (%(count)s not named on the hub)", anonymous,
                          advocates=people, count=i18n.number_label(anonymous, language))
    said = strong.format(ngettext("%(count)s visit", "%(count)s visits", visits,
                                  count=i18n.number_label(visits, language)))
    if period.get("start") and period.get("end"):
        return ngettext(
            "%(visits)s came from links employees shared between %(start)s and %(end)s,"
            " from %(advocates)s.",
            "%(visits)s came from links employees shared between %(start)s and %(end)s,"
            " from %(advocates)s.", visits, visits=said, advocates=people,
            start=i18n.day_label(period["start"], language),
            end=i18n.day_label(period["end"], language))
    return ngettext("%(visits)s came from links employees shared, from %(advocates)s.",
                    "%(visits)s came from links employees shared, from %(advocates)s.", visits,
                    visits=said, advocates=people)


def load(root: Path) -> dict[str, Any] | None:
    path = root / DATA
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def render(config: HubConfig, root: Path, language: str = "en") -> str:
    """HTML (inline SVG, tables) for the `<!-- hub:program -->` placeholder, in `language`
    (the site's, theme.language): words from the catalogs, numbers and days through Babel.

    Plain HTML blocks, one per line, so it is the same whether the site
    inserts it after Markdown (as hub.site does) or into the Markdown source.
    """
    _ = i18n.translator(language)
    data = load(Path(root))
    if not data:
        return str(html.render("program.html.j2", blocks=[], _=i18n.html_translator(language),
                               empty=EMPTY, command=IMPORT_COMMAND))

    def number(value: int) -> str:
        return i18n.number_label(value, language)

    color = config.brand.colors.get("primary", "#0B3D91")
    out: list[dict[str, Any]] = [{
        "kind": "sentence",
        "text": _sentence(data.get("totals") or {}, data.get("period") or {}, language),
    }]
    categories = {key: _(label) for key, label in CATEGORY_LABELS.items()}
    networks = {key: _(label) for key, label in LABELS.items()}
    sections = [
        ("by_network", "network", networks, _("Visits by network"), _("Network")),
        ("by_category", "category", categories, _("Visits by kind of content"), _("Category")),
    ]
    visits = _("Visits")
    for key, field, labels, title, header in sections:
        rows = _rows(data.get(key) or [], field, labels)
        if rows:
            chart_id = f"hub-chart-{key.replace('_', '-')}"
            out.append(_heading(key, title))
            out.append(_figure(
                bar_chart(chart_id, title, rows, color, language),
                table(title, [header, visits], [(n, number(v)) for n, v in rows]),
            ))
    weeks = [(str(w.get("week")), int(w.get("sessions") or 0)) for w in data.get("by_week") or []]
    if weeks:
        title = _("Visits by week")
        out.append(_heading("by_week", title))
        out.append(_figure(
            column_chart("hub-chart-by-week", title,
                         [(_week(w, language, short=True), v) for w, v in weeks], color, language),
            table(title, [_("Week"), visits],
                  [(_week(w, language, short=False), number(v)) for w, v in weeks]),
        ))
    top = data.get("top_posts") or []
    if top:
        title = _("Top posts")
        out.append(_heading("top_posts", title))
        rows = [(str(p.get("title") or p.get("slug")), int(p.get("sessions") or 0)) for p in top]
        posts_table = table(
            title,
            [_("Post"), _("Category"), visits],
            [
                (r[0], categories.get(str(p.get("category")), str(p.get("category"))),
                 number(r[1]))
                for r, p in zip(rows, top, strict=True)
            ],
        )
        out.append(_figure(bar_chart("hub-chart-top-posts", title, rows, color, language),
                           posts_table))
    return str(html.render("program.html.j2", blocks=out, _=i18n.html_translator(language)))
