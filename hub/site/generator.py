"""The `site` stage: the whole site source as plain files, for any renderer to build.

The hub decides everything here (which posts are published, the listings,
the share panels, the guidelines section, the wall, the feed) and writes it
as Markdown pages, static files and a renderer config into a build folder
(`.build/site-src/` by default; output, never edited). A renderer
(MkDocs + Material or Zensical, see hub.site.renderers) only turns those
pages into HTML: it runs no hook of ours, so nothing it does or skips can
publish a draft, an embargoed or an archived post; those are never written.

Every page is written as DIR/index.md (the home page as index.md): then a
relative link in raw HTML means the same thing to both renderers (Zensical
rewrites such links one level off on other pages: zensical issue #258;
its pull request #571). Markdown links in the hub's own pages are
rewritten for the move.

Each page's searchable part is kept as it is written (`SearchDoc`), so
Pagefind indexes it beside the renderer instead of reading the built site
afterwards. The hub's own HTML (post headers, listings, placeholders) goes
into FRAGMENTS/ and the pages hold a mark for it (see hub.site.mdx).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import yaml

from hub.cards import cardstyle, draw
from hub.cards.cardtext import card_text
from hub.config import HubConfig
from hub.files import code_version, write_atomic
from hub.posts import derive, events, share, state
from hub.posts.schema import CARD_SUFFIX, CARDS_DIR, card_path, parse_shared
from hub.site import atom, i18n, images, listing, mdx, pages, postlist, postpage

log = logging.getLogger("hub.site.generator")

DOCS = "docs"
CONFIG_FILE = "mkdocs.yml"
FRAGMENTS = "fragments"  # the hub's HTML, put into pages by hub.site.mdx
POSTS = "posts"
GUIDELINES = "guidelines"
FEED = "feed.xml"
LISTING_MARK = "<!-- hub:posts -->"
# Content pages in the order the navigation shows them (after Home and the
# guidelines); other top-level pages follow in name order.
NAV_ORDER = ("recognition", "program", "calculator", "suggest", "search")
NOT_INDEXED = ("search", "404")
MARKDOWN_SUFFIXES = (".md", ".markdown")
_FRONTMATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)


class GenerateError(Exception):
    """The site source could not be written; the message names the file and the fix."""


@dataclass(frozen=True)
class SearchDoc:
    """One page as search sees it: its Markdown (already holding the hub's HTML)."""

    path: str  # the built page, relative to the site: posts/x/index.html
    markdown: str
    title: str
    lang: str | None = None
    head: str = ""  # HTML before the Markdown's own (a post's title, meta line, card)


@dataclass
class SiteSource:
    """What the generator wrote, for the renderer, the search index and the check."""

    folder: Path
    config: Path
    docs: Path
    posts: list[str] = field(default_factory=list)  # published slugs
    listing_urls: list[str] = field(default_factory=list)  # site-relative, "" is home
    search: list[SearchDoc] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # slugs that exist but are not published
    renderer_config: dict[str, Any] = field(default_factory=dict)


# --- URLs and links -----------------------------------------------------------


def page_dir(src: str) -> str:
    """The folder a Markdown source becomes (site-relative, '' for the home page)."""
    stem = src.rsplit(".", 1)[0]
    if stem in ("index", "README") or stem.endswith(("/index", "/README")):
        return stem.rpartition("/")[0]
    return stem


def page_file(src: str) -> str:
    """Where the generator writes a source page: DIR/index.md (404 stays 404.md)."""
    if src in ("404.md",):
        return src
    folder = page_dir(src)
    return f"{folder}/index.md" if folder else "index.md"


@lru_cache(maxsize=1 << 16)
def relative(target: str, page: str) -> str:
    """`target` (site-relative; a trailing / is a folder) as seen from the page at URL `page`.

    posixpath.relpath's answer; for the generator's own URLs (no `..`, a
    listing links ~100 of them) by comparing the parts, without its abspath calls;
    relpath itself for anything else.
    """
    to = [part for part in target.split("/") if part not in ("", ".")]
    at = [part for part in page.split("/") if part not in ("", ".")]
    if ".." in to or ".." in at or target.startswith("/") or page.startswith("/"):
        out = posixpath.relpath(target or ".", page or ".")
    else:
        same = 0
        while same < min(len(to), len(at)) and to[same] == at[same]:
            same += 1
        out = "/".join([".."] * (len(at) - same) + to[same:]) or "."
    if (not target or target.endswith("/")) and not out.endswith("/"):
        out = "./" if out == "." else out + "/"
    return out


def rel_for(page_url: str) -> pages.Rel:
    return lambda target: relative(target, page_url)


_LINK = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?|\b(?:href|src)=[\"'])([^\s)\"'<>]+)",
                   re.MULTILINE)
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|/)")


def rewrite_links(markdown: str, src: str, moved: dict[str, str]) -> str:
    """Relative links of the page `src` for its new place `moved[src]`.

    Targets that are pages are pointed at where those pages moved; other
    relative targets (images) are made relative to the new folder. Web,
    mail and in-page links are left alone.
    """
    old_dir = posixpath.dirname(src)
    new_dir = posixpath.dirname(moved.get(src, src))

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if _EXTERNAL.match(target):
            return match.group(0)
        path, hash_, anchor = target.partition("#")
        if not path:
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(old_dir, path))
        resolved = moved.get(resolved, resolved)
        new = posixpath.relpath(resolved, new_dir or ".")
        if path.endswith("/") and not new.endswith("/"):
            new += "/"
        return match.group(1) + new + hash_ + anchor

    return _LINK.sub(fix, markdown)


# --- pages ---------------------------------------------------------------------


def split_frontmatter(text: str, where: str) -> tuple[dict[str, Any], str]:
    found = _FRONTMATTER.match(text)
    if not found:
        return {}, text
    try:
        meta = yaml.safe_load(found.group(1) or "") or {}
    except yaml.YAMLError as exc:
        raise GenerateError(f"{where}: frontmatter is not valid YAML ({exc}); fix it") from None
    if not isinstance(meta, dict):
        raise GenerateError(f"{where}: frontmatter must be a mapping of fields; fix it")
    return meta, text[found.end() :]


def with_frontmatter(meta: dict[str, Any], body: str) -> str:
    """A page's text: its fields as JSON (which YAML readers read as YAML) and its body.

    JSON because PyYAML's dumper is pure Python: it took ~10 ms a post page
    (the share panel is ~15 KB of HTML), most of the generator's time. ASCII
    escapes keep every character a YAML reader refuses raw (C1 controls) out.
    """
    if not meta:
        return body
    return f"---\n{json.dumps(meta, sort_keys=True, ensure_ascii=True)}\n---\n\n{body}"


_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def page_title(meta: dict[str, Any], markdown: str, site_name: str) -> str:
    """The title both renderers give a page (frontmatter, first # heading), escaped."""
    if meta.get("title"):
        return str(meta["title"])
    found = _H1.search(markdown)
    return escape(found.group(1)) if found else escape(site_name)


HTML_CACHE = "post-html-cache.json"  # in the build folder: HtmlCache


def _typed(value: Any) -> Any:
    """A key part JSON has no type for (a date), kept apart from any text it could equal."""
    return {"\u0000type": type(value).__qualname__, "value": str(value)}


class HtmlCache:
    """Each post's header and share panel from the last build, by everything they come from.

    Rendering them through Jinja was most of the generator's CPU (the share
    panel alone ~15 KB of HTML a post), while most posts are the same from one
    build to the next. The key is every argument of the rendering (the post's
    fields, slug, links, card paths, the site settings) and `hub.files.code_version`,
    so a change to any input or to the code renders the post again; the file
    keeps only this build's posts. It holds each post's header (search reads
    it) and the names of its fragments, whose files already hold their HTML:
    at 5,000 posts it held ~97 MB of HTML before, read and written every build.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._old: dict[str, list[str]] = {}
        if path is not None:
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            if isinstance(old, dict) and old.get("version") == code_version():
                entries = old.get("entries")
                self._old = entries if isinstance(entries, dict) else {}
        self._new: dict[str, list[str]] = {}

    def get(self, key_parts: list[Any], render: Callable[[], list[str]], *,
            fresh: bool = False) -> list[str]:
        """What `render` gave for the same key last build (`fresh`: render again)."""
        try:
            key = hashlib.sha256(json.dumps(key_parts, sort_keys=True, ensure_ascii=False,
                                            default=_typed).encode("utf-8")).hexdigest()
        except (TypeError, ValueError):
            return render()  # a field JSON cannot key (a non-text key): rendered every time
        found = None if fresh else self._old.get(key)
        if not (isinstance(found, list) and all(isinstance(x, str) for x in found)):
            found = render()
        self._new[key] = found
        return found

    def save(self) -> None:
        if self._path is not None and self._new != self._old:
            write_atomic(self._path, json.dumps({"version": code_version(),
                                                 "entries": self._new}, ensure_ascii=False),
                         durable=False)


@dataclass
class _Writer:
    hub: HubConfig
    root: Path
    content: Path
    docs: Path
    today: dt.date
    source: SiteSource
    search_page: str | None = None
    logo: str | None = None
    brand_card: str | None = None  # the link-preview image of posts without a card
    made: set[Path] = field(default_factory=set)
    kept: set[Path] = field(default_factory=set)  # every file written or linked this build
    shares: dict[str, list[share.ShareLink]] = field(default_factory=dict)
    quick: dict[str, str] = field(default_factory=dict)
    alts: dict[str, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # source page -> its DIR/index.md
    pictures: images.Cache | None = None
    linked: set[str] = field(default_factory=set)
    language: str = "en"  # the site's (theme.language), for listings and placeholders
    html_cache: HtmlCache = field(default_factory=lambda: HtmlCache(None))

    def fragment(self, html: str) -> str:
        """Write `html` as a fragment; return the Markdown line that stands for it."""
        return mdx.fragment_mark(self.fragment_file(html))

    def fragment_file(self, html: str) -> str:
        """The fragment holding `html`, written unless there: its name is the HTML's hash,
        so a file of that name already holds exactly it (written whole: write_atomic)."""
        name = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]
        path = self._fragment_path(name)
        if path not in self.kept:
            self.kept.add(path)
            if not path.is_file():
                write_atomic(path, html, durable=False)
        return name

    def _fragment_path(self, name: str) -> Path:
        return self.docs.parent / FRAGMENTS / f"{name}.html"

    def reuse_fragment(self, name: str) -> str | None:
        """The mark of a fragment an earlier build wrote, if it is still there."""
        path = self._fragment_path(name)
        if path not in self.kept:
            if not mdx.FRAGMENT.fullmatch(mdx.fragment_mark(name)) or not path.is_file():
                return None
            self.kept.add(path)
        return mdx.fragment_mark(name)

    def write(self, rel: str, text: str, under: Path | None = None) -> None:
        path = (under or self.docs) / rel
        self.kept.add(path)
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        write_if_changed(path, text.encode("utf-8"))

    def link(self, source: Path, rel: str) -> None:
        """A static file into the tree: a hard link where the file system allows one."""
        dest = self.docs / rel
        self.kept.add(dest)
        if dest.parent not in self.made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(dest.parent)
        with contextlib.suppress(OSError):
            if dest.is_file() and os.path.samefile(source, dest):
                return  # the same file already (a replaced card is a new file: linked again)
            _remove(dest)
        try:
            os.link(source, dest)
        except OSError:
            shutil.copy2(source, dest)

    def placeholders(self, markdown: str, where: str, url: str) -> str:
        rel = rel_for(url)
        ctx = pages.Context(config=self.hub, root=self.root, rel=rel,
                            logo_url=rel(self.logo) if self.logo else None,
                            language=self.language)

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "posts":
                return match.group(0)
            html = pages.render(name, ctx)
            if html is None:
                log.warning("%s: unknown placeholder <!-- hub:%s -->; known: posts, %s",
                            where, name, ", ".join(pages.RENDERERS))
                return ""
            return f"\n\n{self.fragment(html.strip())}\n\n"

        return pages.PLACEHOLDER.sub(replace, markdown)

    def shares_of(self, entry: listing.Entry) -> list[share.ShareLink]:
        if entry.slug not in self.shares:
            self.shares[entry.slug] = share.share_links(entry.meta, self.hub.site, slug=entry.slug)
        return self.shares[entry.slug]

    def alt_of(self, entry: listing.Entry) -> str:
        """The post's card alt text (its post page and every listing show it)."""
        if entry.slug not in self.alts:
            self.alts[entry.slug] = _alt(self.hub, dict(entry.meta))
        return self.alts[entry.slug]

    def links_of(self, entry: listing.Entry) -> str:
        if entry.slug not in self.quick:
            self.quick[entry.slug] = postlist.quick_links(self.shares_of(entry))
        return self.quick[entry.slug]


def _absolute(hub: HubConfig, path: str | None) -> str | None:
    base = hub.site.url
    return base.rstrip("/") + "/" + path if base and path is not None else None


def _alt(hub: HubConfig, meta: dict[str, Any]) -> str:
    return str(meta.get("image_alt") or card_text(meta, hub.brand).alt())


def read_posts(content: Path, hub: HubConfig, today: dt.date) -> tuple[
    list[listing.Entry], dict[str, str], list[str]
]:
    """Every post's state today, the published ones' bodies, and the hidden slugs.

    A post edited since the last sync (or hand-written and never synced) is
    shown with the alt text and wordings the next sync will write
    (hub.posts.derive.shown), in memory: content/ is never written here.
    """
    entries, bodies, hidden = [], {}, []
    remembered = state.entries_by_path(content / POSTS)
    for path in sorted((content / POSTS).glob("*.md")):
        slug = path.stem
        try:
            text = path.read_text(encoding="utf-8")
            # Shared with the build's check and picture fetch: the fields are only read here.
            post = parse_shared(text, str(path))
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            raise GenerateError(f"{exc}; fix the post or move it out of content/posts/") from None
        entry, handwritten = remembered.get(path.name, (None, not post.meta.get("source")))
        meta = derive.shown(post.meta, text, entry, hub, slug, handwritten=handwritten)
        item = listing.entry(slug, meta, today, hub.site.new_days)
        if not item.published:
            hidden.append(slug)
            continue
        entries.append(item)
        bodies[slug] = post.body
    return entries, bodies, hidden


def fetch_pictures(entries: list[listing.Entry], bodies: dict[str, str], content: Path,
                   hub: HubConfig) -> None:
    """Download the published posts' body pictures into the cache (hub.site.images)."""
    urls = [url for e in entries for url in images.remote_images(bodies[e.slug])]
    for warning in images.fetch(urls, content / CARDS_DIR, hub.http):
        log.warning("%s", warning)


def _cards(w: _Writer, entries: list[listing.Entry]) -> dict[str, dict[str, str]]:
    """The published posts' cards into the tree: key -> slug -> docs-relative path."""
    found: dict[str, dict[str, str]] = {"image": {}, "image_square": {}}
    for item in entries:
        for key in found:
            path = item.meta.get(key)
            if not path:
                continue
            source = w.content / str(path)
            if str(path) in {card_path(item.slug, fmt) for fmt in CARD_SUFFIX} or (
                str(path).startswith(f"{CARDS_DIR}/")
            ):
                if source.is_file():
                    w.link(source, str(path))
                    found[key][item.slug] = str(path)
            elif source.is_file():
                found[key][item.slug] = str(path)  # copied with the other content files
    return found


def _post_page(w: _Writer, item: listing.Entry, body: str,
               cards: dict[str, dict[str, str]], ics: str | None = None) -> None:
    meta = dict(item.meta)
    slug = item.slug
    url = f"{POSTS}/{slug}/"
    rel = rel_for(url)
    wide, square = cards["image"].get(slug), cards["image_square"].get(slug)
    category = str(meta.get("category") or "blog")
    alt = w.alt_of(item)
    category_href = rel(f"category/{listing.key_of(category)}/") if item.share_ready else None

    def post_head(actions: str = "") -> str:
        return str(postpage.post_head(
            meta, category_href=category_href, wide=rel(wide) if wide else None,
            square=rel(square) if square else None, alt=alt, expired=item.expired,
            actions=actions, ics=rel(ics) if ics else None,
        ))

    def rendered() -> list[str]:
        """The page's header (for search), and the fragments of the header with its share
        actions and of its share panel (the cache keeps their names, not their ~20 KB)."""
        head = post_head()
        if item.expired:
            return [head, w.fragment_file(head)]
        links = w.shares_of(item)
        actions = post_head(postpage.share_actions(meta, w.hub.site, slug, links))
        panel = str(postpage.share_panel(meta, w.hub.site, slug, links))
        return [head, w.fragment_file(actions), w.fragment_file(panel)]

    key = [meta, slug, category_href, wide, square, alt, item.expired, ics, w.language,
           w.hub.site.model_dump_json()]
    head, *names = w.html_cache.get(key, rendered)
    marks = [w.reuse_fragment(name) for name in names]
    if not all(marks):  # a fragment gone since (a cleaned build folder): render again
        head, *names = w.html_cache.get(key, rendered, fresh=True)
        marks = [w.reuse_fragment(name) for name in names]
    title = " ".join(str(meta.get("title") or slug).split())
    front = {
        "title": escape(title),
        "description": escape(" ".join(str(meta.get("summary") or "").split())),
        "template": "post.html",
        "hide": ["navigation"],
        "hub_lang": postpage.language_of(meta),
        "hub_index": True,
        "hub_head": str(postpage.open_graph(
            meta, site_title=w.hub.site.title, page_url=_absolute(w.hub, url),
            image_url=_absolute(w.hub, wide or w.brand_card),
            alt=alt if wide else w.hub.brand.name,
        )),
    }
    opening, closing = mdx.body_mark(str(postpage.lang_attrs(meta)), clean=bool(meta.get("source")))
    body = body.strip()
    moved = {f"{POSTS}/{slug}.md": f"{POSTS}/{slug}/index.md"}
    body = rewrite_links(body, f"{POSTS}/{slug}.md", moved | w.moved)
    body = _local_pictures(w, body, slug, rel)
    searchable = f"{opening}\n\n{body}\n\n{closing}"
    # Share first: the actions follow the meta line, the panel follows the card, the
    # article follows the panel. Neither is part of what search indexes (`head` below).
    mark = "\n\n".join(str(m) for m in marks)
    w.write(f"{POSTS}/{slug}/index.md", with_frontmatter(front, f"{mark}\n\n{searchable}\n"))
    w.source.search.append(SearchDoc(f"{url}index.html", searchable, str(front["title"]),
                                     str(front["hub_lang"]), head=head))


def _local_pictures(w: _Writer, body: str, slug: str, rel: pages.Rel) -> str:
    """The body showing the hub's copies of its pictures (hub.site.images); no network here."""
    if w.pictures is None:
        w.pictures = images.Cache(w.content / CARDS_DIR)
    body, used, dropped = images.localize(body, w.pictures.get, rel)
    for local in used:
        if local.path not in w.linked:
            w.link(w.pictures.source(local), local.path)
            w.linked.add(local.path)
    for url in dropped:
        log.warning("content/%s/%s.md: picture %s dropped, its alt text kept: not downloaded"
                    " (`advocacy-hub build` fetches it; PNG, JPEG, WebP, GIF or AVIF only)",
                    POSTS, slug, url)
    return body


def _listings(w: _Writer, entries: list[listing.Entry], cards: dict[str, dict[str, str]],
              home: tuple[dict[str, Any], str] | None) -> None:
    per_page = w.hub.site.posts_per_page
    ready = listing.share_ready(entries)
    cards_html: postlist.CardCache = {}
    facets = postlist.filters(ready)
    linked_tags = {key for key, _, _ in facets.get("tag", [])}
    for item in listing.listings(entries, tags=linked_tags):
        for number in range(1, item.pages(per_page) + 1):
            url = listing.page_url(item.prefix, number)
            rel = rel_for(url)
            images = {e.slug: (cards["image"].get(e.slug), w.alt_of(e))
                      for e in listing.page_slice(item.entries, number, per_page)}
            search = rel(w.search_page) if w.search_page else None
            body = postlist.listing_body(item, number, per_page, ready, facets, w.links_of, rel,
                                         images, search=search, language=w.language,
                                         cache=cards_html)
            block = f"\n\n{w.fragment(str(body))}\n\n"
            if url == "" and home is not None:
                meta, markdown = home
                meta = {**meta, "hub_index": False}
                if "title" in meta:
                    meta["title"] = escape(str(meta["title"]))
                if LISTING_MARK not in markdown:
                    markdown += "\n\n" + LISTING_MARK + "\n"
                markdown = markdown.replace(LISTING_MARK, block, 1)
                markdown = w.placeholders(markdown, "content/index.md", url)
            else:
                title = postlist.listing_title(item, number, i18n.translator(w.language))
                meta = {"title": escape(title), "hide": ["navigation", "toc"], "hub_index": False}
                markdown = block
            w.write(url + "index.md", with_frontmatter(meta, markdown))
            w.source.listing_urls.append(url)


def _content_pages(w: _Writer) -> tuple[list[tuple[str, str, Path]], list[tuple[Path, str]]]:
    """(source name, tree path, file) of every page, and the static files, content/ and guidelines/.

    Posts, cards, data files (`_data/`) and hidden files are not pages of their own.
    """
    found: list[tuple[str, str, Path]] = []
    static: list[tuple[Path, str]] = []
    sources = [(w.content, "")]
    if (w.root / GUIDELINES).is_dir():
        sources.append((w.root / GUIDELINES, f"{GUIDELINES}/"))
    for folder, prefix in sources:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = prefix + path.relative_to(folder).as_posix()
            parts = rel.split("/")
            if any(part.startswith((".", "_")) for part in parts):
                continue
            if not prefix and parts[0] in (POSTS, CARDS_DIR):
                continue
            if not prefix and rel == "README.md":
                continue
            if rel.endswith(MARKDOWN_SUFFIXES):
                found.append((rel, page_file(rel), path))
            else:
                static.append((path, rel))
    return found, static


def site_language(base: dict[str, Any]) -> str:
    """The site's own language (mkdocs.yml theme.language): Material's strings, the nav's
    and the listings' words; a post page speaks its post's language instead."""
    theme = base.get("theme") if isinstance(base.get("theme"), dict) else {}
    return str((theme or {}).get("language") or "en")


def navigation(top: list[str], guideline_pages: list[str], has_home: bool,
               language: str = "en") -> list[Any]:
    """Home, the guidelines, then the top pages (titled by their own authors)."""
    _ = i18n.translator(language)
    order = {name: i for i, name in enumerate(NAV_ORDER)}
    ordered = sorted(top, key=lambda p: (order.get(page_dir(p), len(order)), p))
    nav: list[Any] = []
    if has_home:
        nav.append({_("Home"): "index.md"})
    if guideline_pages:
        index = [p for p in guideline_pages if p == f"{GUIDELINES}/index.md"]
        nav.append({_("Guidelines"): index + [p for p in guideline_pages if p not in index]})
    nav.extend(ordered)
    return nav


def _logo(w: _Writer) -> None:
    logo = w.hub.brand.logo
    if not logo:
        return
    source = (w.root / logo).resolve()
    if not source.is_file():
        raise GenerateError(f"hub.yml: brand.logo: {logo!r} is not a file; fix the path"
                            " (relative to hub.yml)")
    w.logo = f"assets/hub/logo{source.suffix.lower()}"
    w.link(source, w.logo)


BRAND_CARD = "assets/hub/brand-card.png"


def _brand_card(w: _Writer) -> str | None:
    """The brand drawn as a card (name, tagline, logo), for posts that have none."""
    brand = w.hub.brand
    report = draw.CardsReport()
    logo = draw.resolve_logo(brand, w.root, report)
    palette, _ = cardstyle.plain(brand, "blog")
    meta = {"title": brand.tagline or brand.name, "category": "blog"}
    out = w.docs / BRAND_CARD
    out.parent.mkdir(parents=True, exist_ok=True)
    drawn = out.with_name(".brand-card.drawing.png")  # compared, so a rebuild leaves it alone
    job = draw.CardJob("brand", "landscape", str(drawn), card_text(meta, brand), "en", palette,
                       draw.resolve_brand_fonts(brand, w.root, report), str(logo) if logo else None)
    result = draw.run_job(job)
    if result.problem:
        log.warning("brand card: %s; posts without a card have no preview image", result.problem)
        drawn.unlink(missing_ok=True)
        return None
    w.kept.add(out)  # drawn by the cards stage's drawer, not w.write: keep it past the sweep
    write_if_changed(out, drawn.read_bytes())
    drawn.unlink()
    return BRAND_CARD


SPEEDUPS = Path(__file__).resolve().parent / "mkdocs_speedups.py"
# Folders every built hub has at its root, besides the pages' own.
SITE_FOLDERS = (POSTS, "category", "language", "tag", "page", "assets", CARDS_DIR, "pagefind",
                "search")


def _top_folders(paths: list[str]) -> list[str]:
    """The first segments of the built site's folders, sorted (theme/404.html finds the
    site's root by them): the hub's own and those of the content pages and files."""
    return sorted({path.split("/", 1)[0] for path in paths if "/" in path} | set(SITE_FOLDERS))


def renderer_config(base: dict[str, Any], *, hub: HubConfig, base_dir: Path, config_dir: Path,
                    docs: Path, speedups: bool = True,
                    site_dir: Path, nav: list[Any], search_page: str | None,
                    logo: str | None = None, top_folders: list[str] | None = None,
                    ) -> dict[str, Any]:
    """The renderer's settings: the repository's mkdocs.yml with what the hub decides."""
    config = {k: v for k, v in base.items() if k not in ("hooks", "watch", "nav", "plugins")}
    theme = dict(config.get("theme") or {"name": "material"})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((base_dir / str(theme["custom_dir"])).resolve())
    theme["variant"] = "classic"  # Zensical's look closest to Material's (MkDocs ignores it)
    if logo:  # the header shows the brand's logo, not the theme's generic icon
        theme["logo"] = logo
    extra = dict(config.get("extra") or {})
    extra["hub_brand_css"] = pages.brand_css(hub.brand)
    extra["hub_search"] = search_page
    _ = i18n.translator(site_language(base))  # the header's search button (theme/main.html)
    extra["hub_search_title"], extra["hub_search_label"] = _("Search"), _("Search the hub")
    extra["hub_top"] = top_folders  # for theme/404.html: where the site's root is
    config.update(
        # Relative to this file: Zensical panics on an absolute docs_dir (0.0.73).
        site_name=hub.site.title, docs_dir=os.path.relpath(docs, config_dir),
        site_dir=os.path.relpath(site_dir, config_dir), nav=nav,
        theme=theme, extra=extra,
        # Both renderers turn their own search on unless told: Pagefind is the hub's.
        plugins=[{"search": {"enabled": False}}],
        markdown_extensions=[*(config.get("markdown_extensions") or []),
                             {"hub.site.mdx": {"fragments": str(config_dir / FRAGMENTS)}}],
    )
    # The cards are in the tree for whoever reads it, but the hub links them
    # into the site itself (hub.site.build.link_tree): no renderer copies them.
    config["exclude_docs"] = (str(config.get("exclude_docs") or "").rstrip("\n")
                              + f"\n/{CARDS_DIR}/\n").lstrip("\n")
    if logo and not theme.get("logo"):
        theme["logo"] = logo  # the brand's logo in the header, not Material's icon
    if hub.site.url and not config.get("site_url"):
        config["site_url"] = hub.site.url
    if speedups:  # MkDocs only (Zensical runs no hooks); the site is the same without
        config["hooks"] = [str(SPEEDUPS)]
    return config


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly it; True if written.

    The tree stays from one build to the next: most pages come out the same,
    and reading a file to compare costs less than deleting the old tree and
    creating every file again (measured in scripts/bench_site.py).
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path)
    path.write_bytes(data)
    return True


def prune(folders: tuple[Path, ...], kept: set[Path]) -> int:
    """Delete what the last build wrote and this one did not (a post unpublished since).

    Returns how many files went; folders left empty go too.
    """
    removed = 0
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
            here = Path(dirpath)
            for name in filenames:
                if here / name not in kept:
                    (here / name).unlink()
                    removed += 1
            for name in dirnames:
                with contextlib.suppress(OSError):
                    (here / name).rmdir()  # only if empty
    return removed


def generate(
    hub: HubConfig, *, root: Path, content: Path, folder: Path, site_dir: Path,
    base_config: Path, today: dt.date, strict: bool = True, speedups: bool = True,
    pictures: bool = False,
) -> SiteSource:
    """Write the site source into `folder` (emptied first) and return what was written.

    With `pictures`, the published bodies' remote pictures are downloaded
    first (fetch_pictures), from the posts this build has read anyway.
    """
    docs = folder / DOCS
    shutil.rmtree(folder / ".trash", ignore_errors=True)  # an earlier version's leftovers
    docs.mkdir(parents=True, exist_ok=True)
    source = SiteSource(folder=folder, config=folder / CONFIG_FILE, docs=docs)
    base = yaml.safe_load(base_config.read_text(encoding="utf-8")) if base_config.is_file() else {}
    language = site_language(base or {})
    w = _Writer(hub=hub, root=root, content=content, docs=docs, today=today, source=source,
                language=language, html_cache=HtmlCache(folder / HTML_CACHE))
    entries, bodies, source.hidden = read_posts(content, hub, today)
    if pictures:
        fetch_pictures(entries, bodies, content, hub)
    source.posts = [e.slug for e in entries]
    page_list, static = _content_pages(w)
    moved = {src: dest for src, dest, _ in page_list}
    w.moved = moved
    names = {dest for _, dest, _ in page_list}
    w.search_page = "search/" if "search/index.md" in names else None
    _logo(w)
    for path, rel in static:
        w.link(path, rel)
    cards = _cards(w, entries)
    if any(e.share_ready and e.slug not in cards["image"] for e in entries):
        w.brand_card = _brand_card(w)
    home: tuple[dict[str, Any], str] | None = None
    top: list[str] = []
    guideline_pages: list[str] = []
    for src, dest, path in page_list:
        meta, markdown = split_frontmatter(path.read_text(encoding="utf-8"), str(path))
        markdown = rewrite_links(markdown, src, moved)
        if dest == "index.md":
            home = (meta, markdown)
            continue
        url = "" if dest == "404.md" else dest[: -len("index.md")]
        markdown = w.placeholders(markdown, str(path), url)
        meta.setdefault("hub_index", page_dir(src) not in NOT_INDEXED)
        if "title" in meta:
            meta["title"] = escape(str(meta["title"]))
        w.write(dest, with_frontmatter(meta, markdown))
        if meta.get("hub_index"):
            doc = SearchDoc(url + "index.html" if dest != "404.md" else "404.html", markdown,
                            page_title(meta, markdown, hub.site.title))
            source.search.append(doc)
        if src.startswith(f"{GUIDELINES}/"):
            guideline_pages.append(dest)
        elif "/" not in src and dest != "404.md":
            top.append(dest)
    for item in entries:
        calendar = events.ics(item.meta, f"{item.slug}@{w.hub.site.url}", item.date)
        ics = f"{POSTS}/{item.slug}/{item.slug}.ics" if calendar else None
        if calendar and ics:  # an event's calendar file beside its page (hub.posts.events)
            w.write(ics, calendar)
        _post_page(w, item, bodies[item.slug], cards, ics)
    _listings(w, entries, cards, home)
    w.write(FEED, atom.atom_feed(entries, title=hub.site.title, base_url=hub.site.url))
    config = renderer_config(base or {}, hub=hub, base_dir=base_config.parent, config_dir=folder,
                             docs=docs, site_dir=site_dir,
                             nav=navigation(top, guideline_pages, home is not None, language),
                             search_page=w.search_page, speedups=speedups, logo=w.logo,
                             top_folders=_top_folders([dest for _, dest, _ in page_list]
                                                      + [rel for _, rel in static]))
    if not strict:
        config["strict"] = False
    source.renderer_config = config
    write_if_changed(source.config, yaml.safe_dump(config, allow_unicode=True,
                                                   sort_keys=False).encode("utf-8"))
    prune((docs, folder / FRAGMENTS), w.kept)
    w.html_cache.save()
    return source
