"""The hub's UI strings per post language: complete catalogs, dates as each language writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hub.site import i18n

REQUIRED = ("en", "ca", "it", "ms", "zh", "ar", "hi", "es", "de", "fr", "pt", "ja")
DAYS = yaml.safe_load((Path(__file__).parent / "data" / "i18n" / "days.yml").read_text("utf-8"))
_VALUE = re.compile(r"%\((\w+)\)s")
# Words some languages write as English does: "Blog" (ca, de, es, fr, it, ms, pt),
# "Categories" (ca), "Culture" (fr).
SAME_WORD = {"Blog", "Categories", "Culture"}


def test_every_required_language_has_a_catalog() -> None:
    assert set(REQUIRED) <= set(i18n.languages())


@pytest.mark.parametrize("language", REQUIRED[1:])
def test_a_catalog_translates_every_message_with_the_same_values(language: str) -> None:
    source, found = i18n.catalog("en"), i18n.catalog(language)
    assert sorted(found) == sorted(source), f"{language}.po: messages differ from en.po"
    for message, text in found.items():
        assert text.strip(), f"{language}.po: {message!r} empty"
        assert text != message or message in SAME_WORD, f"{language}.po: {message!r} untranslated"
        assert sorted(_VALUE.findall(text)) == sorted(_VALUE.findall(message)), (language, text)


def test_a_missing_language_or_message_falls_back_to_english() -> None:
    assert i18n.translator("xx")("Share this post") == "Share this post"
    assert i18n.translator("de")("Not in any catalog") == "Not in any catalog"
    assert i18n.translator("de-AT")("Share on %(network)s", network="Xing") == "Auf Xing teilen"


@pytest.mark.parametrize(("language", "value", "expected"), DAYS)
def test_dates_in_the_post_language(language: str, value: str, expected: str) -> None:
    assert i18n.day_label(value, language) == expected


def test_reading_the_catalogs_twice_gives_the_same_messages() -> None:
    first = {lang: dict(i18n.catalog(lang)) for lang in REQUIRED}
    i18n.catalog.cache_clear()
    assert {lang: i18n.catalog(lang) for lang in REQUIRED} == first


def test_the_site_language_names_nav_badges_categories_and_filters() -> None:
    """Listings and the nav speak the site's language (mkdocs.yml theme.language)."""
    from hub.site import generator, listing, postlist

    assert generator.site_language({"theme": {"name": "material", "language": "ca"}}) == "ca"
    assert generator.site_language({}) == "en"
    nav = generator.navigation(["recognition/index.md"], ["guidelines/index.md"], True, "ca")
    assert nav[:2] == [{"Inici": "index.md"}, {"Pautes": ["guidelines/index.md"]}]
    meta = {"title": "Una oferta", "category": "jobs", "language": "ca", "pinned": True,
            "date": "2026-11-20", "status": "approved"}
    entry = listing.Entry("una-oferta", meta, new=True)
    home = listing.Listing("", "Share-ready posts", [entry])
    page = str(postlist.listing_body(home, 1, 24, [entry], postlist.filters([entry]),
                                     lambda e: "", lambda p: p, {}, language="ca"))
    _ = i18n.translator("ca")
    for english in ("Featured", "New", "Job opening", "Filter posts", "Language", "Categories",
                    "Show these posts", "Any language"):
        assert f">{_(english)}<" in page or f"> {_(english)}<" in page, english
        assert _(english) == english or f">{english}<" not in page, english
