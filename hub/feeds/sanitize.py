"""Feed HTML made safe: an allow-list sanitizer, a Markdown converter and plain text.

Everything in a feed is untrusted, and what counts is the page people open,
not the HTML we clean. The body travels feed HTML -> `clean_html` (nh3) ->
`to_markdown` -> Python-Markdown in MkDocs -> the page, and a vector can come
back to life at the second hop: text the feed escaped (`&lt;script&gt;`,
`[x](javascript:...)`, `{: onclick=... }` for attr_list, a ``` inside a code
block that closes the fence early) is Markdown syntax once it is plain text.
So the converter here escapes for Python-Markdown itself (its own escapable
characters, entities for `<` and `&`), picks code fences longer than any
backtick run inside, keeps unescaped code spans on one line, fences code only
where a fence is recognised, re-checks every URL it writes, and drops link
titles. tests/test_sanitize.py proves the whole path against a vector corpus.
"""

from __future__ import annotations

import html as htmllib
import ipaddress
import re
from functools import partial
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import nh3
import regex

from hub.text import cut as text_cut

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Structure and inline markup that survives into readable Markdown. Anything
# not listed is unwrapped (its text kept); DROPPED tags lose their content too.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
        "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip
DROPPED_TAGS = frozenset(
    {
        "applet", "audio", "button", "canvas", "embed", "form", "frame", "frameset", "head",
        "iframe", "input", "link", "math", "meta", "noembed", "noframes", "noscript",
        "object", "script", "select", "style", "svg", "template", "textarea", "title",
        "video", "xmp",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
    "time": {"datetime"},
}
LINK_REL = "noopener noreferrer nofollow"

# Hosts and paths that only serve invisible counting images.
PIXEL_HOSTS = frozenset(
    {
        "pixel.wp.com", "stats.wordpress.com", "www.google-analytics.com",
        "google-analytics.com", "ssl.google-analytics.com", "pixel.quantserve.com",
        "b.scorecardresearch.com", "sb.scorecardresearch.com", "ad.doubleclick.net",
        "px.ads.linkedin.com", "analytics.twitter.com", "mc.yandex.ru", "pixel.mathtag.com",
        "counter.yadro.ru", "feeds.feedblitz.com", "pi.pardot.com", "www.facebook.com/tr",
    }
)  # fmt: skip
PIXEL_PATH = re.compile(
    r"(?:^/~r/|^/~ff/|/(?:pixel|1x1|spacer|blank|transparent|beacon|track(?:ing)?|open"
    r"|__utm|count(?:er)?)(?:\.(?:gif|png|jpe?g|php|aspx?))?$)",
    re.IGNORECASE,
)
PIXEL_PATH_HOSTS = frozenset({"feeds.feedburner.com", "feedproxy.google.com", "www.facebook.com"})

_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?$")
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters kept as they are in a path/query; everything else (spaces, quotes,
# parentheses, brackets, backticks, `<>`, non-ASCII) is percent-encoded so the
# URL can sit inside Markdown `(...)` and an HTML attribute without breaking out.
_PATH_SAFE = "/%:@!$&*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """The URL as an absolute, normalized http(s) URL, or None if it is anything else.

    Parsed the way browsers do (WHATWG: outer control characters and spaces
    stripped, tabs/newlines removed anywhere, `\\` read as `/`), so
    `jav&#x09;ascript:` is recognised as the script URL it is. Credentials
    in URLs are refused: `https://www.acme.example@evil.example/` is a lure.
    """
    if not isinstance(url, str):
        return None
    url = _TAB_NEWLINE.sub("", url.strip(_C0_AND_SPACE)).replace("\\", "/")
    if not url:
        return None
    if base:
        base_url = safe_url(base)
        if base_url is not None:
            try:
                url = urljoin(base_url, url)
            except ValueError:
                return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES or parts.username is not None or "@" in parts.netloc:
        return None
    host = _normal_host(parts.hostname or "")
    if host is None:
        return None
    netloc = (
        host if port is None or port == {"http": 80, "https": 443}[scheme] else f"{host}:{port}"
    )
    path = quote(_BARE_PERCENT.sub("%25", parts.path), safe=_PATH_SAFE) or "/"
    query = quote(_BARE_PERCENT.sub("%25", parts.query), safe=_QUERY_SAFE)
    fragment = quote(_BARE_PERCENT.sub("%25", parts.fragment), safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, fragment))


def _normal_host(host: str) -> str | None:
    if not host:
        return None
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            return None
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return host if _HOST.match(host) else None


def _attribute_filter(base_url: str | None, tag: str, name: str, value: str) -> str | None:
    # nh3 reports an exception from this callback as "unraisable" and drops
    # the attribute; never raise, so nothing is logged as a crash.
    try:
        if name in ("href", "src"):
            return safe_url(value, base_url)
        if name in ("width", "height", "colspan", "rowspan", "start"):
            return value.strip() if value.strip().isdigit() else None
        return value
    except Exception:
        return None


_IMG_TAG = re.compile(r'<img((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*/?>')
_ATTR = re.compile(r'([^\s=>/]+)(?:="([^"]*)")?')


def _is_pixel(attrs: dict[str, str]) -> bool:
    src = attrs.get("src")
    if not src:
        return True
    for side in ("width", "height"):
        value = attrs.get(side, "")
        if value.isdigit() and int(value) <= 2:
            return True
    parts = urlsplit(htmllib.unescape(src))
    host = (parts.hostname or "").lower()
    if host in PIXEL_HOSTS or f"{host}{parts.path}".rstrip("/") in PIXEL_HOSTS:
        return True
    return bool(PIXEL_PATH.search(parts.path)) and (
        host in PIXEL_PATH_HOSTS or not parts.path.startswith(("/~r/", "/~ff/"))
    )


def _drop_pixels(clean: str) -> str:
    """Remove tracking pixels and images left without a usable src.

    Works on nh3's own serialization (attributes always double-quoted, `"`
    escaped inside values), which is why a regex is exact here.
    """

    def replace(match: re.Match[str]) -> str:
        attrs = {m.group(1).lower(): m.group(2) or "" for m in _ATTR.finditer(match.group(1))}
        return "" if _is_pixel(attrs) else match.group(0)

    return _IMG_TAG.sub(replace, clean)


def clean_html(html: str, base_url: str | None) -> str:
    """Allow-list sanitize feed HTML; relative URLs are resolved against base_url.

    Only absolute http(s) URLs survive: without a base a relative URL cannot
    be trusted to mean what the feed meant, so it is dropped.
    """
    if not html:
        return ""
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=partial(_attribute_filter, base_url),
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_SCHEMES),
    )
    return _drop_pixels(clean)


# --- HTML -> Markdown -------------------------------------------------------
#
# clean_html's output is a small, well-formed tag set in nh3's own
# serialization, so a regex tokenizer and a tiny tree are enough: no
# BeautifulSoup. The conversion rules follow markdownify's (whitespace
# handling, newline collapsing, tables, lists) so the Markdown reads as it did,
# with the Python-Markdown escaping below; it runs several times faster, and
# HTML -> Markdown was what dominated a cold sync.

# Characters Python-Markdown accepts backslash escapes for, that can start
# syntax anywhere in a line. (`&` and `<` become entities instead: Python-
# Markdown does not treat `\<` as an escape and would show the backslash.)
_ALWAYS_ESCAPED = re.compile(r"([\\`*_{}\[\]|>#])")
_ENTITY_LIKE_AMP = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Line starts that open a block (lists, admonitions, fences, setext or
# definition lines); the non-escapable ones get numeric entities.
_LINE_START = re.compile(r"(?m)^( ?)([!+\-=~?:])")
_LINE_START_ENTITY = {"=": "&#61;", "~": "&#126;", "?": "&#63;", ":": "&#58;"}
_ORDERED = re.compile(r"(?m)^( ?\d+)([.)])")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


# A URL exactly as safe_url writes it (http(s), lower-case host without port
# or credentials, path/query/fragment from its safe set): clean_html already
# produced it, and checking the shape is much cheaper than parsing it again.
_NORMAL_URL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"/(?:[A-Za-z0-9/:@!$&*+,;=._~-]|%[0-9A-Fa-f]{2})*"
    r"(?:\?(?:[A-Za-z0-9/:@!$&*+,;=._~?-]|%[0-9A-Fa-f]{2})+)?"
    r"(?:#(?:[A-Za-z0-9/:@!$&*+,;=._~?-]|%[0-9A-Fa-f]{2})+)?"
)


def _link_url(url: str | None) -> str | None:
    if url is not None and _NORMAL_URL.fullmatch(url):
        return url
    return safe_url(url)


def _line_start(match: re.Match[str]) -> str:
    char = match.group(2)
    return match.group(1) + _LINE_START_ENTITY.get(char, "\\" + char)


_NEEDS_ESCAPE = re.compile(r"[\\`*_{}\[\]|>#&<]|(?m:^) ?(?:[!+\-=~?:]|\d+[.)])")


def _escape_text(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    if "&" in text:
        # Before `#` gets its backslash, so that text like `&#60;` is still seen.
        text = _ENTITY_LIKE_AMP.sub("&amp;", text)
    text = _ALWAYS_ESCAPED.sub(r"\\\1", text)
    text = text.replace("<", "&lt;")
    text = _LINE_START.sub(_line_start, text)
    return _ORDERED.sub(r"\1\\\2", text)


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|:~=?^$<>&\"'\n]")


def _entities(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)


_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)"
    r"\s*/?>"
    r"|[^<]+|<",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_VOID = frozenset({"br", "hr", "img", "wbr", "area", "base", "col", "embed", "input", "link",
                   "meta", "source", "track"})  # fmt: skip


def _unescape(text: str) -> str:
    return htmllib.unescape(text) if "&" in text else text


class _Element:
    """One tag of the parsed fragment; text children are plain strings."""

    __slots__ = ("attrs", "children", "name", "parent", "raw_attrs")

    def __init__(self, name: str, raw_attrs: str, parent: _Element | None) -> None:
        self.name = name
        self.raw_attrs = raw_attrs
        self.parent = parent
        self.attrs: dict[str, str] | None = None
        self.children: list[_Element | str] = []

    def get(self, name: str) -> str | None:
        if self.attrs is None:
            self.attrs = {}
            for match in _ATTRIBUTE.finditer(self.raw_attrs):
                key = match.group(1).lower()
                if key not in self.attrs:
                    value = match.group(2) or match.group(3) or match.group(4) or ""
                    self.attrs[key] = _unescape(value)
        return self.attrs.get(name)


def _parse(html: str) -> _Element:
    """The fragment as a tree; an end tag closes up to its open element, a stray one is ignored."""
    root = _Element("[document]", "", None)
    stack = [root]
    names = [root.name]
    text: list[str] = []
    for match in _TOKEN.finditer(html):
        name = match.group(2)
        if name is None:
            token = match.group(0)
            if not token.startswith("<!--"):
                text.append(token)
            continue
        if text:
            stack[-1].children.append(_unescape("".join(text)))
            text = []
        name = name.lower()
        if match.group(1):
            if name in names and name not in _VOID:
                index = len(names) - 1 - names[::-1].index(name)
                if index:
                    del stack[index:], names[index:]
            continue
        parent = stack[-1]
        element = _Element(name, match.group(3), parent)
        parent.children.append(element)
        if name not in _VOID and not match.group(0).endswith("/>"):
            stack.append(element)
            names.append(name)
    if text:
        stack[-1].children.append(_unescape("".join(text)))
    return root


# Context bits passed down the tree (markdownify's parent_tags, as flags).
_PRE, _NOFORMAT, _INLINE, _IN_LI, _NO_FENCE = 1, 2, 4, 8, 16
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# A code fence is only recognised at the start of a line of a top-level block:
# inside a list, quote, table, link or emphasis its raw content would be read
# as Markdown and HTML. Below any other tag a <pre> is written inertly instead.
_FENCE_SAFE = frozenset({"[document]", "article", "div", "figure", "p", "section"})
_CONTEXT = {
    "pre": _PRE | _NOFORMAT, "code": _NOFORMAT, "kbd": _NOFORMAT, "samp": _NOFORMAT,
    "td": _INLINE, "th": _INLINE, "li": _IN_LI, **{heading: _INLINE for heading in _HEADINGS},
}  # fmt: skip
_CONTEXT = {
    name: _CONTEXT.get(name, 0) | (0 if name in _FENCE_SAFE else _NO_FENCE)
    for name in ALLOWED_TAGS | _FENCE_SAFE
}
# Blocks whose inner and outer whitespace-only text is dropped (<pre> outer only).
_BLOCK = frozenset({"p", "blockquote", "article", "div", "section", "ol", "ul", "li", "dl",
                    "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                    *_HEADINGS})  # fmt: skip
_BLOCK_OUTSIDE = _BLOCK | {"pre"}
_SPACE_RUN = re.compile(r"[\t ]+")
_NEWLINE_RUN = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_ALL_SPACE = re.compile(r"[\t \r\n]+")
_INLINE_MARKUP = {"b": "**", "strong": "**", "em": "*", "i": "*", "del": "~~", "s": "~~",
                  "sub": "", "sup": ""}  # fmt: skip
_CODE = frozenset({"code", "kbd", "samp"})


def _block_outside(node: _Element | str | None) -> bool:
    return isinstance(node, _Element) and node.name in _BLOCK_OUTSIDE


def _text(text: str, flags: int, lstrip: bool, rstrip: bool) -> str:
    if not flags & _PRE:
        if "\n" in text or "\r" in text:
            text = _NEWLINE_RUN.sub("\n", text)
        if "\t" in text or "  " in text:
            text = _SPACE_RUN.sub(" ", text)
    if not flags & _NOFORMAT:
        text = _escape_text(text)
    if lstrip:
        text = text.lstrip(" \t\r\n")
    if rstrip:
        text = text.rstrip()
    return text


def _children(node: _Element, flags: int) -> str:
    children = node.children
    inside = node.name in _BLOCK
    parts: list[str] = []
    last = len(children) - 1
    items = 0
    for index, child in enumerate(children):
        if isinstance(child, str):
            prev = children[index - 1] if index else None
            after = children[index + 1] if index < last else None
            lstrip = _block_outside(prev) or (inside and prev is None)
            rstrip = _block_outside(after) or (inside and after is None)
            if (lstrip or rstrip) and not child.strip():
                continue
            out = _text(child, flags, lstrip, rstrip)
        else:
            out = _convert(child, flags, items)
            if child.name == "li":
                items += 1
        if out:
            parts.append(out)
    if flags & _PRE:
        return "".join(parts)
    # Newlines where two children meet collapse to the larger count, at most 2.
    joined = [""]
    for part in parts:
        if part[0] == "\n" or part[-1] == "\n":
            body = part.lstrip("\n")
            lead = part[: len(part) - len(body)]
            content = body.rstrip("\n")
            trail = body[len(content) :]
        else:
            lead, content, trail = "", part, ""
        if lead and joined[-1]:
            lead = "\n" * min(2, max(len(joined.pop()), len(lead)))
        joined += (lead, content, trail)
    return "".join(joined)


def _chomp(text: str) -> tuple[str, str, str]:
    return (
        " " if text[:1] == " " else "",
        " " if text[-1:] == " " else "",
        text.strip(),
    )


def _colspan(cell: _Element) -> int:
    value = cell.get("colspan")
    return max(1, min(1000, int(value))) if value and value.isdigit() else 1


def _descendants(node: _Element, names: frozenset[str]) -> list[_Element]:
    found: list[_Element] = []
    for child in node.children:
        if isinstance(child, _Element):
            if child.name in names:
                found.append(child)
            found += _descendants(child, names)
    return found


def _previous_element(node: _Element) -> _Element | None:
    parent = node.parent
    if parent is None:
        return None
    previous: _Element | None = None
    for child in parent.children:
        if child is node:
            return previous
        if isinstance(child, _Element):
            previous = child
    return None


_CELLS = frozenset({"td", "th"})
_ROWS = frozenset({"tr"})
_THEAD = frozenset({"thead"})


def _row(el: _Element, text: str) -> str:
    """A table row; the first one gets the header separator Python-Markdown needs."""
    if _previous_element(el) is not None:
        return f"|{text}\n"
    parent = el.parent or el
    cells = _descendants(el, _CELLS)
    width = sum(_colspan(cell) for cell in cells)
    rule = "| " + " | ".join(["---"] * width) + " |\n"
    if all(cell.name == "th" for cell in cells) or (
        parent.name == "thead" and len(_descendants(parent, _ROWS)) == 1
    ):
        return f"|{text}\n{rule}"
    if (
        parent.name != "tbody"
        or parent.parent is None
        or not _descendants(parent.parent, _THEAD)
        or _previous_element(parent) is None
    ):
        empty = "| " + " | ".join([""] * width) + " |\n"
        return f"{empty}{rule}|{text}\n"
    return f"|{text}\n"


def _convert(el: _Element, flags: int, index: int) -> str:
    """Markdown for one element; flags describe its ancestors, index counts earlier <li>."""
    name = el.name
    inner = flags | _CONTEXT.get(name, _NO_FENCE)
    text = _children(el, inner)
    if name in _INLINE_MARKUP or name in _CODE:
        if flags & _NOFORMAT:
            return text
        lead, tail, text = _chomp(text)
        if not text:
            return ""
        if name in _CODE:
            if "\n" in text or "\r" in text:
                # Its text is not escaped: the code span must stay on one line,
                # or a heading, quote or blank line would cut it open.
                text = _ALL_SPACE.sub(" ", text)
            longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
            mark = "`" * (longest + 1)
            if longest:
                text = f" {text} "
        else:
            mark = _INLINE_MARKUP[name]
        return f"{lead}{mark}{text}{mark}{tail}"
    if name == "p":
        if flags & _INLINE:
            return " " + text.strip(" \t\r\n") + " "
        text = text.strip(" \t\r\n")
        return f"\n\n{text}\n\n" if text else ""
    if name == "a":
        if flags & _NOFORMAT:
            return text
        href = _link_url(el.get("href"))
        stripped = text.strip()
        if not href or not stripped:
            return text
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        return f"{lead}[{stripped}]({href}){tail}"
    if name in _HEADINGS:
        if flags & _INLINE:
            return text
        text = _ALL_SPACE.sub(" ", text.strip())
        return f"\n\n{'#' * _HEADINGS[name]} {text}\n\n"
    if name == "li":
        # Python-Markdown nests blocks in a list item only at 4-space indents.
        text = text.strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = parent.get("start") or "1"
            bullet = f"{(int(start) if start.isdigit() else 1) + index}. "
        else:
            bullet = "- "
        first, _, rest = text.partition("\n")
        if not rest:
            return f"{bullet}{first}\n"
        body = "\n".join(("    " + line) if line else "" for line in rest.split("\n"))
        return f"{bullet}{first}\n{body}\n\n"
    if name in ("ul", "ol"):
        if flags & _IN_LI:
            return "\n\n" + text.rstrip() + "\n"
        return "\n\n" + text + "\n"
    if name == "br":
        return " " if flags & _INLINE else "  \n"
    if name == "img":
        alt = _escape_text(" ".join((el.get("alt") or "").split()))
        src = _link_url(el.get("src"))
        parent = el.parent
        if not src or (flags & _INLINE and (parent is None or parent.name != "a")):
            return alt
        return f"![{alt}]({src})"
    if name == "blockquote":
        text = text.strip(" \t\r\n")
        if flags & _INLINE:
            return f" {text} "
        if not text:
            return "\n"
        return "\n" + "\n".join(f"> {line}" if line else ">" for line in text.split("\n")) + "\n\n"
    if name == "pre":
        text = text.strip("\n")
        if not text.strip():
            return ""
        if flags & _NO_FENCE:
            # One line of HTML with every special character as an entity is
            # inert whichever way Python-Markdown reads it.
            return f"\n\n<pre><code>{_entities(text)}</code></pre>\n\n"
        longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}\n{text}\n{fence}\n\n"
    if name in ("td", "th"):
        return " " + text.strip().replace("\n", " ") + " |" * _colspan(el)
    if name == "tr":
        return _row(el, text)
    if name == "table":
        return "\n\n" + text.strip() + "\n\n"
    if name in ("div", "dl"):
        if flags & _INLINE:
            return " " + text.strip() + " "
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""
    if name == "hr":
        return "\n\n---\n\n"
    if name == "dt":
        text = _ALL_SPACE.sub(" ", text.strip())
        if flags & _INLINE:
            return f" {text} "
        return f"\n\n{text}\n" if text else "\n"
    if name == "dd":
        text = text.strip()
        if flags & _INLINE:
            return f" {text} "
        if not text:
            return "\n"
        text = "\n".join(("    " + line) if line else "" for line in text.split("\n"))
        return ":" + text[1:] + "\n"
    if name == "q":
        return f'"{text}"'
    if name == "caption":
        return text.strip() + "\n\n"
    if name == "figcaption":
        return "\n\n" + text.strip() + "\n\n"
    return text


def to_markdown(clean: str) -> str:
    """Readable Markdown for sanitized HTML (output of clean_html); '' for none."""
    if not clean or not clean.strip():
        return ""
    text = _children(_parse(clean), 0).strip("\n")
    text = _TRAILING_SPACE.sub(lambda m: "  " if len(m.group(0)) == 2 else "", text)
    text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    return text + "\n" if text.strip() else ""


# --- plain text ---------------------------------------------------------------

_BLOCK_BOUNDARY = re.compile(
    r"<(?:br|/?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|dd|dt|section|article|"
    r"figure|figcaption|header|footer|hr))\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = regex.compile(r"[\s\u200b\ufeff]+")


def plain_text(html: str | None, limit: int | None = None) -> str:
    """Text for titles, summaries and cards: tags gone, entities decoded, one line.

    Cut at `limit` characters by hub.text.cut: whole sentences or words,
    never inside a grapheme.
    """
    if not html:
        return ""
    spaced = _BLOCK_BOUNDARY.sub(" ", html)
    text = nh3.clean(spaced, tags=set(), clean_content_tags=set(DROPPED_TAGS), attributes={})
    text = htmllib.unescape(text)
    text = _SPACES.sub(" ", text).strip()
    if limit is None or len(text) <= limit:
        return text
    return text_cut(text, limit, len)


# --- summaries ------------------------------------------------------------------

# Content that is never the item's lead: pictures and their captions, embeds.
_NOT_LEAD_TAGS = DROPPED_TAGS | {"figure", "figcaption", "picture", "video", "audio", "table"}
_LINE_BREAK = re.compile(
    r"<(?:br|/?(?:p|div|li|ul|ol|h[1-6]|tr|blockquote|pre|dd|dt|section|article|header|"
    r"footer|hr|aside|nav|main))\b[^>]*>",
    re.IGNORECASE,
)
# Lines a reader would not quote as the story's opening: bylines, photo credits,
# share prompts, WordPress/Yoast trailers, "continue reading" links.
_BOILERPLATE = regex.compile(
    r"^(?:by\s+\S.{0,60}|posted\s+(?:by|on|in)\b.*|photo(?:graph)?s?\s*(?:by|:|credit).*|"
    r"images?\s*(?:by|:|credit).*|credit\s*:.*|share\s+this\b.*|like\s+this\b.*|"
    r"click\s+to\s+\w+.*|(?:continue|keep)\s+reading\b.*|read\s+(?:more|the\s+full)\b.*|"
    r"the\s+post\s+.+\s+appeared\s+first\s+on\s+.+|(?:\d+\s+)?min(?:ute)?s?\s+read|"
    r".+\s+was\s+originally\s+published\s+in\s+.+|apply\s+(?:now|here|today)\b.*|立即申请|"
    r"\[?…\]?|\[\.\.\.\]|\.\.\.)$",
    regex.IGNORECASE,
)
_TRAILER = regex.compile(
    r"\s*(?:\[\s*(?:…|\.\.\.|&hellip;)\s*\]|(?:continue\s+reading|read\s+more)\b[^.!?。]*"
    r"|the\s+post\s+.+\s+appeared\s+first\s+on\s+.+)\s*$",
    regex.IGNORECASE,
)
HEADING = "\ue000"  # marks a heading's line in lead_lines (a private-use character)
_HEADING_OPEN = re.compile(r"<h[1-6]\b[^>]*>", re.IGNORECASE)
_ENDS_SENTENCE = regex.compile(r"[.!?…。！？:：;؟।॥»”\"')\]]$")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def lead_lines(html: str | None) -> list[str]:
    """The readable lines of an item's HTML: one per paragraph, heading or list item.

    Figures, captions and embeds are dropped; so are bylines, credits and
    share prompts, which feeds put where the first paragraph would be.
    """
    if not html:
        return []
    spaced = _LINE_BREAK.sub("\n", _HEADING_OPEN.sub("\n" + HEADING, html))
    text = nh3.clean(spaced, tags=set(), clean_content_tags=set(_NOT_LEAD_TAGS), attributes={})
    text = htmllib.unescape(text)
    lines = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if line == HEADING:
            continue
        trimmed = _TRAILER.sub("", line).strip() if line else line
        if trimmed != line and trimmed:
            trimmed = trimmed.rstrip("….") + "…"  # the publisher cut it here
        line = trimmed
        if line and not _BOILERPLATE.match(line.removeprefix(HEADING)):
            lines.append(line)
    return lines


_STOPS = (
    (regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]"), "。"),
    (regex.compile(r"[\p{Devanagari}\p{Bengali}]"), "।"),
    (regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]"), ""),  # a space ends it
)


def _stop(line: str) -> str:
    """The full stop a line's script writes (a heading or list item has none of its own)."""
    last = line.rstrip()[-1:]
    return next((stop for pattern, stop in _STOPS if pattern.match(last)), ".")


def opening(lines: list[str]) -> list[str]:
    """The lines a lead is made of: up to the first heading after some text.

    A story's lead is the paragraphs before its first section, a job ad's
    the text under its first heading; list items there become sentences.
    """
    while len(lines) > 1 and lines[0].startswith(HEADING):
        lines = lines[1:]  # "About us", "Job description": the text under it is the lead
    for index, line in enumerate(lines):
        if index and line.startswith(HEADING):
            return [x.removeprefix(HEADING) for x in lines[:index]]
    return [x.removeprefix(HEADING) for x in lines]


def as_sentences(lines: list[str]) -> str:
    """Lines joined as sentences: a heading or list item ends with a stop, never glued on."""
    lines = [x.removeprefix(HEADING) for x in lines]
    text = ""
    for line in lines:
        if len(lines) > 1 and not _ENDS_SENTENCE.search(line):
            line += _stop(line)
        text = text + line if text.endswith(("。", "！", "？")) or not text else f"{text} {line}"
    return text


def drop_unfinished(text: str) -> str:
    """`text` without a last sentence the publisher's excerpt cut off ("… [&hellip;]")."""
    text = _TRAILER.sub("", text).strip()
    if not text.endswith(("…", "...")):
        return text
    text = text.rstrip("….").rstrip()
    from hub.text import sentences

    parts = sentences(text)
    if len(parts) > 1:
        return " ".join(parts[:-1]) if not _UNSPACED.search(text) else "".join(parts[:-1])
    return text + "…"


def summary_text(html: str | None, limit: int) -> str:
    """An item's lead from its HTML, as whole sentences within `limit` graphemes."""
    from hub.text import lead

    return lead(drop_unfinished(as_sentences(opening(lead_lines(html)))), limit)
