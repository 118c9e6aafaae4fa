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

from hub import text as texts
from hub import config
from hub.config import HubConfig
from hub.posts.share import LABELS
from hub.site import html

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
    "<p>No analytics imported yet. Export sessions by utm_source, utm_campaign and "
    "utm_content from your web analytics, then run "
    "<code>advocacy-hub import-analytics export.csv</code> (see the README).</p>"
)


def _number(value: int) -> str:
    return f"{value:,}"


def _desc(rows: Sequence[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {_number(v)}" for label, v in rows)


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]],
              color: str) -> dict[str, Any]:
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
            "value": _number(value),
        })
    return {"id": chart_id, "title": title, "desc": _desc(rows), "color": color,
            "font": FONT, "min_width": MIN_WIDTH,
            "width": WIDTH, "height": len(rows) * (BAR_HEIGHT + GAP) + GAP, "marks": items}


def column_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]],
                 color: str) -> dict[str, Any]:
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
    return {"id": chart_id, "title": title, "desc": _desc(rows), "color": color,
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


def _heading(title: str) -> dict[str, str]:
    return {"kind": "heading", "anchor": title.lower().replace(" ", "-"), "title": title}


def load(root: Path) -> dict[str, Any] | None:
    path = root / DATA
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def render(config: HubConfig, root: Path) -> str:
    """HTML (inline SVG, tables) for the `<!-- hub:program -->` placeholder.

    Plain HTML blocks, one per line, so it is the same whether the site
    inserts it after Markdown (as hub.site does) or into the Markdown source.
    """
    data = load(Path(root))
    if not data:
        return EMPTY + "\n"
    color = config.brand.colors.get("primary", "#0B3D91")
    totals = data.get("totals") or {}
    period = data.get("period") or {}
    out: list[dict[str, Any]] = [{
        "kind": "sentence", "visits": _number(int(totals.get("sessions") or 0)),
        "start": period.get("start") if period.get("start") and period.get("end") else None,
        "end": period.get("end"), "advocates": _number(int(totals.get("advocates") or 0)),
        "anonymous": _number(int(totals.get("anonymous_advocates") or 0))
        if int(totals.get("anonymous_advocates") or 0) else None,
    }]
    sections = [
        ("by_network", "network", LABELS, "Visits by network", "Network"),
        ("by_category", "category", CATEGORY_LABELS, "Visits by kind of content", "Category"),
    ]
    for key, field, labels, title, header in sections:
        rows = _rows(data.get(key) or [], field, labels)
        if rows:
            chart_id = f"hub-chart-{key.replace('_', '-')}"
            out.append(_heading(title))
            out.append(_figure(
                bar_chart(chart_id, title, rows, color),
                table(title, [header, "Visits"], [(n, _number(v)) for n, v in rows]),
            ))
    weeks = [(str(w.get("week")), int(w.get("sessions") or 0)) for w in data.get("by_week") or []]
    if weeks:
        title = "Visits by week"
        out.append(_heading(title))
        out.append(_figure(
            column_chart("hub-chart-by-week", title, [(w[-3:], v) for w, v in weeks], color),
            table(title, ["Week", "Visits"], [(w, _number(v)) for w, v in weeks]),
        ))
    top = data.get("top_posts") or []
    if top:
        title = "Top posts"
        out.append(_heading(title))
        rows = [(str(p.get("title") or p.get("slug")), int(p.get("sessions") or 0)) for p in top]
        posts_table = table(
            title,
            ["Post", "Category", "Visits"],
            [
                (
                    r[0],
                    CATEGORY_LABELS.get(str(p.get("category")), str(p.get("category"))),
                    _number(r[1]),
                )
                for r, p in zip(rows, top, strict=True)
            ],
        )
        out.append(_figure(bar_chart("hub-chart-top-posts", title, rows, color), posts_table))
    return str(html.render("program.html.j2", blocks=out))
