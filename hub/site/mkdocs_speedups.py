"""MkDocs-only speed-ups for the generated site; the site is the same without them.

The generated renderer config names this file under `hooks:` (Zensical
ignores hooks). Two things MkDocs spends time on for nothing here:

- A new Markdown, every extension built again, for each page (a third of
  converting a post). Python-Markdown supports one Markdown reused with
  reset() between documents; the extensions and settings are the site's,
  so the HTML is the same. Only pages MkDocs' own link handling has nothing
  to do in get it: no relative link or raw HTML but the hub's marks.
- The garbage collector walking every page and post again on each full
  collection while the templates render: frozen from on_env to the end.
"""

from __future__ import annotations

import gc
import re
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

# What MkDocs' own Markdown processing acts on: raw HTML other than the hub's
# marks, a link or image target that is not an absolute web or mail address,
# a reference definition. A bracket after an odd run of backslashes is text.
_MKDOCS_SYNTAX = re.compile(
    r"<(?!!-- /?hub:)|(?:^|[^\\])(?:\\\\)*\]\((?!https?://|mailto:)|^ {0,3}\[[^\]\n]+\]:",
    re.MULTILINE,
)
_ID = re.compile(r'\bid="([^"]+)"')
_shared: dict[str, markdown.Markdown] = {}


def renders_alone(body: str) -> bool:
    """Whether a page needs nothing of MkDocs' own Markdown processing."""
    return _MKDOCS_SYNTAX.search(body) is None


class SharedMarkdownPage(Page):
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
    if page.meta.get("title") and type(page) is Page and renders_alone(markdown):
        page.__class__ = SharedMarkdownPage
    return markdown


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    gc.freeze()
    return env


def on_post_build(config: MkDocsConfig) -> None:
    gc.unfreeze()


def on_build_error(error: Exception) -> None:
    gc.unfreeze()
