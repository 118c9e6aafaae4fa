"""One advocate-code rule: every code in the sample advocates.yml can be typed into
the form, the built page carries the rule hub.js reads, and no other copy exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hub.config import SiteConfig
from hub.posts import advocate
from hub.site import i18n
from hub.site.postpage import share_panel

ROOT = Path(__file__).resolve().parent.parent


def test_every_sample_code_is_valid_in_form_check_and_analytics() -> None:
    codes = yaml.safe_load((ROOT / "content/_data/advocates.yml").read_text(encoding="utf-8"))
    assert "jordi.vidal" in codes
    form = re.compile(f"^(?:{advocate.PATTERN})$")  # how a browser applies pattern=
    for code in codes:
        assert advocate.valid(code) and form.match(code), code
    assert not advocate.valid("x" * (advocate.MAX_LENGTH + 1))
    assert not advocate.valid("bad code!")


def test_the_page_carries_the_rule_and_hub_js_has_no_copy() -> None:
    meta = {"title": "Hello", "canonical_url": "https://www.acme.example/a", "captions": {}}
    html = share_panel(meta, SiteConfig(), "hello")
    assert f'pattern="{advocate.PATTERN}"' in html
    assert f'maxlength="{advocate.MAX_LENGTH}"' in html
    script = (ROOT / "theme/assets/hub/hub.js").read_text(encoding="utf-8")
    assert "A-Za-z0-9._" not in script and "{1,40}" not in script
    assert 'getAttribute("pattern")' in script


def test_caption_room_is_the_longest_code_in_the_link() -> None:
    assert len("&utm_content=") + advocate.MAX_LENGTH == advocate.LINK_ROOM


@pytest.mark.parametrize("language", i18n.languages())
def test_the_help_sentence_names_the_rule_in_every_language(language: str) -> None:
    """The form's help says what the rule allows: its length and every symbol, the dot too."""
    meta = {"title": "Hello", "canonical_url": "https://www.acme.example/a", "captions": {},
            "language": language}
    html = share_panel(meta, SiteConfig(), "hello")
    help_text = re.search(r'<span id="hub-advocate-help"[^>]*>([^<]*)</span>', html)
    assert help_text, language
    symbols = set(re.sub(r"A-Za-z0-9|\\", "", advocate.ALPHABET))
    assert symbols == {".", "_", "-"}
    for symbol in sorted(symbols):
        assert f"({symbol})" in help_text.group(1), (language, symbol)
    assert str(advocate.MAX_LENGTH) in help_text.group(1), language
