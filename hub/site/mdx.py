"""A Python-Markdown extension: the hub's HTML fragments, and synced post bodies cleaned again.

Both renderers (MkDocs and Zensical) run the Markdown extensions named in
the renderer config, while neither runs the other's plugins; so the second
cleaning pass lives here. hub.feeds.sanitize already cleaned the feed's HTML
before it became Markdown; this pass catches whatever Markdown itself could
make of the text (defense in depth).

The site generator marks a post body with two comments:

    <!-- hub:body lang="zh" clean -->   ...body...   <!-- /hub:body -->

and this extension turns them into the body's `<div class="hub-post__body">`,
cleaning what lies between when the mark says `clean` (synced posts; a
hand-written post is comms' own HTML and keeps it).

The HTML the hub renders itself (a post's header, a listing's cards) is
not in the Markdown: a mark `<!-- hub:html NAME -->` stands for the file
FRAGMENTS/NAME.html (NAME a hash of the HTML), put in after Markdown. Markdown parses raw HTML tag by
tag in Python: 155 listing pages of cards cost MkDocs seconds to parse for
nothing, and Zensical's link checker scans it too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from hub.feeds.sanitize import LINK_REL

# Hex digits only: no path to read elsewhere.
FRAGMENT = re.compile(r"<!-- hub:html ([0-9a-f]+) -->")
OPEN = re.compile(r'<!-- hub:body((?: [a-z]+="[^"<>]*")*)( clean)? -->\n?')
CLOSE = "<!-- /hub:body -->"
# Tags and attributes a synced post body keeps when sanitized again after Markdown.
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


def clean_body(html: str) -> str:
    """A synced post's body after Markdown, through the allow-list once more."""
    return nh3.clean(html, attributes=BODY_ATTRIBUTES, link_rel=LINK_REL,
                     url_schemes={"http", "https", "mailto"})


def body_mark(attrs: str, *, clean: bool) -> tuple[str, str]:
    """The comments the generator writes around a post body (`attrs`: escaped lang/dir)."""
    return f"<!-- hub:body {attrs}{' clean' if clean else ''} -->", CLOSE


def place_body(html: str) -> str:
    """The marked body as its <div>, cleaned if marked so; HTML without a mark unchanged."""
    found = OPEN.search(html)
    end = html.rfind(CLOSE)
    if found is None or end < found.end():
        return html
    inner = html[found.end() : end].rstrip("\n")
    if found.group(2):
        inner = clean_body(inner)
    return (f'{html[: found.start()]}<div class="hub-post__body"{found.group(1)}>{inner}</div>'
            f"{html[end + len(CLOSE) :]}")


def fragment_mark(name: str) -> str:
    """The line the generator writes where the fragment `name` goes."""
    return f"<!-- hub:html {name} -->"


def place_fragments(html: str, folder: Path) -> str:
    """Every fragment mark replaced by its file's HTML (already escaped by the hub's templates)."""
    if "<!-- hub:html " not in html:
        return html
    return FRAGMENT.sub(lambda m: (folder / f"{m.group(1)}.html").read_text("utf-8"), html)


class _BodyPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return place_body(text)


class _FragmentPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, folder: Path) -> None:
        super().__init__(md)
        self.folder = folder

    def run(self, text: str) -> str:
        return place_fragments(text, self.folder)


class HubBodyExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"fragments": ["", "folder of the hub's HTML fragments"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After raw HTML is put back (priority 30), so the marks are in the text;
        # fragments first, so a post body's mark is never inside one.
        folder = self.getConfig("fragments")
        if folder:
            md.postprocessors.register(_FragmentPostprocessor(md, Path(folder)),
                                       "hub_fragments", 20)
        md.postprocessors.register(_BodyPostprocessor(md), "hub_body", 10)


def makeExtension(**kwargs: Any) -> HubBodyExtension:
    return HubBodyExtension(**kwargs)
