"""The built hub in a real Chromium: search, sharing, copy, calculator, a11y, privacy.

The site is built once per session (tests/support/browser.py) from the
repo's own theme and settings and served from the sub-path /hub/ on
127.0.0.1; every page runs behind a guard that fails the test if anything
leaves 127.0.0.1. The first tests prove the harness itself on tiny pages,
so a broken guard or a silent axe cannot make the real checks pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from urllib.request import urlopen

import pytest
import yaml

from hub.config import load_config
from hub.posts import advocate
from hub.site import generator, i18n, pages
from tests.support.axe import blocking, describe, require_axe, run_axe
from tests.support.browser import KNOWN_POSTS, REPO, Served, Tab, open_tab, serve

# Fixtures of the Zensical smoke subset (conftest.py holds the MkDocs ones).
from tests.support.browser import zensical_server as zensical_server
from tests.support.browser import zensical_site as zensical_site
from tests.support.browser import zensical_tab as zensical_tab

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


# --- the hub -----------------------------------------------------------------

LATIN = "browser-test-latin"
CHINESE = "browser-test-chinese"
EXPIRED = "browser-test-expired-job"
EVENT = "browser-test-event"
ADVOCATE = "jdoe-42"
MEDIUM = load_config(REPO / "hub.yml").site.utm_medium if (REPO / "hub.yml").is_file() else ""
CHINESE_CAMPAIGN = KNOWN_POSTS[CHINESE]["campaign"]


def page_path(site: Path, slug: str) -> str:
    """The URL path (below the sub-path) of a post's page, found in the built site."""
    found = sorted(p for p in site.rglob(f"{slug}/index.html"))
    assert found, f"no page for post {slug!r} in {site}"
    return found[0].parent.relative_to(site).as_posix() + "/"


def site_page(site: Path, marker: str) -> str:
    """The first non-post page whose HTML holds `marker` (sorted, so stable)."""
    for html in sorted(site.rglob("index.html")):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("posts/", "assets/")):
            continue
        if marker in html.read_text(encoding="utf-8"):
            return html.parent.relative_to(site).as_posix() + "/" if rel != "index.html" else ""
    raise AssertionError(f"no page in {site} contains {marker!r}")


def utm(url: str) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(urlsplit(url).query) if k.startswith("utm_")}


def expected_utm(network: str, campaign: str, content: str | None = None) -> dict[str, str]:
    out = {"utm_source": network, "utm_medium": MEDIUM, "utm_campaign": campaign}
    if content:
        out["utm_content"] = content
    return out


@dataclass(frozen=True)
class Decoded:
    """What a share link will put in front of the employee: caption and shared URL."""

    caption: str | None
    url: str
    subject: str | None = None
    host: str = ""


def _split_text(text: str) -> tuple[str, str]:
    """`caption<whitespace>url` -> (caption, url); the URL is the last token."""
    caption, _, url = text.rpartition("http")
    assert not caption or caption[-1].isspace(), f"no space between caption and URL: {text!r}"
    return caption.rstrip(), "http" + url


def _mailto_fields(query: str) -> dict[str, str]:
    """RFC 6068 fields: percent-decoding only ('+' is a plus sign, not a space)."""
    pairs = (field.partition("=") for field in query.split("&") if field)
    return {unquote(k): unquote(v) for k, _, v in pairs}


def decode_share(network: str, href: str) -> Decoded:
    """Decode one network's share URL by the format that network documents."""
    parts = urlsplit(href)
    if network == "email":
        assert parts.scheme == "mailto", href
        assert parts.path == "", f"email share must not pick a recipient: {href}"
        query = _mailto_fields(parts.query)
        caption, url = _split_text(query["body"])
        return Decoded(caption, url, subject=query.get("subject"))
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    host, path = parts.hostname or "", parts.path
    shapes = {
        "linkedin": ("www.linkedin.com", "/feed/"),
        "x": ("x.com", "/intent/tweet"),
        "facebook": ("www.facebook.com", "/sharer/sharer.php"),
        "bluesky": ("bsky.app", "/intent/compose"),
        "threads": ("www.threads.com", "/intent/post"),
        "whatsapp": ("wa.me", "/"),
        "xing": ("www.xing.com", "/spi/shares/new"),
    }
    if network == "mastodon":
        assert path == "/share" and parts.scheme == "https", href
    else:
        assert (host, path) == shapes[network], f"{network}: unexpected share URL {href}"
    if network == "linkedin":
        assert query.get("shareActive") == "true", href
    if network in ("facebook",):
        return Decoded(None, query["u"], host=host)
    if network == "xing":
        return Decoded(None, query["url"], host=host)
    if network in ("x", "threads"):
        return Decoded(query["text"], query["url"], host=host)
    caption, url = _split_text(query["text"])
    return Decoded(caption, url, host=host)


CAPTION_KEY = {"xing": None, "facebook": None, "email": "email_body"}
NETWORKS = (
    "linkedin",
    "x",
    "facebook",
    "bluesky",
    "threads",
    "mastodon",
    "whatsapp",
    "email",
)  # Xing is off by default (hub.config.DEFAULT_NETWORKS: its endpoint broke in 2026-05)


def share_hrefs(page: Any) -> dict[str, str]:
    links = page.locator("#share a.hub-share__link")
    return {
        links.nth(i).get_attribute("data-network"): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }


def visible_caption(page: Any, network: str) -> str:
    return (
        page.locator(f'#share .hub-net[data-network="{network}"] .hub-net__caption:visible')
        .inner_text()
        .strip()
    )


# Search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [("麒麟舟", CHINESE), ("quokkasphere", LATIN)],
    ids=["chinese", "latin"],
)
def test_search_finds_a_post(tab: Tab, hub_site: Path, query: str, slug: str) -> None:
    tab.goto(site_page(hub_site, 'id="hub-search"'))
    box = tab.page.locator(".pagefind-ui__search-input")
    # The placeholder is the page's own label (in the site's language), not a word of hub.js.
    label = tab.page.locator("#hub-search-label").inner_text().strip()
    assert box.get_attribute("placeholder") == label
    box.fill(query)
    result = tab.page.locator(".pagefind-ui__result-link").first
    result.wait_for()
    hrefs = tab.page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert any(f"/{slug}/" in href for href in hrefs), f"{query!r} found {hrefs}"
    assert all(href.startswith(tab.served.base) for href in hrefs), hrefs


# The header button's name in the site's language (hub.js reads it from the page).
SEARCH_BUTTON = i18n.translator(
    generator.site_language(yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8")))
)("Search the hub")


@pytest.mark.parametrize("which", ["desktop", "phone"])
def test_header_search_button_leads_to_search(
    tab: Tab, mobile_tab: Tab, hub_site: Path, which: str
) -> None:
    current = tab if which == "desktop" else mobile_tab
    current.goto(page_path(hub_site, LATIN))
    button = current.page.get_by_role("link", name=SEARCH_BUTTON)
    assert button.is_visible()
    button.click()
    current.page.locator(".pagefind-ui__search-input").wait_for()
    assert current.page.url.startswith(current.served.base)
    assert current.page.get_by_role("link", name=SEARCH_BUTTON).count() == 0


# Sharing --------------------------------------------------------------------


def test_each_share_link_decodes_to_caption_and_tracked_url(tab: Tab, hub_site: Path) -> None:
    meta = KNOWN_POSTS[LATIN]
    tab.goto(page_path(hub_site, LATIN))
    hrefs = share_hrefs(tab.page)
    assert sorted(hrefs) == sorted(NETWORKS)
    for network, href in hrefs.items():
        decoded = decode_share(network, href)
        key = CAPTION_KEY.get(network, network)
        if key is not None:
            assert decoded.caption == meta["captions"][key][0], f"{network}: {href}"
        base, _, _ = decoded.url.partition("?")
        assert base == meta["canonical_url"], f"{network} shares {decoded.url}"
        assert utm(decoded.url) == expected_utm(network, LATIN), f"{network}: {decoded.url}"
        if network == "email":
            assert decoded.subject == meta["captions"]["email_subject"][0]
        if network == "mastodon":
            assert decoded.host == "mastodon.social"


def test_share_links_work_without_javascript(
    browser: Any, hub_server: Served, hub_site: Path
) -> None:
    with open_tab(browser, hub_server, java_script_enabled=False) as plain:
        plain.goto(page_path(hub_site, LATIN))
        hrefs = share_hrefs(plain.page)
        assert sorted(hrefs) == sorted(NETWORKS)
        decoded = decode_share("linkedin", hrefs["linkedin"])
        assert decoded.caption == KNOWN_POSTS[LATIN]["captions"]["linkedin"][0]
        plain.check_clean()


def test_a_post_campaign_names_the_utm_campaign(tab: Tab, hub_site: Path) -> None:
    """The Latin post has no campaign (its slug is used); the Chinese one has one."""
    tab.goto(page_path(hub_site, CHINESE))
    hrefs = share_hrefs(tab.page)
    decoded = decode_share("x", hrefs["x"])
    assert decoded.caption == KNOWN_POSTS[CHINESE]["captions"]["x"][0]
    assert utm(decoded.url) == expected_utm("x", CHINESE_CAMPAIGN)
    assert decode_share("bluesky", hrefs["bluesky"]).caption == KNOWN_POSTS[CHINESE]["title"]


def test_copy_button_copies_the_caption(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, LATIN))
    tab.page.locator('#share .hub-copy[data-network="x"]').click()
    copied = tab.page.evaluate("() => navigator.clipboard.readText()")
    caption = KNOWN_POSTS[LATIN]["captions"]["x"][0]
    assert copied.startswith(caption), copied
    rest = copied[len(caption) :].strip()
    if rest:
        assert utm(rest) == expected_utm("x", LATIN), copied
    assert tab.page.locator(".hub-copy-status").inner_text().strip(), "no copy confirmation"


def test_another_wording_switches_caption_and_link(tab: Tab, hub_site: Path) -> None:
    wordings = KNOWN_POSTS[LATIN]["captions"]["linkedin"]
    tab.goto(page_path(hub_site, LATIN))
    assert visible_caption(tab.page, "linkedin") == wordings[0]
    tab.page.locator('#share .hub-another[data-network="linkedin"]').click()
    assert visible_caption(tab.page, "linkedin") == wordings[1]
    decoded = decode_share("linkedin", share_hrefs(tab.page)["linkedin"])
    assert decoded.caption == wordings[1]
    tab.page.locator('#share .hub-copy[data-network="linkedin"]').click()
    assert tab.page.evaluate("() => navigator.clipboard.readText()").startswith(wordings[1])
    tab.page.locator('#share .hub-another[data-network="linkedin"]').click()
    assert visible_caption(tab.page, "linkedin") == wordings[0]


def test_advocate_code_is_added_to_every_shared_url(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, LATIN))
    tab.page.locator("#hub-advocate-code").fill(ADVOCATE)
    tab.page.locator("#hub-advocate button[type=submit]").click()
    for reload in (False, True):
        if reload:
            tab.goto(page_path(hub_site, CHINESE))
            tab.goto(page_path(hub_site, LATIN))
        for network, href in share_hrefs(tab.page).items():
            url = decode_share(network, href).url
            assert utm(url) == expected_utm(network, LATIN, ADVOCATE), (reload, network, url)
    tab.page.locator("#hub-advocate-code").fill("")
    tab.page.locator("#hub-advocate button[type=submit]").click()
    url = decode_share("x", share_hrefs(tab.page)["x"]).url
    assert "utm_content" not in utm(url)


def test_mastodon_server_is_remembered(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, LATIN))
    form = tab.page.locator("#share .hub-mastodon")
    if not form.is_visible():
        tab.page.locator('#share a.hub-share__link[data-network="mastodon"]').focus()
    tab.page.locator("#hub-mastodon-server").fill("social.acme.example")
    tab.page.locator("#share .hub-mastodon button[type=submit]").click()
    assert decode_share("mastodon", share_hrefs(tab.page)["mastodon"]).host == "social.acme.example"
    tab.goto(page_path(hub_site, CHINESE))
    decoded = decode_share("mastodon", share_hrefs(tab.page)["mastodon"])
    assert decoded.host == "social.acme.example"
    assert utm(decoded.url) == expected_utm("mastodon", CHINESE_CAMPAIGN)


def test_expired_job_is_closed_and_offers_no_sharing(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, EXPIRED))
    assert tab.page.locator(".hub-closed").is_visible()
    assert tab.page.locator("a.hub-share__link, .hub-copy").count() == 0
    tab.goto("")
    assert tab.page.locator(f'a[href*="{EXPIRED}"]').count() == 0


# Reach calculator -----------------------------------------------------------


def _calculate(page: Any, employees: int, network: int, followers: int) -> tuple[str, str]:
    page.locator("#calc-employees").fill(str(employees))
    page.locator("#calc-network").fill(str(network))
    page.locator("#calc-followers").fill(str(followers))
    page.locator("#hub-calc button[type=submit]").click()
    reach = page.locator("#calc-reach").inner_text()
    increase = page.locator("#calc-increase").inner_text()
    return _spaced(reach), _spaced(increase)


def _spaced(text: str) -> str:
    """The figure as read: any space as one space, no bidi marks. Chromium's ICU and Babel
    put Arabic's invisible left-to-right marks in different places around the sign."""
    text = re.sub("[\u200e\u200f\u061c]", "", text)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_reach_calculator_gives_the_worked_example(tab: Tab, hub_site: Path) -> None:
    tab.goto(site_page(hub_site, 'id="hub-calc"'))
    assert _calculate(tab.page, 10, 50, 1000) == ("500", "-50%")
    assert _calculate(tab.page, 100, 338, 2000) == ("33,800", "+1,590%")
    assert _calculate(tab.page, 10, 50, 0) == ("500", "n/a")


@pytest.mark.parametrize("language", i18n.languages())
def test_the_calculator_script_writes_numbers_as_the_build_does(
    tab: Tab, hub_site: Path, language: str
) -> None:
    """The page's first figures come from Babel, the recomputed ones from the browser's Intl:
    in every catalog's language the two must read the same."""
    tab.goto(site_page(hub_site, 'id="hub-calc"'))
    tab.page.locator("#hub-calc").evaluate("(form, lang) => { form.dataset.lang = lang; }",
                                           language)
    for employees, network, followers in ((100, 338, 2000), (10, 50, 1000), (3, 1, 3)):
        total, increase = pages.reach(employees, network, followers)
        assert increase is not None
        expected = (_spaced(i18n.number_label(total, language)),
                    _spaced(i18n.signed_percent_label(increase, language)))
        assert _calculate(tab.page, employees, network, followers) == expected, language


# Keyboard and focus ---------------------------------------------------------


def _tab_to(page: Any, selector: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def _focus_visible(page: Any) -> bool:
    return page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
    )


def test_share_and_copy_work_from_the_keyboard(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, LATIN))
    page = tab.page
    _tab_to(page, '#share a.hub-share__link[data-network="linkedin"]')
    assert _focus_visible(page), "the focused share link shows no focus indicator"
    with tab.context.expect_page() as opened:
        page.keyboard.press("Enter")
    popup = opened.value
    expected = share_hrefs(page)["linkedin"]
    popup.wait_for_load_state("domcontentloaded")
    tab.guard.foreign = [u for u in tab.guard.foreign if u != expected]
    popup.close()

    _tab_to(page, '#share .hub-copy[data-network="linkedin"]')
    assert _focus_visible(page), "the focused copy button shows no focus indicator"
    page.keyboard.press("Enter")
    caption = KNOWN_POSTS[LATIN]["captions"]["linkedin"]
    assert page.evaluate("() => navigator.clipboard.readText()").startswith(caption[0])
    _tab_to(page, '#share .hub-another[data-network="linkedin"]')
    page.keyboard.press("Space")
    assert visible_caption(page, "linkedin") == caption[1]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert page.evaluate("() => navigator.clipboard.readText()").startswith(caption[1])


# Accessibility --------------------------------------------------------------


def a11y_pages(site: Path) -> dict[str, str]:
    pages = {
        "home": "",
        "post": page_path(site, LATIN),
        "post-chinese": page_path(site, CHINESE),
        "job-closed": page_path(site, EXPIRED),
        "event": page_path(site, EVENT),
        "wall": site_page(site, 'class="hub-wall"'),
        "calculator": site_page(site, 'id="hub-calc"'),
        "program": site_page(site, 'class="hub-figure"'),
        "search": site_page(site, 'id="hub-search"'),
    }
    for html in sorted((site / "guidelines").rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix() + "/"
        pages[f"guidelines:{rel}"] = rel
    return pages


def test_no_serious_accessibility_violation(tab: Tab, hub_site: Path) -> None:
    require_axe()
    report = []
    for name, path in a11y_pages(hub_site).items():
        tab.goto(path)
        found = blocking(run_axe(tab.page))
        if found:
            report.append(describe(found, f"{name} (/{path})"))
    # States that only exist after a person acted: search results, another wording.
    tab.goto(site_page(hub_site, 'id="hub-search"'))
    tab.page.locator(".pagefind-ui__search-input").fill("quokkasphere")
    tab.page.locator(".pagefind-ui__result-link").first.wait_for()
    found = blocking(run_axe(tab.page))
    if found:
        report.append(describe(found, "search with results"))
    tab.goto(page_path(hub_site, LATIN))
    tab.page.locator('#share .hub-another[data-network="linkedin"]').click()
    tab.page.locator('#share .hub-copy[data-network="linkedin"]').click()
    found = blocking(run_axe(tab.page))
    if found:
        report.append(describe(found, "post after another wording and copy"))
    tab.goto("")
    tab.page.locator("details.hub-filter > summary").click()
    found = blocking(run_axe(tab.page))
    if found:
        report.append(describe(found, "home with the filters open"))
    assert not report, "\n\n".join(report)


# Layout ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["home", "post"])
def test_no_horizontal_overflow_on_a_phone(mobile_tab: Tab, hub_site: Path, which: str) -> None:
    mobile_tab.goto("" if which == "home" else page_path(hub_site, LATIN))
    overflow = mobile_tab.page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' +
                     String(el.className).trim().split(/\\s+/).join('.') : ''));
        }"""
    )
    assert not overflow, f"wider than the 390 px viewport: {overflow}"


def test_pages_work_below_a_sub_path(tab: Tab, hub_site: Path) -> None:
    """Every same-origin link and asset on home and a post stays below /hub/."""
    for path in ("", page_path(hub_site, LATIN)):
        tab.goto(path)
        urls = tab.page.evaluate(
            """() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
                .map(el => el.href || el.src)"""
        )
        local = [u for u in urls if u.startswith(tab.served.origin)]
        outside = [u for u in local if not u.startswith(tab.served.base)]
        assert not outside, f"links escaping the sub-path on /{path}: {outside}"


# Zensical: a smoke subset on the same hub rendered by the other renderer ----


@pytest.mark.parametrize(
    ("query", "slug"),
    [("麒麟舟", CHINESE), ("quokkasphere", LATIN)],
    ids=["chinese", "latin"],
)
def test_zensical_search_finds_a_post(
    zensical_tab: Tab, zensical_site: Path, query: str, slug: str
) -> None:
    test_search_finds_a_post(zensical_tab, zensical_site, query, slug)


def test_zensical_share_links_decode_and_copy(zensical_tab: Tab, zensical_site: Path) -> None:
    test_each_share_link_decodes_to_caption_and_tracked_url(zensical_tab, zensical_site)
    test_copy_button_copies_the_caption(zensical_tab, zensical_site)


def test_zensical_pages_work_below_a_sub_path(zensical_tab: Tab, zensical_site: Path) -> None:
    test_pages_work_below_a_sub_path(zensical_tab, zensical_site)


def test_zensical_no_serious_accessibility_violation(
    zensical_tab: Tab, zensical_site: Path
) -> None:
    test_no_serious_accessibility_violation(zensical_tab, zensical_site)


# Networks that drop prefilled text ------------------------------------------


def _click_without_leaving(page: Any, selector: str) -> None:
    """Click a share link as a person would; the page's own handler runs, the tab stays here.

    A listener on window runs after hub.js's document listener, so the copy
    has started before the default action (opening the network) is cancelled.
    """
    page.evaluate(
        "() => window.addEventListener('click', e => e.preventDefault(), {once: true})"
    )
    page.locator(selector).click()


def test_facebook_gets_the_caption_on_the_clipboard_first(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, LATIN))
    tab.page.evaluate("() => navigator.clipboard.writeText('')")
    _click_without_leaving(tab.page, '#share a.hub-share__link[data-network="facebook"]')
    tab.page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
    copied = tab.page.evaluate("() => navigator.clipboard.readText()")
    caption = KNOWN_POSTS[LATIN]["captions"]["facebook"][0]
    assert copied.startswith(caption), copied
    assert utm(copied[len(caption):].strip()) == expected_utm("facebook", LATIN)
    status = tab.page.locator(".hub-copy-status")
    assert "paste it" in status.inner_text()


def test_linkedin_on_a_desktop_keeps_its_own_prefill(tab: Tab, hub_site: Path) -> None:
    tab.goto(page_path(hub_site, LATIN))
    tab.page.evaluate("() => navigator.clipboard.writeText('untouched')")
    _click_without_leaving(tab.page, '#share a.hub-share__link[data-network="linkedin"]')
    assert tab.page.evaluate("() => navigator.clipboard.readText()") == "untouched"


# Synced sample posts whose bodies have headings (so "¶" permalinks), in Arabic
# (right to left) and Catalan.
WITH_HEADINGS = {
    "post-arabic-headings": "posts/jwl-fy-mktbn-ljdyd-fy-dby/",
    "post-catalan-headings": "posts/obrim-una-nova-oficina-al-districte-22-de-barcelona/",
}


# Share first ---------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# Where each network's composer lives (hub.posts.share.PATTERNS); the test
# answers these itself, so nothing reaches the real hosts.
COMPOSERS = r"^https://(www\.linkedin\.com|x\.com|www\.facebook\.com|bsky\.app|www\.threads\.com" \
            r"|mastodon\.social|social\.acme\.example|wa\.me|www\.xing\.com)/"
DROPS_TEXT_ON_PHONES = ("linkedin", "facebook")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_share_actions_are_above_the_fold(browser: Any, hub_server: Served, hub_site: Path,
                                          size: str) -> None:
    viewport = PHONE if size == "phone" else LAPTOP
    extra = {"is_mobile": True, "has_touch": True} if size == "phone" else {}
    with open_tab(browser, hub_server, viewport=viewport, **extra) as opened:
        opened.goto(page_path(hub_site, LATIN))
        picker = opened.page.locator(".hub-share-now .hub-pick")
        assert picker.count() == len(NETWORKS)
        boxes = [picker.nth(i).bounding_box() for i in range(picker.count())]
        assert all(b is not None and b["y"] + b["height"] <= viewport["height"] for b in boxes), (
            f"share picker below the fold at {viewport}: {boxes}")
        article = opened.page.locator(".hub-post__body").first
        share_top = opened.page.locator("#share").bounding_box()
        body_top = article.bounding_box() if article.count() else None
        assert share_top and (body_top is None or share_top["y"] < body_top["y"])
        opened.check_clean()


def _taps_to_composer(browser: Any, served: Served, site: Path, network: str) -> dict[str, Any]:
    """From the phone home page to the network's prefilled composer, counting taps."""
    opened_urls: list[str] = []

    def composer(route: Any) -> None:
        opened_urls.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>composer</title>")

    with open_tab(browser, served, viewport=PHONE, is_mobile=True, has_touch=True,
                  clipboard=True) as phone:
        phone.context.route(re.compile(COMPOSERS), composer)
        phone.goto("")
        taps = 0
        phone.page.locator(f'a[href*="{LATIN}/"]').first.click()
        taps += 1
        phone.page.wait_for_url(f"**/{LATIN}/")
        pick = phone.page.locator(f'.hub-share-now .hub-pick[data-pick="{network}"]')
        if network == "email":
            href = phone.page.locator('#share a.hub-share__link[data-network="email"]')
            pick.scroll_into_view_if_needed()
            taps += 1  # the picker hands the mailto: link to the mail app
            return {"taps": taps, "href": href.get_attribute("href"), "clipboard": None,
                    "status": ""}
        if network == "mastodon":  # the first time: the server is asked for once
            pick.click()
            taps += 1
            phone.page.locator("#hub-mastodon-server").fill("social.acme.example")
            phone.page.locator(".hub-mastodon button[type=submit]").click()
            taps += 1
        with phone.context.expect_page() as popup:
            pick.click()
            taps += 1
        popup.value.wait_for_load_state()
        status = phone.page.locator(".hub-pick-status").inner_text().strip()
        clipboard = phone.page.evaluate("() => navigator.clipboard.readText()")
        foreign = [u for u in phone.guard.foreign if u not in opened_urls]
        assert not foreign, f"requests off 127.0.0.1: {foreign}"
        assert not phone.errors, phone.errors
        return {"taps": taps, "href": popup.value.url, "clipboard": clipboard, "status": status}


@pytest.mark.parametrize("network", NETWORKS)
def test_taps_from_home_to_a_prefilled_composer(browser: Any, hub_server: Served,
                                                hub_site: Path, network: str) -> None:
    meta = KNOWN_POSTS[LATIN]
    got = _taps_to_composer(browser, hub_server, hub_site, network)
    print(f"\ntaps to share on {network} (phone): {got['taps']}")
    assert got["taps"] <= (4 if network == "mastodon" else 3), got
    decoded = decode_share(network, got["href"])
    assert decoded.url.partition("?")[0] == meta["canonical_url"]
    key = CAPTION_KEY.get(network, network)
    if key is not None:
        assert decoded.caption == meta["captions"][key][0], got
    if network in DROPS_TEXT_ON_PHONES:
        caption = meta["captions"]["linkedin" if network == "xing" else network][0]
        assert got["clipboard"].startswith(caption), got
        assert "paste" in got["status"], got


def post_in(site: Path, language: str) -> str:
    """The first post page (sorted) whose title is in `language`."""
    mark = f'id="post-title" lang="{language}"'
    for html in sorted((site / "posts").glob("*/index.html")):
        if mark in html.read_text(encoding="utf-8"):
            return html.parent.relative_to(site).as_posix() + "/"
    raise AssertionError(f"no post in {language!r} in {site}")


@pytest.mark.parametrize(("language", "direction"), [("zh", "ltr"), ("ar", "rtl"), ("ca", "ltr")])
def test_share_chrome_speaks_the_post_language(tab: Tab, hub_site: Path, language: str,
                                               direction: str) -> None:
    from hub.site import i18n

    _ = i18n.translator(language)
    tab.goto(post_in(hub_site, language))
    page = tab.page
    assert page.locator("#share-title").inner_text().strip() == _("Share this post")
    for where in ("#share", ".hub-share-now", ".hub-card__downloads"):
        node = page.locator(where).first
        assert node.get_attribute("lang") == language, where
        assert page.evaluate("el => getComputedStyle(el).direction", node.element_handle()) == (
            direction), where
    assert page.locator(".hub-card__downloads a").first.inner_text().strip() == _(
        "Download card (1200 × 630)")
    first = page.locator("#share .hub-net").first
    network = first.get_attribute("data-network")
    label = first.locator(".hub-net__name").inner_text().strip()
    assert first.locator(".hub-share__link").inner_text().strip() == _(
        "Share on %(network)s", network=label)
    page.locator(f'#share .hub-copy[data-network="{network}"]').click()
    # the clipboard write is a promise: the status is set when it settles
    page.wait_for_function(
        "() => document.querySelector('.hub-copy-status').textContent.trim() !== ''"
    )
    assert page.locator(".hub-copy-status").inner_text().strip() == _("Caption and link copied.")
    assert page.locator(".hub-post__meta time").inner_text().strip() == i18n.day_label(
        page.locator(".hub-post__meta time").get_attribute("datetime"), language)
    page.locator("#hub-advocate-code").fill("not a code!")
    page.locator("#hub-advocate button[type=submit]").click()
    assert page.locator("#hub-advocate .hub-status").inner_text().strip() == _(
        "This advocate code cannot be used. Up to %(count)s characters: letters A–Z and a–z,"
        " digits, dots (.), hyphens (-) and underscores (_).", count=advocate.MAX_LENGTH)


def test_no_serious_accessibility_violation_on_a_phone(mobile_tab: Tab, hub_site: Path) -> None:
    """The same pages at 390 x 844: the policy's tab labels and the wall's tables scroll here."""
    require_axe()
    report = []
    pages = {**a11y_pages(hub_site), **WITH_HEADINGS, "post-arabic": post_in(hub_site, "ar"),
             "post-catalan": post_in(hub_site, "ca")}
    for name, path in pages.items():
        mobile_tab.goto(path)
        found = blocking(run_axe(mobile_tab.page))
        if found:
            report.append(describe(found, f"{name} (/{path}) at 390 px"))
    mobile_tab.goto("")
    mobile_tab.page.locator("details.hub-filter > summary").click()
    found = blocking(run_axe(mobile_tab.page))
    if found:
        report.append(describe(found, "home with the filters open at 390 px"))
    assert not report, "\n\n".join(report)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_navigation_and_logo_on_every_page_type(browser: Any, hub_server: Served,
                                                hub_site: Path, size: str) -> None:
    viewport = PHONE if size == "phone" else LAPTOP
    extra = {"is_mobile": True, "has_touch": True} if size == "phone" else {}
    with open_tab(browser, hub_server, viewport=viewport, **extra) as opened:
        for path in ("", page_path(hub_site, LATIN), site_page(hub_site, 'class="hub-wall"')):
            opened.goto(path)
            page = opened.page
            assert page.locator(".md-header .md-logo img").first.get_attribute("src").endswith(
                "assets/hub/logo.svg")
            if size == "laptop":
                assert page.locator(".md-tabs").is_visible(), f"no navigation on /{path}"
            else:
                page.locator('.md-header label.md-header__button[for="__drawer"]').click()
                assert page.locator(".md-nav--primary").first.is_visible(), f"/{path}"
        opened.check_clean()


def test_permalinks_pass_axe_on_a_desktop(tab: Tab, hub_site: Path) -> None:
    require_axe()
    report = []
    for name, path in WITH_HEADINGS.items():
        tab.goto(path)
        found = blocking(run_axe(tab.page))
        if found:
            report.append(describe(found, f"{name} (/{path})"))
    assert not report, "\n\n".join(report)


@pytest.mark.parametrize("which", ["home", "post"])
def test_header_shows_the_brand_logo(mobile_tab: Tab, tab: Tab, hub_site: Path, which: str) -> None:
    """hub.yml brand.logo in the header at both sizes (on phones, in the drawer)."""
    path = "" if which == "home" else page_path(hub_site, LATIN)
    tab.goto(path)
    logo = tab.page.locator(".md-header .md-logo img")
    assert logo.get_attribute("src").endswith("assets/hub/logo.svg")
    assert tab.page.evaluate("el => el.complete && el.naturalWidth > 0", logo.element_handle())
    mobile_tab.goto(path)
    drawer = mobile_tab.page.locator(".md-nav__title .md-logo img")
    assert drawer.get_attribute("src").endswith("assets/hub/logo.svg")


# Home on a phone ---------------------------------------------------------------


def test_home_shows_the_first_post_on_the_first_phone_screen(browser: Any, hub_server: Served
                                                             ) -> None:
    """At 390 x 844 the first card's title is on screen; the filters wait behind one control."""
    with open_tab(browser, hub_server, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        phone.goto("")
        page = phone.page
        title = page.locator(".hub-post-card__title").first.bounding_box()
        print(f"\nhome first post top y at 390x844: "
              f"{page.locator('.hub-post-card').first.bounding_box()['y']:.0f}")
        assert title and title["y"] + title["height"] <= PHONE["height"], title
        toggle = page.locator("details.hub-filter > summary")
        assert toggle.count() == 1 and toggle.is_visible()
        assert page.locator(".hub-chip:visible, .hub-view input:visible").count() == 0
        toggle.focus()
        page.keyboard.press("Enter")  # a native disclosure: keyboard and screen readers know it
        assert page.locator("details.hub-filter").evaluate("d => d.open")
        assert page.locator('.hub-view input[name="language"]').first.is_visible()
        assert page.locator(".hub-filters .hub-chip:visible").count() > 0  # the tags stay links
        phone.check_clean()


def _cards(page: Any) -> list[dict[str, str]]:
    return page.locator(".hub-post-list .hub-post-card").evaluate_all(
        "cards => cards.map(c => ({language: c.dataset.language, category: c.dataset.category,"
        " href: c.querySelector('h2 a').href}))")


def test_the_employees_view_is_remembered_and_restored(browser: Any, hub_server: Served) -> None:
    """Language and categories chosen once come back on the next visit, from localStorage only."""
    with open_tab(browser, hub_server, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        requests: list[tuple[str, str]] = []
        phone.context.on("request", lambda r: requests.append((r.method, r.url)))
        phone.goto("")
        page = phone.page
        everything = _cards(page)
        page.locator("details.hub-filter > summary").click()
        page.locator('.hub-view input[name="language"][value="en"]').check()
        page.locator('.hub-view input[name="category"][value="jobs"]').check()
        page.locator('.hub-view input[name="category"][value="blog"]').check()
        page.locator(".hub-view button[type=submit]").click()
        page.wait_for_function("() => document.querySelector('.hub-view-status').textContent")
        chosen = _cards(page)
        assert chosen and all(c["language"] == "en" and c["category"] in ("jobs", "blog")
                              for c in chosen), chosen
        assert {c["category"] for c in chosen} == {"jobs", "blog"}
        assert not page.locator("details.hub-filter").evaluate("d => d.open")
        assert "English" in page.locator(".hub-view-status").inner_text()
        saved = page.evaluate("() => JSON.parse(localStorage.getItem('hub.view'))")
        assert saved == {"language": "en", "categories": ["blog", "jobs"]}

        page.locator(f'.hub-post-list a[href*="/posts/{LATIN}/"]').first.click()
        page.wait_for_url(f"**/{LATIN}/")
        phone.goto("")  # the next visit
        page.wait_for_function("() => document.querySelector('.hub-view-status').textContent")
        assert _cards(page) == chosen
        assert page.locator('.hub-view input[name="language"][value="en"]').is_checked()
        assert page.locator('.hub-view input[name="category"][value="jobs"]').is_checked()
        for href in (c["href"] for c in chosen):
            assert href.startswith(phone.served.base), href  # cards read from other pages
        page.locator("details.hub-filter > summary").click()
        page.locator(".hub-view__reset").click()
        assert _cards(page) == everything
        assert page.evaluate("() => localStorage.getItem('hub.view')") is None
        assert all(method == "GET" and url.startswith(phone.served.base)
                   for method, url in requests), [r for r in requests if r[0] != "GET"]
        phone.check_clean()


# The 404 page ------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["posts/no-such-post/", "no-such-page", "guidelines/a/b/c/"])
def test_404_page_works_below_a_sub_path_site_url_does_not_name(
    browser: Any, hub_site: Path, missing: str
) -> None:
    """hub.yml's site.url has no path; the hub is served under /sub/, and the server sends
    404.html for any missing address: its CSS, script, logo and links still resolve."""
    assert urlsplit(load_config(REPO / "hub.yml").site.url or "").path in ("", "/")
    with serve(hub_site, prefix="/sub/", not_found="404.html") as served, open_tab(
        browser, served, viewport=PHONE, is_mobile=True, has_touch=True
    ) as phone:
        failed: list[str] = []
        phone.page.on("requestfailed", lambda r: failed.append(r.url))
        phone.page.on("response",
                      lambda r: failed.append(r.url) if r.status >= 400 and r.request.resource_type
                      != "document" else None)
        response = phone.page.goto(served.url(missing), wait_until="load")
        assert response is not None and response.status == 404
        assert phone.page.locator("h1").first.inner_text().strip() == "404 - Not found"
        assert not failed, failed
        font = phone.page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert "hub.css" in phone.page.evaluate(
            "() => [...document.styleSheets].map(s => s.href || '').join(' ')")
        assert font and "Times" not in font, font  # Material's stylesheet applied
        assert phone.page.evaluate("() => !!document.querySelector('.hub-header-search')")
        home = phone.page.get_by_role("link", name="Back to the share-ready posts")
        assert home.evaluate("a => a.href") == served.base
        links = phone.page.evaluate(
            "() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]"
            ".map(el => el.href || el.src)")
        local = [u for u in links if u.startswith(served.origin)]
        assert local and all(u.startswith(served.base) for u in local), local
        if missing.startswith("posts/"):
            require_axe()
            found = blocking(run_axe(phone.page))
            assert not found, describe(found, f"404 (/sub/{missing}) at 390 px")
        phone.check_clean()


# Right to left and the hub's words in the page's language ---------------------

_HASH_AND_NEXT = """node => {
    const bdi = node.querySelector('bdi');
    if (!bdi) return null;
    const text = bdi.firstChild, range = document.createRange();
    const box = i => { range.setStart(text, i); range.setEnd(text, i + 1);
                       return range.getBoundingClientRect().x; };
    return {tag: bdi.textContent, hash: box(0), next: box(1)};
}"""


def test_hashtags_read_right_in_an_arabic_caption_and_copy_clean(tab: Tab, hub_site: Path
                                                                 ) -> None:
    """"#LifeAtAcme" shows with its "#" first in a right-to-left caption, before and after
    "Another wording"; what Copy puts on the clipboard carries no isolate characters."""
    tab.goto(post_in(hub_site, "ar"))
    page = tab.page
    caption = page.locator('#share .hub-net[data-network="linkedin"] .hub-net__caption')
    assert page.evaluate("el => getComputedStyle(el).direction", caption.element_handle()) == "rtl"
    for turn in range(2):
        found = caption.evaluate(_HASH_AND_NEXT)
        assert found and found["tag"].startswith("#"), (turn, found)
        assert found["hash"] < found["next"], f"rendered as '{found['tag'][1:]}#': {found}"
        page.locator('#share .hub-another[data-network="linkedin"]').click()
    page.locator('#share .hub-copy[data-network="linkedin"]').click()
    page.wait_for_function(
        "() => document.querySelector('.hub-copy-status').textContent.trim() !== ''")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "#" in copied and not re.search("[\u2066-\u2069\u200e\u200f\u202a-\u202e]", copied)
    assert copied.startswith(caption.evaluate("el => el.textContent")), copied
    href = share_hrefs(page)["linkedin"]
    assert "%E2%81%A8" not in href and "%E2%81%A9" not in href  # no FSI/PDI in the link


@pytest.mark.parametrize("language", ["ar", "ca", "zh"])
def test_category_on_a_post_speaks_its_language(tab: Tab, hub_site: Path, language: str) -> None:
    from hub.config import category_label
    from hub.site import i18n

    path = post_in(hub_site, language)
    tab.goto(path)
    chip = tab.page.locator(".hub-post__meta .hub-chip bdi").first
    category = (hub_site / path / "index.html").read_text(encoding="utf-8")
    assert chip.get_attribute("lang") == language
    label = chip.inner_text().strip()
    assert label == i18n.translator(language)(category_label(_category_of(category))), label
    if language != "ca":
        assert label != category_label(_category_of(category)), "still English"


def _category_of(html: str) -> str:
    found = re.search(r'class="hub-chip" href="[./]*category/([^/"]+)/"', html)
    assert found, "no category chip"
    return found.group(1)
