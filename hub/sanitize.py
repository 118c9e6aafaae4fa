"""Feed HTML made safe: an allow-list sanitizer, a Markdown converter and plain text.

Everything in a feed is untrusted, and what counts is the page people open,
not the HTML we clean. The body travels feed HTML -> `clean_html` (nh3) ->
`to_markdown` (markdownify) -> Python-Markdown in MkDocs -> the page, and a
vector can come back to life at the second hop: text the feed escaped
(`&lt;script&gt;`, `[x](javascript:...)`, `{: onclick=... }` for attr_list,
a ``` inside a code block that closes the fence early) is Markdown syntax once
it is plain text. So the converter here escapes for Python-Markdown itself (its
own escapable characters, entities for `<` and `&`), picks code fences longer
than any backtick run inside, re-checks every URL it writes, and drops link
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
from markdownify import MarkdownConverter

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


def _escape_text(text: str) -> str:
    text = _ALWAYS_ESCAPED.sub(r"\\\1", text)
    text = _ENTITY_LIKE_AMP.sub("&amp;", text)
    text = text.replace("<", "&lt;")

    def line_start(match: re.Match[str]) -> str:
        char = match.group(2)
        return match.group(1) + _LINE_START_ENTITY.get(char, "\\" + char)

    text = _LINE_START.sub(line_start, text)
    return _ORDERED.sub(r"\1\\\2", text)


_NESTING = frozenset({"li", "blockquote", "td", "th", "dd", "dt", "_inline"})
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|:~=?^$<>&\"'\n]")


def _entities(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)


class _Converter(MarkdownConverter):
    """markdownify tuned for Python-Markdown (what MkDocs renders with)."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return _escape_text(text) if text else ""

    def convert_a(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        if "_noformat" in parent_tags:
            return text
        href = safe_url(el.get("href"))
        stripped = text.strip()
        if not href or not stripped:
            return text
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        return f"{lead}[{stripped}]({href}){tail}"

    def convert_img(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        alt = _escape_text(" ".join((el.get("alt") or "").split()))
        src = safe_url(el.get("src"))
        if not src or ("_inline" in parent_tags and el.parent.name not in ("a",)):
            return alt
        return f"![{alt}]({src})"

    def convert_pre(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        text = text.strip("\n")
        if not text.strip():
            return ""
        if parent_tags & _NESTING:
            # A fence inside a list, quote or table may not be recognised,
            # and then its raw text would be read as Markdown and HTML. One
            # line of HTML with every special character as an entity is
            # inert whichever way Python-Markdown reads it.
            return f"\n\n<pre><code>{_entities(text)}</code></pre>\n\n"
        longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}\n{text}\n{fence}\n\n"

    def convert_li(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        # Python-Markdown nests blocks in a list item only at 4-space indents.
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = (int(start) if start.isdigit() else 1) + len(el.find_previous_siblings("li"))
            bullet = f"{number}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        body = "\n".join(("    " + line) if line else "" for line in lines[1:])
        return f"{bullet}{lines[0]}\n{body}\n\n" if body else f"{bullet}{lines[0]}\n"

    def convert_list(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        if "li" in parent_tags:
            return "\n\n" + text.rstrip() + "\n"
        return "\n\n" + text + "\n"

    convert_ul = convert_list
    convert_ol = convert_list


_CONVERTER = _Converter(
    heading_style="ATX",
    bullets="-",
    escape_misc=True,
    escape_asterisks=True,
    escape_underscores=True,
    strong_em_symbol="*",
    newline_style="spaces",
    autolinks=False,
)


def to_markdown(clean: str) -> str:
    """Readable Markdown for sanitized HTML (output of clean_html); '' for none."""
    if not clean or not clean.strip():
        return ""
    text = _CONVERTER.convert(clean)
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
_GRAPHEME = regex.compile(r"\X")
ELLIPSIS = "…"


def plain_text(html: str | None, limit: int | None = None) -> str:
    """Text for titles, summaries and cards: tags gone, entities decoded, one line.

    Cut at `limit` characters on a word boundary with an ellipsis; never
    inside a grapheme (an emoji with its modifiers, a Devanagari cluster).
    Text without spaces (Chinese, Thai) is cut at the last whole grapheme.
    """
    if not html:
        return ""
    spaced = _BLOCK_BOUNDARY.sub(" ", html)
    text = nh3.clean(spaced, tags=set(), clean_content_tags=set(DROPPED_TAGS), attributes={})
    text = htmllib.unescape(text)
    text = _SPACES.sub(" ", text).strip()
    if limit is None or len(text) <= limit:
        return text
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    room = max(0, limit - len(ELLIPSIS))
    kept: list[str] = []
    size = 0
    # Only the head can be kept; a grapheme is never longer than a few dozen
    # code points, so a margin past the limit keeps the last one whole.
    for grapheme in _GRAPHEME.findall(text, 0, limit + 64):
        if size + len(grapheme) > room:
            break
        kept.append(grapheme)
        size += len(grapheme)
    head = "".join(kept)
    space = head.rfind(" ")
    word_complete = text[len(head) : len(head) + 1] == " "
    if not word_complete and space >= len(head) // 2 and space > 0:
        head = head[:space]
    head = head.rstrip(" ,;:.-–—")
    return head + ELLIPSIS if head else ELLIPSIS
