"""MkDocs-only speed-ups for the generated site; the site is the same without them.

The generated renderer config names this file under `hooks:` (Zensical
ignores hooks). Three things MkDocs spends time on for nothing here:

- A new Markdown, every extension built again, for each page (a third of
  converting a post). Python-Markdown supports one Markdown reused with
  reset() between documents; the extensions and settings are the site's,
  so the HTML is the same. Only pages MkDocs' own link handling has nothing
  to do in get it: no relative link or raw HTML but the hub's marks.
- A YAML parser for frontmatter the generator wrote as one line of JSON
  (a post's share panel is ~15 KB of it; 7% of MkDocs' time at 1,000 posts).
  json reads it the same where YAML and JSON agree; anything else (a float,
  an escaped surrogate pair, a DEL) is left to MkDocs' own parser.
- The garbage collector walking every page and post again on each full
  collection while the templates render: frozen from on_env to the end.
- Material's nav, rendered twice on every page (the tabs and the sidebar
  drawer; a third of a post page's template time at 1,000 posts). On a
  page outside the nav nothing in it is current, so it comes out the same
  on every such page whose links to the nav's pages come out the same:
  rendered once per distinct set of those links and reused, as long as the
  nav's templates are Material's own (an override may show something of
  the page).
"""

from __future__ import annotations

import gc
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

# What MkDocs' own Markdown processing acts on: raw HTML other than the hub's
# marks, a link or image target that is not an absolute web or mail address,
# a reference definition. A bracket after an odd run of backslashes is text.
_MKDOCS_SYNTAX = re.compile(
    r"<(?!!-- /?hub:)|(?:^|[^\\])(?:\\\\)*\]\((?!https?://|mailto:)|^ {0,3}\[[^\]\n]+\]:",
    re.MULTILINE,
)
# The generator's frontmatter (hub.site.generator.with_frontmatter): "---", one JSON object, "---".
_JSON_META = re.compile(r"\A---\n(\{[^\n]*\})\n---[ \t]*\n")
_NOT_YAML_ALIKE = re.compile(r"\\ud[89a-f]|\x7f", re.IGNORECASE)
# An id attribute's value: found by its literal start (a leading \b makes the
# regex engine try every position of a 30 KB page), the \b checked by hand.
_ID = re.compile(r'id="([^"]+)"')
_WORD = re.compile(r"\w")
_shared: dict[str, markdown.Markdown] = {}
# The nav's templates and every template they include or import.
_NAV_TEMPLATES = {"partials/nav.html": ("partials/nav-item.html", "partials/logo.html",
                                        "partials/source.html"),
                  "partials/tabs.html": ("partials/tabs-item.html",)}
_nav_html: dict[tuple[Any, ...], str] = {}


def renders_alone(body: str) -> bool:
    """Whether a page needs nothing of MkDocs' own Markdown processing."""
    return _MKDOCS_SYNTAX.search(body) is None


def json_meta(source: str) -> tuple[str, dict[str, Any]] | None:
    """(Markdown, meta) as MkDocs' YAML reading would give them, or None to let it read."""
    found = _JSON_META.match(source)
    if found is None or _NOT_YAML_ALIKE.search(found.group(1)):
        return None
    data = json.loads(found.group(1))
    if not isinstance(data, dict) or not _yaml_alike(data):
        return None
    return source[found.end() :].lstrip("\n"), data


def _yaml_alike(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_yaml_alike(v) for v in value.values())
    if isinstance(value, list):
        return all(_yaml_alike(v) for v in value)
    return value is None or isinstance(value, (str, bool, int))


class JsonMetaPage(Page):
    """A page whose generated frontmatter is read with json."""

    def read_source(self, config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is None:
            source = self.file.content_string
        read = json_meta(source)
        if read is None:
            super().read_source(config)  # reads again; only pages the generator did not write
            return
        self.markdown, self.meta = read


class SharedMarkdownPage(JsonMetaPage):
    """A page converted by the one Markdown all such pages share."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        md = _shared.get("md")
        if md is None:
            md = _shared["md"] = markdown.Markdown(extensions=config.markdown_extensions,
                                                   extension_configs=config.mdx_configs or {})
        try:
            self.content = md.convert(self.markdown or "")
            tokens = getattr(md, "toc_tokens", [])
        finally:
            md.reset()
        self.toc = get_toc(tokens)
        self.present_anchor_ids = anchor_ids(self.content)


def anchor_ids(html: str) -> set[str]:
    """Every value of an id attribute in `html` (as the regex `\\bid="([^"]+)"` finds them)."""
    return {m.group(1) for m in _ID.finditer(html)
            if m.start() == 0 or _WORD.match(html, m.start() - 1) is None}


def on_pre_build(config: MkDocsConfig) -> None:
    _shared.clear()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.meta.get("title") and type(page) in (Page, JsonMetaPage) and renders_alone(markdown):
        page.__class__ = SharedMarkdownPage
    return markdown


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    for file in files.documentation_pages():
        if type(file.page) is Page:
            file.page.__class__ = JsonMetaPage
    return nav


def _nav_urls(items: list[Any]) -> Iterator[str]:
    for item in items:
        if getattr(item, "url", None) is not None:
            yield str(item.url)
        yield from _nav_urls(item.children or [])


def _material_own(env: Any, names: tuple[str, ...]) -> bool:
    """Whether the theme's templates of these names are Material's (no custom_dir override)."""
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        return False
    package = Path(spec.origin).resolve().parent
    for name in names:
        filename = env.loader.get_source(env, name)[1]
        if filename is None or package not in Path(filename).resolve().parents:
            return False
    return True


def nav_key(context: Any) -> tuple[Any, ...] | None:
    """What the nav's HTML depends on for this page, or None when the page is in the nav.

    Outside the nav no item is active and the page's toc is never shown in
    it; what is left is where its links point from this page (MkDocs' url
    filter), the page's language (the hub's translation macro) and the
    settings every page shares.
    """
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or page.parent is not None or page in nav.pages:
        return None
    config = context.get("config")
    base = context.get("base_url")
    urls = [*_nav_urls(nav.items), str(config.theme.get("logo") or ""),
            str(config.extra.get("homepage") or "")]
    meta = page.meta or {}
    return (base, meta.get("hub_lang"), *(normalize_url(u, page, base) for u in urls))


def _cached(name: str, render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    def root(context: Any) -> Iterator[str]:
        key = nav_key(context)
        if key is None:
            yield from render(context)
            return
        key = (name, *key)
        html = _nav_html.get(key)
        if html is None:
            html = _nav_html[key] = "".join(render(context))
        yield html

    return root


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    _nav_html.clear()
    for name, included in _NAV_TEMPLATES.items():
        if _material_own(env, (name, *included)):
            template = env.get_template(name)
            template.root_render_func = _cached(name, template.root_render_func)
    gc.freeze()
    return env


def on_post_build(config: MkDocsConfig) -> None:
    gc.unfreeze()


def on_build_error(error: Exception) -> None:
    gc.unfreeze()
