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
from html import escape
from pathlib import Path
from typing import Any

import yaml

from hub import text as texts
from hub import config
from hub.config import HubConfig
from hub.posts.share import LABELS

DATA = Path("content") / "_data" / "analytics.yml"
BAR_HEIGHT = 22
GAP = 8
WIDTH = 640
LABEL_WIDTH = 200
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


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _number(value: int) -> str:
    return f"{value:,}"


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]], color: str) -> str:
    """Horizontal bars, one per row, labelled with their value (no colour needed to read it)."""
    top = max((v for _, v in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hub-chart" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width:{WIDTH}px;font:14px sans-serif">',
        f'<title id="{chart_id}-t">{_e(title)}</title>',
        f'<desc id="{chart_id}-d">'
        + _e("; ".join(f"{label}: {_number(v)}" for label, v in rows))
        + "</desc>",
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * value / top) if value else 0
        middle = y + BAR_HEIGHT / 2
        shown = texts.cut(label, 28)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" dy="0.35em" text-anchor="end" '
            f'fill="currentColor">{_e(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1)}" height="{BAR_HEIGHT}" '
            f'fill="{_e(color)}"/>'
            f'<text x="{LABEL_WIDTH + max(length, 1) + 6}" y="{middle}" dy="0.35em" '
            f'fill="currentColor">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]], color: str) -> str:
    """Vertical columns for a time series (weeks), oldest on the left."""
    top = max((v for _, v in rows), default=0) or 1
    height, base, label_room = 220, 180, 40
    step = (WIDTH - 20) / max(len(rows), 1)
    width = max(step * 0.7, 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hub-chart" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height + label_room - 20}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width:{WIDTH}px;font:12px sans-serif">',
        f'<title id="{chart_id}-t">{_e(title)}</title>',
        f'<desc id="{chart_id}-d">'
        + _e("; ".join(f"{label}: {_number(v)}" for label, v in rows))
        + "</desc>",
        f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="currentColor"/>',
    ]
    every = max(1, len(rows) // 8)
    for index, (label, value) in enumerate(rows):
        x = 10 + index * step + (step - width) / 2
        bar = round((base - 20) * value / top)
        parts.append(
            f'<rect x="{x:.1f}" y="{base - bar}" width="{width:.1f}" height="{bar}" '
            f'fill="{_e(color)}"/>'
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{base + 16}" text-anchor="middle" '
                f'fill="currentColor">{_e(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="hub-table"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _figure(chart: str, data_table: str) -> str:
    # One line per block, no blank lines: Markdown passes raw HTML blocks through untouched.
    numbers = f"<details><summary>Numbers</summary>{data_table}</details>"
    return f'<figure class="hub-figure">{chart}{numbers}</figure>'


def _rows(
    items: Sequence[Mapping[str, Any]], key: str, labels: Mapping[str, str]
) -> list[tuple[str, int]]:
    out = []
    for item in items:
        name = str(item.get(key) or "")
        out.append((labels.get(name, name), int(item.get("sessions") or 0)))
    return out


def _heading(title: str) -> str:
    anchor = title.lower().replace(" ", "-")
    return f'<h2 id="{_e(anchor)}">{_e(title)}</h2>'


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
    out = []
    visits = _number(int(totals.get("sessions") or 0))
    sentence = f"<p><strong>{visits} visits</strong> came from links employees shared"
    if period.get("start") and period.get("end"):
        sentence += f" between {_e(period['start'])} and {_e(period['end'])}"
    advocates = int(totals.get("advocates") or 0)
    sentence += f", from <strong>{_number(advocates)} advocates</strong>"
    anonymous = int(totals.get("anonymous_advocates") or 0)
    if anonymous:
        sentence += f" ({_number(anonymous)} not named on the hub)"
    out.append(sentence + ".</p>")
    sections = [
        ("by_network", "network", LABELS, "Visits by network", "Network"),
        ("by_category", "category", CATEGORY_LABELS, "Visits by kind of content", "Category"),
    ]
    for key, field, labels, title, header in sections:
        rows = _rows(data.get(key) or [], field, labels)
        if rows:
            chart_id = f"hub-chart-{key.replace('_', '-')}"
            out.append(_heading(title))
            out.append(
                _figure(
                    bar_chart(chart_id, title, rows, color),
                    table(title, [header, "Visits"], [(n, _number(v)) for n, v in rows]),
                )
            )
    weeks = [(str(w.get("week")), int(w.get("sessions") or 0)) for w in data.get("by_week") or []]
    if weeks:
        title = "Visits by week"
        out.append(_heading(title))
        rows = [(w[-3:], v) for w, v in weeks]
        out.append(
            _figure(
                column_chart("hub-chart-by-week", title, rows, color),
                table(title, ["Week", "Visits"], [(w, _number(v)) for w, v in weeks]),
            )
        )
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
    return "\n\n".join(out) + "\n"
