"""The built hub in a real Chromium: search, sharing, copy, calculator, a11y, privacy.

The site is built once per session (tests/support/browser.py) from the
repo's own theme and settings and served from the sub-path /hub/ on
127.0.0.1; every page runs behind a guard that fails the test if anything
leaves 127.0.0.1. The first tests prove the harness itself on tiny pages,
so a broken guard or a silent axe cannot make the real checks pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.request import urlopen

import pytest

from tests.support.axe import blocking, describe, require_axe, run_axe
from tests.support.browser import Served, open_tab, serve

pytestmark = pytest.mark.browser


# --- the harness itself ------------------------------------------------------

PROBE_PAGES = {
    "index.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Probe</title>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        "</head><body><main><h1>Probe</h1><p>ok</p></main></body></html>"
    ),
    "bad-a11y/index.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>'
        '<body><main><h1>Bad</h1><img src="../pixel.svg"></main></body></html>'
    ),
    "pixel.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
}


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("probe")
    for name, text in PROBE_PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    with serve(root) as served:
        yield served


def test_server_serves_only_below_the_sub_path(probe: Served) -> None:
    with urlopen(probe.url("")) as response:
        assert b"<h1>Probe</h1>" in response.read()
    with pytest.raises(OSError, match="404"):
        urlopen(probe.origin + "/index.html")


def test_guard_blocks_and_reports_a_third_party_request(browser: Any, probe: Served) -> None:
    with open_tab(browser, probe) as tab:
        tab.goto("")
        assert any("fonts.googleapis.com" in url for url in tab.guard.foreign)
        with pytest.raises(AssertionError, match=r"fonts\.googleapis\.com"):
            tab.check_clean()


def test_axe_reports_an_image_without_alt(browser: Any, probe: Served) -> None:
    require_axe()
    with open_tab(browser, probe) as tab:
        tab.goto("bad-a11y/")
        found = blocking(run_axe(tab.page))
        assert [v["id"] for v in found] == ["image-alt"], describe(found)
        assert "img" in describe(found, "bad-a11y")
