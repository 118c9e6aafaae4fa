"""The hub site: real builds of a small fixture hub (tests/data/site), read as HTML.

Every test that takes `site` runs on both renderers' builds of the same
generated pages: MkDocs + Material and Zensical.

The fixture's posts cover every state a post can be in on "today"
(2026-11-22): share-ready, pinned, new, embargoed, draft, archived, expired,
hostile (a synced post whose every field tries to inject markup), and posts
in Chinese and Arabic. Pure rules (listing, reach, contrast, feed) are
tested without a build.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import (
    parse_qs,
    parse_qsl,
    quote,
    unquote,
    unquote_to_bytes,
    urlencode,
    urlsplit,
    urlunsplit,
)

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from hub.config import HubConfig, SiteConfig, SuggestConfig
from hub.posts import share
from hub.posts.schema import read
from hub.site import atom, listing, pages, postpage
from hub.site.build import BuildError, LiveSearchIndex, build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "data" / "site"
RENDERERS = ("mkdocs", "zensical")
TODAY = "2026-11-22"
SHARE_READY = ["pinned-old", "hello-world", "hostile", "zh-cloud", "open-job", "ar-hello"]
HIDDEN = ["draft", "embargoed", "archived"]


# --- building -----------------------------------------------------------------


def make_hub(dest: Path) -> Path:
    """The fixture hub in `dest`, with the repo's theme, renderer settings and content pages."""
    shutil.copytree(FIXTURE, dest, dirs_exist_ok=True)
    for page in (REPO / "content").glob("*.md"):
        if page.name != "program.md":
            shutil.copy2(page, dest / "content" / page.name)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    from PIL import Image

    cards = dest / "content" / "cards"
    cards.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 630), "#0B3D91").save(cards / "hello-world.png")
    Image.new("RGB", (1080, 1080), "#0B3D91").save(cards / "hello-world-square.png")
    (cards / ".manifest.json").write_text("{}")  # the cards stage's cache
    for hidden in HIDDEN:  # the cards stage draws cards for every post, hidden or not
        Image.new("RGB", (12, 6), "#0B3D91").save(cards / f"{hidden}.png")
        Image.new("RGB", (6, 6), "#0B3D91").save(cards / f"{hidden}-square.png")
    return dest


def build(root: Path, site: str = "site", *, search: bool = False,
          renderer: str = "mkdocs") -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_TODAY", TODAY)
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        build_site(root / "mkdocs.yml", site_dir=root / site, search=search, renderer=renderer)
    return root / site


@pytest.fixture(scope="module")
def hub_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hub(tmp_path_factory.mktemp("hub"))


@pytest.fixture(scope="module", params=RENDERERS)
def renderer(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def site(hub_root: Path, renderer: str) -> Path:
    return build(hub_root, f"site-{renderer}", search=True, renderer=renderer)


@pytest.fixture(scope="module")
def both_sites(hub_root: Path) -> dict[str, Path]:
    return {r: build(hub_root, f"site-{r}", search=True, renderer=r) for r in RENDERERS}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def find(tags: Tags, tag: str, **attrs: str) -> list[dict[str, str]]:
    return [
        a for t, a in tags.tags
        if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
    ]


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


# --- pure rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "published", "expired"),
    [
        ({"status": "approved"}, True, False),
        ({"status": "draft"}, False, False),
        ({"status": "archived"}, False, False),
        ({}, False, False),
        ({"status": "approved", "publish_date": "2026-11-22"}, True, False),
        ({"status": "approved", "publish_date": "2026-11-23"}, False, False),
        ({"status": "approved", "expires": "2026-11-22"}, True, False),
        ({"status": "approved", "expires": "2026-11-21"}, True, True),
        ({"status": "approved", "expires": "not a date"}, True, False),
    ],
)
def test_post_state_on_a_day(meta: dict, published: bool, expired: bool) -> None:
    on = dt.date(2026, 11, 22)
    assert listing.is_published(meta, on) is published
    assert listing.is_expired(meta, on) is expired


def test_order_is_pinned_first_then_newest_with_slug_as_tie_breaker() -> None:
    on = dt.date(2026, 11, 22)
    metas = {
        "b": {"status": "approved", "date": "2026-11-20T00:00:00Z"},
        "a": {"status": "approved", "date": "2026-11-20T00:00:00Z"},
        "old-pinned": {"status": "approved", "date": "2020-01-01T00:00:00Z", "pinned": True},
        "newest": {"status": "approved", "date": "2026-11-21T00:00:00Z"},
        "gone": {"status": "approved", "date": "2026-11-22T00:00:00Z", "expires": "2026-01-01"},
    }
    entries = [listing.entry(slug, meta, on, 7) for slug, meta in metas.items()]
    assert [e.slug for e in listing.share_ready(entries)] == ["old-pinned", "newest", "a", "b"]


def test_new_means_within_new_days_of_today() -> None:
    on = dt.date(2026, 11, 22)
    assert listing.is_new({"date": "2026-11-16T00:00:00Z"}, on, 7)
    assert not listing.is_new({"date": "2026-11-15T00:00:00Z"}, on, 7)
    assert listing.is_new({"date": "2026-01-01", "publish_date": "2026-11-20"}, on, 7)


def test_tag_pages_merge_case_and_keep_non_latin_scripts() -> None:
    on = dt.date(2026, 11, 22)
    entries = [
        listing.entry("a", {"status": "approved", "tags": ["AI", "人工智能"]}, on, 7),
        listing.entry("b", {"status": "approved", "tags": ["ai"]}, on, 7),
    ]
    groups = listing.facets(entries, "tag")
    assert list(groups) == ["ai", "人工智能"]
    assert [e.slug for e in groups["ai"][1]] == ["a", "b"]


def test_tag_listings_only_for_linked_tags() -> None:
    on = dt.date(2026, 11, 22)
    entries = [listing.entry("a", {"status": "approved", "tags": ["AI", "Rare"]}, on, 7)]
    prefixes = [item.prefix for item in listing.listings(entries, tags={"ai"})]
    assert "tag/ai/" in prefixes and "tag/rare/" not in prefixes


def test_pager_window() -> None:
    assert listing.window(1, 1) == [1]
    assert listing.window(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert listing.page_url("tag/ai/", 1) == "tag/ai/"
    assert listing.page_src("", 2) == "page/2/index.md"


def test_reach_worked_example() -> None:
    total, increase = pages.reach(100, 338, 2000)
    assert total == 33_800
    assert increase == pytest.approx(1590.0)
    assert pages.reach(10, 10, 0) == (100, None)


def test_contrast_ratios_follow_wcag() -> None:
    assert pages.contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert pages.contrast("#0B3D91", "#FFFFFF") == pytest.approx(10.04, abs=0.01)
    assert pages.readable_on("#FFB81C") == "#000000"


def test_suggest_by_email_follows_rfc_6068() -> None:
    suggest = SuggestConfig(kind="email", email="comms@x.example")
    url = pages.suggest_url(HubConfig(site=SiteConfig(suggest=suggest)))
    assert url is not None
    assert url.startswith("mailto:comms@x.example?subject=Post%20suggestion&body=")
    assert "+" not in url and "%0D%0A" in url


def test_suggest_on_github_prefills_an_issue() -> None:
    suggest = SuggestConfig(kind="github", repo_url="https://github.com/acme/hub/")
    url = pages.suggest_url(HubConfig(site=SiteConfig(suggest=suggest)))
    assert url is not None
    parts = urlsplit(url)
    assert parts.path == "/acme/hub/issues/new"
    assert parse_qs(parts.query)["labels"] == ["suggestion"]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.acme.example/blog/x",
        "https://www.acme.example/blog/x?ref=feed&utm_source=old",
        "https://www.acme.example/blog/x?q=a%20b#section-2",
        "https://www.acme.example/博客/x?标签=云",
    ],
)
def test_with_advocate_matches_tracked_url(url: str) -> None:
    plain = share.tracked_url(url, source="x", medium="m", campaign="c")
    expected = share.tracked_url(url, source="x", medium="m", campaign="c", content="jdoe-42_A")
    assert with_advocate(plain, "jdoe-42_A") == expected


def with_advocate(tracked: str, code: str) -> str:
    """`tracked` with utm_content=code: the string edit theme/assets/hub/hub.js makes.

    tracked_url puts utm_content last in the query, before any fragment, so
    the edit gives the URL tracked_url would build with the code (codes are
    limited to URL-safe [A-Za-z0-9_-]); that is why the pages carry only the
    URL without a code.
    """
    base, hash_mark, fragment = tracked.partition("#")
    return f"{base}&utm_content={code}{hash_mark}{fragment}"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://x.com/?text=%E4%BA%91%20a%26b", "https://x.com/?text=云%20a%26b"),
        ("mailto:?body=%E0%A4%B9%E0%A4%BF%0D%0A", "mailto:?body=हि%0D%0A"),
        ("https://a/?t=%E2%80%AE%C2%A0x", "https://a/?t=%E2%80%AE%C2%A0x"),
        ("https://a/?t=%FF%FE", "https://a/?t=%FF%FE"),
    ],
)
def test_iri_writes_non_ascii_as_characters(href: str, expected: str) -> None:
    assert reference_iri(href) == expected
    assert unquote(reference_iri(href)) == unquote(href)


def reference_iri(href: str) -> str:
    """An href's IRI form by decoding it again: what ShareLink.iri must equal."""

    def decode(match: re.Match[str]) -> str:
        try:
            text = unquote_to_bytes(match.group(0)).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)
        return regex.sub(r"[\p{C}\p{Z}]", lambda m: quote(m.group(0), safe=""), text)

    return re.sub(r"(?:%[89A-Fa-f][0-9A-Fa-f])+", decode, href)


@given(st.text(), st.text(), st.sampled_from(sorted(share.PATTERNS)))
def test_share_link_iri_is_its_href_decoded(caption: str, path: str, network: str) -> None:
    meta = {"title": "T", "canonical_url": "https://acme.example/" + path,
            "captions": {share.CAPTION_KEY[network]: [caption], "email_subject": [caption]}}
    site = SiteConfig(networks=[network])
    try:
        (link,) = share.share_links(meta, site, slug="s")
    except UnicodeEncodeError:  # lone surrogates: no YAML post can hold them
        return
    assert link.iri() == reference_iri(link.href)


def _reference_href(network: str, caption: str, url: str, subject: str) -> str:
    """hub.share.build_href as first written, on urllib's quote: what the fast one must equal."""
    joiner = share.JOINER.get(network, " ")
    text_url = f"{caption}{joiner}{url}" if caption else url
    if network == "email":
        text_url = text_url.replace("\r\n", "\n").replace("\n", "\r\n")
    return share.PATTERNS[network].format(
        text=quote(caption, safe=""), url=quote(url, safe=""), text_url=quote(text_url, safe=""),
        subject=quote(subject, safe=""), instance=share.DEFAULT_MASTODON,
    )


@given(st.text())
def test_fast_percent_encoding_equals_urllib_quote(text: str) -> None:
    assert share._enc(text) == quote(text, safe="")


@given(
    st.sampled_from(sorted(share.PATTERNS)), st.text(), st.text(min_size=1), st.text(),
)
def test_share_hrefs_equal_the_urllib_reference(
    network: str, caption: str, url: str, subject: str
) -> None:
    expected = _reference_href(network, caption, url, subject)
    assert share.build_href(network, caption=caption, url=url, subject=subject) == expected


@given(st.text(), st.text(), st.text())
def test_tracked_url_query_equals_urllib_quote(source: str, medium: str, campaign: str) -> None:
    url = "https://www.acme.example/a?b=c%20d&e=%E4%BA%91#f"
    query = [("b", "c d"), ("e", "云"), ("utm_source", source), ("utm_medium", medium),
             ("utm_campaign", campaign)]
    expected = "https://www.acme.example/a?" + urlencode(query, quote_via=quote) + "#f"
    assert share.tracked_url(url, source=source, medium=medium, campaign=campaign) == expected


def _reference_tracked_url(url: str, source: str, medium: str, campaign: str,
                           content: str | None) -> str:
    """hub.share.tracked_url as first written, on urllib alone: what the fast one must equal."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in share.UTM_KEYS]
    query += [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign)]
    if content:
        query.append(("utm_content", content))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@given(
    st.sampled_from(["https://acme.example/a", "https://acme.example/", "http://acme.example"]),
    st.text(), st.text(), st.lists(st.text(), min_size=1, max_size=3),
    st.text(), st.one_of(st.none(), st.text()),
)
def test_tracked_urls_equal_the_urllib_reference(
    base: str, query: str, fragment: str, sources: list[str], campaign: str, content: str | None,
) -> None:
    url = f"{base}?{query}#{fragment}"
    urls = share.tracked_urls(url, sources, medium="m", campaign=campaign, content=content)
    for source in sources:
        assert urls[source] == _reference_tracked_url(url, source, "m", campaign, content)


def test_wordings_are_sent_once_and_refer_to_shown_captions() -> None:
    refs, texts = postpage.wording_data({
        "linkedin": ["summary", "title"],
        "x": ["title", "short", "summary"],
        "email": ["long", "short"],
    })
    assert refs == {"linkedin": ["linkedin", "x"], "x": ["x", 0, "linkedin"],
                    "email": ["email", 0]}
    assert texts == ["short"]


def test_share_data_cannot_end_its_script() -> None:
    text = postpage._script_json({"a": ["</script><script>", "<!--"]})
    assert "<" not in text and json.loads(text)["a"][1] == "<!--"


def test_feed_is_escaped_and_deterministic() -> None:
    on = dt.date(2026, 11, 22)
    metas = [read(p).meta for p in sorted((FIXTURE / "content" / "posts").glob("*.md"))]
    slugs = [p.stem for p in sorted((FIXTURE / "content" / "posts").glob("*.md"))]
    entries = [listing.entry(s, m, on, 7) for s, m in zip(slugs, metas, strict=True)]
    first = atom.atom_feed(entries, title="Hub & <co>", base_url="https://hub.example/")
    assert first == atom.atom_feed(list(reversed(entries)), title="Hub & <co>",
                                   base_url="https://hub.example/")
    root = ET.fromstring(first.encode("utf-8"))
    ns = {"a": atom.ATOM}
    assert root.findtext("a:title", namespaces=ns) == "Hub & <co>"
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles[0] == "Hello world"
    assert '<img src=x onerror=alert(1)> "quoted" & <script>alert(2)</script>' in titles
    assert "Secret draft" not in titles and "Data engineer (closed)" not in titles
    assert root.findtext("a:updated", namespaces=ns) == "2026-11-20T09:00:00Z"


# --- the built site -----------------------------------------------------------


def test_home_lists_share_ready_posts_pinned_first(site: Path) -> None:
    home = parse(site / "index.html")
    slugs = [a["data-slug"] for a in find(home, "article") if "data-slug" in a]
    assert slugs == SHARE_READY[:3]
    second = parse(site / "page" / "2" / "index.html")
    assert [a["data-slug"] for a in find(second, "article") if "data-slug" in a] == SHARE_READY[3:]
    assert find(home, "a", rel="next") and find(second, "a", rel="prev")
    assert not (site / "page" / "3").exists()


def test_drafts_embargoed_and_archived_posts_are_not_built(site: Path) -> None:
    for slug in HIDDEN:
        assert not (site / "posts" / slug).exists()
        assert not (site / "cards" / f"{slug}.png").exists()
        assert not (site / "cards" / f"{slug}-square.png").exists()
    assert (site / "cards" / "hello-world.png").is_file()
    text = "".join(p.read_text(encoding="utf-8") for p in html_pages(site))
    assert "Secret draft" not in text and "Embargoed launch" not in text


def test_filter_pages_per_category_language_and_tag(site: Path) -> None:
    jobs = parse(site / "category" / "jobs" / "index.html")
    assert [a["data-slug"] for a in find(jobs, "article") if "data-slug" in a] == ["open-job"]
    zh = parse(site / "language" / "zh" / "index.html")
    assert [a["data-slug"] for a in find(zh, "article") if "data-slug" in a] == ["zh-cloud"]
    tag = parse(site / "tag" / "人工智能" / "index.html")
    assert [a["data-slug"] for a in find(tag, "article") if "data-slug" in a] == ["zh-cloud"]
    assert find(jobs, "a", aria_current="page", href="./")


def test_listings_offer_a_search_form(site: Path) -> None:
    tags = parse(site / "tag" / "ai" / "index.html")
    assert find(tags, "form", role="search", action="../../search/", method="get")
    assert find(tags, "input", id="hub-q", name="q")


@pytest.fixture(scope="module")
def catalan_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture hub with theme.language ca and Xing off, as a hub has it by default."""
    root = make_hub(tmp_path_factory.mktemp("hub-ca"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  language: en\n", "  language: ca\n", 1),
                      "utf-8")
    settings = root / "hub.yml"
    settings.write_text(settings.read_text("utf-8").replace(", xing, email]", ", email]"), "utf-8")
    # The program page, its own words in Catalan as a Catalan hub writes them, on the import
    # of tests/data/analytics/ga4.csv (its expected output).
    (root / "content" / "program.md").write_text(
        "---\ntitle: El programa en xifres\n---\n\n# El programa en xifres\n\n"
        "<!-- hub:program -->\n", "utf-8")
    shutil.copy2(REPO / "tests" / "data" / "analytics" / "ga4.expected.yml",
                 root / "content" / "_data" / "analytics.yml")
    return build(root, "site")


def test_a_catalan_site_speaks_catalan_around_posts_in_any_language(catalan_site: Path) -> None:
    """Listings and the search page in the site's language; a post's hint in the post's,
    naming only the copy-first networks this hub offers."""
    home = (catalan_site / "index.html").read_text("utf-8")
    for words in (">Cerca publicacions</label>", ">Cerca</button>", ">Comparteix:</span>",
                  ">Totes les xarxes i textos<", ">6 publicacions, pàgina 1 de 2</p>",
                  ">Publicacions més antigues</a>", 'aria-label="Pàgines"', ">Pàgina 2</span>"):
        assert words in home, words
    for english in ("Search posts", ">Share:", "All networks and captions", "Older posts",
                    " posts, page "):
        assert english not in home, english
    assert '<span class="hub-sr"> per a <span lang="en">Hello world</span></span>' in home
    jobs = (catalan_site / "category" / "jobs" / "index.html").read_text("utf-8")
    assert "<title>Publicacions: Oferta de feina - Test Hub</title>" in jobs
    search = (catalan_site / "search" / "index.html").read_text("utf-8")
    assert 'data-placeholder="Cerca publicacions, pautes i persones"' in search
    assert ">Cerca publicacions, pautes i persones</label>" in search
    post = (catalan_site / "posts" / "hello-world" / "index.html").read_text("utf-8")
    assert "(Facebook and LinkedIn on phones) it is copied first" in post
    assert "Xing" not in post
    zh = (catalan_site / "posts" / "zh-cloud" / "index.html").read_text("utf-8")
    assert "（Facebook和手机上的 LinkedIn）" in zh


def _page_with(site: Path, marker: str) -> str:
    return next(text for path in sorted(site.rglob("index.html"))
                if marker in (text := path.read_text("utf-8")))


def test_a_catalan_site_names_its_own_pages_in_catalan(catalan_site: Path) -> None:
    """Calculator, wall, suggest, brand and program pages, and the header search button's words
    (hub.js reads them from the meta), in the site's language; numbers as Catalan groups them;
    the program's headings keep their English anchors."""
    calc = _page_with(catalan_site, 'id="hub-calc"')
    for words in (">Empleats que comparteixen</label>", ">Calcula</button>", 'data-lang="ca"',
                  'data-none="n/d"', ">33.800</output> persones poden veure", ">+1.590\xa0%<"):
        assert words in calc, words
    wall = _page_with(catalan_site, 'class="hub-wall"')
    for words in (">Nom</th>", ">Equip</th>", ">Clics</th>", "Classificació de la campanya: "):
        assert words in wall, words
    suggest = _page_with(catalan_site, 'id="hub-suggest"')
    assert ">Suggereix una publicació</a>" in suggest
    brand = _page_with(catalan_site, 'class="hub-brand"')
    for words in ('id="brand-colours">Colors</h2>', ">Ortografia</h2>", "Sobre blanc "):
        assert words in brand, words
    program = _page_with(catalan_site, 'class="hub-figure"')
    for words in ("<strong>1.225 visites</strong> van arribar", "<strong>4 ambaixadors</strong>",
                  "(2 sense nom al hub)", "entre 2 de novembre del 2026 i 1 de desembre del 2026",
                  '<h2 id="visits-by-network">Visites per xarxa</h2>',
                  '<h2 id="visits-by-kind-of-content">Visites per tipus de contingut</h2>',
                  '<h2 id="visits-by-week">Visites per setmana</h2>',
                  '<h2 id="top-posts">Publicacions més visitades</h2>',
                  "<summary>Xifres</summary>", ">Xarxa</th>", ">Visites</th>", ">Setmana</th>",
                  ">Publicació</th>", ">Categoria</th>", "<td>1.150</td>",
                  "<td>Oferta de feina</td>",
                  "LinkedIn: 1.150; X: 43", ">S45</text>", "<td>Setmana 45 del 2026</td>"):
        assert words in program, words
    for page in (calc, wall, suggest, brand, program):
        assert 'data-title="Cerca" data-label="Cerca al hub"' in page
        for english in ("Employees who share", "Top contributors", ">Name<",
                        "Suggest a post</a></p>", "On white", "Search the hub", " visits",
                        "advocates", "Visits", "Numbers", ">Week", ">Post<", "not named",
                        "2026-W45", "Job opening", ">1,150<"):
            assert english not in page, english


def test_quick_start_build_syncs_the_samples_and_builds(tmp_path: Path) -> None:
    """README's first command: `advocacy-hub build --sync` on the repository's own inputs."""
    from hub import cli

    root = tmp_path / "hub"
    for name in ("content", "guidelines", "samples", "theme"):
        shutil.copytree(REPO / name, root / name,
                        ignore=shutil.ignore_patterns(".manifest.json", "*.png"))
    for name in ("hub.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, root / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_TODAY", "2026-11-23")
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        code = cli.main(["--config", str(root / "hub.yml"), "-q", "build", "--sync"])
    assert code == 0
    posts = sorted(p.name for p in (root / "site" / "posts").iterdir() if p.is_dir())
    assert len(posts) > 10
    assert (root / "site" / "cards" / f"{posts[0]}.png").is_file()


def test_build_command_writes_site_and_search(tmp_path: Path) -> None:
    from hub import cli

    root = make_hub(tmp_path / "hub")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_TODAY", TODAY)
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        code = cli.main(["--config", str(root / "hub.yml"), "-q", "build", "--site-dir", "out"])
    assert code == 0
    assert (root / "out" / "posts" / "hello-world" / "index.html").is_file()
    assert (root / "out" / "pagefind" / "pagefind.js").is_file()


def test_new_and_featured_badges(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    card = html.split('data-slug="hello-world"')[1].split("</article>")[0]
    assert "hub-badge--new" in card
    pinned = html.split('data-slug="pinned-old"')[1].split("</article>")[0]
    assert "hub-badge--pinned" in pinned and "hub-badge--new" not in pinned


def test_hostile_post_injects_nothing(site: Path) -> None:
    for page in html_pages(site):
        tags = parse(page)
        for tag, attrs in tags.tags:
            assert not [a for a in attrs if a.startswith("on")], f"{page}: <{tag} {attrs}>"
            for name in ("href", "src"):
                assert not attrs.get(name, "").strip().lower().startswith("javascript:"), page
        assert not [s for s in tags.scripts if "alert(" in s], page
    post = (site / "posts" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &lt;" in post


def test_post_page_share_panel(site: Path) -> None:
    tags = parse(site / "posts" / "hello-world" / "index.html")
    links = {
        a["data-network"]: a for a in find(tags, "a") if "hub-share__link" in a.get("class", "")
    }
    assert list(links) == ["linkedin", "x", "facebook", "bluesky", "threads", "mastodon",
                           "whatsapp", "xing", "email"]
    linkedin = urlsplit(links["linkedin"]["href"])
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/feed/")
    text = parse_qs(linkedin.query)["text"][0]
    caption, url = text.split("\n\n")
    assert caption == "First LinkedIn wording: we said hello."
    query = parse_qs(urlsplit(url).query)
    assert query == {"ref": ["feed"], "utm_source": ["linkedin"],
                     "utm_medium": ["employee-advocacy"], "utm_campaign": ["hello-world"]}
    assert links["x"]["data-url"] == (
        "https://www.acme.example/blog/hello-world?ref=feed&utm_source=x"
        "&utm_medium=employee-advocacy&utm_campaign=hello-world"
    )
    captions = [a for a in find(tags, "p") if a.get("class") == "hub-net__caption"]
    assert [a["id"] for a in captions if "x" in a["id"]] == ["hub-caption-x"]
    assert links["x"]["aria-describedby"] == "hub-caption-x"
    data = json.loads(next(s for s in tags.scripts if '"patterns"' in s))
    meta = read(FIXTURE / "content" / "posts" / "hello-world.md").meta
    shown = {
        network: postpage.caption_options(meta, network)[0] for network in data["wordings"]
    }
    html = (site / "posts" / "hello-world" / "index.html").read_text(encoding="utf-8")
    template = html.split('<template id="hub-wordings" lang="en">', 1)[1].split("</template>")[0]
    others = [unescape(t) for t in template.removeprefix("<p>").removesuffix("</p>").split(
        "</p><p>")]
    for network, refs in data["wordings"].items():  # every wording is in the page, once
        texts = [shown[r] if isinstance(r, str) else others[r] for r in refs]
        assert texts == postpage.caption_options(meta, network), network
    assert len(data["wordings"]["x"]) == 3
    assert len(set(others)) == len(others)
    assert not set(others) & set(shown.values())
    assert find(tags, "button", class_="hub-copy md-button hub-js", data_network="x")
    assert find(tags, "button", class_="hub-another md-button hub-js", data_network="x")
    assert not find(tags, "button", class_="hub-another md-button hub-js", data_network="facebook")
    xing = find(tags, "div", class_="hub-net", data_network="xing")[0]
    assert xing["data-captions-from"] == "linkedin"
    assert not [a for a in captions if a["id"].startswith("hub-caption-xing")]
    assert "xing" not in data["wordings"]
    assert data["patterns"]["mastodon"].startswith("https://{instance}/share?")


def test_email_link_is_rfc_6068(site: Path) -> None:
    tags = parse(site / "posts" / "hello-world" / "index.html")
    href = next(a["href"] for a in find(tags, "a", data_network="email") if "href" in a)
    assert href.startswith("mailto:?subject=Our%20first%20post&body=")
    assert "%0D%0A" in href and "+" not in href
    assert unquote(href.split("body=")[1]).startswith("I thought you would like this.\r\nBest")


def test_post_card_downloads_and_link_preview(site: Path) -> None:
    tags = parse(site / "posts" / "hello-world" / "index.html")
    downloads = [a["href"] for a in find(tags, "a") if "download" in a]
    assert downloads == ["../../cards/hello-world.png", "../../cards/hello-world-square.png"]
    assert (site / "cards" / "hello-world-square.png").is_file()
    img = find(tags, "img", src="../../cards/hello-world.png")[0]
    assert img["alt"] == "Acme card: From the blog. Hello world. Jane Doe."
    meta = {a.get("property") or a.get("name"): a.get("content") for a in find(tags, "meta")}
    assert meta["og:image"] == "https://hub.test.example/cards/hello-world.png"
    assert meta["og:url"] == "https://hub.test.example/posts/hello-world/"
    assert meta["og:title"] == "Hello world"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["description"] == "Our first post on the hub."


def test_every_post_page_has_a_complete_link_preview(site: Path) -> None:
    """og:image (card or brand card), its alt for Open Graph and X, og:locale as ll_CC."""
    from PIL import Image

    locales, images = {}, {}
    for slug in SHARE_READY:
        tags = parse(site / "posts" / slug / "index.html")
        meta = {a.get("property") or a.get("name"): a.get("content") for a in find(tags, "meta")}
        assert meta["og:image"].startswith("https://hub.test.example/"), slug
        assert meta["og:image:alt"] and meta["twitter:image:alt"] == meta["og:image:alt"], slug
        assert re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}", meta["og:locale"]), meta["og:locale"]
        locales[slug], images[slug] = meta["og:locale"], meta["og:image"]
    assert locales["hello-world"] == "en_US"
    assert locales["ar-hello"] == "ar_EG" and locales["zh-cloud"] == "zh_CN"
    brand = [s for s, url in images.items() if url.endswith("/assets/hub/brand-card.png")]
    assert brand, "a post without a drawn card falls back to the brand card"
    with Image.open(site / "assets" / "hub" / "brand-card.png") as card:
        assert card.size == (1200, 630)


@pytest.mark.parametrize(("language", "locale"), [
    ("en", "en_US"), ("en-GB", "en_GB"), ("pt", "pt_BR"), ("zh-Hant", "zh_TW"),
    ("zh-Hant-HK", "zh_HK"), ("ca", "ca_ES"), ("hi", "hi_IN"), ("fa", "fa_IR"), ("xx", None),
    ("not a tag", None),
])
def test_og_locale_is_ll_cc_from_cldr(language: str, locale: str | None) -> None:
    assert postpage.og_locale(language) == locale


def test_expired_job_is_closed_without_sharing(site: Path) -> None:
    html = (site / "posts" / "closed-job" / "index.html").read_text(encoding="utf-8")
    assert "This position is closed" in html
    assert "hub-share__link" not in html and 'id="share"' not in html
    open_job = (site / "posts" / "open-job" / "index.html").read_text(encoding="utf-8")
    assert "hub-share__link" in open_job and "utm_campaign%3Dhiring-2026" in open_job


def test_pages_carry_their_language(site: Path) -> None:
    zh = parse(site / "posts" / "zh-cloud" / "index.html")
    assert find(zh, "html")[0]["lang"] == "zh"
    ar = parse(site / "posts" / "ar-hello" / "index.html")
    assert find(ar, "h1", lang="ar", dir="rtl")
    assert find(parse(site / "index.html"), "html")[0]["lang"] == "en"


def test_every_url_is_relative_or_a_share_link(site: Path) -> None:
    """Works from a sub-path, and loads nothing from another host."""
    for page in html_pages(site):
        if page.name == "404.html":
            continue  # served at any depth, so MkDocs roots it at site_url's path on purpose
        for tag, attrs in parse(page).tags:
            for name in ("href", "src"):
                value = attrs.get(name, "")
                assert not value.startswith("/"), f"{page}: <{tag} {name}={value}>"
                loads = tag in ("script", "img") or (
                    tag == "link" and attrs.get("rel") in ("stylesheet", "icon")
                )
                if loads and name in attrs:
                    assert "://" not in value, f"{page}: <{tag} {name}={value}>"


def primary_nav(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    start = html.index('data-md-type="navigation"')
    return html[start : html.index('data-md-type="toc"', start)]


def test_navigation_links_resolve_from_every_page(site: Path) -> None:
    """Posts and listings print a navigation rendered once per depth: its links must still fit."""
    checked = 0
    for page in html_pages(site):
        if page.name == "404.html":
            continue  # rooted at site_url's path on purpose
        for href in re.findall(r'href="([^"#]+)"', primary_nav(page)):
            target = (page.parent / href).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{page}: {href}"
            checked += 1
    assert checked > 50


def test_posts_share_one_navigation(site: Path) -> None:
    navs = {primary_nav(p) for p in (site / "posts").glob("*/index.html")}
    assert len(navs) == 1
    assert 'href="../../guidelines/social-media-policy/"' in navs.pop()


def test_no_material_search_and_system_fonts(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "md-search" not in html
    assert not (site / "search" / "search_index.json").exists()


def test_guidelines_are_a_nav_section(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "guidelines/social-media-policy/" in html and "Guidelines" in html
    brand = (site / "guidelines" / "brand-style-guide" / "index.html").read_text(encoding="utf-8")
    assert "<code>#0B3D91</code>" in brand and "10.0:1 (AAA)" in brand
    assert "<td>e-commerce</td><td>ecommerce</td>" in brand and "#LifeAtAcme" in brand


def test_recognition_wall(site: Path) -> None:
    html = (site / "recognition" / "index.html").read_text(encoding="utf-8")
    assert "Advocate of the month: 2026-11" in html and "Nurul Huda" in html
    assert 'aria-hidden="true">NH</span>' in html and 'aria-hidden="true">陈</span>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Campaign leaderboard: Hiring 2026" in html


def test_wall_without_data_file_shows_a_hint(tmp_path: Path) -> None:
    ctx = pages.Context(config=HubConfig(), root=tmp_path, rel=lambda p: p)
    assert "The wall is empty for now" in pages.recognition_wall(ctx)


def test_calculator_and_suggest_pages(site: Path) -> None:
    calc = (site / "calculator" / "index.html").read_text(encoding="utf-8")
    assert '<output id="calc-reach" for="calc-employees calc-network">33,800</output>' in calc
    assert ">+1,590%</output>" in calc and '<label for="calc-followers">' in calc
    suggest = parse(site / "suggest" / "index.html")
    assert find(suggest, "a", id="hub-suggest")[0]["href"].startswith("mailto:comms@test.example?")


def test_atom_feed_is_in_the_site(site: Path) -> None:
    root = ET.parse(site / "feed.xml").getroot()
    links = [
        e.get("href") for e in root.iter(f"{{{atom.ATOM}}}link") if e.get("rel") == "alternate"
    ]
    assert "https://hub.test.example/posts/hello-world/" in links


def test_search_index_is_built_and_listings_are_left_out(site: Path) -> None:
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert "data-pagefind-body" in (site / "posts" / "zh-cloud" / "index.html").read_text("utf-8")
    assert "data-pagefind-body" not in (site / "index.html").read_text("utf-8")
    search = parse(site / "search" / "index.html")
    assert find(search, "script", src="../pagefind/pagefind-ui.js", defer="")


def indexed(site: Path) -> dict[str, dict]:
    """What Pagefind stored per page (its fragments: gzipped JSON after a signature)."""
    import gzip

    out = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        out[fragment["url"]] = fragment
    return out


def test_search_indexes_the_post_not_its_navigation_or_share_panel(site: Path) -> None:
    fragments = indexed(site)
    assert "/" not in fragments and "/tag/acme/" not in fragments
    post = fragments["/posts/hello-world/"]
    assert post["meta"]["title"] == "Hello world"
    text = post["content"].replace("\u200b", "")
    assert "Jane Doe" in text
    assert "Share this post" not in text and "advocate code" not in text
    assert "Guidelines" not in text  # the navigation
    guideline = next(f for url, f in fragments.items() if url.startswith("/guidelines/"))
    assert guideline["meta"]["title"]


class _SearchRegion(HTMLParser):
    """Which element ids sit inside the data-pagefind-body div (divs counted to find its end)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.inside: set[str] = set()
        self.outside: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "div" and (self.depth or "data-pagefind-body" in names):
            self.depth += 1
        if names.get("id"):
            (self.inside if self.depth else self.outside).add(str(names["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1


def test_share_actions_and_panel_come_first_and_are_not_searched(site: Path) -> None:
    text = (site / "posts" / "hello-world" / "index.html").read_text(encoding="utf-8")
    region = _SearchRegion()
    region.feed(text)
    assert "post-title" in region.inside
    actions, panel = text.index('class="hub-share-now"'), text.index('id="share"')
    assert text.index('id="post-title"') < actions < panel < text.index('class="hub-post__body"')
    for start in (actions, panel):
        assert "data-pagefind-ignore" in text[start: text.index(">", start)]


def test_hidden_files_stay_out_of_the_site(hub_root: Path, site: Path) -> None:
    assert (hub_root / "content" / "cards" / ".manifest.json").is_file()
    assert [p for p in site.rglob(".*")] == []


def test_cards_are_linked_into_the_site_not_copied(hub_root: Path, site: Path) -> None:
    built = site / "cards" / "hello-world.png"
    assert built.stat().st_ino == (hub_root / "content" / "cards" / "hello-world.png").stat().st_ino
    assert not (site / "cards" / "draft.png").exists()


def _search_service(output: Path) -> LiveSearchIndex:
    from pagefind.service import get_executable

    return LiveSearchIndex(get_executable(), output, "en")


def test_search_bundle_is_written_in_the_background_and_takes_no_late_page(
    tmp_path: Path,
) -> None:
    index = _search_service(tmp_path / "pagefind")
    index.add("<html><body><h1>Launch</h1><p>Rocket day</p></body></html>", "a/index.html")
    index.finish()
    with pytest.raises(BuildError, match=r"b/index\.html came after the search index"):
        index.add("<html><body><p>late</p></body></html>", "b/index.html")
    index.close(write=True)
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()


def test_a_failed_search_write_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the bundle's folder should go")
    index = _search_service(tmp_path / "taken" / "pagefind")
    index.add("<html><body><h1>Launch</h1></body></html>", "a/index.html")
    with pytest.raises(BuildError, match="search: pagefind"):
        index.close(write=True)


def test_post_page_stays_small(site: Path) -> None:
    assert (site / "posts" / "hello-world" / "index.html").stat().st_size < 50_000


def test_two_builds_are_byte_identical(hub_root: Path, site: Path, renderer: str) -> None:
    again = build(hub_root, f"site-again-{renderer}", renderer=renderer)
    compared = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts):
        other = again / path.relative_to(site)
        assert filecmp.cmp(path, other, shallow=False), path
        compared += 1
    assert compared > 20


def test_synced_post_links_to_site_pages_are_rewritten_and_checked(tmp_path: Path) -> None:
    root = make_hub(tmp_path / "hub")
    post = root / "content" / "posts" / "hello-world.md"
    text = post.read_text(encoding="utf-8").replace(
        "---\n", "---\nsource: acme-blog\n", 1
    ).replace("More text.", "More in [the policy](../guidelines/social-media-policy.md).")
    post.write_text(text, encoding="utf-8")
    site = build(root)
    html = (site / "posts" / "hello-world" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../guidelines/social-media-policy/"' in html
    assert 'href="#details"' in html  # the table of contents
    post.write_text(text.replace("social-media-policy.md", "gone.md"), encoding="utf-8")
    with pytest.raises(BuildError, match="Aborted"):
        build(root, "site-broken")


def test_broken_link_fails_the_strict_build(tmp_path: Path) -> None:
    root = make_hub(tmp_path / "hub")
    (root / "guidelines" / "faq.md").write_text("# FAQ\n\nSee [missing](nowhere.md).\n")
    with pytest.raises(BuildError, match="Aborted"):
        build(root)


def test_bad_post_names_the_file(tmp_path: Path) -> None:
    root = make_hub(tmp_path / "hub")
    (root / "content" / "posts" / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    with pytest.raises(BuildError, match=r"broken\.md:\d+: frontmatter is not valid YAML"):
        build(root)


@pytest.mark.slow
def test_the_repository_builds_strict(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        build_site(REPO / "mkdocs.yml", site_dir=tmp_path / "site", search=False)
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "guidelines" / "brand-style-guide" / "index.html").is_file()
    # The guidelines' definition lists (FAQ, do/don't) and tabs render as such.
    for page in ("social-media-policy", "brand-style-guide"):
        html = (tmp_path / "site" / "guidelines" / page / "index.html").read_text("utf-8")
        assert "<dl>" in html and "<dd>" in html and "\n:   " not in html, page
        assert 'class="tabbed-set tabbed-alternate"' in html and "\n=== " not in html, page


def test_brand_colour_paints_the_header_only_when_readable() -> None:
    from hub.config import BrandConfig

    css = pages.brand_css(BrandConfig(colors={"primary": "#0B3D91"}))
    assert "--md-primary-fg-color:#0B3D91" in css
    assert pages.brand_css(BrandConfig(colors={"primary": "#FFE066"})) == ""


# --- one hub, two renderers -----------------------------------------------------


def _all_text(site: Path) -> str:
    """Every text file of a built site, search fragments decompressed."""
    import gzip

    out = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".js", ".txt"):
            out.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".pf_fragment":
            out.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(out)


def test_both_renderers_build_the_same_pages_and_search(both_sites: dict[str, Path]) -> None:
    pages_of = {r: {p.relative_to(s).as_posix() for p in html_pages(s)}
                for r, s in both_sites.items()}
    assert pages_of["mkdocs"] == pages_of["zensical"]
    assert {f"posts/{slug}/index.html" for slug in SHARE_READY} <= pages_of["mkdocs"]
    hidden_titles = [str(read(FIXTURE / "content" / "posts" / f"{s}.md").meta["title"])
                     for s in HIDDEN]
    for renderer, site in both_sites.items():
        text = _all_text(site)
        for slug, title in zip(HIDDEN, hidden_titles, strict=True):
            assert f"posts/{slug}/" not in text, (renderer, slug)
            assert title not in text, (renderer, title)
        assert (site / "feed.xml").is_file(), renderer
        html = (site / "posts" / "hello-world" / "index.html").read_text(encoding="utf-8")
        assert 'id="share"' in html and "hub-share__link" in html, renderer
    fragments = {r: indexed(s) for r, s in both_sites.items()}
    assert fragments["mkdocs"].keys() == fragments["zensical"].keys()
    for url, fragment in fragments["mkdocs"].items():
        assert fragment["content"] == fragments["zensical"][url]["content"], url
        assert fragment["meta"] == fragments["zensical"][url]["meta"], url


def test_renderers_print_the_same_content(both_sites: dict[str, Path]) -> None:
    """Each page's <article> is the same under both, but for Zensical's skip-link anchor."""
    def article(page: Path) -> str:
        html = page.read_text(encoding="utf-8")
        body = html[html.index("<article"): html.rindex("</article>")]
        body = body.replace('<a id="__skip" tabindex="-1"></a>', "")
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body))

    mk, zen = both_sites["mkdocs"], both_sites["zensical"]
    for page in html_pages(mk):
        assert article(page) == article(zen / page.relative_to(mk)), page


def test_the_hub_controls_both_renderers_search_and_look(hub_root: Path,
                                                         both_sites: dict[str, Path]) -> None:
    import yaml

    config = yaml.safe_load((hub_root / ".build" / "site-src" / "mkdocs.yml").read_text("utf-8"))
    assert config["plugins"] == [{"search": {"enabled": False}}]
    assert config["theme"]["variant"] == "classic"
    assert config["hooks"] == [str(REPO / "hub" / "site" / "mkdocs_speedups.py")]  # only
    assert {"hub.site.mdx": {"fragments": str(hub_root / ".build" / "site-src" / "fragments")}} in (
        config["markdown_extensions"])
    index = both_sites["zensical"] / "search.json"
    assert not index.exists() or json.loads(index.read_text("utf-8"))["items"] == []


def test_mkdocs_speedups_change_nothing(hub_root: Path, both_sites: dict[str, Path]) -> None:
    """The optional MkDocs hook only saves time: without it, every page is the same."""
    plain = hub_root / "site-no-speedups"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_TODAY", TODAY)
        build_site(hub_root / "mkdocs.yml", site_dir=plain, search=False, speedups=False)
    fast = both_sites["mkdocs"]
    compared = 0
    for page in html_pages(fast):
        assert page.read_bytes() == (plain / page.relative_to(fast)).read_bytes(), page
        compared += 1
    assert compared > 20


def test_which_pages_skip_mkdocs_markdown_processing() -> None:
    from hub.site.mkdocs_speedups import renders_alone

    cases = {
        "[A link](https://acme.example/x) and ![pic](https://acme.example/p.png).": True,
        "&lt;script&gt; stays text; \\[x\\](y) too.\n\n| a | b |\n| --- | --- |": True,
        '<!-- hub:html 3f0a -->\n\n<!-- hub:body lang="en" clean -->\n\nText\n\n'
        "<!-- /hub:body -->": True,
        "See [the policy](../guidelines/social-media-policy.md).": False,
        "See [above](#details).": False,
        "Raw <b>HTML</b> from an edit.": False,
        "An escaped backslash: \\\\[x](page.md)": False,
        "[policy]: ../guidelines/social-media-policy.md\n\nSee [policy].": False,
    }
    assert {body: renders_alone(body) for body in cases} == cases


def test_every_generated_page_is_a_folder_index(hub_root: Path, site: Path) -> None:
    docs = hub_root / ".build" / "site-src" / "docs"
    pages_written = [p.relative_to(docs).as_posix() for p in docs.rglob("*.md")]
    assert pages_written and all(p.endswith("index.md") or p == "404.md" for p in pages_written)
    assert not [p for p in pages_written if any(s in p for s in HIDDEN)]


def test_the_check_fails_on_a_missing_or_extra_page(hub_root: Path, site: Path,
                                                    tmp_path: Path) -> None:
    from hub.site.build import check_site
    from hub.site.generator import SiteSource

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    source = SiteSource(folder=tmp_path, config=tmp_path / "x", docs=tmp_path,
                        posts=[*SHARE_READY, "closed-job"],
                        listing_urls=[p.parent.relative_to(copy).as_posix() + "/"
                                      for d in ("page", "category", "language", "tag")
                                      for p in (copy / d).rglob("index.html")] + [""])
    assert check_site(copy, source) == []
    shutil.rmtree(copy / "posts" / "hostile")
    (copy / "posts" / "draft").mkdir()
    (copy / "posts" / "draft" / "index.html").write_text("<p>draft</p>")
    shutil.rmtree(copy / "tag" / "ai")
    (copy / "feed.xml").unlink()
    assert check_site(copy, source) == [
        "posts/hostile/: published but not built", "posts/draft/: built but not published",
        "tag/ai/: listing page not built", "feed.xml: not built",
    ]


@pytest.mark.parametrize(
    ("src", "markdown", "expected"),
    [
        ("index.md", "Read the [policy](guidelines/social-media-policy.md).",
         "Read the [policy](guidelines/social-media-policy/index.md)."),
        ("suggest.md", "See [the policy](guidelines/social-media-policy.md#who-to-ask).",
         "See [the policy](../guidelines/social-media-policy/index.md#who-to-ask)."),
        ("guidelines/brand-style-guide.md", "![logo](images/logo-do.svg){ width=\"640\" }",
         "![logo](../images/logo-do.svg){ width=\"640\" }"),
        ("guidelines/brand-style-guide.md", "[up](#top) [web](https://x.example/a.md) "
         "[mail](mailto:a@b.example) [root](/abs/)",
         "[up](#top) [web](https://x.example/a.md) [mail](mailto:a@b.example) [root](/abs/)"),
        ("posts/p.md", '[policy]: ../guidelines/social-media-policy.md\n<a href="../feed.xml">',
         '[policy]: ../../guidelines/social-media-policy/index.md\n<a href="../../feed.xml">'),
    ],
)
def test_links_follow_pages_into_their_folders(src: str, markdown: str, expected: str) -> None:
    from hub.site.generator import page_file, rewrite_links

    names = ["index.md", "suggest.md", "guidelines/social-media-policy.md",
             "guidelines/brand-style-guide.md"]
    moved = {name: page_file(name) for name in names} | {"posts/p.md": "posts/p/index.md"}
    assert rewrite_links(markdown, src, moved) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<h1>T</h1>\n<!-- hub:body lang="en" clean -->\n<p onclick="x()">Hi '
         '<a href="javascript:alert(1)">a</a></p>\n<!-- /hub:body -->',
         '<h1>T</h1>\n<div class="hub-post__body" lang="en"><p>Hi '
         '<a rel="noopener noreferrer nofollow">a</a></p></div>'),
        ('<!-- hub:body lang="ar" dir="rtl" -->\n<p><b class="k">hand</b></p>\n<!-- /hub:body -->',
         '<div class="hub-post__body" lang="ar" dir="rtl"><p><b class="k">hand</b></p></div>'),
        ("<p>No mark: left alone.</p>", "<p>No mark: left alone.</p>"),
    ],
)
def test_post_body_mark_becomes_its_div_cleaned_when_synced(html: str, expected: str) -> None:
    from hub.site import mdx

    assert mdx.place_body(html) == expected


def test_build_with_zensical_from_the_command_line(tmp_path: Path) -> None:
    from hub import cli

    root = make_hub(tmp_path / "hub")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_TODAY", TODAY)
        code = cli.main(["--config", str(root / "hub.yml"), "-q", "build", "--renderer",
                         "zensical", "--site-dir", "out"])
    assert code == 0
    html = (root / "out" / "posts" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in html
    assert "zensical" in html and (root / "out" / "pagefind" / "pagefind.js").is_file()


def test_a_rebuild_rewrites_only_changed_files_and_drops_removed_posts(tmp_path: Path) -> None:
    from hub.config import load_config
    from hub.site.generator import generate

    root = make_hub(tmp_path / "hub")
    folder = tmp_path / "src"
    config = load_config(root / "hub.yml") if (root / "hub.yml").is_file() else HubConfig()

    def run() -> dict[Path, int]:
        generate(config, root=root, content=root / "content", folder=folder,
                 site_dir=folder / "site", base_config=root / "mkdocs.yml",
                 today=dt.date.fromisoformat(TODAY))
        return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}

    first = run()
    assert run() == first  # the same inputs: no file written again
    (root / "content" / "posts" / "hello-world.md").unlink()
    third = run()
    assert not (folder / "docs" / "posts" / "hello-world").exists()
    assert not (folder / "docs" / "cards" / "hello-world.png").exists()
    # Fragments are named by their HTML: the listings that lost the post are new files.
    pages = {p for p in third if "fragments" not in p.parts}
    assert pages < {p for p in first if "fragments" not in p.parts}
    assert len(third) < len(first)  # the post's own fragments and its listings' old ones went


@pytest.mark.parametrize("meta", [
    {"title": "Ünïcode ☁ 云", "hide": ["navigation"], "hub_index": True, "hub_lang": None},
    {"title": "emoji 😀"}, {"title": "del \x7f"}, {"weight": 0.5}, {"weight": 1e-05}, {"n": 3},
])
def test_json_frontmatter_reads_as_mkdocs_reads_it(meta: dict) -> None:
    from mkdocs.utils.meta import get_data

    from hub.site.generator import with_frontmatter
    from hub.site.mkdocs_speedups import json_meta

    source = with_frontmatter(meta, "# Body\n")
    fast = json_meta(source)
    assert fast is None or fast == get_data(source)
    if all(isinstance(v, (str, list, bool, type(None), int)) for v in meta.values()) and (
        "😀" not in str(meta) and "\x7f" not in str(meta)
    ):
        assert fast is not None


@given(st.text(alphabet='id="=-_ xé1<>', max_size=60))
def test_anchor_ids_are_the_ones_mkdocs_speedups_always_found(html: str) -> None:
    """Found by the literal start and checked by hand: the same ids as `\\bid="([^"]+)"`."""
    from hub.site.mkdocs_speedups import anchor_ids

    assert anchor_ids(html) == set(re.findall(r'\bid="([^"]+)"', html))


def test_search_text_is_reused_only_for_the_same_page(tmp_path: Path) -> None:
    from hub.site.build import SearchCache, _markdown, search_document
    from hub.site.generator import SearchDoc

    config = {"markdown_extensions": ["toc", "attr_list"]}
    path = tmp_path / "cache.json"
    doc = SearchDoc("posts/a/index.html", "## Über 云\n\ntext", "A", "de", head="<p>h</p>")
    first = SearchCache(path, config)
    assert first.document(doc) == search_document(doc, _markdown(config))
    first.save()
    stored = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(dict.fromkeys(stored, "from the cache")), "utf-8")
    again = SearchCache(path, config)
    assert again.document(doc) == "from the cache"
    changed = SearchDoc(doc.path, doc.markdown + " more", doc.title, doc.lang, head=doc.head)
    assert "more" in again.document(changed)
    other = SearchCache(path, {"markdown_extensions": ["toc"]})
    assert other.document(doc) != "from the cache"
    again.save()
    assert len(json.loads(path.read_text("utf-8"))) == 2  # only what this build used


def test_cached_post_html_is_what_a_fresh_build_writes(tmp_path: Path) -> None:
    """The post header and share panel cache (post-html-cache.json) never serves a stale panel."""
    from hub.config import load_config
    from hub.site.generator import HTML_CACHE, generate

    root = make_hub(tmp_path / "hub")
    config = load_config(root / "hub.yml") if (root / "hub.yml").is_file() else HubConfig()

    def run(folder: Path) -> dict[str, bytes]:
        generate(config, root=root, content=root / "content", folder=folder,
                 site_dir=folder / "site", base_config=root / "mkdocs.yml",
                 today=dt.date.fromisoformat(TODAY))
        return {p.relative_to(folder).as_posix(): p.read_bytes().replace(bytes(folder), b"F")
                for p in folder.rglob("*") if p.is_file() and p.name != HTML_CACHE}

    warm = tmp_path / "warm"
    run(warm)
    assert (warm / HTML_CACHE).is_file()
    post = root / "content" / "posts" / "hello-world.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        "title: ", "title: Renamed ", 1), encoding="utf-8")
    again = run(warm)
    assert any(b"Renamed" in data for name, data in again.items() if name.startswith("fragments/"))
    assert again == run(tmp_path / "fresh")


_PART = st.sampled_from(["posts", "a", "page", "2", "cards", "x.png", ".", "..", "", "ca"])


@given(st.lists(_PART, max_size=5), st.lists(_PART, max_size=5), st.booleans(), st.booleans())
def test_relative_urls_are_posixpaths_relpath(target, page, folder, page_folder):
    """The generator's fast page-relative URL is relpath's, a folder keeping its slash."""
    import posixpath

    from hub.site.generator import relative

    to = "/".join(target) + ("/" if folder and target else "")
    at = "/".join(page) + ("/" if page_folder and page else "")
    expected = posixpath.relpath(to or ".", at or ".")
    if (not to or to.endswith("/")) and not expected.endswith("/"):
        expected = "./" if expected == "." else expected + "/"
    assert relative(to, at) == expected


def test_search_bundle_is_reused_only_while_every_page_is_the_same(tmp_path: Path) -> None:
    """A build indexing the same pages reuses the last Pagefind bundle; any change re-indexes."""
    from hub.site.build import BUILD_DIR, SEARCH_BUNDLE, SearchBundle

    root = make_hub(tmp_path / "hub")
    kept = root / BUILD_DIR / SEARCH_BUNDLE

    def build(name: str) -> dict[str, bytes]:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HUB_TODAY", TODAY)
            mp.setenv("NO_MKDOCS_2_WARNING", "1")
            build_site(root / "mkdocs.yml", site_dir=root / name)
        bundle = root / name / "pagefind"
        return {p.relative_to(bundle).as_posix(): p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}

    first = build("one")
    key = (kept / SearchBundle.KEY).read_text(encoding="utf-8")
    assert "pagefind.js" in first and SearchBundle.KEY not in first
    # a bundle Pagefind never wrote: served as it is while the pages are the same
    (kept / "pagefind.js").unlink()
    (kept / "pagefind.js").write_text("// kept", encoding="utf-8")
    assert build("two")["pagefind.js"] == b"// kept"
    post = root / "content" / "posts" / "hello-world.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA new zebrafish paragraph.\n",
                    encoding="utf-8")
    changed = build("three")
    assert changed["pagefind.js"] == first["pagefind.js"]  # indexed again
    assert (kept / SearchBundle.KEY).read_text(encoding="utf-8") != key
    assert changed != first
