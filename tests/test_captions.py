"""Captions: several wordings per network, each within the network's own limit."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.posts.captions import (
    CAPTION_KEYS,
    LIMITS,
    CaptionInput,
    bluesky_short_url,
    build_captions,
    cut,
    measure,
    url_cost,
)

TITLES = {
    "en": "Acme opens a new office in Barcelona with a rooftop garden",
    "ca": "Benvinguts a l'oficina de Barcelona: jardí al terrat i taller",
    "it": "Come lavoriamo con i clienti italiani: tre lezioni dal 2026",
    "ms": "Bagaimana pasukan kami di Kuala Lumpur membina produk baharu",
    "zh": "我们在上海的新办公室正式开业，欢迎参观我们的创新实验室",
    "ar": "كيف نعمل معًا عبر القارات: دروس من فريقنا في دبي",
    "hi": "हमारी बेंगलुरु टीम ने नया उत्पाद कैसे बनाया",
}


def test_x_weighting_counts_cjk_double_and_urls_as_23():
    assert measure("x", "abc") == 3
    assert measure("x", "中文") == 4
    assert measure("x", "see https://example.com/a/very/long/path?x=1") == 4 + 23
    assert measure("x", "👍🏽") == 2  # one emoji sequence weighs 2
    assert measure("x", "é") == 1


def test_bluesky_counts_graphemes():
    assert measure("bluesky", "नमस्ते") == 3
    assert measure("bluesky", "👨‍👩‍👧") == 1


BLUESKY = yaml.safe_load(
    (Path(__file__).parent / "data" / "bluesky" / "short-urls.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(("url", "shown"), BLUESKY["to_short_url"] + BLUESKY["url_parser"])
def test_bluesky_shortens_a_link_as_social_app_to_short_url_does(url, shown):
    assert bluesky_short_url(url) == shown


@pytest.mark.parametrize(("text", "counted"), BLUESKY["shorten_links"])
def test_bluesky_counts_the_text_shorten_links_gives(text, counted):
    """social-app's composer counts shortenLinks(rt).graphemeLength (tests/data/bluesky)."""
    assert measure("bluesky", text) == len(counted)


def test_cut_ends_with_ellipsis_at_word_break():
    assert cut("one two three four", 10) == "one two…"
    assert cut("short", 10) == "short"
    assert len(cut("中文标题很长很长很长", 5)) == 5


@pytest.mark.parametrize("language", sorted(TITLES))
@pytest.mark.parametrize("is_job", [False, True])
def test_every_network_has_several_wordings_within_limits(language, is_job):
    data = CaptionInput(
        title=TITLES[language],
        summary=(TITLES[language] + " ") * 8,
        hashtags=["LifeAtAcme", "Hiring"],
        brand="Acme",
        language=language,
        is_job=is_job,
        location="Kuala Lumpur" if is_job else "",
        url_length=160,
    )
    captions = build_captions(data)
    assert set(captions) == set(CAPTION_KEYS)
    for network, wordings in captions.items():
        assert len(wordings) >= 2, (network, wordings)
        assert len(set(wordings)) == len(wordings)
        for text in wordings:
            assert measure(network, text) + url_cost(network, 160) <= LIMITS[network]
            assert "http" not in text


def test_caption_in_post_language_and_with_hashtags():
    data = CaptionInput(title="Hola", language="ca", hashtags=["Acme"], brand="Acme")
    captions = build_captions(data)
    assert any("Val la pena" in c for c in captions["x"])
    assert all("#Acme" in c for c in captions["x"])


def test_captions_are_deterministic():
    data = CaptionInput(title=TITLES["zh"], summary="摘要", language="zh", brand="Acme")
    assert build_captions(data) == build_captions(data)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=400),
    summary=st.text(max_size=600),
    tags=st.lists(st.text(alphabet="abcdefghXYZ_0123中文", min_size=1, max_size=30), max_size=8),
)
def test_any_text_fits(title, summary, tags):
    data = CaptionInput(title=title, summary=summary, hashtags=tags, brand="Acme", url_length=200)
    for network, wordings in build_captions(data).items():
        for text in wordings:
            assert measure(network, text) + url_cost(network, 200) <= LIMITS[network]


def test_job_location_is_not_repeated_when_the_title_has_it():
    data = CaptionInput(
        title="Technical Writer (hybrid, London)", location="London, GB", is_job=True, brand="Acme"
    )
    assert all("(London, GB)" not in c for c in build_captions(data)["x"])
    data = CaptionInput(title="Data Engineer", location="London, GB", is_job=True, brand="Acme")
    assert any("(London, GB)" in c for c in build_captions(data)["x"])
