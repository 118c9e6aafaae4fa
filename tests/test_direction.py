"""hub.direction: one answer to "right to left?" for cards, post pages and the digest.

The cases are BCP 47 tags (RFC 5646) with CLDR's scripts for each language;
the card, the post page and the digest must agree on every one.
"""

from __future__ import annotations

import pytest

from hub import direction
from hub.cards import cardlayout
from hub.comms import digest
from hub.site import postpage

CASES = [
    ("ar", "rtl"), ("ar-EG", "rtl"), ("AR", "rtl"), ("he", "rtl"), ("he_IL", "rtl"),
    ("iw", "rtl"), ("fa-IR", "rtl"), ("ur", "rtl"), ("ps", "rtl"), ("yi", "rtl"),
    ("dv", "rtl"), ("ckb", "rtl"), ("ug", "rtl"), ("sd", "rtl"), ("syr", "rtl"),
    ("ku-Arab", "rtl"), ("az-Arab-IR", "rtl"), ("pa-Arab", "rtl"),
    ("sd-Deva", "ltr"), ("en", "ltr"), ("zh-Hant-TW", "ltr"), ("hi", "ltr"), ("ca", "ltr"),
    ("ku", "ltr"), ("az", "ltr"), ("", "ltr"),
]


@pytest.mark.parametrize(("tag", "expected"), CASES)
def test_direction_of_a_language_tag(tag: str, expected: str) -> None:
    assert direction.direction_of(tag) == expected
    assert direction.is_rtl(tag) is (expected == "rtl")


@pytest.mark.parametrize(("tag", "expected"), CASES)
def test_the_post_page_follows_it(tag: str, expected: str) -> None:
    assert postpage.direction_of(tag) == expected


def test_no_stage_keeps_a_list_of_its_own() -> None:
    for module in (cardlayout, digest, postpage):
        assert not hasattr(module, "RTL"), module.__name__


def test_hashtags_are_isolated_for_display_and_the_text_is_kept() -> None:
    """Each hashtag in a <bdi>, everything escaped; stripping the tags gives the text back."""
    import re as _re
    from html import unescape

    from hub.direction import hashtags_isolated

    text = 'جولة في دبي <b> & "x"\n\n#LifeAtAcme #دبي. (#Hiring) mail@a#b C# ##'
    shown = str(hashtags_isolated(text))
    assert shown.count("<bdi>") == 3
    assert "<bdi>#LifeAtAcme</bdi> <bdi>#دبي</bdi>. (<bdi>#Hiring</bdi>)" in shown
    assert "&lt;b&gt; &amp; &#34;x&#34;" in shown
    assert unescape(_re.sub(r"</?bdi>", "", shown)) == text
