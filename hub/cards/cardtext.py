"""What a post's social card says, in words.

One pure function decides the card's text, so the image the cards stage draws
and the alt text the sync writes into the post always say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.config import BrandConfig
from hub.posts import events

# The line above the title, per category and language. Languages not listed
# fall back to English; comms override a category's label in hub.yml
# (brand.layouts.<category>.label).
KICKERS: dict[str, dict[str, str]] = {
    "en": {
        "blog": "From the blog",
        "product": "Product news",
        "case-study": "Case study",
        "event": "Event",
        "jobs": "We're hiring",
        "culture": "Life at {brand}",
        "thought-leadership": "Insight",
        "internal": "Announcement",
    },
    "ca": {
        "blog": "Del blog",
        "jobs": "Busquem talent",
        "event": "Esdeveniment",
        "product": "Novetats",
        "culture": "La vida a {brand}",
    },
    "es": {
        "blog": "Del blog",
        "jobs": "Estamos contratando",
        "event": "Evento",
        "product": "Novedades",
        "culture": "La vida en {brand}",
    },
    "it": {
        "blog": "Dal blog",
        "jobs": "Stiamo assumendo",
        "event": "Evento",
        "product": "Novità",
        "culture": "La vita in {brand}",
    },
    "ms": {
        "blog": "Dari blog",
        "jobs": "Kami sedang mengambil pekerja",
        "event": "Acara",
        "product": "Berita produk",
    },
    "zh": {"blog": "博客文章", "jobs": "诚聘英才", "event": "活动", "product": "产品新闻"},
    "ja": {"blog": "ブログ", "jobs": "採用情報", "event": "イベント", "product": "製品ニュース"},
    "ar": {"blog": "من المدونة", "jobs": "نحن نوظف", "event": "فعالية", "product": "أخبار المنتج"},
    "hi": {
        "blog": "ब्लॉग से",
        "jobs": "हम भर्ती कर रहे हैं",
        "event": "कार्यक्रम",
        "product": "उत्पाद समाचार",
    },
    "fr": {
        "blog": "Du blog",
        "jobs": "Nous recrutons",
        "event": "Événement",
        "product": "Nouveautés",
    },
    "de": {
        "blog": "Aus dem Blog",
        "jobs": "Wir stellen ein",
        "event": "Veranstaltung",
        "product": "Produktneuheiten",
    },
}

DEFAULT_SHOW: dict[str, tuple[str, ...]] = {
    "jobs": ("location", "job_type"),
    "event": ("date",),
    "blog": ("author",),
    "thought-leadership": ("author",),
    "case-study": ("author",),
}


@dataclass(frozen=True)
class CardText:
    kicker: str
    title: str
    details: str
    brand: str

    def alt(self) -> str:
        parts = [f"{self.brand} card", self.kicker, self.title]
        if self.details:
            parts.append(self.details)
        return ": ".join(parts[:2]) + ". " + ". ".join(parts[2:]).rstrip(".") + "."


def _lang(meta: Mapping[str, Any]) -> str:
    return str(meta.get("language") or "en").split("-")[0].lower()


def card_text(meta: Mapping[str, Any], brand: BrandConfig) -> CardText:
    category = str(meta.get("category") or "blog")
    layout = brand.layouts.get(category)  # type: ignore[call-overload]
    if layout and layout.label:
        kicker = layout.label
    else:
        table = KICKERS.get(_lang(meta), {})
        kicker = table.get(category) or KICKERS["en"].get(category, category.title())
    kicker = kicker.replace("{brand}", brand.name)
    show = tuple(layout.show) if layout and layout.show else DEFAULT_SHOW.get(category, ())
    details = []
    for field in show:
        value = meta.get(field)
        if field == "date" and meta.get("event"):
            value = events.when_text(meta.get("event"))  # the event's days, not the post's
        elif field == "date" and value:
            value = str(value)[:10]
        if field == "category":
            value = category
        if value:
            details.append(str(value))
    title = " ".join(str(meta.get("title") or "").split())
    return CardText(kicker=kicker, title=title, details=" · ".join(details), brand=brand.name)
