"""The hub's UI strings per post language: complete catalogs, dates as each language writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hub.config import HubConfig
from hub.site import i18n, pages

REQUIRED = ("en", "ca", "it", "ms", "zh", "ar", "hi", "es", "de", "fr", "pt", "ja")
DAYS = yaml.safe_load((Path(__file__).parent / "data" / "i18n" / "days.yml").read_text("utf-8"))
_VALUE = re.compile(r"%\((\w+)\)s")
# Words some languages write as English does: "Blog" (ca, de, es, fr, it, ms, pt),
# "Categories" (ca), "Culture" (fr), "Page %(number)s" and "%(title)s (page %(number)s)" (fr),
# "Accent" and "Text" (ca), "Logo" (de, fr, it, ms), "Hashtags", "Name" and "Team" (de),
# "Post" (it), and a chart's "%(label)s: %(value)s" (all but fr, ja, zh).
SAME_WORD = {"Blog", "Categories", "Culture", "Page %(number)s", "%(title)s (page %(number)s)",
             "Accent", "Text", "Logo", "Hashtags", "Name", "Team", "Post", "%(label)s: %(value)s"}


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


@pytest.mark.parametrize("language", REQUIRED[1:])
def test_a_catalog_has_every_plural_form_its_language_needs(language: str) -> None:
    """As many forms as the catalog's Plural-Forms says (Arabic six, Japanese one), each with
    the message's values, not English's forms."""
    source, found = i18n.plurals("en"), i18n.plurals(language)
    assert sorted(found) == sorted(source), f"{language}.po: plural messages differ from en.po"
    forms = {"ar": 6, "ca": 3, "es": 3, "fr": 3, "it": 3, "pt": 3, "de": 2, "hi": 2,
             "ja": 1, "ms": 1, "zh": 1}[language]
    for message, texts in found.items():
        assert len(texts) == forms, (language, message)
        assert texts != source[message], f"{language}.po: {message!r} untranslated"
        for text in texts:
            assert sorted(_VALUE.findall(text)) == sorted(_VALUE.findall(source[message][1]))


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("en", 1, "1 post"), ("en", 0, "0 posts"), ("de", 1, "1 Beitrag"), ("de", 3, "3 Beiträge"),
    ("fr", 0, "0 publication"), ("fr", 2, "2 publications"), ("ja", 5, "5 件の投稿"),
    ("ar", 2, "2 منشوران"), ("ar", 5, "5 منشورات"), ("ar", 11, "11 منشورًا"),
    ("ar", 100, "100 منشور"),
    ("xx", 2, "2 posts"),
])
def test_a_count_takes_the_form_its_language_uses(language: str, count: int, expected: str) -> None:
    ngettext = i18n.plural_translator(language)
    assert ngettext("%(count)s post", "%(count)s posts", count, count=count) == expected


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
    other = listing.Entry("una-altra", {**meta, "title": "عرض", "language": "ar"})
    home = listing.Listing("", "Share-ready posts", [entry, other])
    page = str(postlist.listing_body(home, 1, 1, [entry, other], postlist.filters([entry]),
                                     lambda e: "<a>X</a>", lambda p: p, {}, search="search/",
                                     language="ca"))
    _ = i18n.translator("ca")
    for english in ("Featured", "New", "Job opening", "Filter posts", "Language", "Categories",
                    "Show these posts", "Any language", "Search posts", "Search", "Share:",
                    "All networks and captions", "Older posts"):
        assert f">{_(english)}<" in page or f"> {_(english)}<" in page, english
        assert _(english) == english or f">{english}<" not in page, english
    assert ">2 publicacions, pàgina 1 de 2<" in page
    assert 'aria-label="Pàgines"' in page and ">Pàgina 2<" in page
    assert '<span class="hub-sr"> per a <span lang="ca">Una oferta</span></span>' in page


@pytest.mark.parametrize(("kind", "value", "number", "expected"), [
    ("category", "jobs", 1, "Publicacions: Oferta de feina"),
    ("language", "ja", 2, "Publicacions en 日本語 (pàgina 2)"),
    ("tag", "ai", 1, "Publicacions amb l'etiqueta #ai"),
    ("all", "", 3, "Publicacions a punt per compartir (pàgina 3)"),
])
def test_filter_page_titles_in_the_site_language(kind: str, value: str, number: int,
                                                 expected: str) -> None:
    from hub.site import listing, postlist

    item = listing.Listing("x/", "Share-ready posts", [], kind=kind, value=value)
    assert postlist.listing_title(item, number, i18n.translator("ca")) == expected


def test_the_search_page_speaks_the_site_language() -> None:
    """The label and Pagefind's placeholder (hub.js reads data-placeholder) from the catalog."""
    ctx = pages.Context(config=HubConfig(), root=Path("."), rel=lambda p: p, language="ja")
    page = str(pages.search(ctx))
    assert '>投稿・ガイドライン・人を検索</label>' in page
    assert 'data-placeholder="投稿・ガイドライン・人を検索"' in page
    assert "Search" not in page


def _page_context(language: str) -> pages.Context:
    return pages.Context(config=HubConfig(), root=Path(__file__).resolve().parent.parent,
                         rel=lambda p: p, language=language, logo_url="logo.png")


@pytest.mark.parametrize(("language", "words", "figures"), [
    ("ja", ["シェアする社員数", ">計算する</button>", 'data-none="該当なし"', 'data-lang="ja"',
            "全員が投稿をシェアすると <output"], ["33,800", "+1,590%"]),
    ("de", ["Mitarbeitende, die teilen", ">Berechnen</button>", 'data-none="k. A."'],
     ["33.800", "2.000", "+1.590\xa0%"]),
    ("fr", ["Employés qui partagent", ">Calculer</button>"], ["33\u202f800", "+1\u202f590\xa0%"]),
])
def test_the_calculator_speaks_and_counts_in_the_site_language(
    language: str, words: list[str], figures: list[str]
) -> None:
    """Labels from the catalog, the figures as Babel writes them, the <output>s kept."""
    page = str(pages.reach_calculator(_page_context(language)))
    for text in [*words, *(f">{figure}</" for figure in figures)]:
        assert text in page, (language, text)
    assert '<output id="calc-increase"' in page
    for english in ("Employees who share", "Calculate", "people can see"):
        assert english not in page


def test_a_change_in_percent_is_signed_except_zero_and_n_a_is_translated() -> None:
    """As the calculator's script writes them (Intl signDisplay "exceptZero", Math.round)."""
    assert i18n.signed_percent_label(0.4, "de") == "0\xa0%"
    assert i18n.signed_percent_label(0.5, "en") == "+1%"
    assert i18n.signed_percent_label(-50, "es") == "-50\xa0%"
    assert i18n.html_translator("es")("n/a") == "n/d"


@pytest.mark.parametrize(("language", "words", "english"), [
    ("ar", ["سفير الشهر: 2026-11", ">أبرز المساهمين</h2>", ">الاسم</th>", ">النقرات</th>",
            "<strong>陈静</strong>، من Sara Lindqvist", "20 نوفمبر 2026", "<td>1,310</td>"],
     ["Advocate of the month", "Top contributors", ">Name<", ", from ", "Campaign leaderboard"]),
    ("ca", ["Ambaixador del mes: 2026-11", ">Felicitacions</h2>",
            "Classificació de la campanya: Wellness Week 2026", "20 de novembre del 2026",
            "<td>1.310</td>"],
     ["Kudos", ">Team<", ">Shares<"]),
])
def test_the_wall_speaks_the_site_language(language: str, words: list[str],
                                            english: list[str]) -> None:
    """The repository's own recognition.yml under the site's words, its names and dates kept."""
    page = str(pages.recognition_wall(_page_context(language)))
    for text in words:
        assert text in page, (language, text)
    for text in english:
        assert text not in page, (language, text)


def test_the_brand_page_and_suggest_speak_the_site_language() -> None:
    brand = str(pages.brand_settings(_page_context("fr")))
    for text in (">Couleurs</h2>", "<strong>Principale</strong>", "Sur blanc 10,0:1 (AAA)",
                 "insuffisant : décoration seulement", 'alt="Logo de Acme"',
                 ">Télécharger le logo</a>", "Texte de la carte <code>#FFFFFF</code>",
                 ">Aucun mot-clic n&#39;est encore défini.<"):
        assert text in brand, text
    assert "On white" not in brand and "Download" not in brand
    suggest = str(pages.suggest(_page_context("hi")))
    assert "सुझाव अभी सेट नहीं हैं" in suggest and "<code>site.suggest</code>" in suggest


def test_markup_values_stay_markup_and_text_values_are_escaped() -> None:
    from markupsafe import Markup

    _ = i18n.html_translator("en")
    said = _("%(to)s, from %(sender)s", to=Markup("<strong>A</strong>"), sender="<b>B</b>")
    assert said == "<strong>A</strong>, from &lt;b&gt;B&lt;/b&gt;"


@pytest.mark.parametrize(("networks", "language", "expected"), [
    (None, "en", "(Facebook and LinkedIn on phones)"),
    (["linkedin", "facebook", "xing"], "en", "(Facebook, Xing, and LinkedIn on phones)"),
    (None, "de", "(Facebook und LinkedIn auf dem Handy)"),
    (["x", "facebook"], "zh", "（Facebook）"),
    (["x", "email"], "ca", None),
])
def test_the_share_hint_names_only_the_networks_that_drop_text_here(
    networks: list[str] | None, language: str, expected: str | None,
) -> None:
    """Xing is off by default, so the hint names it only where the hub offers it."""
    from hub.config import SiteConfig
    from hub.site import postpage

    site = SiteConfig() if networks is None else SiteConfig(networks=networks)
    meta = {"title": "T", "language": language, "canonical_url": "https://acme.example/t"}
    hint = str(postpage.share_panel(meta, site, "t")).split('class="hub-share__hint">')[1]
    hint = hint.split("</p>")[0]
    if expected is None:
        assert "%(" not in hint and "Facebook" not in hint and hint.strip()
    else:
        assert expected in hint, hint
    assert ("Xing" in hint) == bool(networks and "xing" in networks)


def _program(tmp_path: Path, language: str, analytics: dict[str, object]) -> str:
    """The program page's placeholder as the site renders it, on `analytics` as imported."""
    data = tmp_path / "content" / "_data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "analytics.yml").write_text(yaml.safe_dump(analytics), "utf-8")
    return str(pages.program(pages.Context(config=HubConfig(), root=tmp_path, rel=lambda p: p,
                                           language=language)))


IMPORT = yaml.safe_load((Path(__file__).parent / "data" / "analytics" / "ga4.expected.yml")
                        .read_text("utf-8"))


@pytest.mark.parametrize(("language", "words"), [
    ("ar", ["جاءت <strong>1,225 زيارةً</strong>", "<strong>4 سفراء</strong>",
            '<h2 id="visits-by-network">الزيارات حسب الشبكة</h2>', "<summary>الأرقام</summary>",
            ">المنشور</th>", "<td>الأسبوع 45 من 2026</td>", "بين 2 نوفمبر 2026 و1 ديسمبر 2026"]),
    ("ja", ["<strong>1,225 件の訪問</strong>", '<h2 id="top-posts">訪問数の多い投稿</h2>',
            "LinkedIn：1,150", ">第45週</text>", "2026年11月2日から2026年12月1日まで"]),
    ("de", ["<strong>1.225 Besuche</strong> kamen", "<strong>4 Botschafter:innen</strong>",
            '<h2 id="visits-by-week">Besuche nach Woche</h2>', "<td>KW\xa045/2026</td>",
            "<td>Stellenangebot</td>", "<td>1.150</td>"]),
])
def test_the_program_page_speaks_and_counts_in_the_site_language(
    tmp_path: Path, language: str, words: list[str]
) -> None:
    """Headings under their fixed anchors, tables, chart words, the totals sentence with its
    plural forms, numbers and days as Babel writes them; no English left of the hub's."""
    page = _program(tmp_path, language, IMPORT)
    for text in words:
        assert text in page, (language, text)
    for english in ("Visits", " visits", "advocates", "Numbers", "Top posts", ">Week",
                    "not named", "2026-W45"):
        assert english not in page, (language, english)


@pytest.mark.parametrize(("language", "count", "expected"), [
    ("en", 1, "<strong>1 visit</strong> came from links employees shared, from"
              " <strong>1 advocate</strong>."),
    ("ca", 1, "<strong>1 visita</strong> va arribar des d&#39;enllaços compartits pels empleats,"
              " gràcies a <strong>1 ambaixador</strong>."),
    ("fr", 0, "<strong>0 visite</strong> est venue"),
    ("ar", 2, "جاءت <strong>2 زيارتان</strong> من روابط شاركها الموظفون، من"
              " <strong>2 سفيران</strong>."),
])
def test_the_program_totals_take_the_form_their_count_uses(
    tmp_path: Path, language: str, count: int, expected: str
) -> None:
    """Without a period the sentence names none; one visit reads as one, in any language."""
    page = _program(tmp_path, language, {"totals": {"sessions": count, "advocates": count}})
    assert f"<p>{expected}" in page, page


def test_the_program_fallback_line_is_in_the_site_language() -> None:
    """The line shown where hub.site.program cannot be imported."""
    template = pages.html.render("program-missing.html.j2", _=i18n.html_translator("es"))
    assert "Los gráficos del programa aparecerán aquí" in template


@pytest.mark.parametrize(("language", "short", "expected"), [
    ("en", True, "W5"), ("en", False, "Week 5, 2026"), ("de", True, "KW\xa05"),
    ("zh", False, "2026年第5周"), ("ca", False, "Setmana 5 del 2026"),
])
def test_an_iso_week_is_named_as_the_language_names_weeks(
    language: str, short: bool, expected: str
) -> None:
    from hub.site import program

    assert program._week("2026-W05", language, short=short) == expected
    assert program._week("week five", language, short=short) == "week five"
