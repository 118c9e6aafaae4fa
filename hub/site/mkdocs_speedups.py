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
"""

from __future__ import annotations

import gc
import json
import re
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

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
_ID = re.compile(r'\bid="([^"]+)"')
_shared: dict[str, markdown.Markdown] = {}


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
        self.present_anchor_ids = set(_ID.findall(self.content))


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


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    gc.freeze()
    return env


def on_post_build(config: MkDocsConfig) -> None:
    gc.unfreeze()


def on_build_error(error: Exception) -> None:
    gc.unfreeze()
