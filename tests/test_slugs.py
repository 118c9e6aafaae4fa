"""Slugs: readable, stable, unique, safe on every OS."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.posts.slugs import MAX_LENGTH, post_slug

SAFE = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World! Our new office", "hello-world-our-new-office"),
        ("Benvinguts a l’oficina de Barcelona", "benvinguts-a-loficina-de-barcelona"),
        ("学习中文的好方法", "xue-xi-zhong-wen-de-hao-fang-fa"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-post"),
        ("nul", "nul-post"),
        ("Ünïcödé façade", "unicode-facade"),
    ],
)
def test_readable_slugs(title, slug):
    assert post_slug(title, "id", set()) == slug


def test_titleless_items_get_a_stable_hash_name():
    assert post_slug("🎉🎉", "guid-1", set()) == post_slug("🎉🎉", "guid-1", set())
    assert post_slug("🎉🎉", "guid-1", set()) != post_slug("🎉🎉", "guid-2", set())


def test_collisions_get_a_suffix():
    assert post_slug("Same title", "a", {"same-title"}) == "same-title-2"
    assert post_slug("Same title", "b", {"same-title", "same-title-2"}) == "same-title-3"


def test_chinese_title_stays_under_the_byte_limit():
    slug = post_slug("中" * 400, "x", set())
    assert len(slug.encode()) <= MAX_LENGTH


@given(st.text(max_size=300), st.text(min_size=1, max_size=40))
def test_any_title_gives_a_safe_name(title, key):
    slug = post_slug(title, key, set())
    assert slug and set(slug) <= SAFE
    assert len(slug.encode()) <= MAX_LENGTH
    assert not slug.startswith("-") and not slug.endswith("-")
