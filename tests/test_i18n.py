"""The hub's own words and dates in the page's language (hub/site/i18n.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from hub.direction import direction_of
from hub.site import i18n

DATES = yaml.safe_load((Path(__file__).parent / "data" / "i18n" / "dates.yml").read_text("utf-8"))
REQUIRED = ["en", "ca", "it", "ms", "zh", "ar", "hi", "es", "de", "fr", "pt", "ja"]


def english_ids() -> list[str]:
    """The English catalog's msgids (its msgstrs are empty: English is the source)."""
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "hub.po").open("rb") as handle:
        return sorted(str(m.id) for m in read_po(handle) if m.id)


def test_every_required_language_has_a_catalog():
    assert set(REQUIRED) <= set(i18n.languages())


@pytest.mark.parametrize("language", [lang for lang in REQUIRED if lang != "en"])
def test_each_catalog_translates_every_word(language):
    words = i18n.catalog(language)
    assert sorted(words) == english_ids()
    assert all(text.strip() and text != "" for text in words.values())
    # The card sizes are facts, not words: every translation keeps them.
    assert "1200 × 630" in words["Download card (1200 × 630)"]
    assert "1080 × 1080" in words["Download square card (1080 × 1080)"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh", "分享这篇文章"), ("zh-Hant-TW", "分享这篇文章"), ("ar", "شارك هذا المنشور"),
     ("ca", "Comparteix aquesta publicació"), ("en", "Share this post"), ("xx", "Share this post")],
)  # fmt: skip
def test_words_follow_the_language_and_fall_back_to_english(language, expected):
    assert i18n.gettext(language, "Share this post") == expected


def test_an_unknown_word_stays_as_written():
    assert i18n.gettext("de", "No such message") == "No such message"


@pytest.mark.parametrize(("language", "expected"), sorted(DATES.items()))
def test_dates_follow_cldr(language, expected):
    assert i18n.date_text(dt.date(2026, 12, 1), language) == expected


def test_an_unknown_language_gets_english_dates():
    assert i18n.date_text(dt.date(2026, 12, 1), "xx-YY") == DATES["en"]


@pytest.mark.parametrize(("language", "direction"),
                         [("ar", "rtl"), ("ar-EG", "rtl"), ("he", "rtl"), ("zh", "ltr"),
                          ("ca", "ltr"), ("hi", "ltr")])  # fmt: skip
def test_direction_uses_the_projects_rtl_list(language, direction):
    assert direction_of(language) == direction


def test_isolate_keeps_mixed_direction_text_in_order():
    assert i18n.isolate("#LifeAtAcme") == "\u2068#LifeAtAcme\u2069"
