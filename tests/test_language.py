"""Each item's language: the labelled set, the rules, and a multilingual blog over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import FeedConfig, HttpConfig
from hub.feeds import language
from hub.feeds.fetch import fetch
from hub.feeds.sources import read_feed
from tests.support.feedserver import FeedServer

LABELLED = Path(__file__).parent / "data" / "language" / "labelled.tsv"
ROWS = [
    tuple(line.split("\t", 1))
    for line in LABELLED.read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]
KNOWN = language.catalogs()


def test_the_labelled_set_is_big_and_varied_enough() -> None:
    assert len(ROWS) >= 200 and len({lang for lang, _ in ROWS}) >= 10


def test_detection_accuracy_on_the_labelled_set() -> None:
    right = sum(1 for lang, text in ROWS if language.detect(text)[0] == lang)
    assert right / len(ROWS) >= 0.95, f"{right}/{len(ROWS)}"


def test_the_hub_rule_on_the_labelled_set() -> None:
    """Right where the label has a caption catalog; the fallback (None) everywhere else."""
    chosen = [(lang, language.choose(text, None, None, False, KNOWN)) for lang, text in ROWS]
    with_catalog = [(lang, got) for lang, got in chosen if lang in KNOWN]
    right = sum(1 for lang, got in with_catalog if got == lang)
    assert len(with_catalog) >= 80 and right / len(with_catalog) >= 0.9, (
        f"{right}/{len(with_catalog)}")
    # A language without a caption catalog never comes out of detection.
    assert all(got is None or got in KNOWN for _, got in chosen), chosen
    without = [got for lang, got in chosen if lang not in KNOWN]
    assert sum(1 for got in without if got is None) / len(without) >= 0.9


def test_a_detected_language_without_a_catalog_falls_back_to_the_default() -> None:
    text = "Procuramos uma pessoa para liderar a equipa de produto em Lisboa"
    assert language.detect(text)[0] == "pt" and "pt" not in KNOWN
    assert language.choose(text, None, None, False, KNOWN) is None  # the hub's default
    assert language.choose(text, "es", None, False, KNOWN) == "es"  # the channel's
    assert language.choose(text, None, "pt", False, KNOWN) == "pt"  # hub.yml still forces
    assert language.choose(text, "pt", None, True, KNOWN) == "pt"  # so does the item's own


def test_a_forced_language_without_a_catalog_gets_neutral_captions_not_english() -> None:
    from hub.posts.captions import CaptionInput, build_captions

    text = "Procuramos uma pessoa para liderar a equipa de produto em Lisboa"
    captions = build_captions(CaptionInput(title=text, summary="", hashtags=(), brand="Acme",
                                           language="pt", is_job=True, location="Lisboa",
                                           url_length=60))  # fmt: skip
    assert not any("hiring" in c.lower() for cs in captions.values() for c in cs)


def test_detection_is_deterministic() -> None:
    assert [language.detect(t) for _, t in ROWS] == [language.detect(t) for _, t in ROWS]


CATALAN = "Acme llança l'assistent de magatzem en català. L'assistent entén les comandes de veu."


@pytest.mark.parametrize(
    ("text", "declared", "forced", "own", "expected"),
    [
        (CATALAN, None, "en", False, "en"),  # hub.yml's language: forces it
        (CATALAN, "en", None, True, "en"),  # the item's own declaration is kept
        (CATALAN, "en", None, False, "ca"),  # the channel's: clear disagreement wins
        ("Nou producte", "en", None, False, "en"),  # too short to overrule the channel
        ("Acme news for the team in Lisbon this week", "en", None, False, "en"),
        # Portuguese has no caption catalog: the channel's language, else the default.
        ("Procuramos uma pessoa para liderar a equipa de produto", "es", None, False, "es"),
        ("Procuramos uma pessoa para liderar a equipa de produto", None, None, False, None),
        ("Nuevo producto para el equipo de ventas en Madrid", None, None, False, "es"),
        ("Olá equipa", None, None, False, None),
        ("高级前端工程师。负责公司招聘网站的前端开发", None, None, False, "zh"),
        ("", None, None, False, None),
    ],
)
def test_the_rules(text: str, declared: str | None, forced: str | None, own: bool,
                   expected: str | None) -> None:  # fmt: skip
    assert language.choose(text, declared, forced, own, KNOWN) == expected


BLOG = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Acme</title><link>https://www.acme.example/</link>
<language>en</language>
<item><guid>1</guid><title>Checkout works with a keyboard</title>
<link>https://www.acme.example/1</link>
<description>Checkout now works with a keyboard and screen readers.</description></item>
<item><guid>2</guid><title>Acme llança l'assistent de magatzem en català</title>
<link>https://www.acme.example/2</link>
<description>L'assistent entén les comandes de veu en català i respon als treballadors.
</description></item>
<item><guid>3</guid><title>Nueva oficina en Valencia para el equipo de producto</title>
<link>https://www.acme.example/3</link>
<description>Abrimos una oficina nueva en el centro de la ciudad para veinte personas.
</description></item>
<item><guid>4</guid><title>Olá</title><link>https://www.acme.example/4</link></item>
</channel></rss>"""


def test_a_blog_declaring_one_language_for_posts_in_several(feed_server: FeedServer) -> None:
    url = feed_server.add("/multilingual-blog.xml", BLOG)
    data = fetch(url, http=HttpConfig(retries=0), base_dir=LABELLED.parent).content
    items = read_feed(data, FeedConfig(name="blog", url=url), source=url).items
    assert [i.language for i in items] == ["en", "ca", "es", "en"]
    forced = read_feed(data, FeedConfig(name="blog", url=url, language="en"), source=url).items
    assert {i.language for i in forced} == {"en"}
