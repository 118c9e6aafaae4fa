"""The MkDocs hook: places the hub's generated pages and HTML into an MkDocs build.

Thin on purpose: which posts show where is hub.listing, the HTML is
hub.postpage / hub.postlist / hub.pages, the feed is hub.atom. This module
only wires them to MkDocs events, so moving to another renderer means
rewriting this file alone.

MkDocs' Jinja has no autoescape and Material prints `page.title` and
`page.meta.title` raw, while post titles come from feeds: every title handed
to MkDocs here is already HTML-escaped, and post pages get a `page.meta` of
our own making (never the post's raw frontmatter).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import re
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

if __name__ != "hub.site.mkdocs_hook":  # loaded by MkDocs from its path: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import markdown
import nh3
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url, normalize_url

from hub.site import atom

from hub.site import listing

from hub.site import pages

from hub.site import postlist

from hub.site import postpage

from hub.posts import events, share
from hub.site.build import finish_index, index_page
from hub.cards.cardtext import card_text
from hub.config import CONFIG_NAME, ConfigError, HubConfig, load_config
from hub.posts.schema import CARD_SUFFIX, CARDS_DIR, card_path, read
from hub.feeds.sanitize import LINK_REL

log = logging.getLogger("hub.site.mkdocs_hook")

POSTS = "posts/"
CARDS = f"{CARDS_DIR}/"
# The frontmatter hub.posts already read, as MkDocs' own reader sees "no fields".
NO_FRONTMATTER = "---\n{}\n---\n"
GUIDELINES = "guidelines"
FEED = "feed.xml"
LISTING_MARK = "<!-- hub:posts -->"
# Content pages in the order the navigation shows them (after Home and the
# guidelines); other top-level pages follow in name order.
NAV_ORDER = ("recognition.md", "program.md", "calculator.md", "suggest.md", "search.md")
NOT_INDEXED = ("search.md", "404.md")
# Material's navigation alone (theme/partials/hub-nav.html), printed by theme/main.html.
NAV_TEMPLATE = "partials/hub-nav.html"
# Tags and attributes a synced post body keeps when sanitized again after
# Markdown (defense in depth: hub.sanitize already cleaned the feed HTML).
BODY_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"lang", "dir", "title"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height", "title", "loading"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "time": {"datetime"},
}


@dataclass
class PostBody:
    """A post page whose body is being cleaned on another core (nh3 lets go of the GIL).

    Cleaning every synced body again after Markdown took ~2 s of a
    5,000-post build in the build's one thread; beside it, it takes none.
    """

    page: Page
    head: str
    lang: str
    html: str
    cleaned: Future[str] | None  # None: a hand-written post, not cleaned


@dataclass
class Build:
    """Everything one build learned in on_config/on_files, for the later events."""

    root: Path
    hub: HubConfig
    today: dt.date
    entries: dict[str, listing.Entry] = field(default_factory=dict)
    listing_pages: dict[str, tuple[listing.Listing, int]] = field(default_factory=dict)
    ready: list[listing.Entry] = field(default_factory=list)
    logo: str | None = None
    # page src_uri -> token -> HTML kept out of Markdown's way until on_page_content
    stash: dict[str, dict[str, str]] = field(default_factory=dict)
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    shares: dict[str, list[share.ShareLink]] = field(default_factory=dict)
    quick_links: dict[str, str] = field(default_factory=dict)
    # post src_uri -> Markdown body, read with the frontmatter in on_files
    bodies: dict[str, str] = field(default_factory=dict)
    env: Environment | None = None
    # the navigation's HTML per way of seeing it (see nav_key)
    navs: dict[tuple[str, ...], str] = field(default_factory=dict)
    bodies_to_come: list[PostBody] = field(default_factory=list)
    post_md: markdown.Markdown | None = None  # SyncedPostPage's
    cleaner: ThreadPoolExecutor | None = None

    def post_markdown(self, config: MkDocsConfig) -> markdown.Markdown:
        if self.post_md is None:
            self.post_md = markdown.Markdown(extensions=config.markdown_extensions,
                                             extension_configs=config.mdx_configs or {})
        return self.post_md

    def body_cleaner(self) -> ThreadPoolExecutor:
        if self.cleaner is None:
            self.cleaner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-clean")
        return self.cleaner

    def stop_cleaner(self) -> None:
        if self.cleaner is not None:
            self.cleaner.shutdown(cancel_futures=True)
            self.cleaner = None

    def shares_of(self, entry: listing.Entry) -> list[share.ShareLink]:
        """A post's share links, built once for its page and every listing it is on."""
        if entry.slug not in self.shares:
            self.shares[entry.slug] = share.share_links(entry.meta, self.hub.site, slug=entry.slug)
        return self.shares[entry.slug]

    def links_of(self, entry: listing.Entry) -> str:
        if entry.slug not in self.quick_links:
            self.quick_links[entry.slug] = postlist.quick_links(self.shares_of(entry))
        return self.quick_links[entry.slug]


_build: Build | None = None


def _state() -> Build:
    if _build is None:
        raise PluginError("hub.site.mkdocs_hook: on_config did not run")
    return _build


# What MkDocs' own Markdown processing acts on: raw HTML (anchors), a link or
# image target that is not an absolute web or mail address (rewritten to the
# target page's URL and checked), a reference definition. A bracket after an
# odd run of backslashes is escaped text, as hub.sanitize writes it.
_MKDOCS_SYNTAX = re.compile(
    r"<|(?:^|[^\\])(?:\\\\)*\]\((?!https?://|mailto:)|^ {0,3}\[[^\]\n]+\]:", re.MULTILINE
)
_ID = re.compile(r'\bid="([^"]+)"')


def renders_alone(body: str) -> bool:
    """Whether a post body needs nothing of MkDocs' own Markdown processing.

    True for what hub.sanitize writes (absolute http(s) links only, every
    `<` as an entity), and for most edits; a body with a relative link or
    raw HTML goes through MkDocs as every other page does.
    """
    return _MKDOCS_SYNTAX.search(body) is None


class SyncedPostPage(Page):
    """A synced post's page, its body converted by one Markdown for all of them.

    MkDocs builds a new Markdown, with every extension, for each page:
    building the hub's extensions cost a third of converting a post (a few
    seconds at 5,000 posts). Python-Markdown supports reusing one Markdown
    with reset() between documents; the extensions and their settings are
    the site's own, so the HTML is the same. Only bodies that renders_alone
    get this page.
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        md = _state().post_markdown(config)
        try:
            self.content = md.convert(self.markdown or "")
            tokens = getattr(md, "toc_tokens", [])
        finally:
            md.reset()
        self.toc = get_toc(tokens)
        self.present_anchor_ids = set(_ID.findall(self.content))


def _slug(src_uri: str) -> str | None:
    if src_uri.startswith(POSTS) and src_uri.endswith(".md") and src_uri.count("/") == 1:
        return src_uri[len(POSTS) : -3]
    return None


# --- events -------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).resolve().parent
    given = config.extra.get("hub_config")
    path = Path(given) if given else root / CONFIG_NAME
    try:
        hub = load_config(path) if given or path.is_file() else HubConfig()
        today = listing.today()
    except (ConfigError, ValueError) as exc:
        raise PluginError(str(exc)) from None
    _build = Build(root=root, hub=hub, today=today)
    config.site_name = hub.site.title
    config.extra["hub_brand_css"] = pages.brand_css(hub.brand)
    if hub.site.url and not config.site_url:
        config.site_url = hub.site.url
    return config


def hidden_cards(slug: str) -> list[str]:
    """The cards the cards stage draws for a post (docs-relative)."""
    return [card_path(slug, fmt) for fmt in CARD_SUFFIX]


def _post_entries(files: Files, config: MkDocsConfig, build: Build) -> None:
    for file in list(files):
        slug = _slug(file.src_uri)
        if slug is None:
            continue
        try:
            post = read(Path(file.abs_src_path))
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            raise PluginError(f"{exc}; fix the post or move it out of content/posts/") from None
        item = listing.entry(slug, post.meta, build.today, build.hub.site.new_days)
        if not item.published:
            # Drafts, archived and embargoed posts are not on the hub at all: not
            # their page, and not their cards (MkDocs copies all of content/cards/).
            files.remove(file)
            for card in hidden_cards(slug):
                drawn = files.get_file_from_path(card)
                if drawn is not None:
                    files.remove(drawn)
            continue
        file.inclusion = InclusionLevel.NOT_IN_NAV
        build.entries[slug] = item
        build.bodies[file.src_uri] = post.body
        if post.meta.get("source") and renders_alone(post.body):
            SyncedPostPage(None, file, config)  # becomes file.page


def _guidelines(files: Files, config: MkDocsConfig, root: Path) -> list[str]:
    folder = root / GUIDELINES
    pages_found = []
    if not folder.is_dir():
        return pages_found
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith((".", "_")) for part in Path(rel).parts):
            continue
        file = File(rel, src_dir=str(root), dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls)
        files.append(file)
        if file.is_documentation_page():
            pages_found.append(file.src_uri)
    index = [p for p in pages_found if p.endswith(("/index.md", "/README.md"))]
    return index + [p for p in pages_found if p not in index]


def _nav(files: Files, guideline_pages: list[str]) -> list[Any]:
    top = sorted(
        f.src_uri for f in files
        if f.is_documentation_page() and "/" not in f.src_uri and f.src_uri != "index.md"
        and f.inclusion.is_in_nav()
    )
    ordered_top = [p for p in NAV_ORDER if p in top] + [p for p in top if p not in NAV_ORDER]
    nav: list[Any] = []
    if files.get_file_from_path("index.md"):
        nav.append({"Home": "index.md"})
    if guideline_pages:
        nav.append({"Guidelines": list(guideline_pages)})
    nav.extend(ordered_top)
    return nav


def _listing_pages(files: Files, config: MkDocsConfig, build: Build) -> None:
    per_page = build.hub.site.posts_per_page
    build.ready = listing.share_ready(build.entries.values())
    build.facets = postlist.filters(build.ready)
    linked_tags = {key for key, _, _ in build.facets.get("tag", [])}
    for item in listing.listings(list(build.entries.values()), tags=linked_tags):
        for number in range(1, item.pages(per_page) + 1):
            src = listing.page_src(item.prefix, number)
            build.listing_pages[src] = (item, number)
            if src == "index.md" and files.get_file_from_path(src):
                continue  # the home page's own Markdown holds the LISTING_MARK
            generated = File.generated(config, src, content=LISTING_MARK + "\n")
            generated.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(generated)


def _logo(files: Files, config: MkDocsConfig, build: Build) -> None:
    logo = build.hub.brand.logo
    if not logo:
        return
    source = (build.root / logo).resolve()
    if not source.is_file():
        raise PluginError(f"hub.yml: brand.logo: {logo!r} is not a file; fix the path"
                          " (relative to hub.yml)")
    dest = f"assets/hub/logo{source.suffix.lower()}"
    files.append(File.generated(config, dest, abs_src_path=str(source)))
    build.logo = dest


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _state()
    _post_entries(files, config, build)
    guideline_pages = _guidelines(files, config, build.root)
    _listing_pages(files, config, build)
    _logo(files, config, build)
    feed = atom.atom_feed(list(build.entries.values()), title=build.hub.site.title,
                          base_url=build.hub.site.url)
    files.append(File.generated(config, FEED, content=feed))
    for slug, entry in build.entries.items():  # each event's calendar file (hub.posts.events)
        calendar = events.ics(entry.meta, f"{slug}@{build.hub.site.url}", entry.date)
        if calendar and entry.published:
            files.append(File.generated(config, f"posts/{slug}/{slug}.ics", content=calendar))
    if not config.nav:
        config.nav = _nav(files, guideline_pages)
    # The search page, if the hub has one: the header's button (theme/main.html)
    # and the listings' search form lead there.
    config.extra["hub_search"] = "search/" if files.get_file_from_path("search.md") else None
    return files


def _rel(page: Page) -> pages.Rel:
    """URLs relative to `page`, so the site works from any sub-path."""

    def rel(target: str) -> str:
        out = get_relative_url(target or ".", page.url)
        if (not target or target.endswith("/")) and not out.endswith("/"):
            out += "/"
        return out

    return rel


def _card(build: Build, files: Files, slug: str, key: str) -> str | None:
    path = build.entries[slug].meta.get(key)
    if path and files.get_file_from_path(str(path)):
        return str(path)
    return None


def _alt(build: Build, meta: dict[str, Any]) -> str:
    return str(meta.get("image_alt") or card_text(meta, build.hub.brand).alt())


def _absolute(build: Build, path: str | None) -> str | None:
    base = build.hub.site.url
    return base.rstrip("/") + "/" + path if base and path is not None else None


def _stash(build: Build, page: Page, html: str) -> str:
    """A placeholder paragraph for `html`, so Markdown never parses generated HTML."""
    mine = build.stash.setdefault(page.file.src_uri, {})
    token = f"HUBSTASH{len(mine)}X"
    mine[token] = html
    return f"\n\n{token}\n\n"


def _placeholders(markdown: str, page: Page, build: Build) -> str:
    ctx = pages.Context(
        config=build.hub, root=build.root, rel=_rel(page),
        logo_url=_rel(page)(build.logo) if build.logo else None,
    )

    def replace(match: Any) -> str:
        name = match.group(1)
        if name == "posts":
            return match.group(0)
        html = pages.render(name, ctx)
        if html is None:
            log.warning("%s: unknown placeholder <!-- hub:%s -->; known: posts, %s",
                        page.file.src_uri, name, ", ".join(pages.RENDERERS))
            return ""
        return _stash(build, page, html)

    return pages.PLACEHOLDER.sub(replace, markdown)


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """A post's body as on_files read it: each post file is read and its YAML parsed once."""
    body = _state().bodies.pop(page.file.src_uri, None)
    return None if body is None else NO_FRONTMATTER + body


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    src = page.file.src_uri
    slug = _slug(src)
    if slug is not None and slug in build.entries:
        meta = build.entries[slug].meta
        title = " ".join(str(meta.get("title") or slug).split())
        image = _card(build, files, slug, "image")
        page.meta = {
            "title": escape(title),
            "description": escape(" ".join(str(meta.get("summary") or "").split())),
            "template": "post.html",
            "hide": ["navigation"],
            "hub_lang": postpage.language_of(meta),
            "hub_index": True,
            "hub_head": postpage.open_graph(
                meta, site_title=build.hub.site.title,
                page_url=_absolute(build, page.url), image_url=_absolute(build, image),
                alt=_alt(build, meta),
            ),
        }
        return markdown
    if src in build.listing_pages:
        item, number = build.listing_pages[src]
        title = postlist.listing_title(item) + (f" (page {number})" if number > 1 else "")
        if src != "index.md":
            page.meta = {"title": escape(title), "hide": ["navigation", "toc"]}
        page.meta["hub_index"] = False
        rel = _rel(page)
        images = {
            e.slug: (_card(build, files, e.slug, "image"), _alt(build, dict(e.meta)))
            for e in listing.page_slice(item.entries, number, build.hub.site.posts_per_page)
        }
        search = rel(config.extra["hub_search"]) if config.extra.get("hub_search") else None
        body = postlist.listing_body(item, number, build.hub.site.posts_per_page, build.ready,
                                     build.facets, build.links_of, rel, images, search=search)
        if LISTING_MARK not in markdown:
            markdown += "\n\n" + LISTING_MARK + "\n"
        markdown = markdown.replace(LISTING_MARK, _stash(build, page, body), 1)
        return _placeholders(markdown, page, build)
    page.meta.setdefault("hub_index", src not in NOT_INDEXED)
    if "title" in page.meta:
        page.meta["title"] = escape(str(page.meta["title"]))
    return _placeholders(markdown, page, build)


def _unstash(html: str, page: Page, build: Build) -> str:
    for token, value in build.stash.pop(page.file.src_uri, {}).items():
        html = html.replace(f"<p>{token}</p>", value).replace(token, value)
    return html


def search_document(html: str, page: Page, site_name: str) -> str:
    """The page as search sees it: its content as theme/main.html wraps it in data-pagefind-body.

    Built from the page's content rather than the written page, so every page
    reaches Pagefind while MkDocs is still reading Markdown and Pagefind can
    write its bundle while MkDocs renders the templates (see on_env), both on
    the second core. Material adds an <h1> of the title when the content has
    none (partials/content.html): so does this.
    """
    title = page.title or site_name  # already escaped (on_page_markdown)
    heading = "" if "<h1" in html else f"<h1>{title}</h1>"
    lang = page.meta.get("hub_lang")
    lang_attr = f' lang="{escape(str(lang))}"' if lang else ""
    return (f"<html><head><title>{title}</title></head><body><div data-pagefind-body{lang_attr}>"
            f"{heading}{html}</div></body></html>")


def clean_body(html: str) -> str:
    """A synced post's body after Markdown, through the allow-list once more."""
    return nh3.clean(html, attributes=BODY_ATTRIBUTES, link_rel=LINK_REL,
                     url_schemes={"http", "https", "mailto"})


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    slug = _slug(page.file.src_uri)
    if slug is None or slug not in build.entries:
        html = _unstash(html, page, build)
        if page.meta.get("hub_index"):
            index_page(search_document(html, page, config.site_name), page.file.dest_uri)
        return html
    item = build.entries[slug]
    meta = dict(item.meta)
    rel = _rel(page)
    wide, square = _card(build, files, slug, "image"), _card(build, files, slug, "image_square")
    category = str(meta.get("category") or "blog")
    head = postpage.post_head(
        meta,
        category_href=rel(f"category/{listing.key_of(category)}/") if item.share_ready else None,
        wide=rel(wide) if wide else None, square=rel(square) if square else None,
        alt=_alt(build, meta), expired=item.expired,
    )
    # theme/post.html prints the panel after the searchable part of the page.
    page.meta["hub_share"] = "" if item.expired else postpage.share_panel(
        meta, build.hub.site, slug, build.shares_of(item)
    )
    body = build.body_cleaner().submit(clean_body, html) if meta.get("source") else None
    build.bodies_to_come.append(PostBody(page, head, postpage.lang_attrs(meta), html, body))
    return head  # the body follows in on_env, once cleaned


def _post_bodies(build: Build, site_name: str) -> None:
    """Each post page's content, now that its body is cleaned; and into search with it."""
    for post in build.bodies_to_come:
        html = post.cleaned.result() if post.cleaned is not None else post.html
        post.page.content = f'{post.head}<div class="hub-post__body" {post.lang}>{html}</div>'
        index_page(search_document(post.page.content, post.page, site_name),
                   post.page.file.dest_uri)
    build.bodies_to_come.clear()
    build.stop_cleaner()


def on_build_error(error: Exception) -> None:
    gc.unfreeze()
    if _build is not None:
        _build.stop_cleaner()


def link_cards(files: Files) -> int:
    """Hard-link the cards into the site instead of letting MkDocs copy them.

    Copying 10,000 card PNGs took 5-6 s of a 5,000-post build; a link takes
    microseconds. MkDocs then skips them: its copy treats a destination that
    is already the same file as written (for plugins that write into the
    site). Nothing rewrites a card in place (the cards stage replaces files
    atomically), so the site keeps the card it was built with. On another
    file system, or where links are not allowed, MkDocs copies them as usual.
    Returns how many were linked.
    """
    linked = 0
    made: set[str] = set()
    for file in files:
        if (not file.src_uri.startswith(CARDS) or file.generated_by or not file.abs_src_path
                or not file.inclusion.is_included()):
            continue
        dest = file.abs_dest_path
        folder = os.path.dirname(dest)
        try:
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            os.link(file.abs_src_path, dest)
        except FileExistsError:
            continue  # a dirty build: MkDocs copies it if it changed
        except OSError:
            break
        linked += 1
    return linked


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """The last event before MkDocs writes: every page's Markdown is read by now.

    So search has every page (on_page_content) and can write its bundle
    while MkDocs renders; the cards go into the site before MkDocs copies
    static files.
    """
    build = _state()
    build.env = env
    _post_bodies(build, config.site_name)
    finish_index()
    link_cards(files)
    # Every page and post now lives until the build ends: the collector need
    # not walk them again on each full collection while the templates render
    # (GC took 1.8 s of a 5,000-post build, 1.1 s in a plain one).
    gc.freeze()
    return env


def on_post_build(config: MkDocsConfig) -> None:
    gc.unfreeze()  # `mkdocs serve` builds again in the same process


def _nav_urls(items: list[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        url = getattr(item, "url", None)
        if url is not None:
            out.append(str(url))
        out.extend(_nav_urls(getattr(item, "children", None) or []))
    return out


def nav_key(page: Page, nav: Navigation, config: MkDocsConfig, base_url: str) -> tuple[str, ...]:
    """What a page's navigation HTML depends on, for a page that is not in the navigation.

    No nav item is active on such a page, so Material's nav.html differs
    between them only by the URLs it prints relative to the page: every post
    (all at posts/<slug>/) sees the same ones, and so do listing pages of one
    depth.
    """
    homepage = config.extra.get("homepage") or (nav.homepage.url if nav.homepage else "")
    targets = [*_nav_urls(nav.items), str(homepage), str(config.theme.get("logo") or "")]
    return tuple(normalize_url(target, page, base_url) for target in targets)


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """Posts and listings reuse one rendering of the navigation instead of one each.

    Pages in the navigation (an active item, expanded sections) render it as
    Material does.
    """
    build = _state()
    if build.env is None or not nav.items or any(p is page for p in nav.pages):
        return context
    key = nav_key(page, nav, config, str(context.get("base_url", "")))
    if key not in build.navs:
        build.navs[key] = build.env.get_template(NAV_TEMPLATE).render(context)
    context["hub_nav"] = build.navs[key]
    return context
